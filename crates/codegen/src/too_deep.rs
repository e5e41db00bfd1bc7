//! Nested blocks too large to generate types for, kept as one dynamic attribute (what
//! schemas/overrides/aws.json does by hand for `aws_wafv2_web_acl` `rule.statement`):
//! aws wafv2 statements nest every statement kind three levels deep, about 9,800 nested
//! blocks and 500,000 lines of Rust for one resource. The JSON written is the same (a
//! block is an object or a list of objects) and terraform validates the structure at
//! validate and plan; the schema check accepts any shape inside.

use serde_json::{json, Map, Value};

/// A nested block whose subtree holds more nested blocks than this is kept dynamic
/// (the largest elsewhere: kubernetes workload specs, about 210).
pub const MAX_NESTED_BLOCKS: usize = 1000;

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
