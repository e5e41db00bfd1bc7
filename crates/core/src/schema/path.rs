//! Argument paths built only when a problem is reported: the check walks every
//! emitted block, and almost none has a problem, so no path string is made up front.

use std::fmt::Write as _;

/// One step below the block's top.
#[derive(Clone, Copy)]
enum Step<'a> {
    /// `.key` (no dot at the top).
    Key(&'a str),
    /// `[i]`
    Index(usize),
    /// `["key"]` (an entry of a map value).
    MapKey(&'a str),
}

/// A path as a chain of steps borrowed from the tree being checked.
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Option<Step<'a>>,
}

impl<'a> Path<'a> {
    /// The block itself (renders as the empty string).
    pub(super) const TOP: Path<'static> = Path {
        parent: None,
        step: None,
    };

    /// `self.key`
    pub(super) fn key(&'a self, key: &'a str) -> Path<'a> {
        self.child(Step::Key(key))
    }

    /// `self[i]`
    pub(super) fn index(&'a self, i: usize) -> Path<'a> {
        self.child(Step::Index(i))
    }

    /// `self["key"]`
    pub(super) fn map_key(&'a self, key: &'a str) -> Path<'a> {
        self.child(Step::MapKey(key))
    }

    fn child(&'a self, step: Step<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Some(step),
        }
    }

    /// The path as the problem reports it (`template.containers[0].image`).
    pub(super) fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            if let Some(s) = p.step {
                steps.push(s);
            }
            at = p.parent;
        }
        let mut out = String::new();
        for s in steps.iter().rev() {
            match s {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Step::MapKey(k) => {
                    let _ = write!(out, "[\"{k}\"]");
                }
            }
        }
        out
    }
}
