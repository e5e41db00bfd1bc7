//! Rule `k8s/coherence/operator-secrets` (warnings): a Kubernetes Secret that an
//! ExternalSecret copies from a Secrets Manager secret the target creates with no
//! value (no `aws_secretsmanager_secret_version` or rotation of it): an operator
//! must put the value before the manifests are applied, or the ExternalSecret never
//! syncs and the pods reading the Secret do not start.
//!
//! Each warning names the Kubernetes namespace, Secret and keys, the Secrets Manager
//! secret and its properties, and the block creating it; the way to fill it is the
//! secret's description (`aws secretsmanager put-secret-value --secret-id NAME
//! --secret-string '{"property": "..."}'`). Values never go through Terraform (they
//! would be in its state) nor through git.

use std::collections::BTreeMap;

use serde_json::Value;
use terrane_core::{Diagnostic, Severity};

use super::platform::RemoteSecret;
use super::{as_json, Scope};

/// Runs the rule on every overlay: one warning per ExternalSecret and empty secret.
pub(crate) fn check(scope: &Scope<'_>, out: &mut Vec<Diagnostic>) {
    let empty: Vec<&RemoteSecret> = scope
        .platform
        .secrets
        .iter()
        .filter(|s| !s.filled && !s.name.is_empty())
        .collect();
    if empty.is_empty() {
        return;
    }
    for d in scope.deployed {
        for o in d.objects.iter().filter(|o| o.kind() == "ExternalSecret") {
            let json = as_json(o);
            let target = json["spec"]["target"]["name"]
                .as_str()
                .filter(|n| !n.is_empty())
                .unwrap_or(o.name());
            for (remote, (field, keys)) in reads(&json) {
                let Some(secret) = empty.iter().find(|s| s.name == remote) else {
                    continue;
                };
                let mut diag = scope.object_error(
                    &d.overlay,
                    o,
                    &field,
                    format!(
                        "Secret {}/{target} ({}) comes from Secrets Manager secret {remote}, which {} in stack {} creates with no value: put it before applying the manifests (aws secretsmanager put-secret-value --secret-id {remote}; its description lists the properties), or the Secret is never made",
                        o.namespace(),
                        keys.join(", "),
                        secret.at.address,
                        secret.at.stack
                    ),
                );
                diag.severity = Severity::Warning;
                out.push(diag);
            }
        }
    }
}

/// The remote secrets an ExternalSecret reads: for each, the field of its first
/// reference and what it makes (`key auth from property prometheus-htpasswd`, or
/// `every property as a key` for `dataFrom.extract`).
fn reads(json: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    let mut reads: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let spec = &json["spec"];
    for (i, entry) in spec["data"].as_array().into_iter().flatten().enumerate() {
        let Some(key) = entry["remoteRef"]["key"].as_str() else {
            continue;
        };
        let made = match entry["remoteRef"]["property"].as_str() {
            Some(p) => format!(
                "key {} from property {p}",
                entry["secretKey"].as_str().unwrap_or_default()
            ),
            None => format!(
                "key {} from the whole secret",
                entry["secretKey"].as_str().unwrap_or_default()
            ),
        };
        reads
            .entry(key.to_string())
            .or_insert_with(|| (format!("spec.data[{i}].remoteRef.key"), Vec::new()))
            .1
            .push(made);
    }
    for (i, entry) in spec["dataFrom"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(key) = entry["extract"]["key"].as_str() else {
            continue;
        };
        reads
            .entry(key.to_string())
            .or_insert_with(|| (format!("spec.dataFrom[{i}].extract.key"), Vec::new()))
            .1
            .push("every property as a key".into());
    }
    reads
}
