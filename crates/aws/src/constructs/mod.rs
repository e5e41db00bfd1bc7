//! Hand-written constructs: what a platform engineer means (a VPC, an EKS cluster, a
//! PostgreSQL database), built from the generated resource types with safe defaults.
//!
//! Every construct is a builder that never fails; `build(stack)` adds its resources to
//! a [`terrane_core::Stack`], reports domain problems with [`terrane_core::Stack::report`]
//! (they surface at synth, all together) and returns typed handles whose getters are
//! the values other stacks and Kubernetes workloads need.
//!
//! ```
//! use terrane_aws::constructs::{KmsKey, Vpc};
//! use terrane_core::Stack;
//!
//! let mut network = Stack::new("network");
//! let key = KmsKey::new("network", "123456789012", "us-east-1").build(&mut network);
//! let vpc = Vpc::new("prod", "10.0.0.0/16", "us-east-1")
//!     .flow_log_key(key.arn())
//!     .build(&mut network);
//! assert_eq!(vpc.private_subnets.len(), 3);
//! assert_eq!(vpc.private_subnet_cidrs()[0], "10.0.0.0/19");
//! ```

mod alarms;
mod bucket;
mod budget;
mod cidr;
mod eks;
mod fargate;
mod helm;
mod kms;
mod policy;
mod rds;
mod redis;
mod registry;
mod secret;
mod vpc;

pub use alarms::{AlarmTopic, Alarms};
pub use bucket::{Bucket, BucketHandle, LifecycleRule};
pub use budget::Budget;
pub use cidr::Ipv4Cidr;
pub use eks::{Capacity, EksCluster, EksClusterHandle, IrsaRole, NodeGroup, Taint};
pub use fargate::{FargateService, FargateServiceHandle};
pub use helm::{HelmChart, HelmReleases};
pub use kms::{KmsKey, KmsKeyHandle};
pub use policy::{assume_role_policy, policy_document, PolicyStatement};
pub use rds::{BackupCopy, RdsPostgres, RdsPostgresHandle};
pub use redis::{RedisCluster, RedisClusterHandle};
pub use registry::{Registry, RegistryHandle};
pub use secret::{Secret, SecretHandle};
pub use vpc::{NatGateways, Vpc, VpcHandle};

use std::collections::BTreeMap;

/// `Name` plus the construct's own tags, as a tag map.
pub(crate) fn tags(name: &str, extra: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut t = extra.clone();
    t.insert("Name".to_string(), name.to_string());
    t
}

/// A Terraform block name from a construct name: `prod-db` -> `prod_db`.
pub(crate) fn ident(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A security group that lets `port` in from the given security groups only and
/// has no egress rule (`aws_security_group.ID` and one ingress rule per source).
#[allow(clippy::too_many_arguments)]
pub(crate) fn ingress_only_sg(
    stack: &mut terrane_core::Stack,
    id: &str,
    name: &str,
    description: &str,
    vpc_id: terrane_core::Value<String>,
    port: u16,
    sources: &[terrane_core::Value<String>],
    tags_extra: &BTreeMap<String, String>,
) -> crate::vpc::SecurityGroupRef {
    let sg = stack.add(
        id,
        crate::vpc::SecurityGroup::new()
            .name(name)
            .description(description)
            .vpc_id(vpc_id)
            .tags(tags(name, tags_extra)),
    );
    for (i, src) in sources.iter().enumerate() {
        stack.add(
            &format!("{id}_from_{i}"),
            crate::vpc::VpcSecurityGroupIngressRule::new("tcp", sg.id())
                .description(format!(
                    "{description}: port {port} from an allowed security group"
                ))
                .from_port(port)
                .to_port(port)
                .referenced_security_group_id(src.clone()),
        );
    }
    sg
}

#[cfg(test)]
mod tests;
