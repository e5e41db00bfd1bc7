//! Phase 4, write: rendered stacks to the text of their files, and the target's
//! `manifest.json`. (Putting the files on disk, atomically, is [`crate::write_targets`].)

use std::collections::BTreeMap;

use crate::stack::Stack;
use crate::target::StackSummary;
use crate::tree::{write_json, Tree};

use super::render::CrossStackRenderer;

/// Writes `terraform.tfvars.json` of a stack that sets variable values.
pub(crate) fn tfvars(s: &Stack, files: &mut BTreeMap<String, String>) {
    if s.var_values.is_empty() {
        return;
    }
    let mut text = Tree::Object(s.var_values.clone()).to_json();
    text.push('\n');
    files.insert(format!("{}/terraform.tfvars.json", s.name), text);
}

/// Writes a stack's `main.tf.json` from its rendered document.
pub(crate) fn main_tf(
    name: &str,
    doc: &Tree,
    rr: &CrossStackRenderer<'_>,
    files: &mut BTreeMap<String, String>,
) {
    let mut text = String::with_capacity(4096);
    write_json(&mut text, doc, 0, rr);
    text.push('\n');
    files.insert(format!("{name}/main.tf.json"), text);
}

/// Writes `manifest.json`: the stacks in apply order, for deploy tools.
pub(crate) fn manifest(
    target: &str,
    summaries: &[StackSummary],
    files: &mut BTreeMap<String, String>,
) {
    let stacks = summaries.iter().map(|s| {
        let deps = s.depends_on.iter().map(|d| Tree::Str(d.clone()));
        Tree::object([
            ("name", Tree::Str(s.name.clone())),
            ("path", Tree::Str(format!("{}/main.tf.json", s.name))),
            ("depends_on", Tree::List(deps.collect())),
            ("resources", Tree::from(s.resources)),
            ("data_sources", Tree::from(s.data_sources)),
        ])
    });
    let manifest = Tree::object([
        ("target", Tree::Str(target.to_string())),
        ("stacks", Tree::List(stacks.collect())),
    ]);
    let mut text = manifest.to_json();
    text.push('\n');
    files.insert("manifest.json".to_string(), text);
}
