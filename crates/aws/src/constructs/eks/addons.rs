//! Managed add-ons of an [`EksCluster`](super::EksCluster): vpc-cni (enforcing
//! NetworkPolicies), coredns, kube-proxy, the pod identity agent and the EBS CSI
//! driver (through its own IRSA role), after the nodes.

use std::collections::BTreeMap;

use terrane_core::construct::block_name;
use terrane_core::{func, Meta, Stack, Tree};

use super::irsa::irsa_role;
use super::{EksCluster, AWS_POLICY};
use crate::eks::{EksAddon, EksClusterRef, EksNodeGroupRef};
use crate::iam::IamOpenidConnectProviderRef;

/// The managed add-ons every cluster gets.
const ADDONS: [&str; 5] = [
    "vpc-cni",
    "coredns",
    "kube-proxy",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
];

/// Add-ons whose pods need nodes to become active (creating them first would time out).
const NEEDS_NODES: [&str; 3] = ["coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver"];

impl EksCluster {
    /// The add-ons; coredns and the EBS driver wait for the node groups they run on.
    pub(super) fn declare_addons(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        (cluster, oidc): (&EksClusterRef, &IamOpenidConnectProviderRef),
        node_groups: &[EksNodeGroupRef],
    ) {
        let ebs = irsa_role(
            stack,
            id,
            &self.name,
            cluster,
            oidc,
            ("ebs-csi", "kube-system", &["ebs-csi-controller-sa"]),
            &[&format!(
                "{AWS_POLICY}/service-role/AmazonEBSCSIDriverPolicy"
            )],
            vec![],
        );
        // No `addon_version`: EKS installs its default version for the cluster's
        // Kubernetes version, so a version bump never leaves an add-on behind.
        for addon in ADDONS {
            let mut a = EksAddon::new(addon, cluster.name())
                .resolve_conflicts_on_create("OVERWRITE")
                .resolve_conflicts_on_update("PRESERVE")
                .tags(tags.clone());
            if addon == "aws-ebs-csi-driver" {
                a = a.service_account_role_arn(ebs.arn());
            }
            if addon == "vpc-cni" {
                // The network policy agent of the VPC CNI: without it NetworkPolicies
                // are accepted by the API server and enforced by nothing.
                a = a.configuration_values(func::jsonencode_tree(Tree::object([(
                    "enableNetworkPolicy",
                    Tree::from("true"),
                )])));
            }
            let mut meta = Meta::new();
            if NEEDS_NODES.contains(&addon) {
                for ng in node_groups {
                    meta = meta.depends_on(ng);
                }
            }
            stack.add_with(&format!("{id}_{}", block_name(addon)), a, meta);
        }
    }
}
