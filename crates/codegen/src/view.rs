//! The schema as the generator sees it: each attribute of the shared model
//! (`terrane-schema`) reduced to a value type the builder maps to Rust, and each
//! nested block to the repetition its setter and getter need.

use terrane_schema::{AttrType, Attribute, BlockType, CtyType, NestedType, Nesting};

/// A Terraform value type as the generator maps it to Rust.
#[derive(Debug, Clone)]
pub enum Ty {
    Str,
    Num,
    Bool,
    /// `dynamic`, and tuples (no Rust type holds one tuple shape; written as a tree).
    Dyn,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    /// An object type; `strict` when every field must be written (a cty object type
    /// without optional attributes: terraform rejects a JSON object that leaves one out,
    /// so unset fields are written as `null`).
    Obj(Vec<(String, AttrSchema)>, bool),
}

/// One attribute (of a block, or a field of an object type).
#[derive(Debug, Clone)]
pub struct AttrSchema {
    pub ty: Ty,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub write_only: bool,
    pub description: String,
}

/// How a nested block repeats, reduced to what the builder needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `single`, or list/set with `max_items = 1`: one optional block, written as an object.
    One,
    /// A list block: getter indexes with `[i]`.
    List,
    /// A set block: readable only through `tolist`.
    Set,
    /// Blocks keyed by label.
    Map,
}

/// The generator's view of a block attribute.
pub fn attr_view(a: &Attribute) -> AttrSchema {
    AttrSchema {
        ty: match &a.ty {
            AttrType::Cty(t) => cty(t),
            AttrType::Nested(n) => nested(n),
        },
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        deprecated: a.deprecated,
        write_only: a.write_only,
        description: a.description.clone(),
    }
}

fn cty(t: &CtyType) -> Ty {
    match t {
        CtyType::String => Ty::Str,
        CtyType::Number => Ty::Num,
        CtyType::Bool => Ty::Bool,
        CtyType::Dynamic | CtyType::Tuple(_) => Ty::Dyn,
        CtyType::List(i) => Ty::List(Box::new(cty(i))),
        CtyType::Set(i) => Ty::Set(Box::new(cty(i))),
        CtyType::Map(i) => Ty::Map(Box::new(cty(i))),
        CtyType::Object(attrs, optional) => {
            let fields = attrs
                .iter()
                .map(|(name, t)| {
                    // without an optional list every field is written (strict), not required
                    let required =
                        optional.is_some() && !CtyType::is_optional_attribute(optional, name);
                    let field = AttrSchema {
                        ty: cty(t),
                        required,
                        optional: !required,
                        computed: false,
                        sensitive: false,
                        deprecated: false,
                        write_only: false,
                        description: String::new(),
                    };
                    (name.clone(), field)
                })
                .collect();
            Ty::Obj(fields, optional.is_none())
        }
    }
}

fn nested(n: &NestedType) -> Ty {
    let fields = n
        .attributes
        .iter()
        .map(|(name, a)| (name.clone(), attr_view(a)))
        .collect();
    let obj = Ty::Obj(fields, false);
    match n.nesting {
        Nesting::List => Ty::List(Box::new(obj)),
        Nesting::Set => Ty::Set(Box::new(obj)),
        Nesting::Map => Ty::Map(Box::new(obj)),
        Nesting::Single | Nesting::Group => obj,
    }
}

/// The repetition of a nested block.
pub fn block_mode(bt: &BlockType) -> Mode {
    match bt.nesting {
        Nesting::Single | Nesting::Group => Mode::One,
        Nesting::List | Nesting::Set if bt.max_items == 1 => Mode::One,
        Nesting::List => Mode::List,
        Nesting::Set => Mode::Set,
        Nesting::Map => Mode::Map,
    }
}

/// `single` (or `group`) nesting: read as an object, not as a one-element list.
pub fn is_single(bt: &BlockType) -> bool {
    matches!(bt.nesting, Nesting::Single | Nesting::Group)
}
