//! The cycle check: cross-stack references must go one way, so the stacks have an
//! apply order. Finds that order, or the cycle that prevents it.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::stack::Stack;

/// The apply order of `stacks` given each one's dependencies (earliest added
/// first among the ready ones), or a diagnostic naming a cycle.
pub(crate) fn apply_order(
    target: &str,
    stacks: &[Stack],
    deps: &[BTreeSet<usize>],
) -> Result<Vec<usize>, Box<Diagnostic>> {
    topo_order(deps).map_err(|cycle| {
        let names: Vec<&str> = cycle.iter().map(|&i| stacks[i].name.as_str()).collect();
        Diagnostic::new(format!(
            "stacks depend on each other in a cycle ({}); cross-stack references must go one way",
            names.join(" -> ")
        ))
        .target(target)
        .into()
    })
}

fn topo_order(deps: &[BTreeSet<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    let n = deps.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n).find(|&i| !done[i] && deps[i].iter().all(|&d| done[d]));
        match next {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => return Err(find_cycle(deps, &done)),
        }
    }
    Ok(order)
}

/// A cycle among the stacks not yet ordered, as a path that ends where it starts.
fn find_cycle(deps: &[BTreeSet<usize>], done: &[bool]) -> Vec<usize> {
    let start = (0..deps.len()).find(|&i| !done[i]).unwrap_or(0);
    let mut path = vec![start];
    let mut cur = start;
    loop {
        let nxt = deps[cur]
            .iter()
            .copied()
            .find(|&d| !done[d])
            .unwrap_or(start);
        if let Some(pos) = path.iter().position(|&p| p == nxt) {
            let mut cyc = path[pos..].to_vec();
            cyc.push(nxt);
            return cyc;
        }
        path.push(nxt);
        cur = nxt;
    }
}
