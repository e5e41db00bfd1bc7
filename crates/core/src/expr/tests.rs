//! The typed layer shares subtrees: wrapping an expression never copies it.

use std::sync::Arc;

use crate::visit::{walk_node, Visit};
use crate::{
    count_index, func, tmpl, Dynamic, Expr, ForExpr, List, Map, Node, Number, Tree, Value,
};

/// The addresses of the nodes one level below `node` (operands, arguments, template
/// parts, index expressions...), found with the visitor without descending further.
fn direct_children(node: &Node) -> Vec<*const Node> {
    struct Direct(Vec<*const Node>);
    impl<'a> Visit<'a> for Direct {
        fn visit_node(&mut self, node: &'a Node) {
            self.0.push(node as *const Node);
        }
    }
    let mut direct = Direct(Vec::new());
    walk_node(&mut direct, node);
    direct.0
}

/// True when `outer` holds `inner`'s node itself, not a copy of it.
fn shares<A, B>(outer: &Expr<A>, inner: &Expr<B>) -> bool {
    direct_children(outer.node()).contains(&Arc::as_ptr(&inner.node_arc()))
}

/// Drops a chain of nested expressions outermost first: each drop then frees one level,
/// where dropping the innermost handles first would free 10,000 levels recursively.
fn drop_outermost_first<T>(mut chain: Vec<Expr<T>>) {
    while chain.pop().is_some() {}
}

const WRAPS: usize = 10_000;

#[test]
fn ten_thousand_nested_number_wraps_share_every_level() {
    let mut chain: Vec<Expr<Number>> = vec![Expr::raw("var.n")];
    for i in 0..WRAPS {
        let last = &chain[chain.len() - 1];
        let next = match i % 5 {
            0 => last.add(1),
            1 => last.gt(0).then(last, 0),
            2 => func::coalesce(vec![last.into(), 0.into()]),
            3 => Expr::<List<Number>>::from_node(Node::List(vec![last.node_arc()])).at(last),
            _ => func::lookup(Expr::<Map<Number>>::raw("var.m"), "k", last),
        };
        chain.push(next);
    }
    // (no Debug of a failing level: printing 10,000 levels would recurse as deep)
    for (level, pair) in chain.windows(2).enumerate() {
        assert!(
            shares(&pair[1], &pair[0]),
            "level {level} copied its operand"
        );
    }
    // Each level was wrapped once and is held by its own handle and by its wrapper
    // (twice where it stands on both sides, as in `last[last]` and `cond ? last : 0`).
    assert!(Arc::strong_count(&chain[0].node_arc()) >= 3);
    drop_outermost_first(chain);
}

#[test]
fn ten_thousand_nested_templates_and_documents_share_every_level() {
    let mut chain: Vec<Expr<String>> = vec![Expr::raw("var.name")];
    for i in 0..WRAPS {
        let last = &chain[chain.len() - 1];
        let next = match i % 4 {
            0 => tmpl!("{}-x", last),
            1 => func::lower(last),
            2 => {
                let doc: Value<Dynamic> = Tree::object([("k", Tree::from(last))]).into();
                Expr::from_node_arc(doc.into_node_arc())
            }
            _ => count_index().gt(1).then(last, "none"),
        };
        chain.push(next);
    }
    // (no Debug of a failing level: printing 10,000 levels would recurse as deep)
    for (level, pair) in chain.windows(2).enumerate() {
        assert!(
            shares(&pair[1], &pair[0]),
            "level {level} copied its operand"
        );
    }
    drop_outermost_first(chain);
}

