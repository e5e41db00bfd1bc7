//! Rule `aws/literal-account-id` (warning): a 12-digit AWS account id written
//! literally into a block's arguments (an ARN, an ECR image URI, a policy principal
//! or condition value) or into a rendered Kubernetes manifest. The stack then works
//! in one account only, and a copy for another environment silently points at the
//! first: read the id from `data.aws_caller_identity` (`account_id`) instead.
//!
//! What counts as an account id (a run of exactly 12 digits):
//! - `:<id>:`, the account field of an ARN (`arn:aws:iam::<id>:root`);
//! - `<id>.dkr.ecr.`, an ECR image URI;
//! - a whole string value that is the id, or `"<id>"` inside a string (a JSON policy
//!   document's principal or condition).
//!
//! Provider configurations are not read: `allowed_account_ids` is where a literal
//! account belongs.

use terrane_core::checks::{Rule, TargetView};
use terrane_core::visit::{walk_template_part, Visit};
use terrane_core::{Diagnostic, Part, Tree};

/// Rule `aws/literal-account-id` (see the module doc).
#[derive(Debug, Clone, Copy, Default)]
pub struct LiteralAccountIds;

impl Rule for LiteralAccountIds {
    fn name(&self) -> &str {
        "aws/literal-account-id"
    }

    fn check(&self, target: &TargetView<'_>, out: &mut Vec<Diagnostic>) {
        for stack in target.stacks() {
            for block in stack.blocks() {
                let mut finder = Finder::default();
                finder.visit_tree(block.body);
                for (field, hit) in finder.hits {
                    out.push(
                        warning(&hit)
                            .target(target.name())
                            .stack(stack.name())
                            .address(block.address())
                            .field(field),
                    );
                }
            }
        }
        for (path, text) in target.files() {
            let (dir, file) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
            for (n, line) in text.lines().enumerate() {
                if let Some(hit) = find(line) {
                    out.push(
                        warning(&hit)
                            .target(target.name())
                            .stack(dir)
                            .address(file)
                            .field(format!("line {}", n + 1)),
                    );
                }
            }
        }
    }
}

fn warning(hit: &Hit) -> Diagnostic {
    Diagnostic::warning(format!(
        "account id {} is written literally {}; read it from data.aws_caller_identity (account_id) so the stack works in any account",
        hit.id, hit.context
    ))
}

/// A literal account id and where in the text it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub id: String,
    pub context: &'static str,
}

/// The first literal account id in `s`, if any.
pub(crate) fn find(s: &str) -> Option<Hit> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start != 12 {
            continue;
        }
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let after = &s[i..];
        let context = match before {
            _ if start == 0 && i == bytes.len() => Some("as a value"),
            Some(b':') if after.starts_with(':') => Some("in an ARN"),
            _ if after.starts_with(".dkr.ecr.") => Some("in an image URI"),
            Some(b'"') if after.starts_with('"') => Some("in a policy document"),
            _ => None,
        };
        if let Some(context) = context {
            return Some(Hit {
                id: s[start..i].to_string(),
                context,
            });
        }
    }
    None
}

/// One step into a body: an object key or a list index.
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks a body, remembering the path of each literal account id found.
#[derive(Default)]
struct Finder<'a> {
    path: Vec<Seg<'a>>,
    hits: Vec<(String, Hit)>,
}

impl Finder<'_> {
    fn text(&mut self, s: &str) {
        if let Some(hit) = find(s) {
            self.hits.push((self.path_string(), hit));
        }
    }
    /// The path as core's diagnostics write it: `statement[0].principals`.
    fn path_string(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        out
    }
}

impl<'a> Visit<'a> for Finder<'a> {
    fn visit_tree_item(&mut self, index: usize, item: &'a Tree) {
        self.path.push(Seg::Index(index));
        self.visit_tree(item);
        self.path.pop();
    }
    fn visit_tree_entry(&mut self, key: &'a str, value: &'a Tree) {
        self.path.push(Seg::Key(key));
        self.visit_tree(value);
        self.path.pop();
    }
    fn visit_tree_string(&mut self, value: &'a str) {
        self.text(value);
    }
    fn visit_string(&mut self, value: &'a str) {
        self.text(value);
    }
    fn visit_template_part(&mut self, part: &'a Part) {
        if let Part::Lit(s) = part {
            self.text(s);
        }
        walk_template_part(self, part);
    }
}
