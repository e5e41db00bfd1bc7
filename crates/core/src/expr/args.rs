//! `args!`: a struct literal whose every field is converted with `Into`, for the
//! generated `…Args` structs (the required arguments of a type with many of them),
//! whose fields are `Value<T>`: without it each field needs its own `.into()`.

/// A struct literal with `Into::into` applied to every field: write
/// `args!(DbProxyArgs { name: "orders", .. })` where the struct wants `Value<String>`
/// and friends. Every field must be given (as in any struct literal), so leaving a
/// required argument out is still a compile error; a value that does not convert is a
/// compile error naming the field's type.
///
/// ```
/// use terrane_core::{args, Expr, List, Value};
///
/// // The shape of a generated `…Args` struct.
/// struct ProxyArgs {
///     name: Value<String>,
///     port: Value<terrane_core::Number>,
///     subnets: Value<List<String>>,
/// }
/// let subnet: Expr<String> = Expr::raw("aws_subnet.a.id");
/// let a = args!(ProxyArgs { name: "orders", port: 5432, subnets: [subnet] });
/// assert!(matches!(a.name, Value::Lit(ref n) if n == "orders"));
/// ```
///
/// ```compile_fail
/// use terrane_core::{args, Value};
/// struct ProxyArgs { name: Value<String>, role: Value<String> }
/// let a = args!(ProxyArgs { name: "orders" }); // `role` left out
/// ```
#[macro_export]
macro_rules! args {
    ($($ty:ident)::+ { $($field:ident : $value:expr),* $(,)? }) => {
        $($ty)::+ { $($field: ::core::convert::Into::into($value)),* }
    };
}
