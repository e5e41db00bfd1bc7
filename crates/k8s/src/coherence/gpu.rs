//! Rule `k8s/coherence/gpu`: a pod requesting `nvidia.com/gpu` needs a node group
//! whose labels it selects and whose taints it tolerates, an NVIDIA device plugin
//! that runs on those nodes, GPUs enough for its maximum replicas, and a
//! namespace GPU quota at least that.
//!
//! Facts: the nvidia-device-plugin 0.20.0 chart's default affinity requires
//! `nvidia.com/gpu.present=true` or NFD labels, and it tolerates
//! `nvidia.com/gpu:NoSchedule` by default
//! (<https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/helm/nvidia-device-plugin/values.yaml>);
//! EKS GPU AMIs need the device plugin applied
//! (<https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html>).
//! GPUs per instance type: `facts/gpu.rs`.

use k8s_openapi::api::core::v1::{Affinity, PodSpec, Toleration};
use serde_json::Value;
use terrane_core::{Diagnostic, Severity};

use super::crd::release_at;
use super::facts::{gpus_per_instance, is_gpu_family};
use super::platform::{NodeGroup, Platform, Release};
use super::scheduling::mismatch;
use super::workloads::{pod_request, workloads, Workload};
use super::{quantity, values, Deployed, Scope};
use crate::object::Object;
use crate::pod::GPU_RESOURCE;

/// The quota key for GPUs (extended resources take requests quotas only).
const GPU_QUOTA: &str = "requests.nvidia.com/gpu";

/// Charts that run the NVIDIA device plugin.
const DEVICE_PLUGIN_CHARTS: &[&str] = &["nvidia-device-plugin", "gpu-operator"];

/// Runs the rule on every overlay, then on the device plugin's placement.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    let p = &scope.platform;
    if p.node_groups.is_empty() && !p.eks_cluster {
        // The nodes are not part of this target: nothing to compare with.
        return;
    }
    let mut any_gpu_pod = false;
    for d in scope.deployed {
        let gpu_workloads: Vec<Workload<'_>> = workloads(&d.objects)
            .into_iter()
            .filter(|w| gpus(w.spec) > 0.0)
            .collect();
        any_gpu_pod |= !gpu_workloads.is_empty();
        for w in &gpu_workloads {
            workload(scope, d, w, out);
        }
        quota(scope, d, &gpu_workloads, out);
    }
    if any_gpu_pod {
        for r in p
            .releases
            .iter()
            .filter(|r| r.chart == "nvidia-device-plugin")
        {
            device_plugin_placement(scope, r, out);
        }
    }
}

fn gpus(spec: &PodSpec) -> f64 {
    pod_request(spec, GPU_RESOURCE, &Default::default())
}

/// The GPUs of one node of the group: the fewest among its instance types;
/// `None` when one is a GPU type the table does not know.
fn gpus_per_node(g: &NodeGroup) -> Option<u64> {
    let mut fewest: Option<u64> = None;
    for t in &g.instance_types {
        let n = match gpus_per_instance(t) {
            Some(n) => n,
            None if is_gpu_family(t) => return None,
            None => 0,
        };
        fewest = Some(fewest.map_or(n, |f| f.min(n)));
    }
    Some(fewest.unwrap_or(0))
}

