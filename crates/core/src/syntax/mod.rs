//! The untyped syntax tree of Terraform expressions ([`Node`] and its parts) and its
//! HCL printer: the bottom layer, which the typed `Expr<T>` API wraps and never the reverse.
//!
//! One file per compound expression, as hcl-rs does; printing lives in `print` and
//! `escape`, walking in [`crate::visit`].

mod escape;
mod for_expr;
mod node;
mod operation;
mod print;
mod reference;
mod template;

pub use escape::escape_template;
pub(crate) use escape::escape_template_cow;
pub use for_expr::ForExpr;
pub use node::Node;
pub use operation::BinOp;
pub use print::subject_address;
pub(crate) use print::{write_steps, write_subject, write_template_body, Plain, RefRenderer};
pub use reference::{Reference, StackId, Step, Subject};
pub use template::Part;
