//! The traits generated resource types implement, handles to declared blocks, and the
//! generic resource and data source for provider types that are not generated.

use std::borrow::Cow;
use std::sync::Arc;

use terrane_schema::LazySchema;

use crate::expr::{Expr, Node, Reference, StackId, Step, Subject, Value};
use crate::number::Number;
use crate::tree::{ToTree, Tree};

/// A provider requirement: local name, registry source and pinned version.
///
/// Every block of a generated type carries its provider's requirement, so it is
/// built once per block: from string literals it borrows them (no allocation).
///
/// ```
/// use terrane_core::RequiredProvider;
/// let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
/// assert_eq!(aws.local_name, "aws");
/// let version = String::from("5.100.0");
/// assert_eq!(RequiredProvider::new("aws", "hashicorp/aws", version), aws);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequiredProvider {
    /// Name used in the configuration (`aws`, `google`).
    pub local_name: Cow<'static, str>,
    /// Registry source (`hashicorp/aws`).
    pub source: Cow<'static, str>,
    /// Version constraint written to `required_providers`.
    pub version: Cow<'static, str>,
    /// The schema the offline check uses for this provider, when the crate that
    /// requires it embeds one (crates made by `terrane get`).
    schema: ProviderSchemaRef,
}

impl RequiredProvider {
    /// A provider requirement. String literals are borrowed, `String`s moved in.
    pub fn new(
        local_name: impl Into<Cow<'static, str>>,
        source: impl Into<Cow<'static, str>>,
        version: impl Into<Cow<'static, str>>,
    ) -> Self {
        RequiredProvider {
            local_name: local_name.into(),
            source: source.into(),
            version: version.into(),
            schema: ProviderSchemaRef(None),
        }
    }

    /// The same requirement carrying the provider's embedded schema: synth then checks
    /// every block of this provider against it, with no call to `App::schemas`.
    ///
    /// ```
    /// use terrane_core::schema::LazySchema;
    /// use terrane_core::RequiredProvider;
    /// static THING: LazySchema = LazySchema::new("thing", r#"{"provider_schemas":{"x/thing":{}}}"#);
    /// let p = RequiredProvider::new("thing", "x/thing", "1.0.0").with_schema(&THING);
    /// assert_eq!(p.schema().map(|s| s.name()), Some("thing"));
    /// assert_eq!(p, RequiredProvider::new("thing", "x/thing", "1.0.0"));
    /// ```
    pub fn with_schema(mut self, schema: &'static LazySchema) -> Self {
        self.schema = ProviderSchemaRef(Some(schema));
        self
    }

    /// The embedded schema this requirement carries, if any.
    pub fn schema(&self) -> Option<&'static LazySchema> {
        self.schema.0
    }
}

