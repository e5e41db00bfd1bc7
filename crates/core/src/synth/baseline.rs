//! After write, when the previous output exists: the refactor guard
//! ([`crate::refactor`]) compares the new output with it. Without a baseline this
//! phase does not run, so synth stays pure and its hot path untouched.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::refactor::{
    run_guard, Allowances, DiffContext, GuardOptions, StatefulTable, TargetModel,
};
use crate::schema::SchemaSet;
use crate::target::Synthesized;

/// The previous output of a target and what the guard needs to judge the new one.
pub(crate) struct Baseline<'a> {
    /// The previous output, parsed.
    pub model: &'a TargetModel,
    /// Stateful types of every provider.
    pub table: &'a StatefulTable,
    /// What the guard may write besides `moved` blocks.
    pub options: GuardOptions,
}

/// Runs the guard on `out`; its errors fail the synth with every earlier warning.
pub(crate) fn guard(
    mut out: Synthesized,
    baseline: &Baseline<'_>,
    allowances: &BTreeMap<String, Allowances>,
    schemas: &SchemaSet,
) -> Result<Synthesized, Vec<Diagnostic>> {
    let cx = DiffContext {
        table: baseline.table,
        schemas,
    };
    let found = run_guard(&mut out, baseline.model, allowances, &cx, baseline.options);
    out.warnings.extend(found);
    if out.warnings.iter().any(Diagnostic::is_error) {
        return Err(out.warnings);
    }
    Ok(out)
}
