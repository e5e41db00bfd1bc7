//! Every kind terrane-k8s writes, as one enum: the unit that checks inspect,
//! overlays patch and the renderer groups into files.

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::CronJob;
use k8s_openapi::api::core::v1::{
    ConfigMap, LimitRange, Namespace, PodTemplateSpec, ResourceQuota, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::Metadata;

use crate::crd::{
    AlertmanagerConfig, ClusterIssuer, ClusterSecretStore, ExternalSecret, Probe, PrometheusRule,
    SecretStore, ServiceMonitor, VerticalPodAutoscaler,
};
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::storage::v1::StorageClass;

/// The YAML file an object is written to: one file per group of related kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileGroup {
    /// Cluster-scoped objects the workloads name: StorageClass, ClusterIssuer.
    Cluster,
    /// Namespace, ResourceQuota, LimitRange.
    Namespace,
    /// ServiceAccount, Role, RoleBinding.
    Rbac,
    /// ConfigMap (including Grafana dashboards).
    Config,
    /// ExternalSecret, SecretStore, ClusterSecretStore.
    Secrets,
    /// Deployment, StatefulSet, CronJob.
    Workloads,
    /// Service.
    Services,
    /// Ingress.
    Ingress,
    /// NetworkPolicy.
    NetworkPolicies,
    /// HorizontalPodAutoscaler, VerticalPodAutoscaler, PodDisruptionBudget.
    Scaling,
    /// ServiceMonitor, PrometheusRule, AlertmanagerConfig.
    Monitoring,
}

impl FileGroup {
    /// File name inside the kustomize base (`workloads.yaml`).
    pub fn file_name(self) -> &'static str {
        match self {
            FileGroup::Cluster => "cluster.yaml",
            FileGroup::Namespace => "namespace.yaml",
            FileGroup::Rbac => "rbac.yaml",
            FileGroup::Config => "config.yaml",
            FileGroup::Secrets => "secrets.yaml",
            FileGroup::Workloads => "workloads.yaml",
            FileGroup::Services => "services.yaml",
            FileGroup::Ingress => "ingress.yaml",
            FileGroup::NetworkPolicies => "network-policies.yaml",
            FileGroup::Scaling => "scaling.yaml",
            FileGroup::Monitoring => "monitoring.yaml",
        }
    }
}

macro_rules! objects {
    ($($variant:ident($ty:ty) => $group:ident, $namespaced:literal;)*) => {
        /// One Kubernetes object of any kind terrane-k8s knows.
        // Variants differ in size; a platform holds hundreds of objects, not millions.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(missing_docs)]
        pub enum Object {
            $($variant($ty),)*
        }

        $(impl From<$ty> for Object {
            fn from(o: $ty) -> Self {
                Object::$variant(o)
            }
        })*

        impl Object {
            /// The object's `kind`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::KIND,)*
                }
            }

            /// The object's `apiVersion`.
            pub fn api_version(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::API_VERSION,)*
                }
            }

            /// The API group (empty for the core group).
            pub fn group(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::GROUP,)*
                }
            }

            /// Whether objects of this kind live in a namespace.
            pub fn is_namespaced(&self) -> bool {
                match self {
                    $(Object::$variant(_) => $namespaced,)*
                }
            }

            /// The file the object is written to.
            pub fn file_group(&self) -> FileGroup {
                match self {
                    $(Object::$variant(_) => FileGroup::$group,)*
                }
            }

            /// Position of the kind in declaration order, used to sort objects inside a file.
            pub(crate) fn kind_rank(&self) -> usize {
                let mut i = 0usize;
                $(
                    if matches!(self, Object::$variant(_)) {
                        return i;
                    }
                    i += 1;
                )*
                i
            }

            /// The object's metadata.
            pub fn metadata(&self) -> &ObjectMeta {
                match self {
                    $(Object::$variant(o) => o.metadata(),)*
                }
            }

            /// The object's metadata, for changing labels or namespace.
            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$variant(o) => o.metadata_mut(),)*
                }
            }

            pub(crate) fn to_yaml(&self) -> Result<String, serde_norway::Error> {
                match self {
                    $(Object::$variant(o) => serde_norway::to_string(o),)*
                }
            }
        }
    };
}

objects! {
    StorageClass(StorageClass) => Cluster, false;
    ClusterIssuer(ClusterIssuer) => Cluster, false;
    Namespace(Namespace) => Namespace, false;
    ResourceQuota(ResourceQuota) => Namespace, true;
    LimitRange(LimitRange) => Namespace, true;
    ServiceAccount(ServiceAccount) => Rbac, true;
    Role(Role) => Rbac, true;
    RoleBinding(RoleBinding) => Rbac, true;
    ConfigMap(ConfigMap) => Config, true;
    ClusterSecretStore(ClusterSecretStore) => Secrets, false;
    SecretStore(SecretStore) => Secrets, true;
    ExternalSecret(ExternalSecret) => Secrets, true;
    Deployment(Deployment) => Workloads, true;
    StatefulSet(StatefulSet) => Workloads, true;
    Job(Job) => Workloads, true;
    CronJob(CronJob) => Workloads, true;
    Service(Service) => Services, true;
    Ingress(Ingress) => Ingress, true;
    NetworkPolicy(NetworkPolicy) => NetworkPolicies, true;
    HorizontalPodAutoscaler(HorizontalPodAutoscaler) => Scaling, true;
    VerticalPodAutoscaler(VerticalPodAutoscaler) => Scaling, true;
    PodDisruptionBudget(PodDisruptionBudget) => Scaling, true;
    ServiceMonitor(ServiceMonitor) => Monitoring, true;
    Probe(Probe) => Monitoring, true;
    PrometheusRule(PrometheusRule) => Monitoring, true;
    AlertmanagerConfig(AlertmanagerConfig) => Monitoring, true;
}

impl Object {
    /// The object's name (empty if unset).
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or_default()
    }

    /// The object's namespace (empty if unset or cluster-scoped).
    pub fn namespace(&self) -> &str {
        self.metadata().namespace.as_deref().unwrap_or_default()
    }

    /// The pod template of a workload, with the field path leading to it.
    pub fn pod_template(&self) -> Option<(&'static str, &PodTemplateSpec)> {
        match self {
            Object::Deployment(d) => d.spec.as_ref().map(|s| ("spec.template", &s.template)),
            Object::StatefulSet(s) => s.spec.as_ref().map(|s| ("spec.template", &s.template)),
            Object::Job(j) => j.spec.as_ref().map(|s| ("spec.template", &s.template)),
            Object::CronJob(c) => c
                .spec
                .as_ref()
                .and_then(|s| s.job_template.spec.as_ref())
                .map(|s| ("spec.jobTemplate.spec.template", &s.template)),
            _ => None,
        }
    }

    /// The pod template of a workload, mutable.
    pub fn pod_template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        match self {
            Object::Deployment(d) => d.spec.as_mut().map(|s| &mut s.template),
            Object::StatefulSet(s) => s.spec.as_mut().map(|s| &mut s.template),
            Object::Job(j) => j.spec.as_mut().map(|s| &mut s.template),
            Object::CronJob(c) => c
                .spec
                .as_mut()
                .and_then(|s| s.job_template.spec.as_mut())
                .map(|s| &mut s.template),
            _ => None,
        }
    }

    /// `Kind/name`, for messages.
    pub fn display_name(&self) -> String {
        format!("{}/{}", self.kind(), self.name())
    }
}
