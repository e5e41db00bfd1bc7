//! `terraform_data` (Terraform 1.4): the built-in resource that stores a value and
//! replaces itself when its triggers change; no provider to require or configure.

use crate::expr::{Dynamic, Expr, Value};
use crate::resource::{Handle, RefBase, RequiredProvider, Resource};
use crate::tree::{ToTree, Tree};

/// A `terraform_data` resource: the replacement of `null_resource` that needs no
/// provider, typically the target of [`crate::Lifecycle::replace_triggered_by`].
///
/// ```
/// use terrane_core::{Stack, TerraformData};
/// let mut s = Stack::new("app");
/// let release = s.add("release", TerraformData::new().input("v1.4.2").triggers_replace("v1.4.2"));
/// assert_eq!(release.output::<String>().to_hcl(), "terraform_data.release.output");
/// ```
#[derive(Debug, Clone, Default)]
pub struct TerraformData {
    input: Option<Tree>,
    triggers_replace: Option<Tree>,
}

impl TerraformData {
    /// A `terraform_data` with no input and no triggers.
    pub fn new() -> Self {
        Self::default()
    }
    /// `input = ...`: stored in state and given back as `output`.
    pub fn input<T: ToTree>(mut self, v: impl Into<Value<T>>) -> Self {
        self.input = Some(v.into().to_tree());
        self
    }
    /// `triggers_replace = ...`: a change of this value replaces the resource.
    pub fn triggers_replace<T: ToTree>(mut self, v: impl Into<Value<T>>) -> Self {
        self.triggers_replace = Some(v.into().to_tree());
        self
    }
}

impl Resource for TerraformData {
    type Ref = TerraformDataRef;
    fn resource_type(&self) -> &str {
        "terraform_data"
    }
    /// Built into Terraform (`terraform.io/builtin/terraform`): never required.
    fn provider(&self) -> Option<RequiredProvider> {
        None
    }
    fn to_body(&self) -> Tree {
        let mut t = Tree::empty();
        if let Some(i) = &self.input {
            t.push("input", i.clone());
        }
        if let Some(r) = &self.triggers_replace {
            t.push("triggers_replace", r.clone());
        }
        t
    }
}

/// Handle to a declared [`TerraformData`].
#[derive(Debug, Clone, PartialEq)]
pub struct TerraformDataRef {
    base: RefBase,
}

impl Handle for TerraformDataRef {
    fn from_base(base: RefBase) -> Self {
        TerraformDataRef { base }
    }
    fn base(&self) -> &RefBase {
        &self.base
    }
}

impl TerraformDataRef {
    /// `output`: the stored `input`, with the type the caller put in.
    pub fn output<T>(&self) -> Expr<T> {
        self.base.attr("output")
    }
    /// `output` when the input's shape is not a Rust type.
    pub fn output_dynamic(&self) -> Expr<Dynamic> {
        self.base.attr("output")
    }
    /// `id`: a random UUID, new on each replacement.
    pub fn id(&self) -> Expr<String> {
        self.base.attr("id")
    }
}
