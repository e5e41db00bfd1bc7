//! Unit tests of terrane-core: expressions, stacks, the schema check and writing
//! (the other checks are tested in `checks/tests.rs`).

use std::collections::BTreeMap;

use crate::func;
use crate::*;

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

fn res(ty: &str) -> GenericResource {
    GenericResource::new(ty).provider(aws())
}

fn synth_one(f: impl Fn(&mut Target) + Send + Sync + 'static) -> Synthesized {
    let mut app = App::new();
    app.target("t", "test", f);
    app.synth("t").expect("synth")
}

// ---------- expressions ----------

#[test]
fn literal_strings_never_interpolate() {
    let t = Tree::from("cost: ${var.x} and %{if}");
    assert_eq!(t.to_json(), r#""cost: $${var.x} and %%{if}""#);
    assert_eq!(escape_template("$$ {} $ {"), "$$ {} $ {");
    assert_eq!(escape_template("ünï${x}"), "ünï$${x}");
}

#[test]
fn expressions_render_as_interpolations() {
    let e: Expr<String> = Expr::raw("var.region");
    assert_eq!(Tree::from(e).to_json(), r#""${var.region}""#);
}

#[test]
fn string_literals_inside_expressions_are_quoted_and_escaped() {
    let e = func::join("\"${x}\"", Expr::<List<String>>::raw("var.l"));
    assert_eq!(e.to_hcl(), r#"join("\"$${x}\"", var.l)"#);
    assert_eq!(
        Tree::from(e).to_json(),
        r#""${join(\"\\\"$${x}\\\"\", var.l)}""#
    );
}

#[test]
fn templates_mix_literals_and_expressions() {
    let host: Expr<String> = Expr::raw("var.host");
    let port: Expr<Number> = Expr::raw("var.port");
    let t = tmpl!("https://{}:{}/x?a=${{b}}&c={{d}}", host, port);
    assert_eq!(
        Tree::from(t.clone()).to_json(),
        r#""https://${var.host}:${var.port}/x?a=$${b}&c={d}""#
    );
    // inside another expression the template becomes a quoted HCL string
    let up = func::upper(t);
    assert_eq!(
        up.to_hcl(),
        r#"upper("https://${var.host}:${var.port}/x?a=$${b}&c={d}")"#
    );
    // literal arguments are merged into the text
    assert_eq!(tmpl!("{}-{}", "a", 3).to_hcl(), r#""a-3""#);
}

#[test]
fn numbers_keep_integers_whole() {
    assert_eq!(Tree::from(30).to_json(), "30");
    assert_eq!(Tree::from(0.7).to_json(), "0.7");
    assert_eq!(Tree::from(2.0).to_json(), "2");
    assert_eq!(
        Tree::Num(Number::from(u64::MAX)).to_json(),
        "18446744073709551615"
    );
}

#[test]
fn functions_are_typed_and_render() {
    let l: Expr<List<String>> = Expr::raw("var.names");
    let m: Expr<Map<String>> = Expr::raw("var.tags");
    let n: Expr<Number> = func::length(l.clone());
    assert_eq!(n.to_hcl(), "length(var.names)");
    assert_eq!(func::split(",", "a,b").to_hcl(), r#"split(",", "a,b")"#);
    assert_eq!(
        func::lookup(m.clone(), "env", "dev").to_hcl(),
        r#"lookup(var.tags, "env", "dev")"#
    );
    assert_eq!(
        func::element(l.clone(), 2).to_hcl(),
        "element(var.names, 2)"
    );
    assert_eq!(
        func::cidrsubnet("10.0.0.0/16", 8, 1).to_hcl(),
        r#"cidrsubnet("10.0.0.0/16", 8, 1)"#
    );
    assert_eq!(
        func::coalesce::<String>(vec![Expr::raw("var.a").into(), "b".into()]).to_hcl(),
        r#"coalesce(var.a, "b")"#
    );
    assert_eq!(
        func::try_::<String>(vec![m.get("x").into(), "none".into()]).to_hcl(),
        r#"try(var.tags["x"], "none")"#
    );
    assert_eq!(
        func::tostring(n.clone()).to_hcl(),
        "tostring(length(var.names))"
    );
    assert_eq!(func::tonumber("42").to_hcl(), r#"tonumber("42")"#);
    let extra: Value<Map<String>> = [("team", "core")].into();
    assert_eq!(
        func::merge(vec![m.clone().into(), extra]).to_hcl(),
        r#"merge(var.tags, {team = "core"})"#
    );
    let doc = Tree::object([
        ("Version", Tree::from("2012-10-17")),
        ("Statement", Tree::list([])),
    ]);
    assert_eq!(
        func::jsonencode_tree(doc).to_hcl(),
        r#"jsonencode({Version = "2012-10-17", Statement = []})"#
    );
    assert_eq!(func::join("-", l).to_hcl(), r#"join("-", var.names)"#);
}

#[test]
fn operators_and_conditionals() {
    let n: Expr<Number> = Expr::raw("var.n");
    let c = n.gt(3).and(n.le(10));
    assert_eq!(c.to_hcl(), "((var.n > 3) && (var.n <= 10))");
    let v: Expr<String> = c.then("big", "small");
    assert_eq!(
        v.to_hcl(),
        r#"(((var.n > 3) && (var.n <= 10)) ? "big" : "small")"#
    );
}

#[test]
fn list_and_map_indexing() {
    let l: Expr<List<String>> = Expr::raw("var.l");
    assert_eq!(l.at(0).to_hcl(), "var.l[0]");
    let m: Expr<Map<Number>> = Expr::raw("var.m");
    assert_eq!(m.get("a").to_hcl(), r#"var.m["a"]"#);
    let s: Expr<Set<String>> = Expr::raw("var.s");
    assert_eq!(s.to_list().at(1).to_hcl(), "tolist(var.s)[1]");
}

// ---------- stacks and rendering ----------

#[test]
fn meta_arguments_render_in_terraform_json_form() {
    let out = synth_one(|t| {
        let mut s = Stack::new("main");
        let west = s.provider(
            Provider::new(aws())
                .alias("west")
                .arg("region", "us-west-2"),
        );
        s.provider(Provider::new(aws()).arg("region", "us-east-1"));
        let vpc = s.add("main", res("aws_vpc").arg("cidr_block", "10.0.0.0/16"));
        let names: BTreeMap<&str, &str> = [("a", "x"), ("b", "y")].into();
        s.add_with(
            "logs",
            res("aws_s3_bucket").arg("bucket", tmpl!("logs-{}", each_key())),
            Meta::new()
                .for_each::<String>(names)
                .provider(&west)
                .depends_on(&vpc)
                .lifecycle(
                    Lifecycle::new()
                        .prevent_destroy()
                        .ignore_changes(["tags"])
                        .replace_triggered_by(&vpc),
                ),
        );
        s.add_with(
            "sub",
            res("aws_subnet").arg("vpc_id", vpc.id()).arg(
                "cidr_block",
                func::cidrsubnet("10.0.0.0/16", 8, count_index()),
            ),
            Meta::new().count(2),
        );
        t.add_stack(s);
    });
    let text = out.file("main/main.tf.json").unwrap();
    assert!(text.contains(r#""provider": "aws.west""#), "{text}");
    assert!(text.contains(r#""for_each": {"#));
    assert!(text.contains(r#""bucket": "logs-${each.key}""#));
    assert!(text.contains(
        r#""depends_on": [
          "aws_vpc.main"
        ]"#
    ));
    assert!(
        text.contains(
            r#""replace_triggered_by": [
            "aws_vpc.main"
          ]"#
        ),
        "{text}"
    );
    assert!(text.contains(r#""count": 2"#));
    assert!(text.contains(r#""cidr_block": "${cidrsubnet(\"10.0.0.0/16\", 8, count.index)}""#));
    // two configurations of one provider are written as a list
    assert!(
        text.contains(
            r#""aws": [
      {
        "alias": "west","#
        ),
        "{text}"
    );
}

#[test]
fn output_is_deterministic_and_sorted() {
    let build = |t: &mut Target| {
        let mut s = Stack::new("main");
        s.add("b", res("aws_sns_topic").arg("name", "b"));
        s.add("a", res("aws_sns_topic").arg("name", "a"));
        s.add("z", res("aws_kms_key"));
        t.add_stack(s);
    };
    let one = synth_one(build);
    let two = synth_one(build);
    assert_eq!(one.files, two.files);
    let text = one.file("main/main.tf.json").unwrap();
    let a = text.find("\"a\": {").unwrap();
    let b = text.find("\"b\": {").unwrap();
    assert!(text.find("aws_kms_key").unwrap() < text.find("aws_sns_topic").unwrap());
    assert!(a < b);
}

#[test]
fn cross_stack_reference_becomes_output_and_remote_state() {
    let out = synth_one(|t| {
        let mut net = Stack::new("network");
        net.backend(Backend::s3("state", "net.tfstate", "us-east-1"));
        let vpc = net.add("main", res("aws_vpc").arg("cidr_block", "10.0.0.0/16"));
        let subnets = net.add_with(
            "private",
            res("aws_subnet").arg("vpc_id", vpc.id()),
            Meta::new().count(2),
        );
        let mut app = Stack::new("app");
        app.add_with(
            "web",
            res("aws_instance")
                .arg("subnet_id", subnets.at(count_index()).attr::<String>("id"))
                .arg("ami", "ami-1"),
            Meta::new().count(2),
        );
        app.add("sg", res("aws_security_group").arg("vpc_id", vpc.id()));
        t.add_stack(app);
        t.add_stack(net);
    });
    assert_eq!(out.stacks[0].name, "network");
    assert_eq!(out.stacks[1].depends_on, vec!["network"]);
    let net = out.file("network/main.tf.json").unwrap();
    assert!(
        net.contains(
            r#""aws_vpc_main_id": {
      "value": "${aws_vpc.main.id}""#
        ),
        "{net}"
    );
    // a computed index stays in the consumer; the whole list is exported
    assert!(
        net.contains(
            r#""aws_subnet_private": {
      "value": "${aws_subnet.private}""#
        ),
        "{net}"
    );
    let app = out.file("app/main.tf.json").unwrap();
    assert!(app.contains(r#""subnet_id": "${data.terraform_remote_state.network.outputs.aws_subnet_private[count.index].id}""#), "{app}");
    assert!(app.contains(r#""backend": "s3""#));
    assert!(app.contains(r#""use_lockfile": true"#));
    let manifest = out.file("manifest.json").unwrap();
    assert!(
        manifest.contains(
            r#""depends_on": [
        "network"
      ]"#
        ),
        "{manifest}"
    );
}

#[test]
fn a_value_the_producer_already_outputs_is_read_from_that_output() {
    let out = synth_one(|t| {
        let mut net = Stack::new("network");
        let vpc = net.add("main", res("aws_vpc").arg("cidr_block", "10.0.0.0/16"));
        net.output("vpc_id", Output::new(vpc.id()));
        let mut app = Stack::new("app");
        app.add("sg", res("aws_security_group").arg("vpc_id", vpc.id()));
        app.add(
            "sg2",
            res("aws_security_group").arg("description", vpc.attr::<String>("arn")),
        );
        t.add_stack(net);
        t.add_stack(app);
    });
    let net = out.file("network/main.tf.json").unwrap();
    // The program's own name, no second output of the same value.
    assert!(!net.contains("aws_vpc_main_id"), "{net}");
    // A value the producer does not output is still exported under a derived name.
    assert!(net.contains(r#""aws_vpc_main_arn": {"#), "{net}");
    let app = out.file("app/main.tf.json").unwrap();
    assert!(
        app.contains(r#""vpc_id": "${data.terraform_remote_state.network.outputs.vpc_id}""#),
        "{app}"
    );
}

#[test]
fn variables_locals_outputs_modules_moved_import() {
    let out = synth_one(|t| {
        let mut s = Stack::new("main");
        let env = s.variable(
            "env",
            Variable::<String>::new()
                .description("Environment")
                .default("dev")
                .validation(
                    |v| func::contains(vec!["dev", "prod"], v),
                    "env must be dev or prod",
                ),
        );
        let token = s.variable(
            "token",
            Variable::<String>::new().sensitive().supplied_at_apply(),
        );
        let name = s.local("name", tmpl!("app-{}", env));
        let topic = s.add("t", res("aws_sns_topic").arg("name", &name));
        let m = s.module(
            "vpc",
            Module::new("terraform-aws-modules/vpc/aws")
                .version("5.8.1")
                .input("name", &name),
        );
        s.output("vpc_id", Output::new(m.output::<String>("vpc_id")));
        s.output("token", Output::new(token).sensitive());
        s.moved("aws_sns_topic.old", &topic);
        s.import(&topic, "arn:aws:sns:us-east-1:123456789012:app-dev");
        t.add_stack(s);
    });
    let text = out.file("main/main.tf.json").unwrap();
    for needle in [
        r#""type": "string""#,
        r#""condition": "${contains([\"dev\", \"prod\"], var.env)}""#,
        r#""name": "${local.name}""#,
        r#""name": "app-${var.env}""#,
        r#""source": "terraform-aws-modules/vpc/aws""#,
        r#""value": "${module.vpc.vpc_id}""#,
        r#""from": "aws_sns_topic.old""#,
        r#""to": "aws_sns_topic.t""#,
        r#""id": "arn:aws:sns:us-east-1:123456789012:app-dev""#,
        r#""sensitive": true"#,
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

#[test]
fn set_variable_writes_tfvars() {
    let out = synth_one(|t| {
        let mut s = Stack::new("main");
        let p = s.variable("project", Variable::<String>::new());
        s.set_variable("project", "acme");
        s.add("t", res("aws_sns_topic").arg("name", p));
        t.add_stack(s);
    });
    assert_eq!(
        out.file("main/terraform.tfvars.json").unwrap(),
        "{\n  \"project\": \"acme\"\n}\n"
    );
}

#[test]
fn overrides_apply_last_and_are_visible() {
    let out = synth_one(|t| {
        let mut s = Stack::new("main");
        let b = s.add(
            "b",
            res("aws_s3_bucket")
                .arg("bucket", "x")
                .arg("tags", Tree::object([("a", Tree::from("1"))])),
        );
        s.add_override(&b, "tags.b", "2");
        s.add_override(&b, "object_lock_enabled", true);
        s.remove_override(&b, "tags.a");
        t.add_stack(s);
    });
    let text = out.file("main/main.tf.json").unwrap();
    assert!(text.contains("\"tags\": {\n          \"b\": \"2\"\n        },\n        \"object_lock_enabled\": true"), "{text}");
}

// ---------- schema check ----------

const SCHEMA: &str = r#"{"terrane":{"provider":"aws","source":"hashicorp/aws","version":"5.100.0"},
"provider_schemas":{"registry.terraform.io/hashicorp/aws":{
 "provider":{"block":{"attributes":{"region":{"type":"string","optional":true}}}},
 "resource_schemas":{"aws_thing":{"version":0,"block":{
   "attributes":{
     "name":{"type":"string","required":true},
     "size":{"type":"number","optional":true},
     "tags":{"type":["map","string"],"optional":true},
     "arn":{"type":"string","computed":true},
     "ingress":{"type":["set",["object",{"from_port":"number","cidr_blocks":["list","string"]}]],"optional":true}
   },
   "block_types":{
     "rule":{"nesting_mode":"list","block":{"attributes":{"days":{"type":"number","required":true}}}},
     "config":{"nesting_mode":"list","max_items":1,"block":{"attributes":{"on":{"type":"bool","optional":true}}}},
     "needed":{"nesting_mode":"list","min_items":1,"block":{"attributes":{}}}
   }}}},
 "data_source_schemas":{}}}}"#;

fn schema_errors(body: GenericResource) -> Vec<String> {
    let mut app = App::new();
    let mut set = SchemaSet::new();
    set.add(std::sync::Arc::new(
        schema::ProviderSchema::from_json(SCHEMA).unwrap(),
    ));
    app.schemas(set);
    let body = std::sync::Mutex::new(Some(body));
    app.target("t", "", move |t| {
        let mut s = Stack::new("main");
        if let Some(b) = body.lock().unwrap().take() {
            s.add("x", b);
        }
        t.add_stack(s);
    });
    match app.synth("t") {
        Ok(_) => vec![],
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => vec![e.to_string()],
    }
}

fn thing() -> GenericResource {
    res("aws_thing").arg("needed", Tree::list([Tree::empty()]))
}

#[test]
fn schema_accepts_valid_body() {
    assert!(schema_errors(thing().arg("name", "a").arg("size", 3)).is_empty());
}

#[test]
fn schema_unknown_argument() {
    assert_eq!(
        schema_errors(thing().arg("name", "a").arg("sise", 3)),
        vec!["error: [t/main] aws_thing.x: sise: unknown argument `sise` (did you mean `size`?)"]
    );
}

#[test]
fn schema_missing_required_argument_and_block() {
    assert_eq!(
        schema_errors(res("aws_thing")),
        vec![
            "error: [t/main] aws_thing.x: name: missing required argument",
            "error: [t/main] aws_thing.x: needed: missing required block (at least 1)",
        ]
    );
}

#[test]
fn schema_wrong_type() {
    assert_eq!(
        schema_errors(
            thing()
                .arg("name", "a")
                .arg("size", "big")
                .arg("tags", Tree::list([]))
        ),
        vec![
            "error: [t/main] aws_thing.x: size: expected number, got string",
            "error: [t/main] aws_thing.x: tags: expected map(string), got list",
        ]
    );
}

#[test]
fn schema_block_vs_attribute() {
    assert_eq!(
        schema_errors(thing().arg("name", "a").arg("rule", 30).arg("config", Expr::<String>::raw("[]"))),
        vec![
            "error: [t/main] aws_thing.x: rule: is a block; give it as an object (or a list of objects), not as an attribute value",
            "error: [t/main] aws_thing.x: config: is a block; give it as an object (or a list of objects), not an expression",
        ]
    );
}

#[test]
fn schema_too_many_blocks_and_nested_paths() {
    assert_eq!(
        schema_errors(
            thing()
                .arg("name", "a")
                .arg("config", Tree::list([Tree::empty(), Tree::empty()]))
                .arg("rule", Tree::list([Tree::object([("days", Tree::from(1))]), Tree::object([("dayz", Tree::from(1))])]))
        ),
        vec![
            "error: [t/main] aws_thing.x: config: allows at most 1 block(s); 2 were given",
            "error: [t/main] aws_thing.x: rule[1].dayz: unknown argument `dayz` (did you mean `days`?)",
            "error: [t/main] aws_thing.x: rule[1].days: missing required argument",
        ]
    );
}

#[test]
fn schema_read_only_attribute() {
    assert_eq!(
        schema_errors(thing().arg("name", "a").arg("arn", "x")),
        vec!["error: [t/main] aws_thing.x: arn: is read-only (computed by the provider) and cannot be set"]
    );
}

#[test]
fn schema_check_covers_overrides() {
    let mut app = App::new();
    let mut set = SchemaSet::new();
    set.add(std::sync::Arc::new(
        schema::ProviderSchema::from_json(SCHEMA).unwrap(),
    ));
    app.schemas(set);
    app.target("t", "", |t| {
        let mut s = Stack::new("main");
        let x = s.add("x", thing().arg("name", "a"));
        s.add_override(&x, "size", Tree::list([]));
        t.add_stack(s);
    });
    let Err(Error::Checks(d)) = app.synth("t") else {
        panic!("expected a check error")
    };
    assert_eq!(
        d.lines(),
        vec!["error: [t/main] aws_thing.x: size: expected number, got list"]
    );
}

// ---------- writing ----------

fn tmpdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("terrane-core-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn write_replaces_target_atomically() {
    let dir = tmpdir("write");
    let make = |content: &str| Synthesized {
        target: "t".into(),
        files: [("s/main.tf.json".to_string(), content.to_string())].into(),
        stacks: vec![],
        warnings: vec![],
    };
    write_targets(&dir, &[make("one")]).unwrap();
    std::fs::write(dir.join("t/stale.txt"), "x").unwrap();
    write_targets(&dir, &[make("two")]).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("t/s/main.tf.json")).unwrap(),
        "two"
    );
    assert!(
        !dir.join("t/stale.txt").exists(),
        "old files are gone after a replace"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("t")]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failed_write_leaves_previous_output() {
    let dir = tmpdir("fail");
    let good = Synthesized {
        target: "t".into(),
        files: [("s/main.tf.json".to_string(), "good".to_string())].into(),
        stacks: vec![],
        warnings: vec![],
    };
    write_targets(&dir, &[good]).unwrap();
    let bad = Synthesized {
        target: "t".into(),
        files: [
            ("s/main.tf.json".to_string(), "new".to_string()),
            ("../escape".to_string(), "x".to_string()),
        ]
        .into(),
        stacks: vec![],
        warnings: vec![],
    };
    assert!(write_targets(&dir, &[bad]).is_err());
    assert_eq!(
        std::fs::read_to_string(dir.join("t/s/main.tf.json")).unwrap(),
        "good"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failed_checks_write_nothing_through_the_app() {
    let mut app = App::new();
    app.target("t", "", |t| {
        let mut s = Stack::new("main");
        s.variable("v", Variable::<String>::new());
        t.add_stack(s);
    });
    assert!(matches!(
        app.synth_many(&["t".into()]),
        Err(Error::Checks(_))
    ));
}

#[test]
fn unknown_target_is_an_error() {
    let app = App::new();
    assert_eq!(
        app.synth("nope").unwrap_err().to_string(),
        "unknown target `nope`; known targets: "
    );
}

// ---------- file sets ----------

struct Manifests(Expr<String>);
impl FileSet for Manifests {
    fn dir(&self) -> &str {
        "k8s"
    }
    fn render(
        &self,
        ctx: &mut FileSetContext<'_>,
    ) -> std::result::Result<Vec<(String, String)>, Vec<Diagnostic>> {
        let o = ctx
            .terraform_output(&self.0)
            .map_err(|m| vec![Diagnostic::new(m)])?;
        Ok(vec![(
            "env".into(),
            format!("DB_HOST from {}/{}\n", o.stack, o.output),
        )])
    }
}

#[test]
fn file_sets_export_terraform_values() {
    let out = synth_one(|t| {
        let mut s = Stack::new("data");
        let db = s.add(
            "main",
            res("aws_db_instance").arg("instance_class", "db.t4g.micro"),
        );
        t.add_files(Manifests(db.attr("address")));
        t.add_stack(s);
    });
    assert_eq!(
        out.file("k8s/env").unwrap(),
        "DB_HOST from data/aws_db_instance_main_address\n"
    );
    assert!(out
        .file("data/main.tf.json")
        .unwrap()
        .contains(r#""aws_db_instance_main_address": {"#));
}

#[test]
fn schema_object_attributes_need_every_key() {
    assert_eq!(
        schema_errors(thing().arg("name", "a").arg("ingress", Tree::list([Tree::object([("from_port", Tree::from(443))])]))),
        vec!["error: [t/main] aws_thing.x: ingress[0].cidr_blocks: missing attribute `cidr_blocks` of the object (give null to leave it unset)"]
    );
    assert!(schema_errors(thing().arg("name", "a").arg(
        "ingress",
        Tree::list([Tree::object([
            ("from_port", Tree::from(443)),
            ("cidr_blocks", Tree::Null)
        ])])
    ))
    .is_empty());
}
