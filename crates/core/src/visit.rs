//! The one visitor of the untyped syntax tree ([`Node`]) and the output document
//! ([`Tree`]), as hcl-edit's `visit.rs`: override what you look for, the rest walks on.
//!
//! Every method has a default that visits the children through the matching `walk_*`
//! function; an override that still wants the children calls that function itself.
//!
//! ```
//! use terrane_core::visit::{walk_reference, Visit};
//! use terrane_core::{tmpl, Expr, Reference};
//!
//! /// Counts the references of an expression, including those inside index steps.
//! struct CountRefs(usize);
//! impl<'ast> Visit<'ast> for CountRefs {
//!     fn visit_reference(&mut self, r: &'ast Reference) {
//!         self.0 += 1;
//!         walk_reference(self, r);
//!     }
//! }
//!
//! let e = tmpl!("{}-{}", Expr::<String>::raw("var.a"), terrane_core::each_key());
//! let mut count = CountRefs(0);
//! count.visit_node(e.node());
//! assert_eq!(count.0, 1); // `var.a` is raw text, not a reference
//! ```

use std::sync::Arc;

use crate::number::Number;
use crate::syntax::{BinOp, ForExpr, Node, Part, Reference, Step};
use crate::tree::{PathSeg, Tree};

/// A visitor of expression nodes and output documents. Each method's default walks
/// the children in source order; leaves do nothing.
pub trait Visit<'ast> {
    /// Any expression node; the default dispatches to the method of its kind.
    fn visit_node(&mut self, node: &'ast Node) {
        walk_node(self, node);
    }
    /// `null`
    fn visit_null(&mut self) {}
    /// `true` / `false`
    fn visit_bool(&mut self, _value: bool) {}
    /// A number literal inside an expression.
    fn visit_number(&mut self, _value: &'ast Number) {}
    /// A string literal inside an expression.
    fn visit_string(&mut self, _value: &'ast str) {}
    /// `[a, b]`
    fn visit_list(&mut self, items: &'ast [Arc<Node>]) {
        walk_list(self, items);
    }
    /// `{ key = value }`
    fn visit_object(&mut self, entries: &'ast [(String, Arc<Node>)]) {
        walk_object(self, entries);
    }
    /// One `key = value` of an object.
    fn visit_object_entry(&mut self, _key: &'ast str, value: &'ast Node) {
        self.visit_node(value);
    }
    /// A reference; the default visits its steps (index expressions may hold more).
    fn visit_reference(&mut self, reference: &'ast Reference) {
        walk_reference(self, reference);
    }
    /// `.attr`, `[index]` or `[*]`, after a reference or any expression.
    fn visit_step(&mut self, step: &'ast Step) {
        walk_step(self, step);
    }
    /// `name(args...)`
    fn visit_call(&mut self, _name: &'ast str, args: &'ast [Arc<Node>]) {
        walk_list(self, args);
    }
    /// A string template.
    fn visit_template(&mut self, parts: &'ast [Part]) {
        walk_template(self, parts);
    }
    /// One literal or `${...}` part of a template.
    fn visit_template_part(&mut self, part: &'ast Part) {
        walk_template_part(self, part);
    }
    /// `base.attr[index]` on an expression that is not a reference.
    fn visit_path(&mut self, base: &'ast Node, steps: &'ast [Step]) {
        walk_path(self, base, steps);
    }
    /// `cond ? then : otherwise`
    fn visit_conditional(&mut self, cond: &'ast Node, then: &'ast Node, otherwise: &'ast Node) {
        walk_conditional(self, cond, then, otherwise);
    }
    /// `lhs OP rhs`
    fn visit_binary(&mut self, _op: BinOp, lhs: &'ast Node, rhs: &'ast Node) {
        self.visit_node(lhs);
        self.visit_node(rhs);
    }
    /// `!operand`
    fn visit_not(&mut self, operand: &'ast Node) {
        self.visit_node(operand);
    }
    /// `-operand`
    fn visit_neg(&mut self, operand: &'ast Node) {
        self.visit_node(operand);
    }
    /// A `for` expression.
    fn visit_for(&mut self, for_expr: &'ast ForExpr) {
        walk_for(self, for_expr);
    }
    /// Verbatim expression text ([`crate::Expr::raw`]): its references are only text.
    fn visit_raw(&mut self, _text: &'ast str) {}

    /// Any document value; the default dispatches to the method of its kind.
    fn visit_tree(&mut self, tree: &'ast Tree) {
        walk_tree(self, tree);
    }
    /// The item at `index` of a document array.
    fn visit_tree_item(&mut self, _index: usize, item: &'ast Tree) {
        self.visit_tree(item);
    }
    /// The value at `key` of a document object.
    fn visit_tree_entry(&mut self, _key: &'ast str, value: &'ast Tree) {
        self.visit_tree(value);
    }
    /// An expression leaf of a document; the default visits the expression.
    fn visit_tree_expr(&mut self, node: &'ast Node) {
        self.visit_node(node);
    }
    /// A `null` leaf of a document.
    fn visit_tree_null(&mut self) {}
    /// A boolean leaf of a document.
    fn visit_tree_bool(&mut self, _value: bool) {}
    /// A number leaf of a document (JSON cannot hold one that is not finite).
    fn visit_tree_number(&mut self, _value: &'ast Number) {}
    /// A literal string leaf of a document.
    fn visit_tree_string(&mut self, _value: &'ast str) {}
}

/// Dispatches `node` to the visitor method of its kind.
pub fn walk_node<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, node: &'ast Node) {
    match node {
        Node::Null => v.visit_null(),
        Node::Bool(b) => v.visit_bool(*b),
        Node::Num(n) => v.visit_number(n),
        Node::Str(s) => v.visit_string(s),
        Node::List(items) => v.visit_list(items),
        Node::Object(entries) => v.visit_object(entries),
        Node::Ref(r) => v.visit_reference(r),
        Node::Call(name, args) => v.visit_call(name, args),
        Node::Template(parts) => v.visit_template(parts),
        Node::Path(base, steps) => v.visit_path(base, steps),
        Node::Cond(c, a, b) => v.visit_conditional(c, a, b),
        Node::Bin(op, a, b) => v.visit_binary(*op, a, b),
        Node::Not(a) => v.visit_not(a),
        Node::Neg(a) => v.visit_neg(a),
        Node::For(f) => v.visit_for(f),
        Node::Raw(text) => v.visit_raw(text),
    }
}

/// Visits each node in order (list items, call arguments).
pub fn walk_list<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, items: &'ast [Arc<Node>]) {
    for item in items {
        v.visit_node(item);
    }
}

/// Visits each entry of an object in order.
pub fn walk_object<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, entries: &'ast [(String, Arc<Node>)]) {
    for (key, value) in entries {
        v.visit_object_entry(key, value);
    }
}

/// Visits the steps of a reference.
pub fn walk_reference<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, reference: &'ast Reference) {
    for step in &reference.path {
        v.visit_step(step);
    }
}

