//! Failing inputs of the `removed`, `import ... for_each` and `check` block
//! families, each with its exact message, and the JSON forms these blocks take.

use super::tests::errors;
use crate::*;

fn google() -> RequiredProvider {
    RequiredProvider::new("google", "hashicorp/google", "6.50.0")
}

/// A google resource with the arguments its schema requires (the schema check is
/// always on), so each test sees only the family it is about.
fn res(ty: &str) -> GenericResource {
    let r = GenericResource::new(ty).provider(google());
    match ty {
        "google_storage_bucket" => r.arg("name", "bucket").arg("location", "EU"),
        "google_sql_user" => r.arg("name", "app").arg("instance", "db"),
        "google_secret_manager_secret_version" => r.arg("secret", "projects/p/secrets/s"),
        _ => r,
    }
}

/// The file `name` of stack `main`, which `f` builds ("" when not written).
fn file_of(name: &str, f: impl Fn(&mut Target) + Send + Sync + 'static) -> String {
    let mut app = App::new();
    app.target("t", "test", f);
    let out = app.synth("t").unwrap_or_else(|e| panic!("{e}"));
    out.files
        .get(&format!("main/{name}"))
        .cloned()
        .unwrap_or_default()
}

/// The `main.tf.json` of the one stack `f` builds.
fn main_tf(f: impl Fn(&mut Target) + Send + Sync + 'static) -> String {
    file_of("main.tf.json", f)
}

#[test]
fn removed_renders_a_bare_from_and_its_lifecycle() {
    let text = main_tf(|t| {
        let mut s = Stack::new("main");
        s.removed(Removed::forget("google_storage_bucket.old"));
        s.removed(Removed::destroy("module.legacy"));
        t.add_stack(s);
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["removed"],
        serde_json::json!([
            {"from": "google_storage_bucket.old", "lifecycle": {"destroy": false}},
            {"from": "module.legacy", "lifecycle": {"destroy": true}},
        ])
    );
}

#[test]
fn check_removed_from_instance_key_data_and_declared() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        s.add("kept", res("google_storage_bucket"));
        s.removed(Removed::forget("google_storage_bucket.kept"));
        s.removed(Removed::forget("google_storage_bucket.old[0]"));
        s.removed(Removed::forget("data.google_project.p"));
        s.removed(Removed::destroy("module.gone"));
        s.removed(Removed::forget("module.gone"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] removed.google_storage_bucket.kept: from: `google_storage_bucket.kept` is still declared in this stack; remove the block or the removed block",
            "error: [t/main] removed.google_storage_bucket.old[0]: from: `google_storage_bucket.old[0]` is not a resource or module address; a removed block names a whole block, without an instance key",
            "error: [t/main] removed.data.google_project.p: from: `data.google_project.p` is not a resource or module address; a removed block names a whole block, without an instance key",
            "error: [t/main] removed.module.gone: from: `module.gone` is named by two removed blocks",
        ]
    );
}

#[test]
fn import_for_each_renders_each_key_instance() {
    let text = main_tf(|t| {
        let mut s = Stack::new("main");
        let names: Map<String> = [("logs".to_string(), "acme-logs".into())].into();
        let b = s.add_with(
            "bucket",
            res("google_storage_bucket").arg("name", each_value::<String>()),
            Meta::new().for_each(names.clone()),
        );
        s.import_for_each(&b, names, tmpl!("acme/{}", each_value::<String>()));
        t.add_stack(s);
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["import"],
        serde_json::json!([{
            "for_each": {"logs": "acme-logs"},
            "to": "google_storage_bucket.bucket[each.key]",
            "id": "acme/${each.value}",
        }])
    );
}

#[test]
fn check_import_for_each_into_a_block_without_for_each() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let b = s.add("bucket", res("google_storage_bucket"));
        let names: Map<String> = [("logs".to_string(), "acme-logs".into())].into();
        s.import_for_each(&b, names, each_value::<String>());
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] import.google_storage_bucket.bucket: for_each: an import with for_each must point at a block declared with for_each"]
    );
}

#[test]
fn each_in_a_plain_import_id_is_reported() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let b = s.add("bucket", res("google_storage_bucket"));
        s.import(&b, each_value::<String>());
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] import.google_storage_bucket.bucket: id: `each.value` is used outside a block that sets for_each"]
    );
}

