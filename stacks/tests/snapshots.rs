//! One insta snapshot per emitted file of every target, taken from the exact text
//! written to disk. Review changes with `cargo insta review`.

use std::path::Path;

#[test]
fn every_file_of_every_target_matches_its_snapshot() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = app.targets().into_iter().map(|t| t.name).collect();
    let targets = app
        .synth_many(&names)
        .unwrap_or_else(|e| panic!("synth failed:\n{e}"));
    terrane_core::write_targets(dir.path(), &targets).expect("write");
    let snapshot_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots");
    for t in &targets {
        for rel in t.files.keys() {
            // read back what was written: the snapshot is what terraform reads
            let text =
                std::fs::read_to_string(dir.path().join(&t.target).join(rel)).expect("read back");
            let name = format!("{}__{}", t.target, rel.replace('/', "__"));
            insta::with_settings!({
                snapshot_path => snapshot_dir.clone(),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("out/{}/{}", t.target, rel),
            }, {
                insta::assert_snapshot!(name, text);
            });
        }
    }
}
