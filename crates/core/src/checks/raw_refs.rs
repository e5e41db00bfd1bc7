//! References inside raw expression text (`Expr::raw`), found by a small scanner:
//! raw text is the escape hatch, so it gets the dangling-reference check too.

use crate::diag::Diagnostic;
use crate::resource::BlockKind;
use crate::sites::Site;

use super::StackCx;

/// Every reference in raw text `text` at `site` names something this stack declares.
pub(crate) fn check(cx: &StackCx<'_>, site: &Site<'_, '_>, text: &str, out: &mut Vec<Diagnostic>) {
    let stack = cx.stack;
    for r in scan_raw_refs(text) {
        let (ok, what) = match &r {
            RawRef::Var(n) => (
                stack.variables.iter().any(|v| &v.name == n),
                format!("var.{n}"),
            ),
            RawRef::Local(n) => (
                stack.locals.iter().any(|(l, _)| l == n),
                format!("local.{n}"),
            ),
            RawRef::Module(n) => (
                stack.modules.iter().any(|(m, _)| m == n),
                format!("module.{n}"),
            ),
            RawRef::Data(t, n) => {
                if t == "terraform_remote_state" {
                    (true, String::new())
                } else {
                    (
                        stack
                            .blocks
                            .iter()
                            .any(|b| b.kind == BlockKind::Data && &*b.ty == t && &*b.name == n),
                        format!("data.{t}.{n}"),
                    )
                }
            }
            RawRef::Resource(t, n) => (resource_declared(cx, t, n), format!("{t}.{n}")),
        };
        if !ok {
            out.push(cx.diag(
                &site.owner.address(),
                &site.field(),
                format!("raw expression `{text}` refers to `{what}`, which is not declared in this stack"),
            ));
        }
    }
}

/// True when `t.n` is declared, or cannot be a resource of this stack at all.
fn resource_declared(cx: &StackCx<'_>, t: &str, n: &str) -> bool {
    let stack = cx.stack;
    // Only types of providers this stack uses can be resource references.
    let prefix = t.split('_').next().unwrap_or_default();
    let known_provider = stack
        .required_providers
        .iter()
        .any(|p| p.local_name == prefix)
        || stack
            .blocks
            .iter()
            .any(|b| b.ty.split('_').next() == Some(prefix));
    !known_provider
        || stack
            .blocks
            .iter()
            .any(|b| b.kind == BlockKind::Resource && &*b.ty == t && &*b.name == n)
}

pub(crate) enum RawRef {
    Var(String),
    Local(String),
    Module(String),
    Data(String, String),
    Resource(String, String),
}

/// Finds references in raw Terraform expression text, skipping string literals
/// (but not their `${}` interpolations) and attribute accesses.
pub(crate) fn scan_raw_refs(text: &str) -> Vec<RawRef> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // string depth: inside a quoted string we skip text until `${` or the closing quote.
    let mut in_string = false;
    let mut brace_stack: Vec<bool> = Vec::new(); // true = interpolation brace
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    in_string = false;
                    brace_stack.push(true);
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'{' => {
                brace_stack.push(false);
                i += 1;
            }
            b'}' => {
                if brace_stack.pop() == Some(true) {
                    in_string = true;
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let prev_dot = i > 0 && b[i - 1] == b'.';
                let start = i;
                let (parts, end) = read_traversal(b, i);
                i = end;
                if prev_dot || parts.is_empty() {
                    continue;
                }
                // a function call is not a reference
                if b.get(end) == Some(&b'(') && parts.len() == 1 {
                    continue;
                }
                let _ = start;
                let p: Vec<&str> = parts.iter().map(String::as_str).collect();
                match p.as_slice() {
                    ["var", n, ..] => out.push(RawRef::Var(n.to_string())),
                    ["local", n, ..] => out.push(RawRef::Local(n.to_string())),
                    ["module", n, ..] => out.push(RawRef::Module(n.to_string())),
                    ["data", t, n, ..] => out.push(RawRef::Data(t.to_string(), n.to_string())),
                    [t, n, ..]
                        if t.contains('_')
                            && !matches!(*t, "each" | "count" | "path" | "terraform" | "self") =>
                    {
                        out.push(RawRef::Resource(t.to_string(), n.to_string()))
                    }
                    _ => {}
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn read_traversal(b: &[u8], mut i: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    loop {
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
            i += 1;
        }
        if i == start {
            break;
        }
        parts.push(String::from_utf8_lossy(&b[start..i]).into_owned());
        if i < b.len()
            && b[i] == b'.'
            && i + 1 < b.len()
            && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_')
        {
            i += 1;
            continue;
        }
        break;
    }
    (parts, i)
}
