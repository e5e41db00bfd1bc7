//! Typed `variable`, `output`, `module` and backend blocks.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::expr::{Dynamic, Expr, List, Map, Node, Reference, Set, StackId, Step, Subject, Value};
use crate::number::Number;
use crate::tree::{ToTree, Tree};

/// Rust types that have a Terraform type constraint, for `variable { type = ... }`.
pub trait TfType {
    /// The type constraint (`string`, `list(string)`, `map(number)`).
    fn type_constraint() -> String;
}
impl TfType for String {
    fn type_constraint() -> String {
        "string".into()
    }
}
impl TfType for Number {
    fn type_constraint() -> String {
        "number".into()
    }
}
impl TfType for bool {
    fn type_constraint() -> String {
        "bool".into()
    }
}
impl<T: TfType> TfType for List<T> {
    fn type_constraint() -> String {
        format!("list({})", T::type_constraint())
    }
}
impl<T: TfType> TfType for Set<T> {
    fn type_constraint() -> String {
        format!("set({})", T::type_constraint())
    }
}
impl<T: TfType> TfType for Map<T> {
    fn type_constraint() -> String {
        format!("map({})", T::type_constraint())
    }
}
impl TfType for Dynamic {
    fn type_constraint() -> String {
        "any".into()
    }
}

/// A `variable` block with type `T`. [`crate::Stack::variable`] returns `var.NAME` as `Expr<T>`.
///
/// ```
/// use terrane_core::{Stack, Variable};
/// let mut stack = Stack::new("net");
/// let region = stack.variable("region", Variable::<String>::new().default("us-east-1"));
/// assert_eq!(region.to_hcl(), "var.region");
/// ```
pub struct Variable<T> {
    pub(crate) description: Option<String>,
    pub(crate) default: Option<Tree>,
    pub(crate) sensitive: bool,
    pub(crate) nullable: Option<bool>,
    pub(crate) supplied_at_apply: bool,
    #[allow(clippy::type_complexity)]
    pub(crate) validations: Vec<(Box<dyn FnOnce(Expr<T>) -> Expr<bool>>, String)>,
    _ty: PhantomData<fn() -> T>,
}

impl<T: TfType + ToTree> Default for Variable<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: TfType + ToTree> Variable<T> {
    /// A required variable with no default.
    pub fn new() -> Self {
        Variable {
            description: None,
            default: None,
            sensitive: false,
            nullable: None,
            supplied_at_apply: false,
            validations: Vec::new(),
            _ty: PhantomData,
        }
    }
    /// `description = "..."`
    pub fn description(mut self, d: &str) -> Self {
        self.description = Some(d.to_string());
        self
    }
    /// `default = ...`
    pub fn default(mut self, v: impl Into<Value<T>>) -> Self {
        self.default = Some(v.into().to_tree());
        self
    }
    /// `sensitive = true`: the value is redacted in plans and may only reach sensitive outputs.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// `nullable = false` rejects `null`.
    pub fn nullable(mut self, n: bool) -> Self {
        self.nullable = Some(n);
        self
    }
    /// The value comes from the environment at apply time (`TF_VAR_name` or `-var`),
    /// never from the stack program: a secret, typically. Without it, a variable with
    /// no default must be given a value by the target ([`crate::Stack::set_variable`]).
    pub fn supplied_at_apply(mut self) -> Self {
        self.supplied_at_apply = true;
        self
    }
    /// `validation { condition, error_message }`; the closure receives `var.NAME`.
    pub fn validation(
        mut self,
        condition: impl FnOnce(Expr<T>) -> Expr<bool> + 'static,
        error_message: &str,
    ) -> Self {
        self.validations
            .push((Box::new(condition), error_message.to_string()));
        self
    }
}

/// An `output` block.
///
/// ```
/// use terrane_core::{Expr, Output};
/// let url: Expr<String> = Expr::raw("google_compute_global_address.lb.address");
/// let o = Output::new(url).description("Load balancer IP");
/// ```
#[derive(Debug, Clone)]
pub struct Output {
    pub(crate) value: Tree,
    pub(crate) description: Option<String>,
    pub(crate) sensitive: bool,
}

impl Output {
    /// An output with a value.
    pub fn new<T: ToTree>(value: impl Into<Value<T>>) -> Self {
        Output {
            value: value.into().to_tree(),
            description: None,
            sensitive: false,
        }
    }
    /// `description = "..."`
    pub fn description(mut self, d: &str) -> Self {
        self.description = Some(d.to_string());
        self
    }
    /// `sensitive = true`
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

/// A `module` call.
///
/// ```
/// use terrane_core::{Module, Stack};
/// let mut stack = Stack::new("net");
/// let vpc = stack.module("vpc", Module::new("terraform-aws-modules/vpc/aws").version("5.8.1").input("cidr", "10.0.0.0/16"));
/// assert_eq!(vpc.output::<String>("vpc_id").to_hcl(), "module.vpc.vpc_id");
/// ```
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) source: String,
    pub(crate) version: Option<String>,
    pub(crate) inputs: Vec<(String, Tree)>,
    pub(crate) providers: BTreeMap<String, String>,
}

