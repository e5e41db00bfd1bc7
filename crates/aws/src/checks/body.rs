//! Reading literal values out of block and provider bodies: what the rules compare.
//! A value written as an expression (a variable, a reference) is not known at synth,
//! so each reader says `Value::Expr` and the rules decide what that means.

use terrane_core::checks::TargetView;
use terrane_core::{BlockView, Stack, Tree};

/// A body value as far as synth can know it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a, T> {
    /// Not written: the provider's default applies.
    Absent,
    /// Written literally.
    Literal(T),
    /// Written as an expression (known only at apply).
    Expr(&'a Tree),
}

/// The tree at a dotted path (`vpc_config.endpoint_public_access`). A block written
/// as a one-item list (`vpc_config = [{...}]`) is read through its first item.
pub(crate) fn at<'a>(body: &'a Tree, path: &str) -> Option<&'a Tree> {
    let mut t = body;
    for key in path.split('.') {
        t = match t {
            Tree::List(items) if items.len() == 1 => items[0].get(key)?,
            _ => t.get(key)?,
        };
    }
    Some(t)
}

/// A string argument.
pub(crate) fn string<'a>(body: &'a Tree, path: &str) -> Value<'a, &'a str> {
    match at(body, path) {
        None | Some(Tree::Null) => Value::Absent,
        Some(Tree::Str(s)) => Value::Literal(s),
        Some(other) => Value::Expr(other),
    }
}

/// A boolean argument.
pub(crate) fn boolean<'a>(body: &'a Tree, path: &str) -> Value<'a, bool> {
    match at(body, path) {
        None | Some(Tree::Null) => Value::Absent,
        Some(Tree::Bool(b)) => Value::Literal(*b),
        Some(other) => Value::Expr(other),
    }
}

/// A list or set of strings; `Expr` when it or any item is an expression.
pub(crate) fn strings<'a>(body: &'a Tree, path: &str) -> Value<'a, Vec<&'a str>> {
    match at(body, path) {
        None | Some(Tree::Null) => Value::Absent,
        Some(t @ Tree::List(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Tree::Str(s) => out.push(s.as_str()),
                    _ => return Value::Expr(t),
                }
            }
            Value::Literal(out)
        }
        Some(other) => Value::Expr(other),
    }
}

/// The literal `region` of the `aws` provider configuration a block uses, if
/// written literally.
pub(crate) fn block_region<'a>(stack: &'a Stack, block: &BlockView<'_>) -> Option<&'a str> {
    let (local, alias) = match block.provider {
        Some(p) => (p.local_name(), p.alias()),
        None => ("aws", None),
    };
    let provider = stack
        .providers()
        .find(|p| p.local_name == local && p.alias == alias)?;
    match string(provider.body, "region") {
        Value::Literal(r) => Some(r),
        _ => None,
    }
}

/// The one account every `aws` provider of the stacks allows
/// (`allowed_account_ids = ["123456789012"]`), if they agree on exactly one.
pub(crate) fn provider_account(stacks: &[Stack]) -> Option<&str> {
    let mut found: Option<&str> = None;
    for stack in stacks {
        for p in stack.providers().filter(|p| p.local_name == "aws") {
            if let Value::Literal(ids) = strings(p.body, "allowed_account_ids") {
                match (ids.as_slice(), found) {
                    ([one], None) => found = Some(one),
                    ([one], Some(prev)) if *one == prev => {}
                    _ => return None,
                }
            }
        }
    }
    found
}

/// True when the target deploys to Kubernetes: a `helm_release` block, or a
/// rendered manifest under `k8s/`.
pub(crate) fn deploys_to_kubernetes(target: &TargetView<'_>) -> bool {
    let helm = target
        .stacks()
        .iter()
        .any(|s| s.blocks().any(|b| b.ty == "helm_release"));
    helm || target
        .files()
        .keys()
        .any(|p| p.starts_with("k8s/") && (p.ends_with(".yaml") || p.ends_with(".yml")))
}
