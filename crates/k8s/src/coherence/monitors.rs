//! Rule `k8s/coherence/monitors`: every ServiceMonitor, PodMonitor,
//! PrometheusRule, Probe and ScrapeConfig is selected by a Prometheus of the
//! target, comparing its labels and namespace with the selectors the
//! kube-prometheus-stack release's values render.
//!
//! Chart behaviour (docs/facts/charts.toml, `prometheus_selection`, read in
//! <https://github.com/prometheus-community/helm-charts/blob/kube-prometheus-stack-88.5.3/charts/kube-prometheus-stack/templates/prometheus/prometheus.yaml>):
//! a non-empty `prometheus.prometheusSpec.<x>Selector` is used as given; else with
//! `<x>SelectorNilUsesHelmValues` (default true) the selector is
//! `release: <release name>`; else everything. An empty namespace selector means
//! every namespace.
//!
//! The ServiceMonitors charts render from their values (the releases of
//! [`CHART_MONITORS`], when enabled) are checked the same way, with the labels and
//! namespace their values give them (docs/facts/charts.toml).

use std::collections::BTreeMap;

use serde_json::Value;
use terrane_core::Diagnostic;

use super::crd::release_at;
use super::platform::Release;
use super::{values, Deployed, Scope};
use crate::object::Object;

/// The monitoring kinds and the prefix of their selector values.
const KINDS: &[(&str, &str)] = &[
    ("ServiceMonitor", "serviceMonitor"),
    ("PodMonitor", "podMonitor"),
    ("PrometheusRule", "rule"),
    ("Probe", "probe"),
    ("ScrapeConfig", "scrapeConfig"),
];

const SPEC: &str = "prometheus.prometheusSpec";

/// A chart that renders a ServiceMonitor from its values: the value switching it on,
/// the one holding its labels, and the one holding its namespace (else the release's).
struct ChartMonitor {
    chart: &'static str,
    enabled: &'static str,
    labels: &'static str,
    namespace: Option<&'static str>,
}

/// The charts whose ServiceMonitor the rule checks (templates/servicemonitor.yaml
/// of each chart version in docs/facts/charts.toml).
const CHART_MONITORS: &[ChartMonitor] = &[
    ChartMonitor {
        chart: "prometheus-cloudwatch-exporter",
        enabled: "serviceMonitor.enabled",
        labels: "serviceMonitor.labels",
        namespace: Some("serviceMonitor.namespace"),
    },
    ChartMonitor {
        chart: "external-dns",
        enabled: "serviceMonitor.enabled",
        labels: "serviceMonitor.additionalLabels",
        namespace: Some("serviceMonitor.namespace"),
    },
];

/// Runs the rule on every overlay.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    let prometheuses: Vec<&Release> = scope
        .platform
        .releases_of("kube-prometheus-stack")
        .filter(|r| values::flag(&r.values, "prometheus.enabled", true))
        .collect();
    for d in scope.deployed {
        for o in &d.objects {
            let Some((_, prefix)) = KINDS
                .iter()
                .find(|(k, _)| *k == o.kind() && o.group() == "monitoring.coreos.com")
            else {
                continue;
            };
            monitor(scope, d, o, prefix, &prometheuses, out);
        }
    }
    let objects: &[Object] = scope.deployed.first().map_or(&[], |d| &d.objects);
    for m in CHART_MONITORS {
        for r in scope.platform.releases_of(m.chart) {
            if !values::flag(&r.values, m.enabled, false) {
                continue;
            }
            let labels = string_map(values::get(&r.values, m.labels));
            let namespace = m
                .namespace
                .and_then(|path| values::get(&r.values, path))
                .and_then(Value::as_str)
                .unwrap_or(&r.namespace);
            let selected = unselected(
                "ServiceMonitor",
                "serviceMonitor",
                &labels,
                &namespace_labels(objects, namespace),
                &prometheuses,
            );
            if let Err(why) = selected {
                out.push(scope.block_error(
                    &r.at,
                    &format!("values.{}", m.labels),
                    format!("the chart's ServiceMonitor: {why}"),
                ));
            }
        }
    }
}

/// A JSON object of strings as a label map (anything else: no labels).
fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
        .collect()
}

fn monitor(
    scope: &Scope<'_>,
    d: &Deployed,
    o: &Object,
    prefix: &str,
    prometheuses: &[&Release],
    out: &mut Vec<Diagnostic>,
) {
    let labels = o.metadata().labels.clone().unwrap_or_default();
    let namespace_labels = namespace_labels(&d.objects, o.namespace());
    if let Err(why) = unselected(o.kind(), prefix, &labels, &namespace_labels, prometheuses) {
        out.push(scope.object_error(&d.overlay, o, "metadata.labels", why));
    }
}