#[test]
fn paths_on_expressions_share_their_base() {
    let base: Expr<List<String>> = func::split(",", Expr::<String>::raw("var.csv"));
    let first = base.at(0);
    let Node::Path(b, _) = first.node() else {
        panic!("{:?}", first.node())
    };
    assert!(Arc::ptr_eq(b, &base.node_arc()));
    // a further step extends the same path, still on the shared base
    let attr: Expr<String> = first.attr("x");
    let Node::Path(b2, steps) = attr.node() else {
        panic!("{:?}", attr.node())
    };
    assert!(Arc::ptr_eq(b2, &base.node_arc()));
    assert_eq!(steps.len(), 2);
    assert_eq!(attr.to_hcl(), r#"split(",", var.csv)[0].x"#);
}

#[test]
fn into_node_copies_one_level_only() {
    let a: Expr<Number> = Expr::raw("var.a");
    let sum = a.add(1);
    let held = sum.clone();
    let node = Value::from(sum).into_node();
    let Node::Bin(_, lhs, _) = &node else {
        panic!("not a binary node")
    };
    assert!(Arc::ptr_eq(lhs, &a.node_arc()));
    // an expression's last handle gives its node up as is
    let ptr = Arc::as_ptr(&held.node_arc());
    assert_eq!(Arc::as_ptr(&Value::from(held).into_node_arc()), ptr);
}

#[test]
fn shared_wraps_render_as_before() {
    let n: Expr<Number> = Expr::raw("var.n");
    let e = n.add(1).mul(n.sub(2)).gt(0).then(n.clone(), 0);
    assert_eq!(
        e.to_hcl(),
        "((((var.n + 1) * (var.n - 2)) > 0) ? var.n : 0)"
    );
    let s = tmpl!("{}/{}", func::lower(Expr::<String>::raw("var.a")), n);
    assert_eq!(s.to_hcl(), r#""${lower(var.a)}/${var.n}""#);
    let not = n.gt(1).not().and(true);
    assert_eq!(not.to_hcl(), "(!(var.n > 1) && true)");
}

#[test]
fn printer_writes_for_expressions_objects_and_paths() {
    let list = Node::For(Arc::new(ForExpr {
        key_var: Some("i".into()),
        value_var: "v".into(),
        collection: Arc::new(Node::Raw("var.xs".into())),
        key_expr: None,
        value_expr: Arc::new(Node::Raw("upper(v)".into())),
        cond: Some(Arc::new(Node::Raw("v != \"\"".into()))),
    }));
    assert_eq!(
        list.to_hcl(),
        r#"[for i, v in var.xs : upper(v) if v != ""]"#
    );
    let object = Node::For(Arc::new(ForExpr {
        key_var: None,
        value_var: "s".into(),
        collection: Arc::new(Node::Raw("var.subnets".into())),
        key_expr: Some(Arc::new(Node::Raw("s.name".into()))),
        value_expr: Arc::new(Node::Raw("s.id".into())),
        cond: None,
    }));
    assert_eq!(object.to_hcl(), "{for s in var.subnets : s.name => s.id}");
    let obj = Node::Object(vec![
        ("plain_key".into(), Arc::new(Node::Num(Number::from(1)))),
        (
            "with space".into(),
            Arc::new(Node::Neg(Arc::new(Node::Num(Number::from(2))))),
        ),
        ("k-${x}".into(), Arc::new(Node::Str("v".into()))),
    ]);
    assert_eq!(
        obj.to_hcl(),
        r#"{plain_key = 1, "with space" = -2, "k-$${x}" = "v"}"#
    );
    let literal_base: Expr<List<Number>> =
        Expr::from_node(Node::List(vec![Arc::new(Node::Num(Number::from(1)))]));
    assert_eq!(literal_base.at(0).to_hcl(), "([1])[0]");
}

#[test]
fn borrowed_collections_and_iterators_convert_to_lists_sets_and_maps() {
    use crate::{Set, ToTree};
    use std::collections::BTreeMap;
    fn list(v: impl Into<Value<List<String>>>) -> Tree {
        v.into().to_tree()
    }
    fn set(v: impl Into<Value<Set<String>>>) -> Tree {
        v.into().to_tree()
    }
    fn map(v: impl Into<Value<Map<String>>>) -> Tree {
        v.into().to_tree()
    }
    let names = vec!["a".to_string(), "b".to_string()];
    let expected = Tree::list([Tree::from("a"), Tree::from("b")]);
    assert_eq!(list(&names), expected);
    assert_eq!(list(names.as_slice()), expected);
    assert_eq!(set(&names), expected);
    assert_eq!(
        list(
            names
                .iter()
                .map(|n| n.to_uppercase())
                .collect::<Value<List<String>>>()
        ),
        Tree::list([Tree::from("A"), Tree::from("B")])
    );
    let tags: BTreeMap<&str, &str> = [("team", "data")].into();
    assert_eq!(map(&tags), Tree::object([("team", Tree::from("data"))]));
    assert_eq!(
        map(tags
            .iter()
            .map(|(k, v)| (*k, format!("{v}!")))
            .collect::<Value<Map<String>>>()),
        Tree::object([("team", Tree::from("data!"))])
    );
    // The originals are still usable: nothing was moved.
    assert_eq!(names.len(), 2);
}
