//! Ephemeral values (Terraform 1.10): `ephemeral` blocks and ephemeral variables,
//! whose values never reach plan or state, and the write-only arguments (Terraform
//! 1.11) that accept them.
//!
//! An ephemeral value is its own type, [`Ephemeral<T>`]: it does not convert into
//! [`Value<T>`], so passing it to an ordinary argument does not compile. It goes
//! into [`WriteOnly<T>`] (the argument type of write-only arguments), provider
//! configuration ([`crate::Provider::arg_ephemeral`]) and other ephemeral blocks.
//!
//! ```
//! use terrane_core::{GenericEphemeral, GenericResource, Stack};
//! let mut s = Stack::new("db");
//! let pw = s.ephemeral("pw", GenericEphemeral::new("random_password").arg("length", 32));
//! // a write-only argument takes it
//! s.add("user", GenericResource::new("google_sql_user").arg_write_only("password_wo", pw.attr::<String>("result")));
//! ```
//!
//! ```compile_fail
//! use terrane_core::{GenericEphemeral, GenericResource, Stack};
//! let mut s = Stack::new("db");
//! let pw = s.ephemeral("pw", GenericEphemeral::new("random_password").arg("length", 32));
//! // an ordinary argument: Ephemeral<String> is not a Value<String>
//! s.add("user", GenericResource::new("google_sql_user").arg_value::<String>("password", pw.attr::<String>("result")));
//! ```

use std::marker::PhantomData;
use std::sync::Arc;

use crate::expr::{Expr, Node, Reference, StackId, Step, Subject, Value};
use crate::resource::RequiredProvider;
use crate::stack::Stack;
use crate::tree::{ToTree, Tree};

/// A value Terraform keeps out of plan and state: an attribute of an `ephemeral`
/// block or an ephemeral variable. It converts only into [`WriteOnly<T>`] and
/// ephemeral arguments.
#[derive(Debug, PartialEq)]
pub struct Ephemeral<T> {
    expr: Expr<T>,
}

impl<T> Clone for Ephemeral<T> {
    fn clone(&self) -> Self {
        Ephemeral {
            expr: self.expr.clone(),
        }
    }
}

impl<T> Ephemeral<T> {
    pub(crate) fn new(expr: Expr<T>) -> Self {
        Ephemeral { expr }
    }
    /// The HCL text (`ephemeral.random_password.db.result`).
    pub fn to_hcl(&self) -> String {
        self.expr.to_hcl()
    }
    /// The expression, for another ephemeral context (an ephemeral block's argument).
    pub(crate) fn node(&self) -> &Node {
        self.expr.node()
    }
}

/// The argument of a write-only argument (`password_wo`, `secret_data_wo`,
/// `secret_string_wo`): never stored in plan or state, so it may hold an
/// [`Ephemeral`] value as well as any ordinary one. Terraform sends it on create and
/// whenever its `*_version` companion changes: bump the version to rotate.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOnly<T> {
    value: Value<T>,
}

impl<T> WriteOnly<T> {
    /// The value written to the argument.
    pub fn into_value(self) -> Value<T> {
        self.value
    }
}

impl<T> From<Ephemeral<T>> for WriteOnly<T> {
    fn from(e: Ephemeral<T>) -> Self {
        WriteOnly {
            value: Value::Expr(e.expr),
        }
    }
}
impl<T> From<&Ephemeral<T>> for WriteOnly<T> {
    fn from(e: &Ephemeral<T>) -> Self {
        WriteOnly {
            value: Value::Expr(e.expr.clone()),
        }
    }
}
impl<T> From<Value<T>> for WriteOnly<T> {
    fn from(value: Value<T>) -> Self {
        WriteOnly { value }
    }
}
impl<T> From<Expr<T>> for WriteOnly<T> {
    fn from(e: Expr<T>) -> Self {
        WriteOnly {
            value: Value::Expr(e),
        }
    }
}
impl<T, X: Into<Value<T>>> From<Vec<X>> for WriteOnly<crate::List<T>> {
    fn from(v: Vec<X>) -> Self {
        WriteOnly {
            value: Value::from(v),
        }
    }
}
impl From<&str> for WriteOnly<String> {
    fn from(s: &str) -> Self {
        WriteOnly {
            value: Value::Lit(s.to_string()),
        }
    }
}
impl From<String> for WriteOnly<String> {
    fn from(s: String) -> Self {
        WriteOnly {
            value: Value::Lit(s),
        }
    }
}

/// A Terraform ephemeral resource type (the `ephemeral` block): opened during plan
/// and apply, never stored. Generated types and [`GenericEphemeral`] implement it.
pub trait EphemeralResource {
    /// Terraform type name (`random_password`, `aws_secretsmanager_random_password`).
    fn ephemeral_type(&self) -> &str;
    /// The provider this type belongs to, for `required_providers`.
    fn provider(&self) -> Option<RequiredProvider>;
    /// The arguments as an ordered tree.
    fn to_body(&self) -> Tree;
    /// The arguments as an ordered tree, consuming the value (its strings are moved,
    /// not copied). `Stack::ephemeral` calls this; the default copies through `to_body`.
    fn into_body(self) -> Tree
    where
        Self: Sized,
    {
        self.to_body()
    }
}

