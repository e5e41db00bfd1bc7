//! The provider-schema model: `terraform providers schema -json` deserialized straight
//! into typed structs, shared by core's offline schema check and the code generator.
//!
//! [`ProviderSchema::from_json`] reads one schema file; [`LazySchema`] holds an embedded
//! file and parses it once, at first use, so that programs which never check a block
//! of that provider never pay for it.

mod block;
mod cty;
pub mod embedded;
mod error;
mod function;
mod lazy;
mod provider;
mod raw;
mod sorted_map;

pub use block::{AttrType, Attribute, Block, BlockType, DescriptionKind, NestedType, Nesting};
pub use cty::CtyType;
pub use error::ParseError;
pub use function::{Function, FunctionParameter};
pub use lazy::{LazySchema, Prepared};
pub use provider::{ProviderSchema, TypeSchema};

#[cfg(test)]
mod tests;
