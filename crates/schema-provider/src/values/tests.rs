use super::*;

fn block(json: &str) -> Block {
    serde_json::from_str(json).unwrap()
}

fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect(),
    )
}

const SCHEMA: &str = r#"{
  "attributes": {
    "id": {"type": "string", "optional": true, "computed": true},
    "name": {"type": "string", "required": true},
    "labels": {"type": ["map", "string"], "computed": true},
    "note": {"type": "string", "optional": true}
  },
  "block_types": {
    "rule": {"nesting_mode": "list", "block": {"attributes": {
      "uid": {"type": "string", "computed": true}}}},
    "tag": {"nesting_mode": "set", "block": {"attributes": {
      "uid": {"type": "string", "computed": true}}}}
  }
}"#;

#[test]
fn plan_marks_computed_nulls_unknown_and_keeps_the_rest() {
    let b = block(SCHEMA);
    let mut v = map(vec![
        ("id", Value::Nil),
        ("name", Value::from("a")),
        ("labels", Value::Nil),
        ("note", Value::Nil),
        ("rule", Value::Array(vec![map(vec![("uid", Value::Nil)])])),
        ("tag", Value::Array(vec![map(vec![("uid", Value::Nil)])])),
    ]);
    fill_computed(&b, &mut v, Fill::Unknown);
    let want = map(vec![
        ("id", unknown()),
        ("name", Value::from("a")),
        ("labels", unknown()),
        ("note", Value::Nil),
        ("rule", Value::Array(vec![map(vec![("uid", unknown())])])),
        ("tag", Value::Array(vec![map(vec![("uid", Value::Nil)])])),
    ]);
    assert_eq!(v, want);
}

#[test]
fn data_sources_get_typed_placeholders() {
    let b = block(SCHEMA);
    let mut v = map(vec![
        ("id", Value::Nil),
        ("name", Value::from("a")),
        ("labels", Value::Nil),
        ("note", Value::Nil),
    ]);
    fill_computed(&b, &mut v, Fill::Placeholder);
    let want = map(vec![
        ("id", Value::from("terrane-placeholder")),
        ("name", Value::from("a")),
        ("labels", Value::Map(vec![])),
        ("note", Value::Nil),
    ]);
    assert_eq!(v, want);
    let obj: CtyType = serde_json::from_str(r#"["object", {"n": "number", "b": "bool"}]"#).unwrap();
    assert_eq!(
        placeholder(&obj),
        map(vec![("b", Value::from(false)), ("n", Value::from(0))])
    );
}

#[test]
fn import_sets_only_the_id() {
    let v = imported(&block(SCHEMA), "projects/p/x");
    let want = map(vec![
        ("id", Value::from("projects/p/x")),
        ("labels", Value::Nil),
        ("name", Value::Nil),
        ("note", Value::Nil),
        ("rule", Value::Array(vec![])),
        ("tag", Value::Array(vec![])),
    ]);
    assert_eq!(v, want);
}

#[test]
fn unknowns_survive_the_serde_msgpack_round_trip_tf_provider_uses() {
    let v = map(vec![("id", unknown()), ("n", Value::from(3))]);
    let bytes = rmp_serde::to_vec_named(&v).unwrap();
    // fixext1 with type 0: what cty reads as an unknown value
    assert!(bytes.windows(3).any(|w| w == [0xd4, 0, 0]), "{bytes:x?}");
    assert_eq!(rmp_serde::from_slice::<Value>(&bytes).unwrap(), v);
}
