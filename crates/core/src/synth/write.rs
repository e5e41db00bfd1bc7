//! Phase 4, write: rendered stacks to the text of their files, and the target's
//! `manifest.json`. (Putting the files on disk, atomically, is [`crate::write_targets`].)

use std::collections::BTreeMap;

use crate::stack::Stack;
use crate::target::StackSummary;
use crate::tree::{Tree, WriteJson};

use super::doc::Doc;
use super::render::CrossStackRenderer;

/// Writes `terraform.tfvars.json` of a stack that sets variable values.
pub(crate) fn tfvars(s: &Stack, files: &mut BTreeMap<String, String>) {
    if s.var_values.is_empty() {
        return;
    }
    let mut text = Tree::object(s.var_values.iter().map(|(k, v)| (k.clone(), v.clone()))).to_json();
    text.push('\n');
    files.insert(format!("{}/terraform.tfvars.json", s.name), text);
}

/// Writes `versions.tf.json`, the stack's `terraform { required_version }`: the
/// version the program set, or the one its features need (none for a stack of
/// features every supported Terraform reads). A file of its own because checkov's
/// terraform_json parser fails on a whole file with a string directly under
/// `terraform` ("this method receives only dicts"); apart, it loses only this file,
/// which holds nothing it checks, and main.tf.json is scanned whole.
pub(crate) fn versions_tf(s: &Stack, files: &mut BTreeMap<String, String>) {
    let required = s
        .required_version
        .clone()
        .or_else(|| crate::features::needed_version(s).map(|v| format!(">= {v}")));
    let Some(version) = required else { return };
    let doc = Tree::object([(
        "terraform",
        Tree::object([("required_version", Tree::Str(version))]),
    )]);
    let mut text = doc.to_json();
    text.push('\n');
    files.insert(format!("{}/versions.tf.json", s.name), text);
}

/// Writes a stack's `main.tf.json` from its rendered document of `blocks` blocks.
pub(crate) fn main_tf(
    name: &str,
    doc: &Doc<'_>,
    blocks: usize,
    rr: &CrossStackRenderer<'_>,
    files: &mut BTreeMap<String, String>,
) {
    let mut text = String::with_capacity(text_capacity(blocks));
    doc.write_json(&mut text, 0, rr);
    text.push('\n');
    // Gives back what the estimate over-reserved (in place: no copy).
    text.shrink_to_fit();
    files.insert(format!("{name}/main.tf.json"), text);
}

/// Blocks above which a stack's text gets a buffer of its own mapping.
const LARGE_STACK_BLOCKS: usize = 2048;
/// Above glibc's highest dynamic mmap threshold (32 MiB): a buffer this size is always
/// its own mapping, so only the pages written are resident, it grows by `mremap`
/// without copying, and shrinks in place. A large text grown from a small buffer
/// instead reallocates on the heap (once a big temporary of the synth has raised the
/// threshold), copying itself and leaving each smaller copy behind as touched, free
/// heap: about 16 MiB more peak memory at 53,000 blocks (BENCHMARKS.md).
const LARGE_TEXT_RESERVE: usize = 33 << 20;

/// The initial capacity of a stack's text: small stacks start small (a few KiB per
/// block), large ones start in their own mapping.
fn text_capacity(blocks: usize) -> usize {
    if blocks > LARGE_STACK_BLOCKS {
        LARGE_TEXT_RESERVE.max(blocks * 512)
    } else {
        4096 + blocks * 512
    }
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