/// Visits the index expression of a step, if it has one.
pub fn walk_step<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, step: &'ast Step) {
    if let Step::Index(index) = step {
        v.visit_node(index);
    }
}

/// Visits each part of a template.
pub fn walk_template<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, parts: &'ast [Part]) {
    for part in parts {
        v.visit_template_part(part);
    }
}

/// Visits the expression of an interpolation; literal text has none.
pub fn walk_template_part<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, part: &'ast Part) {
    if let Part::Interp(node) = part {
        v.visit_node(node);
    }
}

/// Visits the base of a path, then its steps.
pub fn walk_path<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, base: &'ast Node, steps: &'ast [Step]) {
    v.visit_node(base);
    for step in steps {
        v.visit_step(step);
    }
}

/// Visits the condition, then both branches.
pub fn walk_conditional<'ast, V: Visit<'ast> + ?Sized>(
    v: &mut V,
    cond: &'ast Node,
    then: &'ast Node,
    otherwise: &'ast Node,
) {
    v.visit_node(cond);
    v.visit_node(then);
    v.visit_node(otherwise);
}

/// Visits a `for` expression in source order: collection, key, value, filter.
pub fn walk_for<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, for_expr: &'ast ForExpr) {
    v.visit_node(&for_expr.collection);
    if let Some(key) = &for_expr.key_expr {
        v.visit_node(key);
    }
    v.visit_node(&for_expr.value_expr);
    if let Some(cond) = &for_expr.cond {
        v.visit_node(cond);
    }
}

