//! A stack that uses every Terraform feature terrane emits (meta-arguments,
//! variables with validation, locals, modules, moved, import, removed, import
//! for_each, check blocks, terraform_data, cross-stack references, overrides), validated by the real terraform: proof that the JSON
//! forms are the ones terraform reads.

use terrane_core::{
    count_index, each_key, each_value, func, tmpl, App, Backend, Expr, GenericDataSource,
    GenericEphemeral, GenericResource, Handle, Lifecycle, List, Map, Meta, Module, Output,
    Provider, Removed, RequiredProvider, Stack, TerraformData, Tree, Variable,
};

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

pub(crate) fn features_app() -> App {
    let mut app = App::new();
    app.target("features", "every emitted Terraform feature", |t| {
        let mut base = Stack::new("base");
        base.required_version(">= 1.8.0");
        base.backend(Backend::Local {
            path: Some("state/base.tfstate".into()),
        });
        base.provider(Provider::new(aws()).arg("region", "us-east-1"));
        let west = base.provider(
            Provider::new(aws())
                .alias("west")
                .arg("region", "us-west-2"),
        );
        let env = base.variable(
            "env",
            Variable::<String>::new()
                .description("environment name")
                .default("dev")
                .nullable(false)
                .validation(
                    |v| func::contains(vec!["dev", "prod"], v),
                    "env must be dev or prod",
                ),
        );
        let token = base.variable(
            "token",
            Variable::<String>::new().sensitive().supplied_at_apply(),
        );
        let prefix = base.local("prefix", tmpl!("acme-{}", env));
        let azs = base.data(
            "azs",
            GenericDataSource::new("aws_availability_zones")
                .provider(aws())
                .arg("state", "available"),
        );
        let vpc = base.add_with(
            "main",
            GenericResource::new("aws_vpc")
                .provider(aws())
                .arg("cidr_block", "10.0.0.0/16"),
            Meta::new().lifecycle(
                Lifecycle::new()
                    .create_before_destroy()
                    .ignore_changes(["tags"]),
            ),
        );
        let subnets = base.add_with(
            "private",
            GenericResource::new("aws_subnet")
                .provider(aws())
                .arg("vpc_id", vpc.id())
                .arg(
                    "availability_zone",
                    azs.attr::<List<String>>("names").at(count_index()),
                )
                .arg(
                    "cidr_block",
                    func::cidrsubnet("10.0.0.0/16", 8, count_index()),
                ),
            Meta::new().count(2),
        );
        let topics = base.add_with(
            "events",
            GenericResource::new("aws_sns_topic")
                .provider(aws())
                .arg("name", tmpl!("{}-{}", prefix, each_key())),
            Meta::new()
                .for_each::<String>([("orders", "o"), ("billing", "b")])
                .provider(&west)
                .depends_on(&vpc)
                .lifecycle(
                    Lifecycle::new()
                        .replace_triggered_by(&vpc)
                        .precondition(env.not_equals(""), "env is empty"),
                ),
        );
        let sg = base.add(
            "web",
            GenericResource::new("aws_security_group")
                .provider(aws())
                .arg("vpc_id", vpc.id())
                .arg("description", "literal ${not_interpolated} and %{nor_this}"),
        );
        base.add_override(&sg, "tags.team", "platform");
        base.moved("aws_security_group.old_web", &sg);
        base.import(&subnets.at(0), "subnet-0123456789abcdef0");
        // Terraform 1.7: removed (kept and destroyed), import for_each
        base.removed(Removed::forget("aws_s3_bucket.moved_to_app"));
        base.removed(Removed::destroy("aws_sqs_queue.retired"));
        base.import_for_each(
            &topics,
            Map::<String>::from([(
                "orders".to_string(),
                "arn:aws:sns:us-west-2:111122223333:acme-orders".into(),
            )]),
            each_value::<String>(),
        );
        // terraform_data: no provider; a change of the release replaces the group
        let release = base.add(
            "release",
            TerraformData::new()
                .input("1.4.2")
                .triggers_replace("1.4.2"),
        );
        base.add_with(
            "logs",
            GenericResource::new("aws_cloudwatch_log_group")
                .provider(aws())
                .arg("name", tmpl!("/acme/{}", release.output::<String>())),
            Meta::new().lifecycle(Lifecycle::new().replace_triggered_by(&release)),
        );
        // a check with its own data source
        let mut who = base.check("right_account");
        let caller = who.data(
            "caller",
            GenericDataSource::new("aws_caller_identity").provider(aws()),
        );
        who.assert(
            caller.attr::<String>("account_id").not_equals(""),
            "no AWS account",
        );
        let m = base.module(
            "labels",
            Module::new("./modules/labels").input("name", &prefix),
        );
        base.output("label", Output::new(m.output::<String>("id")));
        base.output(
            "token_header",
            Output::new(tmpl!("Bearer {}", token)).sensitive(),
        );
        base.output(
            "orders_arn",
            Output::new(topics.key("orders").attr::<String>("arn")),
        );
        // Terraform 1.8: a provider-defined function of aws 5.100.0
        base.output(
            "orders_account",
            Output::new(
                terrane_aws::functions::arn_parse(topics.key("orders").attr::<String>("arn"))
                    .account_id(),
            ),
        );

        let mut app_stack = Stack::new("app");
        app_stack.provider(Provider::new(aws()).arg("region", "us-east-1"));
        app_stack.add_with(
            "node",
            GenericResource::new("aws_network_interface")
                .provider(aws())
                .arg("subnet_id", subnets.at(count_index()).attr::<String>("id"))
                .arg("security_groups", Tree::list([Tree::from(sg.id())])),
            Meta::new().count(2),
        );
        // Terraform 1.10/1.11: an ephemeral password into a write-only argument
        let password = app_stack.ephemeral(
            "db",
            terrane_aws::secretsmanager::EphemeralSecretsmanagerRandomPassword::new()
                .password_length(32),
        );
        let secret = app_stack.add(
            "db",
            GenericResource::new("aws_secretsmanager_secret")
                .provider(aws())
                .arg("name", "acme/db"),
        );
        app_stack.add(
            "db",
            GenericResource::new("aws_secretsmanager_secret_version")
                .provider(aws())
                .arg("secret_id", secret.id())
                .arg_write_only(
                    "secret_string_wo",
                    password.attr::<String>("random_password"),
                )
                .arg("secret_string_wo_version", 1),
        );
        app_stack.output("vpc", Output::new(vpc.id()));
        app_stack.output(
            "azs",
            Output::new(Expr::<List<String>>::raw("[\"a\", \"b\"]")),
        );
        t.add_stack(base);
        t.add_stack(app_stack);
    });
    app
}

