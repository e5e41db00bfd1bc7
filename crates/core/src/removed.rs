//! State refactoring blocks beyond `moved`: `removed` (Terraform 1.7) and
//! `import` with `for_each` (Terraform 1.7), the two halves of moving a block
//! between stacks without touching the real object.

use crate::expr::{Reference, Value};
use crate::meta::each_key;
use crate::resource::Handle;
use crate::stack::{ImportEntry, Stack};
use crate::tree::{ToTree, Tree};
use crate::Map;

/// What Terraform does with the real object of a `removed` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnRemoval {
    /// `lifecycle { destroy = false }`: forget the object, leave it running
    /// (the object now belongs to another stack, or to nobody).
    Forget,
    /// `lifecycle { destroy = true }`: destroy the object (what deleting the
    /// block would do, made explicit and reviewable).
    Destroy,
}

/// A `removed` block: a resource or module that left the configuration.
///
/// Moving a block to another stack is `removed` with [`OnRemoval::Forget`] in the
/// old stack and [`Stack::import`] in the new one.
///
/// ```
/// use terrane_core::{Removed, Stack};
/// let mut old = Stack::new("network");
/// old.removed(Removed::forget("google_compute_network.main"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub(crate) from: String,
    pub(crate) on_removal: OnRemoval,
}

impl Removed {
    /// `removed { from = FROM, lifecycle { destroy = false } }`: Terraform forgets
    /// the object without destroying it. `from` is a resource address without an
    /// instance key (`aws_s3_bucket.logs`) or a module (`module.vpc`).
    pub fn forget(from: &str) -> Self {
        Removed {
            from: from.to_string(),
            on_removal: OnRemoval::Forget,
        }
    }
    /// `removed { from = FROM, lifecycle { destroy = true } }`: Terraform destroys
    /// the object.
    pub fn destroy(from: &str) -> Self {
        Removed {
            from: from.to_string(),
            on_removal: OnRemoval::Destroy,
        }
    }
    /// The address the block names.
    pub fn from_address(&self) -> &str {
        &self.from
    }
    /// What happens to the real object.
    pub fn on_removal(&self) -> OnRemoval {
        self.on_removal
    }

    /// The block as Terraform's JSON syntax reads it: `from` a bare address.
    pub(crate) fn to_tree(&self) -> Tree {
        let destroy = self.on_removal == OnRemoval::Destroy;
        Tree::object([
            ("from", Tree::Str(self.from.clone())),
            (
                "lifecycle",
                Tree::object([("destroy", Tree::Bool(destroy))]),
            ),
        ])
    }
}

impl Stack {
    /// Declares a `removed` block (Terraform 1.7); see [`Removed`].
    pub fn removed(&mut self, r: Removed) -> &mut Self {
        self.removed.push(r);
        self
    }

    /// `import { for_each = ..., to = TYPE.NAME[each.key], id = ... }` (Terraform 1.7):
    /// adopts one existing object per entry of `for_each` into the instances of a
    /// block declared with [`crate::Meta::for_each`]. `id` is usually built from
    /// [`crate::each_key`] and [`crate::each_value`].
    ///
    /// ```
    /// use terrane_core::{each_value, GenericResource, Map, Meta, RequiredProvider, Stack};
    /// let google = RequiredProvider::new("google", "hashicorp/google", "6.50.0");
    /// let mut s = Stack::new("storage");
    /// let buckets: Map<String> = [("logs".to_string(), "acme-logs".into())].into();
    /// let b = s.add_with(
    ///     "bucket",
    ///     GenericResource::new("google_storage_bucket").provider(google),
    ///     Meta::new().for_each(buckets.clone()),
    /// );
    /// s.import_for_each(&b, buckets, each_value::<String>());
    /// ```
    pub fn import_for_each<T: ToTree>(
        &mut self,
        to: &impl Handle,
        for_each: impl Into<Value<Map<T>>>,
        id: impl Into<Value<String>>,
    ) -> &mut Self {
        self.imports.push(ImportEntry {
            to: instance_of_each(to),
            id: id.into().to_tree(),
            provider: None,
            for_each: Some(for_each.into().to_tree()),
        });
        self
    }
}

/// `TYPE.NAME[each.key]`.
fn instance_of_each(to: &impl Handle) -> Reference {
    to.key(each_key()).base().reference()
}
