//! [`App`]: the registry of a project's named targets, built only when asked for,
//! with the provider schemas and rules that apply to every target.

use std::sync::Arc;

use crate::checks::{self, Rule};
use crate::diag::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::refactor::{read_baseline, GuardOptions, StatefulTable};
use crate::schema::SchemaSet;
use crate::synth::{synth_target, Baseline};
use crate::target::{Synthesized, Target, TargetInfo};

type BuildFn = Arc<dyn Fn(&mut Target) + Send + Sync>;

struct TargetDef {
    name: String,
    description: String,
    build: BuildFn,
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
    rules: Vec<Arc<dyn Rule>>,
    stateful: StatefulTable,
}

impl App {
    /// An app with no targets.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a target built by `build` when it is synthesized.
    ///
    /// `build` runs each time the target is synthesized (`synth`, `validate`, `diff` and
    /// `--all` may each build it), so it is an `Fn`: it must create its stacks itself.
    /// A `Stack` created outside and moved into the closure cannot be handed to
    /// [`Target::add_stack`] (rustc: E0507, "cannot move out of ..., a captured variable in
    /// an `Fn` closure"). Build stacks inside, or from a function called inside; share
    /// plain configuration (names, CIDRs, a `RequiredProvider`) by cloning it in:
    ///
    /// ```
    /// use terrane_core::{App, Stack};
    /// fn network(env: &str) -> Stack {
    ///     Stack::new(&format!("{env}-network"))
    /// }
    /// let mut app = App::new();
    /// for env in ["dev", "test"] {
    ///     app.target(env, "one per environment", move |t| {
    ///         t.add_stack(network(env));
    ///     });
    /// }
    /// ```
    ///
    /// ```compile_fail,E0507
    /// use terrane_core::{App, Stack};
    /// let mut app = App::new();
    /// let stack = Stack::new("main"); // built once, outside
    /// app.target("dev", "", move |t| {
    ///     t.add_stack(stack); // but the closure may run many times
    /// });
    /// ```
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

    /// Adds a step run after target `name`'s own build, such as a stack's
    /// [`crate::Stack::allow_destroy`] in a copy of a shared target. Unknown names are
    /// an error.
    pub fn amend(
        &mut self,
        name: &str,
        step: impl Fn(&mut Target) + Send + Sync + 'static,
    ) -> Result<&mut Self> {
        let found = self.targets.iter().position(|t| t.name == name);
        let Some(i) = found else {
            return Err(self.find(name).err().unwrap_or(Error::UnknownTarget {
                name: name.to_string(),
                known: String::new(),
            }));
        };
        let first = self.targets[i].build.clone();
        self.targets[i].build = Arc::new(move |t: &mut Target| {
            first(t);
            step(t);
        });
        Ok(self)
    }

    /// Adds provider schemas for the offline schema check.
    pub fn schemas(&mut self, s: SchemaSet) -> &mut Self {
        self.schemas.extend(s);
        self
    }

    /// Adds a rule checked on every target of the app, in the check phase with
    /// every core check (see [`crate::checks`]).
    pub fn rule(&mut self, rule: impl Rule + 'static) -> &mut Self {
        self.rules.push(Arc::new(rule));
        self
    }

    /// Adds stateful resource types (the provider crates' `stateful::table()`, or a
    /// project's own): the synth guard and `terrane diff` protect their data.
    pub fn stateful(&mut self, table: StatefulTable) -> &mut Self {
        self.stateful.extend(table);
        self
    }

    /// The registered stateful types.
    pub fn stateful_table(&self) -> &StatefulTable {
        &self.stateful
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
        let mut diags = checks::app_checks(self.targets.iter().map(|t| t.name.as_str()));
        let target = self.build(name)?;
        match synth_target(target, &self.schemas, &self.rules, None) {
            Ok(s) if diags.is_empty() => Ok(s),
            Ok(mut s) => {
                diags.append(&mut s.warnings);
                Err(Error::Checks(Diagnostics(diags)))
            }
            Err(mut d) => {
                diags.append(&mut d);
                Err(Error::Checks(Diagnostics(diags)))
            }
        }
    }

    /// Synthesizes several targets; all are checked before any is returned, and all
    /// problems of all targets are reported together.
    pub fn synth_many(&self, names: &[String]) -> Result<Vec<Synthesized>> {
        self.synth_each(names, |_| Ok(None), GuardOptions::default())
    }

    /// Like [`App::synth_many`], and each target with a previous output in
    /// `out_dir/<target>/` is compared with it: renamed stateful resources get a
    /// `moved` block, and their destruction or replacement is an error unless the
    /// program allows it ([`crate::Stack::allow_destroy`]). Read before anything is
    /// written, so call it before [`crate::write_targets`].
    pub fn synth_against(
        &self,
        names: &[String],
        out_dir: &std::path::Path,
        options: GuardOptions,
    ) -> Result<Vec<Synthesized>> {
        self.synth_each(names, |name| read_baseline(&out_dir.join(name)), options)
    }

    fn synth_each(
        &self,
        names: &[String],
        baseline_of: impl Fn(&str) -> Result<Option<crate::refactor::TargetModel>>,
        options: GuardOptions,
    ) -> Result<Vec<Synthesized>> {
        let mut diags = checks::app_checks(self.targets.iter().map(|t| t.name.as_str()));
        let mut out = Vec::new();
        for n in names {
            let target = self.build(n)?;
            let model = baseline_of(n)?;
            let baseline = model.as_ref().map(|model| Baseline {
                model,
                table: &self.stateful,
                options,
            });
            match synth_target(target, &self.schemas, &self.rules, baseline.as_ref()) {
                Ok(s) => out.push(s),
                Err(mut d) => diags.append(&mut d),
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            // The warnings of targets that passed are reported with the errors.
            for s in &mut out {
                diags.append(&mut s.warnings);
            }
            Err(Error::Checks(Diagnostics(diags)))
        } else {
            Ok(out)
        }
    }
}
