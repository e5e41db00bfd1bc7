//! One test per check, with the exact message of each (the failing inputs that pin
//! every family of the table in `checks/mod.rs`), and the rule extension point.

use crate::func;
use crate::*;

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

fn res(ty: &str) -> GenericResource {
    GenericResource::new(ty).provider(aws())
}

/// Synthesizes one target built by `f` and returns the error lines.
fn errors(f: impl Fn(&mut Target) + Send + Sync + 'static) -> Vec<String> {
    let mut app = App::new();
    app.target("t", "test", f);
    match app.synth("t") {
        Ok(_) => vec![],
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => vec![format!("other error: {e}")],
    }
}

#[test]
fn check_reference_to_stack_outside_target() {
    let e = errors(|t| {
        let mut other = Stack::new("other");
        let vpc = other.add("main", res("aws_vpc"));
        let mut s = Stack::new("main");
        s.add("sg", res("aws_security_group").arg("vpc_id", vpc.id()));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] aws_security_group.sg: vpc_id: refers to `aws_vpc.main`, declared in a stack that is not part of target `t`; add that stack to the target"]
    );
}

#[test]
fn check_raw_reference_to_undeclared() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add(
            "sg",
            res("aws_security_group").arg("vpc_id", Expr::<String>::raw("aws_vpc.nope.id")),
        );
        s.add(
            "t",
            res("aws_sns_topic").arg("name", Expr::<String>::raw("\"x-${var.missing}\"")),
        );
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] aws_security_group.sg: vpc_id: raw expression `aws_vpc.nope.id` refers to `aws_vpc.nope`, which is not declared in this stack",
            "error: [t/main] aws_sns_topic.t: name: raw expression `\"x-${var.missing}\"` refers to `var.missing`, which is not declared in this stack",
        ]
    );
}

#[test]
fn check_duplicate_address() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic"));
        s.add("a", res("aws_sns_topic"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] aws_sns_topic.a: address is declared more than once in this stack"]
    );
}

#[test]
fn check_invalid_identifier() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("1bad.name", res("aws_sns_topic"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] aws_sns_topic.1bad.name: `1bad.name` is not a valid Terraform identifier: use letters, digits, `_` and `-`, starting with a letter or `_`"]
    );
}

#[test]
fn check_invalid_stack_name_and_duplicate_stack() {
    let e = errors(|t| {
        t.add_stack(Stack::new("a/b"));
        t.add_stack(Stack::new("x"));
        t.add_stack(Stack::new("x"));
    });
    assert_eq!(
        e,
        vec![
            "error: [t/a/b] stack name `a/b` is not valid: use letters, digits, `_` and `-`, starting with a letter",
            "error: [t/x] stack `x` is added to the target more than once",
        ]
    );
}

#[test]
fn check_stack_cycle() {
    let e = errors(|t| {
        let mut a = Stack::new("a");
        let mut b = Stack::new("b");
        let ta = a.add("t", res("aws_sns_topic"));
        let tb = b.add(
            "t",
            res("aws_sns_topic").arg("name", ta.attr::<String>("name")),
        );
        a.add(
            "u",
            res("aws_sns_topic").arg("name", tb.attr::<String>("name")),
        );
        t.add_stack(a);
        t.add_stack(b);
    });
    assert_eq!(
        e,
        vec!["error: [t] stacks depend on each other in a cycle (a -> b -> a); cross-stack references must go one way"]
    );
}

#[test]
fn check_sensitive_value_in_plain_output() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let tok = s.variable(
            "token",
            Variable::<String>::new().sensitive().supplied_at_apply(),
        );
        s.output("leak", Output::new(tmpl!("Bearer {}", tok)));
        s.output("leak_raw", Output::new(Expr::<String>::raw("var.token")));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] output.leak: value: uses the sensitive value `var.token` but the output is not marked sensitive; call .sensitive() on the Output",
            "error: [t/main] output.leak_raw: value: uses the sensitive value `var.token` but the output is not marked sensitive; call .sensitive() on the Output",
        ]
    );
}

#[test]
fn check_sensitive_value_through_local() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let tok = s.variable(
            "token",
            Variable::<String>::new().sensitive().supplied_at_apply(),
        );
        let l = s.local("header", tmpl!("Bearer {}", tok));
        s.output("leak", Output::new(l));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] output.leak: value: uses the sensitive value `local.header` but the output is not marked sensitive; call .sensitive() on the Output"]
    );
}

#[test]
fn check_required_variable_unset() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.variable("project", Variable::<String>::new());
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] var.project: variable has no default and target `t` sets no value; give it a default, set it with Stack::set_variable, or mark it supplied_at_apply"]
    );
}

