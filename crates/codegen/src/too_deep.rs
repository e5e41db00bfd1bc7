//! Nested blocks too large to generate types for, kept as one dynamic attribute (what
//! schemas/overrides/aws.json does by hand for `aws_wafv2_web_acl` `rule.statement`):
//! aws wafv2 statements nest every statement kind three levels deep, about 9,800 nested
//! blocks and 500,000 lines of Rust for one resource. The JSON written is the same (a
//! block is an object or a list of objects) and terraform validates the structure at
//! validate and plan; the schema check accepts any shape inside.

use serde_json::{json, Map, Value};

/// A nested block whose subtree holds more nested blocks than this is kept dynamic
/// (the largest elsewhere: kubernetes workload specs, about 210).
pub const MAX_NESTED_BLOCKS: usize = 250;

fn nested_blocks(block: &Value) -> usize {
    block
        .get("block_types")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(_, bt)| 1 + bt.get("block").map(nested_blocks).unwrap_or(0))
        .sum()
}

/// Makes every too-large block of one type's block dynamic; returns their paths.
/// A large block whose size is almost all in one child is kept typed and the child is
/// looked at instead (`rule` of wafv2 stays a block, `rule.statement` goes dynamic).
pub(crate) fn cap(block: &mut Value, path: &str, out: &mut Vec<String>) {
    let Some(obj) = block.as_object_mut() else {
        return;
    };
    let Some(Value::Object(types)) = obj.get_mut("block_types") else {
        return;
    };
    let mut dynamic = Vec::new();
    for (name, bt) in types.iter_mut() {
        let inner = bt.get("block").map(nested_blocks).unwrap_or(0);
        if inner < MAX_NESTED_BLOCKS {
            continue;
        }
        let p = format!("{path}.{name}");
        let largest_child = bt
            .pointer("/block/block_types")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(_, c)| 1 + c.get("block").map(nested_blocks).unwrap_or(0))
            .max()
            .unwrap_or(0);
        if largest_child * 10 >= inner * 9 {
            if let Some(b) = bt.get_mut("block") {
                cap(b, &p, out);
            }
        } else {
            dynamic.push(name.clone());
            out.push(p);
        }
    }
    let mut attrs = Map::new();
    for name in dynamic {
        let Some(bt) = types.remove(&name) else {
            continue;
        };
        let required = bt.get("min_items").and_then(Value::as_u64).unwrap_or(0) > 0;
        let mut attr = json!({"type": "dynamic", "description_kind": "plain",
            "description": format!("`{name}` block, too deeply nested to generate types for: give it as an object (or a list of objects); terraform validates its structure.")});
        attr[if required { "required" } else { "optional" }] = json!(true);
        attrs.insert(name, attr);
    }
    if types.is_empty() {
        obj.remove("block_types");
    }
    if !attrs.is_empty() {
        let target = obj.entry("attributes").or_insert_with(|| json!({}));
        if let Some(t) = target.as_object_mut() {
            t.extend(attrs);
        }
    }
}

/// An attribute whose type holds more object types than this is typed dynamic (aws
/// `data.aws_quicksight_data_analysis`'s read-only `definition`: 10 MB of Rust typed).
pub const MAX_OBJECT_TYPES: usize = 200;

/// The object types inside a cty type (`["object", {...}]`, `["list", T]`, ...).
fn object_types(ty: &Value) -> usize {
    match ty {
        Value::Array(parts) if parts.first().and_then(Value::as_str) == Some("object") => {
            1 + parts
                .get(1)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(_, t)| object_types(t))
                .sum::<usize>()
        }
        Value::Array(parts) => parts.iter().skip(1).map(object_types).sum(),
        _ => 0,
    }
}

/// The object types of an attribute: its cty type, or its nested attributes (plugin
/// framework `nested_type`).
fn attribute_objects(attr: &Value) -> usize {
    let nested = attr
        .pointer("/nested_type/attributes")
        .and_then(Value::as_object)
        .map(|a| 1 + a.values().map(attribute_objects).sum::<usize>())
        .unwrap_or(0);
    nested + attr.get("type").map(object_types).unwrap_or(0)
}

/// Every attribute of a block and of its nested blocks whose type is too large to
/// generate is typed dynamic; their paths are added to `out`.
pub(crate) fn cap_attributes(block: &mut Value, path: &str, out: &mut Vec<String>) {
    if let Some(Value::Object(attrs)) = block.get_mut("attributes") {
        for (name, attr) in attrs.iter_mut() {
            if attribute_objects(attr) <= MAX_OBJECT_TYPES {
                continue;
            }
            if let Some(a) = attr.as_object_mut() {
                a.remove("nested_type");
                a.insert("type".into(), json!("dynamic"));
            }
            out.push(format!("{path}.{name}"));
        }
    }
    if let Some(Value::Object(types)) = block.get_mut("block_types") {
        for (name, bt) in types.iter_mut() {
            if let Some(b) = bt.get_mut("block") {
                cap_attributes(b, &format!("{path}.{name}"), out);
            }
        }
    }
}

/// Every type's too-large blocks made dynamic (see [`crate::too_deep`]); their paths.
pub(crate) fn cap_document(doc: &mut Value, addr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(entry) = doc.pointer_mut(&format!(
        "/provider_schemas/{}",
        addr.replace('~', "~0").replace('/', "~1")
    )) else {
        return out;
    };
    for (key, _) in crate::krate::KINDS {
        let Some(Value::Object(types)) = entry.get_mut(key) else {
            continue;
        };
        for (ty, t) in types.iter_mut() {
            if let Some(block) = t.get_mut("block") {
                cap(block, ty, &mut out);
                cap_attributes(block, ty, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(depth: usize, fanout: usize) -> Value {
        if depth == 0 {
            return json!({"attributes": {"x": {"type": "string", "optional": true}}});
        }
        let mut types = Map::new();
        for i in 0..fanout {
            types.insert(
                format!("b{i}"),
                json!({"nesting_mode": "list", "block": chain(depth - 1, fanout)}),
            );
        }
        json!({ "block_types": types })
    }

    #[test]
    fn a_huge_block_becomes_one_dynamic_attribute_below_its_single_large_parent() {
        // rule (one child) > statement (4^5 + ... blocks, evenly split)
        let statement = chain(5, 4);
        let mut root = json!({"block_types": {"rule": {"nesting_mode": "list", "block": {
            "attributes": {"name": {"type": "string", "required": true}},
            "block_types": {"statement": {"nesting_mode": "list", "min_items": 1, "max_items": 1, "block": statement}}}}}});
        let mut out = Vec::new();
        cap(&mut root, "t", &mut out);
        assert_eq!(out, vec!["t.rule.statement"]);
        let rule = &root["block_types"]["rule"]["block"];
        assert_eq!(rule["attributes"]["statement"]["type"], "dynamic");
        assert_eq!(rule["attributes"]["statement"]["required"], true);
        assert!(rule.get("block_types").is_none());
        // a small one is left alone
        let mut small =
            json!({"block_types": {"spec": {"nesting_mode": "list", "block": chain(3, 4)}}});
        let before = small.clone();
        cap(&mut small, "t", &mut out);
        assert_eq!(small, before);
    }
}