/// Ok when a Prometheus of `prometheuses` selects a `kind` with `labels` in a
/// namespace with `namespace_labels`; else why none does.
fn unselected(
    kind: &str,
    prefix: &str,
    labels: &BTreeMap<String, String>,
    namespace_labels: &BTreeMap<String, String>,
    prometheuses: &[&Release],
) -> Result<(), String> {
    if prometheuses.is_empty() {
        return Err(format!("no Prometheus of the target selects this {kind}: no kube-prometheus-stack release installs one"));
    }
    let namespace = namespace_labels
        .get("kubernetes.io/metadata.name")
        .cloned()
        .unwrap_or_default();
    let mut why = Vec::new();
    for r in prometheuses {
        let (selector, source) = selector(r, prefix);
        let ns_selector = values::get(&r.values, &format!("{SPEC}.{prefix}NamespaceSelector"));
        if !matches(&selector, labels) {
            why.push(format!(
                "{} selects {kind}s with labels {} ({source})",
                release_at(r),
                describe(&selector)
            ));
        } else if !values::is_empty(ns_selector)
            && !ns_selector.is_some_and(|s| matches(s, namespace_labels))
        {
            why.push(format!(
                "{} selects {kind}s in namespaces with labels {}, and namespace {namespace} has none of them",
                release_at(r),
                ns_selector.map(describe).unwrap_or_default(),
            ));
        } else {
            return Ok(());
        }
    }
    Err(format!(
        "no Prometheus of the target selects this {kind}: {}",
        why.join("; ")
    ))
}

/// The selector the release's Prometheus uses for one kind, and where it comes from.
fn selector(r: &Release, prefix: &str) -> (Value, String) {
    let path = format!("{SPEC}.{prefix}Selector");
    let given = values::get(&r.values, &path);
    if !values::is_empty(given) {
        return (given.cloned().unwrap_or(Value::Null), path);
    }
    let nil_uses_helm = format!("{prefix}SelectorNilUsesHelmValues");
    if values::flag(&r.values, &format!("{SPEC}.{nil_uses_helm}"), true) {
        let s = serde_json::json!({ "matchLabels": { "release": r.name } });
        (
            s,
            format!("{SPEC}.{prefix}Selector is empty and {nil_uses_helm} is true"),
        )
    } else {
        (Value::Object(Default::default()), path)
    }
}

/// The labels of namespace `ns` as the manifests define them, plus the one
/// Kubernetes sets on every namespace.
fn namespace_labels(objects: &[Object], ns: &str) -> BTreeMap<String, String> {
    let mut labels = objects
        .iter()
        .find(|o| o.kind() == "Namespace" && o.name() == ns)
        .and_then(|o| o.metadata().labels.clone())
        .unwrap_or_default();
    labels.insert("kubernetes.io/metadata.name".into(), ns.to_string());
    labels
}

/// Whether a LabelSelector (as JSON) selects `labels`; an empty one selects all.
pub(crate) fn matches(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let match_labels = selector.get("matchLabels").and_then(Value::as_object);
    let labels_ok = match_labels.into_iter().flatten().all(|(k, v)| {
        v.as_str()
            .is_some_and(|v| labels.get(k).map(String::as_str) == Some(v))
    });
    let expressions = selector.get("matchExpressions").and_then(Value::as_array);
    labels_ok
        && expressions.into_iter().flatten().all(|e| {
            let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let have = labels.get(key).map(String::as_str);
            match e
                .get("operator")
                .and_then(Value::as_str)
                .unwrap_or_default()
            {
                "In" => have.is_some_and(|h| values.contains(&h)),
                "NotIn" => !have.is_some_and(|h| values.contains(&h)),
                "Exists" => have.is_some(),
                "DoesNotExist" => have.is_none(),
                _ => false,
            }
        })
}

/// A selector for messages: `release=kube-prometheus-stack, tier In (a, b)`.
fn describe(selector: &Value) -> String {
    let mut parts: Vec<String> = selector
        .get("matchLabels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    for e in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let s = |k: &str| {
            e.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let vals: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        parts.push(format!(
            "{} {} ({})",
            s("key"),
            s("operator"),
            vals.join(", ")
        ));
    }
    parts.join(", ")
}