/// Dispatches a document value to the visitor method of its kind; arrays and objects
/// visit their items and entries in order.
pub fn walk_tree<'ast, V: Visit<'ast> + ?Sized>(v: &mut V, tree: &'ast Tree) {
    match tree {
        Tree::Null => v.visit_tree_null(),
        Tree::Bool(b) => v.visit_tree_bool(*b),
        Tree::Num(n) => v.visit_tree_number(n),
        Tree::Str(s) => v.visit_tree_string(s),
        Tree::Expr(node) => v.visit_tree_expr(node),
        Tree::List(items) => {
            for (i, item) in items.iter().enumerate() {
                v.visit_tree_item(i, item);
            }
        }
        Tree::Object(entries) => {
            for (key, value) in entries {
                v.visit_tree_entry(key, value);
            }
        }
    }
}

impl Node {
    /// Calls `f` on every reference inside this node, depth first.
    pub fn visit_refs<'a>(&'a self, f: &mut dyn FnMut(&'a Reference)) {
        struct Refs<'f, 'a>(&'f mut dyn FnMut(&'a Reference));
        impl<'a> Visit<'a> for Refs<'_, 'a> {
            fn visit_reference(&mut self, r: &'a Reference) {
                (self.0)(r);
                walk_reference(self, r);
            }
        }
        Refs(f).visit_node(self);
    }

    /// Calls `f` on every raw expression text inside this node.
    pub fn visit_raw<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        struct Raws<'f, 'a>(&'f mut dyn FnMut(&'a str));
        impl<'a> Visit<'a> for Raws<'_, 'a> {
            fn visit_raw(&mut self, text: &'a str) {
                (self.0)(text);
            }
        }
        Raws(f).visit_node(self);
    }
}

impl Tree {
    /// Calls `f` on every expression leaf of the tree, with its path (pushed onto
    /// `path`, which is left as it was given).
    pub fn visit_exprs<'a>(
        &'a self,
        path: &mut Vec<PathSeg<'a>>,
        f: &mut dyn FnMut(&[PathSeg<'a>], &'a Node),
    ) {
        self.visit_exprs_noting_non_finite(path, f);
    }