#[test]
fn check_value_for_undeclared_or_sensitive_variable() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.variable("pw", Variable::<String>::new().sensitive());
        s.set_variable("pw", "hunter2");
        s.set_variable("nope", "x");
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] var.pw: a sensitive variable's value would be written to terraform.tfvars.json; mark it supplied_at_apply instead",
            "error: [t/main] var.nope: a value is set for a variable that is not declared in this stack",
        ]
    );
}

#[test]
fn check_attribute_of_a_repeated_block_needs_an_instance() {
    let e = errors(|t| {
        let mut net = Stack::new("net");
        let subnets = net.add_with(
            "private",
            res("aws_subnet")
                .arg("vpc_id", "vpc-1")
                .arg("cidr_block", "10.0.0.0/24"),
            Meta::new().count(2),
        );
        let mut s = Stack::new("main");
        let buckets = s.add_with(
            "logs",
            res("aws_s3_bucket").arg("bucket", each_key()),
            Meta::new().for_each_set(["a", "b"]),
        );
        // missing instance: for_each in this stack, count in another
        s.add("p", res("aws_s3_bucket_policy").arg("bucket", buckets.id()));
        s.add("i", res("aws_instance").arg("subnet_id", subnets.id()));
        // fine: one instance, the same key, the whole block
        s.add(
            "q",
            res("aws_s3_bucket_policy").arg("bucket", buckets.key("a").id()),
        );
        s.add_with(
            "v",
            res("aws_s3_bucket_versioning")
                .arg("bucket", buckets.key(each_key()).id())
                .arg(
                    "versioning_configuration",
                    Tree::object([("status", Tree::from("Enabled"))]),
                ),
            Meta::new().for_each_set(["a", "b"]),
        );
        s.add(
            "j",
            res("aws_instance").arg("subnet_id", subnets.at(0).id()),
        );
        s.output("all", Output::new(buckets.whole::<Dynamic>()));
        t.add_stack(net);
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] aws_s3_bucket_policy.p: bucket: reads `aws_s3_bucket.logs.id`, but `aws_s3_bucket.logs` sets for_each: refer to one instance with `.key(each_key())` or `.key(\"name\")` (`aws_s3_bucket.logs[each.key].id`), or to all of them with `.whole()`",
            "error: [t/main] aws_instance.i: subnet_id: reads `aws_subnet.private.id`, but `aws_subnet.private` sets count: refer to one instance with `.at(count_index())` or `.at(0)` (`aws_subnet.private[count.index].id`), or to all of them with `.whole()`",
        ]
    );
}

#[test]
fn check_each_and_count_outside_their_blocks() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic").arg("name", each_key()));
        s.add(
            "b",
            res("aws_sns_topic").arg("name", func::tostring(count_index())),
        );
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] aws_sns_topic.a: name: `each.key` is used outside a block that sets for_each",
            "error: [t/main] aws_sns_topic.b: name: `count.index` is used outside a block that sets count",
        ]
    );
}

#[test]
fn check_provider_not_configured_and_version_conflict() {
    let e = errors(|t| {
        let mut other = Stack::new("other");
        let west = other.provider(Provider::new(aws()).alias("west"));
        let mut s = Stack::new("main");
        s.add_with("a", res("aws_sns_topic"), Meta::new().provider(&west));
        s.add(
            "b",
            GenericResource::new("aws_sns_topic").provider(RequiredProvider::new(
                "aws",
                "hashicorp/aws",
                "6.0.0",
            )),
        );
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] terraform: required_providers: provider `aws` is required as hashicorp/aws 5.100.0 and as hashicorp/aws 6.0.0; one stack can pin only one version",
            "error: [t/main] aws_sns_topic.a: provider: provider `aws.west` is configured in another stack",
        ]
    );
}

#[test]
fn check_override_on_missing_path_and_block() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let a = s.add("a", res("aws_thing").arg("tags", Tree::list([])));
        s.add_override(&a, "tags.3", "x");
        let mut other = Stack::new("o");
        let b = other.add("b", res("aws_thing"));
        s.add_override(&b, "name", "x");
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] aws_thing.a: tags.3: override cannot be applied: index 3 is out of range (the list has 0 items)",
            "error: [t/main] aws_thing.b: name: override names a block that is not declared in this stack",
        ]
    );
}

#[test]
fn check_reported_by_construct() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.report(
            "google_cloud_run_v2_service.api",
            "template.scaling",
            "min instances (5) above max (2)",
        );
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] google_cloud_run_v2_service.api: template.scaling: min instances (5) above max (2)"]
    );
}

#[test]
fn check_non_finite_number() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_thing").arg("delivery", f64::NAN));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] aws_thing.a: delivery: number is not finite (NaN or infinity cannot be written)"]
    );
}

