//! Identifier checks: names of targets, stacks, blocks, variables, locals, modules,
//! outputs and provider aliases, and block type names.

use crate::diag::Diagnostic;
use crate::stack::Stack;

use super::StackCx;

/// A valid Terraform identifier (block names, variables, outputs): a letter or `_`
/// first, then letters, digits, `_` or `-`.
///
/// ```
/// assert!(terrane_core::is_valid_identifier("web_01"));
/// assert!(!terrane_core::is_valid_identifier("1web"));
/// assert!(!terrane_core::is_valid_identifier("web.app"));
/// assert!(!terrane_core::is_valid_identifier("wéb"));
/// ```
pub fn is_valid_identifier(s: &str) -> bool {
    // Bytes, not chars: every allowed character is ASCII, and no byte of a multi-byte
    // character is (a name is checked for every block, so decoding showed).
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// A valid target or stack name (a folder name too): a letter first, then letters,
/// digits, `_` or `-`.
pub(crate) fn is_valid_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic())
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// A valid resource or data source type name (`aws_vpc`).
pub(crate) fn is_valid_type_name(t: &str) -> bool {
    !t.is_empty()
        && t.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// Target names are valid folder names.
pub(crate) fn target_name(name: &str, out: &mut Vec<Diagnostic>) {
    if !is_valid_name(name) {
        out.push(
            Diagnostic::new(format!(
                "target name `{name}` is not valid: use letters, digits, `_` and `-`, starting with a letter"
            ))
            .target(name),
        );
    }
}

/// Stack names are valid folder names.
pub(crate) fn stack_name(target: &str, s: &Stack, out: &mut Vec<Diagnostic>) {
    if !is_valid_name(&s.name) {
        out.push(
            Diagnostic::new(format!(
                "stack name `{}` is not valid: use letters, digits, `_` and `-`, starting with a letter",
                s.name
            ))
            .target(target)
            .stack(s.name.clone()),
        );
    }
}

/// Every name declared in one stack is a valid identifier.
pub(crate) fn check(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.stack;
    for p in &s.providers {
        if let Some(a) = &p.alias {
            if !is_valid_identifier(a) {
                out.push(cx.diag(
                    &format!("provider.{}", p.req.local_name),
                    "alias",
                    format!("alias `{a}` is not a valid identifier"),
                ));
            }
        }
    }
    for b in &s.blocks {
        if !is_valid_identifier(&b.name) {
            out.push(cx.diag(&b.address(), "", format!("`{}` is not a valid Terraform identifier: use letters, digits, `_` and `-`, starting with a letter or `_`", b.name)));
        }
        if !is_valid_type_name(&b.ty) {
            out.push(cx.diag(
                &b.address(),
                "",
                format!("`{}` is not a valid type name", b.ty),
            ));
        }
    }
    for (kind, name) in super::declared_names(s) {
        if !is_valid_identifier(name) {
            out.push(cx.diag(
                &format!("{}.{name}", kind.prefix()),
                "",
                format!("`{name}` is not a valid Terraform identifier"),
            ));
        }
    }
}
