//! Rule `k8s/coherence/quota`: a ResourceQuota holds the workloads of its
//! namespace at their maximum replicas (HPA maximum, else `replicas`) times what
//! each pod requests (and limits), so scaling out is never refused by the quota.
//!
//! Requests count as Kubernetes counts them
//! (<https://kubernetes.io/docs/concepts/policy/resource-quotas/>): the sum over a
//! pod's containers, or its largest init container; a container with no request
//! gets its LimitRange default. Quotas with `scopes` or a `scopeSelector` are not
//! checked (they count only some pods). Rolling-update surge pods come on top.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec, ResourceQuota};
use terrane_core::Diagnostic;

use super::workloads::{limit_range_defaults, pod_request, workloads, Workload};
use super::{quantity, Deployed, Scope};
use crate::object::Object;

/// Quota keys checked, what they count, and whether the amount is CPU.
const KEYS: &[(&str, Counted, bool)] = &[
    ("requests.cpu", Counted::Request("cpu"), true),
    ("cpu", Counted::Request("cpu"), true),
    ("requests.memory", Counted::Request("memory"), false),
    ("memory", Counted::Request("memory"), false),
    ("limits.cpu", Counted::Limit("cpu"), true),
    ("limits.memory", Counted::Limit("memory"), false),
];

#[derive(Clone, Copy)]
enum Counted {
    Request(&'static str),
    Limit(&'static str),
}

/// Runs the rule on every overlay.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    for d in scope.deployed {
        let all = workloads(&d.objects);
        for o in &d.objects {
            if let Object::ResourceQuota(q) = o {
                quota(scope, d, o, q, &all, out);
            }
        }
    }
}

fn quota(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    q: &ResourceQuota,
    all: &[Workload<'_>],
    out: &mut Vec<Diagnostic>,
) {
    let Some(spec) = q.spec.as_ref() else { return };
    if spec.scopes.as_ref().is_some_and(|s| !s.is_empty()) || spec.scope_selector.is_some() {
        return;
    }
    let hard = spec.hard.clone().unwrap_or_default();
    let namespace = o.namespace();
    let mine: Vec<&Workload<'_>> = all
        .iter()
        .filter(|w| w.object.namespace() == namespace)
        .collect();
    let defaults = limit_range_defaults(&d.objects, namespace);
    for (key, counted, is_cpu) in KEYS {
        let Some(allowed) = hard.get(*key).and_then(quantity::value) else {
            continue;
        };
        let per_pod = |w: &Workload<'_>| match counted {
            Counted::Request(r) => pod_request(w.spec, r, &defaults),
            Counted::Limit(r) => pod_limit(w.spec, r),
        };
        let need: f64 = mine
            .iter()
            .map(|w| w.max_replicas as f64 * per_pod(w))
            .sum();
        if need > allowed * (1.0 + 1e-9) {
            let show = |v: f64| {
                if *is_cpu {
                    format!("{} CPU", quantity::cores(v))
                } else {
                    quantity::bytes(v)
                }
            };
            let list: Vec<String> = mine
                .iter()
                .filter(|w| per_pod(w) > 0.0)
                .map(|w| {
                    format!(
                        "{} {} × {}",
                        w.object.display_name(),
                        w.max_replicas,
                        show(per_pod(w))
                    )
                })
                .collect();
            out.push(scope.object_error(&d.overlay, o, &format!("spec.hard.{key}"), format!(
                "allows {} in namespace {namespace}, and its workloads need {} at their maximum replicas ({}): scaling out is refused",
                show(allowed),
                show(need),
                list.join(", ")
            )));
        }
    }
    pods(scope, d, o, &hard, &mine, out);
}

fn pods(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    hard: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
    mine: &[&Workload<'_>],
    out: &mut Vec<Diagnostic>,
) {
    let Some(allowed) = hard.get("pods").and_then(quantity::value) else {
        return;
    };
    let need: u64 = mine.iter().map(|w| w.max_replicas).sum();
    if need as f64 > allowed {
        out.push(scope.object_error(&d.overlay, o, "spec.hard.pods", format!(
            "allows {} pods in namespace {}, and its workloads run up to {need} at their maximum replicas: scaling out is refused",
            quantity::cores(allowed),
            o.namespace()
        )));
    }
}

/// What one pod's containers limit of `resource` (the largest init container if more).
fn pod_limit(spec: &PodSpec, resource: &str) -> f64 {
    let one = |c: &Container| {
        c.resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .and_then(|l| l.get(resource))
            .and_then(quantity::value)
            .unwrap_or(0.0)
    };
    let main: f64 = spec.containers.iter().map(one).sum();
    let init = spec
        .init_containers
        .iter()
        .flatten()
        .map(one)
        .fold(0.0, f64::max);
    main.max(init)
}
