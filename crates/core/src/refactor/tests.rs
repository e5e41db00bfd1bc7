//! The refactor guard and diff on small targets: a previous output is written to a
//! temporary folder, then a changed program is synthesized against it.

use std::path::Path;

use super::*;
use crate::*;

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

fn table() -> StatefulTable {
    StatefulTable::new()
        .resource(
            "aws_db_instance",
            StatefulType::new(
                "RDS database instance",
                "https://example.invalid/db_instance",
            )
            .identity(&["identifier"])
            .forces(&["engine"])
            .import_id("identifier"),
        )
        .resource(
            "aws_s3_bucket",
            StatefulType::new("S3 bucket objects", "https://example.invalid/s3_bucket")
                .identity(&["bucket"]),
        )
}

/// An app of one target `t` whose stacks `build` makes.
fn app(build: impl Fn(&mut Target) + Send + Sync + 'static) -> App {
    let mut app = App::new();
    app.target("t", "test", build);
    app.stateful(table());
    app
}

/// An app whose target `t` has one stack, `data`, filled by `fill`.
fn data_stack(fill: impl Fn(&mut Stack) + Send + Sync + 'static) -> App {
    app(move |t| {
        let mut s = Stack::new("data");
        fill(&mut s);
        t.add_stack(s);
    })
}

fn db(identifier: &str, engine: &str) -> GenericResource {
    GenericResource::new("aws_db_instance")
        .provider(aws())
        .arg("identifier", identifier)
        .arg("instance_class", "db.t4g.micro")
        .arg("engine", engine)
        .arg("password", "hunter2")
}

fn bucket(name: &str) -> GenericResource {
    GenericResource::new("aws_s3_bucket")
        .provider(aws())
        .arg("bucket", name)
}

/// The output of the first version, written to `dir` as `synth` would.
fn baseline(dir: &Path, first: App) {
    let out = first.synth_many(&["t".to_string()]).expect("first synth");
    write_targets(dir, &out).expect("write");
}

fn against(dir: &Path, next: &App) -> std::result::Result<Synthesized, Vec<String>> {
    next.synth_against(&["t".to_string()], dir, GuardOptions::default())
        .map(|mut v| v.remove(0))
        .map_err(|e| match e {
            Error::Checks(d) => d.lines(),
            other => vec![other.to_string()],
        })
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

#[test]
fn renaming_a_database_writes_the_moved_block() {
    let dir = tempdir();
    baseline(
        dir.path(),
        data_stack(|s| {
            s.add("main", db("shop", "postgres"));
        }),
    );
    let out = against(
        dir.path(),
        &data_stack(|s| {
            s.add("orders", db("shop", "postgres"));
        }),
    )
    .expect("synth accepts the rename");
    let text = out.file("data/main.tf.json").expect("main.tf.json");
    let doc: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    assert_eq!(
        doc["moved"],
        serde_json::json!([{"from": "aws_db_instance.main", "to": "aws_db_instance.orders"}])
    );
    let lines: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        lines,
        ["warning: [t/data] aws_db_instance.orders: renamed from aws_db_instance.main: the output gets a \
          `moved` block so terraform keeps the RDS database instance it holds; make it permanent with \
          `stack.moved(\"aws_db_instance.main\", &handle)`"]
    );
    // A second synth before apply keeps the block (the baseline now has it).
    write_targets(dir.path(), &[out]).expect("write");
    let again = against(
        dir.path(),
        &data_stack(|s| {
            s.add("orders", db("shop", "postgres"));
        }),
    )
    .expect("second synth");
    assert!(again
        .file("data/main.tf.json")
        .expect("file")
        .contains("\"from\": \"aws_db_instance.main\""));
    assert!(again.warnings.is_empty());
}

#[test]
fn changing_a_forcing_argument_is_refused_unless_allowed() {
    let dir = tempdir();
    baseline(
        dir.path(),
        data_stack(|s| {
            s.add("main", db("shop", "postgres"));
        }),
    );
    let refused = against(
        dir.path(),
        &data_stack(|s| {
            s.add("main", db("shop", "mysql"));
        }),
    )
    .expect_err("synth refuses");
    assert_eq!(
        refused,
        ["error: [t/data] aws_db_instance.main: engine: changing it (\"postgres\" -> \"mysql\") forces \
          terraform to replace the resource, losing the RDS database instance it holds; declare it \
          intended with `stack.allow_replace(\"aws_db_instance.main\", \"<reason>\")`"]
    );
    let allowed = against(
        dir.path(),
        &data_stack(|s| {
            s.add("main", db("shop", "mysql"));
            s.allow_replace(
                "aws_db_instance.main",
                "empty staging database, engine switch",
            );
        }),
    );
    assert!(allowed.is_ok(), "{allowed:?}");
}

