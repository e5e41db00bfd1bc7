//! String templates from typed parts: [`Interpolate`] (what may stand in a template),
//! [`Interpolable`] (which expression types Terraform can interpolate) and [`crate::tmpl!`].

use super::{Expr, Value};
use crate::number::Number;
use crate::syntax::{Node, Part};

impl Expr<String> {
    /// A string template mixing literal text and expressions; see [`crate::tmpl!`].
    pub fn template(parts: Vec<Part>) -> Self {
        Expr::from_node(Node::Template(parts))
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
        Part::Interp(self.node_arc())
    }
}
impl<T: Interpolable> Interpolate for &Expr<T> {
    fn into_part(self) -> Part {
        Part::Interp(self.node_arc())
    }
}
impl Interpolate for Value<String> {
    fn into_part(self) -> Part {
        match self {
            Value::Lit(s) => Part::Lit(s),
            Value::Expr(e) => Part::Interp(e.node_arc()),
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
