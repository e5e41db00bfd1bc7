//! Typed helpers for Terraform's built-in functions.
//!
//! Each helper takes typed values and returns a typed [`Expr`], so
//! `length` of a string list is a `Number` and `join` wants a list of strings.
//! For a function without a helper, use [`call_fn`].
//!
//! ```
//! use terrane_core::{func, Expr, List};
//! let zones: Expr<List<String>> = Expr::raw("data.aws_availability_zones.available.names");
//! assert_eq!(func::join(",", zones).to_hcl(), r#"join(",", data.aws_availability_zones.available.names)"#);
//! ```

use std::sync::Arc;

use crate::expr::{Dynamic, Expr, List, Map, Node, Set, Value};
use crate::number::Number;
use crate::tree::ToTree;

/// The call node; the arguments are shared with the expressions they came from.
fn call<T>(name: &str, args: Vec<Arc<Node>>) -> Expr<T> {
    Expr::from_node(Node::Call(name.into(), args))
}

/// Any function by name, with the result type given by the caller.
pub fn call_fn<T>(name: &str, args: Vec<Node>) -> Expr<T> {
    call(name, args.into_iter().map(Arc::new).collect())
}

fn n<T: ToTree>(v: impl Into<Value<T>>) -> Arc<Node> {
    v.into().into_node_arc()
}

/// `jsonencode(value)`: a value (often a [`crate::Tree`] policy document) as JSON text.
pub fn jsonencode<T: ToTree>(value: impl Into<Value<T>>) -> Expr<String> {
    call("jsonencode", vec![n(value)])
}

/// `jsonencode` of an untyped document.
pub fn jsonencode_tree(value: impl Into<Value<Dynamic>>) -> Expr<String> {
    call("jsonencode", vec![n(value)])
}

/// `jsondecode(text)`
pub fn jsondecode(text: impl Into<Value<String>>) -> Expr<Dynamic> {
    call("jsondecode", vec![n(text)])
}

/// `join(separator, list)`
pub fn join(sep: impl Into<Value<String>>, list: impl Into<Value<List<String>>>) -> Expr<String> {
    call("join", vec![n(sep), n(list)])
}

/// `split(separator, text)`
pub fn split(sep: impl Into<Value<String>>, text: impl Into<Value<String>>) -> Expr<List<String>> {
    call("split", vec![n(sep), n(text)])
}

/// `lookup(map, key, default)`
pub fn lookup<T: ToTree>(
    map: impl Into<Value<Map<T>>>,
    key: impl Into<Value<String>>,
    default: impl Into<Value<T>>,
) -> Expr<T> {
    call("lookup", vec![n(map), n(key), n(default)])
}

/// `element(list, index)` (wraps around)
pub fn element<T: ToTree>(
    list: impl Into<Value<List<T>>>,
    index: impl Into<Value<Number>>,
) -> Expr<T> {
    call("element", vec![n(list), n(index)])
}

/// Collections whose length Terraform can take.
pub trait HasLength: ToTree {}
impl<T: ToTree> HasLength for List<T> {}
impl<T: ToTree> HasLength for Set<T> {}
impl<T: ToTree> HasLength for Map<T> {}
impl HasLength for String {}

/// `length(collection)`
pub fn length<T: HasLength>(v: impl Into<Value<T>>) -> Expr<Number> {
    call("length", vec![n(v)])
}

/// `cidrsubnet(prefix, newbits, netnum)`
pub fn cidrsubnet(
    prefix: impl Into<Value<String>>,
    newbits: impl Into<Value<Number>>,
    netnum: impl Into<Value<Number>>,
) -> Expr<String> {
    call("cidrsubnet", vec![n(prefix), n(newbits), n(netnum)])
}

/// `coalesce(a, b, ...)`: the first non-null, non-empty argument.
pub fn coalesce<T: ToTree>(values: Vec<Value<T>>) -> Expr<T> {
    call(
        "coalesce",
        values.into_iter().map(Value::into_node_arc).collect(),
    )
}

/// `try(a, b, ...)`: the first expression that evaluates without error.
pub fn try_<T: ToTree>(values: Vec<Value<T>>) -> Expr<T> {
    call(
        "try",
        values.into_iter().map(Value::into_node_arc).collect(),
    )
}

