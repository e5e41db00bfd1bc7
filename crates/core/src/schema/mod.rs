//! Provider schemas for the offline check: the registry of known providers
//! ([`SchemaSet`]) and the check of every emitted block against them ([`check_body`]).
//!
//! The model itself (blocks, attributes, cty types) is `terrane-schema`, shared with
//! the generator and re-exported here. The check runs at synth for every resource,
//! data source and provider block whose type is in a registered schema, including
//! raw overrides: unknown argument, missing required argument, wrong type, block given
//! as an attribute or the reverse, read-only attribute set, too many blocks where one
//! is allowed.

mod check;
mod index;
mod path;
mod set;
pub(crate) mod suggest;
mod value;

pub(crate) use check::BodyCheck;
pub use check::{check_body, SchemaProblem};
pub use set::SchemaSet;
pub use terrane_schema::embedded;
pub use terrane_schema::{
    AttrType, Attribute, Block, BlockType, CtyType, LazySchema, NestedType, Nesting, ParseError,
    ProviderSchema, TypeSchema,
};

#[cfg(test)]
mod tests;
