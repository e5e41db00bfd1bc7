//! Phase 1, collect: links every cross-stack reference to an export of its
//! producer, records the stack dependencies, and renders the target's file sets.
//!
//! Collect judges nothing but the depth of expressions (`checks::depth`, asked at each
//! site of its walk, the first over the expressions, before anything recursive reads
//! one): a reference it cannot link is left for the checks, which report it.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::depth;
use crate::diag::Diagnostic;
use crate::expr::{Node, Reference, Subject};
use crate::sites::{visit_stack, Declarations, Item};
use crate::target::{FileSetContext, Target, TerraformOutput};

use super::exports::{split_export, Exports, ImportMap, RefKey};

/// What collect learns about a target.
pub(crate) struct Collected {
    /// Per stack, the outputs other stacks and file sets read from it.
    pub exports: Vec<Exports>,
    /// Where each consumer reads an exported reference.
    pub imports: ImportMap,
    /// Per stack, the stacks that must be applied first.
    pub deps: Vec<BTreeSet<usize>>,
    /// Per stack, the stacks whose remote state it reads.
    pub reads: Vec<BTreeSet<usize>>,
    /// The files of the target's file sets, by path under the target.
    pub files: BTreeMap<String, String>,
    /// What the file sets reported.
    pub file_diagnostics: Vec<Diagnostic>,
}

/// Collects the links between the stacks of `target`, then renders its file sets
/// (which may export values too). An expression nested too deep stops it: the
/// errors for every such expression are returned, and nothing else is done.
pub(crate) fn collect(
    target: &Target,
    decl: &Declarations<'_>,
) -> Result<Collected, Vec<Diagnostic>> {
    let stacks = &target.stacks;
    let n = stacks.len();
    let mut c = Collected {
        exports: (0..n).map(|_| Exports::default()).collect(),
        imports: ImportMap::default(),
        deps: vec![BTreeSet::new(); n],
        reads: vec![BTreeSet::new(); n],
        files: BTreeMap::new(),
        file_diagnostics: Vec::new(),
    };
    // The stacks' own output names come first, so an export never takes one (and a
    // reader of a value the producer already outputs reads that output).
    for (si, s) in stacks.iter().enumerate() {
        for (name, output) in &s.outputs {
            c.exports[si].declare(name, &output.value);
        }
    }
    let mut deep = Vec::new();
    for (si, s) in stacks.iter().enumerate() {
        visit_stack(s, &mut |site| {
            if let Some(d) = depth::check_site(&target.name, s, site) {
                deep.push(d);
            }
            if !deep.is_empty() {
                return;
            }
            match site.item {
                Item::Expr(node) => node.visit_refs(&mut |r| c.link(decl, si, r)),
                Item::Dependency(r) => c.depend(decl, si, r),
                Item::NonFiniteNumber => {}
            }
        });
    }
    if !deep.is_empty() {
        return Err(deep);
    }
    render_file_sets(target, decl, &mut c);
    Ok(c)
}

impl Collected {
    /// Links a reference of stack `si` that is declared in another stack of the target.
    fn link(&mut self, decl: &Declarations<'_>, si: usize, r: &Reference) {
        let Some(owner) = r.stack else { return };
        let Some(pi) = decl.position(owner).filter(|&pi| pi != si) else {
            return;
        };
        if !decl.declares(pi, &r.subject)
            || matches!(
                r.subject,
                Subject::EachKey | Subject::EachValue | Subject::CountIndex
            )
        {
            return;
        }
        let (prefix, _) = split_export(r);
        let Some(key) = RefKey::of(&prefix) else {
            return;
        };
        let sensitive = r.sensitive || decl.is_sensitive_variable(pi, &r.subject);
        let output = self.exports[pi].add(key.clone(), prefix, sensitive);
        let producer = decl.stacks()[pi].name.as_str().into();
        self.imports.insert(key, (producer, output));
        self.deps[si].insert(pi);
        self.reads[si].insert(pi);
    }

    /// A `depends_on` another stack of the target is met by applying that stack first.
    fn depend(&mut self, decl: &Declarations<'_>, si: usize, r: &Reference) {
        if let Some(pi) = r.stack.and_then(|id| decl.position(id)) {
            if pi != si {
                self.deps[si].insert(pi);
            }
        }
    }
}

/// Renders every file set of the target, exporting what they ask for.
fn render_file_sets(target: &Target, decl: &Declarations<'_>, c: &mut Collected) {
    let tname = target.name.as_str();
    let declared_outputs: BTreeSet<String> = target
        .stacks
        .iter()
        .flat_map(|s| {
            s.outputs
                .iter()
                .map(move |(o, _)| format!("{}.{o}", s.name))
        })
        .collect();
    for fs in &target.files {
        let dir = fs.dir().to_string();
        let exports = &mut c.exports;
        let mut export = |node: &Node| export_for_file_set(tname, decl, exports, node);
        let mut ctx = FileSetContext {
            exporter: &mut export,
            target: tname,
            declared_outputs: &declared_outputs,
        };
        match fs.render(&mut ctx) {
            Ok(files) => {
                for (p, text) in files {
                    c.files.insert(format!("{dir}/{p}"), text);
                }
            }
            Err(ds) => c.file_diagnostics.extend(ds.into_iter().map(|d| {
                if d.target.is_none() {
                    d.target(tname)
                } else {
                    d
                }
            })),
        }
    }
}

/// Exports a value a file set reads after apply, or says why it cannot be read.
fn export_for_file_set(
    tname: &str,
    decl: &Declarations<'_>,
    exports: &mut [Exports],
    node: &Node,
) -> Result<TerraformOutput, String> {
    let Node::Ref(r) = node else {
        return Err(format!(
            "only a reference to a block, variable or local can be read from Terraform; got `{}`",
            node.to_hcl()
        ));
    };
    let Some(owner) = r.stack else {
        return Err("`each`/`count` values cannot be read from Terraform".into());
    };
    let Some(pi) = decl.position(owner) else {
        return Err(format!(
            "`{}` belongs to a stack that is not part of target `{}`",
            node.to_hcl(),
            tname
        ));
    };
    let (prefix, rest) = split_export(r);
    if !rest.is_empty() {
        return Err(format!(
            "`{}` has a computed index and cannot be exported",
            node.to_hcl()
        ));
    }
    let key = RefKey::of(&prefix).ok_or("`each`/`count` values cannot be read from Terraform")?;
    let output = exports[pi].add(key, prefix, r.sensitive);
    Ok(TerraformOutput {
        stack: decl.stacks()[pi].name.clone(),
        output: output.to_string(),
    })
}
