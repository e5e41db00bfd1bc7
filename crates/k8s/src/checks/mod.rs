//! Domain checks run at render, on the objects each overlay really deploys.
//! Every problem is a terrane-core `Diagnostic`: target, stack `k8s/<overlay>`, address
//! `<namespace>/<Kind>/<name>` and field.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Container, PodTemplateSpec};
use k8s_openapi::api::networking::v1::NetworkPolicyPeer;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use terrane_core::{Diagnostic, TerraformOutput};

use crate::bridge::{env_key, BridgeUse};
use crate::fileset::K8S_DIR;
use crate::labels;
use crate::manifests::ExternalService;
use crate::object::Object;

struct Ctx<'a> {
    target: &'a str,
    overlay: &'a str,
    out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn report(&mut self, o: &Object, field: impl Into<String>, message: impl Into<String>) {
        self.out.push(
            located(
                message,
                self.target,
                self.overlay,
                &object_address(o.namespace(), o.kind(), o.name()),
            )
            .field(field),
        );
    }
}

/// Where a Kubernetes object is, in diagnostics: `<namespace>/<Kind>/<name>`, or
/// `<Kind>/<name>` for a cluster-scoped object (the form `kubectl` users read).
pub(crate) fn object_address(namespace: &str, kind: &str, name: &str) -> String {
    if namespace.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{namespace}/{kind}/{name}")
    }
}

/// A diagnostic of `target` about `address` in `overlay`, whose stack is
/// `k8s/<overlay>` (`k8s/base` for the base and the Terraform bridge).
pub(crate) fn located(
    message: impl Into<String>,
    target: &str,
    overlay: &str,
    address: &str,
) -> Diagnostic {
    Diagnostic::new(message)
        .target(target)
        .stack(format!("{K8S_DIR}/{overlay}"))
        .address(address)
}

/// Runs every object check on `objects`, the effective objects of `overlay`.
pub(crate) fn run(
    target: &str,
    overlay: &str,
    objects: &[Object],
    external: &[ExternalService],
) -> Vec<Diagnostic> {
    let mut cx = Ctx {
        target,
        overlay,
        out: Vec::new(),
    };
    for o in objects {
        match o {
            Object::HorizontalPodAutoscaler(_) => hpa_range(&mut cx, o),
            Object::PodDisruptionBudget(_) => pdb_blocks_evictions(&mut cx, o, objects),
            Object::Service(_) => service_selector(&mut cx, o, objects),
            Object::Ingress(_) => ingress_backends(&mut cx, o, objects, external),
            Object::NetworkPolicy(_) => network_policy_apps(&mut cx, o, objects),
            Object::ConfigMap(_) => config_map_secrets(&mut cx, o),
            _ => {}
        }
        if let Some((path, template)) = o.pod_template() {
            containers(&mut cx, o, path, template);
        }
    }
    cx.out
}

/// Checks the Terraform bridge: each value resolved to an output, each use targets an
/// existing object, and each output is declared when the declared outputs are known.
pub(crate) fn bridge(
    target: &str,
    objects: &[Object],
    uses: &[BridgeUse],
    resolved: &[Result<TerraformOutput, String>],
    declared: Option<&BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (u, r) in uses.iter().zip(resolved) {
        let address = object_address(&u.namespace, &u.kind, &u.name);
        let d = |message: String| {
            located(message, target, "base", &address).field(u.field_path.clone())
        };
        let o = match r {
            Ok(o) => o,
            Err(e) => {
                out.push(d(format!("cannot read this value from Terraform: {e}")));
                continue;
            }
        };
        if !objects
            .iter()
            .any(|o| o.kind() == u.kind && o.name() == u.name && o.namespace() == u.namespace)
        {
            out.push(d(format!(
                "Terraform output {} is written into an object that does not exist",
                env_key(o)
            )));
        }
        // Values given as expressions are exported by the core and always exist; only
        // outputs named by hand can be missing.
        let named = matches!(u.value, crate::bridge::TfValue::Output(_));
        if let (true, Some(declared)) = (named, declared) {
            if !declared.contains(&env_key(o)) {
                out.push(d(format!(
                    "Terraform output {} of stack {} is not declared, so it would have no value at deploy time",
                    o.output, o.stack
                )));
            }
        }
    }
    out
}

fn hpa_range(cx: &mut Ctx<'_>, o: &Object) {
    let Object::HorizontalPodAutoscaler(h) = o else {
        return;
    };
    let Some(spec) = &h.spec else { return };
    let min = spec.min_replicas.unwrap_or(1);
    if min > spec.max_replicas {
        cx.report(
            o,
            "spec.minReplicas",
            format!(
                "minReplicas {min} is greater than maxReplicas {}",
                spec.max_replicas
            ),
        );
    }
}

