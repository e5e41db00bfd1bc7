//! Cross-layer coherence: the Kubernetes objects of a target checked against the
//! rest of it (Helm releases and their values, EKS node groups and add-ons).
//!
//! [`Manifests`] brings these rules to any target it is added to
//! (`Target::add_files`, through `FileSet::rules`). Each rule runs on the objects
//! every overlay really deploys (the base when there is none) and reads the
//! target's `helm_release`, `aws_eks_node_group` and `aws_eks_addon` blocks by type
//! name. Problems name the target, `k8s/<overlay>` and `<namespace>/<Kind>/<name>`
//! (or the stack and block address) and the field.
//!
//! | rule | file | what it reports |
//! |---|---|---|
//! | `k8s/coherence/crd` | `crd.rs` | an object of a CRD kind whose CRD no release (with its CRDs switched on) or manifest installs, or whose pinned chart version does not serve its `apiVersion`; a warning when the chart version is not in the fact table |
//! | `k8s/coherence/monitors` | `monitors.rs` | a ServiceMonitor, PodMonitor, PrometheusRule or Probe that no Prometheus of the target selects (kube-prometheus-stack's selectors as its values render them) |
//! | `k8s/coherence/metrics` | `metrics.rs` | an HPA on Resource metrics with no metrics server; on Pods/Object metrics with no custom metrics adapter; on External metrics with no adapter serving that metric |
//! | `k8s/coherence/references` | `references.rs` | an IngressClass, cert-manager issuer, StorageClass (in objects and in Helm values) or PriorityClass that nothing in the target creates |
//! | `k8s/coherence/network-policy` | `network_policy.rs` | NetworkPolicies with no engine enforcing them (VPC CNI network policy mode, Calico, Cilium) |
//! | `k8s/coherence/load-balancers` | `load_balancers.rs` | Service annotations or a load balancer class that only the AWS Load Balancer Controller acts on (on Services and in Helm values), with no such controller |
//! | `k8s/coherence/gpu` | `gpu.rs` | a pod requesting `nvidia.com/gpu` with no node group it can land on, no device plugin, too few GPUs at its maximum replicas, or a GPU quota below that |
//! | `k8s/coherence/dns` | `dns.rs` | (warnings) an Ingress asking for DNS records (`external-dns.alpha.kubernetes.io/hostname`) that no external-dns release watches; a host of a watched Ingress outside every domain filter of the watching releases |
//! | `k8s/coherence/operator-secrets` | `operator_secrets.rs` | (warnings) a Secret an ExternalSecret copies from a Secrets Manager secret the target creates with no value: the operator must fill it first |
//! | `k8s/coherence/quota` | `quota.rs` | a ResourceQuota smaller than its namespace's workloads at their maximum replicas times their requests (cpu, memory) |
//!
//! Facts (the CRDs of each chart version, the GPUs of each instance type) are in
//! `facts/`, each with its source. A rule that cannot decide (an unknown chart
//! version, an unknown instance type) warns instead of keeping silent.
//!
//! A target that adds several [`Manifests`] checks each against the stacks, not
//! against the objects of the others. A target that declares neither an EKS
//! cluster nor a Helm release deploys workloads onto a cluster managed elsewhere:
//! what that cluster runs is unknown, so only `k8s/coherence/quota`, which needs
//! nothing from it, runs there.

mod crd;
mod dns;
mod facts;
mod gpu;
mod load_balancers;
mod metrics;
mod monitors;
mod network_policy;
mod operator_secrets;
mod platform;
mod quantity;
mod quota;
mod references;
mod scheduling;
mod values;
mod workloads;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use terrane_core::checks::{Rule, TargetView};
use terrane_core::Diagnostic;

use crate::checks::{located, object_address};
use crate::manifests::Manifests;
use crate::object::Object;

use platform::{BlockAt, Platform};

/// The objects one overlay deploys (`base` when the manifests have no overlay).
#[derive(Debug, Clone)]
pub(crate) struct Deployed {
    pub overlay: String,
    pub objects: Vec<Object>,
}

