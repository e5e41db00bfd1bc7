//! Meta-arguments of resources and data sources: `count`, `for_each`, `depends_on`,
//! `provider` and `lifecycle`, and the typed `each` / `count` values.

use std::sync::Arc;

use crate::expr::{Expr, Node, Reference, Subject, Value};
use crate::number::Number;
use crate::provider::ProviderRef;
use crate::resource::Handle;
use crate::tree::{ToTree, Tree};

/// A dependency named in `depends_on` or `replace_triggered_by`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub(crate) reference: Reference,
}

impl Dependency {
    /// Depends on a declared block.
    pub fn on(h: &impl Handle) -> Self {
        Dependency {
            reference: h.base().reference(),
        }
    }
    /// Depends on a module call.
    pub fn on_module(m: &crate::ModuleRef) -> Self {
        Dependency {
            reference: m.reference(),
        }
    }
}

/// `lifecycle { ... }`.
///
/// ```
/// use terrane_core::Lifecycle;
/// let l = Lifecycle::new().prevent_destroy().ignore_changes(["tags"]);
/// assert!(l.is_prevent_destroy());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lifecycle {
    prevent_destroy: bool,
    create_before_destroy: bool,
    ignore_changes: Vec<String>,
    ignore_all_changes: bool,
    replace_triggered_by: Vec<Node>,
    preconditions: Vec<(Node, String)>,
    postconditions: Vec<(Node, String)>,
}

impl Lifecycle {
    /// An empty lifecycle block.
    pub fn new() -> Self {
        Self::default()
    }
    /// `prevent_destroy = true`
    pub fn prevent_destroy(mut self) -> Self {
        self.prevent_destroy = true;
        self
    }
    /// True when `prevent_destroy` is set.
    pub fn is_prevent_destroy(&self) -> bool {
        self.prevent_destroy
    }
    /// `create_before_destroy = true`
    pub fn create_before_destroy(mut self) -> Self {
        self.create_before_destroy = true;
        self
    }
    /// `ignore_changes = [attr, ...]` (argument names, dotted for nested ones).
    pub fn ignore_changes<S: Into<String>>(mut self, attrs: impl IntoIterator<Item = S>) -> Self {
        self.ignore_changes
            .extend(attrs.into_iter().map(Into::into));
        self
    }
    /// `ignore_changes = all`
    pub fn ignore_all_changes(mut self) -> Self {
        self.ignore_all_changes = true;
        self
    }
    /// `replace_triggered_by = [...]`: replace this block when the other one changes.
    pub fn replace_triggered_by(mut self, other: &impl Handle) -> Self {
        self.replace_triggered_by
            .push(Node::Ref(other.base().reference()));
        self
    }
    /// `replace_triggered_by` on one attribute of another block.
    pub fn replace_triggered_by_attr<T>(mut self, attr: &Expr<T>) -> Self {
        self.replace_triggered_by.push(attr.node().clone());
        self
    }
    /// `precondition { condition, error_message }`
    pub fn precondition(mut self, condition: Expr<bool>, message: &str) -> Self {
        self.preconditions
            .push((condition.node().clone(), message.to_string()));
        self
    }
    /// `postcondition { condition, error_message }`
    pub fn postcondition(mut self, condition: Expr<bool>, message: &str) -> Self {
        self.postconditions
            .push((condition.node().clone(), message.to_string()));
        self
    }

    pub(crate) fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.replace_triggered_by
            .iter()
            .chain(self.preconditions.iter().map(|(n, _)| n))
            .chain(self.postconditions.iter().map(|(n, _)| n))
    }

    /// The `ignore_changes` entries, as written.
    pub(crate) fn ignored(&self) -> &[String] {
        &self.ignore_changes
    }

    pub(crate) fn replace_triggers(&self) -> impl Iterator<Item = &Node> {
        self.replace_triggered_by.iter()
    }

    pub(crate) fn to_tree(&self) -> Tree {
        let mut t = Tree::empty();
        if self.create_before_destroy {
            t.push("create_before_destroy", Tree::Bool(true));
        }
        if self.prevent_destroy {
            t.push("prevent_destroy", Tree::Bool(true));
        }
        if self.ignore_all_changes {
            t.push("ignore_changes", Tree::Str("all".into()));
        } else if !self.ignore_changes.is_empty() {
            t.push(
                "ignore_changes",
                Tree::List(
                    self.ignore_changes
                        .iter()
                        .map(|s| Tree::Str(s.clone()))
                        .collect(),
                ),
            );
        }
        if !self.replace_triggered_by.is_empty() {
            t.push(
                "replace_triggered_by",
                Tree::List(
                    self.replace_triggered_by
                        .iter()
                        // terraform reads these as bare references, not templates
                        .map(|n| Tree::Str(n.to_hcl()))
                        .collect(),
                ),
            );
        }
        for (key, list) in [
            ("precondition", &self.preconditions),
            ("postcondition", &self.postconditions),
        ] {
            if !list.is_empty() {
                t.push(
                    key,
                    Tree::List(
                        list.iter()
                            .map(|(c, m)| {
                                Tree::object([
                                    ("condition", Tree::Expr(Arc::new(c.clone()))),
                                    ("error_message", Tree::Str(m.clone())),
                                ])
                            })
                            .collect(),
                    ),
                );
            }
        }
        t
    }
}