fn matches(selector: &BTreeMap<String, String>, template: &PodTemplateSpec) -> bool {
    let labels = template.metadata.as_ref().and_then(|m| m.labels.as_ref());
    !selector.is_empty()
        && selector
            .iter()
            .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// The fewest replicas a workload runs: its HPA's minimum, or its `replicas`.
fn min_replicas(workload: &Object, objects: &[Object]) -> i32 {
    let hpa_min = objects.iter().find_map(|o| match o {
        Object::HorizontalPodAutoscaler(h) if o.namespace() == workload.namespace() => h
            .spec
            .as_ref()
            .filter(|s| {
                s.scale_target_ref.kind == workload.kind()
                    && s.scale_target_ref.name == workload.name()
            })
            .map(|s| s.min_replicas.unwrap_or(1)),
        _ => None,
    });
    hpa_min.unwrap_or(match workload {
        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        Object::StatefulSet(s) => s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
        _ => 1,
    })
}

fn pdb_blocks_evictions(cx: &mut Ctx<'_>, o: &Object, objects: &[Object]) {
    let Object::PodDisruptionBudget(p) = o else {
        return;
    };
    let Some(spec) = &p.spec else { return };
    let Some(min_available) = &spec.min_available else {
        return;
    };
    let selector = spec
        .selector
        .as_ref()
        .and_then(|s| s.match_labels.clone())
        .unwrap_or_default();
    for w in objects {
        if w.namespace() != o.namespace()
            || !matches!(w, Object::Deployment(_) | Object::StatefulSet(_))
        {
            continue;
        }
        let Some((_, template)) = w.pod_template() else {
            continue;
        };
        if !matches(&selector, template) {
            continue;
        }
        let replicas = min_replicas(w, objects);
        let blocks = match min_available {
            IntOrString::Int(n) => *n >= replicas,
            IntOrString::String(s) => s.trim() == "100%",
        };
        if blocks {
            let shown = match min_available {
                IntOrString::Int(n) => n.to_string(),
                IntOrString::String(s) => s.clone(),
            };
            cx.report(
                o,
                "spec.minAvailable",
                format!("minAvailable {shown} is not below the {replicas} replica(s) of {}, so no pod can ever be evicted", w.display_name()),
            );
        }
    }
}

fn containers(cx: &mut Ctx<'_>, o: &Object, path: &str, template: &PodTemplateSpec) {
    let Some(spec) = &template.spec else { return };
    let pod_sc = spec.security_context.as_ref();
    let all: Vec<(&str, &Container)> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| ("initContainers", c))
        .chain(spec.containers.iter().map(|c| ("containers", c)))
        .collect();
    for (list, c) in all {
        let at = format!("{path}.spec.{list}[{}]", c.name);
        let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        let missing: Vec<&str> = ["cpu", "memory"]
            .into_iter()
            .filter(|k| !limits.is_some_and(|l| l.contains_key(*k)))
            .collect();
        if !missing.is_empty() {
            cx.report(
                o,
                format!("{at}.resources.limits"),
                format!("container {} has no {} limit", c.name, missing.join(" or ")),
            );
        }
        let sc = c.security_context.as_ref();
        let non_root = sc
            .and_then(|s| s.run_as_non_root)
            .or(pod_sc.and_then(|s| s.run_as_non_root));
        let user = sc
            .and_then(|s| s.run_as_user)
            .or(pod_sc.and_then(|s| s.run_as_user));
        if user == Some(0) || non_root != Some(true) {
            cx.report(
                o,
                format!("{at}.securityContext.runAsNonRoot"),
                format!(
                    "container {} may run as root; set runAsNonRoot: true and a non-zero runAsUser",
                    c.name
                ),
            );
        }
        for e in c.env.iter().flatten() {
            if let Some(v) = &e.value {
                if looks_secret(&e.name, v) {
                    cx.report(
                        o,
                        format!("{at}.env[{}].value", e.name),
                        format!("literal secret value in env {}; read it from a Secret written by an ExternalSecret", e.name),
                    );
                }
            }
        }
    }
}

fn service_selector(cx: &mut Ctx<'_>, o: &Object, objects: &[Object]) {
    let Object::Service(s) = o else { return };
    let Some(selector) = s.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return;
    };
    if selector.is_empty() {
        return;
    }
    let found = objects
        .iter()
        .filter(|w| w.namespace() == o.namespace())
        .filter_map(Object::pod_template)
        .any(|(_, t)| matches(selector, t));
    if !found {
        let shown: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        cx.report(
            o,
            "spec.selector",
            format!(
                "selector {} matches no pod template in namespace {}",
                shown.join(","),
                o.namespace()
            ),
        );
    }
}

