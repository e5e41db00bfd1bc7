//! Module call checks: a source terraform can install (not empty), and `version`
//! only where terraform accepts it (registry sources, not local paths).

use crate::diag::Diagnostic;

use super::StackCx;

/// The stack's module calls.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    for (name, m) in &cx.stack.modules {
        let addr = format!("module.{name}");
        if m.source.trim().is_empty() {
            out.push(cx.diag(&addr, "source", "module source is empty".to_string()));
        } else if m.version.is_some() && is_local_path(&m.source) {
            out.push(cx.diag(
                &addr,
                "version",
                format!(
                    "`{}` is a local path; version applies only to registry modules",
                    m.source
                ),
            ));
        }
    }
}

/// A source terraform reads as a directory of this configuration.
fn is_local_path(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}
