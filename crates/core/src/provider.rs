//! Provider configurations (`provider "aws" { region = ... }`), with aliases for
//! several configurations of one provider (several regions).

use crate::expr::StackId;
use crate::resource::RequiredProvider;
use crate::tree::{ToTree, Tree};
use crate::Value;

/// A provider configuration block. Generated provider types implement
/// [`ProviderConfig`]; this generic one takes arguments by name.
///
/// ```
/// use terrane_core::{Provider, RequiredProvider, Stack};
/// let mut stack = Stack::new("edge");
/// let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
/// let west = stack.provider(Provider::new(aws).alias("west").arg("region", "us-west-2"));
/// assert_eq!(west.meta_value(), "aws.west");
/// ```
#[derive(Debug, Clone)]
pub struct Provider {
    req: RequiredProvider,
    alias: Option<String>,
    body: Tree,
}

impl Provider {
    /// A configuration of the given provider.
    pub fn new(req: RequiredProvider) -> Self {
        Provider {
            req,
            alias: None,
            body: Tree::empty(),
        }
    }
    /// `alias = "name"`
    pub fn alias(mut self, alias: &str) -> Self {
        self.alias = Some(alias.to_string());
        self
    }
    /// Sets an argument by name.
    pub fn arg(mut self, name: &str, v: impl Into<Tree>) -> Self {
        self.body.set(name, v.into());
        self
    }
    /// Sets an argument from a typed value.
    pub fn arg_value<T: ToTree>(mut self, name: &str, v: impl Into<Value<T>>) -> Self {
        self.body.set(name, v.into().to_tree());
        self
    }
    /// Sets an argument from an ephemeral value (a token read by an `ephemeral`
    /// block): provider configuration is never stored, so Terraform allows it.
    pub fn arg_ephemeral<T: ToTree>(mut self, name: &str, v: &crate::Ephemeral<T>) -> Self {
        self.body
            .set(name, crate::WriteOnly::from(v).into_value().to_tree());
        self
    }
}

/// What a provider configuration block must tell the stack.
pub trait ProviderConfig {
    /// Local name and pinned version.
    fn required(&self) -> RequiredProvider;
    /// The alias, if any.
    fn alias_name(&self) -> Option<String>;
    /// Arguments (without `alias`).
    fn to_body(&self) -> Tree;
}

impl ProviderConfig for Provider {
    fn required(&self) -> RequiredProvider {
        self.req.clone()
    }
    fn alias_name(&self) -> Option<String> {
        self.alias.clone()
    }
    fn to_body(&self) -> Tree {
        self.body.clone()
    }
}

/// A handle to a declared provider configuration, for [`crate::Meta::provider`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRef {
    pub(crate) stack: StackId,
    pub(crate) local_name: String,
    pub(crate) alias: Option<String>,
}

impl ProviderRef {
    /// The provider's local name (`aws`).
    pub fn local_name(&self) -> &str {
        &self.local_name
    }
    /// The alias (`backup`), or `None` for the default configuration.
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }
    /// `aws` or `aws.west`, as written in `provider = ...`.
    pub fn meta_value(&self) -> String {
        match &self.alias {
            Some(a) => format!("{}.{}", self.local_name, a),
            None => self.local_name.clone(),
        }
    }
}
