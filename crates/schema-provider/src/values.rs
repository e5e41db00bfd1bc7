//! Values on the wire (msgpack `DynamicValue`s) walked against a block schema: the
//! planned state of a resource, the placeholder state of a data source, the empty
//! state of an import.

use std::collections::BTreeMap;

use rmpv::Value;

use crate::cty::CtyType;
use crate::schema_file::{Attribute, Block, Nesting};

/// cty's msgpack encoding of an unknown value: extension type 0.
fn unknown() -> Value {
    Value::Ext(0, vec![0])
}

/// What to put where the configuration left a computed attribute null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Unknown ("known after apply"): a planned resource.
    Unknown,
    /// A placeholder of the attribute's type: a data source, which may not be unknown.
    Placeholder,
}

/// Fills every computed attribute that `value` (an object of `block`) leaves null.
///
/// Set-nested blocks and attributes are left as they are: terraform matches planned
/// set elements to configured ones by value, and an element with a filled-in
/// attribute would match none.
pub fn fill_computed(block: &Block, value: &mut Value, fill: Fill) {
    let Value::Map(entries) = value else {
        return;
    };
    for (key, v) in entries.iter_mut() {
        let Some(name) = key.as_str() else { continue };
        if let Some(attr) = block.attributes.get(name) {
            fill_attribute(attr, v, fill);
        } else if let Some(bt) = block.block_types.get(name) {
            each_nested(bt.nesting_mode, v, |item| {
                fill_computed(&bt.block, item, fill)
            });
        }
    }
}

fn fill_attribute(attr: &Attribute, v: &mut Value, fill: Fill) {
    if v.is_nil() {
        if attr.computed {
            *v = match fill {
                Fill::Unknown => unknown(),
                Fill::Placeholder => attribute_placeholder(attr),
            };
        }
        return;
    }
    if let Some(nested) = &attr.nested_type {
        let inner = Block {
            attributes: nested.attributes.clone(),
            ..Block::default()
        };
        each_nested(nested.nesting_mode, v, |item| {
            fill_computed(&inner, item, fill)
        });
    }
}

/// Calls `f` on each object of a nested block or attribute value.
fn each_nested(nesting: Nesting, v: &mut Value, mut f: impl FnMut(&mut Value)) {
    match (nesting, v) {
        (Nesting::Single | Nesting::Group, v @ Value::Map(_)) => f(v),
        (Nesting::List, Value::Array(items)) => items.iter_mut().for_each(f),
        (Nesting::Map, Value::Map(entries)) => entries.iter_mut().for_each(|(_, v)| f(v)),
        _ => {}
    }
}

fn attribute_placeholder(attr: &Attribute) -> Value {
    match (&attr.nested_type, &attr.ty) {
        (Some(n), _) => match n.nesting_mode {
            Nesting::Single | Nesting::Group => Value::Map(
                n.attributes
                    .iter()
                    .map(|(k, a)| (Value::from(k.as_str()), attribute_placeholder(a)))
                    .collect(),
            ),
            Nesting::List | Nesting::Set => Value::Array(vec![]),
            Nesting::Map => Value::Map(vec![]),
        },
        (None, Some(t)) => placeholder(t),
        (None, None) => Value::Nil,
    }
}

/// A known value of type `t`: what a data source answers offline.
pub fn placeholder(t: &CtyType) -> Value {
    match t {
        CtyType::String => Value::from("terrane-placeholder"),
        CtyType::Number => Value::from(0),
        CtyType::Bool => Value::from(false),
        // A dynamic value travels with its type: [type as JSON, value].
        CtyType::Dynamic => Value::Array(vec![
            Value::Binary(br#""string""#.to_vec()),
            Value::from("terrane-placeholder"),
        ]),
        CtyType::List(_) | CtyType::Set(_) => Value::Array(vec![]),
        CtyType::Map(_) => Value::Map(vec![]),
        CtyType::Object(fields) => object(fields.iter().map(|(k, t)| (k, placeholder(t)))),
        CtyType::Tuple(items) => Value::Array(items.iter().map(placeholder).collect()),
    }
}

fn object<'a>(fields: impl Iterator<Item = (&'a String, Value)>) -> Value {
    Value::Map(fields.map(|(k, v)| (Value::from(k.as_str()), v)).collect())
}

/// The state an import starts from: `id` set, every other attribute null, every
/// nested block empty. ReadResource then returns it as it is.
pub fn imported(block: &Block, id: &str) -> Value {
    let mut v = empty_object(block);
    if let Value::Map(entries) = &mut v {
        for (k, val) in entries.iter_mut() {
            if k.as_str() == Some("id") {
                *val = Value::from(id);
            }
        }
    }
    v
}

/// An object of `block` with every attribute null and every nested block empty.
fn empty_object(block: &Block) -> Value {
    let mut fields: BTreeMap<&String, Value> =
        block.attributes.keys().map(|k| (k, Value::Nil)).collect();
    for (name, bt) in &block.block_types {
        let empty = match bt.nesting_mode {
            Nesting::Single => Value::Nil,
            Nesting::Group => empty_object(&bt.block),
            Nesting::List | Nesting::Set => Value::Array(vec![]),
            Nesting::Map => Value::Map(vec![]),
        };
        fields.insert(name, empty);
    }
    object(fields.into_iter())
}

#[cfg(test)]
mod tests;
