//! A provider schema embedded in the binary and parsed once, at first use: start-up
//! does not grow with schema size, and a program pays only for providers it checks.

use std::sync::OnceLock;

use crate::error::ParseError;
use crate::provider::ProviderSchema;

/// An embedded schema file, parsed at the first [`LazySchema::get`] (once per process).
///
/// ```
/// use terrane_schema::LazySchema;
/// static THING: LazySchema = LazySchema::new("thing", r#"{"provider_schemas":{"x/thing":{}}}"#);
/// assert!(!THING.is_loaded());
/// assert_eq!(THING.get().map(|s| s.name.as_str()), Ok("thing"));
/// assert!(THING.is_loaded());
/// ```
#[derive(Debug)]
pub struct LazySchema {
    name: &'static str,
    text: &'static str,
    parsed: OnceLock<Result<ProviderSchema, ParseError>>,
}

impl LazySchema {
    /// A schema named `name` (the provider's local name, which prefixes its type
    /// names) whose JSON is `text`; nothing is parsed yet.
    pub const fn new(name: &'static str, text: &'static str) -> Self {
        LazySchema {
            name,
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The provider's local name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The schema, parsed now if this is the first call.
    pub fn get(&self) -> Result<&ProviderSchema, &ParseError> {
        self.parsed
            .get_or_init(|| ProviderSchema::from_json(self.text))
            .as_ref()
    }

    /// Whether the schema has been parsed (for tests and measurements).
    pub fn is_loaded(&self) -> bool {
        self.parsed.get().is_some()
    }
}
