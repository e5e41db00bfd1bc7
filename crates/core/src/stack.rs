//! A [`Stack`]: one Terraform root module with one state, written to
//! `out/<target>/<stack>/main.tf.json`.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::blocks::{Backend, Module, ModuleRef, Output, TfType, Variable};
use crate::diag::Diagnostic;
use crate::expr::{Expr, Node, Reference, StackId, Subject};
use crate::meta::Meta;
use crate::provider::{ProviderConfig, ProviderRef};
use crate::resource::{BlockKind, DataSource, Handle, RefBase, RequiredProvider, Resource};
use crate::tree::{ToTree, Tree};
use crate::Value;

pub(crate) struct BlockEntry {
    pub kind: BlockKind,
    pub ty: Arc<str>,
    pub name: Arc<str>,
    pub body: Tree,
    /// Its meta-arguments, boxed and only when it has any (most blocks have none):
    /// a stack holds tens of thousands of entries, alive through every phase, and an
    /// unboxed `Meta` would be two thirds of each.
    meta: Option<Box<Meta>>,
    /// The `check` block a scoped data source belongs to; `None` for top-level blocks.
    pub check: Option<Arc<str>>,
}

/// What a block without meta-arguments refers to.
static NO_META: Meta = Meta::NONE;

impl BlockEntry {
    /// Its meta-arguments (empty when none were set).
    pub fn meta(&self) -> &Meta {
        self.meta.as_deref().unwrap_or(&NO_META)
    }

    pub fn address(&self) -> String {
        match self.kind {
            BlockKind::Resource => format!("{}.{}", self.ty, self.name),
            BlockKind::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }
}

/// A declared resource or data source as a [`crate::Rule`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct BlockView<'a> {
    /// Resource or data source.
    pub kind: BlockKind,
    /// Its type (`aws_vpc`).
    pub ty: &'a str,
    /// Its name in the stack (`main`).
    pub name: &'a str,
    /// Its arguments, after overrides when seen from a rule.
    pub body: &'a Tree,
    /// The provider configuration it uses when set with [`Meta::provider`] (`aws.backup`);
    /// `None` means the default configuration of its provider.
    pub provider: Option<&'a ProviderRef>,
}

impl BlockView<'_> {
    /// Its address (`aws_vpc.main`, `data.aws_ami.base`).
    pub fn address(&self) -> String {
        match self.kind {
            BlockKind::Resource => format!("{}.{}", self.ty, self.name),
            BlockKind::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }
}

/// A declared provider configuration as a [`crate::Rule`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct ProviderView<'a> {
    /// The provider's local name (`aws`).
    pub local_name: &'a str,
    /// Its alias (`backup`), or `None` for the default configuration.
    pub alias: Option<&'a str>,
    /// Its arguments (`region`, `allowed_account_ids`).
    pub body: &'a Tree,
}

pub(crate) struct ProviderEntry {
    pub req: RequiredProvider,
    pub alias: Option<String>,
    pub body: Tree,
}

pub(crate) struct VariableEntry {
    pub name: String,
    pub type_constraint: String,
    pub description: Option<String>,
    pub default: Option<Tree>,
    pub sensitive: bool,
    pub nullable: Option<bool>,
    pub supplied_at_apply: bool,
    /// `ephemeral = true` (Terraform 1.10).
    pub ephemeral: bool,
    pub validations: Vec<(Node, String)>,
}

pub(crate) struct OverrideEntry {
    pub kind: BlockKind,
    pub ty: Arc<str>,
    pub name: Arc<str>,
    pub path: String,
    pub value: Option<Tree>,
}

pub(crate) struct ImportEntry {
    pub to: Reference,
    pub id: Tree,
    pub provider: Option<ProviderRef>,
    /// `for_each` of an import of many instances (`to` is then `TYPE.NAME[each.key]`).
    pub for_each: Option<Tree>,
}

