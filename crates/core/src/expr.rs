//! Typed Terraform expressions as a tree: [`Expr<T>`], [`Value<T>`] and the collection types.
//!
//! Nothing here is a placeholder string: an expression is rendered to `${...}` only
//! when the stack is written, and a literal string can never interpolate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::number::Number;
use crate::tree::{ToTree, Tree};

/// Identity of a [`crate::Stack`], carried by every reference so that a reference
/// into another stack is found at synth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId(pub(crate) u64);

impl StackId {
    pub(crate) fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        StackId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a reference points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// `TYPE.NAME`
    Resource {
        /// Resource type, `aws_vpc`.
        ty: Arc<str>,
        /// Resource name, `main`.
        name: Arc<str>,
    },
    /// `data.TYPE.NAME`
    Data {
        /// Data source type.
        ty: Arc<str>,
        /// Data source name.
        name: Arc<str>,
    },
    /// `var.NAME`
    Var(Arc<str>),
    /// `local.NAME`
    Local(Arc<str>),
    /// `module.NAME`
    Module(Arc<str>),
    /// `each.key`
    EachKey,
    /// `each.value`
    EachValue,
    /// `count.index`
    CountIndex,
    /// `data.terraform_remote_state.STACK.outputs.NAME` (made by the app for cross-stack references).
    RemoteOutput {
        /// The producing stack's name.
        stack: Arc<str>,
        /// The output's name.
        output: Arc<str>,
    },
}

/// One step after the subject of a reference: `.attr` or `[index]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `.name`
    Attr(Arc<str>),
    /// `[expr]`
    Index(Box<Node>),
    /// `[*]`
    Splat,
}

/// A reference to something declared in a stack.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The stack that declared the subject; `None` for `each`/`count`, which belong
    /// to whatever block uses them.
    pub stack: Option<StackId>,
    /// What is referred to.
    pub subject: Subject,
    /// Attribute and index steps.
    pub path: Vec<Step>,
    /// The value is sensitive (a sensitive variable or attribute).
    pub sensitive: bool,
}

/// Binary operators of the Terraform language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinOp {
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

/// One part of a string template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Literal text, escaped when written.
    Lit(String),
    /// `${expr}`
    Interp(Node),
}

/// An untyped expression node. [`Expr<T>`] wraps it with its Terraform type.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number literal.
    Num(Number),
    /// A string literal (escaped when written).
    Str(String),
    /// `[a, b]`
    List(Vec<Node>),
    /// `{ key = value }`
    Object(Vec<(String, Node)>),
    /// A reference to a resource, data source, variable, local, module, `each` or `count`.
    Ref(Reference),
    /// A function call.
    Call(Arc<str>, Vec<Node>),
    /// A string template mixing literals and expressions.
    Template(Vec<Part>),
    /// `expr[index]` / `expr.attr` on an arbitrary expression.
    Path(Box<Node>, Vec<Step>),
    /// `cond ? a : b`
    Cond(Box<Node>, Box<Node>, Box<Node>),
    /// `a OP b`
    Bin(BinOp, Box<Node>, Box<Node>),
    /// `!a`
    Not(Box<Node>),
    /// `-a`
    Neg(Box<Node>),
    /// `[for k, v in coll : expr if cond]` or the object form; rendered as given.
    For(Box<ForExpr>),
    /// Verbatim Terraform expression text ([`Expr::raw`]).
    Raw(String),
}

/// A `for` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    /// Key variable name (or index for lists), if used.
    pub key_var: Option<String>,
    /// Value variable name.
    pub value_var: String,
    /// The collection iterated.
    pub collection: Node,
    /// For the object form, the key expression.
    pub key_expr: Option<Node>,
    /// The value expression.
    pub value_expr: Node,
    /// Optional filter.
    pub cond: Option<Node>,
}

