//! Rule `k8s/coherence/dns`: the public hosts of the target's Ingresses get DNS
//! records only when an external-dns release of the target watches Ingresses and
//! its domain filter covers them.
//!
//! external-dns (chart `external-dns`) reads the hosts of an Ingress from
//! `spec.rules[].host`, `spec.tls[].hosts` and the comma-separated
//! `external-dns.alpha.kubernetes.io/hostname` annotation, and manages only the
//! names under one of its `domainFilters` (none: every name); its `sources` value
//! (chart default `[service, ingress]`) says which kinds it watches
//! (<https://github.com/kubernetes-sigs/external-dns/blob/external-dns-helm-chart-1.21.1/charts/external-dns/values.yaml>).
//! `--ingress-class` arguments limit it to Ingresses of those classes.
//! Warnings, not errors: the records may be made by hand or by another cluster.
//! Checked: every Ingress an external-dns release of the target watches (each host
//! inside a domain filter), and every Ingress with the hostname annotation (some
//! release watches it).

use serde_json::Value;
use terrane_core::{Diagnostic, Severity};

use super::platform::Release;
use super::{as_json, values, Scope};

use crate::constructs::DNS_HOSTNAME_ANNOTATION as HOSTNAME_ANNOTATION;

/// Runs the rule on every overlay.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    let releases: Vec<&Release> = scope.platform.releases_of("external-dns").collect();
    for d in scope.deployed {
        for o in d.objects.iter().filter(|o| o.kind() == "Ingress") {
            let json = as_json(o);
            let annotated = json["metadata"]["annotations"][HOSTNAME_ANNOTATION].is_string();
            let class = json["spec"]["ingressClassName"]
                .as_str()
                .unwrap_or_default();
            let watching: Vec<&Release> = releases
                .iter()
                .copied()
                .filter(|r| watches(&r.values, class))
                .collect();
            let mut warn = |field: &str, message: String| {
                let mut diag = scope.object_error(&d.overlay, o, field, message);
                diag.severity = Severity::Warning;
                out.push(diag);
            };
            if watching.is_empty() {
                if annotated {
                    warn(
                        &format!("metadata.annotations.{HOSTNAME_ANNOTATION}"),
                        no_watcher_message(&releases, class),
                    );
                }
                continue;
            }
            for host in hosts(&json) {
                if !watching.iter().any(|r| covers(&r.values, &host)) {
                    warn("spec", outside_filters_message(&host, &watching));
                }
            }
        }
    }
}

fn no_watcher_message(releases: &[&Release], class: &str) -> String {
    let asks = "the Ingress asks for DNS records";
    match releases.first() {
        None => format!("{asks}, and the target installs no external-dns release: no record is made"),
        Some(r) => format!(
            "{asks}, and no external-dns release of the target watches it ({} in stack {} has no `ingress` in its sources or filters out ingress class `{class}`): no record is made",
            r.at.address, r.at.stack
        ),
    }
}

fn outside_filters_message(host: &str, watching: &[&Release]) -> String {
    let filters: Vec<String> = watching
        .iter()
        .map(|r| {
            format!(
                "{} in stack {}: {}",
                r.at.address,
                r.at.stack,
                domain_filters(&r.values).join(", ")
            )
        })
        .collect();
    format!(
        "host {host} is outside every external-dns domain filter of the target ({}): no record is made for it",
        filters.join("; ")
    )
}

/// The release watches Ingresses of class `class`: its `sources` (default
/// `[service, ingress]`) include `ingress`, and its `--ingress-class` arguments
/// (none: every class) name `class`.
fn watches(v: &Value, class: &str) -> bool {
    let ingress_source = match values::get(v, "sources").and_then(Value::as_array) {
        Some(sources) => sources.iter().any(|s| s.as_str() == Some("ingress")),
        None => true,
    };
    let classes = ingress_class_filter(v);
    ingress_source && (classes.is_empty() || classes.iter().any(|c| c == class))
}

/// The `--ingress-class` arguments of `extraArgs`, in its map form (`ingress-class:
/// alb` or a list) or its list form (`--ingress-class=alb`).
fn ingress_class_filter(v: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(l) => l
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            _ => Vec::new(),
        }
    };
    match values::get(v, "extraArgs") {
        Some(Value::Object(map)) => map.get("ingress-class").map(strings).unwrap_or_default(),
        Some(Value::Array(args)) => args
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|a| a.strip_prefix("--ingress-class="))
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

fn domain_filters(v: &Value) -> Vec<String> {
    values::get(v, "domainFilters")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim_end_matches('.').to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// external-dns's domain filter: a name matches a filter when it is the filter's
/// domain or under it; no filter matches everything.
fn covers(v: &Value, host: &str) -> bool {
    let filters = domain_filters(v);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| host == *f || host.ends_with(&format!(".{f}")))
}

/// Every host of the Ingress: rules, TLS hosts and the hostname annotation, in
/// that order, each once.
fn hosts(json: &Value) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    let mut add = |h: &str| {
        let h = h.trim();
        if !h.is_empty() && !hosts.iter().any(|x| x == h) {
            hosts.push(h.to_string());
        }
    };
    for rule in json["spec"]["rules"].as_array().into_iter().flatten() {
        if let Some(h) = rule["host"].as_str() {
            add(h);
        }
    }
    for tls in json["spec"]["tls"].as_array().into_iter().flatten() {
        for h in tls["hosts"].as_array().into_iter().flatten() {
            if let Some(h) = h.as_str() {
                add(h);
            }
        }
    }
    if let Some(list) = json["metadata"]["annotations"][HOSTNAME_ANNOTATION].as_str() {
        for h in list.split(',') {
            add(h);
        }
    }
    hosts
}
