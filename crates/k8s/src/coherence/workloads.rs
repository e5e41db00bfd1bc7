//! Workloads as the capacity rules see them: the pod spec, the most replicas an
//! HPA (or `replicas`) allows, and what one pod requests.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::quantity;
use crate::object::Object;

/// One workload of an overlay.
pub(crate) struct Workload<'a> {
    pub object: &'a Object,
    /// Field path of the pod spec (`spec.template.spec`).
    pub spec_path: String,
    pub spec: &'a PodSpec,
    /// The HPA maximum, else `replicas` (1 when unset; a CronJob's parallelism).
    pub max_replicas: u64,
    /// `HorizontalPodAutoscaler/<name>` when an HPA sets `max_replicas`.
    pub scaled_by: Option<String>,
}

/// Every workload (Deployment, StatefulSet, CronJob) among `objects`.
pub(crate) fn workloads(objects: &[Object]) -> Vec<Workload<'_>> {
    objects
        .iter()
        .filter_map(|o| {
            let (path, template) = o.pod_template()?;
            let spec = template.spec.as_ref()?;
            let (max_replicas, scaled_by) = max_replicas(o, objects);
            Some(Workload {
                object: o,
                spec_path: format!("{path}.spec"),
                spec,
                max_replicas,
                scaled_by,
            })
        })
        .collect()
}

fn max_replicas(o: &Object, objects: &[Object]) -> (u64, Option<String>) {
    let hpa = objects.iter().find_map(|h| match h {
        Object::HorizontalPodAutoscaler(h)
            if h.metadata.namespace.as_deref() == Some(o.namespace()) =>
        {
            let spec = h.spec.as_ref()?;
            let r = &spec.scale_target_ref;
            (r.kind == o.kind() && r.name == o.name()).then(|| {
                (
                    spec.max_replicas.max(0) as u64,
                    h.metadata.name.clone().unwrap_or_default(),
                )
            })
        }
        _ => None,
    });
    if let Some((max, name)) = hpa {
        return (max, Some(format!("HorizontalPodAutoscaler/{name}")));
    }
    let replicas = match o {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas),
        Object::StatefulSet(s) => s.spec.as_ref().and_then(|s| s.replicas),
        Object::CronJob(c) => c
            .spec
            .as_ref()
            .and_then(|s| s.job_template.spec.as_ref())
            .and_then(|s| s.parallelism),
        _ => None,
    };
    (replicas.unwrap_or(1).max(0) as u64, None)
}

/// What one pod requests of `resource` (`cpu`, `memory`, `nvidia.com/gpu`): the
/// sum over its containers, or the largest init container if more. A container
/// without a request of an extended resource requests its limit, as Kubernetes
/// defaults it; `defaults` are the namespace's LimitRange default requests.
pub(crate) fn pod_request(spec: &PodSpec, resource: &str, defaults: &BTreeMap<String, f64>) -> f64 {
    let one = |c: &Container| {
        container_request(c, resource)
            .or_else(|| defaults.get(resource).copied())
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

/// A container's request of `resource`, falling back to its limit (Kubernetes
/// sets a missing request to the limit).
pub(crate) fn container_request(c: &Container, resource: &str) -> Option<f64> {
    let r = c.resources.as_ref()?;
    r.requests
        .as_ref()
        .and_then(|m| m.get(resource))
        .or_else(|| r.limits.as_ref().and_then(|m| m.get(resource)))
        .and_then(quantity::value)
}

/// The default requests the LimitRanges of `namespace` give containers.
pub(crate) fn limit_range_defaults(objects: &[Object], namespace: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for o in objects {
        let Object::LimitRange(l) = o else { continue };
        if l.metadata.namespace.as_deref() != Some(namespace) {
            continue;
        }
        let limits = l
            .spec
            .as_ref()
            .map(|s| s.limits.as_slice())
            .unwrap_or_default();
        for item in limits.iter().filter(|i| i.type_ == "Container") {
            for (k, q) in item.default_request.iter().flatten() {
                if let Some(v) = quantity::value(q) {
                    out.insert(k.clone(), v);
                }
            }
        }
    }
    out
}
