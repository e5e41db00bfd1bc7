//! `atlantis.yaml`, repo config version 3 (keys from Atlantis's
//! server/core/config/raw: repo_cfg.go, project.go, autoplan.go): a project per stack
//! named `<target>-<stack>`, `depends_on` its producers' projects (Atlantis refuses to
//! apply it before them), `execution_order_group` its depth (a plan or apply of
//! everything runs producers first), and `autoplan.when_modified` the stack's
//! generated files, its target's manifest and the stack program's sources.

use serde_json::{json, Value};

use super::yaml::to_yaml;
use super::StackDir;

/// The file's text.
pub fn render(stacks: &[StackDir], sources: &[String]) -> String {
    let projects: Vec<Value> = stacks
        .iter()
        .map(|s| {
            let up = "../".repeat(s.dir.split('/').count());
            let mut when = vec![
                "*.tf.json".to_string(),
                "*.tfvars.json".to_string(),
                "../manifest.json".to_string(),
            ];
            when.extend(sources.iter().map(|g| format!("{up}{g}")));
            let mut p = json!({
                "name": project_name(&s.target, &s.name),
                "dir": s.dir,
                "execution_order_group": s.depth,
                "autoplan": {"enabled": true, "when_modified": when},
            });
            if !s.producers.is_empty() {
                p["depends_on"] = json!(s
                    .producers
                    .iter()
                    .map(|d| project_name(&s.target, d))
                    .collect::<Vec<_>>());
            }
            p
        })
        .collect();
    let doc = json!({
        "version": 3,
        // a failed producer stops the groups after it
        "abort_on_execution_order_fail": true,
        "projects": projects,
    });
    format!(
        "# Written by `terrane synth --emit atlantis` from each target's manifest.json: one\n\
         # project per stack. Edit the stack program and re-run synth, not this file.\n{}",
        to_yaml(&doc)
    )
}

fn project_name(target: &str, stack: &str) -> String {
    format!("{target}-{stack}")
}
