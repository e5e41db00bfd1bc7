use crate::docs::doc_lines;
use crate::names::{camel, ident};

#[test]
fn names() {
    assert_eq!(camel("cloud_run_v2_service"), "CloudRunV2Service");
    assert_eq!(camel("db_instance"), "DbInstance");
    assert_eq!(ident("type", &[]), "type_");
    assert_eq!(ident("self", &[]), "self_");
    assert_eq!(ident("match", &[]), "match_");
    assert_eq!(ident("address", &["address"]), "address_attr");
    assert_eq!(ident("cidr_block", &["address"]), "cidr_block");
}

#[test]
fn descriptions_become_inert_docs() {
    // fences never become doctests, tabs become spaces, list continuations are indented
    let d = doc_lines("Intro.\n\n```\nfoo()\n```\n* item one\ncontinued\n\tTabbed\n\n\n\nEnd.\n");
    assert_eq!(
        d,
        vec![
            "Intro.",
            "",
            "```text",
            "foo()",
            "```",
            "* item one",
            "  continued",
            "  Tabbed",
            "",
            "End."
        ]
    );
    assert_eq!(
        doc_lines("```\nunclosed"),
        vec!["```text", "unclosed", "```"]
    );
}

#[test]
fn brackets_and_urls_stay_text() {
    assert_eq!(
        doc_lines("projects/[PROJECT_ID] see https://cloud.google.com/run. and [docs](https://x.y/z) `[a]`"),
        vec!["projects/\\[PROJECT_ID\\] see <https://cloud.google.com/run>. and [docs](https://x.y/z) `[a]`"]
    );
}

/// Builds the model of one synthetic resource type.
fn model_of(block_json: &str, reserved: &[&str]) -> crate::rust_model::TypeFile {
    let block: terrane_schema::Block = match serde_json::from_str(block_json) {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    };
    let reserved = reserved.iter().map(|s| s.to_string()).collect();
    crate::generate::build_type(
        "Thing",
        "resource",
        "x_thing",
        &crate::services::Placement {
            service: "svc".into(),
            module: "thing".into(),
        },
        "https://example.invalid/thing",
        "crate::generated::provider::required_provider",
        &block,
        &reserved,
        false,
        &Default::default(),
    )
}

#[test]
fn required_arguments_and_blocks_shape_the_constructor() {
    let m = model_of(
        r#"{"attributes": {
              "name": {"type": "string", "required": true},
              "size": {"type": "number", "optional": true},
              "arn": {"type": "string", "computed": true},
              "type": {"type": "string", "required": true}},
            "block_types": {
              "rule": {"nesting_mode": "set", "min_items": 1, "block": {"attributes": {"a": {"type": "string", "optional": true}}}},
              "timeouts": {"nesting_mode": "single", "block": {"attributes": {"create": {"type": "string", "optional": true}}}},
              "labels": {"nesting_mode": "map", "block": {"attributes": {"v": {"type": "string", "required": true}}}}}}"#,
        &[],
    );
    let params: Vec<&str> = m.root.params.iter().map(|p| p.ident.as_str()).collect();
    assert_eq!(params, vec!["name", "type_", "rule"]);
    assert_eq!(m.root.args_struct.as_deref(), Some("ThingArgs"));
    let rule = &m.root.params[2];
    assert!(
        rule.is_block && rule.repeated,
        "a required set block takes its first block"
    );
    let arn = m.root.fields.iter().find(|f| f.name == "arn");
    assert!(arn.is_some_and(|f| !f.settable && f.readable));
    let modes: Vec<(&str, &str, &str)> = m
        .root
        .blocks
        .iter()
        .map(|b| (b.name.as_str(), b.mode, b.getter_ty.as_str()))
        .collect();
    assert_eq!(
        modes,
        vec![
            ("labels", "map", "MapExpr<ObjectExpr<ThingLabels>>"),
            ("rule", "set", "SetExpr<ObjectExpr<ThingRule>>"),
            ("timeouts", "one", "ObjectExpr<ThingTimeouts>"),
        ]
    );
    assert!(m
        .root
        .maximal
        .contains(".labels(\"k\", ThingLabels::new(\"x\"))"));
}

