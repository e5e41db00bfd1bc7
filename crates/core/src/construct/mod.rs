//! The one construct contract shared by terrane-aws, terrane-gcp and terrane-k8s:
//! one verb to add a construct ([`Construct::add_to`]), one [`Environment`], one unit
//! for thresholds ([`Percent`]), one slug rule, one CIDR type and one address helper.
//!
//! A construct is a builder that never fails. [`Construct::add_to`] declares its
//! blocks (or objects) in a scope (a [`Stack`](crate::Stack) for cloud constructs,
//! a manifest set for Kubernetes ones) and returns its handle: a `FooHandle` for a
//! construct `Foo`, whose getters are the values other stacks and workloads need.
//! A broken domain rule is recorded as a diagnostic and reported at synth with every
//! other problem, naming target, stack, address and field.
//!
//! ```
//! use terrane_core::construct::{Construct, Environment};
//! use terrane_core::{GenericResource, Handle, Stack};
//!
//! /// A bucket that is versioned in production.
//! struct Bucket { name: String, environment: Environment }
//! /// What other code needs of the bucket.
//! struct BucketHandle { address: String }
//!
//! impl Construct for Bucket {
//!     type Handle = BucketHandle;
//!     fn add_to(self, stack: &mut Stack) -> BucketHandle {
//!         let b = stack.add(
//!             &terrane_core::construct::block_name(&self.name),
//!             GenericResource::new("aws_s3_bucket").arg("bucket", self.name.as_str()),
//!         );
//!         BucketHandle { address: b.address() }
//!     }
//! }
//!
//! let mut stack = Stack::new("data");
//! let handle = Bucket { name: "prod-assets".into(), environment: Environment::Production }
//!     .add_to(&mut stack);
//! assert_eq!(handle.address, "aws_s3_bucket.prod_assets");
//! ```

mod cidr;
mod naming;

pub use cidr::{CidrError, Ipv4Cidr};
pub use naming::{address, block_name};

use std::fmt;

use crate::stack::Stack;

/// The one contract of every construct in every crate: a builder that, added to a
/// scope, declares what it means there and returns its handle.
///
/// `Scope` is [`Stack`] for Terraform constructs (terrane-aws, terrane-gcp) and the
/// manifest set for Kubernetes constructs (terrane-k8s). Whatever else a construct
/// needs (a project, a network, a key) it takes in its constructor or setters, so
/// adding it always reads `Foo::new(..).setting(..).add_to(&mut scope)`.
pub trait Construct<Scope: ?Sized = Stack> {
    /// What the construct returns: `FooHandle` for a construct `Foo`, with getters
    /// (no public fields), or `()` when nothing else needs it.
    type Handle;
    /// Declares the construct's blocks or objects in `scope` and returns its handle.
    /// Never fails: domain problems are recorded and reported at synth.
    fn add_to(self, scope: &mut Scope) -> Self::Handle;
}

/// Which environment a construct is built for: production turns on the settings that
/// cost money but protect data (high availability, deletion protection, longer
/// retention, multi-zone), and the domain checks that go with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// Production: every protection on, checked at synth.
    #[default]
    Production,
    /// Staging, development, previews: cheaper settings.
    NonProduction,
}

impl Environment {
    /// True for [`Environment::Production`].
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

/// A threshold in percent: the one unit every construct uses for thresholds
/// (budget notifications, utilisation alarms, autoscaling targets). `Percent(80.0)`
/// is 80 %; the provider-specific form (AWS budgets take 80, Google budgets 0.8) is
/// the construct's business, through [`Percent::value`] and [`Percent::fraction`].
///
/// ```
/// use terrane_core::construct::Percent;
/// let p = Percent(80.0);
/// assert_eq!(p.value(), 80.0);
/// assert_eq!(p.fraction(), 0.8);
/// assert_eq!(p.to_string(), "80%");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Percent(pub f64);

impl Percent {
    /// The number of percent (`80.0` for 80 %).
    pub fn value(self) -> f64 {
        self.0
    }
    /// The same threshold as a fraction of one (`0.8` for 80 %).
    pub fn fraction(self) -> f64 {
        self.0 / 100.0
    }
}

impl From<f64> for Percent {
    fn from(v: f64) -> Self {
        Percent(v)
    }
}

impl From<u32> for Percent {
    fn from(v: u32) -> Self {
        Percent(f64::from(v))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}
