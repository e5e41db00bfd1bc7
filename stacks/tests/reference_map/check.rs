//! The machine-checkable part of `docs/REFERENCE.md`: its rows, the checks each row
//! states in its `where` cell, and whether a synthesized output satisfies them.
//!
//! A check is a backticked locator, optionally followed by a field and a value:
//! - `STACK/TYPE.NAME` (also `STACK/data.TYPE.NAME`, `STACK/output.NAME`,
//!   `STACK/variable.NAME`): a block of `out/<target>/STACK/main.tf.json`;
//! - `k8s/PATH#Kind/name`: a document of `out/<target>/k8s/PATH` with that kind and
//!   `metadata.name`; `k8s/PATH` alone: that file (its only document);
//! - then ` FIELD=VALUE` (the field equals the value) or ` FIELD~TEXT` (the field's
//!   value contains the text). FIELD is dot-separated; `[key.with.dots]` is one key;
//!   a number indexes a list; any other key applied to a list looks into each element
//!   (the check passes when one reachable value matches).

use serde_json::Value;
use terrane_core::Synthesized;

/// One row of the map: `| id | item | reference | target | where | status |`.
pub struct Row<'a> {
    pub line: usize,
    pub id: &'a str,
    pub item: &'a str,
    pub target: &'a str,
    pub checks: Vec<&'a str>,
    pub status: &'a str,
}

/// The rows of a map text: table lines whose first cell is an item id (`000.1`).
pub fn rows(map: &str) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for (i, line) in map.lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // `| id | item | reference | target | where | status |` gives 8 cells with the empty ends.
        if cells.len() != 8 || !cells[1].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let checks = cells[5]
            .split('`')
            .enumerate()
            .filter(|(n, _)| n % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        out.push(Row {
            line: i + 1,
            id: cells[1],
            item: cells[2],
            target: cells[4].trim_matches('`'),
            checks,
            status: cells[6],
        });
    }
    out
}

/// Lines that start like a row (`| 000.1 |`) but do not have its six cells, which
/// `rows` would skip: a `|` inside a check, a cell too many or too few.
pub fn malformed(map: &str) -> Vec<usize> {
    map.lines()
        .enumerate()
        .filter(|(_, line)| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            cells.len() > 1
                && cells[1].starts_with(|c: char| c.is_ascii_digit())
                && cells.len() != 8
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The statuses a row may have; a row that says its item is expressed must name
/// where, and the checks of every row must hold.
pub const STATUSES: [&str; 4] = ["expressed", "differs:", "not expressed:", "elsewhere:"];

/// Why a check fails on an output, or `None` when it holds.
pub fn failure(out: &Synthesized, check: &str) -> Option<String> {
    let (place, field) = match check.split_once(' ') {
        Some((place, field)) => (place, Some(field)),
        None => (check, None),
    };
    let object = match find(out, place) {
        Ok(object) => object,
        Err(why) => return Some(why),
    };
    let field = field?;
    let Some((path, op, expected)) = split_field(field) else {
        return Some(format!("`{field}` is not FIELD=VALUE or FIELD~TEXT"));
    };
    let keys = match keys(path) {
        Ok(keys) => keys,
        Err(why) => return Some(why),
    };
    let mut found = Vec::new();
    reach(&object, &keys, &mut found);
    let shown: Vec<String> = found.iter().map(|v| scalar(v)).collect();
    let matches = |s: &String| match op {
        '=' => s == expected,
        _ => s.contains(expected),
    };
    if shown.iter().any(matches) {
        return None;
    }
    Some(if shown.is_empty() {
        format!("{place} has no {path}")
    } else {
        format!(
            "{place} {path} is {} (want {op}{expected})",
            summary(&shown)
        )
    })
}

/// The JSON of the place's block or object, or why it is not there.
fn find(out: &Synthesized, place: &str) -> Result<Value, String> {
    if let Some(path) = place.strip_prefix("k8s/").filter(|p| !p.contains('#')) {
        let path = format!("k8s/{path}");
        let text = out
            .file(&path)
            .ok_or_else(|| format!("{path} is not in the output"))?;
        return serde_norway::from_str(text).map_err(|e| format!("{path} is not YAML: {e}"));
    }
    if let Some((path, object)) = place.split_once('#') {
        let (kind, name) = object
            .split_once('/')
            .ok_or_else(|| format!("{place}: the object is not Kind/name"))?;
        let text = out
            .file(path)
            .ok_or_else(|| format!("{path} is not in the output"))?;
        for doc in serde_norway::Deserializer::from_str(text) {
            let value: Value = serde::Deserialize::deserialize(doc)
                .map_err(|e| format!("{path} is not YAML: {e}"))?;
            if value["kind"] == kind && value["metadata"]["name"] == name {
                return Ok(value);
            }
        }
        return Err(format!("{place} is not in the output"));
    }
    let (stack, address) = place
        .split_once('/')
        .ok_or_else(|| format!("{place} is neither STACK/ADDRESS nor k8s/PATH#Kind/name"))?;
    let file = format!("{stack}/main.tf.json");
    let text = out
        .file(&file)
        .ok_or_else(|| format!("{file} is not in the output"))?;
    let json: Value = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let parts: Vec<&str> = address.split('.').collect();
    let block = match parts.as_slice() {
        ["data", ty, name] => &json["data"][ty][name],
        ["output", name] => &json["output"][name],
        ["variable", name] => &json["variable"][name],
        [ty, name] => &json["resource"][ty][name],
        _ => return Err(format!("{place}: the address is not TYPE.NAME")),
    };
    if block.is_null() {
        return Err(format!("{place} is not in the output"));
    }
    Ok(block.clone())
}

/// `FIELD=VALUE` or `FIELD~TEXT`: the operator is the first `=` or `~` outside `[...]`.
fn split_field(field: &str) -> Option<(&str, char, &str)> {
    let mut depth = 0;
    for (i, c) in field.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '=' | '~' if depth == 0 => return Some((&field[..i], c, &field[i + 1..])),
            _ => {}
        }
    }
    None
}

