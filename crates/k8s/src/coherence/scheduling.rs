//! Whether a pod can land on the nodes of a node group: its node selector and
//! required node affinity against the group's labels, its tolerations against
//! the group's taints.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeSelectorRequirement, PodSpec, Toleration};

use super::platform::{NodeGroup, Taint};

/// Label keys whose value differs per node (zone, host): a selector on them may
/// match some node of any group, so it never rules a group out.
const PER_NODE_KEYS: &[&str] = &[
    "kubernetes.io/hostname",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "topology.k8s.aws/zone-id",
    "failure-domain.beta.kubernetes.io/zone",
];

const INSTANCE_TYPE_KEYS: &[&str] = &[
    "node.kubernetes.io/instance-type",
    "beta.kubernetes.io/instance-type",
];

/// The values a label can have on the group's nodes; `None`: any (per node).
fn label_values(g: &NodeGroup, key: &str) -> Option<Vec<String>> {
    if PER_NODE_KEYS.contains(&key) {
        return None;
    }
    if INSTANCE_TYPE_KEYS.contains(&key) {
        return Some(g.instance_types.clone());
    }
    let builtin = match key {
        "kubernetes.io/os" => Some("linux".to_string()),
        "kubernetes.io/arch" => Some(
            if g.ami_type.contains("ARM") {
                "arm64"
            } else {
                "amd64"
            }
            .to_string(),
        ),
        _ => None,
    };
    Some(g.labels.get(key).cloned().or(builtin).into_iter().collect())
}

/// Why the pod does not fit the group, or `None` when it does.
pub(crate) fn mismatch(spec: &PodSpec, g: &NodeGroup) -> Option<String> {
    if let Some(why) = selector_mismatch(spec.node_selector.as_ref(), g) {
        return Some(why);
    }
    if let Some(why) = affinity_mismatch(spec, g) {
        return Some(why);
    }
    untolerated(spec.tolerations.as_deref().unwrap_or_default(), &g.taints)
        .map(|t| format!("its taint {} is not tolerated", show_taint(t)))
}

fn selector_mismatch(selector: Option<&BTreeMap<String, String>>, g: &NodeGroup) -> Option<String> {
    for (k, v) in selector.into_iter().flatten() {
        if label_values(g, k).is_some_and(|have| !have.contains(v)) {
            return Some(format!(
                "nodeSelector {k}={v} matches none of its labels ({})",
                show_labels(g)
            ));
        }
    }
    None
}

fn affinity_mismatch(spec: &PodSpec, g: &NodeGroup) -> Option<String> {
    let terms = spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    let fits = |reqs: &[NodeSelectorRequirement]| reqs.iter().all(|r| requirement_holds(r, g));
    let any = terms
        .node_selector_terms
        .iter()
        .any(|t| fits(t.match_expressions.as_deref().unwrap_or_default()));
    (!any).then(|| {
        format!(
            "its required node affinity matches none of its labels ({})",
            show_labels(g)
        )
    })
}

/// Whether a node affinity requirement holds on the group's nodes.
pub(crate) fn requirement_holds(r: &NodeSelectorRequirement, g: &NodeGroup) -> bool {
    let Some(have) = label_values(g, &r.key) else {
        return true;
    };
    let wanted = r.values.as_deref().unwrap_or_default();
    match r.operator.as_str() {
        "In" => have.iter().any(|h| wanted.contains(h)),
        "NotIn" => !have.iter().all(|h| wanted.contains(h)) || have.is_empty(),
        "Exists" => !have.is_empty(),
        "DoesNotExist" => have.is_empty(),
        _ => true,
    }
}

/// The first NoSchedule or NoExecute taint none of `tolerations` tolerates.
pub(crate) fn untolerated<'a>(
    tolerations: &[Toleration],
    taints: &'a [Taint],
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
        .find(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
}

fn tolerates(tol: &Toleration, t: &Taint) -> bool {
    let key = tol.key.as_deref().unwrap_or_default();
    let exists = tol.operator.as_deref() == Some("Exists");
    let key_ok = (key.is_empty() && exists) || key == t.key;
    let value_ok = exists || tol.value.as_deref().unwrap_or_default() == t.value;
    let effect_ok = tol
        .effect
        .as_deref()
        .is_none_or(|e| e.is_empty() || e == t.effect);
    key_ok && value_ok && effect_ok
}

fn show_taint(t: &Taint) -> String {
    format!("{}={}:{}", t.key, t.value, t.effect)
}

fn show_labels(g: &NodeGroup) -> String {
    g.labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}
