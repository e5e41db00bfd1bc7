//! A small block-style YAML writer for the JSON values the emitters build (maps,
//! lists, strings, numbers, booleans): a string that YAML could read as something
//! else is written double-quoted (JSON string syntax is valid YAML).

use serde_json::Value;

/// `value` as a YAML document (no leading `---`).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out
}

fn write_value(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push_str(&" ".repeat(indent));
                out.push_str(&scalar_key(k));
                out.push(':');
                write_child(v, indent, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        // first key on the dash's line, the rest aligned under it
                        let mut inner = String::new();
                        write_value(v, indent + 2, &mut inner);
                        out.push(' ');
                        out.push_str(inner.trim_start());
                    }
                    _ => write_child(v, indent, out),
                }
            }
        }
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// After `key:` or `-`: a scalar or empty collection on the same line, a collection
/// on the next lines.
fn write_child(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_value(v, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_value(v, indent + 2, out);
        }
        Value::Object(_) => out.push_str(" {}\n"),
        Value::Array(_) => out.push_str(" []\n"),
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar_key(k: &str) -> String {
    if plain(k) {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) if plain(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether a string reads back as the same string unquoted.
fn plain(s: &str) -> bool {
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '.' || c == '/')
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_block_yaml_quoting_what_would_change_type() {
        let v = json!({
            "version": 3,
            "projects": [{"name": "prod-app", "depends_on": ["prod-network"],
                          "autoplan": {"when_modified": ["*.tf.json", "../manifest.json"], "enabled": true}}],
            "empty": [], "yes": "no", "n": "10m"
        });
        // serde_json maps are sorted by key
        assert_eq!(
            to_yaml(&v),
            "empty: []\n\
             \"n\": \"10m\"\n\
             projects:\n\
             \x20 - autoplan:\n\
             \x20     enabled: true\n\
             \x20     when_modified:\n\
             \x20       - \"*.tf.json\"\n\
             \x20       - ../manifest.json\n\
             \x20   depends_on:\n\
             \x20     - prod-network\n\
             \x20   name: prod-app\n\
             version: 3\n\
             \"yes\": \"no\"\n"
        );
    }
}