/// Escapes literal text so that Terraform never interpolates it: `${` → `$${`, `%{` → `%%{`.
///
/// ```
/// assert_eq!(terrane_core::escape_template("a ${b} %{c}"), "a $${b} %%{c}");
/// ```
pub fn escape_template(s: &str) -> String {
    if !s.contains("${") && !s.contains("%{") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if (c == b'$' || c == b'%') && bytes.get(i + 1) == Some(&b'{') {
            out.push(c as char);
        }
        // push the char (utf-8 safe: find char boundary)
        let ch_len = utf8_len(c);
        out.push_str(&s[i..i + ch_len]);
        i += ch_len;
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Writes a quoted HCL string literal (inside an expression).
fn write_hcl_string(out: &mut String, s: &str) {
    out.push('"');
    for ch in escape_template(s).chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// How references are written; the app maps references into other stacks to remote state.
pub(crate) trait RefRenderer {
    /// Returns replacement text for a reference, or None to render it as is.
    fn rewrite(&self, r: &Reference) -> Option<String>;
}

/// Renders references as they are.
pub(crate) struct Plain;
impl RefRenderer for Plain {
    fn rewrite(&self, _: &Reference) -> Option<String> {
        None
    }
}

impl Node {
    /// Terraform expression text of this node (without `${}`), references as declared.
    pub fn to_hcl(&self) -> String {
        let mut s = String::new();
        self.write_hcl(&mut s, &Plain);
        s
    }

    pub(crate) fn write_hcl(&self, out: &mut String, rr: &dyn RefRenderer) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Num(n) => {
                let _ = write!(out, "{n}");
            }
            Node::Str(s) => write_hcl_string(out, s),
            Node::List(items) => {
                out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    it.write_hcl(out, rr);
                }
                out.push(']');
            }
            Node::Object(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if is_identifier(k) {
                        out.push_str(k);
                    } else {
                        write_hcl_string(out, k);
                    }
                    out.push_str(" = ");
                    v.write_hcl(out, rr);
                }
                out.push('}');
            }
            Node::Ref(r) => write_reference(out, r, rr),
            Node::Call(name, args) => {
                out.push_str(name);
                out.push('(');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    a.write_hcl(out, rr);
                }
                out.push(')');
            }
            Node::Template(parts) => {
                out.push('"');
                write_template_body(out, parts, rr, true);
                out.push('"');
            }
            Node::Path(base, steps) => {
                let needs_paren = !matches!(
                    **base,
                    Node::Ref(_) | Node::Call(..) | Node::Path(..) | Node::Raw(_)
                );
                if needs_paren {
                    out.push('(');
                }
                base.write_hcl(out, rr);
                if needs_paren {
                    out.push(')');
                }
                write_steps(out, steps, rr);
            }
            Node::Cond(c, a, b) => {
                out.push('(');
                c.write_hcl(out, rr);
                out.push_str(" ? ");
                a.write_hcl(out, rr);
                out.push_str(" : ");
                b.write_hcl(out, rr);
                out.push(')');
            }
            Node::Bin(op, a, b) => {
                out.push('(');
                a.write_hcl(out, rr);
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                b.write_hcl(out, rr);
                out.push(')');
            }
            Node::Not(a) => {
                out.push('!');
                a.write_hcl(out, rr);
            }
            Node::Neg(a) => {
                out.push('-');
                a.write_hcl(out, rr);
            }
            Node::For(f) => {
                let object = f.key_expr.is_some();
                out.push(if object { '{' } else { '[' });
                out.push_str("for ");
                if let Some(k) = &f.key_var {
                    out.push_str(k);
                    out.push_str(", ");
                }
                out.push_str(&f.value_var);
                out.push_str(" in ");
                f.collection.write_hcl(out, rr);
                out.push_str(" : ");
                if let Some(k) = &f.key_expr {
                    k.write_hcl(out, rr);
                    out.push_str(" => ");
                }
                f.value_expr.write_hcl(out, rr);
                if let Some(c) = &f.cond {
                    out.push_str(" if ");
                    c.write_hcl(out, rr);
                }
                out.push(if object { '}' } else { ']' });
            }
            Node::Raw(s) => out.push_str(s),
        }
    }

    /// Calls `f` on every reference inside this node, depth first.
    pub fn visit_refs<'a>(&'a self, f: &mut dyn FnMut(&'a Reference)) {
        match self {
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) | Node::Raw(_) => {}
            Node::List(items) => items.iter().for_each(|n| n.visit_refs(f)),
            Node::Object(items) => items.iter().for_each(|(_, n)| n.visit_refs(f)),
            Node::Ref(r) => {
                f(r);
                for s in &r.path {
                    if let Step::Index(n) = s {
                        n.visit_refs(f);
                    }
                }
            }
            Node::Call(_, args) => args.iter().for_each(|n| n.visit_refs(f)),
            Node::Template(parts) => {
                for p in parts {
                    if let Part::Interp(n) = p {
                        n.visit_refs(f);
                    }
                }
            }
            Node::Path(b, steps) => {
                b.visit_refs(f);
                for s in steps {
                    if let Step::Index(n) = s {
                        n.visit_refs(f);
                    }
                }
            }
            Node::Cond(a, b, c) => {
                a.visit_refs(f);
                b.visit_refs(f);
                c.visit_refs(f);
            }
            Node::Bin(_, a, b) => {
                a.visit_refs(f);
                b.visit_refs(f);
            }
            Node::Not(a) | Node::Neg(a) => a.visit_refs(f),
            Node::For(fe) => {
                fe.collection.visit_refs(f);
                if let Some(k) = &fe.key_expr {
                    k.visit_refs(f);
                }
                fe.value_expr.visit_refs(f);
                if let Some(c) = &fe.cond {
                    c.visit_refs(f);
                }
            }
        }
    }

    /// Calls `f` on every raw expression text inside this node.
    pub fn visit_raw<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            Node::Raw(s) => f(s),
            Node::List(items) => items.iter().for_each(|n| n.visit_raw(f)),
            Node::Object(items) => items.iter().for_each(|(_, n)| n.visit_raw(f)),
            Node::Ref(r) => {
                for s in &r.path {
                    if let Step::Index(n) = s {
                        n.visit_raw(f);
                    }
                }
            }
            Node::Call(_, args) => args.iter().for_each(|n| n.visit_raw(f)),
            Node::Template(parts) => {
                for p in parts {
                    if let Part::Interp(n) = p {
                        n.visit_raw(f);
                    }
                }
            }
            Node::Path(b, steps) => {
                b.visit_raw(f);
                for s in steps {
                    if let Step::Index(n) = s {
                        n.visit_raw(f);
                    }
                }
            }
            Node::Cond(a, b, c) => {
                a.visit_raw(f);
                b.visit_raw(f);
                c.visit_raw(f);
            }
            Node::Bin(_, a, b) => {
                a.visit_raw(f);
                b.visit_raw(f);
            }
            Node::Not(a) | Node::Neg(a) => a.visit_raw(f),
            Node::For(fe) => {
                fe.collection.visit_raw(f);
                fe.value_expr.visit_raw(f);
                if let Some(k) = &fe.key_expr {
                    k.visit_raw(f);
                }
                if let Some(c) = &fe.cond {
                    c.visit_raw(f);
                }
            }
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) => {}
        }
    }

    /// True when the node is a literal without any reference or call.
    pub fn is_literal(&self) -> bool {
        match self {
            Node::Null | Node::Bool(_) | Node::Num(_) | Node::Str(_) => true,
            Node::List(items) => items.iter().all(Node::is_literal),
            Node::Object(items) => items.iter().all(|(_, n)| n.is_literal()),
            _ => false,
        }
    }
}

