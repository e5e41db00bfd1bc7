//! No secret in state: every target's Terraform output is walked for arguments
//! whose value Terraform would store in state and which carry a secret (a
//! `random_password` resource, `secret_data`, `secret_string`, a database or
//! user `password`, an `auth_token`). Write-only arguments (`*_wo`) and
//! provider-managed credentials (or IAM authentication, no password at all) are
//! the ways out. Any secret in state of any target fails the test.

use std::collections::BTreeSet;

use serde_json::Value;

/// Arguments that hold a secret wherever they appear in a resource.
const SECRET_ARGUMENTS: &[&str] = &[
    "password",
    "master_password",
    "secret_data",
    "secret_string",
    "secret_binary",
    "auth_token",
    "passwords",
];

/// Resource types whose whole state is a secret.
const SECRET_RESOURCES: &[&str] = &["random_password", "tls_private_key"];

/// Every secret a stack's `main.tf.json` keeps in state.
fn secrets_of(place: &str, doc: &Value, found: &mut BTreeSet<String>) {
    let Some(types) = doc.get("resource").and_then(Value::as_object) else {
        return;
    };
    for (ty, blocks) in types {
        let Some(blocks) = blocks.as_object() else {
            continue;
        };
        for (name, body) in blocks {
            if SECRET_RESOURCES.contains(&ty.as_str()) {
                found.insert(format!("{place}: {ty}.{name}"));
            }
            for arg in SECRET_ARGUMENTS {
                if body.get(*arg).is_some_and(|v| !v.is_null()) {
                    found.insert(format!("{place}: {ty}.{name}.{arg}"));
                }
            }
        }
    }
}

#[test]
fn no_target_keeps_a_secret_in_state() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    let targets = app
        .synth_many(&names)
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"));
    let mut found = BTreeSet::new();
    for t in &targets {
        for (rel, text) in &t.files {
            let Some(stack) = rel.strip_suffix("/main.tf.json") else {
                continue;
            };
            let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            secrets_of(&format!("{}/{stack}", t.target), &doc, &mut found);
        }
    }
    assert!(found.is_empty(), "secrets in state: {found:#?}");
}

#[test]
fn the_walker_finds_each_kind_of_secret_and_ignores_write_only() {
    let doc = serde_json::json!({"resource": {
        "random_password": {"db": {"length": 32}},
        "google_sql_user": {"u": {"password": "${random_password.db.result}", "password_wo": "x"}},
        "aws_secretsmanager_secret_version": {"v": {"secret_string_wo": "x", "secret_string_wo_version": 1}},
        "aws_elasticache_replication_group": {"r": {"auth_token": "${var.t}"}},
    }});
    let mut found = BTreeSet::new();
    secrets_of("t/s", &doc, &mut found);
    let found: Vec<_> = found.into_iter().collect();
    assert_eq!(
        found,
        [
            "t/s: aws_elasticache_replication_group.r.auth_token",
            "t/s: google_sql_user.u.password",
            "t/s: random_password.db",
        ]
    );
}
