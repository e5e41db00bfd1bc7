//! Object builders the constructs share: Deployment, HPA, PDB, VPA, NetworkPolicy.
//! (The pod inside a workload is [`crate::pod::PodTemplate`].)

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec,
    MetricTarget, ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{PodTemplateSpec, Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::crd::{
    ContainerPolicy, ResourcePolicy, TargetRef, UpdatePolicy, VerticalPodAutoscaler,
    VerticalPodAutoscalerSpec,
};
use crate::labels;

/// Namespace of the ingress-nginx controller the platform's Ingresses go through.
pub const INGRESS_NAMESPACE: &str = "ingress-nginx";
/// Namespace of Prometheus, allowed to scrape `/metrics`.
pub const MONITORING_NAMESPACE: &str = "monitoring";
/// The instance metadata endpoint: pods use IRSA, never the node's role.
pub const METADATA_CIDR: &str = "169.254.169.254/32";

pub(crate) fn selector(labels: &BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels.clone()),
        match_expressions: None,
    }
}

/// How a Deployment replaces its pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rollout {
    /// New pods first (25% surge), none unavailable: no downtime.
    RollingUpdate,
    /// Every old pod stops before a new one starts: never two at once.
    Recreate,
}

pub(crate) fn deployment(
    meta: ObjectMeta,
    selector_labels: &BTreeMap<String, String>,
    replicas: Option<i32>,
    rollout: Rollout,
    template: PodTemplateSpec,
) -> Deployment {
    let strategy = if rollout == Rollout::Recreate {
        DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        }
    } else {
        DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::String("25%".into())),
                max_unavailable: Some(IntOrString::Int(0)),
            }),
        }
    };
    Deployment {
        metadata: meta,
        spec: Some(DeploymentSpec {
            replicas,
            revision_history_limit: Some(5),
            selector: selector(selector_labels),
            strategy: Some(strategy),
            template,
            ..Default::default()
        }),
        status: None,
    }
}

/// The ClusterIP Service on port 80 (named `http`) in front of the pods.
pub(crate) fn http_service(meta: ObjectMeta, selector: &BTreeMap<String, String>) -> Service {
    Service {
        metadata: meta,
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".into()),
            selector: Some(selector.clone()),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                target_port: Some(IntOrString::String("http".into())),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }
}

pub(crate) fn resource_metric(name: &str, utilization: i32) -> MetricSpec {
    MetricSpec {
        type_: "Resource".into(),
        resource: Some(ResourceMetricSource {
            name: name.into(),
            target: MetricTarget {
                type_: "Utilization".into(),
                average_utilization: Some(utilization),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

pub(crate) fn hpa(
    meta: ObjectMeta,
    kind: &str,
    target: &str,
    min: i32,
    max: i32,
    metrics: Vec<MetricSpec>,
) -> HorizontalPodAutoscaler {
    HorizontalPodAutoscaler {
        metadata: meta,
        spec: Some(HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some("apps/v1".into()),
                kind: kind.into(),
                name: target.into(),
            },
            min_replicas: Some(min),
            max_replicas: max,
            metrics: Some(metrics),
            behavior: None,
        }),
        status: None,
    }
}

/// A PDB: `min_available` when given, else at most one pod down at a time.
pub(crate) fn pdb(
    meta: ObjectMeta,
    selector_labels: &BTreeMap<String, String>,
    min_available: Option<i32>,
) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta,
        spec: Some(PodDisruptionBudgetSpec {
            min_available: min_available.map(IntOrString::Int),
            max_unavailable: if min_available.is_some() {
                None
            } else {
                Some(IntOrString::Int(1))
            },
            selector: Some(selector(selector_labels)),
            unhealthy_pod_eviction_policy: Some("AlwaysAllow".into()),
        }),
        status: None,
    }
}

/// A VPA in recommendation mode: it never evicts, it only records sizes.
pub(crate) fn vpa(meta: ObjectMeta, kind: &str, target: &str) -> VerticalPodAutoscaler {
    VerticalPodAutoscaler {
        metadata: meta,
        spec: VerticalPodAutoscalerSpec {
            target_ref: TargetRef {
                api_version: "apps/v1".into(),
                kind: kind.into(),
                name: target.into(),
            },
            update_policy: Some(UpdatePolicy {
                update_mode: "Off".into(),
            }),
            resource_policy: Some(ResourcePolicy {
                container_policies: vec![ContainerPolicy {
                    container_name: "*".into(),
                    controlled_resources: vec!["cpu".into(), "memory".into()],
                    ..Default::default()
                }],
            }),
        },
    }
}

/// Who may reach an application's port.
#[derive(Debug, Clone, Default)]
pub(crate) struct Allowed {
    pub ingress_controller: bool,
    pub monitoring: bool,
    pub apps: Vec<String>,
}

fn namespace_peer(namespace: &str, app: Option<&str>) -> NetworkPolicyPeer {
    NetworkPolicyPeer {
        namespace_selector: Some(selector(&BTreeMap::from([(
            "kubernetes.io/metadata.name".to_string(),
            namespace.to_string(),
        )]))),
        pod_selector: app
            .map(|a| selector(&BTreeMap::from([(labels::NAME.to_string(), a.to_string())]))),
        ip_block: None,
    }
}

/// An application's policy on top of the namespace's default deny: ingress on
/// `port` from the allowed peers; egress anywhere but the instance metadata endpoint.
pub(crate) fn app_network_policy(
    meta: ObjectMeta,
    selector_labels: &BTreeMap<String, String>,
    port: Option<&str>,
    allowed: &Allowed,
) -> NetworkPolicy {
    let mut from = Vec::new();
    if allowed.ingress_controller {
        from.push(namespace_peer(INGRESS_NAMESPACE, Some("ingress-nginx")));
    }
    if allowed.monitoring {
        from.push(namespace_peer(MONITORING_NAMESPACE, None));
    }
    for app in &allowed.apps {
        from.push(NetworkPolicyPeer {
            pod_selector: Some(selector(&BTreeMap::from([(
                labels::NAME.to_string(),
                app.clone(),
            )]))),
            ..Default::default()
        });
    }
    let ingress = match port {
        Some(p) if !from.is_empty() => vec![NetworkPolicyIngressRule {
            from: Some(from),
            ports: Some(vec![NetworkPolicyPort {
                port: Some(IntOrString::String(p.into())),
                protocol: Some("TCP".into()),
                end_port: None,
            }]),
        }],
        _ => Vec::new(),
    };
    NetworkPolicy {
        metadata: meta,
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(selector(selector_labels)),
            policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
            ingress: Some(ingress),
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![NetworkPolicyPeer {
                    ip_block: Some(IPBlock {
                        cidr: "0.0.0.0/0".into(),
                        except: Some(vec![METADATA_CIDR.into()]),
                    }),
                    ..Default::default()
                }]),
                ports: None,
            }]),
        }),
    }
}