/// What every coherence rule reads: the target, its cluster side, and the
/// objects of each overlay.
pub(crate) struct Scope<'a> {
    pub target: &'a str,
    pub platform: Platform,
    pub deployed: &'a [Deployed],
}

impl Scope<'_> {
    /// An error about object `o` of `overlay`, at `field`.
    pub fn object_error(
        &self,
        overlay: &str,
        o: &Object,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        located(
            message,
            self.target,
            overlay,
            &object_address(o.namespace(), o.kind(), o.name()),
        )
        .field(field)
    }

    /// An error about a Terraform block, at `field`.
    pub fn block_error(&self, at: &BlockAt, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(message)
            .target(self.target)
            .stack(at.stack.clone())
            .address(at.address.clone())
            .field(field)
    }
}

type Check = fn(&Scope<'_>, &mut Vec<Diagnostic>);

/// Whether a rule compares the objects with what the target installs on its
/// cluster (and so needs a target that manages it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    Cluster,
    Objects,
}

/// One coherence rule over the objects of a [`Manifests`].
struct CoherenceRule {
    name: &'static str,
    check: Check,
    needs: Needs,
    deployed: Arc<[Deployed]>,
}

impl Rule for CoherenceRule {
    fn name(&self) -> &str {
        self.name
    }
    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        let scope = Scope {
            target: target.name(),
            platform: Platform::read(target),
            deployed: &self.deployed,
        };
        if self.needs == Needs::Cluster && !scope.platform.manages_cluster() {
            return;
        }
        (self.check)(&scope, out);
    }
}

/// The coherence rules of `manifests`, holding the objects each overlay deploys.
/// `Target::add_files` registers them; call this only for a custom driver.
pub fn rules(manifests: &Manifests) -> Vec<Box<dyn Rule>> {
    let deployed: Arc<[Deployed]> = deployed(manifests).into();
    let table: [(&'static str, Check, Needs); 10] = [
        ("k8s/coherence/crd", crd::check, Needs::Cluster),
        ("k8s/coherence/monitors", monitors::check, Needs::Cluster),
        ("k8s/coherence/metrics", metrics::check, Needs::Cluster),
        (
            "k8s/coherence/references",
            references::check,
            Needs::Cluster,
        ),
        (
            "k8s/coherence/network-policy",
            network_policy::check,
            Needs::Cluster,
        ),
        (
            "k8s/coherence/load-balancers",
            load_balancers::check,
            Needs::Cluster,
        ),
        ("k8s/coherence/gpu", gpu::check, Needs::Cluster),
        ("k8s/coherence/dns", dns::check, Needs::Cluster),
        (
            "k8s/coherence/operator-secrets",
            operator_secrets::check,
            Needs::Objects,
        ),
        ("k8s/coherence/quota", quota::check, Needs::Objects),
    ];
    table
        .into_iter()
        .map(|(name, check, needs)| {
            Box::new(CoherenceRule {
                name,
                check,
                needs,
                deployed: deployed.clone(),
            }) as Box<dyn Rule>
        })
        .collect()
}

/// The objects of each overlay after its patches (problems with the patches
/// themselves are reported by the render).
fn deployed(m: &Manifests) -> Vec<Deployed> {
    let base = m.normalized_objects();
    if m.overlays.is_empty() {
        return vec![Deployed {
            overlay: "base".into(),
            objects: base,
        }];
    }
    m.overlays
        .iter()
        .map(|(name, overlay)| {
            let mut objects = base.clone();
            let _ = overlay.apply("", &mut objects);
            Deployed {
                overlay: name.clone(),
                objects,
            }
        })
        .collect()
}

/// Any object as JSON, for fields of kinds this crate has no typed variant for
/// yet (a StorageClass's provisioner, a ClusterIssuer's solvers).
pub(crate) fn as_json(o: &Object) -> serde_json::Value {
    o.to_yaml()
        .ok()
        .and_then(|y| serde_norway::from_str(&y).ok())
        .unwrap_or(serde_json::Value::Null)
}
