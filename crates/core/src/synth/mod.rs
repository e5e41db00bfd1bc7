//! Synthesizes one target in memory, in four phases, each its own module:
//! [`collect`] -> [`check`] -> [`render`] -> [`write`].
//!
//! Overrides are applied first, so every phase sees the final bodies. Collect checks
//! the depth of each expression before anything recursive reads it (one too deep ends
//! the synth with those errors only), and links references into another stack to an
//! output of the producing stack and a `terraform_remote_state` read in the consumer;
//! check runs every check of [`crate::checks`] (and finds the apply order, or a
//! cycle); render and write turn each stack into its `main.tf.json`. Nothing is
//! rendered when a check fails.

mod baseline;
mod check;
mod collect;
mod doc;
mod exports;
mod render;
mod write;

use std::collections::BTreeMap;
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
    let schemas = &*schemas.with_required(&target.stacks);
    let allowances = crate::refactor::take_allowances(&mut target.stacks);
    let mut diags = checks::overrides::apply(&target.name, &mut target.stacks);
    let (collected, order, written) = std::thread::scope(|scope| {
        load_schemas_beside(scope, schemas, &target.stacks);
        let decl = Declarations::new(&target.stacks);
        // An expression nested too deep ends the synth here, with only those errors.
        let collected = collect::collect(&target, &decl)?;
        let input = Phases {
            target: &target,
            decl: &decl,
            collected: &collected,
            schemas,
            app_rules,
        };
        let (order, written) = input.check_and_render(&mut diags);
        Ok::<_, Vec<Diagnostic>>((collected, order, written))
    })?;
    diags.dedup();
    let blocks = block_count(&target.stacks);
    if diags.iter().any(Diagnostic::is_error) {
        drop_large(std::mem::take(&mut target.stacks), blocks);
        return Err(diags);
    }
    let written = written.unwrap_or_else(|| render_and_write(&target.stacks, &collected));
    let mut out = finish(&target.name, collected, written, &order);
    drop_large(std::mem::take(&mut target.stacks), blocks);
    out.warnings = diags;
    match baseline {
        Some(b) => baseline::guard(out, b, &allowances, schemas),
        None => Ok(out),
    }
}

/// What the check and render phases read.
struct Phases<'a> {
    target: &'a Target,
    decl: &'a Declarations<'a>,
    collected: &'a Collected,
    schemas: &'a SchemaSet,
    app_rules: &'a [Arc<dyn Rule>],
}

/// From this many blocks, render and write run on a second thread during the checks.
/// The crate's own tests run every synth of a target with a block that way, so each
/// bad-input test also renders its invalid target beside the checks; the stacks'
/// snapshot tests, in another crate, take the one-thread path.
const PARALLEL_FROM: usize = if cfg!(test) { 1 } else { 2_049 };

impl Phases<'_> {
    /// Phase 2, and for a large target phases 3 and 4 at the same time: the stacks are
    /// rendered and written on a second thread (the second core) while the checks read
    /// them, and the text is thrown away if a check fails. A small target is only
    /// checked here and rendered afterwards (a thread would cost more than it saves);
    /// so is a large one when no thread can be started. Returns the apply order and,
    /// when already made, the written files.
    fn check_and_render(&self, diags: &mut Vec<Diagnostic>) -> (Vec<usize>, Option<Written>) {
        let check = |diags: &mut Vec<Diagnostic>| {
            let t = self.target;
            check::check(
                t,
                self.decl,
                self.collected,
                self.schemas,
                self.app_rules,
                diags,
            )
        };
        let stacks = &self.target.stacks;
        if block_count(stacks) < PARALLEL_FROM {
            return (check(diags), None);
        }
        let collected = self.collected;
        std::thread::scope(|scope| {
            let rendering = std::thread::Builder::new()
                .name("terrane-render".into())
                .spawn_scoped(scope, || render_and_write(stacks, collected));
            let order = check(diags);
            let written = match rendering {
                Ok(handle) => match handle.join() {
                    Ok(written) => Some(written),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => None,
            };
            (order, written)
        })
    }
}

