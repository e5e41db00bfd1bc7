//! What a target's stacks say about its cluster, read from block bodies by type
//! name: Helm releases with their merged values, managed node groups, EKS add-ons.

use std::collections::BTreeMap;

use serde_json::Value;
use terrane_core::checks::TargetView;
use terrane_core::{BlockKind, BlockView, Tree};

use super::values;

/// Where a block is: its stack and address, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockAt {
    /// The stack's name.
    pub stack: String,
    /// The block's address (`helm_release.cert_manager`).
    pub address: String,
}

/// One `helm_release`.
#[derive(Debug, Clone)]
pub(crate) struct Release {
    pub at: BlockAt,
    /// The release name (`name`).
    pub name: String,
    /// The chart's name (the last path segment of `chart`, which may be a URL).
    pub chart: String,
    /// The pinned version (empty: unpinned, the newest at apply).
    pub version: String,
    /// The namespace (`default` when unset, as Helm does).
    pub namespace: String,
    /// Every `values` document merged in order, then the `set` entries.
    pub values: Value,
}

/// One taint of a node group, in Kubernetes spelling (`NoSchedule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

/// One `aws_eks_node_group`.
#[derive(Debug, Clone)]
pub(crate) struct NodeGroup {
    pub at: BlockAt,
    /// `node_group_name` (the block name when unset).
    pub name: String,
    pub instance_types: Vec<String>,
    pub ami_type: String,
    /// The labels every node gets: the declared ones and those EKS adds.
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// `scaling_config.max_size`, when a literal.
    pub max_size: Option<u64>,
}

/// One `aws_eks_addon`.
#[derive(Debug, Clone)]
pub(crate) struct Addon {
    pub at: BlockAt,
    /// `addon_name` (`vpc-cni`).
    pub name: String,
    /// `configuration_values`, parsed (`null` when unset).
    pub configuration: Value,
}

/// One `aws_secretsmanager_secret` with a literal `name`.
#[derive(Debug, Clone)]
pub(crate) struct RemoteSecret {
    pub at: BlockAt,
    /// The secret's name (what an ExternalSecret's `remoteRef.key` names).
    pub name: String,
    /// True when a `aws_secretsmanager_secret_version` of the target gives it a value
    /// (or a rotation fills it).
    pub filled: bool,
}

/// The cluster side of a target.
#[derive(Debug, Clone, Default)]
pub(crate) struct Platform {
    pub releases: Vec<Release>,
    pub node_groups: Vec<NodeGroup>,
    pub addons: Vec<Addon>,
    /// True when a stack declares an `aws_eks_cluster` (which brings the `gp2` class).
    pub eks_cluster: bool,
    /// The Secrets Manager secrets the target creates.
    pub secrets: Vec<RemoteSecret>,
}

impl Platform {
    /// Reads every stack of the target.
    pub fn read(target: &TargetView<'_>) -> Self {
        let mut p = Platform::default();
        // `aws_secretsmanager_secret.<name>` referenced by a version or a rotation.
        let mut filled: Vec<String> = Vec::new();
        for stack in target.stacks() {
            for b in stack.blocks().filter(|b| b.kind == BlockKind::Resource) {
                let at = BlockAt {
                    stack: stack.name().to_string(),
                    address: b.address(),
                };
                match b.ty {
                    "helm_release" => p.releases.push(release(at, &b)),
                    "aws_eks_node_group" => p.node_groups.push(node_group(at, &b)),
                    "aws_eks_addon" => p.addons.push(Addon {
                        at,
                        name: string(&b, "addon_name"),
                        configuration: b
                            .body
                            .get("configuration_values")
                            .map(values::document)
                            .unwrap_or(Value::Null),
                    }),
                    "aws_eks_cluster" => p.eks_cluster = true,
                    "aws_secretsmanager_secret" => p.secrets.push(RemoteSecret {
                        at,
                        name: string(&b, "name"),
                        filled: false,
                    }),
                    "aws_secretsmanager_secret_version" | "aws_secretsmanager_secret_rotation" => {
                        let id = match b.body.get("secret_id") {
                            Some(Tree::Str(id)) => id.clone(),
                            Some(Tree::Expr(n)) => n.to_hcl(),
                            _ => String::new(),
                        };
                        filled.push(format!("{}/{id}", stack.name()));
                    }
                    _ => {}
                }
            }
        }
        for secret in &mut p.secrets {
            let reference = format!("{}.", secret.at.address);
            secret.filled = filled.iter().any(|f| {
                f.split_once('/')
                    .is_some_and(|(stack, id)| stack == secret.at.stack && id.contains(&reference))
            });
        }
        p
    }

