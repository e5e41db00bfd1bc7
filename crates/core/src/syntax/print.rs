//! The HCL printer: Terraform expression text of a [`Node`] (without `${}`), and the
//! body of a string template. References pass through a [`RefRenderer`] so that synth
//! can rewrite references into other stacks.

use std::fmt::Write as _;
use std::sync::Arc;

use super::escape::{escape_template_cow, is_identifier, write_hcl_string, write_hcl_string_body};
use super::{BinOp, ForExpr, Node, Part, Reference, Step, Subject};

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
                write_separated(out, items, rr);
                out.push(']');
            }
            Node::Object(entries) => write_object(out, entries, rr),
            Node::Ref(r) => write_reference(out, r, rr),
            Node::Call(name, args) => {
                out.push_str(name);
                out.push('(');
                write_separated(out, args, rr);
                out.push(')');
            }
            Node::Template(parts) => {
                out.push('"');
                write_template_body(out, parts, rr, true);
                out.push('"');
            }
            Node::Path(base, steps) => write_path(out, base, steps, rr),
            Node::Cond(c, a, b) => write_conditional(out, [c, a, b], rr),
            Node::Bin(op, a, b) => write_binary(out, *op, a, b, rr),
            Node::Not(a) => {
                out.push('!');
                a.write_hcl(out, rr);
            }
            Node::Neg(a) => {
                out.push('-');
                a.write_hcl(out, rr);
            }
            Node::For(f) => write_for(out, f, rr),
            Node::Raw(s) => out.push_str(s),
        }
    }
}

/// `a, b, c`
fn write_separated(out: &mut String, items: &[Arc<Node>], rr: &dyn RefRenderer) {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        it.write_hcl(out, rr);
    }
}

/// `{key = value, "not-an-identifier" = value}`
fn write_object(out: &mut String, entries: &[(String, Arc<Node>)], rr: &dyn RefRenderer) {
    out.push('{');
    for (i, (k, v)) in entries.iter().enumerate() {
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

/// `base.attr[0]`; a base that is not itself a traversal is parenthesized.
fn write_path(out: &mut String, base: &Node, steps: &[Step], rr: &dyn RefRenderer) {
    let needs_paren = !matches!(
        base,
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

/// `(cond ? a : b)`
fn write_conditional(out: &mut String, [c, a, b]: [&Arc<Node>; 3], rr: &dyn RefRenderer) {
    out.push('(');
    c.write_hcl(out, rr);
    out.push_str(" ? ");
    a.write_hcl(out, rr);
    out.push_str(" : ");
    b.write_hcl(out, rr);
    out.push(')');
}

/// `(a OP b)`: always parenthesized, so precedence never depends on the context.
fn write_binary(out: &mut String, op: BinOp, a: &Node, b: &Node, rr: &dyn RefRenderer) {
    out.push('(');
    a.write_hcl(out, rr);
    out.push(' ');
    out.push_str(op.symbol());
    out.push(' ');
    b.write_hcl(out, rr);
    out.push(')');
}

/// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value if cond}`.
fn write_for(out: &mut String, f: &ForExpr, rr: &dyn RefRenderer) {
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

/// The body of a template: literal text escaped, expressions as `${...}`. Inside a
/// quoted HCL string (`in_hcl_string`) quotes and backslashes are escaped too; in a
/// JSON string value the JSON writer does that.
pub(crate) fn write_template_body(
    out: &mut String,
    parts: &[Part],
    rr: &dyn RefRenderer,
    in_hcl_string: bool,
) {
    for p in parts {
        match p {
            Part::Lit(s) if in_hcl_string => write_hcl_string_body(out, s),
            Part::Lit(s) => out.push_str(&escape_template_cow(s)),
            Part::Interp(n) => {
                out.push_str("${");
                n.write_hcl(out, rr);
                out.push('}');
            }
        }
    }
}

/// `.attr[index][*]`
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

/// `aws_vpc.main`, `data.t.n`, `var.x`, ...
pub(crate) fn write_subject(out: &mut String, s: &Subject) {
    let parts: [&str; 4] = match s {
        Subject::Resource { ty, name } => ["", ty, ".", name],
        Subject::Data { ty, name } => ["data.", ty, ".", name],
        Subject::Ephemeral { ty, name } => ["ephemeral.", ty, ".", name],
        Subject::Var(n) => ["var.", n, "", ""],
        Subject::Local(n) => ["local.", n, "", ""],
        Subject::Module(n) => ["module.", n, "", ""],
        Subject::EachKey => ["each.key", "", "", ""],
        Subject::EachValue => ["each.value", "", "", ""],
        Subject::CountIndex => ["count.index", "", "", ""],
        Subject::RemoteOutput { stack, output } => {
            ["data.terraform_remote_state.", stack, ".outputs.", output]
        }
    };
    parts.iter().for_each(|p| out.push_str(p));
}

/// Address text of a subject (`aws_vpc.main`, `var.region`).
pub fn subject_address(s: &Subject) -> String {
    let mut out = String::new();
    write_subject(&mut out, s);
    out
}
