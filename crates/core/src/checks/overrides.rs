//! Overrides: the escape hatch that sets or removes one path of a block's body.
//! They are applied before every other phase, so checks and render see the final
//! body; an override that cannot be applied is reported here.

use crate::diag::Diagnostic;
use crate::resource::BlockKind;
use crate::stack::Stack;
use crate::tree::Tree;

/// Applies the overrides of every stack of target `target`, reporting those that
/// name a missing block or a path that does not fit the body.
pub(crate) fn apply(target: &str, stacks: &mut [Stack]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for stack in stacks {
        let overrides = std::mem::take(&mut stack.overrides);
        for o in overrides {
            let addr = match o.kind {
                BlockKind::Resource => format!("{}.{}", o.ty, o.name),
                BlockKind::Data => format!("data.{}.{}", o.ty, o.name),
            };
            let block = stack
                .blocks
                .iter_mut()
                .find(|b| b.kind == o.kind && b.ty == o.ty && b.name == o.name);
            let message = match block {
                Some(b) => match apply_override(&mut b.body, &o.path, o.value) {
                    Ok(()) => continue,
                    Err(e) => format!("override cannot be applied: {e}"),
                },
                None => "override names a block that is not declared in this stack".to_string(),
            };
            diags.push(
                Diagnostic::new(message)
                    .target(target)
                    .stack(stack.name.clone())
                    .address(addr)
                    .field(o.path.clone()),
            );
        }
    }
    diags
}

/// Applies one override path to a body.
fn apply_override(body: &mut Tree, path: &str, value: Option<Tree>) -> Result<(), String> {
    let segs: Vec<&str> = path.split('.').collect();
    let mut cur = body;
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let Ok(idx) = seg.parse::<usize>() {
            match cur {
                Tree::List(items) => {
                    if idx >= items.len() {
                        if last && value.is_some() && idx == items.len() {
                            items.push(Tree::Null);
                        } else {
                            return Err(format!(
                                "index {idx} is out of range (the list has {} items)",
                                items.len()
                            ));
                        }
                    }
                    if last {
                        match &value {
                            Some(v) => items[idx] = v.clone(),
                            None => {
                                items.remove(idx);
                            }
                        }
                        return Ok(());
                    }
                    cur = &mut items[idx];
                }
                Tree::Object(_) if !last => {
                    // a single block addressed like a list of one
                    if idx != 0 {
                        return Err(format!("`{seg}` indexes a single block"));
                    }
                }
                _ => return Err(format!("`{seg}` indexes something that is not a list")),
            }
            continue;
        }
        if !matches!(cur, Tree::Object(_)) {
            return Err(format!("`{seg}` is inside a value that is not an object"));
        }
        if last {
            match value {
                Some(v) => cur.set(seg, v),
                None => {
                    cur.remove(seg);
                }
            }
            return Ok(());
        }
        if cur.get(seg).is_none() {
            cur.set(seg, Tree::empty());
        }
        cur = cur.get_mut(seg).ok_or_else(|| format!("`{seg}` missing"))?;
    }
    Ok(())
}
