//! Helpers the construct tests share: placeholder references and a one-stack target
//! whose problems are returned as lines.

use terrane_core::{App, Error, Expr, Stack, Target, Value};

/// A raw reference (`var.x`) as a string expression.
pub fn raw(s: &str) -> Expr<String> {
    Expr::raw(s)
}

/// `n` subnet ids, each a variable of the test stack.
pub fn subnets(n: usize) -> Vec<Value<String>> {
    (0..n)
        .map(|i| raw(&format!("var.subnet_{i}")).into())
        .collect()
}

/// Synthesizes a one-stack target built by `build` and returns the problem lines.
pub fn problems(build: impl Fn(&mut Stack) + Send + Sync + 'static) -> Vec<String> {
    let mut app = App::new();
    app.target("t", "test", move |t: &mut Target| {
        let mut s = Stack::new("s");
        for v in [
            "subnet_0", "subnet_1", "subnet_2", "vpc", "key", "nodes", "token",
        ] {
            s.variable(v, terrane_core::Variable::<String>::new().default("x"));
        }
        build(&mut s);
        t.add_stack(s);
    });
    match app.synth("t") {
        Ok(_) => Vec::new(),
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => panic!("{e}"),
    }
}

/// Fails unless `expected` is one of `lines`.
pub fn assert_problem(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l == expected),
        "expected\n  {expected}\nin\n  {}",
        lines.join("\n  ")
    );
}
