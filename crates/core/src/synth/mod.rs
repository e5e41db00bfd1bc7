//! Synthesizes one target in memory, in four phases, each its own module:
//! [`collect`] -> [`check`] -> [`render`] -> [`write`].
//!
//! Overrides are applied first, so every phase sees the final bodies. Collect links
//! references into another stack to an output of the producing stack and a
//! `terraform_remote_state` read in the consumer; check runs every check of
//! [`crate::checks`] (and finds the apply order, or a cycle); render and write turn
//! each stack into its `main.tf.json`. Nothing is rendered when a check fails.

mod baseline;
mod check;
mod collect;
mod exports;
mod render;
mod write;

use std::sync::Arc;

use crate::checks::{self, Rule};
use crate::diag::Diagnostic;
use crate::resource::BlockKind;
use crate::schema::SchemaSet;
use crate::sites::Declarations;
use crate::stack::Stack;
use crate::target::{StackSummary, Synthesized, Target};

pub(crate) use baseline::Baseline;
use collect::Collected;
use render::{CrossStackRenderer, Neighbours};

/// Checks and renders `target`. On success the result carries the warnings; on
/// failure every diagnostic (errors and warnings) is returned. With a `baseline`
/// (the previous output), the refactor guard then judges the change.
pub(crate) fn synth_target(
    mut target: Target,
    schemas: &SchemaSet,
    app_rules: &[Arc<dyn Rule>],
    baseline: Option<&Baseline<'_>>,
) -> Result<Synthesized, Vec<Diagnostic>> {
    let mut deep = Vec::new();
    for s in &target.stacks {
        checks::depth::check(&target.name, s, &mut deep);
    }
    if !deep.is_empty() {
        return Err(deep);
    }
    let schemas = &*schemas.with_required(&target.stacks);
    let allowances = crate::refactor::take_allowances(&mut target.stacks);
    let mut diags = checks::overrides::apply(&target.name, &mut target.stacks);
    let (collected, order) = {
        let decl = Declarations::new(&target.stacks);
        let collected = collect::collect(&target, &decl);
        let order = check::check(&target, &decl, &collected, schemas, app_rules, &mut diags);
        (collected, order)
    };
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let mut out = render_and_write(target, collected, &order);
    out.warnings = diags;
    match baseline {
        Some(b) => baseline::guard(out, b, &allowances, schemas),
        None => Ok(out),
    }
}

/// Above this many blocks, a rendered document is freed on a thread of its own.
const DROP_IN_BACKGROUND: usize = 2_048;

/// Frees a written document. A large one is a tree of hundreds of thousands of small
/// allocations (a tenth of synth's time at 53,000 resources): freeing it on another
/// thread lets the next stack, the manifest and the caller go on meanwhile, on the
/// second core. Nothing waits for that thread: it owns the document and only frees it.
fn drop_large(doc: crate::tree::Tree, blocks: usize) {
    if blocks > DROP_IN_BACKGROUND {
        let spawned = std::thread::Builder::new()
            .name("terrane-drop".into())
            .spawn(move || drop(doc));
        // Without a thread (resource limits), the document was moved into the failed
        // closure and is freed here, as before.
        drop(spawned);
    }
}

/// Phases 3 and 4, stack by stack in apply order: each document is written to
/// text and dropped before the next is rendered, which keeps peak memory low.
fn render_and_write(target: Target, collected: Collected, order: &[usize]) -> Synthesized {
    let Collected {
        exports,
        imports,
        deps,
        reads,
        files: mut out_files,
        ..
    } = collected;
    let names: Vec<String> = target.stacks.iter().map(|s| s.name.clone()).collect();
    let backends: Vec<_> = target.stacks.iter().map(|s| s.backend.clone()).collect();
    let others = Neighbours {
        names: &names,
        backends: &backends,
    };
    let mut owned: Vec<Option<Stack>> = target.stacks.into_iter().map(Some).collect();
    let mut summaries = Vec::new();
    for &si in order {
        let Some(s) = owned[si].take() else { continue };
        let resources = s
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Resource)
            .count();
        summaries.push(StackSummary {
            name: s.name.clone(),
            depends_on: deps[si].iter().map(|&d| names[d].clone()).collect(),
            resources,
            data_sources: s.blocks.len() - resources,
        });
        write::tfvars(&s, &mut out_files);
        write::versions_tf(&s, &mut out_files);
        let rr = CrossStackRenderer {
            this: s.id,
            imports: &imports,
        };
        let blocks = s.blocks.len();
        let doc = render::stack(s, &exports[si], &reads[si], &others);
        write::main_tf(&names[si], &doc, blocks, &rr, &mut out_files);
        drop_large(doc, blocks);
    }
    write::manifest(&target.name, &summaries, &mut out_files);
    Synthesized {
        target: target.name,
        files: out_files,
        stacks: summaries,
        warnings: Vec::new(),
    }
}
