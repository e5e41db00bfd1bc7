//! Rule `k8s/coherence/metrics`: an HPA's metrics need an API serving them in
//! the target: Resource metrics a metrics server (`metrics.k8s.io`), Pods and
//! Object metrics a custom metrics adapter, External metrics an adapter serving
//! that metric name.
//!
//! Chart facts (docs/facts/charts.toml): metrics-server 3.13.1 registers
//! `v1beta1.metrics.k8s.io` unless `apiService.create` is false; prometheus-adapter
//! 5.3.0 registers custom metrics while `rules.default` is true or `rules.custom`
//! is set, external metrics only when `rules.external` is non-empty, resource
//! metrics only when `rules.resource` is set, and queries
//! `http://prometheus.default.svc` unless `prometheus.url` is set
//! (<https://github.com/prometheus-community/helm-charts/blob/prometheus-adapter-5.3.0/charts/prometheus-adapter/values.yaml>);
//! KEDA 2.20.2 registers `v1beta1.external.metrics.k8s.io`.

use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use serde_json::Value;
use terrane_core::Diagnostic;

use super::crd::release_at;
use super::platform::Platform;
use super::{values, Scope};
use crate::object::Object;

/// The prometheus-adapter chart's default Prometheus address.
const ADAPTER_DEFAULT_URL: &str = "http://prometheus.default.svc";

/// Runs the rule on every overlay, then on the adapters' Prometheus address.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    for d in scope.deployed {
        for o in &d.objects {
            if let Object::HorizontalPodAutoscaler(h) = o {
                for (field, message) in hpa(&scope.platform, h) {
                    out.push(scope.object_error(&d.overlay, o, &field, message));
                }
            }
        }
    }
    let prometheus = scope
        .platform
        .releases_of("kube-prometheus-stack")
        .next()
        .map(|k| {
            format!(
                "http://{}-prometheus.{}.svc",
                kps_fullname(&k.name),
                k.namespace
            )
        })
        .unwrap_or_else(|| "the target's Prometheus service".into());
    for r in scope.platform.releases_of("prometheus-adapter") {
        let url = values::text(&r.values, "prometheus.url").unwrap_or(ADAPTER_DEFAULT_URL);
        if url.trim_end_matches('/') == ADAPTER_DEFAULT_URL {
            out.push(scope.block_error(
                &r.at,
                "values.prometheus.url",
                format!("prometheus-adapter queries {ADAPTER_DEFAULT_URL}:9090, the chart's default, where the target runs no Prometheus: set prometheus.url to {prometheus}"),
            ));
        }
    }
}

/// kube-prometheus-stack's `fullname`: the release name when it contains the
/// chart name, else `<release>-kube-prometheus-stack`, cut to 26 characters
/// (templates/_helpers.tpl), which prefixes its Prometheus Service.
fn kps_fullname(release: &str) -> String {
    let full = if release.contains("kube-prometheus-stack") {
        release.to_string()
    } else {
        format!("{release}-kube-prometheus-stack")
    };
    full.chars()
        .take(26)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Problems of one HPA: (field, message).
fn hpa(p: &Platform, h: &HorizontalPodAutoscaler) -> Vec<(String, String)> {
    let Some(spec) = h.spec.as_ref() else {
        return Vec::new();
    };
    let metrics = spec.metrics.as_deref().unwrap_or_default();
    if metrics.is_empty() {
        // With no metrics the HPA scales on 80% CPU: a Resource metric.
        return resource_server(p)
            .err()
            .map(|m| vec![("spec.metrics".to_string(), m)])
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    for (i, m) in metrics.iter().enumerate() {
        let problem = match m.type_.as_str() {
            "Resource" | "ContainerResource" => resource_server(p).err(),
            "Pods" | "Object" => custom_adapter(p).err(),
            "External" => {
                let name = m
                    .external
                    .as_ref()
                    .map(|e| e.metric.name.as_str())
                    .unwrap_or_default();
                external_adapter(p, name).err()
            }
            _ => None,
        };
        // Two metrics of one type have one problem: report it at the first.
        if let Some(message) = problem.filter(|m| !out.iter().any(|(_, seen)| seen == m)) {
            out.push((format!("spec.metrics[{i}].type"), message));
        }
    }
    out
}

fn resource_server(p: &Platform) -> Result<(), String> {
    let server = p
        .releases_of("metrics-server")
        .any(|r| values::flag(&r.values, "apiService.create", true))
        || p.addon("metrics-server").is_some()
        || p.releases_of("prometheus-adapter")
            .any(|r| !values::is_empty(values::get(&r.values, "rules.resource")));
    if server {
        Ok(())
    } else {
        Err("Resource metrics come from the metrics.k8s.io API, and the target installs no metrics server (metrics-server release or EKS add-on): the HPA never scales".into())
    }
}

fn custom_adapter(p: &Platform) -> Result<(), String> {
    let adapter = p.releases_of("prometheus-adapter").any(|r| {
        values::flag(&r.values, "rules.default", true)
            || !values::is_empty(values::get(&r.values, "rules.custom"))
    });
    if adapter {
        Ok(())
    } else {
        Err("Pods and Object metrics come from the custom.metrics.k8s.io API, and the target installs no adapter serving it (prometheus-adapter): the HPA never scales".into())
    }
}

fn external_adapter(p: &Platform, metric: &str) -> Result<(), String> {
    if p.releases_of("keda").next().is_some() {
        return Ok(());
    }
    let adapters: Vec<_> = p.releases_of("prometheus-adapter").collect();
    let mut served_elsewhere = Vec::new();
    for r in &adapters {
        let rules = values::get(&r.values, "rules.external").and_then(Value::as_array);
        let names: Vec<Option<String>> = rules.into_iter().flatten().map(served_name).collect();
        if names
            .iter()
            .any(|n| n.as_deref().is_none_or(|n| n == metric))
        {
            return Ok(());
        }
        let listed: Vec<String> = names.into_iter().flatten().collect();
        served_elsewhere.push(if listed.is_empty() {
            format!("{} has no rules.external", release_at(r))
        } else {
            format!("{} serves only {}", release_at(r), listed.join(", "))
        });
    }
    if adapters.is_empty() {
        Err(format!("External metric {metric} comes from the external.metrics.k8s.io API, and the target installs no adapter serving it (prometheus-adapter with rules.external, or KEDA): the HPA never scales"))
    } else {
        Err(format!(
            "no adapter of the target serves External metric {metric}: {}",
            served_elsewhere.join("; ")
        ))
    }
}

/// The metric name one prometheus-adapter rule serves: `name.as` when literal,
/// else the series name of `seriesQuery`; `None` when a regex decides it.
fn served_name(rule: &Value) -> Option<String> {
    let named = rule.get("name");
    if let Some(s) = named.and_then(|n| n.get("as")).and_then(Value::as_str) {
        return (!s.contains('$')).then(|| s.to_string());
    }
    if named.and_then(|n| n.get("matches")).is_some() {
        return None;
    }
    let query = rule.get("seriesQuery").and_then(Value::as_str)?;
    let name: String = query
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    (!name.is_empty()).then_some(name)
}
