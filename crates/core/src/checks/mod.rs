//! Every check terrane runs before writing anything, in one place, and the [`Rule`]
//! trait through which other crates add their own.
//!
//! Checks run in the check phase of synth (see `crates/core/ARCHITECTURE.md`). All
//! of them run, and every problem is reported at once as a [`Diagnostic`]; nothing
//! is written when any is an error. Per stack they run in the order of this table.
//!
//! | family | file | what it reports |
//! |---|---|---|
//! | depth | `depth.rs` | an expression nested deeper than 256 levels (checked first, iteratively, at each site of collect's walk: every later phase recurses) |
//! | app | `duplicates.rs`, `identifiers.rs` | a target defined twice; a target name that is not a folder name |
//! | stacks | `identifiers.rs`, `duplicates.rs` | a target with no stacks; an invalid stack name; a stack added twice |
//! | overrides | `overrides.rs` | an override naming a missing block, or a path that does not fit the body (applied first, before collect) |
//! | reported at build | `reported.rs` | what constructs recorded with [`crate::Stack::report`] |
//! | providers | `providers.rs` | two versions of one provider; a block or module using a provider not configured in its stack |
//! | identifiers | `identifiers.rs` | invalid block, variable, local, module, output and alias names; invalid type names |
//! | duplicates | `duplicates.rs` | a block address, provider configuration or declared name used twice in a stack |
//! | meta-arguments | `meta.rs` | `count` with `for_each`; a negative or fractional literal `count`; `replace_triggered_by` naming another stack |
//! | modules | `modules.rs` | an empty module source; `version` on a local path |
//! | references | `references.rs`, `raw_refs.rs` | dangling references (typed and in raw text), references to stacks outside the target, `each`/`count` outside their blocks, an attribute of a `count`/`for_each` block read without an instance |
//! | numbers | `numbers.rs` | NaN or infinity |
//! | graph | `graph.rs` | a block referring to itself; blocks, locals and modules referring to each other in a cycle |
//! | variables | `variables.rs` | a variable with no value; a value for an undeclared or sensitive variable; a value that is not a literal |
//! | sensitivity | `sensitivity.rs` | a secret in an output not marked sensitive |
//! | moved/import | `moved_import.rs` | an invalid `moved.from`, or one equal to `to`; `moved`/`import` pointing into another stack, at an undeclared block or (import) at a data source; an empty import id |
//! | removed/import for_each | `refactor.rs` | a `removed.from` that is not a whole block, is still declared, or is named twice; an import with `for_each` into a block without it |
//! | ephemeral values | `ephemeral.rs` | an ephemeral value anywhere but a write-only argument, a provider configuration or an ephemeral block; one read from another stack |
//! | Terraform version | `versions.rs` | a feature newer than the Terraform version the target declares |
//! | check blocks | `check_blocks.rs` | an invalid or repeated check name; a check with no assert; a scoped data source used outside its check |
//! | schema | `schema.rs` | provider, resource and data source bodies against the provider schemas |
//! | file sets | (each [`crate::FileSet`]) | what extra files (Kubernetes manifests) found while rendering |
//! | cycles | `cycles.rs` | stacks that depend on each other in a cycle |
//! | rules | [`Rule`]s added with [`crate::Target::add_rule`] or [`crate::App::rule`] | domain and cross-layer rules, seeing the whole target |

mod check_blocks;
mod cycles;
pub(crate) mod depth;
mod duplicates;
mod ephemeral;
mod graph;
mod identifiers;
mod meta;
mod modules;
mod moved_import;
mod numbers;
pub(crate) mod overrides;
mod providers;
pub(crate) mod raw_refs;
mod refactor;
mod references;
mod reported;
mod schema;
mod sensitivity;
mod variables;
mod versions;

#[cfg(test)]
mod bad_input_tests;
#[cfg(test)]
mod language_tests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::schema::SchemaSet;
use crate::sites::{visit_stack, Declarations};
use crate::stack::Stack;
use crate::target::Target;

pub use identifiers::is_valid_identifier;

