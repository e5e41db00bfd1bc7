//! The deterministic pretty JSON writer of a [`Tree`]: two-space indent, keys in
//! tree order, expressions as `"${...}"` and literal strings template-escaped.

use super::Tree;
use crate::syntax::{escape_template, write_template_body, Node, Plain, RefRenderer};

impl Tree {
    /// Pretty JSON text, two-space indent, no trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, 0, &Plain);
        out
    }
}

/// Writes `t` as pretty JSON at `indent` levels, references through `rr`.
pub(crate) fn write_json(out: &mut String, t: &Tree, indent: usize, rr: &dyn RefRenderer) {
    match t {
        Tree::Null => out.push_str("null"),
        Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Tree::Num(n) => {
            if n.is_finite() {
                out.push_str(&n.to_string())
            } else {
                out.push_str("null")
            }
        }
        Tree::Str(s) => write_json_string(out, &escape_template(s)),
        Tree::Expr(node) => {
            let mut text = String::new();
            match &**node {
                Node::Template(parts) => write_template_body(&mut text, parts, rr, false),
                n => {
                    text.push_str("${");
                    n.write_hcl(&mut text, rr);
                    text.push('}');
                }
            }
            write_json_string(out, &text);
        }
        Tree::List(items) => write_json_list(out, items, indent, rr),
        Tree::Object(entries) => write_json_object(out, entries, indent, rr),
    }
}

fn write_json_list(out: &mut String, items: &[Tree], indent: usize, rr: &dyn RefRenderer) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push_str("[\n");
    for (i, it) in items.iter().enumerate() {
        push_indent(out, indent + 1);
        write_json(out, it, indent + 1, rr);
        if i + 1 < items.len() {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(out, indent);
    out.push(']');
}

fn write_json_object(
    out: &mut String,
    entries: &[(String, Tree)],
    indent: usize,
    rr: &dyn RefRenderer,
) {
    if entries.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (k, v)) in entries.iter().enumerate() {
        push_indent(out, indent + 1);
        write_json_string(out, k);
        out.push_str(": ");
        write_json(out, v, indent + 1, rr);
        if i + 1 < entries.len() {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(out, indent);
    out.push('}');
}

fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// Writes a JSON string literal (already template-escaped where needed).
fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{:04x}", b)),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}
