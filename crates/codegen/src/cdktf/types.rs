//! cty types (as `terraform providers schema -json` writes them) from what the
//! generated package records: `storageClassType` for arguments, getter bodies and cdktf
//! runtime collection classes for computed-only attributes, and the jsii type of a
//! property (unions with `IResolvable`, collections, structs).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Value};

use super::ExtractError;

static STORAGE: LazyLock<Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(string|number|boolean|any)((?:List|Map)*)$")
        .unwrap_or_else(|e| panic!("{e}"))
});

fn primitive(p: &str) -> &'static str {
    match p {
        "string" => "string",
        "number" => "number",
        "boolean" => "bool",
        _ => "dynamic",
    }
}

/// The type of a non-struct attribute from its storageClassType and outer kind.
pub(crate) fn storage_type(storage: &str, kind: &str) -> Result<Value, ExtractError> {
    let c = STORAGE
        .captures(storage)
        .ok_or_else(|| ExtractError(format!("unknown storageClassType {storage}")))?;
    let mut t = json!(primitive(&c[1]));
    let suffixes = split_suffixes(&c[2]);
    let n = suffixes.len();
    for (i, s) in suffixes.iter().enumerate() {
        let outer = i == n - 1;
        t = if *s == "Map" {
            json!(["map", t])
        } else if outer && (kind == "list" || kind == "set") {
            // the outermost list's list-vs-set is in `type`; inner ones are lists
            json!([kind, t])
        } else {
            json!(["list", t])
        };
    }
    if n == 0 && kind != "simple" {
        return Err(ExtractError(format!(
            "collection kind {kind} with scalar storage {storage}"
        )));
    }
    Ok(t)
}

fn split_suffixes(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(n) = ["List", "Map"]
        .iter()
        .find(|p| rest.starts_with(**p))
        .map(|p| p.len())
    {
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// The type a cdktf getter helper reads (`getStringAttribute` -> string).
pub(crate) fn getter_type(helper: &str) -> Option<Value> {
    Some(match helper {
        "getStringAttribute" => json!("string"),
        "getNumberAttribute" => json!("number"),
        "getBooleanAttribute" => json!("bool"),
        "getListAttribute" => json!(["list", "string"]),
        "getNumberListAttribute" => json!(["list", "number"]),
        "getBooleanListAttribute" => json!(["list", "bool"]),
        "getStringMapAttribute" => json!(["map", "string"]),
        "getNumberMapAttribute" => json!(["map", "number"]),
        "getBooleanMapAttribute" => json!(["map", "bool"]),
        "getAnyMapAttribute" => json!(["map", "dynamic"]),
        "interpolationForAttribute" => json!("dynamic"),
        _ => return None,
    })
}

/// The type of a cdktf runtime collection class used for computed attributes.
pub(crate) fn collection_type(class: &str) -> Option<Value> {
    let (outer, inner) = match class {
        "StringMap" => ("map", json!("string")),
        "NumberMap" => ("map", json!("number")),
        "BooleanMap" => ("map", json!("bool")),
        "AnyMap" => ("map", json!("dynamic")),
        "StringListMap" => ("map", json!(["list", "string"])),
        "NumberListMap" => ("map", json!(["list", "number"])),
        "BooleanListMap" => ("map", json!(["list", "bool"])),
        "AnyListMap" => ("map", json!(["list", "dynamic"])),
        "StringMapList" => ("list", json!(["map", "string"])),
        "NumberMapList" => ("list", json!(["map", "number"])),
        "BooleanMapList" => ("list", json!(["map", "bool"])),
        "AnyMapList" => ("list", json!(["map", "dynamic"])),
        "StringListList" => ("list", json!(["list", "string"])),
        "NumberListList" => ("list", json!(["list", "number"])),
        "BooleanListList" => ("list", json!(["list", "bool"])),
        "AnyListList" => ("list", json!(["list", "dynamic"])),
        _ => return None,
    };
    Some(json!([outer, inner]))
}

/// The struct fqn inside a jsii property type (through unions with `IResolvable`
/// and collections).
pub(crate) fn struct_fqn(t: &Value) -> Result<String, ExtractError> {
    if let Some(u) = t.pointer("/union/types").and_then(Value::as_array) {
        let ts: Vec<&Value> = u
            .iter()
            .filter(|x| x.get("fqn").and_then(Value::as_str) != Some("cdktf.IResolvable"))
            .collect();
        return match ts.as_slice() {
            [one] => struct_fqn(one),
            _ => Err(ExtractError(format!("ambiguous union {t}"))),
        };
    }
    if let Some(inner) = t.pointer("/collection/elementtype") {
        return struct_fqn(inner);
    }
    t.get("fqn")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ExtractError("nested block without struct type".into()))
}
