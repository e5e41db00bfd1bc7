//! Escaping of literal text, so that Terraform never interpolates it, and quoting of
//! HCL string literals.

use std::borrow::Cow;

/// Escapes literal text so that Terraform never interpolates it: `${` → `$${`, `%{` → `%%{`.
///
/// ```
/// assert_eq!(terrane_core::escape_template("a ${b} %{c}"), "a $${b} %%{c}");
/// ```
pub fn escape_template(s: &str) -> String {
    escape_template_cow(s).into_owned()
}

/// [`escape_template`] without a copy when nothing needs escaping (the common case,
/// on the hot path of writing every literal string).
pub(crate) fn escape_template_cow(s: &str) -> Cow<'_, str> {
    if !needs_template_escape(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if (c == '$' || c == '%') && chars.peek() == Some(&'{') {
            out.push(c);
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// True when `s` holds an interpolation opener (`${` or `%{`).
fn needs_template_escape(s: &str) -> bool {
    // Every object key and literal string passes here: look only at the braces.
    let b = s.as_bytes();
    memchr::memchr_iter(b'{', b).any(|i| i > 0 && matches!(b[i - 1], b'$' | b'%'))
}

/// Writes a quoted HCL string literal (inside an expression).
pub(crate) fn write_hcl_string(out: &mut String, s: &str) {
    out.push('"');
    write_hcl_string_body(out, s);
    out.push('"');
}

/// Writes the inside of a quoted HCL string: template-escaped, then quote-escaped.
pub(crate) fn write_hcl_string_body(out: &mut String, s: &str) {
    for ch in escape_template_cow(s).chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

/// True when an object key can be written bare (`key = ...`) rather than quoted.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_interpolation_openers() {
        assert_eq!(escape_template("plain $x %y {z}"), "plain $x %y {z}");
        assert_eq!(escape_template("${a}%{b}"), "$${a}%%{b}");
        assert_eq!(escape_template("é${ü}"), "é$${ü}");
        assert_eq!(escape_template("$$"), "$$");
    }

    #[test]
    fn quotes_and_escapes_hcl_strings() {
        let mut out = String::new();
        write_hcl_string(&mut out, "a\"b\\c\n${d}");
        assert_eq!(out, r#""a\"b\\c\n$${d}""#);
    }
}