impl Module {
    /// A call of the module at `source` (registry address, git URL or relative path).
    pub fn new(source: &str) -> Self {
        Module {
            source: source.to_string(),
            version: None,
            inputs: Vec::new(),
            providers: BTreeMap::new(),
        }
    }
    /// `version = "..."` (registry modules).
    pub fn version(mut self, v: &str) -> Self {
        self.version = Some(v.to_string());
        self
    }
    /// An input variable of the module.
    pub fn input(mut self, name: &str, v: impl Into<Tree>) -> Self {
        self.inputs.push((name.to_string(), v.into()));
        self
    }
    /// An input from a typed value.
    pub fn input_value<T: ToTree>(mut self, name: &str, v: impl Into<Value<T>>) -> Self {
        self.inputs.push((name.to_string(), v.into().to_tree()));
        self
    }
    /// `providers = { aws = aws.west }`.
    pub fn pass_provider(mut self, inside: &str, p: &crate::ProviderRef) -> Self {
        self.providers.insert(inside.to_string(), p.meta_value());
        self
    }
}

/// Handle to a module call: its outputs as typed expressions.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleRef {
    pub(crate) stack: StackId,
    pub(crate) name: Arc<str>,
}

impl ModuleRef {
    pub(crate) fn reference(&self) -> Reference {
        Reference {
            stack: Some(self.stack),
            subject: Subject::Module(self.name.clone()),
            path: vec![],
            sensitive: false,
        }
    }
    /// `module.NAME.OUTPUT` with the type the module documents.
    pub fn output<T>(&self, name: &str) -> Expr<T> {
        let mut r = self.reference();
        r.path.push(Step::Attr(name.into()));
        Expr::from_node(Node::Ref(r))
    }
}

/// Where a stack keeps its state.
///
/// ```
/// use terrane_core::Backend;
/// let b = Backend::s3("acme-tfstate", "prod/network.tfstate", "us-east-1");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Backend {
    /// Local file state (`terraform.tfstate` beside the stack unless a path is given).
    Local {
        /// Relative path of the state file.
        path: Option<String>,
    },
    /// Google Cloud Storage.
    Gcs {
        /// Bucket.
        bucket: String,
        /// Object prefix.
        prefix: String,
    },
    /// Amazon S3, locked with S3's own lock file (`use_lockfile`) or a DynamoDB table.
    S3 {
        /// Bucket.
        bucket: String,
        /// Object key.
        key: String,
        /// Bucket region.
        region: String,
        /// DynamoDB table for locking (older setups); `None` uses `use_lockfile = true`.
        dynamodb_table: Option<String>,
        /// Server-side encryption of the state object.
        encrypt: bool,
        /// KMS key for the state object.
        kms_key_id: Option<String>,
    },
}

impl Backend {
    /// An S3 backend with encryption and native S3 state locking.
    pub fn s3(bucket: &str, key: &str, region: &str) -> Self {
        Backend::S3 {
            bucket: bucket.into(),
            key: key.into(),
            region: region.into(),
            dynamodb_table: None,
            encrypt: true,
            kms_key_id: None,
        }
    }
    /// A GCS backend (GCS locks state by itself).
    pub fn gcs(bucket: &str, prefix: &str) -> Self {
        Backend::Gcs {
            bucket: bucket.into(),
            prefix: prefix.into(),
        }
    }
    /// Backend type name.
    pub fn kind(&self) -> &'static str {
        match self {
            Backend::Local { .. } => "local",
            Backend::Gcs { .. } => "gcs",
            Backend::S3 { .. } => "s3",
        }
    }
    /// The backend's settings, as written in `terraform { backend ... }` and in the
    /// `config` of a `terraform_remote_state` reading it.
    pub fn config(&self) -> Tree {
        let mut t = Tree::empty();
        match self {
            Backend::Local { path } => {
                if let Some(p) = path {
                    t.push("path", Tree::Str(p.clone()));
                }
            }
            Backend::Gcs { bucket, prefix } => {
                t.push("bucket", Tree::Str(bucket.clone()));
                t.push("prefix", Tree::Str(prefix.clone()));
            }
            Backend::S3 {
                bucket,
                key,
                region,
                dynamodb_table,
                encrypt,
                kms_key_id,
            } => {
                t.push("bucket", Tree::Str(bucket.clone()));
                t.push("key", Tree::Str(key.clone()));
                t.push("region", Tree::Str(region.clone()));
                if *encrypt {
                    t.push("encrypt", Tree::Bool(true));
                }
                if let Some(k) = kms_key_id {
                    t.push("kms_key_id", Tree::Str(k.clone()));
                }
                match dynamodb_table {
                    Some(d) => t.push("dynamodb_table", Tree::Str(d.clone())),
                    None => t.push("use_lockfile", Tree::Bool(true)),
                }
            }
        }
        t
    }
}