#[test]
fn every_emitted_feature_passes_terraform_validate() {
    let app = features_app();
    let out = app.synth("features").unwrap_or_else(|e| panic!("{e}"));
    // the module the stack calls
    let mut with_module = out.clone();
    with_module.files.insert(
        "base/modules/labels/main.tf.json".into(),
        "{\"variable\": {\"name\": {\"type\": \"string\"}}, \"output\": {\"id\": {\"value\": \"${var.name}\"}}}\n".into(),
    );
    if let Some((validated, _)) = crate::terraform::validate_targets(&[with_module]) {
        assert_eq!(validated, vec!["features/base", "features/app"]);
    }
}

#[test]
fn features_snapshot() {
    let out = features_app()
        .synth("features")
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for (rel, text) in &out.files {
        insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("features__{}", rel.replace('/', "__")), text);
        });
    }
}

#[test]
fn offline_schema_check_covers_google_output() {
    let mut app = App::new();
    app.schemas(terrane_stacks::schemas().unwrap_or_else(|e| panic!("{e}")));
    app.target("g", "", |t| {
        let google = RequiredProvider::new("google", "hashicorp/google", "6.50.0");
        let mut s = Stack::new("svc");
        s.add(
            "api",
            GenericResource::new("google_cloud_run_v2_service")
                .provider(google)
                .arg("name", "api")
                .arg("location", "us-central1")
                .arg(
                    "template",
                    Tree::object([(
                        "containers",
                        Tree::list([Tree::object([
                            ("imag", Tree::from("x")),
                            ("ports", Tree::from("8080")),
                        ])]),
                    )]),
                ),
        );
        t.add_stack(s);
    });
    let err = app
        .synth("g")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "error: [g/svc] google_cloud_run_v2_service.api: template.containers[0].imag: unknown argument `imag` (did you mean `image`?)\n\
         error: [g/svc] google_cloud_run_v2_service.api: template.containers[0].ports: is a block; give it as an object (or a list of objects), not as an attribute value\n\
         error: [g/svc] google_cloud_run_v2_service.api: template.containers[0].image: missing required argument\n\
         3 problems found; nothing was written"
    );
}

#[test]
fn offline_schema_check_covers_ephemeral_blocks() {
    let mut app = App::new();
    app.schemas(terrane_stacks::schemas().unwrap_or_else(|e| panic!("{e}")));
    app.target("e", "", |t| {
        let random = RequiredProvider::new("random", "hashicorp/random", "3.7.2");
        let mut s = Stack::new("db");
        s.ephemeral(
            "pw",
            GenericEphemeral::new("random_password")
                .provider(random)
                .arg("lenght", 32),
        );
        s.ephemeral(
            "aws_pw",
            GenericEphemeral::new("aws_secretsmanager_random_password")
                .provider(aws())
                .arg("password_length", "long"),
        );
        t.add_stack(s);
    });
    let err = app
        .synth("e")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "error: [e/db] ephemeral.random_password.pw: lenght: unknown argument `lenght` (did you mean `length`?)\n\
         error: [e/db] ephemeral.random_password.pw: length: missing required argument\n\
         error: [e/db] ephemeral.aws_secretsmanager_random_password.aws_pw: password_length: expected number, got string\n\
         3 problems found; nothing was written"
    );
}
