//! Provider-defined functions (`functions` of a provider schema): terrane-codegen
//! writes one typed helper per function from these signatures.

use serde::Deserialize;

use crate::cty::CtyType;

/// A provider-defined function's signature.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Function {
    /// Provider description.
    #[serde(default)]
    pub description: String,
    /// One-line summary.
    #[serde(default)]
    pub summary: String,
    /// Deprecation message, when the function is deprecated.
    #[serde(default)]
    pub deprecation_message: Option<String>,
    /// The type it returns.
    pub return_type: CtyType,
    /// Positional parameters.
    #[serde(default)]
    pub parameters: Vec<FunctionParameter>,
    /// The trailing variadic parameter, if any.
    #[serde(default)]
    pub variadic_parameter: Option<FunctionParameter>,
}

/// One parameter of a provider-defined function.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FunctionParameter {
    /// Its name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: CtyType,
    /// Provider description.
    #[serde(default)]
    pub description: String,
    /// Whether null may be passed.
    #[serde(default)]
    pub is_nullable: bool,
}