#[test]
fn check_block_renders_scoped_data_and_asserts() {
    let text = main_tf(|t| {
        let mut s = Stack::new("main");
        let mut c = s.check("bucket_exists");
        let b = c.data(
            "assets",
            GenericDataSource::new("google_storage_bucket")
                .provider(google())
                .arg("name", "acme-assets"),
        );
        c.assert(
            b.attr::<String>("location").equals("US"),
            "the assets bucket moved out of the US",
        );
        t.add_stack(s);
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc.get("data"), None, "scoped data is not top-level");
    assert_eq!(
        doc["check"],
        serde_json::json!({"bucket_exists": {
            "data": {"google_storage_bucket": {"assets": {"name": "acme-assets"}}},
            "assert": [{
                "condition": "${(data.google_storage_bucket.assets.location == \"US\")}",
                "error_message": "the assets bucket moved out of the US",
            }],
        }})
    );
}

#[test]
fn check_check_blocks() {
    let e = errors(|t| {
        let mut s = Stack::new("main");
        let mut c = s.check("up");
        let d = c.data(
            "p",
            GenericDataSource::new("google_project").provider(google()),
        );
        c.assert(d.attr::<String>("name").not_equals(""), "no name");
        s.check("up").assert(Expr::raw("true"), "x");
        s.check("9lives");
        s.add(
            "b",
            res("google_storage_bucket").arg("name", d.attr::<String>("name")),
        );
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] check.up: check `up` is declared twice",
            "error: [t/main] check.9lives: `9lives` is not a valid check name",
            "error: [t/main] check.9lives: assert: a check block needs at least one assert",
            "error: [t/main] google_storage_bucket.b: name: refers to `data.google_project.p`, which is scoped to check `up`",
        ]
    );
}

#[test]
fn terraform_data_needs_no_provider() {
    let text = main_tf(|t| {
        let mut s = Stack::new("main");
        let v = s.add(
            "release",
            TerraformData::new()
                .input("1.4.2")
                .triggers_replace("1.4.2"),
        );
        s.add_with(
            "b",
            res("google_storage_bucket"),
            Meta::new().lifecycle(Lifecycle::new().replace_triggered_by(&v)),
        );
        t.add_stack(s);
    });
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["resource"]["terraform_data"],
        serde_json::json!({"release": {"input": "1.4.2", "triggers_replace": "1.4.2"}})
    );
    assert_eq!(
        doc["resource"]["google_storage_bucket"]["b"]["lifecycle"],
        serde_json::json!({"replace_triggered_by": ["terraform_data.release"]})
    );
    assert_eq!(
        doc["terraform"]["required_providers"],
        serde_json::json!({"google": {"source": "hashicorp/google", "version": "6.50.0"}})
    );
}

fn random() -> RequiredProvider {
    RequiredProvider::new("random", "hashicorp/random", "3.7.2")
}

fn password(s: &mut Stack) -> Ephemeral<String> {
    let pw = s.ephemeral(
        "db",
        GenericEphemeral::new("random_password")
            .provider(random())
            .arg("length", 32),
    );
    pw.attr::<String>("result")
}

fn write_only_stack(t: &mut Target) {
    let mut s = Stack::new("main");
    let token = s.ephemeral_variable("token", Variable::<String>::new());
    s.provider(Provider::new(google()).arg_ephemeral("access_token", &token));
    let pw = password(&mut s);
    s.add(
        "user",
        res("google_sql_user")
            .arg("name", "app")
            .arg_write_only("password_wo", &pw)
            .arg("password_wo_version", 1),
    );
    t.add_stack(s);
}

#[test]
fn required_version_is_its_own_file_from_the_features_used() {
    assert_eq!(
        file_of("versions.tf.json", write_only_stack),
        "{\n  \"terraform\": {\n    \"required_version\": \">= 1.11\"\n  }\n}\n"
    );
    let plain = |t: &mut Target| {
        let mut s = Stack::new("main");
        s.add("b", res("google_storage_bucket"));
        t.add_stack(s);
    };
    assert_eq!(file_of("versions.tf.json", plain), "");
    let pinned = |t: &mut Target| {
        let mut s = Stack::new("main");
        s.required_version("~> 1.11.0");
        t.add_stack(s);
    };
    assert!(file_of("versions.tf.json", pinned).contains("\"~> 1.11.0\""));
}

