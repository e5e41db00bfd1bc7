//! Number checks: NaN and infinity have no JSON form, so they cannot be written.

use crate::diag::Diagnostic;
use crate::sites::{Item, Site};

use super::StackCx;

/// A number at `site` is finite.
pub(crate) fn check(cx: &StackCx<'_>, site: &Site<'_, '_>, out: &mut Vec<Diagnostic>) {
    if let Item::NonFiniteNumber = site.item {
        out.push(cx.diag(
            &site.owner.address(),
            &site.field(),
            "number is not finite (NaN or infinity cannot be written)".into(),
        ));
    }
}
