//! What makes a stack plan offline, in a scratch copy of it (the synthesized
//! main.tf.json is never changed): local state instead of the backend,
//! each producer's outputs read from a local placeholder state, fake credentials
//! and closed endpoints for the real aws provider, placeholder values for the
//! variables supplied at apply.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::terraform::run;

use serde_json::{json, Map, Value};

/// The aws services whose endpoints point at a closed local port, so no call can
/// leave the machine.
const AWS_SERVICES: &[&str] = &[
    "acm",
    "appautoscaling",
    "autoscaling",
    "backup",
    "budgets",
    "cloudwatch",
    "ec2",
    "ecr",
    "ecs",
    "eks",
    "elasticache",
    "elb",
    "elbv2",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "rds",
    "route53",
    "s3",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
    "sts",
];
const CLOSED_ENDPOINT: &str = "http://127.0.0.1:9";

/// The file name of the override written beside main.tf.json (terraform merges
/// `*_override.tf.json` files last).
pub const OVERRIDE_FILE: &str = "terrane_override.tf.json";

/// Writes the override file for the stack in `dir`, reading its producers' outputs
/// from `states` (producer stack name -> placeholder state file).
pub fn write_override(
    dir: &Path,
    doc: &Value,
    states: &BTreeMap<String, PathBuf>,
) -> Result<(), String> {
    let mut out = Map::new();
    if doc.pointer("/provider/aws").is_some() {
        out.insert("provider".into(), json!({"aws": aws_overrides(doc)}));
    }
    let remotes = doc
        .pointer("/data/terraform_remote_state")
        .and_then(Value::as_object);
    if let Some(remotes) = remotes {
        let mut data = Map::new();
        for name in remotes.keys() {
            let state = states.get(name).ok_or_else(|| {
                format!("terraform_remote_state.{name}: no stack `{name}` planned before this one")
            })?;
            data.insert(
                name.clone(),
                json!({"backend": "local", "config": {"path": state.display().to_string()}}),
            );
        }
        out.insert("data".into(), json!({"terraform_remote_state": data}));
    }
    let text = serde_json::to_string_pretty(&Value::Object(out)).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(OVERRIDE_FILE), text).map_err(|e| e.to_string())
}

/// Removes the backend from the scratch copy: terraform then keeps local state and
/// needs no `init` for it, which matters because `init` cannot run where a provider
/// comes from `dev_overrides`.
pub fn drop_backend(dir: &Path, doc: &Value) -> Result<(), String> {
    let mut doc = doc.clone();
    if let Some(t) = doc.get_mut("terraform").and_then(Value::as_object_mut) {
        t.remove("backend");
    }
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("main.tf.json"), text).map_err(|e| e.to_string())
}

/// Installs the real providers of a stack that also uses schema-served ones, from a
/// configuration requiring only the real ones; returns the data folder holding them
/// (for TF_DATA_DIR) and copies the lock file, which names only real providers.
pub fn init_real_providers(
    dir: &Path,
    real: &BTreeMap<String, Value>,
    env: &[(String, String)],
) -> Result<PathBuf, String> {
    let init_dir = dir.join(".terrane-init");
    std::fs::create_dir_all(&init_dir).map_err(|e| e.to_string())?;
    let config = json!({"terraform": {"required_providers": real}});
    std::fs::write(init_dir.join("main.tf.json"), config.to_string()).map_err(|e| e.to_string())?;
    run::init(&init_dir, env)?;
    std::fs::copy(
        init_dir.join(".terraform.lock.hcl"),
        dir.join(".terraform.lock.hcl"),
    )
    .map_err(|e| e.to_string())?;
    Ok(init_dir.join(".terraform"))
}

