use std::collections::BTreeMap;

use crate::{AttrType, Attribute, CtyType, DescriptionKind, Nesting, ProviderSchema};

fn parse(resource_block: &str) -> ProviderSchema {
    let text = format!(
        r#"{{"format_version":"1.0","provider_schemas":{{"registry.terraform.io/x/y":{{
            "provider":{{"version":0,"block":{{"attributes":{{"region":{{"type":"string","optional":true}}}}}}}},
            "resource_schemas":{{"y_thing":{{"version":2,"block":{resource_block}}}}},
            "data_source_schemas":{{"y_info":{{"version":0,"block":{{}}}}}},
            "ephemeral_resource_schemas":{{"y_token":{{"version":0,"block":{{"attributes":{{"value":{{"type":"string","computed":true,"sensitive":true}}}}}}}}}},
            "functions":{{"y_parse":{{"return_type":["list","string"],"parameters":[{{"name":"s","type":"string"}}]}}}}}}}}}}"#
    );
    match ProviderSchema::from_json(&text) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

fn attr<'a>(s: &'a ProviderSchema, name: &str) -> &'a Attribute {
    match s.resource("y_thing").and_then(|b| b.attributes.get(name)) {
        Some(a) => a,
        None => panic!("no attribute {name}"),
    }
}

#[test]
fn write_only_attributes_are_kept() {
    let s = parse(
        r#"{"attributes":{"password_wo":{"type":"string","optional":true,"sensitive":true,"write_only":true},
                        "password":{"type":"string","optional":true}}}"#,
    );
    let wo = attr(&s, "password_wo");
    assert!(wo.write_only && wo.sensitive && wo.optional && !wo.is_read_only());
    assert!(!attr(&s, "password").write_only);
}

#[test]
fn tuples_keep_their_element_types() {
    let s = parse(
        r#"{"attributes":{"pair":{"type":["tuple",["string",["list","number"]]],"optional":true}}}"#,
    );
    assert_eq!(
        attr(&s, "pair").ty,
        AttrType::Cty(CtyType::Tuple(vec![
            CtyType::String,
            CtyType::List(Box::new(CtyType::Number))
        ]))
    );
    assert_eq!(attr(&s, "pair").value_type().describe(), "tuple");
}

#[test]
fn object_types_tell_absent_from_empty_optional_lists() {
    let s = parse(
        r#"{"attributes":{
            "strict":{"type":["object",{"a":"string"}],"optional":true},
            "opt":{"type":["object",{"a":"string","b":"bool"},["b"]],"optional":true}}}"#,
    );
    let a: BTreeMap<String, CtyType> = [("a".to_string(), CtyType::String)].into();
    assert_eq!(
        attr(&s, "strict").ty,
        AttrType::Cty(CtyType::Object(a, None))
    );
    match &attr(&s, "opt").ty {
        AttrType::Cty(CtyType::Object(attrs, Some(opt))) => {
            assert_eq!(attrs.len(), 2);
            assert_eq!(opt, &vec!["b".to_string()]);
            assert!(CtyType::is_optional_attribute(&Some(opt.clone()), "b"));
            assert!(!CtyType::is_optional_attribute(&Some(opt.clone()), "a"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nested_attribute_types_become_objects_with_optional_non_required_attributes() {
    let s = parse(
        r#"{"attributes":{"rules":{"nested_type":{"nesting_mode":"list","attributes":{
            "name":{"type":"string","required":true},
            "port":{"type":"number","optional":true}}},"optional":true}}}"#,
    );
    let rules = attr(&s, "rules");
    match &rules.ty {
        AttrType::Nested(n) => {
            assert_eq!(n.nesting, Nesting::List);
            assert!(n.attributes["name"].required);
        }
        other => panic!("{other:?}"),
    }
    let CtyType::List(obj) = rules.value_type().into_owned() else {
        panic!("not a list")
    };
    assert_eq!(
        *obj,
        CtyType::Object(
            [
                ("name".to_string(), CtyType::String),
                ("port".to_string(), CtyType::Number)
            ]
            .into(),
            Some(vec!["port".to_string()])
        )
    );
}

#[test]
fn block_types_flags_and_other_sections() {
    let s = parse(
        r#"{"description":"A thing.","description_kind":"markdown","deprecated":true,
            "attributes":{"id":{"type":"string","computed":true},
                          "old":{"type":"bool","optional":true,"deprecated":true}},
            "block_types":{
              "rule":{"nesting_mode":"set","min_items":1,"max_items":3,"block":{}},
              "timeouts":{"nesting_mode":"single","block":{}},
              "implied":{"block":{}}}}"#,
    );
    let b = match s.resource("y_thing") {
        Some(b) => b,
        None => panic!("no y_thing"),
    };
    assert_eq!(s.resources["y_thing"].version, 2);
    assert!(b.deprecated && b.description_kind == DescriptionKind::Markdown);
    assert!(attr(&s, "id").is_read_only() && attr(&s, "old").deprecated);
    let rule = &b.block_types["rule"];
    assert_eq!(
        (rule.nesting, rule.min_items, rule.max_items),
        (Nesting::Set, 1, 3)
    );
    assert_eq!(b.block_types["timeouts"].nesting, Nesting::Single);
    assert_eq!(
        b.block_types["implied"].nesting,
        Nesting::List,
        "list when absent"
    );
    assert_eq!(s.name, "y");
    assert!(s.data_source("y_info").is_some() && s.provider_block().is_some());
    assert!(s.ephemeral_resources["y_token"].block.attributes["value"].sensitive);
    assert_eq!(s.functions["y_parse"].parameters[0].ty, CtyType::String);
}