fn workload(scope: &Scope<'_>, d: &Deployed, w: &Workload<'_>, out: &mut Vec<Diagnostic>) {
    let p = &scope.platform;
    let per_pod = gpus(w.spec);
    let err = |field: String, m: String| scope.object_error(&d.overlay, w.object, &field, m);
    let gpu_groups: Vec<&NodeGroup> = p
        .node_groups
        .iter()
        .filter(|g| gpus_per_node(g) != Some(0))
        .collect();
    // A group fits when the pod lands there and one node has the GPUs one pod needs.
    let unfit = |g: &NodeGroup| {
        mismatch(w.spec, g).or_else(|| {
            gpus_per_node(g).filter(|n| (*n as f64) < per_pod).map(|n| {
                format!(
                    "its nodes have {n} GPU(s) each, and one pod needs {}",
                    quantity::cores(per_pod)
                )
            })
        })
    };
    let fitting: Vec<&NodeGroup> = gpu_groups
        .iter()
        .copied()
        .filter(|g| unfit(g).is_none())
        .collect();
    if !p
        .releases
        .iter()
        .any(|r| DEVICE_PLUGIN_CHARTS.contains(&r.chart.as_str()))
    {
        out.push(err(
            format!("{}.containers", w.spec_path),
            format!("requests {GPU_RESOURCE}, and the target installs no NVIDIA device plugin (nvidia-device-plugin or gpu-operator release): no node advertises GPUs, so its pods stay Pending"),
        ));
    }
    if fitting.is_empty() {
        let why = if gpu_groups.is_empty() {
            "the target has no GPU node group".to_string()
        } else {
            gpu_groups
                .iter()
                .map(|g| {
                    format!(
                        "node group {} ({}): {}",
                        g.name,
                        g.at.address,
                        unfit(g).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push(err(
            format!("{}.nodeSelector", w.spec_path),
            format!("requests {GPU_RESOURCE}, and no node group of the target can run it: {why}"),
        ));
        return;
    }
    capacity(scope, d, w, per_pod, &fitting, out);
}

fn capacity(
    scope: &Scope<'_>,
    d: &Deployed,
    w: &Workload<'_>,
    per_pod: f64,
    groups: &[&NodeGroup],
    out: &mut Vec<Diagnostic>,
) {
    let need = w.max_replicas as f64 * per_pod;
    let mut have = 0u64;
    let mut parts = Vec::new();
    for g in groups {
        let (Some(per_node), Some(max)) = (gpus_per_node(g), g.max_size) else {
            let mut d = scope.object_error(&d.overlay, w.object, &format!("{}.containers", w.spec_path), format!(
                "node group {} ({}) has an instance type or size terrane cannot count GPUs of ({}): GPU capacity is not checked",
                g.name, g.at.address, g.instance_types.join(", ")
            ));
            d.severity = Severity::Warning;
            out.push(d);
            return;
        };
        have += per_node * max;
        parts.push(format!("{}: {max} nodes × {per_node}", g.name));
    }
    if need > have as f64 {
        let by = w
            .scaled_by
            .as_deref()
            .map_or("replicas".to_string(), |h| format!("{h} maximum"));
        out.push(scope.object_error(&d.overlay, w.object, &format!("{}.containers", w.spec_path), format!(
            "needs up to {} GPUs ({by} {} × {} per pod), and the node groups it can run on hold at most {have} ({})",
            quantity::cores(need),
            w.max_replicas,
            quantity::cores(per_pod),
            parts.join(", ")
        )));
    }
}

/// The namespace GPU quota against the GPU workloads at their maximum.
fn quota(
    scope: &Scope<'_>,
    d: &Deployed,
    gpu_workloads: &[Workload<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for o in &d.objects {
        let Object::ResourceQuota(q) = o else {
            continue;
        };
        let hard = q.spec.as_ref().and_then(|s| s.hard.as_ref());
        let Some(allowed) = hard
            .and_then(|h| h.get(GPU_QUOTA))
            .and_then(quantity::value)
        else {
            continue;
        };
        let mine: Vec<&Workload<'_>> = gpu_workloads
            .iter()
            .filter(|w| w.object.namespace() == o.namespace())
            .collect();
        let need: f64 = mine
            .iter()
            .map(|w| w.max_replicas as f64 * gpus(w.spec))
            .sum();
        if need > allowed {
            let list: Vec<String> = mine
                .iter()
                .map(|w| {
                    format!(
                        "{} {} × {}",
                        w.object.display_name(),
                        w.max_replicas,
                        quantity::cores(gpus(w.spec))
                    )
                })
                .collect();
            out.push(scope.object_error(&d.overlay, o, &format!("spec.hard.{GPU_QUOTA}"), format!(
                "allows {} GPUs in namespace {}, and its workloads request up to {} at their maximum replicas ({})",
                quantity::cores(allowed),
                o.namespace(),
                quantity::cores(need),
                list.join(", ")
            )));
        }
    }
}

/// The device plugin must run on every GPU node group: its affinity (the
/// chart's default needs `nvidia.com/gpu.present=true` or NFD), node selector and
/// tolerations against each group.
fn device_plugin_placement(scope: &Scope<'_>, r: &Release, out: &mut Vec<Diagnostic>) {
    let spec = plugin_pod_spec(&r.values);
    let nfd = values::flag(&r.values, "nfd.enabled", false)
        || values::flag(&r.values, "gfd.enabled", false);
    for g in gpu_groups(&scope.platform) {
        let default_affinity = values::is_empty(values::get(&r.values, "affinity"));
        let why = if default_affinity
            && !nfd
            && g.labels.get("nvidia.com/gpu.present").map(String::as_str) != Some("true")
        {
            Some("the chart's default affinity requires the label nvidia.com/gpu.present=true (or NFD labels), which its nodes lack".to_string())
        } else {
            let mut s = spec.clone();
            if default_affinity {
                s.affinity = None;
            }
            mismatch(&s, g)
        };
        if let Some(why) = why {
            out.push(scope.block_error(&r.at, "values.affinity", format!(
                "the NVIDIA device plugin ({}) does not run on node group {} ({}): {why}; its GPUs are never advertised",
                release_at(r), g.name, g.at.address
            )));
        }
    }
}

fn gpu_groups(p: &Platform) -> impl Iterator<Item = &NodeGroup> {
    p.node_groups
        .iter()
        .filter(|g| gpus_per_node(g).is_none_or(|n| n > 0))
}

/// The plugin DaemonSet's scheduling fields from the chart values; tolerations
/// default to the chart's (`CriticalAddonsOnly` and `nvidia.com/gpu`, Exists).
fn plugin_pod_spec(v: &Value) -> PodSpec {
    let parse = |path: &str| values::get(v, path).cloned().unwrap_or(Value::Null);
    let tolerations: Option<Vec<Toleration>> = serde_json::from_value(parse("tolerations")).ok();
    let tolerations = tolerations.filter(|t| !t.is_empty()).unwrap_or_else(|| {
        vec![
            Toleration {
                key: Some("CriticalAddonsOnly".into()),
                operator: Some("Exists".into()),
                ..Default::default()
            },
            Toleration {
                key: Some(GPU_RESOURCE.into()),
                operator: Some("Exists".into()),
                effect: Some("NoSchedule".into()),
                ..Default::default()
            },
        ]
    });
    PodSpec {
        affinity: serde_json::from_value::<Affinity>(parse("affinity")).ok(),
        node_selector: serde_json::from_value(parse("nodeSelector")).ok(),
        tolerations: Some(tolerations),
        ..Default::default()
    }
}