/// One Terraform root module: providers, variables, locals, resources, data
/// sources, module calls, outputs, `moved`, `removed`, `import` and `check` blocks.
///
/// Adding a block returns its typed handle; handles are the only way to refer to
/// a block, so a reference always names something that was declared. A handle
/// used in another stack of the same target becomes an output there and a
/// `terraform_remote_state` read here.
///
/// ```
/// use terrane_core::{GenericResource, RequiredProvider, Stack, Meta, Lifecycle};
/// let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
/// let mut stack = Stack::new("network");
/// let vpc = stack.add_with(
///     "main",
///     GenericResource::new("aws_vpc").provider(aws.clone()).arg("cidr_block", "10.0.0.0/16"),
///     Meta::new().lifecycle(Lifecycle::new().prevent_destroy()),
/// );
/// stack.add(
///     "private_a",
///     GenericResource::new("aws_subnet")
///         .provider(aws)
///         .arg("vpc_id", vpc.id())
///         .arg("cidr_block", "10.0.1.0/24"),
/// );
/// assert_eq!(stack.name(), "network");
/// ```
pub struct Stack {
    pub(crate) id: StackId,
    pub(crate) name: String,
    pub(crate) required_version: Option<String>,
    pub(crate) backend: Option<Backend>,
    pub(crate) required_providers: Vec<RequiredProvider>,
    pub(crate) providers: Vec<ProviderEntry>,
    pub(crate) variables: Vec<VariableEntry>,
    pub(crate) var_values: Vec<(String, Tree)>,
    pub(crate) locals: Vec<(String, Tree)>,
    pub(crate) blocks: Vec<BlockEntry>,
    pub(crate) modules: Vec<(String, Module)>,
    pub(crate) outputs: Vec<(String, Output)>,
    pub(crate) moved: Vec<(String, Reference)>,
    pub(crate) imports: Vec<ImportEntry>,
    pub(crate) removed: Vec<crate::removed::Removed>,
    pub(crate) checks: Vec<crate::check_block::CheckEntry>,
    pub(crate) ephemerals: Vec<crate::ephemeral::EphemeralEntry>,
    pub(crate) overrides: Vec<OverrideEntry>,
    pub(crate) reported: Vec<Diagnostic>,
    /// Destruction and replacement declared intended (see `refactor::allow`).
    pub(crate) allowances: crate::refactor::Allowances,
    /// The type names of its blocks, each allocated once: a stack of tens of thousands
    /// of blocks has a few dozen types.
    type_names: FxHashSet<Arc<str>>,
}

impl Stack {
    /// An empty stack. The name is its folder in the output and must be a valid
    /// Terraform identifier.
    pub fn new(name: &str) -> Self {
        Stack {
            id: StackId::fresh(),
            name: name.to_string(),
            required_version: None,
            backend: None,
            required_providers: Vec::new(),
            providers: Vec::new(),
            variables: Vec::new(),
            var_values: Vec::new(),
            locals: Vec::new(),
            blocks: Vec::new(),
            modules: Vec::new(),
            outputs: Vec::new(),
            moved: Vec::new(),
            imports: Vec::new(),
            removed: Vec::new(),
            checks: Vec::new(),
            ephemerals: Vec::new(),
            overrides: Vec::new(),
            reported: Vec::new(),
            allowances: Default::default(),
            type_names: FxHashSet::default(),
        }
    }

    /// The stack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stack's identity (carried by references to its blocks).
    pub fn id(&self) -> StackId {
        self.id
    }

    /// Number of resources and data sources declared.
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// `terraform { required_version = "..." }`. Not written when unset.
    pub fn required_version(&mut self, v: &str) -> &mut Self {
        self.required_version = Some(v.to_string());
        self
    }

    /// `terraform { backend "..." { ... } }`. Without one, state is local.
    pub fn backend(&mut self, b: Backend) -> &mut Self {
        self.backend = Some(b);
        self
    }

    /// The backend, if set.
    pub fn backend_config(&self) -> Option<&Backend> {
        self.backend.as_ref()
    }

    /// Adds a provider to `required_providers` (blocks add theirs automatically).
    pub fn require_provider(&mut self, p: RequiredProvider) -> &mut Self {
        match self.required_providers.iter_mut().find(|q| **q == p) {
            // a requirement made by hand, then one from a generated type: keep its schema
            Some(q) if q.schema().is_none() && p.schema().is_some() => *q = p,
            Some(_) => {}
            None => self.required_providers.push(p),
        }
        self
    }

    /// Declares a provider configuration; returns the handle for [`Meta::provider`].
    pub fn provider(&mut self, p: impl ProviderConfig) -> ProviderRef {
        let req = p.required();
        self.require_provider(req.clone());
        let alias = p.alias_name();
        self.providers.push(ProviderEntry {
            req: req.clone(),
            alias: alias.clone(),
            body: p.to_body(),
        });
        ProviderRef {
            stack: self.id,
            local_name: req.local_name.into_owned(),
            alias,
        }
    }