#[test]
fn ephemeral_values_render_into_write_only_arguments() {
    let text = main_tf(write_only_stack);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["terraform"].get("required_version"), None);
    assert_eq!(
        doc["ephemeral"],
        serde_json::json!({"random_password": {"db": {"length": 32}}})
    );
    assert_eq!(
        doc["resource"]["google_sql_user"]["user"]["password_wo"],
        "${ephemeral.random_password.db.result}"
    );
    assert_eq!(doc["provider"]["google"]["access_token"], "${var.token}");
    assert_eq!(
        doc["variable"]["token"],
        serde_json::json!({"type": "string", "ephemeral": true})
    );
}

#[test]
fn check_ephemeral_outside_write_only_and_across_stacks() {
    let e = errors(|t| {
        let mut a = Stack::new("a");
        let pw = password(&mut a);
        a.add(
            "user",
            res("google_sql_user").arg_write_only("password", &pw),
        );
        let local = a.ephemeral_local("pw", &pw);
        a.add(
            "user_ok",
            res("google_sql_user").arg_write_only("password_wo", &local),
        );
        // a non-write-only argument, through the write-only setter of the escape hatch
        a.add(
            "b",
            res("google_storage_bucket").arg_write_only("name", &local),
        );
        let mut b = Stack::new("b");
        b.add(
            "version",
            res("google_secret_manager_secret_version").arg_write_only("secret_data_wo", &pw),
        );
        t.add_stack(a);
        t.add_stack(b);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/a] google_sql_user.user: password: `ephemeral.random_password.db` is ephemeral: Terraform accepts it only in write-only arguments, provider configuration, ephemeral blocks and locals",
            "error: [t/a] google_storage_bucket.b: name: `local.pw` is ephemeral: Terraform accepts it only in write-only arguments, provider configuration, ephemeral blocks and locals",
            "error: [t/b] google_secret_manager_secret_version.version: secret_data_wo: `ephemeral.random_password.db` is ephemeral and cannot be read from another stack (it would become an output)",
        ]
    );
}

#[test]
fn check_features_newer_than_the_targets_terraform() {
    let e = errors(|t| {
        t.terraform_version("1.9.8");
        let mut s = Stack::new("main");
        let pw = password(&mut s);
        s.add(
            "user",
            res("google_sql_user").arg_write_only("password_wo", &pw),
        );
        s.removed(Removed::forget("google_storage_bucket.old"));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec![
            "error: [t/main] google_sql_user.user: write-only argument needs Terraform >= 1.11, but target `t` deploys with Terraform 1.9.8",
            "error: [t/main] ephemeral.random_password.db: ephemeral block needs Terraform >= 1.10, but target `t` deploys with Terraform 1.9.8",
        ]
    );
}

#[test]
fn check_unreadable_terraform_version() {
    let e = errors(|t| {
        t.terraform_version("latest");
        t.add_stack(Stack::new("main"));
    });
    assert_eq!(
        e,
        vec![
            "error: [t] terraform version `latest` is not a version (expected `1.11` or `1.11.2`)"
        ]
    );
}

#[test]
fn check_provider_function_newer_than_the_targets_terraform() {
    let e = errors(|t| {
        t.terraform_version("1.7");
        let mut s = Stack::new("main");
        let arn: Expr<String> = func::call_fn(
            "provider::aws::trim_iam_role_path",
            vec![Node::Str("arn:aws:iam::1:role/x/y".into())],
        );
        s.add("b", res("google_storage_bucket").arg("name", arn));
        t.add_stack(s);
    });
    assert_eq!(
        e,
        vec!["error: [t/main] google_storage_bucket.b: provider-defined function needs Terraform >= 1.8, but target `t` deploys with Terraform 1.7"]
    );
}

#[test]
fn a_required_version_below_the_features_is_a_warning() {
    let mut app = App::new();
    app.target("t", "test", |t| {
        let mut s = Stack::new("main");
        s.required_version(">= 1.5.0, < 2.0.0");
        s.removed(Removed::forget("google_storage_bucket.old"));
        t.add_stack(s);
    });
    let out = app.synth("t").unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["warning: [t/main] removed.google_storage_bucket.old: required_version `>= 1.5.0, < 2.0.0` admits Terraform 1.5, but the removed block here needs >= 1.7"]
    );
}
