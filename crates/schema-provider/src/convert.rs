//! The schema file's blocks as tf-provider's schema model, which GetProviderSchema
//! sends to terraform.
//!
//! tf-provider's model fixes each nesting mode's item limits, so two mappings keep
//! terraform's checks right: a `single` block becomes a `group` block (tf-provider
//! sends `single` with min_items 1, which terraform reads as "required"; `group`
//! has the same object type and may be omitted), and a `list` block of at most one
//! item keeps its limit as tf-provider's `Optional` nesting. Nested attributes
//! (`nested_type`) are served as `dynamic`: tf-provider 0.2.2 sends them with both a
//! type and a nested type, which terraform rejects as an invalid schema, and a plain
//! object type would make every nested attribute required. Terraform still checks
//! everything else; the inside of those attributes is left to terrane's own check.

use std::collections::HashMap;

use tf_provider::schema::{
    self as tf, AttributeConstraint, AttributeType, Description, NestedBlock,
};

use crate::cty::CtyType;
use crate::schema_file::{Attribute, Block, Nesting, Schema};

/// A versioned schema in tf-provider's model.
pub fn schema(s: &Schema) -> tf::Schema {
    tf::Schema {
        version: s.version,
        block: block(s.block.clone(), s.version),
    }
}

fn block(b: Block, version: i64) -> tf::Block {
    tf::Block {
        version,
        attributes: attributes(&b.attributes),
        blocks: b
            .block_types
            .into_iter()
            .map(|(name, bt)| {
                let inner = block(bt.block, version);
                let nested = match bt.nesting_mode {
                    Nesting::Single | Nesting::Group => NestedBlock::Group(inner),
                    Nesting::List if bt.max_items == 1 => NestedBlock::Optional(inner),
                    Nesting::List => NestedBlock::List(inner),
                    Nesting::Set => NestedBlock::Set(inner),
                    Nesting::Map => NestedBlock::Map(inner),
                };
                (name, nested)
            })
            .collect(),
        description: Description::plain(b.description),
        deprecated: b.deprecated,
    }
}

fn attributes(
    attrs: &std::collections::BTreeMap<String, Attribute>,
) -> HashMap<String, tf::Attribute> {
    attrs
        .iter()
        .map(|(name, a)| (name.clone(), attribute(a)))
        .collect()
}

fn attribute(a: &Attribute) -> tf::Attribute {
    let attr_type = match (&a.nested_type, &a.ty) {
        (None, Some(t)) => value_type(t),
        _ => AttributeType::Any,
    };
    let constraint = match (a.required, a.optional, a.computed) {
        (true, _, _) => AttributeConstraint::Required,
        (false, true, true) => AttributeConstraint::OptionalComputed,
        (false, true, false) => AttributeConstraint::Optional,
        (false, false, _) => AttributeConstraint::Computed,
    };
    tf::Attribute {
        attr_type,
        description: Description::plain(&a.description),
        constraint,
        sensitive: a.sensitive,
        deprecated: a.deprecated,
    }
}

fn value_type(t: &CtyType) -> AttributeType {
    match t {
        CtyType::String => AttributeType::String,
        CtyType::Number => AttributeType::Number,
        CtyType::Bool => AttributeType::Bool,
        CtyType::Dynamic => AttributeType::Any,
        CtyType::List(e) => AttributeType::List(Box::new(value_type(e))),
        CtyType::Set(e) => AttributeType::Set(Box::new(value_type(e))),
        CtyType::Map(e) => AttributeType::Map(Box::new(value_type(e))),
        CtyType::Object(fields) => AttributeType::Object(
            fields
                .iter()
                .map(|(k, t)| (k.clone(), value_type(t)))
                .collect(),
        ),
        CtyType::Tuple(items) => AttributeType::Tuple(items.iter().map(value_type).collect()),
    }
}
