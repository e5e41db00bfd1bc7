//! `terrane diff` by address and the synth guard, on a small target in three
//! versions: the first is synthesized to `out/`, the next renames the database,
//! drops a bucket and changes a setting.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use terrane_core::refactor::{StatefulTable, StatefulType};
use terrane_core::{App, GenericResource, Output, Stack};

use super::{aws, run};

/// Version 0: the first output. 1: database renamed (same identifier), engine
/// version raised, logs bucket gone, a queue and an output added. 2: as 1, with the
/// bucket's destruction allowed. 3: as 0, with the database engine changed (which
/// forces a replacement) and its identifier (renamed in place).
fn app(version: Arc<AtomicU8>) -> App {
    let mut app = App::new();
    app.target("dev", "development", move |t| {
        let v = version.load(Ordering::SeqCst);
        let refactored = v == 1 || v == 2;
        let mut s = Stack::new("data");
        let identifier = if v == 3 { "shop-v2" } else { "shop" };
        let db = GenericResource::new("aws_db_instance")
            .provider(aws())
            .arg("identifier", identifier)
            .arg("instance_class", "db.t4g.micro")
            .arg("engine", if v == 3 { "mysql" } else { "postgres" })
            .arg("engine_version", if refactored { "16.4" } else { "16.3" })
            .arg("password", "hunter2");
        s.add(if refactored { "orders" } else { "main" }, db);
        if !refactored {
            s.add("logs", bucket("acme-logs"));
        } else {
            let q = s.add(
                "events",
                GenericResource::new("aws_sqs_queue")
                    .provider(aws())
                    .arg("name", "events"),
            );
            s.output("events_queue", Output::new(q.id()));
        }
        s.add("assets", bucket("acme-assets"));
        if v == 2 {
            s.allow_destroy(
                "aws_s3_bucket.logs",
                "access logs now go to the central account",
            );
        }
        t.add_stack(s);
    });
    app.stateful(
        StatefulTable::new()
            .resource(
                "aws_db_instance",
                StatefulType::new("RDS database instance", "https://example.invalid/db")
                    .identity(&["identifier"])
                    .forces(&["engine"]),
            )
            .resource(
                "aws_s3_bucket",
                StatefulType::new("S3 bucket objects", "https://example.invalid/s3")
                    .identity(&["bucket"]),
            ),
    );
    app
}

fn bucket(name: &str) -> GenericResource {
    GenericResource::new("aws_s3_bucket")
        .provider(aws())
        .arg("bucket", name)
}

struct Fixture {
    _dir: tempfile::TempDir,
    out: String,
    version: Arc<AtomicU8>,
    app: App,
}

/// Version 0 synthesized to a temporary `out/`, the app switched to `next`.
fn fixture(next: u8) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out").to_str().unwrap().to_string();
    let version = Arc::new(AtomicU8::new(0));
    let app = app(version.clone());
    let (code, _, err) = run(&app, &["synth", "dev", "--out", &out]);
    assert_eq!(code, 0, "{err}");
    version.store(next, Ordering::SeqCst);
    Fixture {
        _dir: dir,
        out,
        version,
        app,
    }
}

#[test]
fn text_lists_changes_by_address_with_secrets_redacted() {
    let f = fixture(1);
    let (code, out, _) = run(
        &f.app,
        &[
            "diff",
            "dev",
            "--out",
            &f.out,
            "--color",
            "never",
            "--exit-code",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "dev: 4 changes
  data
    - aws_s3_bucket.logs destroy  [holds data: S3 bucket objects]
    > aws_db_instance.orders move from aws_db_instance.main (moved block written at synth)  [holds data: RDS database instance]
        engine_version: \"16.3\" -> \"16.4\"
    + aws_sqs_queue.events create
  + output data.events_queue added
"
    );
    assert!(!out.contains("hunter2"));
}

#[test]
fn markdown_has_one_table_per_stack_stateful_first() {
    let f = fixture(1);
    let (code, out, _) = run(
        &f.app,
        &["diff", "dev", "--out", &f.out, "--format", "markdown"],
    );
    assert_eq!(code, 0);
    insta::assert_snapshot!("diff_markdown", out);
}

#[test]
fn json_reports_a_stateful_replace() {
    let f = fixture(3);
    let (code, out, err) = run(
        &f.app,
        &["diff", "dev", "--out", &f.out, "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let changes = doc["targets"][0]["changes"].as_array().unwrap();
    let db = changes
        .iter()
        .find(|c| c["type"] == "aws_db_instance")
        .unwrap();
    assert_eq!(
        (&db["action"], &db["stateful"], &db["address"]),
        (
            &"replace".into(),
            &true.into(),
            &"aws_db_instance.main".into()
        )
    );
    let argument = |path: &str| {
        db["arguments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"] == path)
            .cloned()
            .unwrap()
    };
    let (engine, identifier) = (argument("engine"), argument("identifier"));
    assert_eq!(
        (
            &engine["old"],
            &engine["new"],
            &engine["forces_replacement"]
        ),
        (&"postgres".into(), &"mysql".into(), &true.into())
    );
    // Renamed in place by the provider: reported, not a replacement.
    assert_eq!(identifier["forces_replacement"], false);
    let password = db["arguments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == "password");
    assert!(password.is_none(), "unchanged password listed: {db}");
}

#[test]
fn synth_refuses_a_lost_bucket_and_accepts_it_when_allowed() {
    let f = fixture(1);
    let (code, _, err) = run(&f.app, &["synth", "dev", "--out", &f.out]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: [dev/data] aws_s3_bucket.logs: holds data (S3 bucket objects) and is gone from the program: \
         terraform would destroy it. If it was renamed, keep its identifying arguments so synth writes the \
         `moved` block; if the destruction is intended, declare it with \
         `stack.allow_destroy(\"aws_s3_bucket.logs\", \"<reason>\")`\n\
         warning: [dev/data] aws_db_instance.orders: renamed from aws_db_instance.main: the output gets a \
         `moved` block so terraform keeps the RDS database instance it holds; make it permanent with \
         `stack.moved(\"aws_db_instance.main\", &handle)`\n\
         1 problem found; nothing was written\n"
    );
    let main_tf = std::path::Path::new(&f.out).join("dev/data/main.tf.json");
    assert!(
        !std::fs::read_to_string(&main_tf).unwrap().contains("moved"),
        "nothing written on refusal"
    );
    f.version.store(2, Ordering::SeqCst);
    let (code, _, err) = run(&f.app, &["synth", "dev", "--out", &f.out]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&main_tf).unwrap();
    assert!(text.contains("\"moved\": [\n    {\n      \"from\": \"aws_db_instance.main\",\n      \"to\": \"aws_db_instance.orders\"\n    }\n  ]"), "{text}");
}

#[test]
fn synth_refuses_a_changed_database_engine() {
    let f = fixture(3);
    let (code, _, err) = run(&f.app, &["synth", "dev", "--out", &f.out]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: [dev/data] aws_db_instance.main: engine: changing it (\"postgres\" -> \"mysql\") forces \
         terraform to replace the resource, losing the RDS database instance it holds; declare it intended \
         with `stack.allow_replace(\"aws_db_instance.main\", \"<reason>\")`\n\
         1 problem found; nothing was written\n"
    );
}
