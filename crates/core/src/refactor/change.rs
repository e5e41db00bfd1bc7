//! What a diff reports: one [`Change`] per resource (or Kubernetes object) that is
//! created, destroyed, updated, moved or replaced, and the outputs added or removed.

use std::fmt;

use serde_json::Value;

/// What terraform (or `kubectl apply`) will do to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// A new resource.
    Create,
    /// A resource that is gone from the program.
    Destroy,
    /// Arguments change in place.
    Update,
    /// The same object at a new address (a `moved` block, written or to be written).
    Move,
    /// A replacement-forcing argument changes: destroyed and created again.
    Replace,
    /// Gone from the program with a `removed` block (`lifecycle { destroy = false }`):
    /// terraform forgets it and leaves the real object as it is.
    Forget,
}

impl Action {
    /// The lowercase name used in every format (`replace`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Destroy => "destroy",
            Action::Update => "update",
            Action::Move => "move",
            Action::Replace => "replace",
            Action::Forget => "forget",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a [`Action::Move`] reaches its new address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveKind {
    /// The program declares the `moved` block.
    Declared,
    /// Same type and identity at a new address of the same stack: synth writes the
    /// `moved` block.
    SameStack,
    /// Same type and identity in another stack (`from` names it): terraform needs a
    /// `removed` block there and an `import` here.
    AcrossStacks {
        /// The stack the resource leaves.
        from_stack: String,
    },
}

/// One argument that changes, values already redacted where secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgumentChange {
    /// Dotted path (`engine`, `tags.Name`).
    pub path: String,
    /// Value before (`None`: not set).
    pub old: Option<Value>,
    /// Value after (`None`: no longer set).
    pub new: Option<Value>,
    /// True when this change forces a replacement (stateful types only).
    pub forces_replacement: bool,
}

/// One resource or Kubernetes object that changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Stack name, or `k8s/<folder>` for Kubernetes objects.
    pub stack: String,
    /// Address after the change (before, for a destroy); `<namespace>/<Kind>/<name>`
    /// for Kubernetes objects.
    pub address: String,
    /// Resource type or Kubernetes kind.
    pub resource_type: String,
    /// What happens.
    pub action: Action,
    /// What the resource holds when it holds data (from the stateful table).
    pub stateful: Option<String>,
    /// For a move: the old address and how it is moved.
    pub moved_from: Option<(String, MoveKind)>,
    /// Arguments that change (for a create or destroy: every argument set).
    pub arguments: Vec<ArgumentChange>,
}

impl Change {
    /// True when the resource holds data.
    pub fn is_stateful(&self) -> bool {
        self.stateful.is_some()
    }
}

/// An output of a stack added or removed (other stacks may read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChange {
    /// Stack declaring it.
    pub stack: String,
    /// Output name.
    pub name: String,
    /// Added (true) or removed (false).
    pub added: bool,
}

/// Everything that changes in one target, against its baseline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetDiff {
    /// Target name.
    pub target: String,
    /// False when there was no baseline (every resource is then a create).
    pub has_baseline: bool,
    /// Changes, grouped by stack, stateful ones first within a stack.
    pub changes: Vec<Change>,
    /// Outputs added or removed.
    pub outputs: Vec<OutputChange>,
}

impl TargetDiff {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.outputs.is_empty()
    }
    /// Sorts changes by stack, stateful first, then action and address.
    pub(crate) fn sort(&mut self) {
        self.changes.sort_by(|a, b| {
            (&a.stack, !a.is_stateful(), a.action, &a.address).cmp(&(
                &b.stack,
                !b.is_stateful(),
                b.action,
                &b.address,
            ))
        });
        self.outputs
            .sort_by(|a, b| (&a.stack, &a.name).cmp(&(&b.stack, &b.name)));
    }
}
