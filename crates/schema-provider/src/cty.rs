//! Terraform value types as the schema JSON writes them (`"string"`,
//! `["list", "string"]`, `["object", {...}]`), parsed once at load.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A cty type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub enum CtyType {
    /// `string`
    String,
    /// `number`
    Number,
    /// `bool`
    Bool,
    /// `dynamic`: any type, decided by the value.
    Dynamic,
    /// `["list", T]`
    List(Box<CtyType>),
    /// `["set", T]`
    Set(Box<CtyType>),
    /// `["map", T]`
    Map(Box<CtyType>),
    /// `["object", {name: T}]`
    Object(BTreeMap<String, CtyType>),
    /// `["tuple", [T...]]`
    Tuple(Vec<CtyType>),
}

impl TryFrom<serde_json::Value> for CtyType {
    type Error = String;

    fn try_from(v: serde_json::Value) -> Result<Self, String> {
        use serde_json::Value as J;
        match &v {
            J::String(s) => match s.as_str() {
                "string" => Ok(Self::String),
                "number" => Ok(Self::Number),
                "bool" => Ok(Self::Bool),
                "dynamic" => Ok(Self::Dynamic),
                other => Err(format!("unknown primitive type `{other}`")),
            },
            J::Array(parts) => {
                let kind = parts.first().and_then(J::as_str).unwrap_or_default();
                let arg = parts.get(1).cloned().unwrap_or(J::Null);
                let element = || CtyType::try_from(arg.clone()).map(Box::new);
                match kind {
                    "list" => Ok(Self::List(element()?)),
                    "set" => Ok(Self::Set(element()?)),
                    "map" => Ok(Self::Map(element()?)),
                    "object" => match arg {
                        J::Object(fields) => fields
                            .into_iter()
                            .map(|(k, t)| Ok((k, CtyType::try_from(t)?)))
                            .collect::<Result<_, String>>()
                            .map(Self::Object),
                        _ => Err(format!("object type without attributes: {v}")),
                    },
                    "tuple" => match arg {
                        J::Array(items) => items
                            .into_iter()
                            .map(CtyType::try_from)
                            .collect::<Result<_, String>>()
                            .map(Self::Tuple),
                        _ => Err(format!("tuple type without elements: {v}")),
                    },
                    _ => Err(format!("unknown type {v}")),
                }
            }
            _ => Err(format!("not a type: {v}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_types() {
        let t: CtyType = serde_json::from_str(
            r#"["list", ["object", {"a": "string", "b": ["map", "number"]}]]"#,
        )
        .unwrap();
        let fields = BTreeMap::from([
            ("a".to_string(), CtyType::String),
            ("b".to_string(), CtyType::Map(Box::new(CtyType::Number))),
        ]);
        assert_eq!(t, CtyType::List(Box::new(CtyType::Object(fields))));
    }

    #[test]
    fn rejects_unknown_types() {
        let e = serde_json::from_str::<CtyType>(r#"["bag", "string"]"#).unwrap_err();
        assert!(
            e.to_string().contains("unknown type [\"bag\",\"string\"]"),
            "{e}"
        );
    }
}
