//! `Manifests`: the Kubernetes objects of one platform, the Terraform values
//! they read, and the overlays that vary them per environment.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::bridge::{BridgeUse, TfValue};
use crate::labels::{self, AppLabels};
use crate::object::Object;
use crate::overlay::Overlay;

/// The annotation EKS reads to give a ServiceAccount's pods an IAM role (IRSA).
pub const IRSA_ANNOTATION: &str = "eks.amazonaws.com/role-arn";

/// The Kubernetes objects of one platform, written as a kustomize base plus overlays:
/// the scope of every Kubernetes construct (`construct.add_to(&mut manifests)`, through
/// terrane-core's [`Construct`](terrane_core::construct::Construct) contract).
///
/// ```
/// use terrane_k8s::{Construct, Manifests, Namespace, WebApp};
/// let mut m = Manifests::new("shop", "shop");
/// Namespace::new("shop").add_to(&mut m);
/// WebApp::new("api", "registry.example.com/api:1.0.0").host("api.example.com").add_to(&mut m);
/// let files = m.render("eks-prod").unwrap();
/// assert!(files.contains_key("base/kustomization.yaml"));
/// assert!(files["base/workloads.yaml"].contains("kind: Deployment"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Manifests {
    pub(crate) part_of: String,
    pub(crate) namespace: String,
    pub(crate) objects: Vec<Object>,
    pub(crate) bridge: Vec<BridgeUse>,
    pub(crate) overlays: BTreeMap<String, Overlay>,
    pub(crate) prometheus_release: Option<String>,
    pub(crate) external_services: Vec<ExternalService>,
}

/// A Service these manifests route to but do not create (one a Helm release of the
/// target installs, such as kube-prometheus-stack's Grafana).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalService {
    /// Namespace of the Service.
    pub namespace: String,
    /// Service name.
    pub name: String,
    /// Name of the port Ingresses use.
    pub port: String,
}

/// The label kube-prometheus-stack's Prometheus selects ServiceMonitors, PodMonitors,
/// Probes and PrometheusRules by (`release: <helm release name>`).
pub const PROMETHEUS_RELEASE_LABEL: &str = "release";
/// The Helm release name of kube-prometheus-stack unless [`Manifests::prometheus_release`] says otherwise.
pub const DEFAULT_PROMETHEUS_RELEASE: &str = "kube-prometheus-stack";

impl Manifests {
    /// Objects of platform `part_of` (the `app.kubernetes.io/part-of` label), in `namespace` by default.
    pub fn new(part_of: impl Into<String>, namespace: impl Into<String>) -> Self {
        Self {
            part_of: part_of.into(),
            namespace: namespace.into(),
            ..Default::default()
        }
    }

    /// Adds one object as it is (the escape hatch); it still gets the standard labels and namespace.
    pub fn push(&mut self, object: impl Into<Object>) -> &mut Self {
        self.objects.push(object.into());
        self
    }

    /// The Helm release of kube-prometheus-stack whose Prometheus must select this
    /// platform's monitors and rules (default `kube-prometheus-stack`).
    pub fn prometheus_release(&mut self, release: impl Into<String>) -> &mut Self {
        self.prometheus_release = Some(release.into());
        self
    }

    /// Declares a Service created outside these manifests (by a Helm release), so
    /// Ingresses may route to it; the Ingress check accepts it by name and port name.
    pub fn external_service(
        &mut self,
        namespace: impl Into<String>,
        name: impl Into<String>,
        port: impl Into<String>,
    ) -> &mut Self {
        self.external_services.push(ExternalService {
            namespace: namespace.into(),
            name: name.into(),
            port: port.into(),
        });
        self
    }

    /// Services declared with [`Manifests::external_service`].
    pub fn external_services(&self) -> &[ExternalService] {
        &self.external_services
    }

    /// Metadata of a ServiceMonitor, PodMonitor, Probe or PrometheusRule: the standard
    /// labels plus `release: <kube-prometheus-stack release>`, so Prometheus selects it.
    pub fn monitor_meta(&self, name: &str, namespace: &str, labels: &AppLabels) -> ObjectMeta {
        let mut meta = self.meta(name, namespace, labels);
        let release = self
            .prometheus_release
            .clone()
            .unwrap_or_else(|| DEFAULT_PROMETHEUS_RELEASE.to_string());
        meta.labels
            .get_or_insert_with(Default::default)
            .insert(PROMETHEUS_RELEASE_LABEL.into(), release);
        meta
    }