#[test]
fn removing_a_bucket_needs_the_allowance() {
    let dir = tempdir();
    baseline(
        dir.path(),
        data_stack(|s| {
            s.add("logs", bucket("acme-logs"));
            s.add("assets", bucket("acme-assets"));
        }),
    );
    let refused = against(
        dir.path(),
        &data_stack(|s| {
            s.add("assets", bucket("acme-assets"));
        }),
    )
    .expect_err("synth refuses");
    assert_eq!(
        refused,
        ["error: [t/data] aws_s3_bucket.logs: holds data (S3 bucket objects) and is gone from the \
          program: terraform would destroy it. If it was renamed, keep its identifying arguments so \
          synth writes the `moved` block; if the destruction is intended, declare it with \
          `stack.allow_destroy(\"aws_s3_bucket.logs\", \"<reason>\")`"]
    );
    let accepted = against(
        dir.path(),
        &data_stack(|s| {
            s.add("assets", bucket("acme-assets"));
            s.allow_destroy("aws_s3_bucket.logs", "logs moved to the central account");
        }),
    );
    assert!(accepted.is_ok(), "{accepted:?}");
}

#[test]
fn a_bucket_removed_with_destroy_false_is_forgotten_not_destroyed() {
    let dir = tempdir();
    baseline(
        dir.path(),
        data_stack(|s| {
            s.add("logs", bucket("acme-logs"));
        }),
    );
    // The program keeps the bucket running outside terraform: no allowance needed,
    // and the diff says forget, not destroy.
    let accepted = against(
        dir.path(),
        &data_stack(|s| {
            s.removed(Removed::forget("aws_s3_bucket.logs"));
        }),
    )
    .expect("a removed block with destroy = false is intent enough");
    let new = TargetModel::parse(&accepted.files).expect("parse");
    let old = read_baseline(&dir.path().join("t"))
        .expect("read")
        .expect("baseline");
    let schemas = SchemaSet::new();
    let cx = DiffContext {
        table: &table(),
        schemas: &schemas,
    };
    let d = diff_target("t", &old, &new, &cx);
    let actions: Vec<(&str, Action)> = d
        .changes
        .iter()
        .map(|c| (c.address.as_str(), c.action))
        .collect();
    assert_eq!(actions, [("aws_s3_bucket.logs", Action::Forget)]);
    // `Removed::destroy` is a destroy like any other: the allowance is still needed.
    let refused = against(
        dir.path(),
        &data_stack(|s| {
            s.removed(Removed::destroy("aws_s3_bucket.logs"));
        }),
    );
    assert!(refused.is_err(), "{refused:?}");
}

fn two_stacks(db_in: &'static str) -> App {
    app(move |t| {
        for name in ["data", "app"] {
            let mut s = Stack::new(name);
            s.add(
                "queue",
                GenericResource::new("aws_sqs_queue")
                    .provider(aws())
                    .arg("name", name),
            );
            if name == db_in {
                s.add("main", db("shop", "postgres"));
            }
            t.add_stack(s);
        }
    })
}

#[test]
fn a_move_to_another_stack_is_refused_or_written_when_asked() {
    let dir = tempdir();
    baseline(dir.path(), two_stacks("data"));
    let refused = against(dir.path(), &two_stacks("app")).expect_err("refused");
    assert_eq!(
        refused,
        ["error: [t/data] aws_db_instance.main: holds data (RDS database instance) and moves to stack \
          app as aws_db_instance.main: terraform would destroy it here and create an empty one there; \
          run `terrane synth --move-across-stacks` to write a `removed` block (lifecycle destroy = \
          false) in data and an `import` (id shop) in app, or declare the destruction intended with \
          `stack.allow_destroy(\"aws_db_instance.main\", \"<reason>\")`"]
    );
    let options = GuardOptions {
        move_across_stacks: true,
    };
    let out = two_stacks("app")
        .synth_against(&["t".to_string()], dir.path(), options)
        .expect("written")
        .remove(0);
    let data: serde_json::Value =
        serde_json::from_str(out.file("data/main.tf.json").expect("data")).expect("json");
    let app_doc: serde_json::Value =
        serde_json::from_str(out.file("app/main.tf.json").expect("app")).expect("json");
    assert_eq!(
        data["removed"],
        serde_json::json!([{"from": "aws_db_instance.main", "lifecycle": {"destroy": false}}])
    );
    assert_eq!(
        app_doc["import"],
        serde_json::json!([{"to": "aws_db_instance.main", "id": "shop"}])
    );
}

