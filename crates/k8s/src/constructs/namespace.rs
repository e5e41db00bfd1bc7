//! `Namespace`: the namespace, its quota and default limits, and the default-deny policy.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    LimitRange, LimitRangeItem, LimitRangeSpec, Namespace as K8sNamespace, ResourceQuota,
    ResourceQuotaSpec,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use terrane_core::construct::Construct;

use crate::manifests::Manifests;

fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

/// A namespace with a ResourceQuota, a LimitRange (defaults for containers that
/// set nothing), Pod Security `restricted`, and NetworkPolicies that deny all
/// traffic except DNS until an application allows more.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, Namespace};
/// let mut m = Manifests::new("shop", "shop");
/// Namespace::new("shop").quota("requests.cpu", "40").add_to(&mut m);
/// let kinds: Vec<&str> = m.objects().iter().map(|o| o.kind()).collect();
/// assert_eq!(kinds, ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "NetworkPolicy"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Namespace {
    name: String,
    quota: BTreeMap<String, String>,
}

impl Namespace {
    /// Namespace `name` with the default quota: 20 CPUs and 40Gi requested, 40 CPUs and
    /// 80Gi limits, 100 pods, 4 GPUs, 10 volume claims.
    pub fn new(name: impl Into<String>) -> Self {
        let quota = [
            ("requests.cpu", "20"),
            ("requests.memory", "40Gi"),
            ("limits.cpu", "40"),
            ("limits.memory", "80Gi"),
            ("pods", "100"),
            ("requests.nvidia.com/gpu", "4"),
            ("persistentvolumeclaims", "10"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Self {
            name: name.into(),
            quota,
        }
    }

    /// Sets one hard quota (`requests.cpu`, `pods`, ...).
    pub fn quota(mut self, resource: impl Into<String>, amount: impl Into<String>) -> Self {
        self.quota.insert(resource.into(), amount.into());
        self
    }
}

impl Construct<Manifests> for Namespace {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let name = self.name.as_str();
        let l = m.app_labels(name, "namespace");
        let mut ns_labels = l.all();
        ns_labels.insert(
            "pod-security.kubernetes.io/enforce".into(),
            "restricted".into(),
        );
        ns_labels.insert(
            "pod-security.kubernetes.io/enforce-version".into(),
            "latest".into(),
        );
        m.push(K8sNamespace {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(ns_labels),
                ..Default::default()
            },
            ..Default::default()
        });
        m.push(ResourceQuota {
            metadata: m.meta("quota", name, &l),
            spec: Some(ResourceQuotaSpec {
                hard: Some(
                    self.quota
                        .iter()
                        .map(|(k, v)| (k.clone(), Quantity(v.clone())))
                        .collect(),
                ),
                ..Default::default()
            }),
            status: None,
        });
        m.push(LimitRange {
            metadata: m.meta("limits", name, &l),
            spec: Some(LimitRangeSpec {
                limits: vec![LimitRangeItem {
                    type_: "Container".into(),
                    default: Some(quantities(&[("cpu", "500m"), ("memory", "512Mi")])),
                    default_request: Some(quantities(&[("cpu", "100m"), ("memory", "128Mi")])),
                    max: Some(quantities(&[("cpu", "8"), ("memory", "32Gi")])),
                    ..Default::default()
                }],
            }),
        });
        m.push(default_deny(m.meta("default-deny", name, &l)));
        m.push(allow_dns(m.meta("allow-dns", name, &l)));
    }
}

/// Denies all ingress and egress of every pod in the namespace; each application's
/// own policy opens what it needs.
fn default_deny(meta: ObjectMeta) -> NetworkPolicy {
    NetworkPolicy {
        metadata: meta,
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
            ..Default::default()
        }),
    }
}

/// Lets every pod of the namespace reach cluster DNS (kube-dns in kube-system) on 53.
fn allow_dns(meta: ObjectMeta) -> NetworkPolicy {
    let dns_port = |protocol: &str| NetworkPolicyPort {
        port: Some(IntOrString::Int(53)),
        protocol: Some(protocol.into()),
        end_port: None,
    };
    NetworkPolicy {
        metadata: meta,
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            policy_types: Some(vec!["Egress".into()]),
            egress: Some(vec![NetworkPolicyEgressRule {
                to: Some(vec![NetworkPolicyPeer {
                    namespace_selector: Some(LabelSelector {
                        match_labels: Some(BTreeMap::from([(
                            "kubernetes.io/metadata.name".to_string(),
                            "kube-system".to_string(),
                        )])),
                        match_expressions: None,
                    }),
                    pod_selector: Some(LabelSelector {
                        match_labels: Some(BTreeMap::from([(
                            "k8s-app".to_string(),
                            "kube-dns".to_string(),
                        )])),
                        match_expressions: None,
                    }),
                    ip_block: None,
                }]),
                ports: Some(vec![dns_port("UDP"), dns_port("TCP")]),
            }]),
            ..Default::default()
        }),
    }
}
