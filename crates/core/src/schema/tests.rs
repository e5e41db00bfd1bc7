use std::sync::Arc;

use super::*;
use crate::tree::Tree;

const SCHEMA: &str = r#"{"terrane":{"provider":"lz"},"provider_schemas":{"x/lz":{
  "provider":{"block":{"attributes":{"region":{"type":"string","optional":true}}}},
  "resource_schemas":{"lz_thing":{"block":{"attributes":{
    "pair":{"type":["tuple",["string","bool"]],"optional":true},
    "password_wo":{"type":"string","optional":true,"sensitive":true,"write_only":true},
    "id":{"type":"string","computed":true}}}}},
  "data_source_schemas":{"lz_info":{"block":{}}}}}}"#;

fn problems(body: Tree) -> Vec<String> {
    let schema = match ProviderSchema::from_json(SCHEMA) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let block = match schema.resource("lz_thing") {
        Some(b) => b,
        None => panic!("no lz_thing"),
    };
    check_body(block, &body, true)
        .into_iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

#[test]
fn tuples_are_checked_element_by_element() {
    let ok = Tree::list([Tree::from("a"), Tree::from(true)]);
    assert!(problems(Tree::object([("pair", ok)])).is_empty());
    let bad = Tree::list([Tree::from("a"), Tree::list([Tree::from(1)])]);
    assert_eq!(
        problems(Tree::object([("pair", bad)])),
        vec!["pair[1]: expected bool, got list"]
    );
    assert_eq!(
        problems(Tree::object([("pair", Tree::from("x"))])),
        vec!["pair: expected tuple, got string"]
    );
}

#[test]
fn write_only_attributes_can_be_set_but_read_only_ones_cannot() {
    assert!(problems(Tree::object([("password_wo", Tree::from("s3cret"))])).is_empty());
    assert_eq!(
        problems(Tree::object([("id", Tree::from("x"))])),
        vec!["id: is read-only (computed by the provider) and cannot be set"]
    );
}

static LAZY: LazySchema = LazySchema::new("lz", SCHEMA);

#[test]
fn embedded_schemas_are_parsed_at_first_lookup_of_their_provider() {
    let mut set = SchemaSet::new();
    set.add_embedded(&LAZY);
    assert!(set.knows_provider("lz") && !set.is_loaded("lz"));
    // a type of another provider does not load it
    assert!(set.resource("other_thing").is_none() && set.resource("lzthing").is_none());
    assert!(!set.is_loaded("lz"));
    assert!(set.resource("lz_thing").is_some());
    assert!(set.is_loaded("lz"));
    assert!(set.data_source("lz_info").is_some() && set.data_source("lz_thing").is_none());
    assert!(set.provider("lz").is_some() && set.load_all().is_ok());
    // a parsed schema added later takes the types it names
    let mut other = SchemaSet::new();
    let parsed = match ProviderSchema::from_json(SCHEMA) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    other.add(Arc::new(parsed));
    set.extend(other);
    assert!(set.resource("lz_thing").is_some());
}

static BROKEN: LazySchema = LazySchema::new("broken", r#"{"provider_schemas":"#);

#[test]
fn a_broken_embedded_schema_is_reported_by_load_all() {
    let mut set = SchemaSet::new();
    set.add_embedded(&BROKEN);
    match set.load_all() {
        Err(crate::Error::Schema { name, .. }) => assert_eq!(name, "broken"),
        other => panic!("{other:?}"),
    }
}

const NESTED: &str = r#"{"provider_schemas":{"x/nt":{"resource_schemas":{"nt_thing":{"block":{
  "attributes":{
    "name":{"type":"string","required":true},
    "size":{"type":"number","optional":true},
    "id":{"type":"string","computed":true},
    "rule":{"nested_type":{"nesting_mode":"list","attributes":{
      "port":{"type":"number","required":true}}},"optional":true}},
  "block_types":{
    "network":{"nesting_mode":"list","min_items":1,"max_items":2,"block":{
      "attributes":{"cidr":{"type":"string","required":true}}}}}}}}}}}"#;

/// A block schema is read straight from the schema for the first blocks of its type
/// and through an index after that (`index.rs`): both give the same problems, in the
/// same order, for every kind of problem.
#[test]
fn indexed_and_plain_lookups_report_the_same_problems() {
    let schema = match ProviderSchema::from_json(NESTED) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let Some(block) = schema.resource("nt_thing") else {
        panic!("no nt_thing")
    };
    let bad = Tree::object([
        ("nmae", Tree::from("a")),
        ("size", Tree::from("big")),
        ("id", Tree::from("x")),
        ("rule", Tree::list([Tree::object([("prt", Tree::from(1))])])),
        ("count", Tree::from(2)),
        (
            "network",
            Tree::list([Tree::empty(), Tree::empty(), Tree::empty()]),
        ),
    ]);
    let render = |ps: Vec<SchemaProblem>| -> Vec<String> {
        ps.into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    };
    let plain = render(check_body(block, &bad, true));
    assert!(plain.len() >= 8, "{plain:#?}");
    let mut bodies = BodyCheck::default();
    for _ in 0..6 {
        assert_eq!(render(bodies.check(block, &bad, true)), plain);
    }
    let missing = render(check_body(block, &Tree::empty(), true));
    assert_eq!(render(bodies.check(block, &Tree::empty(), true)), missing);
    assert_eq!(
        missing,
        [
            "name: missing required argument",
            "network: missing required block (at least 1)"
        ]
    );
}