/// Primitive types that `tostring` accepts.
pub trait Primitive: ToTree {}
impl Primitive for String {}
impl Primitive for Number {}
impl Primitive for bool {}

/// `tostring(value)`
pub fn tostring<T: Primitive>(v: impl Into<Value<T>>) -> Expr<String> {
    call("tostring", vec![n(v)])
}

/// `tonumber(text)`
pub fn tonumber(v: impl Into<Value<String>>) -> Expr<Number> {
    call("tonumber", vec![n(v)])
}

/// `merge(map, map, ...)`
pub fn merge<T: ToTree>(maps: Vec<Value<Map<T>>>) -> Expr<Map<T>> {
    call(
        "merge",
        maps.into_iter().map(Value::into_node_arc).collect(),
    )
}

/// `concat(list, list, ...)`
pub fn concat<T: ToTree>(lists: Vec<Value<List<T>>>) -> Expr<List<T>> {
    call(
        "concat",
        lists.into_iter().map(Value::into_node_arc).collect(),
    )
}

/// `keys(map)`
pub fn keys<T: ToTree>(map: impl Into<Value<Map<T>>>) -> Expr<List<String>> {
    call("keys", vec![n(map)])
}

/// `values(map)`
pub fn values<T: ToTree>(map: impl Into<Value<Map<T>>>) -> Expr<List<T>> {
    call("values", vec![n(map)])
}

/// `contains(list, value)`
pub fn contains<T: ToTree>(list: impl Into<Value<List<T>>>, v: impl Into<Value<T>>) -> Expr<bool> {
    call("contains", vec![n(list), n(v)])
}

/// `format(spec, args...)` with Terraform's own verbs.
pub fn format(spec: impl Into<Value<String>>, args: Vec<Node>) -> Expr<String> {
    let mut a = vec![n(spec)];
    a.extend(args.into_iter().map(Arc::new));
    call("format", a)
}

/// `lower(text)`
pub fn lower(s: impl Into<Value<String>>) -> Expr<String> {
    call("lower", vec![n(s)])
}

/// `upper(text)`
pub fn upper(s: impl Into<Value<String>>) -> Expr<String> {
    call("upper", vec![n(s)])
}

/// `replace(text, search, replacement)`
pub fn replace(
    s: impl Into<Value<String>>,
    search: impl Into<Value<String>>,
    replacement: impl Into<Value<String>>,
) -> Expr<String> {
    call("replace", vec![n(s), n(search), n(replacement)])
}

/// `trimsuffix(text, suffix)`: `text` without `suffix` at its end, if it ends so.
pub fn trimsuffix(s: impl Into<Value<String>>, suffix: impl Into<Value<String>>) -> Expr<String> {
    call("trimsuffix", vec![n(s), n(suffix)])
}

/// `base64encode(text)`
pub fn base64encode(s: impl Into<Value<String>>) -> Expr<String> {
    call("base64encode", vec![n(s)])
}

/// `base64decode(text)`
pub fn base64decode(s: impl Into<Value<String>>) -> Expr<String> {
    call("base64decode", vec![n(s)])
}

/// `can(expr)`: true when the expression evaluates without error.
pub fn can<T>(e: &Expr<T>) -> Expr<bool> {
    call("can", vec![e.node_arc()])
}

/// `regex(pattern, text)` returning the first match.
pub fn regex(pattern: impl Into<Value<String>>, s: impl Into<Value<String>>) -> Expr<String> {
    call("regex", vec![n(pattern), n(s)])
}

/// `cidrhost(prefix, hostnum)`
pub fn cidrhost(
    prefix: impl Into<Value<String>>,
    hostnum: impl Into<Value<Number>>,
) -> Expr<String> {
    call("cidrhost", vec![n(prefix), n(hostnum)])
}

/// `sensitive(value)`: marks a value sensitive.
pub fn sensitive<T: ToTree>(v: impl Into<Value<T>>) -> Expr<T> {
    call("sensitive", vec![n(v)])
}

/// `nonsensitive(value)`
pub fn nonsensitive<T: ToTree>(v: impl Into<Value<T>>) -> Expr<T> {
    call("nonsensitive", vec![n(v)])
}
