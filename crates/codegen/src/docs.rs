//! Doc comments from provider descriptions: markdown made inert for rustdoc (no
//! doctests, no intra-doc links), list continuations indented.

/// Doc comment lines from a provider description: trimmed, code fences made inert
/// (a description is never a doctest), empty lines collapsed.
pub fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    // width of the marker of the list item being continued, if any
    let mut list_indent: Option<usize> = None;
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\t', "    ");
    for raw in text.lines() {
        let mut line = raw.trim().to_string();
        if line.starts_with("```") {
            line = if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            };
            in_fence = !in_fence;
            list_indent = None;
        } else if !in_fence {
            line = inert_markdown(&line);
            if line.is_empty() {
                list_indent = None;
            } else if let Some(w) = list_marker(&line) {
                list_indent = Some(w);
            } else if let Some(w) = list_indent {
                // a lazy continuation of a list item: indent it under the item
                line = format!("{}{line}", " ".repeat(w));
            }
        }
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Escapes what rustdoc would take for an intra-doc link (`[PROJECT_ID]`) and wraps
/// bare URLs in `<>`, outside of inline code.
fn inert_markdown(line: &str) -> String {
    let mut out = String::new();
    for (i, seg) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(seg);
            continue;
        }
        let chars: Vec<char> = seg.chars().collect();
        // only a `[...]` pair on one line not followed by `(` is escaped: `[text](url)`
        // stays a link, and a lone bracket (a link spanning lines) is left alone
        let mut keep = vec![true; chars.len()];
        for (j, c) in chars.iter().enumerate() {
            if *c == '[' {
                if let Some(k) = chars[j + 1..]
                    .iter()
                    .position(|c| *c == ']')
                    .map(|k| k + j + 1)
                {
                    if chars.get(k + 1) != Some(&'(') {
                        keep[j] = false;
                        keep[k] = false;
                    }
                }
            }
        }
        let mut j = 0;
        let mut paren_depth = 0;
        while j < chars.len() {
            let c = chars[j];
            let rest: String = chars[j..].iter().take(8).collect();
            if (rest.starts_with("https://") || rest.starts_with("http://"))
                && paren_depth == 0
                && !(j > 0 && chars[j - 1] == '<')
            {
                let mut end = j;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '<' | '>' | '"')
                {
                    end += 1;
                }
                while end > j && matches!(chars[end - 1], '.' | ',' | ';' | ':' | ')' | '\'' | '"')
                {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[j..end]);
                out.push('>');
                j = end;
                continue;
            }
            match c {
                '(' if j > 0 && chars[j - 1] == ']' => {
                    paren_depth += 1;
                    out.push(c);
                }
                ')' if paren_depth > 0 => {
                    paren_depth -= 1;
                    out.push(c);
                }
                '[' | ']' if !keep[j] => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
            j += 1;
        }
    }
    out
}

/// The width of a markdown list marker (`* `, `- `, `1. `) starting the line.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("* ") || line.starts_with("- ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        return Some(digits + 2);
    }
    None
}