/// A check added from outside core: a construct crate's domain rule, or a
/// cross-layer rule that sees every stack and file of a target.
///
/// ```
/// use terrane_core::checks::{Rule, TargetView};
/// use terrane_core::{App, Diagnostic, Error, GenericResource, RequiredProvider, Stack};
///
/// /// Buckets must be few: a made-up rule for the example.
/// struct AtMostOneBucket;
/// impl Rule for AtMostOneBucket {
///     fn name(&self) -> &str {
///         "at-most-one-bucket"
///     }
///     fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
///         for stack in target.stacks() {
///             let buckets = stack.blocks().filter(|b| b.ty == "aws_s3_bucket").count();
///             if buckets > 1 {
///                 out.push(Diagnostic::new(format!("{buckets} buckets")).stack(stack.name()));
///             }
///         }
///     }
/// }
///
/// let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
/// let mut app = App::new();
/// app.target("dev", "dev", move |t| {
///     let mut s = Stack::new("main");
///     s.add("a", GenericResource::new("aws_s3_bucket").provider(aws.clone()));
///     s.add("b", GenericResource::new("aws_s3_bucket").provider(aws.clone()));
///     t.add_stack(s);
///     t.add_rule(AtMostOneBucket);
/// });
/// let Err(Error::Checks(d)) = app.synth("dev") else { panic!() };
/// assert_eq!(d.lines(), ["error: [dev/main] 2 buckets"]);
/// ```
pub trait Rule: Send + Sync {
    /// A short name that says what the rule is about (`k8s/probes`).
    fn name(&self) -> &str;
    /// Checks the target and pushes every problem found into `out`; diagnostics
    /// without a target get this target's name.
    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>);
}

/// A [`Rule`] made of a name and a function, for rules that keep no state.
///
/// ```
/// use terrane_core::checks::rule_fn;
/// use terrane_core::{Diagnostic, Target};
/// let mut t = Target::new("dev");
/// t.add_rule(rule_fn("one-stack", |target, out| {
///     if target.stacks().len() > 1 {
///         out.push(Diagnostic::warning("more than one stack"));
///     }
/// }));
/// ```
pub fn rule_fn<F>(name: &'static str, check: F) -> FnRule<F>
where
    F: Fn(&TargetView<'_>, &mut Vec<Diagnostic>) + Send + Sync,
{
    FnRule { name, check }
}

/// The [`Rule`] [`rule_fn`] makes.
pub struct FnRule<F> {
    name: &'static str,
    check: F,
}

impl<F> Rule for FnRule<F>
where
    F: Fn(&TargetView<'_>, &mut Vec<Diagnostic>) + Send + Sync,
{
    fn name(&self) -> &str {
        self.name
    }
    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        (self.check)(target, out)
    }
}

/// What a [`Rule`] sees: a whole target after overrides, with its extra files.
pub struct TargetView<'a> {
    name: &'a str,
    stacks: &'a [Stack],
    files: &'a BTreeMap<String, String>,
}

impl<'a> TargetView<'a> {
    /// The target's name.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// Its stacks, in the order added.
    pub fn stacks(&self) -> &'a [Stack] {
        self.stacks
    }
    /// The files of its file sets (Kubernetes manifests), by path under the
    /// target (`k8s/base/workloads.yaml`).
    pub fn files(&self) -> &'a BTreeMap<String, String> {
        self.files
    }
}

/// The kinds of names a stack declares besides its blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DeclKind {
    Variable,
    Local,
    Module,
    Output,
}

impl DeclKind {
    /// The address prefix (`var`).
    fn prefix(self) -> &'static str {
        match self {
            DeclKind::Variable => "var",
            DeclKind::Local => "local",
            DeclKind::Module => "module",
            DeclKind::Output => "output",
        }
    }
    /// The word in messages (`variable`).
    fn noun(self) -> &'static str {
        match self {
            DeclKind::Variable => "variable",
            DeclKind::Local => "local",
            DeclKind::Module => "module",
            DeclKind::Output => "output",
        }
    }
}

/// Every variable, local, module and output name of a stack, in that order.
fn declared_names(s: &Stack) -> impl Iterator<Item = (DeclKind, &str)> {
    let vars = s
        .variables
        .iter()
        .map(|v| (DeclKind::Variable, v.name.as_str()));
    let locals = s.locals.iter().map(|(n, _)| (DeclKind::Local, n.as_str()));
    let modules = s
        .modules
        .iter()
        .map(|(n, _)| (DeclKind::Module, n.as_str()));
    let outputs = s
        .outputs
        .iter()
        .map(|(n, _)| (DeclKind::Output, n.as_str()));
    vars.chain(locals).chain(modules).chain(outputs)
}