/// The keys of a dotted path, `[...]` being one key that may hold dots.
fn keys(path: &str) -> Result<Vec<String>, String> {
    let mut keys = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(quoted) = rest.strip_prefix('[') {
            let end = quoted
                .find(']')
                .ok_or_else(|| format!("`{path}`: `[` without `]`"))?;
            keys.push(quoted[..end].to_string());
            rest = &quoted[end + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            keys.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    if keys.iter().any(String::is_empty) {
        return Err(format!("`{path}` has an empty key"));
    }
    Ok(keys)
}

/// Every value the keys reach from `value`, a non-numeric key looking into each
/// element of a list.
fn reach<'v>(value: &'v Value, keys: &[String], found: &mut Vec<&'v Value>) {
    let Some((key, rest)) = keys.split_first() else {
        match value {
            Value::Array(items) if items.iter().all(|i| !i.is_object()) => found.extend(items),
            _ => found.push(value),
        }
        return;
    };
    match value {
        Value::Array(items) => match key.parse::<usize>() {
            Ok(n) => {
                if let Some(item) = items.get(n) {
                    reach(item, rest, found);
                }
            }
            Err(_) => items.iter().for_each(|item| reach(item, keys, found)),
        },
        Value::Object(map) => {
            if let Some(next) = map.get(key) {
                reach(next, rest, found);
            }
        }
        _ => {}
    }
}

/// A value as the map writes it: strings without quotes, numbers and booleans as
/// written, anything else as compact JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The values a failed check found, shortened: the first three, each on one line and
/// at most 100 characters, and how many more.
fn summary(values: &[String]) -> String {
    let mut shown: Vec<String> = values
        .iter()
        .take(3)
        .map(|v| {
            let line = v.split_whitespace().collect::<Vec<_>>().join(" ");
            match line.char_indices().nth(100) {
                Some((cut, _)) => format!("{}…", &line[..cut]),
                None => line,
            }
        })
        .collect();
    if values.len() > 3 {
        shown.push(format!("and {} more", values.len() - 3));
    }
    shown.join(", ")
}
