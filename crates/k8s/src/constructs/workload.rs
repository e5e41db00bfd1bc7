//! What every workload construct declares around its [`PodTemplate`]: where it lives,
//! its labels and metadata, its ServiceAccount, the Terraform values of its env, and
//! the Deployment that runs the pods.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::common::{self, Rollout};
use crate::bridge::TfValue;
use crate::labels::{self, AppLabels};
use crate::manifests::Manifests;
use crate::pod::{EnvValue, PodTemplate};

/// Where the pod spec sits in a Deployment, for the Terraform env replacements.
pub(crate) const DEPLOYMENT_POD_SPEC: &str = "spec.template.spec";

/// One workload (application `name` in role `component`): its namespace (the
/// manifests' default unless given), labels, pod selector and object metadata.
pub(crate) struct Workload<'a> {
    pub(crate) name: &'a str,
    pub(crate) namespace: String,
    pub(crate) labels: AppLabels,
    pub(crate) selector: BTreeMap<String, String>,
    pub(crate) meta: ObjectMeta,
}

impl<'a> Workload<'a> {
    /// The workload `name` of `m`, in `namespace` or the manifests' default.
    pub(crate) fn new(
        m: &Manifests,
        name: &'a str,
        namespace: Option<&str>,
        component: &str,
    ) -> Self {
        let namespace = namespace.unwrap_or_else(|| m.namespace()).to_string();
        let labels = m.app_labels(name, component);
        let meta = m.meta(name, &namespace, &labels);
        Workload {
            name,
            selector: labels.selector(),
            namespace,
            labels,
            meta,
        }
    }

    /// The ServiceAccount the pods run as, named after the workload; with
    /// `irsa_role`, its IAM role ARN comes from Terraform.
    pub(crate) fn service_account(&self, m: &mut Manifests, irsa_role: Option<&TfValue>) {
        m.service_account(self.name, &self.namespace, &self.labels, irsa_role);
    }

    /// The ServiceAccount with the pod template's IRSA role, and a kustomize
    /// replacement for every env value read from Terraform, into the container at
    /// `pod_spec_path` of the workload's `kind`.
    pub(crate) fn declare_identity(
        &self,
        m: &mut Manifests,
        pod: &PodTemplate,
        kind: &str,
        pod_spec_path: &str,
    ) {
        self.service_account(m, pod.irsa_role.as_ref());
        self.bridge_pod(m, pod, kind, self.name, pod_spec_path);
    }

    /// A kustomize replacement for every Terraform value the pod reads (env values,
    /// the image repository), into object `object` of `kind`, whose containers are
    /// named after the workload.
    pub(crate) fn bridge_pod(
        &self,
        m: &mut Manifests,
        pod: &PodTemplate,
        kind: &str,
        object: &str,
        pod_spec_path: &str,
    ) {
        let name = self.name;
        let mut containers = vec![format!("{pod_spec_path}.containers.[name={name}]")];
        for init in &pod.init_containers {
            containers.push(format!(
                "{pod_spec_path}.initContainers.[name={}]",
                init.name
            ));
        }
        for container in &containers {
            for (var, value) in &pod.env {
                if let EnvValue::Terraform(out) = value {
                    m.bridge(
                        out.clone(),
                        kind,
                        &self.namespace,
                        object,
                        format!("{container}.env.[name={var}].value"),
                    );
                }
            }
            if let Some(repository) = &pod.image_repository {
                m.bridge_prefix(
                    repository.clone(),
                    kind,
                    &self.namespace,
                    object,
                    format!("{container}.image"),
                    ":",
                );
            }
        }
    }

    /// The pod labels of a release: the app's labels and the image's tag as
    /// `app.kubernetes.io/version`, so a rollout is visible on every pod.
    pub(crate) fn versioned_labels(&self, image: &str) -> BTreeMap<String, String> {
        let mut pod_labels = self.labels.all();
        if let Some(tag) = labels::image_tag(image) {
            pod_labels.insert(labels::VERSION.into(), tag.into());
        }
        pod_labels
    }

    /// The Deployment of the workload running `template`; `replicas` unset leaves
    /// the count to the HPA.
    pub(crate) fn deployment(
        &self,
        replicas: Option<i32>,
        rollout: Rollout,
        template: PodTemplateSpec,
    ) -> Deployment {
        common::deployment(
            self.meta.clone(),
            &self.selector,
            replicas,
            rollout,
            template,
        )
    }
}
