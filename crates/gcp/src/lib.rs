//! terrane-gcp: typed Google Cloud resources, data sources and provider configuration
//! (hashicorp/google) for terrane stacks.
//!
//! Every type is generated from the committed schema `schemas/google.json` by
//! terrane-codegen, one module and cargo feature per service. Required arguments are
//! constructor arguments (or an `...Args` struct when there are more than two),
//! optional ones are chained setters, and `Stack::add` returns a typed handle whose
//! getters are the resource's attributes, nested blocks included.
//!
//! ```
//! # #[cfg(feature = "cloud_run")] {
//! use terrane_gcp::cloud_run::*;
//! use terrane_core::Stack;
//!
//! let mut stack = Stack::new("services");
//! let api = stack.add(
//!     "api",
//!     CloudRunV2Service::new(CloudRunV2ServiceArgs {
//!         name: "api".into(),
//!         location: "europe-west1".into(),
//!         template: CloudRunV2ServiceTemplate::new().containers(
//!             CloudRunV2ServiceTemplateContainers::new("europe-docker.pkg.dev/p/r/api:1"),
//!         ),
//!     })
//!     .ingress("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"),
//! );
//! assert_eq!(api.uri().to_hcl(), "google_cloud_run_v2_service.api.uri");
//! assert_eq!(
//!     api.template().at(0).containers().at(0).image().to_hcl(),
//!     "google_cloud_run_v2_service.api.template[0].containers[0].image"
//! );
//! # }
//! ```
//!
//! # Finding a type
//!
//! This crate has every one of the 1,469 types of hashicorp/google 6.50.0. Terraform
//! type `google_container_cluster` is struct `ContainerCluster` (the type in CamelCase
//! without the provider prefix; data sources start with `Data`) in module and cargo
//! feature `container`: the service, the word after the provider's prefix (two words
//! where one names no service; the exceptions are in `crates/codegen/services.json`).
//! Each feature's types are listed in this crate's `Cargo.toml`; the default features
//! are the services terrane's own constructs use, `full` enables every service. A
//! nested block is the type's struct name followed by the block's (`ContainerCluster` +
//! `…`), and `...Args` holds the required arguments of a type with more than two.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;

pub use generated::*;

use terrane_core::SchemaSet;

/// The committed schema of hashicorp/google, trimmed to the generated types.
pub const GOOGLE_SCHEMA_JSON: &str = terrane_core::schema::embedded::GOOGLE_JSON;

/// hashicorp/google, parsed at its first use by the schema check (once per process).
/// Embedded in core, which checks every stack requiring hashicorp/google 6.x with it.
pub use terrane_core::schema::embedded::GOOGLE as GOOGLE_SCHEMA;

/// The committed schema of hashicorp/random (the generated password of
/// `PrivatePostgres`, ephemeral `random_password` included).
pub const RANDOM_SCHEMA_JSON: &str = terrane_core::schema::embedded::RANDOM_JSON;

/// hashicorp/random, parsed at its first use by the schema check. Embedded in core,
/// which checks every stack requiring hashicorp/random 3.x with it.
pub use terrane_core::schema::embedded::RANDOM as RANDOM_SCHEMA;

/// The google and random schemas. Synth checks against them without this call (every
/// stack requiring hashicorp/google 6.x or random 3.x is checked); it stays for callers
/// that want the set. Nothing is parsed here: a schema is parsed when the check first
/// meets a block of its provider.
pub fn schema() -> SchemaSet {
    let mut set = SchemaSet::new();
    set.add_embedded(&GOOGLE_SCHEMA);
    set.add_embedded(&RANDOM_SCHEMA);
    set
}

#[cfg(test)]
#[test]
fn embedded_schema_parses() {
    if let Err(e) = schema().load_all() {
        panic!("{e}");
    }
}
pub mod constructs;
pub mod stateful;