pub(crate) fn write_template_body(
    out: &mut String,
    parts: &[Part],
    rr: &dyn RefRenderer,
    in_hcl_string: bool,
) {
    for p in parts {
        match p {
            Part::Lit(s) => {
                if in_hcl_string {
                    // inside a quoted HCL string: quote-escape and template-escape.
                    let mut q = String::new();
                    write_hcl_string(&mut q, s);
                    out.push_str(&q[1..q.len() - 1]);
                } else {
                    out.push_str(&escape_template(s));
                }
            }
            Part::Interp(n) => {
                out.push_str("${");
                n.write_hcl(out, rr);
                out.push('}');
            }
        }
    }
}

pub(crate) fn write_steps(out: &mut String, steps: &[Step], rr: &dyn RefRenderer) {
    for s in steps {
        match s {
            Step::Attr(a) => {
                out.push('.');
                out.push_str(a);
            }
            Step::Index(n) => {
                out.push('[');
                n.write_hcl(out, rr);
                out.push(']');
            }
            Step::Splat => out.push_str("[*]"),
        }
    }
}

fn write_reference(out: &mut String, r: &Reference, rr: &dyn RefRenderer) {
    if let Some(text) = rr.rewrite(r) {
        out.push_str(&text);
        return;
    }
    write_subject(out, &r.subject);
    write_steps(out, &r.path, rr);
}

