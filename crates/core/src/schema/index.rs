//! What a body's keys name in a block schema, looked up the cheap way for a type the
//! check meets again: a stack of tens of thousands of blocks has a few dozen types,
//! and a `BTreeMap` lookup of every key (string compares down the tree) plus a walk of
//! every attribute for the required ones was a third of the schema check.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use terrane_schema::{Attribute, Block, BlockType, CtyType};

use crate::tree::{Key, Tree};

/// What a key of a body is in its block schema.
pub(super) enum Arg<'a, 's> {
    /// An attribute, with its value type.
    Attribute(&'a Attribute, &'a CtyType),
    /// A nested block type.
    Block(&'s BlockType),
}

/// A block schema as the check reads it: straight from the schema the first
/// [`PLAIN_CHECKS`] times a block of it is checked, through a hash index after that
/// (building one for a type met a few times costs more than it saves).
pub(super) enum Lookup<'s> {
    /// The schema itself.
    Plain(&'s Block),
    /// Its index.
    Indexed(Rc<BlockIndex<'s>>),
}

/// A block schema's arguments by name, and the ones a body must set, in the
/// schema's order (the order problems are reported in).
pub(super) struct BlockIndex<'s> {
    args: FxHashMap<&'s str, IndexedArg<'s>>,
    required_attributes: Vec<&'s str>,
    required_blocks: Vec<(&'s str, u64)>,
}

enum IndexedArg<'s> {
    Attribute(&'s Attribute, Cow<'s, CtyType>),
    Block(&'s BlockType),
}

impl<'s> BlockIndex<'s> {
    fn new(schema: &'s Block) -> Self {
        let mut args = FxHashMap::default();
        args.reserve(schema.attributes.len() + schema.block_types.len());
        // Attributes last: a name in both is an attribute, as in `Lookup::Plain`.
        for (name, bt) in &schema.block_types {
            args.insert(name.as_str(), IndexedArg::Block(bt));
        }
        for (name, a) in &schema.attributes {
            args.insert(name.as_str(), IndexedArg::Attribute(a, a.value_type()));
        }
        BlockIndex {
            args,
            required_attributes: schema
                .attributes
                .iter()
                .filter(|(_, a)| a.required)
                .map(|(name, _)| name.as_str())
                .collect(),
            required_blocks: schema
                .block_types
                .iter()
                .filter(|(_, bt)| bt.min_items > 0)
                .map(|(name, bt)| (name.as_str(), bt.min_items))
                .collect(),
        }
    }
}

impl<'s> Lookup<'s> {
    /// What `key` names, if anything. A plain lookup makes the value type of a
    /// nested-type attribute into `scratch`.
    pub(super) fn arg<'a>(
        &'a self,
        key: &str,
        scratch: &'a mut Option<Cow<'s, CtyType>>,
    ) -> Option<Arg<'a, 's>> {
        match self {
            Lookup::Plain(schema) => {
                if let Some(a) = schema.attributes.get(key) {
                    let ty = scratch.insert(a.value_type());
                    Some(Arg::Attribute(a, ty))
                } else {
                    schema.block_types.get(key).map(Arg::Block)
                }
            }
            Lookup::Indexed(index) => index.args.get(key).map(|arg| match arg {
                IndexedArg::Attribute(a, ty) => Arg::Attribute(a, ty),
                IndexedArg::Block(bt) => Arg::Block(bt),
            }),
        }
    }

    /// Calls `missing` for each required attribute, then each block type with a
    /// minimum count, that `items` does not set, in the schema's order.
    pub(super) fn for_each_missing(
        &self,
        items: &[(Key, Tree)],
        mut missing: impl FnMut(&str, Option<u64>),
    ) {
        let absent = |name: &str| !items.iter().any(|(k, _)| k == name);
        match self {
            Lookup::Plain(schema) => {
                for (name, a) in &schema.attributes {
                    if a.required && absent(name) {
                        missing(name, None);
                    }
                }
                for (name, bt) in &schema.block_types {
                    if bt.min_items > 0 && absent(name) {
                        missing(name, Some(bt.min_items));
                    }
                }
            }
            Lookup::Indexed(index) => {
                for name in &index.required_attributes {
                    if absent(name) {
                        missing(name, None);
                    }
                }
                for &(name, min) in &index.required_blocks {
                    if absent(name) {
                        missing(name, Some(min));
                    }
                }
            }
        }
    }
}

/// The block schemas met so far in one run of the check, by address.
#[derive(Default)]
pub(super) struct Seen<'s> {
    blocks: FxHashMap<*const Block, State<'s>>,
}

/// How many blocks of one schema are checked straight from it before it is indexed:
/// an index costs about as much as three checks without one and saves half of each
/// check after it (measured with callgrind on the benchmark stack).
const PLAIN_CHECKS: u32 = 3;

enum State<'s> {
    /// Checked this many times, straight from the schema.
    Plain(u32),
    /// Met often: indexed.
    Indexed(Rc<BlockIndex<'s>>),
}

impl<'s> Seen<'s> {
    /// How to read `schema` for the block being checked now.
    pub(super) fn lookup(&mut self, schema: &'s Block) -> Lookup<'s> {
        match self.blocks.entry(schema as *const Block) {
            Entry::Vacant(e) => {
                e.insert(State::Plain(1));
                Lookup::Plain(schema)
            }
            Entry::Occupied(mut e) => match e.get_mut() {
                State::Indexed(index) => Lookup::Indexed(Rc::clone(index)),
                State::Plain(checks) if *checks < PLAIN_CHECKS => {
                    *checks += 1;
                    Lookup::Plain(schema)
                }
                State::Plain(_) => {
                    let index = Rc::new(BlockIndex::new(schema));
                    e.insert(State::Indexed(Rc::clone(&index)));
                    Lookup::Indexed(index)
                }
            },
        }
    }
}
