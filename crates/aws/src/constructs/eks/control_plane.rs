//! The control plane of an [`EksCluster`](super::EksCluster): its role, secrets
//! encryption, control-plane logs, the cluster itself and its OIDC provider.

use std::collections::BTreeMap;

use terrane_core::{Meta, Set, Stack, Value};

use super::{EksCluster, AWS_POLICY};
use crate::cloudwatch::CloudwatchLogGroup;
use crate::constructs::policy::{policy_document, service_role, PolicyStatement};
use crate::eks::{
    EksCluster as EksClusterResource, EksClusterAccessConfig, EksClusterArgs,
    EksClusterEncryptionConfig, EksClusterEncryptionConfigProvider, EksClusterRef,
    EksClusterVpcConfig,
};
use crate::iam::{IamOpenidConnectProvider, IamOpenidConnectProviderRef, IamRolePolicy};

impl EksCluster {
    /// The cluster with its role, key use, log group and OIDC provider.
    pub(super) fn declare_control_plane(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
    ) -> (EksClusterRef, IamOpenidConnectProviderRef) {
        let cluster_role = service_role(
            stack,
            &format!("{id}_cluster"),
            &format!("{}-eks-cluster", self.name),
            "eks.amazonaws.com",
            &[&format!("{AWS_POLICY}/AmazonEKSClusterPolicy")],
        );
        // Envelope encryption of secrets runs as the cluster role: it needs the key.
        let key_use = policy_document(
            stack,
            &format!("{id}_cluster_kms"),
            &[PolicyStatement::allow([
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ListGrants",
                "kms:DescribeKey",
            ])
            .resource(self.kms_key_arn.clone())],
        );
        stack.add(
            &format!("{id}_cluster_kms"),
            IamRolePolicy::new(key_use, cluster_role.id()).name("secrets-encryption"),
        );
        let logs = stack.add(
            &format!("{id}_control_plane"),
            CloudwatchLogGroup::new()
                .name(format!("/aws/eks/{}/cluster", self.name))
                .retention_in_days(self.log_retention_days)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );
        let mut vpc = EksClusterVpcConfig::new(Value::Lit(Set(self.subnet_ids.clone())))
            .endpoint_private_access(true)
            .endpoint_public_access(self.public_access_cidrs.is_some());
        if let Some(cidrs) = &self.public_access_cidrs {
            vpc = vpc.public_access_cidrs(cidrs.clone());
        }
        let cluster = stack.add_with(
            id,
            EksClusterResource::new(EksClusterArgs {
                name: self.name.as_str().into(),
                role_arn: cluster_role.arn().into(),
                vpc_config: vpc,
            })
            .version(self.version.as_str())
            .enabled_cluster_log_types(vec![
                "api",
                "audit",
                "authenticator",
                "controllerManager",
                "scheduler",
            ])
            .encryption_config(EksClusterEncryptionConfig::new(
                vec!["secrets"],
                EksClusterEncryptionConfigProvider::new(self.kms_key_arn.clone()),
            ))
            .access_config(
                EksClusterAccessConfig::new()
                    .authentication_mode("API")
                    .bootstrap_cluster_creator_admin_permissions(true),
            )
            .tags(tags.clone()),
            Meta::new().depends_on(&logs),
        );
        let oidc = stack.add(
            id,
            IamOpenidConnectProvider::new(
                vec!["sts.amazonaws.com"],
                cluster.identity().at(0).oidc().at(0).issuer(),
            )
            .tags(tags.clone()),
        );
        (cluster, oidc)
    }
}
