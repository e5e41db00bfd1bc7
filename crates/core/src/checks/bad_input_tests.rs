//! The bad inputs of issue 12, each as a new user would write it, with the exact
//! message terrane gives (terraform would reject every one of them later, or worse,
//! accept it and do something else).

use std::collections::BTreeMap;

use crate::*;

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

fn res(ty: &str) -> GenericResource {
    GenericResource::new(ty).provider(aws())
}

/// Synthesizes one target built by `f`: its error lines, or its files.
fn synth(f: impl Fn(&mut Target) + Send + Sync + 'static) -> Result<Synthesized> {
    let mut app = App::new();
    app.target("t", "test", f);
    app.synth("t")
}

fn errors(f: impl Fn(&mut Target) + Send + Sync + 'static) -> Vec<String> {
    match synth(f) {
        Ok(_) => vec![],
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => vec![format!("other error: {e}")],
    }
}

fn main_tf(f: impl Fn(&mut Target) + Send + Sync + 'static) -> String {
    match synth(f) {
        Ok(out) => out
            .file("main/main.tf.json")
            .unwrap_or_default()
            .to_string(),
        Err(e) => panic!("{e}"),
    }
}

fn one_stack(f: impl Fn(&mut Stack) + Send + Sync + 'static) -> impl Fn(&mut Target) + Send + Sync {
    move |t| {
        let mut s = Stack::new("main");
        f(&mut s);
        t.add_stack(s);
    }
}