#[test]
fn check_empty_target_and_all_problems_reported_together() {
    let e = errors(|_| {});
    assert_eq!(e, vec!["error: [t] target has no stacks"]);
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic"));
        s.add("a", res("aws_sns_topic"));
        s.variable("v", Variable::<String>::new());
        t.add_stack(s);
    });
    assert_eq!(e.len(), 2);
}

#[test]
fn diagnostics_display_counts() {
    let d = Diagnostics(vec![Diagnostic::new("a"), Diagnostic::new("b")]);
    assert_eq!(
        d.to_string(),
        "error: a\nerror: b\n2 problems found; nothing was written"
    );
}

#[test]
fn check_provider_alias_invalid_and_duplicate_configurations() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.provider(Provider::new(aws()));
        s.provider(Provider::new(aws()));
        s.provider(Provider::new(aws()).alias("west"));
        s.provider(Provider::new(aws()).alias("west"));
        s.provider(Provider::new(aws()).alias("1x"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] provider.aws: alias: alias `1x` is not a valid identifier",
            "error: [t/main] provider.aws: alias: provider `aws` has two configurations without an alias; give one an alias",
            "error: [t/main] provider.aws: alias: provider configuration `aws.west` is declared twice",
        ]
    );
}

#[test]
fn check_invalid_type_name_and_declared_names() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", GenericResource::new("AWS-Thing").provider(aws()));
        s.variable("1v", Variable::<String>::new().default("x"));
        s.local("l", "a");
        s.local("l", "b");
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] AWS-Thing.a: `AWS-Thing` is not a valid type name",
            "error: [t/main] var.1v: `1v` is not a valid Terraform identifier",
            "error: [t/main] local.l: local is declared more than once in this stack",
        ]
    );
}

#[test]
fn check_count_with_for_each_and_foreign_replace_trigger() {
    let e = errors(|t| {
        let mut a = Stack::new("a");
        let mut b = Stack::new("b");
        let tb = b.add("t", res("aws_sns_topic"));
        a.add_with(
            "u",
            res("aws_sns_topic"),
            Meta::new()
                .count(2)
                .for_each_set(Expr::<Set<String>>::raw("toset([\"x\"])"))
                .lifecycle(Lifecycle::new().replace_triggered_by(&tb)),
        );
        t.add_stack(a);
        t.add_stack(b);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/a] aws_sns_topic.u: count: count and for_each cannot both be set",
            "error: [t/a] aws_sns_topic.u: lifecycle.replace_triggered_by: must name a block of the same stack",
        ]
    );
}

#[test]
fn check_module_passes_unconfigured_provider() {
    let e = errors(|t| {
        let mut other = Stack::new("other");
        let west = other.provider(Provider::new(aws()).alias("west"));
        let mut s = Stack::new("main");
        s.module("m", Module::new("./m").pass_provider("aws", &west));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] module.m: providers: passes provider `aws.west`, which is not configured in this stack"]
    );
}

#[test]
fn check_variable_value_must_be_literal() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.variable("v", Variable::<String>::new());
        s.set_variable("v", Expr::<String>::raw("var.x"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] var.v: a variable value must be a literal"]
    );
}

#[test]
fn check_moved_and_import_into_another_stack() {
    let e = errors(|t| {
        let mut other = Stack::new("other");
        let b = other.add("b", res("aws_sns_topic"));
        let mut s = Stack::new("main");
        s.moved("not an address", &b);
        s.import(&b, "id-1");
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] moved.aws_sns_topic.b: from: `not an address` is not a valid resource address",
            "error: [t/main] moved.aws_sns_topic.b: to: a moved block must point at a block of the same stack",
            "error: [t/main] import.aws_sns_topic.b: to: an import block must point at a block of the same stack",
        ]
    );
}

#[test]
fn check_target_names() {
    let mut app = App::new();
    for name in ["x", "x", "1bad"] {
        app.target(name, "test", |t| {
            t.add_stack(Stack::new("main"));
        });
    }
    let Err(Error::Checks(d)) = app.synth("x") else {
        panic!("expected checks to fail")
    };
    assert_eq!(
        d.lines(),
        vec![
            "error: [x] target `x` is defined more than once",
            "error: [1bad] target name `1bad` is not valid: use letters, digits, `_` and `-`, starting with a letter",
        ]
    );
}

// ---------- rules ----------

/// A rule that reports every block whose `name` argument is missing.
struct NamesRequired(Severity);

