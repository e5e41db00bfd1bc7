//! terrane-core: typed Terraform expressions, stacks, apps, checks and atomic output.
//!
//! A stack program builds typed blocks into [`Stack`]s, groups them into named
//! targets of an [`App`], and synthesizes them to Terraform JSON. Expressions are
//! trees ([`Expr<T>`]), never placeholder strings; every problem is found before
//! anything is written, and output is written atomically.
//!
//! Synth runs in phases (collect, check, render, write; see `ARCHITECTURE.md` beside
//! this crate's manifest), and every check it runs is listed in [`checks`], where
//! other crates add their own as [`Rule`]s.
//!
//! ```
//! use terrane_core::{tmpl, App, GenericResource, Output, RequiredProvider, Stack, Variable};
//!
//! let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
//! let mut app = App::new();
//! app.target("dev", "dev environment", move |t| {
//!     let mut network = Stack::new("network");
//!     let cidr = network.variable("cidr", Variable::<String>::new().default("10.0.0.0/16"));
//!     let vpc = network.add(
//!         "main",
//!         GenericResource::new("aws_vpc").provider(aws.clone()).arg("cidr_block", cidr),
//!     );
//!     let mut app_stack = Stack::new("app");
//!     let sg = app_stack.add(
//!         "web",
//!         GenericResource::new("aws_security_group")
//!             .provider(aws.clone())
//!             .arg("vpc_id", vpc.id()) // a cross-stack reference
//!             .arg("description", tmpl!("web tier in {}", vpc.id())),
//!     );
//!     app_stack.output("sg_id", Output::new(sg.id()));
//!     t.add_stack(network);
//!     t.add_stack(app_stack);
//! });
//! let out = app.synth("dev").unwrap();
//! let app_json = out.file("app/main.tf.json").unwrap();
//! assert!(app_json.contains("${data.terraform_remote_state.network.outputs.aws_vpc_main_id}"));
//! assert_eq!(out.stacks[1].depends_on, vec!["network".to_string()]);
//! ```
//!
//! Types are checked by the compiler, not at run time. A number is not a string:
//!
//! ```compile_fail
//! use terrane_core::{Number, Value};
//! let port: Value<Number> = "8080".into();
//! ```
//!
//! A set cannot be indexed (Terraform sets have no order); convert it first:
//!
//! ```compile_fail
//! use terrane_core::{Expr, Set};
//! let ids: Expr<Set<String>> = Expr::raw("aws_eks_cluster.main.vpc_config[0].subnet_ids");
//! let first = ids.at(0);
//! ```
//!
//! ```
//! use terrane_core::{Expr, Set};
//! let ids: Expr<Set<String>> = Expr::raw("aws_eks_cluster.main.vpc_config[0].subnet_ids");
//! assert_eq!(ids.to_list().at(0).to_hcl(), "tolist(aws_eks_cluster.main.vpc_config[0].subnet_ids)[0]");
//! ```
//!
//! A list of strings is not a list of numbers:
//!
//! ```compile_fail
//! use terrane_core::{func, Expr, List, Number};
//! let ports: Expr<List<Number>> = Expr::raw("var.ports");
//! let joined = func::join(",", ports);
//! ```
#![warn(missing_docs)]

mod app;
mod blocks;
mod check_block;
pub mod checks;
pub mod construct;
mod diag;
mod ephemeral;
mod error;
mod expr;
mod features;
pub mod func;
mod meta;
mod number;
mod provider;
pub mod refactor;
mod removed;
mod resource;
pub mod schema;
mod sites;
mod stack;
mod syntax;
mod synth;
mod target;
mod terraform_data;
mod tree;
pub mod typed;
pub mod visit;
mod write;

pub use app::App;
pub use blocks::{Backend, Module, ModuleRef, Output, TfType, Variable};
pub use check_block::CheckScope;
pub use checks::{is_valid_identifier, Rule};
pub use construct::{Construct, Environment};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use ephemeral::{Ephemeral, EphemeralRef, EphemeralResource, GenericEphemeral, WriteOnly};
pub use error::{Error, Result};
#[doc(hidden)]
pub use expr::{build_template, count_placeholders};
pub use expr::{
    escape_template, subject_address, BinOp, Dynamic, Expr, ForExpr, Interpolable, Interpolate,
    List, Map, Node, Part, Reference, Set, StackId, Step, Subject, Value,
};
pub use meta::{count_index, each_key, each_value, Dependency, Lifecycle, Meta};
pub use number::Number;
pub use provider::{Provider, ProviderConfig, ProviderRef};
pub use removed::{OnRemoval, Removed};
pub use resource::{
    BlockKind, DataSource, GenericDataSource, GenericRef, GenericResource, Handle, RefBase,
    RequiredProvider, Resource,
};
pub use schema::SchemaSet;
pub use stack::{BlockView, ProviderView, Stack};
pub use target::{
    FileSet, FileSetContext, StackSummary, Synthesized, Target, TargetInfo, TerraformOutput,
};
pub use terraform_data::{TerraformData, TerraformDataRef};
pub use tree::{Key, ToTree, Tree};
pub use write::write_targets;

/// The names a stack program uses most, for `use terrane_core::prelude::*;`.
pub mod prelude {
    pub use crate::{
        args, count_index, each_key, each_value, func, tmpl, App, Backend, DataSource, Expr,
        Handle, Lifecycle, List, Map, Meta, Module, Number, Output, Provider, RequiredProvider,
        Resource, Set, Stack, Target, Tree, Value, Variable,
    };
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod terraform_roundtrip;
