//! Rust names for Terraform names: identifiers that avoid keywords and the methods
//! every generated type has, and CamelCase type names.

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Builder methods every generated struct has besides the setters.
pub(crate) const BUILDER_RESERVED: &[&str] = &[
    "new",
    "to_tree",
    "to_body",
    "provider",
    "resource_type",
    "data_type",
    "alias",
    "required",
    "alias_name",
    "clone",
    "fmt",
    "default",
];
/// Methods of handles (`Handle`) and accessors (`ObjectExpr`).
pub(crate) const GETTER_RESERVED: &[&str] = &[
    "address",
    "at",
    "key",
    "whole",
    "base",
    "from_base",
    "expr",
    "clone",
    "fmt",
    "eq",
];

/// A Rust identifier for a Terraform name: keywords get a trailing `_`.
pub fn ident(name: &str, reserved: &[&str]) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    } else if reserved.contains(&s.as_str()) {
        s.push_str("_attr");
    }
    s
}

/// `cloud_run_v2_service` -> `CloudRunV2Service`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}
