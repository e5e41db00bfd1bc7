//! The refactor guard on a copy of a reference target (eks-staging): its output is
//! written to a temporary `out/`, the baseline is edited to what an earlier program
//! wrote (the database under another name, another engine, one more bucket),
//! and the real program is synthesized against it.

use std::path::{Path, PathBuf};

use terrane_core::refactor::{
    diff_target, read_baseline, Action, DiffContext, GuardOptions, TargetModel,
};
use terrane_core::{App, Error, Synthesized};

const TARGET: &str = "eks-staging";
const DATA: &str = "data/main.tf.json";

fn app() -> App {
    terrane_stacks::app().expect("app")
}

/// The target's output written to `dir`, as `terrane synth` leaves it.
fn written(dir: &Path) -> PathBuf {
    let out = app().synth_many(&[TARGET.to_string()]).expect("synth");
    terrane_core::write_targets(dir, &out).expect("write");
    dir.join(TARGET).join(DATA)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

fn synth_against(app: &App, dir: &Path) -> Result<Synthesized, Vec<String>> {
    app.synth_against(&[TARGET.to_string()], dir, GuardOptions::default())
        .map(|mut v| v.remove(0))
        .map_err(|e| match e {
            Error::Checks(d) => d.lines(),
            other => vec![other.to_string()],
        })
}

#[test]
fn renaming_the_database_writes_the_moved_block() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = written(dir.path());
    // The earlier program named the database `shop_db`.
    edit(&data, "\"staging_shop\": {", "\"shop_db\": {");
    edit(
        &data,
        "aws_db_instance.staging_shop.",
        "aws_db_instance.shop_db.",
    );
    let out = synth_against(&app(), dir.path()).expect("rename accepted");
    let doc: serde_json::Value =
        serde_json::from_str(out.file(DATA).expect("data stack")).expect("json");
    assert_eq!(
        doc["moved"],
        serde_json::json!([{"from": "aws_db_instance.shop_db", "to": "aws_db_instance.staging_shop"}])
    );
    assert!(out.warnings.iter().any(|w| w.to_string()
        == "warning: [eks-staging/data] aws_db_instance.staging_shop: renamed from aws_db_instance.shop_db: \
            the output gets a `moved` block so terraform keeps the RDS database instance it holds; make it \
            permanent with `stack.moved(\"aws_db_instance.shop_db\", &handle)`"));
}

#[test]
fn changing_the_database_engine_is_refused_and_diffed_as_replace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = written(dir.path());
    // The earlier program ran MySQL; `engine` forces a replacement (.ci/refactor.sh
    // checks that against the real provider).
    edit(&data, "\"engine\": \"postgres\",", "\"engine\": \"mysql\",");
    let refused = synth_against(&app(), dir.path()).expect_err("refused");
    assert!(
        refused.contains(
            &"error: [eks-staging/data] aws_db_instance.staging_shop: engine: changing it \
             (\"mysql\" -> \"postgres\") forces terraform to replace the resource, losing the \
             RDS database instance it holds; declare it intended with \
             `stack.allow_replace(\"aws_db_instance.staging_shop\", \"<reason>\")`"
                .to_string()
        ),
        "{refused:#?}"
    );
    let a = app();
    let new = a.synth(TARGET).expect("plain synth");
    let old = read_baseline(&dir.path().join(TARGET))
        .expect("read")
        .expect("baseline");
    let cx = DiffContext {
        table: a.stateful_table(),
        schemas: a.schema_set(),
    };
    let diff = diff_target(
        TARGET,
        &old,
        &TargetModel::parse(&new.files).expect("parse"),
        &cx,
    );
    let db = diff
        .changes
        .iter()
        .find(|c| c.address == "aws_db_instance.staging_shop")
        .expect("db change");
    assert_eq!((db.action, db.is_stateful()), (Action::Replace, true));
}

#[test]
fn removing_a_bucket_needs_the_allowance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = written(dir.path());
    // The earlier program also had an archive bucket.
    edit(
        &data,
        "    \"aws_s3_bucket\": {\n",
        "    \"aws_s3_bucket\": {\n      \"archive\": {\n        \"bucket\": \"acme-staging-archive\"\n      },\n",
    );
    let refused = synth_against(&app(), dir.path()).expect_err("refused");
    assert!(
        refused.iter().any(|l| l.starts_with(
            "error: [eks-staging/data] aws_s3_bucket.archive: holds data (S3 bucket objects) and is gone from the program"
        )),
        "{refused:#?}"
    );
    let mut allowed = app();
    allowed
        .amend(TARGET, |t| {
            if let Some(s) = t.stack_mut("data") {
                s.allow_destroy(
                    "aws_s3_bucket.archive",
                    "archive moved to the shared account",
                );
            }
        })
        .expect("known target");
    let out = synth_against(&allowed, dir.path()).expect("accepted with the allowance");
    assert!(!out.file(DATA).expect("data").contains("archive"));
}