#[test]
fn no_baseline_means_the_plain_synth() {
    let dir = tempdir();
    let make = || {
        data_stack(|s| {
            s.add("main", db("shop", "postgres"));
        })
    };
    let plain = make().synth("t").expect("synth");
    let guarded = against(&dir.path().join("fresh"), &make()).expect("synth");
    assert_eq!(plain, guarded);
}

#[test]
fn the_diff_redacts_secrets_and_reports_replacements() {
    let old = TargetModel::parse(&[(
        "data/main.tf.json".to_string(),
        r#"{"resource": {"aws_db_instance": {"main": {"identifier": "a", "engine": "postgres", "password": "old"}}}, "output": {"x": {"value": "1"}}}"#.to_string(),
    )].into_iter().collect()).expect("parse");
    let new = TargetModel::parse(&[(
        "data/main.tf.json".to_string(),
        r#"{"resource": {"aws_db_instance": {"main": {"identifier": "b", "engine": "mysql", "password": "new"}}}}"#.to_string(),
    )].into_iter().collect()).expect("parse");
    let schemas = SchemaSet::new();
    let cx = DiffContext {
        table: &table(),
        schemas: &schemas,
    };
    let d = diff_target("t", &old, &new, &cx);
    assert_eq!(d.changes.len(), 1);
    let c = &d.changes[0];
    assert_eq!(
        (c.action, c.stateful.as_deref()),
        (Action::Replace, Some("RDS database instance"))
    );
    let args: Vec<(String, String, String, bool)> = c
        .arguments
        .iter()
        .map(|a| {
            (
                a.path.clone(),
                format!("{:?}", a.old),
                format!("{:?}", a.new),
                a.forces_replacement,
            )
        })
        .collect();
    assert_eq!(
        args,
        [
            (
                "engine".into(),
                "Some(String(\"postgres\"))".into(),
                "Some(String(\"mysql\"))".into(),
                true
            ),
            (
                "identifier".into(),
                "Some(String(\"a\"))".into(),
                "Some(String(\"b\"))".into(),
                false
            ),
            (
                "password".into(),
                "Some(String(\"(sensitive)\"))".into(),
                "Some(String(\"(sensitive)\"))".into(),
                false
            ),
        ]
    );
    assert_eq!(
        d.outputs,
        [OutputChange {
            stack: "data".into(),
            name: "x".into(),
            added: false
        }]
    );
}

#[test]
fn a_renamed_persistent_volume_claim_is_a_stateful_move() {
    let pvc = |name: &str| {
        format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  resources:\n    requests:\n      storage: 10Gi\n")
    };
    let old = TargetModel::parse(
        &[("k8s/base/data.yaml".to_string(), pvc("pg-data"))]
            .into_iter()
            .collect(),
    )
    .expect("parse");
    let new = TargetModel::parse(
        &[("k8s/base/data.yaml".to_string(), pvc("postgres-data"))]
            .into_iter()
            .collect(),
    )
    .expect("parse");
    let schemas = SchemaSet::new();
    let t = StatefulTable::new().kind("PersistentVolumeClaim", "persistent volume claim");
    let d = diff_target(
        "t",
        &old,
        &new,
        &DiffContext {
            table: &t,
            schemas: &schemas,
        },
    );
    let c = &d.changes[0];
    assert_eq!(
        (
            c.stack.as_str(),
            c.address.as_str(),
            c.action,
            c.stateful.is_some()
        ),
        (
            "k8s/base",
            "shop/PersistentVolumeClaim/postgres-data",
            Action::Move,
            true
        )
    );
    assert_eq!(
        c.moved_from.as_ref().map(|m| m.0.as_str()),
        Some("shop/PersistentVolumeClaim/pg-data")
    );
}
