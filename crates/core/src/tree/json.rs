//! The deterministic pretty JSON writer of a [`Tree`]: two-space indent, keys in
//! tree order, expressions as `"${...}"` and literal strings template-escaped.

use std::fmt::Write as _;

use super::Tree;
use crate::syntax::{escape_template_cow, write_template_body, Node, Plain, RefRenderer};

impl Tree {
    /// Pretty JSON text, two-space indent, no trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(&mut out, self, 0, &Plain);
        out
    }
}

/// A value the pretty JSON writer can write: a [`Tree`], or a rendered document that
/// borrows the trees of a stack (`synth::render::Doc`).
pub(crate) trait WriteJson {
    /// Writes the value as pretty JSON at `indent` levels, references through `rr`.
    fn write_json(&self, out: &mut String, indent: usize, rr: &dyn RefRenderer);
}

impl WriteJson for Tree {
    fn write_json(&self, out: &mut String, indent: usize, rr: &dyn RefRenderer) {
        write_json(out, self, indent, rr);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut String, indent: usize, rr: &dyn RefRenderer) {
        (**self).write_json(out, indent, rr);
    }
}

/// Writes `t` as pretty JSON at `indent` levels, references through `rr`.
pub(crate) fn write_json(out: &mut String, t: &Tree, indent: usize, rr: &dyn RefRenderer) {
    match t {
        Tree::Null => out.push_str("null"),
        Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Tree::Num(n) => {
            if n.is_finite() {
                // Formats in place: no String per number. Writing to a String cannot fail.
                let _ = write!(out, "{n}");
            } else {
                out.push_str("null")
            }
        }
        Tree::Str(s) => write_json_literal(out, s),
        Tree::Expr(node) => write_json_expr(out, node, rr),
        Tree::List(items) => write_json_list(out, items, indent, rr),
        Tree::Object(entries) => write_json_object(
            out,
            entries.len(),
            entries.iter().map(|(k, v)| (&**k, v)),
            indent,
            rr,
        ),
    }
}

/// Writes a literal string: template-escaped (so it never interpolates), then as JSON.
pub(crate) fn write_json_literal(out: &mut String, s: &str) {
    // One vectorizable pass settles nearly every key and string: with no byte JSON
    // escapes and no `{` (so no `${` or `%{` to double), it is copied whole.
    let plain = s.as_bytes().iter().fold(true, |plain, &b| {
        plain & !(needs_json_escape(b) | (b == b'{'))
    });
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    write_json_string(out, &escape_template_cow(s));
}

/// Writes an array of `items` at `indent` levels.
pub(crate) fn write_json_list<V: WriteJson>(
    out: &mut String,
    items: &[V],
    indent: usize,
    rr: &dyn RefRenderer,
) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push_str("[\n");
    for (i, it) in items.iter().enumerate() {
        push_indent(out, indent + 1);
        it.write_json(out, indent + 1, rr);
        if i + 1 < items.len() {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(out, indent);
    out.push(']');
}

/// Writes an object of the `len` entries `entries` yields, in that order. Taking an
/// iterator lets a block's meta-arguments and its borrowed body be written as one
/// object without first collecting them.
pub(crate) fn write_json_object<'v, V: WriteJson + 'v>(
    out: &mut String,
    len: usize,
    entries: impl Iterator<Item = (&'v str, V)>,
    indent: usize,
    rr: &dyn RefRenderer,
) {
    if len == 0 {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (k, v)) in entries.enumerate() {
        push_indent(out, indent + 1);
        // Terraform reads object keys as templates too: `${` in a key interpolates.
        write_json_literal(out, k);
        out.push_str(": ");
        v.write_json(out, indent + 1, rr);
        if i + 1 < len {
            out.push(',');
        }
        out.push('\n');
    }
    push_indent(out, indent);
    out.push('}');
}

/// Writes an expression as a JSON string. The HCL text is printed straight into `out`
/// and only escaped afterwards if it holds a byte JSON must escape (rare: quoted
/// strings inside expressions), so the common case allocates nothing.
pub(crate) fn write_json_expr(out: &mut String, node: &Node, rr: &dyn RefRenderer) {
    out.push('"');
    let start = out.len();
    match node {
        Node::Template(parts) => write_template_body(out, parts, rr, false),
        n => {
            out.push_str("${");
            n.write_hcl(out, rr);
            out.push('}');
        }
    }
    if any_needs_json_escape(&out.as_bytes()[start..]) {
        let text = out.split_off(start);
        out.pop();
        write_json_string(out, &text);
    } else {
        out.push('"');
    }
}

fn needs_json_escape(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Whether any byte of `bytes` needs a JSON escape. A fold without early exit, which
/// the compiler turns into a vector loop: most strings need none, and are then copied
/// whole instead of scanned byte by byte for where to cut.
fn any_needs_json_escape(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(false, |found, &b| found | needs_json_escape(b))
}

fn push_indent(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = 2 * n;
    while width > SPACES.len() {
        out.push_str(SPACES);
        width -= SPACES.len();
    }
    out.push_str(&SPACES[..width]);
}

/// Writes a JSON string literal (already template-escaped where needed).
fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    if !any_needs_json_escape(bytes) {
        out.push_str(s);
        out.push('"');
        return;
    }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Tree;
    use crate::syntax::Node;

    #[test]
    fn literal_strings_are_escaped_only_where_needed() {
        assert_eq!(Tree::from("plain text").to_json(), "\"plain text\"");
        let needs = Tree::from("a\"b\\c\nd\re\tf\u{1}g");
        assert_eq!(needs.to_json(), r#""a\"b\\c\nd\re\tf\u0001g""#);
    }

    #[test]
    fn expressions_needing_json_escapes_are_escaped_and_others_written_in_place() {
        let quoted = Tree::Expr(Arc::new(Node::Str("q\"\n".into())));
        assert_eq!(quoted.to_json(), r#""${\"q\\\"\\n\"}""#);
        let plain = Tree::Expr(Arc::new(Node::Num(3.into())));
        assert_eq!(plain.to_json(), r#""${3}""#);
        let nested = Tree::list([Tree::from(7), Tree::from("${x}"), quoted]);
        assert_eq!(
            nested.to_json(),
            "[\n  7,\n  \"$${x}\",\n  \"${\\\"q\\\\\\\"\\\\n\\\"}\"\n]"
        );
    }
}
