//! References to what a stack declares (`aws_vpc.main.id`, `var.region`): the subject,
//! the attribute and index steps after it, and the identity of the declaring stack.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::Node;

/// Identity of a [`crate::Stack`], carried by every reference so that a reference
/// into another stack is found at synth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(pub(crate) u64);

impl StackId {
    pub(crate) fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        StackId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// `TYPE.NAME`
    Resource {
        /// Resource type, `aws_vpc`.
        ty: Arc<str>,
        /// Resource name, `main`.
        name: Arc<str>,
    },
    /// `data.TYPE.NAME`
    Data {
        /// Data source type.
        ty: Arc<str>,
        /// Data source name.
        name: Arc<str>,
    },
    /// `ephemeral.TYPE.NAME`
    Ephemeral {
        /// Ephemeral resource type.
        ty: Arc<str>,
        /// Block name.
        name: Arc<str>,
    },
    /// `var.NAME`
    Var(Arc<str>),
    /// `local.NAME`
    Local(Arc<str>),
    /// `module.NAME`
    Module(Arc<str>),
    /// `each.key`
    EachKey,
    /// `each.value`
    EachValue,
    /// `count.index`
    CountIndex,
    /// `data.terraform_remote_state.STACK.outputs.NAME` (made by the app for cross-stack references).
    RemoteOutput {
        /// The producing stack's name.
        stack: Arc<str>,
        /// The output's name.
        output: Arc<str>,
    },
}

/// One step after the subject of a reference: `.attr` or `[index]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `.name`
    Attr(Arc<str>),
    /// `[expr]`; the index expression is shared, not copied.
    Index(Arc<Node>),
    /// `[*]`
    Splat,
}

/// A reference to something declared in a stack.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The stack that declared the subject; `None` for `each`/`count`, which belong
    /// to whatever block uses them.
    pub stack: Option<StackId>,
    /// What is referred to.
    pub subject: Subject,
    /// Attribute and index steps.
    pub path: Vec<Step>,
    /// The value is sensitive (a sensitive variable or attribute).
    pub sensitive: bool,
}