/// Any ephemeral resource type by name; arguments are set by name and checked
/// against the provider's `ephemeral_resource_schemas` at synth.
///
/// ```
/// use terrane_core::{GenericEphemeral, RequiredProvider, Stack};
/// let random = RequiredProvider::new("random", "hashicorp/random", "3.7.2");
/// let mut s = Stack::new("db");
/// let pw = s.ephemeral("db", GenericEphemeral::new("random_password").provider(random).arg("length", 32));
/// assert_eq!(pw.attr::<String>("result").to_hcl(), "ephemeral.random_password.db.result");
/// ```
#[derive(Debug, Clone)]
pub struct GenericEphemeral {
    ty: String,
    provider: Option<RequiredProvider>,
    body: Tree,
}

impl GenericEphemeral {
    /// An ephemeral resource of type `ty`.
    pub fn new(ty: &str) -> Self {
        GenericEphemeral {
            ty: ty.to_string(),
            provider: None,
            body: Tree::empty(),
        }
    }
    /// The provider the type belongs to.
    pub fn provider(mut self, p: RequiredProvider) -> Self {
        self.provider = Some(p);
        self
    }
    /// An argument by name.
    pub fn arg(mut self, name: &str, value: impl Into<Tree>) -> Self {
        self.body.set(name, value.into());
        self
    }
    /// An argument from another ephemeral value.
    pub fn arg_ephemeral<T>(mut self, name: &str, value: &Ephemeral<T>) -> Self {
        self.body
            .set(name, Tree::Expr(Arc::new(value.node().clone())));
        self
    }
}

impl EphemeralResource for GenericEphemeral {
    fn ephemeral_type(&self) -> &str {
        &self.ty
    }
    fn provider(&self) -> Option<RequiredProvider> {
        self.provider.clone()
    }
    fn to_body(&self) -> Tree {
        self.body.clone()
    }
    fn into_body(self) -> Tree {
        self.body
    }
}

/// Handle to a declared `ephemeral` block: its attributes are [`Ephemeral`].
#[derive(Debug, Clone, PartialEq)]
pub struct EphemeralRef<T = ()> {
    stack: StackId,
    ty: Arc<str>,
    name: Arc<str>,
    _ty: PhantomData<fn() -> T>,
}

impl EphemeralRef {
    /// An attribute (`result`, `random_password`) with the type the caller expects.
    pub fn attr<T>(&self, name: &str) -> Ephemeral<T> {
        Ephemeral::new(Expr::from_node(Node::Ref(Reference {
            stack: Some(self.stack),
            subject: Subject::Ephemeral {
                ty: self.ty.clone(),
                name: self.name.clone(),
            },
            path: vec![Step::Attr(name.into())],
            sensitive: true,
        })))
    }
    /// `ephemeral.TYPE.NAME`.
    pub fn address(&self) -> String {
        format!("ephemeral.{}.{}", self.ty, self.name)
    }
}

/// One `ephemeral` block of a stack.
pub(crate) struct EphemeralEntry {
    pub ty: Arc<str>,
    pub name: Arc<str>,
    pub body: Tree,
}

impl EphemeralEntry {
    /// `ephemeral.TYPE.NAME`.
    pub(crate) fn address(&self) -> String {
        format!("ephemeral.{}.{}", self.ty, self.name)
    }
}

impl Stack {
    /// Declares an `ephemeral` block (Terraform 1.10); returns its handle, whose
    /// attributes are [`Ephemeral`] values.
    pub fn ephemeral(&mut self, name: &str, e: impl EphemeralResource) -> EphemeralRef {
        if let Some(p) = e.provider() {
            self.require_provider(p);
        }
        let ty: Arc<str> = e.ephemeral_type().into();
        let name: Arc<str> = name.into();
        self.ephemerals.push(EphemeralEntry {
            ty: ty.clone(),
            name: name.clone(),
            body: e.into_body(),
        });
        EphemeralRef {
            stack: self.id,
            ty,
            name,
            _ty: PhantomData,
        }
    }

    /// Declares a local holding an ephemeral value (`locals { NAME = ... }`); the
    /// local is ephemeral in turn, and goes only where its value may.
    pub fn ephemeral_local<T>(&mut self, name: &str, value: &Ephemeral<T>) -> Ephemeral<T> {
        self.locals
            .push((name.to_string(), Tree::Expr(Arc::new(value.node().clone()))));
        Ephemeral::new(Expr::from_node(Node::Ref(Reference {
            stack: Some(self.id),
            subject: Subject::Local(name.into()),
            path: vec![],
            sensitive: true,
        })))
    }

    /// Declares an ephemeral variable (`ephemeral = true`, Terraform 1.10): supplied
    /// at apply time, never stored; returns `var.NAME` as an [`Ephemeral`].
    pub fn ephemeral_variable<T: crate::TfType + ToTree>(
        &mut self,
        name: &str,
        v: crate::Variable<T>,
    ) -> Ephemeral<T> {
        let reference = self.variable(name, v.supplied_at_apply());
        if let Some(entry) = self.variables.last_mut() {
            entry.ephemeral = true;
        }
        Ephemeral::new(reference)
    }
}
