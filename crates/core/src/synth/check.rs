//! Phase 2, check: runs every check of [`crate::checks`] (core checks, file set
//! problems, rules) on the collected target, and finds the stacks' apply order.

use std::sync::Arc;

use crate::checks::{self, CheckInput, Rule};
use crate::diag::Diagnostic;
use crate::schema::SchemaSet;
use crate::sites::Declarations;
use crate::target::Target;

use super::collect::Collected;

/// Phase 2: every check, core and rules; returns the stacks' apply order.
pub(crate) fn check(
    target: &Target,
    decl: &Declarations<'_>,
    collected: &Collected,
    schemas: &SchemaSet,
    app_rules: &[Arc<dyn Rule>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let input = CheckInput {
        decl,
        schemas,
        deps: &collected.deps,
        files: &collected.files,
        file_diagnostics: &collected.file_diagnostics,
        app_rules,
    };
    checks::run(target, &input, diags)
}