    /// Declares a resource; returns its typed handle.
    pub fn add<R: Resource>(&mut self, name: &str, r: R) -> R::Ref {
        self.add_with(name, r, Meta::new())
    }

    /// Declares a resource with meta-arguments.
    pub fn add_with<R: Resource>(&mut self, name: &str, r: R, meta: Meta) -> R::Ref {
        if let Some(p) = r.provider() {
            self.require_provider(p);
        }
        let ty = self.type_name(r.resource_type());
        let name: Arc<str> = name.into();
        self.blocks.push(BlockEntry {
            kind: BlockKind::Resource,
            ty: ty.clone(),
            name: name.clone(),
            body: shrunk(r.into_body()),
            meta: meta.boxed_if_set(),
            check: None,
        });
        R::Ref::from_base(RefBase {
            stack: self.id,
            kind: BlockKind::Resource,
            ty,
            name,
            index: None,
        })
    }

    /// Declares a data source; returns its typed handle.
    pub fn data<D: DataSource>(&mut self, name: &str, d: D) -> D::Ref {
        self.data_with(name, d, Meta::new())
    }

    /// Declares a data source with meta-arguments.
    pub fn data_with<D: DataSource>(&mut self, name: &str, d: D, meta: Meta) -> D::Ref {
        self.push_data(name, d, meta, None)
    }

    /// Declares a data source, top-level or scoped to the `check` block `check`.
    pub(crate) fn push_data<D: DataSource>(
        &mut self,
        name: &str,
        d: D,
        meta: Meta,
        check: Option<Arc<str>>,
    ) -> D::Ref {
        if let Some(p) = d.provider() {
            self.require_provider(p);
        }
        let ty = self.type_name(d.data_type());
        let name: Arc<str> = name.into();
        self.blocks.push(BlockEntry {
            kind: BlockKind::Data,
            ty: ty.clone(),
            name: name.clone(),
            body: shrunk(d.into_body()),
            meta: meta.boxed_if_set(),
            check,
        });
        D::Ref::from_base(RefBase {
            stack: self.id,
            kind: BlockKind::Data,
            ty,
            name,
            index: None,
        })
    }

    /// The shared name of block type `ty`.
    fn type_name(&mut self, ty: &str) -> Arc<str> {
        if let Some(known) = self.type_names.get(ty) {
            return Arc::clone(known);
        }
        let name: Arc<str> = ty.into();
        self.type_names.insert(Arc::clone(&name));
        name
    }

    /// Declares a variable; returns `var.NAME`.
    pub fn variable<T: TfType + ToTree>(&mut self, name: &str, v: Variable<T>) -> Expr<T> {
        let reference = Expr::<T>::from_node(Node::Ref(Reference {
            stack: Some(self.id),
            subject: Subject::Var(name.into()),
            path: vec![],
            sensitive: v.sensitive,
        }));
        let validations = v
            .validations
            .into_iter()
            .map(|(f, msg)| (f(reference.clone()).node().clone(), msg))
            .collect();
        self.variables.push(VariableEntry {
            name: name.to_string(),
            type_constraint: T::type_constraint(),
            description: v.description,
            default: v.default,
            sensitive: v.sensitive,
            nullable: v.nullable,
            supplied_at_apply: v.supplied_at_apply,
            ephemeral: false,
            validations,
        });
        reference
    }

    /// Gives a variable its value for this target, written to `terraform.tfvars.json`
    /// beside the stack. Never use this for secrets: declare them
    /// [`Variable::supplied_at_apply`] instead.
    pub fn set_variable<T: ToTree>(&mut self, name: &str, value: impl Into<Value<T>>) -> &mut Self {
        self.var_values
            .push((name.to_string(), value.into().to_tree()));
        self
    }

    /// Declares a local value; returns `local.NAME`.
    pub fn local<T: ToTree>(&mut self, name: &str, value: impl Into<Value<T>>) -> Expr<T> {
        let tree = value.into().to_tree();
        let sensitive = tree_is_sensitive(&tree);
        self.locals.push((name.to_string(), tree));
        Expr::from_node(Node::Ref(Reference {
            stack: Some(self.id),
            subject: Subject::Local(name.into()),
            path: vec![],
            sensitive,
        }))
    }

    /// Declares an output.
    pub fn output(&mut self, name: &str, o: Output) -> &mut Self {
        self.outputs.push((name.to_string(), o));
        self
    }

