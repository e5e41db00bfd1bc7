//! Terraform value types (cty) in their JSON form: `"string"`, `["list","string"]`,
//! `["object",{...},["optional"]]`, `["tuple",[...]]`, read without an untyped pass.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

/// A Terraform type (cty) as given in a provider schema.
#[derive(Debug, Clone, PartialEq)]
pub enum CtyType {
    /// `string`
    String,
    /// `number`
    Number,
    /// `bool`
    Bool,
    /// `dynamic` (any)
    Dynamic,
    /// `list(T)`
    List(Box<CtyType>),
    /// `set(T)`
    Set(Box<CtyType>),
    /// `map(T)`
    Map(Box<CtyType>),
    /// `object({...})`: attribute types, and the names of the optional ones when the
    /// type lists them (`None` when the JSON has no third element: every attribute is
    /// then required).
    Object(BTreeMap<String, CtyType>, Option<Vec<String>>),
    /// `tuple([...])`: one type per element.
    Tuple(Vec<CtyType>),
}

impl CtyType {
    /// Short name for messages (`list(string)`, `object`).
    pub fn describe(&self) -> String {
        match self {
            CtyType::String => "string".into(),
            CtyType::Number => "number".into(),
            CtyType::Bool => "bool".into(),
            CtyType::Dynamic => "any".into(),
            CtyType::List(t) => format!("list({})", t.describe()),
            CtyType::Set(t) => format!("set({})", t.describe()),
            CtyType::Map(t) => format!("map({})", t.describe()),
            CtyType::Object(..) => "object".into(),
            CtyType::Tuple(_) => "tuple".into(),
        }
    }

    /// Whether an object type lets `name` be left out.
    pub fn is_optional_attribute(optional: &Option<Vec<String>>, name: &str) -> bool {
        optional
            .as_ref()
            .is_some_and(|o| o.iter().any(|n| n == name))
    }
}

impl<'de> Deserialize<'de> for CtyType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CtyVisitor)
    }
}

struct CtyVisitor;

impl<'de> Visitor<'de> for CtyVisitor {
    type Value = CtyType;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cty type (a type name or a [kind, ...] array)")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<CtyType, E> {
        match s {
            "string" => Ok(CtyType::String),
            "number" => Ok(CtyType::Number),
            "bool" => Ok(CtyType::Bool),
            "dynamic" => Ok(CtyType::Dynamic),
            other => Err(E::custom(format!("unknown type `{other}`"))),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CtyType, A::Error> {
        let kind: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("empty type array"))?;
        let missing = || de::Error::custom(format!("type `{kind}` without its element type"));
        match kind.as_str() {
            "list" | "set" | "map" => {
                let inner = Box::new(seq.next_element::<CtyType>()?.ok_or_else(missing)?);
                Ok(match kind.as_str() {
                    "list" => CtyType::List(inner),
                    "set" => CtyType::Set(inner),
                    _ => CtyType::Map(inner),
                })
            }
            "object" => {
                let attrs = seq.next_element()?.ok_or_else(missing)?;
                let optional = seq.next_element::<Vec<String>>()?;
                Ok(CtyType::Object(attrs, optional))
            }
            "tuple" => Ok(CtyType::Tuple(seq.next_element()?.ok_or_else(missing)?)),
            other => Err(de::Error::custom(format!("unknown type `{other}`"))),
        }
    }
}
