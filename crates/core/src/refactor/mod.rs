//! Refactoring safely: a semantic model of a target's output, a diff by address
//! against a baseline (the previous output), and the synth guard that keeps
//! stateful resources (databases, buckets, keys) from being destroyed by a rename.
//!
//! - [`model`]: `main.tf.json` and manifests parsed into resources and objects.
//! - [`diff`]: baseline + new output -> [`TargetDiff`] (create, destroy, update,
//!   move, replace; secrets redacted by [`redact`]).
//! - [`stateful`]: the table of types that hold data, filled by the provider crates.
//! - `guard`: run by synth when a baseline exists; writes `moved` blocks, refuses
//!   unintended destruction (see [`crate::Stack::allow_destroy`]).

mod allow;
mod baseline;
mod change;
pub mod diff;
mod guard;
mod k8s;
mod k8s_diff;
pub mod model;
mod patch;
pub mod redact;
pub mod stateful;

pub(crate) use allow::take as take_allowances;
pub use allow::Allowances;
pub use baseline::read_baseline;
pub use change::{Action, ArgumentChange, Change, MoveKind, OutputChange, TargetDiff};
pub use diff::{diff_target, DiffContext};
pub(crate) use guard::run as run_guard;
pub use guard::GuardOptions;
pub use k8s::ObjectKey;
pub use model::{ResourceModel, StackModel, TargetModel};
pub use stateful::{StatefulTable, StatefulType};

#[cfg(test)]
mod tests;
