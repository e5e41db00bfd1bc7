//! The data of one target: its stacks, extra files and rules ([`Target`]), and what
//! synthesizing it produces ([`Synthesized`]). Both the app registry and synth use
//! these types; neither imports the other.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::Rule;
use crate::diag::Diagnostic;
use crate::expr::{Expr, Node};
use crate::stack::Stack;

/// Files a target writes beside its stacks, under `out/<target>/<dir>/`: the hook
/// through which `terrane-k8s` adds Kubernetes manifests.
pub trait FileSet {
    /// Folder under the target's output (`k8s`).
    fn dir(&self) -> &str;
    /// Renders the files (paths relative to [`FileSet::dir`], `/`-separated). Problems
    /// are returned all together; the app adds the target name.
    fn render(
        &self,
        ctx: &mut FileSetContext<'_>,
    ) -> std::result::Result<Vec<(String, String)>, Vec<Diagnostic>>;
    /// Rules that check these files against the rest of the target (Kubernetes
    /// objects against the Helm releases and node groups of its stacks);
    /// [`Target::add_files`] registers them, so adding the files brings their checks.
    fn rules(&self) -> Vec<Box<dyn Rule>> {
        Vec::new()
    }
}

/// Where a Terraform value that a [`FileSet`] needs can be read after apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformOutput {
    /// The stack (folder under the target) whose state holds the value.
    pub stack: String,
    /// The output's name: `terraform -chdir=<stack> output -raw <output>`.
    pub output: String,
}

/// Lets a [`FileSet`] ask for Terraform values (an RDS endpoint, a role ARN) that
/// are known only after apply: each becomes an output of the stack that declares
/// it, and the answer says where a deploy step reads it.
pub struct FileSetContext<'a> {
    pub(crate) exporter: &'a mut dyn FnMut(&Node) -> std::result::Result<TerraformOutput, String>,
    pub(crate) target: &'a str,
    pub(crate) declared_outputs: &'a BTreeSet<String>,
}

impl FileSetContext<'_> {
    /// Registers `value` (a reference to a block, variable or local of a stack of
    /// this target) as an output of its stack.
    pub fn terraform_output<T>(
        &mut self,
        value: &Expr<T>,
    ) -> std::result::Result<TerraformOutput, String> {
        (self.exporter)(value.node())
    }
    /// The target being synthesized.
    pub fn target(&self) -> &str {
        self.target
    }
    /// True when stack `stack` of this target declares an output named `output`
    /// (for values a deploy step reads by name).
    pub fn has_output(&self, stack: &str, output: &str) -> bool {
        self.declared_outputs.contains(&format!("{stack}.{output}"))
    }
    /// Every output the stacks of this target declare, as `stack.output`.
    pub fn declared_outputs(&self) -> &BTreeSet<String> {
        self.declared_outputs
    }
}

/// One environment of one platform: its stacks, applied in dependency order, its
/// extra files, and the domain rules checked with every core check.
pub struct Target {
    pub(crate) name: String,
    pub(crate) stacks: Vec<Stack>,
    pub(crate) files: Vec<Box<dyn FileSet>>,
    pub(crate) rules: Vec<Box<dyn Rule>>,
    pub(crate) terraform_version: Option<String>,
}

impl Target {
    /// An empty target (the app makes these; public for tests and custom drivers).
    pub fn new(name: &str) -> Self {
        Target {
            name: name.to_string(),
            stacks: Vec::new(),
            files: Vec::new(),
            rules: Vec::new(),
            terraform_version: None,
        }
    }
    /// The Terraform version this target deploys with (`1.9`, `1.11.2`): a stack
    /// using a newer feature (an ephemeral block needs 1.10, a write-only argument
    /// 1.11) is a synth error naming the block. Unset, any version is assumed.
    pub fn terraform_version(&mut self, version: &str) -> &mut Self {
        self.terraform_version = Some(version.to_string());
        self
    }
    /// The target's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Adds a stack; the order of adding is the tie-break of the apply order.
    pub fn add_stack(&mut self, stack: Stack) -> &mut Self {
        self.stacks.push(stack);
        self
    }
    /// Adds extra files (Kubernetes manifests) and the rules they bring
    /// ([`FileSet::rules`]).
    pub fn add_files(&mut self, files: impl FileSet + 'static) -> &mut Self {
        self.rules.extend(files.rules());
        self.files.push(Box::new(files));
        self
    }
    /// Adds a domain rule, run in the check phase of this target's synth with
    /// every core check (see [`crate::checks`]).
    pub fn add_rule(&mut self, rule: impl Rule + 'static) -> &mut Self {
        self.rules.push(Box::new(rule));
        self
    }
    /// The stacks, in the order added.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }
    /// The stack named `name`, to change after it was added (see [`crate::App::amend`]).
    pub fn stack_mut(&mut self, name: &str) -> Option<&mut Stack> {
        self.stacks.iter_mut().find(|s| s.name == name)
    }
}

/// Summary of a target for `terrane list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    /// Name.
    pub name: String,
    /// One-line description.
    pub description: String,
}

/// A target rendered in memory: every file it writes, and the stack order.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthesized {
    /// Target name.
    pub target: String,
    /// Files relative to `out/<target>/`, sorted by path.
    pub files: BTreeMap<String, String>,
    /// Stacks in apply order, with the stacks each depends on.
    pub stacks: Vec<StackSummary>,
    /// Problems of [`crate::Severity::Warning`]: worth printing, not worth stopping for.
    pub warnings: Vec<Diagnostic>,
}

/// A stack in the apply order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackSummary {
    /// Stack name.
    pub name: String,
    /// Stacks that must be applied first.
    pub depends_on: Vec<String>,
    /// Number of resources.
    pub resources: usize,
    /// Number of data sources.
    pub data_sources: usize,
}

impl Synthesized {
    /// One file's text by relative path.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}