pub(crate) fn write_subject(out: &mut String, s: &Subject) {
    match s {
        Subject::Resource { ty, name } => {
            out.push_str(ty);
            out.push('.');
            out.push_str(name);
        }
        Subject::Data { ty, name } => {
            out.push_str("data.");
            out.push_str(ty);
            out.push('.');
            out.push_str(name);
        }
        Subject::Var(n) => {
            out.push_str("var.");
            out.push_str(n);
        }
        Subject::Local(n) => {
            out.push_str("local.");
            out.push_str(n);
        }
        Subject::Module(n) => {
            out.push_str("module.");
            out.push_str(n);
        }
        Subject::EachKey => out.push_str("each.key"),
        Subject::EachValue => out.push_str("each.value"),
        Subject::CountIndex => out.push_str("count.index"),
        Subject::RemoteOutput { stack, output } => {
            out.push_str("data.terraform_remote_state.");
            out.push_str(stack);
            out.push_str(".outputs.");
            out.push_str(output);
        }
    }
}

/// Address text of a subject (`aws_vpc.main`, `var.region`).
pub fn subject_address(s: &Subject) -> String {
    let mut out = String::new();
    write_subject(&mut out, s);
    out
}

/// A Terraform expression whose value has type `T`.
///
/// `T` is the Terraform type seen from Rust: `String`, [`Number`], `bool`,
/// [`List<T>`], [`Set<T>`], [`Map<T>`], or a generated object type. Passing an
/// `Expr<bool>` where a string is expected does not compile:
///
/// ```compile_fail
/// use terrane_core::{Expr, Value};
/// fn wants_string(_: impl Into<Value<String>>) {}
/// let b: Expr<bool> = Expr::raw("var.enabled");
/// wants_string(b);
/// ```
///
/// ```
/// use terrane_core::Expr;
/// let region: Expr<String> = Expr::raw("var.region");
/// assert_eq!(region.to_hcl(), "var.region");
/// ```
pub struct Expr<T> {
    node: Arc<Node>,
    _ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Expr {
            node: self.node.clone(),
            _ty: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({})", self.to_hcl())
    }
}

impl<T> PartialEq for Expr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T> Expr<T> {
    /// Wraps a node with a type. Used by generated code and constructs; prefer the
    /// typed helpers.
    pub fn from_node(node: Node) -> Self {
        Expr {
            node: Arc::new(node),
            _ty: PhantomData,
        }
    }

    /// The escape hatch: Terraform expression text, used verbatim (no `${}`).
    /// References inside it are still checked at synth (`var.x`, `local.x`,
    /// `module.x`, `data.t.n` and resource addresses must exist in the stack).
    pub fn raw(text: impl Into<String>) -> Self {
        Self::from_node(Node::Raw(text.into()))
    }

    /// The expression tree.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The shared expression tree (cheap to clone).
    pub fn node_arc(&self) -> Arc<Node> {
        self.node.clone()
    }

    /// Terraform expression text as declared (references into other stacks are
    /// rewritten only when the app writes the stack).
    pub fn to_hcl(&self) -> String {
        self.node.to_hcl()
    }

    /// Reinterprets the type. Use only where Terraform converts the value itself
    /// (a number where a string is wanted, for example).
    pub fn cast<U>(self) -> Expr<U> {
        Expr {
            node: self.node,
            _ty: PhantomData,
        }
    }

    /// An attribute of an object-valued expression, with its type.
    pub fn attr<U>(&self, name: &str) -> Expr<U> {
        Expr::from_node(push_step(&self.node, Step::Attr(name.into())))
    }

    /// `self[index]` on an untyped value; prefer [`Expr::at`] and [`Expr::get`].
    pub fn index_raw<U>(&self, index: Node) -> Expr<U> {
        Expr::from_node(push_step(&self.node, Step::Index(Box::new(index))))
    }

    /// `a == b`
    pub fn equals(&self, other: impl Into<Value<T>>) -> Expr<bool>
    where
        T: ToTree,
    {
        bin(BinOp::Eq, self.node().clone(), other.into().into_node())
    }

    /// `a != b`
    pub fn not_equals(&self, other: impl Into<Value<T>>) -> Expr<bool>
    where
        T: ToTree,
    {
        bin(BinOp::Ne, self.node().clone(), other.into().into_node())
    }