#[test]
fn object_types_become_builders_or_read_only_markers() {
    let m = model_of(
        r#"{"attributes": {
              "ingress": {"type": ["set", ["object", {"from_port": "number", "cidr_blocks": ["list", "string"]}]], "optional": true},
              "status": {"type": ["list", ["object", {"code": "number"}]], "computed": true},
              "opts": {"nested_type": {"nesting_mode": "list", "attributes": {
                  "name": {"type": "string", "required": true},
                  "value": {"type": "string", "optional": true}}}, "optional": true}}}"#,
        &["ThingIngress"],
    );
    let by_name = |n: &str| m.nested.iter().find(|s| s.name == n);
    // a name taken by another type gets `Block`
    let ingress = by_name("ThingIngressBlock");
    assert!(ingress.is_some_and(|s| s.kind == "object" && s.write_nulls && s.params.is_empty()));
    assert!(by_name("ThingStatus").is_some_and(|s| s.kind == "marker"));
    let opts = by_name("ThingOpts");
    assert!(opts.is_some_and(|s| !s.write_nulls && s.params.len() == 1));
    let status = m.root.fields.iter().find(|f| f.name == "status");
    assert!(status.is_some_and(|f| f.getter_ty == "ListExpr<ObjectExpr<ThingStatus>>"));
    let ingress_field = m.root.fields.iter().find(|f| f.name == "ingress");
    assert!(ingress_field.is_some_and(|f| f.value_ty == "Set<ThingIngressBlock>"));
}

#[test]
fn write_only_attributes_are_settable_but_not_readable() {
    let m = model_of(
        r#"{"attributes": {
              "password_wo": {"type": "string", "optional": true, "sensitive": true, "write_only": true},
              "password": {"type": "string", "optional": true, "sensitive": true}}}"#,
        &[],
    );
    let field = |n: &str| m.root.fields.iter().find(|f| f.name == n);
    assert!(field("password_wo").is_some_and(|f| f.settable && !f.readable && f.sensitive));
    assert!(
        field("password_wo").is_some_and(|f| f.docs.iter().any(|d| d.starts_with("Write-only")))
    );
    assert!(field("password").is_some_and(|f| f.settable && f.readable));
}

#[test]
fn tuples_are_written_as_dynamic_values() {
    // no Rust type holds one tuple shape; the schema check still checks each element
    let m = model_of(
        r#"{"attributes": {"pair": {"type": ["tuple", ["string", "number"]], "optional": true}}}"#,
        &[],
    );
    let pair = m.root.fields.iter().find(|f| f.name == "pair");
    assert!(pair.is_some_and(|f| f.value_ty == "Dynamic" && f.getter_ty == "Expr<Dynamic>"));
}

#[test]
fn provider_functions_become_typed_helpers() {
    let schema = terrane_schema::ProviderSchema::from_json(
        r#"{"provider_schemas":{"registry.terraform.io/x/y":{
            "functions":{"parse":{"description":"Parses.","return_type":["object",{"part":"string"}],
              "parameters":[{"name":"text","type":"string","description":"The text"}]},
              "count_of":{"return_type":"number","parameters":[{"name":"n","type":"number"}]}}}}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = crate::functions::file("y", &schema).unwrap_or_default();
    assert!(
        text.contains(
            "pub fn parse(text: impl Into<terrane_core::Value<String>>) -> ParseResult {"
        ),
        "{text}"
    );
    assert!(
        text.contains("pub fn part(&self) -> terrane_core::Expr<String> {"),
        "{text}"
    );
    assert!(text.contains("\"provider::y::count_of\""), "{text}");
    assert!(
        text.contains("-> terrane_core::Expr<terrane_core::Number>"),
        "{text}"
    );
    let none = terrane_schema::ProviderSchema::from_json(
        r#"{"provider_schemas":{"registry.terraform.io/x/y":{}}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(crate::functions::file("y", &none), None);
}