/// Meta-arguments for [`crate::Stack::add_with`] and [`crate::Stack::data_with`].
///
/// ```
/// use terrane_core::{Meta, Lifecycle};
/// let meta = Meta::new().count(3).lifecycle(Lifecycle::new().create_before_destroy());
/// assert!(meta.has_count());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub(crate) count: Option<Tree>,
    pub(crate) for_each: Option<Tree>,
    pub(crate) depends_on: Vec<Dependency>,
    pub(crate) provider: Option<ProviderRef>,
    pub(crate) lifecycle: Option<Lifecycle>,
}

impl Meta {
    /// No meta-arguments, as a constant (what a block without any refers to).
    pub(crate) const NONE: Meta = Meta {
        count: None,
        for_each: None,
        depends_on: Vec::new(),
        provider: None,
        lifecycle: None,
    };

    /// No meta-arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Boxed when any meta-argument is set; `None` when none is.
    pub(crate) fn boxed_if_set(self) -> Option<Box<Meta>> {
        // Field by field rather than `!= Meta::NONE`: this runs once per block.
        let none = self.count.is_none()
            && self.for_each.is_none()
            && self.depends_on.is_empty()
            && self.provider.is_none()
            && self.lifecycle.is_none();
        (!none).then(|| Box::new(self))
    }
    /// `count = n`; use [`count_index`] inside the block.
    pub fn count(mut self, n: impl Into<Value<Number>>) -> Self {
        self.count = Some(n.into().to_tree());
        self
    }
    /// True when `count` is set.
    pub fn has_count(&self) -> bool {
        self.count.is_some()
    }
    /// `for_each = map`; use [`each_key`] and [`each_value`] inside the block.
    pub fn for_each<T: ToTree>(mut self, map: impl Into<Value<crate::Map<T>>>) -> Self {
        self.for_each = Some(map.into().to_tree());
        self
    }
    /// `for_each = set of strings`.
    pub fn for_each_set(mut self, set: impl Into<Value<crate::Set<String>>>) -> Self {
        self.for_each = Some(set.into().to_tree());
        self
    }
    /// `depends_on = [block]` (call again for more).
    pub fn depends_on(mut self, other: &impl Handle) -> Self {
        self.depends_on.push(Dependency::on(other));
        self
    }
    /// `depends_on = [module.x]`.
    pub fn depends_on_module(mut self, m: &crate::ModuleRef) -> Self {
        self.depends_on.push(Dependency::on_module(m));
        self
    }
    /// `provider = aws.west`: a provider configuration declared with
    /// [`crate::Stack::provider`].
    pub fn provider(mut self, p: &ProviderRef) -> Self {
        self.provider = Some(p.clone());
        self
    }
    /// `lifecycle { ... }`
    pub fn lifecycle(mut self, l: Lifecycle) -> Self {
        self.lifecycle = Some(l);
        self
    }
}

/// `each.key` inside a block declared with [`Meta::for_each`].
pub fn each_key() -> Expr<String> {
    Expr::from_node(Node::Ref(Reference {
        stack: None,
        subject: Subject::EachKey,
        path: vec![],
        sensitive: false,
    }))
}

/// `each.value`, typed by the caller as the map's element type.
pub fn each_value<T>() -> Expr<T> {
    Expr::from_node(Node::Ref(Reference {
        stack: None,
        subject: Subject::EachValue,
        path: vec![],
        sensitive: false,
    }))
}

/// `count.index` inside a block declared with [`Meta::count`].
pub fn count_index() -> Expr<Number> {
    Expr::from_node(Node::Ref(Reference {
        stack: None,
        subject: Subject::CountIndex,
        path: vec![],
        sensitive: false,
    }))
}
