//! Small checks shared by the synth: identifiers and references inside raw expressions.

/// A valid Terraform identifier (block names, variables, outputs): a letter or `_`
/// first, then letters, digits, `_` or `-`.
///
/// ```
/// assert!(terrane_core::is_valid_identifier("web_01"));
/// assert!(!terrane_core::is_valid_identifier("1web"));
/// assert!(!terrane_core::is_valid_identifier("web.app"));
/// ```
pub fn is_valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A valid target or stack name (a folder name too): a letter first, then letters,
/// digits, `_` or `-`.
pub(crate) fn is_valid_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A reference found in raw expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
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
