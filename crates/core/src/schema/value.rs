//! The check of an attribute value against its cty type, the way Terraform converts
//! JSON values (numbers and bools to strings, objects needing every attribute).

use std::collections::BTreeMap;

use terrane_schema::CtyType;

use super::check::{problem, SchemaProblem};
use super::path::Path;
use super::suggest::closest;
use crate::tree::{Key, Tree};

fn tree_kind(t: &Tree) -> &'static str {
    match t {
        Tree::Null => "null",
        Tree::Bool(_) => "bool",
        Tree::Num(_) => "number",
        Tree::Str(_) => "string",
        Tree::Expr(_) => "expression",
        Tree::List(_) => "list",
        Tree::Object(_) => "object",
    }
}

pub(super) fn check_value(ty: &CtyType, v: &Tree, p: &Path<'_>, out: &mut Vec<SchemaProblem>) {
    if matches!(v, Tree::Expr(_) | Tree::Null) {
        return;
    }
    let wrong = |out: &mut Vec<SchemaProblem>| {
        problem(
            out,
            p,
            format!("expected {}, got {}", ty.describe(), tree_kind(v)),
        )
    };
    match ty {
        CtyType::Dynamic => {}
        CtyType::String => {
            // Terraform converts numbers and bools to strings.
            if !matches!(v, Tree::Str(_) | Tree::Num(_) | Tree::Bool(_)) {
                wrong(out)
            }
        }
        CtyType::Number => match v {
            Tree::Num(_) => {}
            Tree::Str(s) if s.trim().parse::<f64>().is_ok() => {}
            _ => wrong(out),
        },
        CtyType::Bool => match v {
            Tree::Bool(_) => {}
            Tree::Str(s) if s == "true" || s == "false" => {}
            _ => wrong(out),
        },
        CtyType::List(inner) | CtyType::Set(inner) => match v {
            Tree::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    check_value(inner, it, &p.index(i), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Tuple(types) => match v {
            Tree::List(items) => {
                for (i, (t, it)) in types.iter().zip(items).enumerate() {
                    check_value(t, it, &p.index(i), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Map(inner) => match v {
            Tree::Object(items) => {
                for (k, it) in items {
                    check_value(inner, it, &p.map_key(k), out);
                }
            }
            _ => wrong(out),
        },
        CtyType::Object(attrs, optional) => match v {
            Tree::Object(items) => check_object(attrs, optional, items, p, out),
            _ => wrong(out),
        },
    }
}

fn check_object(
    attrs: &BTreeMap<String, CtyType>,
    optional: &Option<Vec<String>>,
    items: &[(Key, Tree)],
    p: &Path<'_>,
    out: &mut Vec<SchemaProblem>,
) {
    // Terraform converts an object value only when every attribute of the
    // type is present (null is fine), unless the type marks it optional.
    for name in attrs.keys() {
        if !CtyType::is_optional_attribute(optional, name) && !items.iter().any(|(k, _)| k == name)
        {
            problem(
                out,
                &p.key(name),
                format!("missing attribute `{name}` of the object (give null to leave it unset)"),
            );
        }
    }
    for (k, it) in items {
        match attrs.get(&**k) {
            Some(t) => check_value(t, it, &p.key(k), out),
            None => {
                let msg = match closest(k, attrs.keys()) {
                    Some(s) => format!("unknown attribute `{k}` (did you mean `{s}`?)"),
                    None => format!("unknown attribute `{k}`"),
                };
                problem(out, &p.key(k), msg)
            }
        }
    }
}
