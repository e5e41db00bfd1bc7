//! terrane-aws: typed AWS resources, data sources and provider configuration
//! (hashicorp/aws, and hashicorp/helm behind the `helm` feature) for terrane stacks.
//!
//! Every type is generated from the committed schemas in `schemas/` by terrane-codegen,
//! one module and cargo feature per service. Required arguments are constructor
//! arguments (or an `...Args` struct when there are more than two), optional ones are
//! chained setters, and `Stack::add` returns a typed handle whose getters are the
//! resource's attributes.
//!
//! ```
//! # #[cfg(all(feature = "rds", feature = "vpc"))] {
//! use terrane_aws::rds::DbInstance;
//! use terrane_aws::vpc::Vpc;
//! use terrane_core::Stack;
//!
//! let mut stack = Stack::new("data");
//! let vpc = stack.add("main", Vpc::new().cidr_block("10.0.0.0/16"));
//! let db = stack.add(
//!     "orders",
//!     DbInstance::new("db.t4g.micro")
//!         .engine("postgres")
//!         .allocated_storage(20)
//!         .storage_encrypted(true)
//!         .tags([("vpc", vpc.id())]),
//! );
//! assert_eq!(db.endpoint().to_hcl(), "aws_db_instance.orders.endpoint");
//! # }
//! ```
//!
//! Required arguments are checked by the compiler: leaving one out of an `...Args`
//! struct is `E0063 missing field`,
//!
//! ```compile_fail,E0063
//! use terrane_aws::eks::{EksCluster, EksClusterArgs, EksClusterVpcConfig};
//! let c = EksCluster::new(EksClusterArgs {
//!     name: "main".into(),
//!     vpc_config: EksClusterVpcConfig::new(["subnet-1"]),
//! }); // no role_arn
//! ```
//!
//! [`terrane_core::args!`] converts every field of such a struct, so no field needs its own
//! `.into()` (a missing field is still `E0063`):
//!
//! ```
//! # #[cfg(feature = "eks")] {
//! use terrane_aws::eks::{EksCluster, EksClusterArgs, EksClusterVpcConfig};
//! use terrane_core::args;
//! let cluster = EksCluster::new(args!(EksClusterArgs {
//!     name: "main",
//!     role_arn: "arn:aws:iam::123456789012:role/eks-cluster",
//!     vpc_config: EksClusterVpcConfig::new(["subnet-1", "subnet-2"]),
//! }));
//! # }
//! ```
//!
//! and an expression of the wrong type does not fit an argument:
//!
//! ```compile_fail,E0277
//! use terrane_aws::vpc::Vpc;
//! use terrane_core::Stack;
//! let mut s = Stack::new("n");
//! let vpc = s.add("main", Vpc::new());
//! let v2 = Vpc::new().cidr_block(vpc.enable_dns_support()); // Expr<bool> where a string is wanted
//! ```
//!
//! # Finding a type
//!
//! This crate has every one of the 2,141 types of hashicorp/aws 5.100.0 (and helm's
//! release). Terraform type `aws_sqs_queue` is struct `SqsQueue` (the type in CamelCase
//! without the provider prefix; data sources start with `Data`) in module and cargo
//! feature `sqs`: the service, the word after the provider's prefix (two words where
//! one names no service; the exceptions are in `crates/codegen/services.json`). Each
//! feature's types are listed in this crate's `Cargo.toml`; the default features are
//! the services terrane's own constructs use, `full` enables every service. A nested
//! block is the type's struct name followed by the block's (`SqsQueue` + `…`), and
//! `...Args` holds the required arguments of a type with more than two.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;

pub use generated::*;

use terrane_core::SchemaSet;

/// The committed schema of hashicorp/aws (every type).
pub const AWS_SCHEMA_JSON: &str = terrane_core::schema::embedded::AWS_JSON;
/// The committed schema of hashicorp/helm.
pub const HELM_SCHEMA_JSON: &str = terrane_core::schema::embedded::HELM_JSON;

/// hashicorp/aws, parsed at its first use by the schema check (once per process).
/// Embedded in core, which checks every stack requiring hashicorp/aws 5.x with it.
pub use terrane_core::schema::embedded::AWS as AWS_SCHEMA;
/// hashicorp/helm, parsed at its first use by the schema check (once per process).
pub use terrane_core::schema::embedded::HELM as HELM_SCHEMA;

/// The aws and helm schemas. Synth checks against them without this call (every
/// stack requiring hashicorp/aws 5.x or helm 3.x is checked); it stays for callers
/// that want the set itself. Nothing is parsed here: each schema is parsed when the
/// check first meets a block of its provider.
pub fn schema() -> SchemaSet {
    let mut set = SchemaSet::new();
    set.add_embedded(&AWS_SCHEMA).add_embedded(&HELM_SCHEMA);
    set
}
pub mod checks;

#[cfg(test)]
#[test]
fn embedded_schemas_parse() {
    if let Err(e) = schema().load_all() {
        panic!("{e}");
    }
}
pub mod constructs;
pub mod stateful;