    /// `self[*]` then the rest through `f`: `aws_subnet.private[*].id`.
    pub fn splat<U>(&self, attr: &str) -> Expr<List<U>> {
        let n = push_step(&self.node, Step::Splat);
        Expr::from_node(push_step(&n, Step::Attr(attr.into())))
    }
}

pub(crate) fn push_step(node: &Node, step: Step) -> Node {
    match node {
        Node::Ref(r) => {
            let mut r = r.clone();
            r.path.push(step);
            Node::Ref(r)
        }
        Node::Path(b, steps) => {
            let mut steps = steps.clone();
            steps.push(step);
            Node::Path(b.clone(), steps)
        }
        other => Node::Path(Box::new(other.clone()), vec![step]),
    }
}

fn bin<T>(op: BinOp, a: Node, b: Node) -> Expr<T> {
    Expr::from_node(Node::Bin(op, Box::new(a), Box::new(b)))
}

/// A list of `T`: `list(T)` in Terraform. Elements may be literals or expressions.
pub type List<T> = Vec<Value<T>>;

/// A map from string keys to `T`: `map(T)`. `BTreeMap` keeps the output in a stable order.
pub type Map<T> = BTreeMap<String, Value<T>>;

/// A set of `T`: `set(T)`. Unlike a list it cannot be indexed; use [`Expr::to_list`].
#[derive(Debug, Clone, PartialEq)]
pub struct Set<T>(pub Vec<Value<T>>);

/// An untyped value (`any`): a tree of literals and expressions, such as a JSON policy.
pub type Dynamic = Tree;

impl<T> Expr<List<T>> {
    /// `list[i]`
    pub fn at(&self, i: impl Into<Value<Number>>) -> Expr<T> {
        Expr::from_node(push_step(
            &self.node,
            Step::Index(Box::new(i.into().into_node())),
        ))
    }
    /// `length(list)`
    pub fn length(&self) -> Expr<Number> {
        Expr::from_node(Node::Call("length".into(), vec![self.node().clone()]))
    }
    /// `toset(list)`
    pub fn to_set(&self) -> Expr<Set<T>> {
        Expr::from_node(Node::Call("toset".into(), vec![self.node().clone()]))
    }
}

impl<T> Expr<Set<T>> {
    /// `tolist(set)`
    pub fn to_list(&self) -> Expr<List<T>> {
        Expr::from_node(Node::Call("tolist".into(), vec![self.node().clone()]))
    }
    /// `length(set)`
    pub fn length(&self) -> Expr<Number> {
        Expr::from_node(Node::Call("length".into(), vec![self.node().clone()]))
    }
}

impl<T> Expr<Map<T>> {
    /// `map["key"]`
    pub fn get(&self, key: impl Into<Value<String>>) -> Expr<T> {
        Expr::from_node(push_step(
            &self.node,
            Step::Index(Box::new(key.into().into_node())),
        ))
    }
}

impl Expr<Number> {
    /// `a + b`
    pub fn add(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        bin(BinOp::Add, self.node().clone(), b.into().into_node())
    }
    /// `a - b`
    pub fn sub(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        bin(BinOp::Sub, self.node().clone(), b.into().into_node())
    }
    /// `a * b`
    pub fn mul(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        bin(BinOp::Mul, self.node().clone(), b.into().into_node())
    }
    /// `a / b`
    pub fn div(&self, b: impl Into<Value<Number>>) -> Expr<Number> {
        bin(BinOp::Div, self.node().clone(), b.into().into_node())
    }
    /// `a > b`
    pub fn gt(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        bin(BinOp::Gt, self.node().clone(), b.into().into_node())
    }
    /// `a >= b`
    pub fn ge(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        bin(BinOp::Ge, self.node().clone(), b.into().into_node())
    }
    /// `a < b`
    pub fn lt(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        bin(BinOp::Lt, self.node().clone(), b.into().into_node())
    }
    /// `a <= b`
    pub fn le(&self, b: impl Into<Value<Number>>) -> Expr<bool> {
        bin(BinOp::Le, self.node().clone(), b.into().into_node())
    }
}