/// What the checks of one stack read.
pub(crate) struct StackCx<'a> {
    /// The target's name.
    pub target: &'a str,
    /// The stack's position in the target.
    pub si: usize,
    /// The stack.
    pub stack: &'a Stack,
    /// What every stack of the target declares.
    pub decl: &'a Declarations<'a>,
    /// The provider schemas.
    pub schemas: &'a SchemaSet,
    /// The Terraform version the target deploys with, if declared.
    pub terraform_version: Option<&'a str>,
}

impl StackCx<'_> {
    /// A diagnostic located in this stack.
    pub(crate) fn diag(&self, address: &str, field: &str, message: String) -> Diagnostic {
        Diagnostic::new(message)
            .target(self.target)
            .stack(self.stack.name.clone())
            .address(address)
            .field(field)
    }
}

/// The checks of the app itself: target names.
pub(crate) fn app_checks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for name in names {
        duplicates::target(name, &mut seen, &mut out);
        identifiers::target_name(name, &mut out);
    }
    out
}

/// What the check phase reads besides the target.
pub(crate) struct CheckInput<'a> {
    /// What every stack declares.
    pub decl: &'a Declarations<'a>,
    /// The provider schemas.
    pub schemas: &'a SchemaSet,
    /// Per stack, the stacks it depends on (from collect).
    pub deps: &'a [BTreeSet<usize>],
    /// The files the file sets rendered.
    pub files: &'a BTreeMap<String, String>,
    /// What the file sets reported.
    pub file_diagnostics: &'a [Diagnostic],
    /// Rules of the app, run after the target's own.
    pub app_rules: &'a [Arc<dyn Rule>],
}

/// Runs every check on `target`, in the order of the table above, and returns
/// the apply order of its stacks (empty when they form a cycle).
pub(crate) fn run(
    target: &Target,
    input: &CheckInput<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let tname = target.name.as_str();
    if target.stacks.is_empty() {
        out.push(Diagnostic::new("target has no stacks").target(tname));
    }
    let mut seen = BTreeSet::new();
    for s in &target.stacks {
        identifiers::stack_name(tname, s, out);
        duplicates::stack(tname, s, &mut seen, out);
    }
    for (si, stack) in target.stacks.iter().enumerate() {
        let cx = StackCx {
            target: tname,
            si,
            stack,
            decl: input.decl,
            schemas: input.schemas,
            terraform_version: target.terraform_version.as_deref(),
        };
        stack_checks(&cx, out);
    }
    out.extend(input.file_diagnostics.iter().cloned());
    let order = match cycles::apply_order(tname, &target.stacks, input.deps) {
        Ok(order) => order,
        Err(d) => {
            out.push(*d);
            Vec::new()
        }
    };
    run_rules(target, input, out);
    order
}

/// The checks of one stack, family by family.
fn stack_checks(cx: &StackCx<'_>, out: &mut Vec<Diagnostic>) {
    reported::check(cx, out);
    providers::check(cx, out);
    identifiers::check(cx, out);
    duplicates::check(cx, out);
    meta::check(cx, out);
    modules::check(cx, out);
    // One walk over the stack's expressions serves these three families.
    let mut graph = graph::Graph::new(cx);
    visit_stack(cx.stack, &mut |site| {
        references::check(cx, site, out);
        numbers::check(cx, site, out);
        graph.add(cx, site, out);
    });
    graph.report_cycles(cx, out);
    variables::check(cx, out);
    sensitivity::check(cx, out);
    moved_import::check(cx, out);
    refactor::check(cx, out);
    check_blocks::check(cx, out);
    ephemeral::check(cx, out);
    versions::check(cx, cx.terraform_version, out);
    schema::check(cx, out);
}

/// The target's rules, then the app's.
fn run_rules(target: &Target, input: &CheckInput<'_>, out: &mut Vec<Diagnostic>) {
    let view = TargetView {
        name: &target.name,
        stacks: &target.stacks,
        files: input.files,
    };
    let rules = target
        .rules
        .iter()
        .map(|r| &**r)
        .chain(input.app_rules.iter().map(|r| &**r));
    for rule in rules {
        let start = out.len();
        rule.check(&view, out);
        for d in &mut out[start..] {
            if d.target.is_none() {
                d.target = Some(target.name.clone());
            }
        }
    }
}
