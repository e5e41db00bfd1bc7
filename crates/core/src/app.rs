//! [`App`] of named targets, [`Target`] of stacks, and extra per-target files
//! ([`FileSet`], e.g. Kubernetes manifests).

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::schema::SchemaSet;
use crate::stack::Stack;
use crate::synth::{synth_target, Synthesized};

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
    pub(crate) exporter:
        &'a mut dyn FnMut(&crate::Node) -> std::result::Result<TerraformOutput, String>,
    pub(crate) target: &'a str,
    pub(crate) declared_outputs: &'a std::collections::BTreeSet<String>,
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
    pub fn declared_outputs(&self) -> &std::collections::BTreeSet<String> {
        self.declared_outputs
    }
}

/// One environment of one platform: its stacks, applied in dependency order, and
/// its extra files.
pub struct Target {
    pub(crate) name: String,
    pub(crate) stacks: Vec<Stack>,
    pub(crate) files: Vec<Box<dyn FileSet>>,
}

impl Target {
    /// An empty target (the app makes these; public for tests and custom drivers).
    pub fn new(name: &str) -> Self {
        Target {
            name: name.to_string(),
            stacks: Vec::new(),
            files: Vec::new(),
        }
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
    /// Adds extra files (Kubernetes manifests).
    pub fn add_files(&mut self, files: impl FileSet + 'static) -> &mut Self {
        self.files.push(Box::new(files));
        self
    }
    /// The stacks, in the order added.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }
}

type BuildFn = Arc<dyn Fn(&mut Target) + Send + Sync>;

struct TargetDef {
    name: String,
    description: String,
    build: BuildFn,
}

/// Summary of a target for `terrane list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    /// Name.
    pub name: String,
    /// One-line description.
    pub description: String,
}

/// The named targets of a project. A target is built only when asked for, so
/// synthesizing `prod` never runs `staging`'s code.
///
/// ```
/// use terrane_core::{App, GenericResource, RequiredProvider, Stack};
/// let mut app = App::new();
/// app.target("dev", "a tiny dev target", |t| {
///     let mut s = Stack::new("main");
///     s.add(
///         "logs",
///         GenericResource::new("aws_cloudwatch_log_group")
///             .provider(RequiredProvider::new("aws", "hashicorp/aws", "5.100.0"))
///             .arg("name", "/dev/app")
///             .arg("retention_in_days", 30),
///     );
///     t.add_stack(s);
/// });
/// let out = app.synth("dev").unwrap();
/// assert!(out.file("main/main.tf.json").unwrap().contains("\"retention_in_days\": 30"));
/// ```
#[derive(Default)]
pub struct App {
    targets: Vec<TargetDef>,
    schemas: SchemaSet,
}

impl App {
    /// An app with no targets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a target built by `build` when it is synthesized.
    pub fn target(
        &mut self,
        name: &str,
        description: &str,
        build: impl Fn(&mut Target) + Send + Sync + 'static,
    ) -> &mut Self {
        self.targets.push(TargetDef {
            name: name.to_string(),
            description: description.to_string(),
            build: Arc::new(build),
        });
        self
    }

    /// Adds provider schemas for the offline schema check.
    pub fn schemas(&mut self, s: SchemaSet) -> &mut Self {
        self.schemas.extend(s);
        self
    }

    /// The registered schemas.
    pub fn schema_set(&self) -> &SchemaSet {
        &self.schemas
    }

    /// The targets, in registration order.
    pub fn targets(&self) -> Vec<TargetInfo> {
        self.targets
            .iter()
            .map(|t| TargetInfo {
                name: t.name.clone(),
                description: t.description.clone(),
            })
            .collect()
    }

    /// Builds a target's stacks without checking or rendering (for `list`).
    pub fn build(&self, name: &str) -> Result<Target> {
        let def = self.find(name)?;
        let mut t = Target::new(&def.name);
        (def.build)(&mut t);
        Ok(t)
    }

    fn find(&self, name: &str) -> Result<&TargetDef> {
        self.targets
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| Error::UnknownTarget {
                name: name.to_string(),
                known: self
                    .targets
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Builds, checks and renders one target in memory. Every problem is returned
    /// at once as [`Error::Checks`].
    pub fn synth(&self, name: &str) -> Result<Synthesized> {
        let mut diags = self.app_checks();
        let target = self.build(name)?;
        match synth_target(target, &self.schemas) {
            Ok(s) if diags.is_empty() => Ok(s),
            Ok(_) => Err(Error::Checks(Diagnostics(diags))),
            Err(mut d) => {
                diags.append(&mut d);
                Err(Error::Checks(Diagnostics(diags)))
            }
        }
    }

    /// Synthesizes several targets; all are checked before any is returned, and all
    /// problems of all targets are reported together.
    pub fn synth_many(&self, names: &[String]) -> Result<Vec<Synthesized>> {
        let mut diags = self.app_checks();
        let mut out = Vec::new();
        for n in names {
            let target = self.build(n)?;
            match synth_target(target, &self.schemas) {
                Ok(s) => out.push(s),
                Err(mut d) => diags.append(&mut d),
            }
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(Error::Checks(Diagnostics(diags)))
        }
    }

    fn app_checks(&self) -> Vec<Diagnostic> {
        let mut seen = BTreeSet::new();
        let mut diags = Vec::new();
        for t in &self.targets {
            if !seen.insert(t.name.as_str()) {
                diags.push(
                    Diagnostic::new(format!("target `{}` is defined more than once", t.name))
                        .target(t.name.clone()),
                );
            }
            if !crate::check::is_valid_name(&t.name) {
                diags.push(
                    Diagnostic::new(format!(
                        "target name `{}` is not valid: use letters, digits, `_` and `-`, starting with a letter",
                        t.name
                    ))
                    .target(t.name.clone()),
                );
            }
        }
        diags
    }
}