impl Expr<bool> {
    /// `a && b`
    pub fn and(&self, b: impl Into<Value<bool>>) -> Expr<bool> {
        bin(BinOp::And, self.node().clone(), b.into().into_node())
    }
    /// `a || b`
    pub fn or(&self, b: impl Into<Value<bool>>) -> Expr<bool> {
        bin(BinOp::Or, self.node().clone(), b.into().into_node())
    }
    /// `!a`
    pub fn not(&self) -> Expr<bool> {
        Expr::from_node(Node::Not(Box::new(self.node().clone())))
    }
    /// `self ? a : b`
    pub fn then<U: ToTree>(&self, a: impl Into<Value<U>>, b: impl Into<Value<U>>) -> Expr<U> {
        Expr::from_node(Node::Cond(
            Box::new(self.node().clone()),
            Box::new(a.into().into_node()),
            Box::new(b.into().into_node()),
        ))
    }
}

impl Expr<String> {
    /// A string template mixing literal text and expressions; see [`crate::tmpl!`].
    pub fn template(parts: Vec<Part>) -> Self {
        Expr::from_node(Node::Template(parts))
    }
}

/// An argument value: a literal `T` or an expression of type `T`.
///
/// ```
/// use terrane_core::{Value, Expr};
/// let a: Value<String> = "us-central1".into();
/// let b: Value<String> = Expr::<String>::raw("var.region").into();
/// assert!(matches!(a, Value::Lit(_)));
/// assert!(matches!(b, Value::Expr(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// A literal.
    Lit(T),
    /// An expression.
    Expr(Expr<T>),
}

impl<T: ToTree> Value<T> {
    /// The expression node of this value (literals become literal nodes).
    pub fn into_node(self) -> Node {
        match self {
            Value::Lit(t) => t.to_tree().into_node(),
            Value::Expr(e) => e.node().clone(),
        }
    }
    /// The literal, if this is one.
    pub fn as_lit(&self) -> Option<&T> {
        match self {
            Value::Lit(t) => Some(t),
            Value::Expr(_) => None,
        }
    }
}

