//! The Rust model the templates render: structs, fields, setters, getters, required
//! parameters and test values of one generated type file.

use serde::Serialize;

/// An attribute as rendered: field, setter, getter, test value.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Terraform name.
    pub name: String,
    /// Field and setter name.
    pub ident: String,
    /// Getter name.
    pub getter: String,
    /// One line: name, type, required or not.
    pub summary: String,
    /// `T` of `Value<T>`.
    pub value_ty: String,
    /// What the getter returns.
    pub getter_ty: String,
    pub settable: bool,
    pub required: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    pub readable: bool,
    pub docs: Vec<String>,
    pub getter_docs: Vec<String>,
    /// A literal of the value type, for tests (`"x"`, `1`, `vec!["x"]`).
    pub sample: String,
}

/// A nested block as rendered.
#[derive(Debug, Clone, Serialize)]
pub struct BlockField {
    pub name: String,
    pub ident: String,
    pub getter: String,
    pub struct_name: String,
    /// `one`, `list`, `set` or `map`.
    pub mode: &'static str,
    pub required: bool,
    /// The fewest blocks the provider accepts (aws_route53_resolver_endpoint's
    /// `ip_address`: 2); the minimal sample repeats the block this often.
    pub min_items: u64,
    pub getter_ty: String,
    pub deprecated: bool,
    pub docs: Vec<String>,
    pub getter_docs: Vec<String>,
}

/// A required argument, taken by the constructor or the args struct.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub ident: String,
    /// The field's stored type (`Value<String>`, `Template`).
    pub ty: String,
    /// Constructor parameter type (`impl Into<Value<String>>`, `Template`).
    pub param_ty: String,
    /// How the constructor stores it (`v.into()`, `v`, `vec![v]`).
    pub store: String,
    pub is_block: bool,
    /// One line for the constructor's documentation.
    pub summary: String,
    /// Repeated block: the field is a `Vec` and the first block is required.
    pub repeated: bool,
    pub docs: Vec<String>,
    pub sample: String,
}

/// One Rust struct (a resource, data source, provider, block or object type) or, for
/// object types nobody can set, a marker type that only names the accessor.
#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    pub name: String,
    /// `resource`, `data`, `provider`, `block`, `object`, `marker`.
    pub kind: &'static str,
    pub docs: Vec<String>,
    pub fields: Vec<Field>,
    pub blocks: Vec<BlockField>,
    pub params: Vec<Param>,
    pub args_struct: Option<String>,
    /// Whether any argument or block can be set (else the body is always empty).
    pub has_args: bool,
    /// Unset fields are written as `null` (see [`Ty::Obj`]).
    pub write_nulls: bool,
    /// Expression for a minimal value of this type (all required arguments, nothing else).
    pub minimal: String,
    /// Expression for a maximal value (every argument and block set).
    pub maximal: String,
}

/// One generated file: a resource, data source or provider type and everything nested in it.
#[derive(Debug, Clone, Serialize)]
pub struct TypeFile {
    /// `resource`, `data`, `provider`.
    pub kind: &'static str,
    pub tf_type: String,
    pub service: String,
    pub module: String,
    pub name: String,
    pub ref_name: String,
    pub link: String,
    pub provider_fn: String,
    pub root: StructDef,
    pub nested: Vec<StructDef>,
    pub deprecated: bool,
}
