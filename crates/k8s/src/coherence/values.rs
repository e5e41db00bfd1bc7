//! Helm values and add-on configurations as terrane holds them (a `yamlencode`
//! call over a tree, a YAML or JSON string, `set` entries) turned into one JSON value
//! that rules can read by path.

use serde_json::{Map, Value};
use terrane_core::{Node, Tree};

/// Reads a body argument (a tree) as JSON. A Terraform expression that is not a
/// literal (a reference, a call other than `yamlencode`/`jsonencode`) is unknown
/// before apply and reads as `null`: rules then fall back to the chart's default.
pub(crate) fn from_tree(t: &Tree) -> Value {
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::Num(n) => number(n.as_f64()),
        Tree::Str(s) => Value::String(s.clone()),
        Tree::Expr(n) => from_node(n),
        Tree::List(v) => Value::Array(v.iter().map(from_tree).collect()),
        Tree::Object(v) => Value::Object(
            v.iter()
                .map(|(k, t)| (k.to_string(), from_tree(t)))
                .collect(),
        ),
    }
}

fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        // Whole numbers stay integers, as YAML would read them.
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

fn from_node(n: &Node) -> Value {
    match n {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Num(x) => number(x.as_f64()),
        Node::Str(s) => Value::String(s.clone()),
        Node::List(v) => Value::Array(v.iter().map(|n| from_node(n)).collect()),
        Node::Object(v) => {
            Value::Object(v.iter().map(|(k, n)| (k.clone(), from_node(n))).collect())
        }
        Node::Call(f, args) if matches!(&**f, "yamlencode" | "jsonencode") && args.len() == 1 => {
            from_node(&args[0])
        }
        _ => Value::Null,
    }
}

/// A document given as text (a literal `values` entry, an add-on's
/// `configuration_values`): YAML, which JSON is a subset of. Unreadable text is
/// `null`; terraform reports it at plan.
pub(crate) fn from_text(text: &str) -> Value {
    serde_norway::from_str::<Value>(text).unwrap_or(Value::Null)
}

/// A body argument that holds a document: the encoded tree, or its text.
pub(crate) fn document(t: &Tree) -> Value {
    match from_tree(t) {
        Value::String(s) => from_text(&s),
        v => v,
    }
}

/// Merges `over` into `base` as Helm merges values files: maps key by key, any
/// other value replaced.
pub(crate) fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, Value::Null) if !slot.is_null() => {}
        (slot, v) => *slot = v,
    }
}

/// Sets `path` (Helm `--set` syntax: dots separate keys, `\.` is a dot inside one)
/// to `value`, creating maps on the way.
pub(crate) fn set_path(root: &mut Value, path: &str, value: Value) {
    let keys = split_set_path(path);
    let mut at = root;
    for (i, k) in keys.iter().enumerate() {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(m) = at else { return };
        if i + 1 == keys.len() {
            m.insert(k.clone(), value);
            return;
        }
        at = m.entry(k.clone()).or_insert(Value::Null);
    }
}

fn split_set_path(path: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut key = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                key.push('.');
            }
            '.' => keys.push(std::mem::take(&mut key)),
            c => key.push(c),
        }
    }
    keys.push(key);
    keys
}

/// The value at `path` (keys separated by dots), if every key exists.
pub(crate) fn get<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, k| v.get(k))
}

/// The boolean at `path`, or `default` when unset (a string `"true"`/`"false"`, as
/// add-on configurations write them, counts).
pub(crate) fn flag(root: &Value, path: &str, default: bool) -> bool {
    match get(root, path) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" => false,
        _ => default,
    }
}

/// The string at `path`.
pub(crate) fn text<'a>(root: &'a Value, path: &str) -> Option<&'a str> {
    get(root, path).and_then(Value::as_str)
}

/// True when the value is absent, `null`, or an empty map or list (what Helm
/// templates test with `if`).
pub(crate) fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// Every string under a key named one of `keys`, anywhere in the document, with
/// its dotted path (`prometheus.prometheusSpec...storageClassName`).
pub(crate) fn find_strings(root: &Value, keys: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(root, String::new(), keys, &mut out);
    out
}

fn walk(v: &Value, path: String, keys: &[&str], out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                match child {
                    Value::String(s) if keys.contains(&k.as_str()) => {
                        out.push((join(k), s.clone()))
                    }
                    _ => walk(child, join(k), keys, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk(child, join(&i.to_string()), keys, out);
            }
        }
        _ => {}
    }
}