impl<T> From<Expr<T>> for Value<T> {
    fn from(e: Expr<T>) -> Self {
        Value::Expr(e)
    }
}
impl<T> From<&Expr<T>> for Value<T> {
    fn from(e: &Expr<T>) -> Self {
        Value::Expr(e.clone())
    }
}
impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Value::Lit(s.to_string())
    }
}
impl From<String> for Value<String> {
    fn from(s: String) -> Self {
        Value::Lit(s)
    }
}
impl From<&String> for Value<String> {
    fn from(s: &String) -> Self {
        Value::Lit(s.clone())
    }
}
impl From<bool> for Value<bool> {
    fn from(b: bool) -> Self {
        Value::Lit(b)
    }
}
impl From<Number> for Value<Number> {
    fn from(n: Number) -> Self {
        Value::Lit(n)
    }
}
macro_rules! num_value_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Value<Number> {
            fn from(v: $t) -> Self { Value::Lit(Number::from(v)) }
        }
    )*};
}
num_value_from!(i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

impl<T, X: Into<Value<T>>> From<Vec<X>> for Value<List<T>> {
    fn from(v: Vec<X>) -> Self {
        Value::Lit(v.into_iter().map(Into::into).collect())
    }
}
impl<T, X: Into<Value<T>>, const N: usize> From<[X; N]> for Value<List<T>> {
    fn from(v: [X; N]) -> Self {
        Value::Lit(v.into_iter().map(Into::into).collect())
    }
}
impl<T, X: Into<Value<T>>> From<Vec<X>> for Value<Set<T>> {
    fn from(v: Vec<X>) -> Self {
        Value::Lit(Set(v.into_iter().map(Into::into).collect()))
    }
}
impl<T, X: Into<Value<T>>, const N: usize> From<[X; N]> for Value<Set<T>> {
    fn from(v: [X; N]) -> Self {
        Value::Lit(Set(v.into_iter().map(Into::into).collect()))
    }
}
impl<T, K: Into<String>, X: Into<Value<T>>> From<BTreeMap<K, X>> for Value<Map<T>> {
    fn from(m: BTreeMap<K, X>) -> Self {
        Value::Lit(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
impl<T, K: Into<String>, X: Into<Value<T>>, const N: usize> From<[(K, X); N]> for Value<Map<T>> {
    fn from(m: [(K, X); N]) -> Self {
        Value::Lit(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
impl From<Tree> for Value<Dynamic> {
    fn from(t: Tree) -> Self {
        Value::Lit(t)
    }
}

/// Something that can stand in a string template: literal text or an expression.
pub trait Interpolate {
    /// The template part.
    fn into_part(self) -> Part;
}
impl Interpolate for &str {
    fn into_part(self) -> Part {
        Part::Lit(self.to_string())
    }
}
impl Interpolate for String {
    fn into_part(self) -> Part {
        Part::Lit(self)
    }
}
impl Interpolate for &String {
    fn into_part(self) -> Part {
        Part::Lit(self.clone())
    }
}
impl<T: Interpolable> Interpolate for Expr<T> {
    fn into_part(self) -> Part {
        Part::Interp(self.node().clone())
    }
}
impl<T: Interpolable> Interpolate for &Expr<T> {
    fn into_part(self) -> Part {
        Part::Interp(self.node().clone())
    }
}
impl Interpolate for Value<String> {
    fn into_part(self) -> Part {
        match self {
            Value::Lit(s) => Part::Lit(s),
            Value::Expr(e) => Part::Interp(e.node().clone()),
        }
    }
}
impl Interpolate for &Value<String> {
    fn into_part(self) -> Part {
        self.clone().into_part()
    }
}
impl Interpolate for Number {
    fn into_part(self) -> Part {
        Part::Lit(self.to_string())
    }
}
macro_rules! interp_num {
    ($($t:ty),*) => {$(
        impl Interpolate for $t {
            fn into_part(self) -> Part { Part::Lit(Number::from(self).to_string()) }
        }
    )*};
}
interp_num!(i32, i64, u16, u32, u64, usize, f64);

/// Types whose values Terraform can interpolate into a string.
pub trait Interpolable {}
impl Interpolable for String {}
impl Interpolable for Number {}
impl Interpolable for bool {}

/// Splits a format string with `{}` placeholders into template parts.
/// Used by [`crate::tmpl!`]; `{{` and `}}` stand for literal braces.
#[doc(hidden)]
pub fn build_template(fmt: &str, args: Vec<Part>) -> Expr<String> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut args = args.into_iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                match args.next() {
                    Some(Part::Lit(s)) => lit.push_str(&s),
                    Some(p) => {
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(p);
                    }
                    None => {}
                }
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Expr::template(parts)
}

/// Counts `{}` placeholders at compile time (`{{`/`}}` are escapes).
#[doc(hidden)]
pub const fn count_placeholders(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        if b[i] == b'{' && i + 1 < b.len() && b[i + 1] == b'{' {
            i += 2;
            continue;
        }
        if b[i] == b'}' && i + 1 < b.len() && b[i + 1] == b'}' {
            i += 2;
            continue;
        }
        if b[i] == b'{' && i + 1 < b.len() && b[i + 1] == b'}' {
            n += 1;
            i += 2;
            continue;
        }
        i += 1;
    }
    n
}

/// A string template, `format!`-style: `{}` takes the next argument, which may be
/// literal text, a number or an `Expr` of a string, number or bool. The number of
/// arguments is checked at compile time. Arguments are borrowed, as with `format!`.
///
/// ```
/// use terrane_core::{tmpl, Expr};
/// let domain: Expr<String> = Expr::raw("var.domain");
/// let url = tmpl!("https://{}/health", domain);
/// assert_eq!(url.to_hcl(), r#""https://${var.domain}/health""#);
/// ```
///
/// ```compile_fail
/// use terrane_core::{tmpl, Expr};
/// let d: Expr<String> = Expr::raw("var.domain");
/// let url = tmpl!("https://{}/{}", d); // two placeholders, one argument
/// ```
#[macro_export]
macro_rules! tmpl {
    (@unit $e:expr) => { () };
    ($fmt:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = assert!(
            $crate::count_placeholders($fmt) == <[()]>::len(&[$($crate::tmpl!(@unit $arg)),*]),
            "tmpl!: the number of `{{}}` placeholders differs from the number of arguments"
        );
        // Arguments are taken by reference, as with `format!`.
        $crate::build_template($fmt, vec![$($crate::Interpolate::into_part(::core::clone::Clone::clone(&$arg))),*])
    }};
}
