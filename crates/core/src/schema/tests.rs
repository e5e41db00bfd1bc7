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