fn ingress_backends(
    cx: &mut Ctx<'_>,
    o: &Object,
    objects: &[Object],
    external: &[ExternalService],
) {
    let Object::Ingress(i) = o else { return };
    let Some(spec) = &i.spec else { return };
    for (ri, rule) in spec.rules.iter().flatten().enumerate() {
        let Some(http) = &rule.http else { continue };
        for (pi, path) in http.paths.iter().enumerate() {
            let Some(backend) = &path.backend.service else {
                continue;
            };
            let at = format!("spec.rules[{ri}].http.paths[{pi}].backend.service");
            let declared = external
                .iter()
                .find(|e| e.namespace == o.namespace() && e.name == backend.name);
            if let Some(e) = declared {
                let port = backend.port.as_ref().and_then(|p| p.name.as_deref());
                if port.is_some_and(|p| p != e.port) {
                    cx.report(
                        o,
                        format!("{at}.port"),
                        format!(
                            "Service {} (created by a Helm release) is declared with port {}, not {}",
                            backend.name,
                            e.port,
                            port.unwrap_or_default()
                        ),
                    );
                }
                continue;
            }
            let service = objects.iter().find_map(|s| match s {
                Object::Service(svc)
                    if s.namespace() == o.namespace() && s.name() == backend.name =>
                {
                    Some(svc)
                }
                _ => None,
            });
            let Some(service) = service else {
                cx.report(
                    o,
                    format!("{at}.name"),
                    format!(
                        "no Service named {} in namespace {}",
                        backend.name,
                        o.namespace()
                    ),
                );
                continue;
            };
            let ports = service.spec.as_ref().and_then(|s| s.ports.as_ref());
            let Some(port) = &backend.port else { continue };
            let ok = ports.is_some_and(|ps| {
                ps.iter().any(|p| match (&port.name, port.number) {
                    (Some(n), _) => p.name.as_deref() == Some(n.as_str()),
                    (None, Some(num)) => p.port == num,
                    (None, None) => true,
                })
            });
            if !ok {
                let shown = port
                    .name
                    .clone()
                    .or(port.number.map(|n| n.to_string()))
                    .unwrap_or_default();
                cx.report(
                    o,
                    format!("{at}.port"),
                    format!("Service {} has no port {shown}", backend.name),
                );
            }
        }
    }
}

fn network_policy_apps(cx: &mut Ctx<'_>, o: &Object, objects: &[Object]) {
    let Object::NetworkPolicy(np) = o else { return };
    let Some(spec) = &np.spec else { return };
    let mut peers: Vec<(String, &NetworkPolicyPeer)> = Vec::new();
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        for (j, p) in rule.from.iter().flatten().enumerate() {
            peers.push((format!("spec.ingress[{i}].from[{j}].podSelector"), p));
        }
    }
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        for (j, p) in rule.to.iter().flatten().enumerate() {
            peers.push((format!("spec.egress[{i}].to[{j}].podSelector"), p));
        }
    }
    for (field, peer) in peers {
        // Peers in other namespaces (ingress controller, Prometheus) are not ours to check.
        if peer.namespace_selector.is_some() {
            continue;
        }
        let Some(app) = peer
            .pod_selector
            .as_ref()
            .and_then(|s| s.match_labels.as_ref())
            .and_then(|l| l.get(labels::NAME))
        else {
            continue;
        };
        let exists = objects
            .iter()
            .filter(|w| w.namespace() == o.namespace())
            .filter_map(Object::pod_template)
            .any(|(_, t)| {
                t.metadata
                    .as_ref()
                    .and_then(|m| m.labels.as_ref())
                    .and_then(|l| l.get(labels::NAME))
                    == Some(app)
            });
        if !exists {
            cx.report(
                o,
                field,
                format!(
                    "allows app {app}, but no pod template in namespace {} is labelled {}={app}",
                    o.namespace(),
                    labels::NAME
                ),
            );
        }
    }
}

fn config_map_secrets(cx: &mut Ctx<'_>, o: &Object) {
    let Object::ConfigMap(c) = o else { return };
    for (k, v) in c.data.iter().flatten() {
        if looks_secret(k, v) {
            cx.report(
                o,
                format!("data.{k}"),
                format!("literal secret value in key {k}; use an ExternalSecret"),
            );
        }
    }
}

/// A non-empty value under a secret-sounding name, or a value shaped like a credential.
pub(crate) fn looks_secret(name: &str, value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    let n = name.to_ascii_lowercase().replace('-', "_");
    let secret_name = [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "credential",
        "access_key",
    ]
    .iter()
    .any(|w| n.contains(w));
    let secret_shape = (value.starts_with("AKIA") && value.len() == 20)
        || value.contains("PRIVATE KEY-----")
        || ["xoxb-", "xoxp-", "ghp_", "sk_live_", "glpat-"]
            .iter()
            .any(|p| value.starts_with(p))
        || url_with_password(value);
    secret_name || secret_shape
}

fn url_with_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    authority
        .split_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests;
