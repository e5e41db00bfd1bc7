//! The check of one block body against its block schema: arguments, required ones,
//! nested blocks and their counts; attribute values go to [`super::value`].

use terrane_schema::{Block, BlockType, Nesting};

use super::index::{Arg, Seen};
use super::path::Path;
use super::suggest::closest;
use super::value::check_value;
use crate::tree::Tree;

/// One schema problem: argument path and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// Argument path (`template.containers[0].image`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Meta-argument keys, which are not part of a type's schema.
fn is_meta_key(key: &str) -> bool {
    matches!(
        key,
        "count"
            | "for_each"
            | "depends_on"
            | "provider"
            | "lifecycle"
            | "provisioner"
            | "connection"
            | "alias"
    )
}

/// Checks a block body against its schema; returns every problem.
///
/// ```
/// use terrane_core::schema::{check_body, ProviderSchema};
/// use terrane_core::Tree;
/// let schema = ProviderSchema::from_json(r#"{"provider_schemas":{"x/y":{"resource_schemas":{
///   "y_thing":{"block":{"attributes":{"name":{"type":"string","required":true}}}}}}}}"#).unwrap();
/// let problems = check_body(&schema.resources["y_thing"].block, &Tree::object([("nmae", Tree::from("a"))]), true);
/// assert_eq!(problems[0].message, "unknown argument `nmae` (did you mean `name`?)");
/// ```
pub fn check_body(schema: &Block, body: &Tree, top_level: bool) -> Vec<SchemaProblem> {
    BodyCheck::default().check(schema, body, top_level)
}

/// The check of many bodies, which indexes a block schema once it has checked a few
/// blocks of it (see `index.rs`): what synth uses for the blocks of a stack.
#[derive(Default)]
pub(crate) struct BodyCheck<'s> {
    seen: Seen<'s>,
}

impl<'s> BodyCheck<'s> {
    /// [`check_body`], with what earlier bodies taught about their schemas.
    pub(crate) fn check(
        &mut self,
        schema: &'s Block,
        body: &Tree,
        top_level: bool,
    ) -> Vec<SchemaProblem> {
        let mut out = Vec::new();
        self.block(schema, body, &Path::TOP, top_level, &mut out);
        out
    }

    fn block(
        &mut self,
        schema: &'s Block,
        body: &Tree,
        path: &Path<'_>,
        top: bool,
        out: &mut Vec<SchemaProblem>,
    ) {
        let items = match body {
            Tree::Object(items) => items,
            Tree::Expr(_) => {
                problem(out, path, "a block cannot be an expression".into());
                return;
            }
            _ => {
                problem(out, path, "expected a block (an object)".into());
                return;
            }
        };
        let lookup = self.seen.lookup(schema);
        let mut scratch = None;
        for (key, value) in items {
            let key: &str = key;
            if top && is_meta_key(key) {
                continue;
            }
            let p = path.key(key);
            match lookup.arg(key, &mut scratch) {
                Some(Arg::Attribute(a, ty)) => {
                    if a.is_read_only() {
                        problem(
                            out,
                            &p,
                            "is read-only (computed by the provider) and cannot be set".into(),
                        );
                    } else if matches!(value, Tree::Null) {
                        if a.required {
                            problem(out, &p, "is required and cannot be null".into());
                        }
                    } else {
                        check_value(ty, value, &p, out);
                    }
                }
                Some(Arg::Block(bt)) => self.nested(bt, value, &p, out),
                None => {
                    let suggestion = closest(
                        key,
                        schema.attributes.keys().chain(schema.block_types.keys()),
                    );
                    let msg = match suggestion {
                        Some(s) => format!("unknown argument `{key}` (did you mean `{s}`?)"),
                        None => format!("unknown argument `{key}`"),
                    };
                    problem(out, &p, msg);
                }
            }
        }
        lookup.for_each_missing(items, |name, min_items| {
            let message = match min_items {
                None => "missing required argument".to_string(),
                Some(min) => format!("missing required block (at least {min})"),
            };
            problem(out, &path.key(name), message);
        });
    }

    fn nested(
        &mut self,
        bt: &'s BlockType,
        value: &Tree,
        p: &Path<'_>,
        out: &mut Vec<SchemaProblem>,
    ) {
        match value {
            Tree::Object(_) if bt.nesting == Nesting::Map => {
                if let Tree::Object(entries) = value {
                    for (k, v) in entries {
                        self.block(&bt.block, v, &p.key(k), false, out);
                    }
                }
            }
            Tree::Object(_) => {
                if bt.nesting == Nesting::Map {
                    return;
                }
                self.block(&bt.block, value, p, false, out)
            }
            Tree::List(items) => {
                if bt.nesting == Nesting::Single || bt.nesting == Nesting::Group {
                    if items.len() > 1 {
                        problem(
                            out,
                            p,
                            format!("is a single block; {} were given", items.len()),
                        );
                    }
                } else if bt.max_items > 0 && items.len() as u64 > bt.max_items {
                    problem(
                        out,
                        p,
                        format!(
                            "allows at most {} block(s); {} were given",
                            bt.max_items,
                            items.len()
                        ),
                    );
                }
                if (items.len() as u64) < bt.min_items {
                    problem(
                        out,
                        p,
                        format!(
                            "needs at least {} block(s); {} were given",
                            bt.min_items,
                            items.len()
                        ),
                    );
                }
                for (i, it) in items.iter().enumerate() {
                    self.block(&bt.block, it, &p.index(i), false, out);
                }
            }
            Tree::Null => {}
            Tree::Expr(_) => problem(
                out,
                p,
                "is a block; give it as an object (or a list of objects), not an expression".into(),
            ),
            _ => problem(
                out,
                p,
                "is a block; give it as an object (or a list of objects), not as an attribute value"
                    .into(),
            ),
        }
    }
}

pub(super) fn problem(out: &mut Vec<SchemaProblem>, path: &Path<'_>, message: String) {
    out.push(SchemaProblem {
        path: path.render(),
        message,
    });
}
