//! Managed add-ons of an [`EksCluster`](super::EksCluster): vpc-cni, coredns,
//! kube-proxy and the EBS CSI driver (through its own IRSA role), after the nodes.

use std::collections::BTreeMap;

use terrane_core::construct::block_name;
use terrane_core::{Meta, Stack};

use super::irsa::irsa_role;
use super::{EksCluster, AWS_POLICY};
use crate::eks::{EksAddon, EksClusterRef, EksNodeGroupRef};
use crate::iam::IamOpenidConnectProviderRef;

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
            ("ebs-csi", "kube-system", "ebs-csi-controller-sa"),
            &[&format!(
                "{AWS_POLICY}/service-role/AmazonEBSCSIDriverPolicy"
            )],
            vec![],
        );
        for addon in ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver"] {
            let mut a = EksAddon::new(addon, cluster.name())
                .resolve_conflicts_on_create("OVERWRITE")
                .resolve_conflicts_on_update("PRESERVE")
                .tags(tags.clone());
            if addon == "aws-ebs-csi-driver" {
                a = a.service_account_role_arn(ebs.arn());
            }
            let mut meta = Meta::new();
            if addon == "coredns" || addon == "aws-ebs-csi-driver" {
                for ng in node_groups {
                    meta = meta.depends_on(ng);
                }
            }
            stack.add_with(&format!("{id}_{}", block_name(addon)), a, meta);
        }
    }
}