    /// True when the target creates the cluster or installs anything on it: only
    /// then is what runs there known.
    pub fn manages_cluster(&self) -> bool {
        self.eks_cluster || !self.releases.is_empty()
    }

    /// The releases of chart `chart`.
    pub fn releases_of<'a>(&'a self, chart: &'a str) -> impl Iterator<Item = &'a Release> + 'a {
        self.releases.iter().filter(move |r| r.chart == chart)
    }

    /// The add-on named `name`, if installed.
    pub fn addon(&self, name: &str) -> Option<&Addon> {
        self.addons.iter().find(|a| a.name == name)
    }
}

fn string(b: &BlockView<'_>, key: &str) -> String {
    match b.body.get(key) {
        Some(Tree::Str(s)) => s.clone(),
        _ => String::new(),
    }
}

fn release(at: BlockAt, b: &BlockView<'_>) -> Release {
    let chart = string(b, "chart");
    let chart = chart.rsplit('/').next().unwrap_or_default().to_string();
    let mut merged = Value::Object(Default::default());
    if let Some(Tree::List(docs)) = b.body.get("values") {
        for d in docs {
            values::merge(&mut merged, values::document(d));
        }
    }
    for entry in list(b.body.get("set")) {
        if let (Some(Tree::Str(name)), Some(v)) = (entry.get("name"), entry.get("value")) {
            values::set_path(&mut merged, name, values::from_tree(v));
        }
    }
    let namespace = string(b, "namespace");
    Release {
        at,
        name: string(b, "name"),
        chart,
        version: string(b, "version").trim_start_matches('=').to_string(),
        namespace: if namespace.is_empty() {
            "default".into()
        } else {
            namespace
        },
        values: merged,
    }
}

/// A nested block or list of them, as a slice of objects.
fn list(t: Option<&Tree>) -> Vec<&Tree> {
    match t {
        Some(Tree::List(v)) => v.iter().collect(),
        Some(o @ Tree::Object(_)) => vec![o],
        _ => Vec::new(),
    }
}

fn node_group(at: BlockAt, b: &BlockView<'_>) -> NodeGroup {
    let mut name = string(b, "node_group_name");
    if name.is_empty() {
        name = b.name.to_string();
    }
    let instance_types = match b.body.get("instance_types") {
        Some(Tree::List(v)) => v
            .iter()
            .filter_map(|t| match t {
                Tree::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut capacity_type = string(b, "capacity_type");
    if capacity_type.is_empty() {
        capacity_type = "ON_DEMAND".into();
    }
    let mut labels: BTreeMap<String, String> = match b.body.get("labels").map(values::from_tree) {
        Some(Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    };
    // The labels EKS puts on every node of a managed node group (docs/facts/eks-versions.toml).
    labels.insert("eks.amazonaws.com/nodegroup".into(), name.clone());
    labels.insert("eks.amazonaws.com/capacityType".into(), capacity_type);
    let taints = list(b.body.get("taint"))
        .into_iter()
        .map(|t| {
            let s = |k: &str| match t.get(k) {
                Some(Tree::Str(s)) => s.clone(),
                _ => String::new(),
            };
            Taint {
                key: s("key"),
                value: s("value"),
                effect: kubernetes_effect(&s("effect")),
            }
        })
        .collect();
    let max_size = list(b.body.get("scaling_config"))
        .first()
        .and_then(|s| s.get("max_size"))
        .and_then(|m| match m {
            Tree::Num(n) if n.as_f64() >= 0.0 => Some(n.as_f64() as u64),
            _ => None,
        });
    NodeGroup {
        at,
        name,
        instance_types,
        ami_type: string(b, "ami_type"),
        labels,
        taints,
        max_size,
    }
}

/// The EKS API's taint effect (`NO_SCHEDULE`) as Kubernetes writes it (`NoSchedule`).
fn kubernetes_effect(eks: &str) -> String {
    match eks {
        "NO_SCHEDULE" => "NoSchedule".into(),
        "NO_EXECUTE" => "NoExecute".into(),
        "PREFER_NO_SCHEDULE" => "PreferNoSchedule".into(),
        other => other.into(),
    }
}
