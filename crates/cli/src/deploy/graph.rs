//! A target's stack graph as written in `manifest.json`: apply order, producers,
//! consumers and depth (the longest chain of producers before a stack).

use std::path::Path;

use serde_json::Value;

/// One stack of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stack name (its folder under `out/<target>/`).
    pub name: String,
    /// Indexes of the stacks it reads outputs from (applied before it).
    pub producers: Vec<usize>,
}

/// A target's stacks in manifest (apply) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Target name.
    pub target: String,
    /// Stacks in apply order: every producer comes before its consumers.
    pub nodes: Vec<Node>,
}

impl Graph {
    /// Reads `out/<target>/manifest.json`.
    pub fn read(target_dir: &Path) -> Result<Graph, String> {
        let path = target_dir.join("manifest.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {} (run synth first): {e}", path.display()))?;
        let doc: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let target = doc["target"].as_str().unwrap_or_default().to_string();
        let stacks = doc["stacks"].as_array().cloned().unwrap_or_default();
        let pairs = stacks
            .iter()
            .map(|s| {
                let name = s["name"].as_str().unwrap_or_default().to_string();
                let deps = s["depends_on"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|d| d.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                (name, deps)
            })
            .collect::<Vec<(String, Vec<String>)>>();
        Graph::from_pairs(&target, &pairs).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Builds the graph from (stack, producers) pairs in apply order.
    pub fn from_pairs(target: &str, stacks: &[(String, Vec<String>)]) -> Result<Graph, String> {
        let mut nodes: Vec<Node> = Vec::new();
        for (name, deps) in stacks {
            let producers = deps
                .iter()
                .map(|d| {
                    nodes.iter().position(|n| &n.name == d).ok_or_else(|| {
                        format!("stack `{name}` depends on `{d}`, which is not listed before it")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            nodes.push(Node {
                name: name.clone(),
                producers,
            });
        }
        Ok(Graph {
            target: target.to_string(),
            nodes,
        })
    }

    /// A graph of target `t` from literal names, for tests.
    #[cfg(test)]
    pub fn of(stacks: &[(&str, &[&str])]) -> Graph {
        let pairs: Vec<(String, Vec<String>)> = stacks
            .iter()
            .map(|(n, d)| (n.to_string(), d.iter().map(|x| x.to_string()).collect()))
            .collect();
        Graph::from_pairs("t", &pairs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Index of the stack named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The stacks reading outputs of stack `i`.
    pub fn consumers(&self, i: usize) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&j| self.nodes[j].producers.contains(&i))
            .collect()
    }

    /// 0 for a stack with no producer, else one more than its deepest producer.
    pub fn depth(&self, i: usize) -> usize {
        self.nodes[i]
            .producers
            .iter()
            .map(|&p| self.depth(p) + 1)
            .max()
            .unwrap_or(0)
    }

    /// What a stack waits for before it runs: its producers, or for `destroy` its
    /// consumers (a stack is destroyed after the stacks reading it).
    pub fn waits_for(&self, i: usize, reverse: bool) -> Vec<usize> {
        if reverse {
            self.consumers(i)
        } else {
            self.nodes[i].producers.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        Graph::of(&[
            ("network", &[]),
            ("cluster", &["network"]),
            ("data", &["network", "cluster"]),
            ("platform", &["data"]),
            ("observability", &["data"]),
        ])
    }

    #[test]
    fn depth_and_consumers() {
        let g = graph();
        let depths: Vec<usize> = (0..5).map(|i| g.depth(i)).collect();
        assert_eq!(depths, [0, 1, 2, 3, 3]);
        assert_eq!(g.consumers(2), [3, 4]);
        assert_eq!(g.waits_for(2, true), [3, 4]);
        assert_eq!(g.waits_for(2, false), [0, 1]);
    }

    #[test]
    fn a_producer_listed_after_its_consumer_is_an_error() {
        let e = Graph::from_pairs("t", &[("app".into(), vec!["network".into()])]).unwrap_err();
        assert_eq!(
            e,
            "stack `app` depends on `network`, which is not listed before it"
        );
    }
}