/// For a large target, the provider schemas its blocks use are loaded on a thread of
/// their own while collect and the first check families run (the schema check is the
/// last family of a stack): for the aws schema and the 30 types of the benchmark stack
/// that is 12.6 M instructions, a quarter of the checks at 5,300 blocks. A small
/// target loads them in the schema check, as before: a thread would cost more.
fn load_schemas_beside<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    schemas: &'scope SchemaSet,
    stacks: &'scope [Stack],
) {
    if block_count(stacks) < PARALLEL_FROM {
        return;
    }
    // Without a thread, the schema check loads them, as for a small target.
    let _ = std::thread::Builder::new()
        .name("terrane-schemas".into())
        .spawn_scoped(scope, || schemas.load_used_by(stacks));
}

fn block_count(stacks: &[Stack]) -> usize {
    stacks.iter().map(|s| s.blocks.len()).sum()
}

/// Above this many blocks, the stacks are freed on a thread of their own.
const DROP_IN_BACKGROUND: usize = 2_048;

/// Frees the synthesized stacks. Large ones are hundreds of thousands of small
/// allocations (a tenth of synth's time at 53,000 resources): freeing them on another
/// thread lets the manifest, the caller and the writing of files go on meanwhile, on
/// the second core. Nothing waits for that thread: it owns the stacks and only frees them.
fn drop_large(stacks: Vec<Stack>, blocks: usize) {
    if blocks > DROP_IN_BACKGROUND {
        let spawned = std::thread::Builder::new()
            .name("terrane-drop".into())
            .spawn(move || drop(stacks));
        // Without a thread (resource limits), the stacks were moved into the failed
        // closure and are freed here, as before.
        drop(spawned);
    }
}

/// The files of phases 3 and 4, and each stack's summary, by position in the target.
struct Written {
    files: BTreeMap<String, String>,
    summaries: Vec<StackSummary>,
}

/// Phases 3 and 4, stack by stack: each document is written to text and dropped
/// before the next is rendered, which keeps peak memory low. The documents borrow
/// the stacks, so this can run while the checks read them.
fn render_and_write(stacks: &[Stack], collected: &Collected) -> Written {
    let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
    let backends: Vec<_> = stacks.iter().map(|s| s.backend.clone()).collect();
    let others = Neighbours {
        names: &names,
        backends: &backends,
    };
    let mut files = BTreeMap::new();
    let mut summaries = Vec::with_capacity(stacks.len());
    for (si, s) in stacks.iter().enumerate() {
        let resources = s
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Resource)
            .count();
        summaries.push(StackSummary {
            name: s.name.clone(),
            depends_on: collected.deps[si]
                .iter()
                .map(|&d| names[d].clone())
                .collect(),
            resources,
            data_sources: s.blocks.len() - resources,
        });
        write::tfvars(s, &mut files);
        write::versions_tf(s, &mut files);
        let rr = CrossStackRenderer {
            this: s.id,
            imports: &collected.imports,
        };
        let doc = render::stack(s, &collected.exports[si], &collected.reads[si], &others);
        write::main_tf(&names[si], &doc, s.blocks.len(), &rr, &mut files);
    }
    Written { files, summaries }
}

/// The target's files: its file sets', its stacks' and the manifest, which lists the
/// stacks in apply `order`.
fn finish(target: &str, collected: Collected, written: Written, order: &[usize]) -> Synthesized {
    let mut files = collected.files;
    files.extend(written.files);
    let mut summaries: Vec<Option<StackSummary>> =
        written.summaries.into_iter().map(Some).collect();
    let ordered: Vec<StackSummary> = order
        .iter()
        .filter_map(|&si| summaries.get_mut(si).and_then(Option::take))
        .collect();
    write::manifest(target, &ordered, &mut files);
    Synthesized {
        target: target.to_string(),
        files,
        stacks: ordered,
        warnings: Vec::new(),
    }
}
