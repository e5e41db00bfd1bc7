//! Cross-stack exports: a value one stack reads from another becomes an output of
//! the producer, found again at render time by a hashable [`RefKey`].

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::expr::{subject_address, Node, Reference, StackId, Step, Subject};
use crate::tree::Tree;

/// The identity of an exported reference: its stack, subject and literal path.
/// Two references with the same key read the same output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RefKey {
    stack: StackId,
    subject: SubjectKey,
    path: Vec<StepKey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SubjectKey {
    Resource(Arc<str>, Arc<str>),
    Data(Arc<str>, Arc<str>),
    Var(Arc<str>),
    Local(Arc<str>),
    Module(Arc<str>),
    /// Subjects that are never exported in practice, keyed by their address.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum StepKey {
    Attr(Arc<str>),
    /// A literal index, keyed by its HCL text (`0`, `"a"`).
    Index(String),
    Splat,
}

impl RefKey {
    /// The key of an export prefix (see [`split_export`]); `None` for `each`/`count`.
    pub(crate) fn of(r: &Reference) -> Option<RefKey> {
        let subject = match &r.subject {
            Subject::Resource { ty, name } => SubjectKey::Resource(ty.clone(), name.clone()),
            Subject::Data { ty, name } => SubjectKey::Data(ty.clone(), name.clone()),
            Subject::Var(n) => SubjectKey::Var(n.clone()),
            Subject::Local(n) => SubjectKey::Local(n.clone()),
            Subject::Module(n) => SubjectKey::Module(n.clone()),
            other => SubjectKey::Other(subject_address(other)),
        };
        let path = r
            .path
            .iter()
            .map(|s| match s {
                Step::Attr(a) => StepKey::Attr(a.clone()),
                Step::Index(n) => StepKey::Index(n.to_hcl()),
                Step::Splat => StepKey::Splat,
            })
            .collect();
        Some(RefKey {
            stack: r.stack?,
            subject,
            path,
        })
    }
}

/// Splits a cross-stack reference into the part the producer exports and the steps
/// the consumer applies to it (from the first index that is not a literal on).
pub(crate) fn split_export(r: &Reference) -> (Reference, Vec<Step>) {
    let cut = r
        .path
        .iter()
        .position(|s| matches!(s, Step::Index(n) if !n.is_literal()))
        .unwrap_or(r.path.len());
    let mut prefix = r.clone();
    prefix.path.truncate(cut);
    prefix.sensitive = r.sensitive;
    (prefix, r.path[cut..].to_vec())
}

/// One output a producing stack adds for other stacks (or a file set) to read.
pub(crate) struct Export {
    /// The output's name.
    pub output: Arc<str>,
    /// The exported reference as HCL, for the output's description.
    pub text: String,
    /// The output's value.
    pub node: Node,
    /// Any reader saw a sensitive value.
    pub sensitive: bool,
}

/// Exports of one producing stack.
#[derive(Default)]
pub(crate) struct Exports {
    by_key: FxHashMap<RefKey, usize>,
    list: Vec<Export>,
    /// Output names in use (the stack's own outputs and the exports so far).
    taken: BTreeSet<String>,
    /// The stack's own outputs whose value is a plain reference: a reader of that
    /// reference reads the output the program named instead of an added one.
    declared: FxHashMap<RefKey, Arc<str>>,
}

impl Exports {
    /// Reserves the name of an output the stack declares itself and, when its value
    /// is a plain reference, makes it the output other stacks read that reference from.
    pub(crate) fn declare(&mut self, name: &str, value: &Tree) {
        self.taken.insert(name.to_string());
        if let Tree::Expr(node) = value {
            if let Node::Ref(r) = &**node {
                if let Some(key) = RefKey::of(r) {
                    self.declared.entry(key).or_insert_with(|| name.into());
                }
            }
        }
    }

    /// The exports, in the order first asked for.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Export> {
        self.list.iter()
    }

    /// Exports `prefix` (once per key) and returns its output name.
    pub(crate) fn add(&mut self, key: RefKey, prefix: Reference, sensitive: bool) -> Arc<str> {
        if let Some(name) = self.declared.get(&key) {
            return name.clone();
        }
        if let Some(&i) = self.by_key.get(&key) {
            let e = &mut self.list[i];
            e.sensitive |= sensitive;
            return e.output.clone();
        }
        let node = Node::Ref(prefix);
        let text = node.to_hcl();
        let output: Arc<str> = self.free_name(&text).into();
        self.by_key.insert(key, self.list.len());
        self.list.push(Export {
            output: output.clone(),
            text,
            node,
            sensitive,
        });
        output
    }

    /// An output name derived from the reference text, unique in the stack.
    fn free_name(&mut self, text: &str) -> String {
        let mut base: String = text
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        while base.contains("__") {
            base = base.replace("__", "_");
        }
        let base = base.trim_matches('_').to_string();
        let base = if base.starts_with(|c: char| c.is_ascii_digit()) || base.is_empty() {
            format!("o_{base}")
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Where a consumer reads each exported reference: key -> (producer stack, output).
pub(crate) type ImportMap = FxHashMap<RefKey, (Arc<str>, Arc<str>)>;