#[test]
fn map_keys_are_escaped_like_values() {
    let text = main_tf(one_stack(|s| {
        let tags: BTreeMap<String, String> = [
            ("${path.module}".to_string(), "v".to_string()),
            ("%{if true}k%{endif}".to_string(), "${x}".to_string()),
        ]
        .into();
        s.add("t", res("aws_sns_topic").arg_value("tags", tags));
    }));
    assert!(text.contains(r#""$${path.module}": "v""#), "{text}");
    assert!(
        text.contains(r#""%%{if true}k%%{endif}": "$${x}""#),
        "{text}"
    );
}

#[test]
fn self_reference_is_refused() {
    let e = errors(one_stack(|s| {
        s.add(
            "a",
            res("aws_sns_topic").arg("name", Expr::<String>::raw("aws_sns_topic.a.id")),
        );
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: name: refers to the block itself (`aws_sns_topic.a`); a block cannot depend on its own attributes"]);
}

#[test]
fn reference_cycle_inside_a_stack_is_refused() {
    let e = errors(one_stack(|s| {
        s.add(
            "a",
            res("aws_sns_topic").arg("name", Expr::<String>::raw("aws_sns_topic.b.name")),
        );
        s.add(
            "b",
            res("aws_sns_topic").arg("name", Expr::<String>::raw("aws_sns_topic.a.name")),
        );
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: references form a cycle: aws_sns_topic.a -> aws_sns_topic.b -> aws_sns_topic.a"]);
}

#[test]
fn moved_onto_itself_is_refused() {
    let e = errors(one_stack(|s| {
        let a = s.add("a", res("aws_sns_topic"));
        s.moved("aws_sns_topic.a", &a);
    }));
    assert_eq!(e, vec!["error: [t/main] moved.aws_sns_topic.a: from: `from` and `to` are the same address; remove the moved block"]);
}

#[test]
fn empty_module_source_is_refused() {
    let e = errors(one_stack(|s| {
        s.module("m", Module::new(""));
    }));
    assert_eq!(
        e,
        vec!["error: [t/main] module.m: source: module source is empty"]
    );
}

#[test]
fn empty_import_id_is_refused() {
    let e = errors(one_stack(|s| {
        let a = s.add("a", res("aws_sns_topic"));
        s.import(&a, "");
    }));
    assert_eq!(
        e,
        vec!["error: [t/main] import.aws_sns_topic.a: id: import id is empty"]
    );
}

#[test]
fn negative_count_is_refused() {
    let e = errors(one_stack(|s| {
        s.add_with("a", res("aws_sns_topic"), Meta::new().count(-1));
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: count: count is -1; it must be a whole number of at least 0"]);
}

#[test]
fn integers_above_2_pow_53_are_written_exactly() {
    let text = main_tf(one_stack(|s| {
        s.add("a", res("aws_thing").arg("n", u64::MAX).arg("m", i64::MAX));
    }));
    assert!(text.contains("\"n\": 18446744073709551615"), "{text}");
    assert!(text.contains("\"m\": 9223372036854775807"), "{text}");
}

/// `upper(upper(...(var.x)))`, `depth` calls deep.
fn nested_calls(depth: usize) -> Expr<String> {
    let mut e: Expr<String> = Expr::raw("var.x");
    for _ in 0..depth {
        e = func::call_fn("upper", vec![Value::from(e).into_node()]);
    }
    e
}

#[test]
fn deep_nesting_is_one_error_not_an_overflow() {
    let start = std::time::Instant::now();
    let e = errors(one_stack(|s| {
        s.variable("x", Variable::<String>::new().default("a"));
        s.add("a", res("aws_sns_topic").arg("name", nested_calls(100_000)));
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: name: expression is nested more than 256 levels deep; split it with locals"]);
    assert!(start.elapsed().as_secs() < 2, "{:?}", start.elapsed());
}

#[test]
fn nesting_up_to_the_limit_renders() {
    let text = main_tf(one_stack(|s| {
        s.variable("x", Variable::<String>::new().default("a"));
        s.add("a", res("aws_sns_topic").arg("name", nested_calls(250)));
    }));
    assert!(text.contains("upper(upper(var.x))"), "{text}");
}

#[test]
fn import_into_an_undeclared_block_or_a_data_source_is_refused() {
    let e = errors(one_stack(|s| {
        let ghost = GenericRef::from_base(RefBase {
            stack: s.id(),
            kind: BlockKind::Resource,
            ty: "aws_sns_topic".into(),
            name: "ghost".into(),
            index: None,
        });
        s.import(&ghost, "arn:aws:sns:us-east-1:123456789012:ghost");
        let d = s.data("d", GenericDataSource::new("aws_region").provider(aws()));
        s.import(&d, "us-east-1");
    }));
    assert_eq!(
        e,
        vec![
            "error: [t/main] import.aws_sns_topic.ghost: to: `aws_sns_topic.ghost` is not declared in this stack",
            "error: [t/main] import.data.aws_region.d: to: an import block must point at a managed resource, not a data source",
        ]
    );
}

#[test]
fn version_on_a_local_module_is_refused() {
    let e = errors(one_stack(|s| {
        s.module("m", Module::new("./modules/net").version("1.0.0"));
    }));
    assert_eq!(e, vec!["error: [t/main] module.m: version: `./modules/net` is a local path; version applies only to registry modules"]);
}

#[test]
fn fractional_count_is_refused() {
    let e = errors(one_stack(|s| {
        s.add_with("a", res("aws_sns_topic"), Meta::new().count(1.5));
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: count: count is 1.5; it must be a whole number of at least 0"]);
}

#[test]
fn cycle_through_a_local_is_refused() {
    let e = errors(one_stack(|s| {
        s.local("n", Expr::<String>::raw("aws_sns_topic.a.name"));
        s.add(
            "a",
            res("aws_sns_topic").arg("name", Expr::<String>::raw("local.n")),
        );
    }));
    assert_eq!(e, vec!["error: [t/main] aws_sns_topic.a: references form a cycle: aws_sns_topic.a -> local.n -> aws_sns_topic.a"]);
}

#[test]
fn ignore_changes_outside_the_schema_is_refused() {
    const SCHEMA: &str = r#"{"provider_schemas":{"registry.terraform.io/hashicorp/aws":{
      "resource_schemas":{"aws_thing":{"version":0,"block":{
        "attributes":{"name":{"type":"string","optional":true},"tags":{"type":["map","string"],"optional":true}},
        "block_types":{"rule":{"nesting_mode":"list","block":{"attributes":{"days":{"type":"number","optional":true}}}}}}}}}}}"#;
    let mut app = App::new();
    let mut set = SchemaSet::new();
    set.add(std::sync::Arc::new(
        schema::ProviderSchema::from_json(SCHEMA).unwrap(),
    ));
    app.schemas(set);
    app.target(
        "t",
        "",
        one_stack(|s| {
            let l = Lifecycle::new().ignore_changes([
                "tags[\"Name\"]",
                "rule[0].days",
                "tag",
                "xyzzy.x",
            ]);
            s.add_with("x", res("aws_thing"), Meta::new().lifecycle(l));
        }),
    );
    let Err(Error::Checks(d)) = app.synth("t") else {
        panic!("accepted")
    };
    assert_eq!(
        d.lines(),
        vec![
            "error: [t/main] aws_thing.x: lifecycle.ignore_changes: `tag` is not an argument of aws_thing (did you mean `tags`?)",
            "error: [t/main] aws_thing.x: lifecycle.ignore_changes: `xyzzy.x` is not an argument of aws_thing",
        ]
    );
}

#[test]
fn the_schema_check_is_on_without_registering_schemas() {
    // The README's own setup: a RequiredProvider and GenericResource, no App::schemas.
    let e = errors(one_stack(|s| {
        s.add("main", res("aws_vpc").arg("cidr_blok", "10.0.0.0/16"));
    }));
    assert_eq!(
        e,
        vec!["error: [t/main] aws_vpc.main: cidr_blok: unknown argument `cidr_blok` (did you mean `cidr_block`?)"]
    );
    // Another major version: the embedded 5.100 schema says nothing reliable about it.
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let aws4 = RequiredProvider::new("aws", "hashicorp/aws", "4.67.0");
        s.add(
            "main",
            GenericResource::new("aws_vpc")
                .provider(aws4)
                .arg("cidr_blok", "x"),
        );
        t.add_stack(s);
    });
    assert_eq!(e, Vec::<String>::new());
}

static ACME: crate::schema::LazySchema = crate::schema::LazySchema::new(
    "acme",
    r#"{"provider_schemas":{"example/acme":{"resource_schemas":{"acme_widget":{"block":{
      "attributes":{"name":{"type":"string","required":true}}}}}}}}"#,
);

#[test]
fn a_requirement_carrying_a_schema_turns_the_check_on() {
    // What a crate made by `terrane get` does: core embeds nothing for example/acme.
    let acme = || RequiredProvider::new("acme", "example/acme", "1.0.0");
    let widget = |p: RequiredProvider| {
        GenericResource::new("acme_widget")
            .provider(p)
            .arg("nmae", "w")
    };
    let e = errors(move |t| {
        let mut s = Stack::new("main");
        s.add("w", widget(acme().with_schema(&ACME)));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] acme_widget.w: nmae: unknown argument `nmae` (did you mean `name`?)",
            "error: [t/main] acme_widget.w: name: missing required argument",
        ]
    );
    // a requirement made by hand first, then one carrying the schema: the schema is kept
    let e = errors(move |t| {
        let mut s = Stack::new("main");
        s.require_provider(acme());
        s.add("w", widget(acme().with_schema(&ACME)));
        t.add_stack(s);
    });
    assert_eq!(e.len(), 2, "{e:?}");
    // without it, nothing checks acme's types
    let e = errors(move |t| {
        let mut s = Stack::new("main");
        s.add("w", widget(acme()));
        t.add_stack(s);
    });
    assert_eq!(e, Vec::<String>::new());
}