#[test]
fn malformed_schemas_are_errors() {
    for (block, wanted) in [
        (
            r#"{"attributes":{"a":{"optional":true}}}"#,
            "attribute without a type",
        ),
        (
            r#"{"attributes":{"a":{"type":"strnig"}}}"#,
            "unknown type `strnig`",
        ),
        (
            r#"{"attributes":{"a":{"type":["list"]}}}"#,
            "without its element type",
        ),
        (
            r#"{"block_types":{"b":{"nesting_mode":"bag","block":{}}}}"#,
            "unknown variant `bag`",
        ),
    ] {
        let text = format!(
            r#"{{"provider_schemas":{{"x/y":{{"resource_schemas":{{"y_a":{{"block":{block}}}}}}}}}}}"#
        );
        match ProviderSchema::from_json(&text) {
            Ok(_) => panic!("{block} parsed"),
            Err(e) => assert!(e.message().contains(wanted), "{e}"),
        }
    }
    assert!(ProviderSchema::from_json(r#"{"provider_schemas":{}}"#).is_err());
}

#[test]
fn committed_schemas_parse() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
    for (file, name, resources) in [
        ("aws", "aws", 50),
        ("google", "google", 30),
        ("helm", "helm", 1),
    ] {
        let text = match std::fs::read_to_string(format!("{root}/{file}.json")) {
            Ok(t) => t,
            Err(e) => panic!("{file}: {e}"),
        };
        let s = match ProviderSchema::from_json(&text) {
            Ok(s) => s,
            Err(e) => panic!("{file}: {e}"),
        };
        assert_eq!(s.name, name);
        assert!(s.resources.len() >= resources && s.provider.is_some());
        // every type is named after its provider: the lazy lookup relies on it
        for ty in s.resources.keys().chain(s.data_sources.keys()) {
            assert!(ty.starts_with(&format!("{name}_")), "{ty}");
        }
    }
}

static AWS: crate::LazySchema =
    crate::LazySchema::new("aws", include_str!("../../../schemas/aws.json"));

#[test]
fn lazy_lookups_give_the_blocks_of_the_whole_parse() {
    let whole = match AWS.get() {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    for (ty, t) in &whole.resources {
        assert_eq!(AWS.resource(ty), Ok(Some(&t.block)), "{ty}");
    }
    for (ty, t) in &whole.data_sources {
        assert_eq!(AWS.data_source(ty), Ok(Some(&t.block)), "{ty}");
    }
    assert_eq!(AWS.provider(), Ok(whole.provider_block()));
    assert_eq!(AWS.resource("aws_nothing"), Ok(None));
}

/// A block with every description emptied, to compare the full file with the embedded copy.
fn without_descriptions(b: &crate::Block) -> crate::Block {
    fn attr(a: &Attribute) -> Attribute {
        let mut a = a.clone();
        a.description.clear();
        a.description_kind = DescriptionKind::Plain;
        if let AttrType::Nested(n) = &mut a.ty {
            n.attributes = n
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), attr(v)))
                .collect();
        }
        a
    }
    let mut b = b.clone();
    b.description.clear();
    b.description_kind = DescriptionKind::Plain;
    b.attributes = b
        .attributes
        .iter()
        .map(|(k, v)| (k.clone(), attr(v)))
        .collect();
    for t in b.block_types.values_mut() {
        t.block = without_descriptions(&t.block);
    }
    b
}

#[test]
fn the_embedded_copies_are_the_committed_files_without_descriptions() {
    use crate::embedded;
    for (full, checked) in [
        (embedded::AWS_JSON, &embedded::AWS),
        (embedded::GOOGLE_JSON, &embedded::GOOGLE),
        (embedded::HELM_JSON, &embedded::HELM),
        (embedded::RANDOM_JSON, &embedded::RANDOM),
    ] {
        let whole = match ProviderSchema::from_json(full) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let name = checked.name();
        for (ty, t) in &whole.resources {
            let got = checked.resource(ty).ok().flatten().cloned();
            assert_eq!(got, Some(without_descriptions(&t.block)), "{name}: {ty}");
        }
        for (ty, t) in &whole.data_sources {
            let got = checked.data_source(ty).ok().flatten().cloned();
            assert_eq!(got, Some(without_descriptions(&t.block)), "{name}: {ty}");
        }
        for (ty, t) in &whole.ephemeral_resources {
            let got = checked.ephemeral_resource(ty).ok().flatten().cloned();
            assert_eq!(got, Some(without_descriptions(&t.block)), "{name}: {ty}");
        }
        let provider = checked.provider().ok().flatten().cloned();
        assert_eq!(
            provider,
            whole.provider_block().map(without_descriptions),
            "{name}"
        );
    }
    // trimmed by structure: an attribute named `description` stays
    let sg = embedded::AWS.resource("aws_security_group").ok().flatten();
    assert!(sg.is_some_and(|b| b.attributes.contains_key("description")));
}

#[test]
fn maps_in_any_order_and_repeated_keys_read_as_btreemap_reads_them() {
    // the bulk build assumes nothing of the order; a repeated key keeps its last value
    let text = r#"{"attributes":{"b":{"type":"string"},"a":{"type":"bool"},
        "b":{"type":"number"}},
        "block_types":{"z":{"block":{}},"y":{"nesting_mode":"single","block":{}}}}"#;
    let b: crate::Block = match serde_json::from_str(text) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let names: Vec<_> = b.attributes.keys().map(String::as_str).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(b.attributes["b"].ty, AttrType::Cty(CtyType::Number));
    let blocks: Vec<_> = b.block_types.keys().map(String::as_str).collect();
    assert_eq!(blocks, ["y", "z"]);
}