fn aws_overrides(doc: &Value) -> Vec<Value> {
    let blocks = match doc.pointer("/provider/aws") {
        Some(Value::Array(a)) => a.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => vec![json!({})],
    };
    let endpoints: Map<String, Value> = AWS_SERVICES
        .iter()
        .map(|s| (s.to_string(), json!(CLOSED_ENDPOINT)))
        .collect();
    blocks
        .iter()
        .map(|p| {
            let mut o = json!({
                "access_key": "test", "secret_key": "test",
                "skip_credentials_validation": true, "skip_requesting_account_id": true,
                "skip_metadata_api_check": true, "skip_region_validation": true,
                "s3_use_path_style": true, "max_retries": 2, "endpoints": [endpoints],
            });
            if let (Some(alias), Some(obj)) = (p.get("alias"), o.as_object_mut()) {
                obj.insert("alias".into(), alias.clone());
            }
            // data.aws_caller_identity and allowed_account_ids need an account: a
            // loopback STS answers with the one the provider allows.
            let allowed: Vec<String> = p
                .get("allowed_account_ids")
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            // an ephemeral aws_secretsmanager_random_password is opened at plan
            if let (Some(sm), Some(Value::Object(e))) = (
                crate::terraform::sts::secretsmanager_endpoint(),
                o.get_mut("endpoints").and_then(|e| e.get_mut(0)),
            ) {
                e.insert("secretsmanager".into(), json!(sm));
            }
            if let (Some(sts), Some(obj)) =
                (crate::terraform::sts::endpoint(&allowed), o.as_object_mut())
            {
                obj.remove("skip_requesting_account_id");
                if let Some(Value::Object(e)) = obj.get_mut("endpoints").and_then(|e| e.get_mut(0))
                {
                    // the same loopback answers the managed prefix list reads (sts.rs)
                    e.insert("ec2".into(), json!(sts.clone()));
                    e.insert("sts".into(), json!(sts));
                }
            }
            o
        })
        .collect()
}

/// The documented test backend: a state file holding only the stack's outputs, with
/// placeholder values shaped like the real ones, for the stacks that read them.
pub fn write_placeholder_state(doc: &Value, path: &Path) -> Result<(), String> {
    let outputs: Map<String, Value> = doc
        .get("output")
        .and_then(Value::as_object)
        .map(|o| {
            o.keys()
                .map(|n| {
                    (
                        n.clone(),
                        json!({"value": placeholder_output(n), "type": "string"}),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let state = json!({
        "version": 4, "terraform_version": "1.11.4", "serial": 1,
        "lineage": "terrane-placeholder", "outputs": outputs, "resources": [],
        "check_results": null,
    });
    std::fs::write(path, state.to_string()).map_err(|e| e.to_string())
}

/// A value shaped like what an output of this name holds.
pub fn placeholder_output(name: &str) -> &'static str {
    let ends = |s: &str| name.ends_with(s);
    if ends("arn_suffix") {
        "app/plan-fake/0123456789abcdef"
    } else if ends("arn") {
        "arn:aws:iam::123456789012:role/plan-fake"
    } else if ends("issuer") {
        "https://oidc.eks.us-east-1.amazonaws.com/id/PLANFAKE0123456789"
    } else if ends("endpoint") || ends("url") || ends("uri") {
        "https://plan-fake.example.com"
    } else if name.contains("cidr") || name.contains("ip_range") {
        "10.0.0.0/16"
    } else if ends("security_group_id") {
        "sg-0123456789abcdef0"
    } else if name.starts_with("aws_subnet") && ends("_id") {
        "subnet-0123456789abcdef0"
    } else if name.starts_with("aws_vpc") && ends("_id") {
        "vpc-0123456789abcdef0"
    } else if ends("certificate_authority_0_data") {
        "cGxhbi1mYWtl"
    } else if ends("email") {
        "plan-fake@example.com"
    } else {
        "plan-fake"
    }
}

/// `TF_VAR_<name>` placeholders for the variables with no default and no value in
/// terraform.tfvars.json (the secrets supplied at apply).
pub fn unset_variables(dir: &Path, doc: &Value) -> Vec<(String, String)> {
    let given: Map<String, Value> = std::fs::read_to_string(dir.join("terraform.tfvars.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    doc.get("variable")
        .and_then(Value::as_object)
        .map(|vars| {
            vars.iter()
                .filter(|(n, v)| v.get("default").is_none() && !given.contains_key(*n))
                .map(|(n, _)| {
                    (
                        format!("TF_VAR_{n}"),
                        "ci-placeholder-0123456789abcdef".to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