    /// Calls a module; returns its handle for typed outputs.
    pub fn module(&mut self, name: &str, m: Module) -> ModuleRef {
        self.modules.push((name.to_string(), m));
        ModuleRef {
            stack: self.id,
            name: name.into(),
        }
    }

    /// `moved { from = FROM, to = ... }`: the block was renamed from the address
    /// `from` (for example after a refactor), so Terraform moves its state instead of
    /// replacing it.
    pub fn moved(&mut self, from: &str, to: &impl Handle) -> &mut Self {
        self.moved.push((from.to_string(), to.base().reference()));
        self
    }

    /// `import { to = ..., id = ... }`: adopt an existing object.
    pub fn import(&mut self, to: &impl Handle, id: impl Into<Value<String>>) -> &mut Self {
        self.imports.push(ImportEntry {
            to: to.base().reference(),
            id: id.into().to_tree(),
            provider: None,
            for_each: None,
        });
        self
    }

    /// `import` through a specific provider configuration.
    pub fn import_with_provider(
        &mut self,
        to: &impl Handle,
        id: impl Into<Value<String>>,
        provider: &ProviderRef,
    ) -> &mut Self {
        self.imports.push(ImportEntry {
            to: to.base().reference(),
            id: id.into().to_tree(),
            provider: Some(provider.clone()),
            for_each: None,
        });
        self
    }

    /// Sets any argument path of a declared block, applied last (like cdktf's
    /// `addOverride`). Path segments are separated by dots; a number indexes a list
    /// (`rule.0.apply_server_side_encryption_by_default.sse_algorithm`). Overrides
    /// are visible in the output and in snapshots, and go through the schema check.
    pub fn add_override(
        &mut self,
        block: &impl Handle,
        path: &str,
        value: impl Into<Tree>,
    ) -> &mut Self {
        let b = block.base();
        self.overrides.push(OverrideEntry {
            kind: b.kind,
            ty: b.ty.clone(),
            name: b.name.clone(),
            path: path.to_string(),
            value: Some(value.into()),
        });
        self
    }

    /// Removes an argument path of a declared block (applied last).
    pub fn remove_override(&mut self, block: &impl Handle, path: &str) -> &mut Self {
        let b = block.base();
        self.overrides.push(OverrideEntry {
            kind: b.kind,
            ty: b.ty.clone(),
            name: b.name.clone(),
            path: path.to_string(),
            value: None,
        });
        self
    }

    /// Records a problem found by a construct while building (a domain rule); it is
    /// reported at synth with every other problem. Builders never fail.
    pub fn report(&mut self, address: &str, field: &str, message: impl Into<String>) -> &mut Self {
        self.reported.push(
            Diagnostic::new(message)
                .stack(self.name.clone())
                .address(address)
                .field(field),
        );
        self
    }

    /// The arguments of a declared block as they will be written (before
    /// overrides), for constructs' checks and tests.
    pub fn body_of(&self, block: &impl Handle) -> Option<&Tree> {
        let b = block.base();
        self.blocks
            .iter()
            .find(|e| e.kind == b.kind && e.ty == b.ty && e.name == b.name)
            .map(|e| &e.body)
    }

    /// Every declared resource and data source, in declaration order (for rules).
    pub fn blocks(&self) -> impl Iterator<Item = BlockView<'_>> {
        self.blocks.iter().map(|b| BlockView {
            kind: b.kind,
            ty: &b.ty,
            name: &b.name,
            body: &b.body,
            provider: b.meta().provider.as_ref(),
        })
    }

    /// Every provider configuration, in declaration order (for rules that need a
    /// block's region or account).
    pub fn providers(&self) -> impl Iterator<Item = ProviderView<'_>> {
        self.providers.iter().map(|p| ProviderView {
            local_name: &p.req.local_name,
            alias: p.alias.as_deref(),
            body: &p.body,
        })
    }

    /// Addresses of all declared resources and data sources, in declaration order.
    pub fn addresses(&self) -> Vec<String> {
        self.blocks.iter().map(BlockEntry::address).collect()
    }
}

pub(crate) fn tree_is_sensitive(t: &Tree) -> bool {
    let mut sensitive = false;
    t.visit_exprs(&mut Vec::new(), &mut |_, n| {
        n.visit_refs(&mut |r| sensitive |= r.sensitive);
    });
    sensitive
}

/// A block body without spare capacity: it is kept until render.
fn shrunk(mut body: Tree) -> Tree {
    body.shrink_to_fit();
    body
}
