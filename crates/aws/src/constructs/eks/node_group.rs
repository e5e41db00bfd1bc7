//! Managed node groups of an [`EksCluster`](super::EksCluster): capacity, scaling,
//! labels and taints, and the checks of their scaling counts.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name};
use terrane_core::{Meta, Number, Set, Stack, Value};

use super::EksCluster;
use crate::eks::{
    EksClusterRef, EksNodeGroup, EksNodeGroupArgs, EksNodeGroupRef, EksNodeGroupScalingConfig,
    EksNodeGroupScalingConfigArgs, EksNodeGroupTaint, EksNodeGroupUpdateConfig,
};
use crate::iam::IamRoleRef;

/// On-demand or spot capacity for a node group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// On-demand instances.
    OnDemand,
    /// Spot instances (cheaper, may be reclaimed).
    Spot,
}

/// A Kubernetes taint on every node of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    /// Taint key.
    pub key: String,
    /// Taint value.
    pub value: String,
    /// `NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`.
    pub effect: String,
}

impl Taint {
    /// A `NO_SCHEDULE` taint: only pods that tolerate it are scheduled on the nodes.
    pub fn no_schedule(key: &str, value: &str) -> Self {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: "NO_SCHEDULE".into(),
        }
    }
}

/// A managed node group.
///
/// ```
/// use terrane_aws::constructs::NodeGroup;
/// let gpu = NodeGroup::gpu("gpu", ["g5.xlarge"]).scaling(0, 0, 4);
/// let spot = NodeGroup::new("workers", ["m6i.large", "m5.large"]).spot().scaling(1, 3, 10);
/// ```
#[derive(Debug, Clone)]
pub struct NodeGroup {
    name: String,
    instance_types: Vec<String>,
    capacity: Capacity,
    min: u32,
    desired: u32,
    max: u32,
    disk_size: u32,
    ami_type: String,
    labels: BTreeMap<String, String>,
    taints: Vec<Taint>,
}

impl NodeGroup {
    /// An on-demand group of general-purpose nodes, scaling 1..3 (desired 2).
    pub fn new<S: Into<String>>(name: &str, instance_types: impl IntoIterator<Item = S>) -> Self {
        let mut labels = BTreeMap::new();
        labels.insert("node-group".to_string(), name.to_string());
        NodeGroup {
            name: name.to_string(),
            instance_types: instance_types.into_iter().map(Into::into).collect(),
            capacity: Capacity::OnDemand,
            min: 1,
            desired: 2,
            max: 3,
            disk_size: 50,
            ami_type: "AL2023_x86_64_STANDARD".into(),
            labels,
            taints: Vec::new(),
        }
    }
    /// A GPU group: NVIDIA AMI, `accelerator=nvidia` label and a `nvidia.com/gpu`
    /// `NO_SCHEDULE` taint so only GPU workloads land there; scales from zero.
    pub fn gpu<S: Into<String>>(name: &str, instance_types: impl IntoIterator<Item = S>) -> Self {
        let mut g = Self::new(name, instance_types);
        g.ami_type = "AL2023_x86_64_NVIDIA".into();
        g.labels.insert("accelerator".into(), "nvidia".into());
        g.taints.push(Taint::no_schedule("nvidia.com/gpu", "true"));
        g.min = 0;
        g.desired = 0;
        g.disk_size = 100;
        g
    }
    /// Spot capacity.
    pub fn spot(mut self) -> Self {
        self.capacity = Capacity::Spot;
        self
    }
    /// Minimum, desired and maximum node counts.
    pub fn scaling(mut self, min: u32, desired: u32, max: u32) -> Self {
        self.min = min;
        self.desired = desired;
        self.max = max;
        self
    }
    /// Root volume size in GiB.
    pub fn disk_size(mut self, gib: u32) -> Self {
        self.disk_size = gib;
        self
    }
    /// Adds a Kubernetes label.
    pub fn label(mut self, k: &str, v: &str) -> Self {
        self.labels.insert(k.into(), v.into());
        self
    }
    /// Adds a taint.
    pub fn taint(mut self, t: Taint) -> Self {
        self.taints.push(t);
        self
    }
    /// The capacity type.
    pub fn capacity(&self) -> Capacity {
        self.capacity
    }
    /// The group's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Kubernetes labels of the group's nodes (besides those EKS adds).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }
}

impl NodeGroup {
    /// Scaling as (min, desired, max).
    pub fn scaling_counts(&self) -> (u32, u32, u32) {
        (self.min, self.desired, self.max)
    }
}

impl EksCluster {
    /// Reports scaling counts a node group cannot have (min above max, desired outside
    /// them, max of zero) at its block `block`.
    fn check_node_group(&self, stack: &mut Stack, block: &str, g: &NodeGroup) {
        let addr = address("aws_eks_node_group", block);
        if g.min > g.max {
            stack.report(
                &addr,
                "scaling_config.min_size",
                format!(
                    "node group `{}`: min size {} is above max size {}",
                    g.name, g.min, g.max
                ),
            );
        } else if g.desired < g.min || g.desired > g.max {
            stack.report(
                &addr,
                "scaling_config.desired_size",
                format!(
                    "node group `{}`: desired size {} is outside min {} .. max {}",
                    g.name, g.desired, g.min, g.max
                ),
            );
        }
        if g.max == 0 {
            stack.report(
                &addr,
                "scaling_config.max_size",
                format!("node group `{}`: max size must be at least 1", g.name),
            );
        }
    }

    /// One managed node group per [`NodeGroup`], in declaration order.
    pub(super) fn declare_node_groups(
        &self,
        stack: &mut Stack,
        id: &str,
        cluster: &EksClusterRef,
        node_role: &IamRoleRef,
    ) -> Vec<EksNodeGroupRef> {
        let mut node_groups = Vec::new();
        for g in &self.node_groups {
            let gid = format!("{id}_{}", block_name(&g.name));
            self.check_node_group(stack, &gid, g);
            let mut ng = EksNodeGroup::new(EksNodeGroupArgs {
                cluster_name: cluster.name().into(),
                node_role_arn: node_role.arn().into(),
                subnet_ids: Value::Lit(Set(self.subnet_ids.clone())),
                scaling_config: EksNodeGroupScalingConfig::new(EksNodeGroupScalingConfigArgs {
                    desired_size: Number::from(g.desired).into(),
                    max_size: Number::from(g.max).into(),
                    min_size: Number::from(g.min).into(),
                }),
            })
            .node_group_name(g.name.as_str())
            .instance_types(g.instance_types.clone())
            .capacity_type(match g.capacity {
                Capacity::OnDemand => "ON_DEMAND",
                Capacity::Spot => "SPOT",
            })
            .ami_type(g.ami_type.as_str())
            .disk_size(g.disk_size)
            .labels(g.labels.clone())
            .update_config(EksNodeGroupUpdateConfig::new().max_unavailable(1))
            .tags(crate::constructs::tags(
                &format!("{}-{}", self.name, g.name),
                &self.tags,
            ));
            for t in &g.taints {
                ng = ng.taint(
                    EksNodeGroupTaint::new(t.effect.as_str(), t.key.as_str())
                        .value(t.value.as_str()),
                );
            }
            // Desired size is owned by the cluster autoscaler once running.
            node_groups.push(
                stack.add_with(
                    &gid,
                    ng,
                    Meta::new().lifecycle(
                        terrane_core::Lifecycle::new()
                            .ignore_changes(["scaling_config[0].desired_size"]),
                    ),
                ),
            );
        }
        node_groups
    }
}