impl Rule for NamesRequired {
    fn name(&self) -> &str {
        "names-required"
    }
    fn check(&self, target: &checks::TargetView<'_>, out: &mut Vec<Diagnostic>) {
        for s in target.stacks() {
            for b in s.blocks().filter(|b| b.body.get("name").is_none()) {
                let d = match self.0 {
                    Severity::Error => Diagnostic::new("has no name"),
                    Severity::Warning => Diagnostic::warning("has no name"),
                };
                out.push(d.stack(s.name()).address(b.address()).field("name"));
            }
        }
    }
}

#[test]
fn rule_errors_are_reported_with_core_checks_and_stop_synth() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic"));
        s.variable("v", Variable::<String>::new());
        t.add_stack(s);
        t.add_rule(NamesRequired(Severity::Error));
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] var.v: variable has no default and target `t` sets no value; give it a default, set it with Stack::set_variable, or mark it supplied_at_apply",
            "error: [t/main] aws_sns_topic.a: name: has no name",
        ]
    );
}

#[test]
fn rule_warnings_do_not_stop_synth() {
    let mut app = App::new();
    app.target("t", "test", |t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic"));
        t.add_stack(s);
    });
    app.rule(NamesRequired(Severity::Warning));
    let out = app.synth("t").expect("warnings do not stop synth");
    assert!(out.file("main/main.tf.json").is_some());
    let lines: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec!["warning: [t/main] aws_sns_topic.a: name: has no name"]
    );
}

#[test]
fn warnings_travel_with_errors_but_are_not_counted() {
    let mut app = App::new();
    app.target("t", "test", |t| {
        let mut s = Stack::new("main");
        s.add("a", res("aws_sns_topic"));
        s.variable("v", Variable::<String>::new());
        t.add_stack(s);
    });
    app.rule(NamesRequired(Severity::Warning));
    let Err(Error::Checks(d)) = app.synth("t") else {
        panic!("expected checks to fail")
    };
    assert_eq!(d.len(), 2);
    assert!(d
        .to_string()
        .ends_with("warning: [t/main] aws_sns_topic.a: name: has no name\n1 problem found; nothing was written"));
}

#[test]
fn rules_see_bodies_after_overrides() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let a = s.add("a", res("aws_sns_topic"));
        s.add_override(&a, "name", "from-override");
        t.add_stack(s);
        t.add_rule(NamesRequired(Severity::Error));
    });
    assert!(e.is_empty(), "{e:?}");
}

// ---------- exports ----------

#[test]
fn export_names_avoid_the_producers_own_outputs() {
    let mut app = App::new();
    app.target("t", "test", |t| {
        let mut p = Stack::new("p");
        let topic = p.add("t", res("aws_sns_topic").arg("name", "x"));
        p.output("aws_sns_topic_t_name", Output::new("mine"));
        let mut c = Stack::new("c");
        c.add(
            "u",
            res("aws_sns_topic").arg("name", topic.attr::<String>("name")),
        );
        // the consumer first: its exports used to be named before the producer's outputs
        t.add_stack(c);
        t.add_stack(p);
    });
    let out = app.synth("t").expect("synth");
    let c = out.file("c/main.tf.json").unwrap();
    assert!(
        c.contains("${data.terraform_remote_state.p.outputs.aws_sns_topic_t_name_2}"),
        "{c}"
    );
    let p = out.file("p/main.tf.json").unwrap();
    assert!(p.contains("\"value\": \"mine\""), "{p}");
}

struct OneFile;
impl FileSet for OneFile {
    fn dir(&self) -> &str {
        "k8s"
    }
    fn render(
        &self,
        _: &mut FileSetContext<'_>,
    ) -> std::result::Result<Vec<(String, String)>, Vec<Diagnostic>> {
        Ok(vec![("base/app.yaml".into(), "kind: Deployment\n".into())])
    }
}

#[test]
fn app_rules_see_every_target_and_its_files() {
    let mut app = App::new();
    for name in ["a", "b"] {
        app.target(name, "test", |t| {
            t.add_stack(Stack::new("main"));
            t.add_files(OneFile);
        });
    }
    app.rule(checks::rule_fn(
        "deployments-need-budgets",
        |target, out| {
            for (path, text) in target.files() {
                if text.contains("kind: Deployment") {
                    out.push(
                        Diagnostic::new("a Deployment without a PodDisruptionBudget")
                            .stack("k8s/base")
                            .address(path.clone()),
                    );
                }
            }
        },
    ));
    let Err(Error::Checks(d)) = app.synth_many(&["a".to_string(), "b".to_string()]) else {
        panic!("expected checks to fail")
    };
    assert_eq!(
        d.lines(),
        vec![
            "error: [a/k8s/base] k8s/base/app.yaml: a Deployment without a PodDisruptionBudget",
            "error: [b/k8s/base] k8s/base/app.yaml: a Deployment without a PodDisruptionBudget",
        ]
    );
}