/// An embedded schema attached to a requirement. Not part of the requirement's
/// identity: two requirements of the same provider are equal with or without it.
#[derive(Debug, Clone, Copy)]
struct ProviderSchemaRef(Option<&'static LazySchema>);

impl PartialEq for ProviderSchemaRef {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ProviderSchemaRef {}

impl PartialOrd for ProviderSchemaRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ProviderSchemaRef {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// A Terraform managed resource type. Generated types implement it; so does
/// [`GenericResource`].
pub trait Resource {
    /// The typed handle returned by [`crate::Stack::add`].
    type Ref: Handle;
    /// Terraform type name (`aws_vpc`).
    fn resource_type(&self) -> &str;
    /// The provider this type belongs to, for `required_providers`.
    fn provider(&self) -> Option<RequiredProvider>;
    /// The arguments as an ordered tree.
    fn to_body(&self) -> Tree;
    /// The arguments as an ordered tree, consuming the value (its strings are moved,
    /// not copied). `Stack::add` calls this; the default copies through `to_body`.
    fn into_body(self) -> Tree
    where
        Self: Sized,
    {
        self.to_body()
    }
}

/// A Terraform data source type.
pub trait DataSource {
    /// The typed handle returned by [`crate::Stack::data`].
    type Ref: Handle;
    /// Terraform type name without `data.` (`aws_availability_zones`).
    fn data_type(&self) -> &str;
    /// The provider this type belongs to.
    fn provider(&self) -> Option<RequiredProvider>;
    /// The arguments as an ordered tree.
    fn to_body(&self) -> Tree;
    /// The arguments as an ordered tree, consuming the value (its strings are moved,
    /// not copied). `Stack::data` calls this; the default copies through `to_body`.
    fn into_body(self) -> Tree
    where
        Self: Sized,
    {
        self.to_body()
    }
}

/// Whether a handle points at a resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockKind {
    /// `resource`
    Resource,
    /// `data`
    Data,
}

/// What every handle holds: where the block was declared and, for an instance of a
/// `count`/`for_each` block, which instance.
#[derive(Debug, Clone, PartialEq)]
pub struct RefBase {
    /// The declaring stack.
    pub stack: StackId,
    /// Resource or data source.
    pub kind: BlockKind,
    /// Terraform type.
    pub ty: Arc<str>,
    /// Block name.
    pub name: Arc<str>,
    /// Instance key or index, if any.
    pub index: Option<Node>,
}

impl RefBase {
    /// `aws_vpc.main` / `data.aws_region.current`.
    pub fn address(&self) -> String {
        match self.kind {
            BlockKind::Resource => format!("{}.{}", self.ty, self.name),
            BlockKind::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }

    fn subject(&self) -> Subject {
        match self.kind {
            BlockKind::Resource => Subject::Resource {
                ty: self.ty.clone(),
                name: self.name.clone(),
            },
            BlockKind::Data => Subject::Data {
                ty: self.ty.clone(),
                name: self.name.clone(),
            },
        }
    }

    /// The reference to this block (or instance), with no attribute.
    pub fn reference(&self) -> Reference {
        let mut path = Vec::new();
        if let Some(i) = &self.index {
            path.push(Step::Index(Arc::new(i.clone())));
        }
        Reference {
            stack: Some(self.stack),
            subject: self.subject(),
            path,
            sensitive: false,
        }
    }

    /// The reference to attribute `name` of this block (or instance). Its path is
    /// allocated once, at its final size: every typed getter (`vpc.id()`) makes one.
    pub(crate) fn attr_reference(&self, name: &str, sensitive: bool) -> Reference {
        let mut path = Vec::with_capacity(1 + usize::from(self.index.is_some()));
        if let Some(i) = &self.index {
            path.push(Step::Index(Arc::new(i.clone())));
        }
        path.push(Step::Attr(name.into()));
        Reference {
            stack: Some(self.stack),
            subject: self.subject(),
            path,
            sensitive,
        }
    }

    /// A typed attribute of this block: `aws_vpc.main.id`.
    pub fn attr<T>(&self, name: &str) -> Expr<T> {
        Expr::from_node(Node::Ref(self.attr_reference(name, false)))
    }

    /// A typed attribute that Terraform treats as sensitive.
    pub fn attr_sensitive<T>(&self, name: &str) -> Expr<T> {
        Expr::from_node(Node::Ref(self.attr_reference(name, true)))
    }
}

/// A handle to a declared resource or data source. Generated `...Ref` types
/// implement it; attribute getters build on [`RefBase::attr`].
pub trait Handle: Sized {
    /// Builds the handle (used by the stack).
    fn from_base(base: RefBase) -> Self;
    /// Where the block was declared.
    fn base(&self) -> &RefBase;

    /// The Terraform address (`aws_vpc.main`).
    fn address(&self) -> String {
        self.base().address()
    }
    /// One instance of a block declared with `count`: `aws_subnet.private[0]`.
    fn at(&self, index: impl Into<Value<Number>>) -> Self {
        let mut b = self.base().clone();
        b.index = Some(index.into().into_node());
        Self::from_base(b)
    }
    /// One instance of a block declared with `for_each`: `aws_s3_bucket.logs["audit"]`.
    fn key(&self, key: impl Into<Value<String>>) -> Self {
        let mut b = self.base().clone();
        b.index = Some(key.into().into_node());
        Self::from_base(b)
    }
    /// The whole block as a value (an object, or a list/map of objects with
    /// `count`/`for_each`): what `depends_on`-free references such as
    /// `replace_triggered_by` use.
    fn whole<T>(&self) -> Expr<T> {
        Expr::from_node(Node::Ref(self.base().reference()))
    }
}

/// A handle with attributes looked up by name: the handle of [`GenericResource`]
/// and [`GenericDataSource`].
#[derive(Debug, Clone, PartialEq)]
pub struct GenericRef {
    base: RefBase,
}

impl Handle for GenericRef {
    fn from_base(base: RefBase) -> Self {
        GenericRef { base }
    }
    fn base(&self) -> &RefBase {
        &self.base
    }
}

impl GenericRef {
    /// An attribute by name with the type the caller expects.
    pub fn attr<T>(&self, name: &str) -> Expr<T> {
        self.base.attr(name)
    }
    /// `id`, which every resource has.
    pub fn id(&self) -> Expr<String> {
        self.base.attr("id")
    }
}

/// Any resource type by name: the escape hatch for provider types that are not
/// generated. Arguments are set by name; the offline schema check still applies
/// where the provider's schema is known.
///
/// ```
/// use terrane_core::{GenericResource, RequiredProvider, Stack, Tree};
/// let mut stack = Stack::new("demo");
/// let topic = stack.add(
///     "alerts",
///     GenericResource::new("aws_sns_topic")
///         .provider(RequiredProvider::new("aws", "hashicorp/aws", "5.100.0"))
///         .arg("name", "alerts"),
/// );
/// assert_eq!(topic.attr::<String>("arn").to_hcl(), "aws_sns_topic.alerts.arn");
/// ```
#[derive(Debug, Clone)]
pub struct GenericResource {
    ty: String,
    provider: Option<RequiredProvider>,
    body: Tree,
}

impl GenericResource {
    /// A resource of the given Terraform type with no arguments yet.
    pub fn new(ty: &str) -> Self {
        GenericResource {
            ty: ty.to_string(),
            provider: None,
            body: Tree::empty(),
        }
    }
    /// Declares the provider this type belongs to (for `required_providers`).
    pub fn provider(mut self, p: RequiredProvider) -> Self {
        self.provider = Some(p);
        self
    }
    /// Sets an argument (attribute or block) to a value or tree.
    pub fn arg(mut self, name: &str, value: impl Into<Tree>) -> Self {
        self.body.set(name, value.into());
        self
    }
    /// Sets an argument from any typed value.
    pub fn arg_value<T: ToTree>(mut self, name: &str, value: impl Into<Value<T>>) -> Self {
        self.body.set(name, value.into().to_tree());
        self
    }
    /// Sets a write-only argument (`password_wo`): it accepts an
    /// [`crate::Ephemeral`] value as well as an ordinary one, and is never stored.
    pub fn arg_write_only<T: ToTree>(
        mut self,
        name: &str,
        value: impl Into<crate::WriteOnly<T>>,
    ) -> Self {
        self.body
            .push(name.to_string(), value.into().into_value().to_tree());
        self
    }
}

impl Resource for GenericResource {
    type Ref = GenericRef;
    fn resource_type(&self) -> &str {
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

/// Any data source type by name; see [`GenericResource`].
#[derive(Debug, Clone)]
pub struct GenericDataSource {
    ty: String,
    provider: Option<RequiredProvider>,
    body: Tree,
}

impl GenericDataSource {
    /// A data source of the given type.
    pub fn new(ty: &str) -> Self {
        GenericDataSource {
            ty: ty.to_string(),
            provider: None,
            body: Tree::empty(),
        }
    }
    /// Declares the provider.
    pub fn provider(mut self, p: RequiredProvider) -> Self {
        self.provider = Some(p);
        self
    }
    /// Sets an argument.
    pub fn arg(mut self, name: &str, value: impl Into<Tree>) -> Self {
        self.body.set(name, value.into());
        self
    }
}

impl DataSource for GenericDataSource {
    type Ref = GenericRef;
    fn data_type(&self) -> &str {
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
