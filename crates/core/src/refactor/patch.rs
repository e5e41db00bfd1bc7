//! Adds blocks the guard decided on (`moved`, `removed`, `import`) to the text of a
//! stack's `main.tf.json`, keeping the writer's layout (two-space indent).

use serde_json::Value;

/// Appends `blocks` to the top-level list `key` of a `main.tf.json` text, creating
/// the list when the document has none.
pub(crate) fn append_blocks(text: &mut String, key: &str, blocks: &[Value]) {
    if blocks.is_empty() {
        return;
    }
    let entries: Vec<String> = blocks
        .iter()
        .map(|b| format!("    {}", indented(b)))
        .collect();
    let opening = format!("\n  \"{key}\": [\n");
    if let Some(at) = text.find(&opening) {
        let insert_at = at + opening.len();
        text.insert_str(insert_at, &format!("{},\n", entries.join(",\n")));
        return;
    }
    // The document ends with "\n}\n": add the list as its last entry.
    let Some(end) = text.rfind("\n}") else {
        return;
    };
    let list = format!(",\n  \"{key}\": [\n{}\n  ]", entries.join(",\n"));
    text.insert_str(end, &list);
}

/// A block's JSON, pretty-printed and indented to sit inside a top-level list.
fn indented(block: &Value) -> String {
    let pretty = serde_json::to_string_pretty(block).unwrap_or_default();
    pretty.replace('\n', "\n    ")
}
