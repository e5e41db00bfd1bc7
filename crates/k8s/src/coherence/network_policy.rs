//! Rule `k8s/coherence/network-policy`: NetworkPolicies need an engine that
//! enforces them, or they are accepted and ignored.
//!
//! Engines recognised: the EKS `vpc-cni` add-on with `enableNetworkPolicy: "true"`
//! in its `configuration_values`
//! (<https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html>),
//! or a Calico (`tigera-operator`, `calico`) or Cilium (`cilium`) release.

use terrane_core::Diagnostic;

use super::{values, Scope};

/// Charts whose release enforces NetworkPolicies.
const ENGINE_CHARTS: &[&str] = &["tigera-operator", "calico", "cilium"];

/// Runs the rule on every overlay: one problem per overlay, at its first policy.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    let p = &scope.platform;
    let vpc_cni = p.addon("vpc-cni");
    let enforced = vpc_cni
        .is_some_and(|a| values::flag(&a.configuration, "enableNetworkPolicy", false))
        || p.releases
            .iter()
            .any(|r| ENGINE_CHARTS.contains(&r.chart.as_str()));
    if enforced {
        return;
    }
    let why = match vpc_cni {
        Some(a) => format!(
            "{} in stack {} does not set enableNetworkPolicy = \"true\" in configuration_values, and no Calico or Cilium release is installed",
            a.at.address, a.at.stack
        ),
        None => "the target has no vpc-cni add-on with enableNetworkPolicy = \"true\" and no Calico or Cilium release".into(),
    };
    for d in scope.deployed {
        let policies: Vec<_> = d
            .objects
            .iter()
            .filter(|o| o.kind() == "NetworkPolicy")
            .collect();
        let Some(first) = policies.first() else {
            continue;
        };
        out.push(scope.object_error(&d.overlay, first, "spec", format!(
            "no engine enforces the {} NetworkPolicies of k8s/{}: {why}; they are accepted and ignored",
            policies.len(),
            d.overlay
        )));
    }
}