    /// [`Tree::visit_exprs`], and returns whether the tree holds a non-finite number
    /// (so that the checks walk it a second time, for those, only when it does).
    pub(crate) fn visit_exprs_noting_non_finite<'a>(
        &'a self,
        path: &mut Vec<PathSeg<'a>>,
        f: &mut dyn FnMut(&[PathSeg<'a>], &'a Node),
    ) -> bool {
        /// Tracks the path to the current value; does not descend into expressions.
        struct Exprs<'p, 'f, 'a> {
            path: &'p mut Vec<PathSeg<'a>>,
            f: &'f mut dyn FnMut(&[PathSeg<'a>], &'a Node),
            non_finite: bool,
        }
        impl<'a> Visit<'a> for Exprs<'_, '_, 'a> {
            fn visit_tree_item(&mut self, index: usize, item: &'a Tree) {
                self.path.push(PathSeg::Index(index));
                self.visit_tree(item);
                self.path.pop();
            }
            fn visit_tree_entry(&mut self, key: &'a str, value: &'a Tree) {
                self.path.push(PathSeg::Key(key));
                self.visit_tree(value);
                self.path.pop();
            }
            fn visit_tree_expr(&mut self, node: &'a Node) {
                (self.f)(self.path, node);
            }
            fn visit_tree_number(&mut self, value: &'a Number) {
                self.non_finite |= !value.is_finite();
            }
        }
        let mut exprs = Exprs {
            path,
            f,
            non_finite: false,
        };
        exprs.visit_tree(self);
        exprs.non_finite
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::path_string;
    use crate::{count_index, each_key, each_value, tmpl, Expr, List};

    fn for_expr(key: Expr<String>, value: Expr<String>, raw: &str) -> Node {
        Node::For(Arc::new(ForExpr {
            key_var: Some("k".into()),
            value_var: "v".into(),
            collection: Arc::new(Node::Raw(raw.into())),
            key_expr: Some(key.node_arc()),
            value_expr: value.node_arc(),
            cond: Some(Arc::new(Node::Raw("local.cond".into()))),
        }))
    }

    fn ref_texts(node: &Node) -> Vec<String> {
        let mut out = Vec::new();
        node.visit_refs(&mut |r| out.push(Node::Ref(r.clone()).to_hcl()));
        out
    }

    #[test]
    fn references_are_found_everywhere_in_source_order() {
        let list: Expr<List<String>> = Expr::raw("var.names");
        let indexed = list.at(count_index()); // a reference inside an index step
        let t = tmpl!("{}/{}", indexed, each_key());
        let node = for_expr(t, each_value(), "var.xs");
        assert_eq!(
            ref_texts(&node),
            ["count.index", "each.key", "each.value"].map(String::from)
        );
        let mut raws = Vec::new();
        node.visit_raw(&mut |text| raws.push(text));
        assert_eq!(raws, ["var.xs", "var.names", "local.cond"]);
    }

    #[test]
    fn expression_leaves_of_a_tree_come_with_their_path() {
        let doc = Tree::object([
            ("a", Tree::from(1)),
            (
                "b",
                Tree::list([Tree::from("x"), Tree::from(&each_key()), Tree::Null]),
            ),
            ("c", Tree::object([("d", Tree::from(&count_index()))])),
        ]);
        let mut found = Vec::new();
        doc.visit_exprs(&mut Vec::new(), &mut |path, n| {
            found.push((path_string(path), n.to_hcl()))
        });
        assert_eq!(
            found,
            [("b[1]", "each.key"), ("c.d", "count.index")].map(|(p, e)| (p.into(), e.into()))
        );
    }

    #[test]
    fn document_numbers_and_expression_numbers_are_told_apart() {
        #[derive(Default)]
        struct Numbers {
            in_tree: Vec<String>,
            in_exprs: Vec<String>,
        }
        impl<'a> Visit<'a> for Numbers {
            fn visit_tree_number(&mut self, n: &'a Number) {
                self.in_tree.push(n.to_string());
            }
            fn visit_number(&mut self, n: &'a Number) {
                self.in_exprs.push(n.to_string());
            }
        }
        let sum = count_index().add(2);
        let doc = Tree::list([Tree::from(1), Tree::from(&sum), Tree::from(0.5)]);
        let mut numbers = Numbers::default();
        numbers.visit_tree(&doc);
        assert_eq!(numbers.in_tree, ["1", "0.5"]);
        assert_eq!(numbers.in_exprs, ["2"]);
    }

    #[test]
    fn an_override_that_does_not_walk_stops_the_descent() {
        struct Calls(Vec<String>);
        impl<'a> Visit<'a> for Calls {
            fn visit_call(&mut self, name: &'a str, _args: &'a [Arc<Node>]) {
                self.0.push(name.to_string());
            }
        }
        let inner = crate::func::lower(Expr::<String>::raw("var.a"));
        let outer = crate::func::upper(&inner);
        let mut calls = Calls(Vec::new());
        calls.visit_node(outer.node());
        assert_eq!(calls.0, ["upper"]);
    }
}
