//! Which argument values a diff must not print: attributes the provider schema marks
//! sensitive, and arguments whose name says they hold a secret.

use serde_json::Value;
use terrane_schema::Block;

use crate::schema::SchemaSet;

/// What a redacted value is printed as.
pub const REDACTED: &str = "(sensitive)";

/// Name fragments of arguments that hold secrets whatever the schema says
/// (Kubernetes `Secret` data, custom types without a schema).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "private_key",
    "privatekey",
    "api_key",
    "apikey",
    "credential",
    "auth_string",
];

/// True when the argument at `path` (`master_password`, `settings.0.password`) of
/// a `resource_type` resource must be redacted.
pub fn is_secret(schemas: &SchemaSet, resource_type: &str, path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if SECRET_NAMES.iter().any(|n| lower.contains(n)) {
        return true;
    }
    schemas
        .resource(resource_type)
        .is_some_and(|b| sensitive_in(b, path.split('.')))
}

/// Walks the schema along `path`, skipping list indexes; true when an attribute on
/// the way is sensitive.
fn sensitive_in<'a>(block: &Block, mut path: impl Iterator<Item = &'a str>) -> bool {
    let Some(step) = path.find(|s| s.parse::<usize>().is_err()) else {
        return false;
    };
    if let Some(attr) = block.attributes.get(step) {
        return attr.sensitive;
    }
    block
        .block_types
        .get(step)
        .is_some_and(|nested| sensitive_in(&nested.block, path))
}

/// `value`, or the redaction marker when it is a secret.
pub fn shown(value: &Value, secret: bool) -> Value {
    if secret {
        Value::String(REDACTED.to_string())
    } else {
        value.clone()
    }
}