    /// Adds an overlay (`staging`, `production`); each becomes `overlays/<name>/`.
    pub fn overlay(&mut self, overlay: Overlay) -> &mut Self {
        self.overlays.insert(overlay.name.clone(), overlay);
        self
    }

    /// Records that `value` is written into `field_path` of an object at deploy time.
    pub fn bridge(
        &mut self,
        value: impl Into<TfValue>,
        kind: &str,
        namespace: &str,
        name: &str,
        field_path: impl Into<String>,
    ) -> &mut Self {
        self.bridge.push(BridgeUse {
            value: value.into(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            field_path: field_path.into(),
            delimiter: None,
        });
        self
    }

    /// Records that `value` replaces the part of `field_path` before `delimiter` at
    /// deploy time (an ECR repository URL over an image's short name, keeping the tag).
    pub fn bridge_prefix(
        &mut self,
        value: impl Into<TfValue>,
        kind: &str,
        namespace: &str,
        name: &str,
        field_path: impl Into<String>,
        delimiter: &str,
    ) -> &mut Self {
        self.bridge(value, kind, namespace, name, field_path);
        if let Some(last) = self.bridge.last_mut() {
            last.delimiter = Some(delimiter.to_string());
        }
        self
    }

    /// The default namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The platform name.
    pub fn part_of(&self) -> &str {
        &self.part_of
    }

    /// Every object, in insertion order.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// Every place a Terraform value is substituted.
    pub fn bridge_uses(&self) -> &[BridgeUse] {
        &self.bridge
    }

    /// The overlays by name.
    pub fn overlays(&self) -> &BTreeMap<String, Overlay> {
        &self.overlays
    }

    /// The standard labels of application `name` in role `component`.
    pub fn app_labels(&self, name: &str, component: &str) -> AppLabels {
        AppLabels::new(name, component, &self.part_of)
    }

    /// Metadata in `namespace` with `labels`.
    pub fn meta(&self, name: &str, namespace: &str, labels: &AppLabels) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            labels: Some(labels.all()),
            ..Default::default()
        }
    }

    /// A ServiceAccount for an application; with `irsa_role`, its role ARN comes from Terraform.
    pub(crate) fn service_account(
        &mut self,
        name: &str,
        namespace: &str,
        labels: &AppLabels,
        irsa_role: Option<&TfValue>,
    ) {
        let sa = ServiceAccount {
            metadata: self.meta(name, namespace, labels),
            automount_service_account_token: Some(false),
            ..Default::default()
        };
        self.push(sa);
        if let Some(role) = irsa_role {
            self.bridge(
                role.clone(),
                "ServiceAccount",
                namespace,
                name,
                format!("metadata.annotations.[{IRSA_ANNOTATION}]"),
            );
        }
    }

    /// Objects as written: every namespaced object in a namespace, every object labelled.
    pub(crate) fn normalized_objects(&self) -> Vec<Object> {
        let mut out = self.objects.clone();
        for o in &mut out {
            let namespaced = o.is_namespaced();
            let name = o.name().to_string();
            let meta = o.metadata_mut();
            if namespaced && meta.namespace.as_deref().unwrap_or_default().is_empty() {
                meta.namespace = Some(self.namespace.clone());
            }
            let l = meta.labels.get_or_insert_with(BTreeMap::new);
            l.entry(labels::NAME.to_string()).or_insert(name);
            l.entry(labels::PART_OF.to_string())
                .or_insert_with(|| self.part_of.clone());
            l.entry(labels::MANAGED_BY.to_string())
                .or_insert_with(|| "terrane".to_string());
        }
        out.sort_by(|a, b| {
            (a.file_group(), a.kind_rank(), a.namespace(), a.name()).cmp(&(
                b.file_group(),
                b.kind_rank(),
                b.namespace(),
                b.name(),
            ))
        });
        out
    }
}
