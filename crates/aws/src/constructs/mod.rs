//! Hand-written constructs: what a platform engineer means (a VPC, an EKS cluster, a
//! PostgreSQL database), built from the generated resource types with safe defaults.
//!
//! Every construct is a builder that never fails and implements the one contract of
//! [`terrane_core::construct::Construct`]: `add_to(stack)` adds its resources to a
//! [`terrane_core::Stack`], reports domain problems with [`terrane_core::Stack::report`]
//! (they surface at synth, all together) and returns its `<Construct>Handle`, whose
//! getters are the values other stacks and Kubernetes workloads need.
//!
//! Each construct is compiled only when the service features it uses are enabled
//! (`Vpc` needs `vpc`, `iam` and `cloudwatch`; the default `full` enables them all).
//!
//! ```
//! # #[cfg(all(feature = "kms", feature = "meta", feature = "vpc", feature = "iam", feature = "cloudwatch"))] {
//! use terrane_aws::constructs::{AwsAccount, KmsKey, Vpc};
//! use terrane_core::construct::Construct;
//! use terrane_core::Stack;
//!
//! let mut network = Stack::new("network");
//! let account = AwsAccount::current(&mut network);
//! let key = KmsKey::new("network", &account).add_to(&mut network);
//! let vpc = Vpc::new("prod", "10.0.0.0/16", "us-east-1")
//!     .flow_log_key(key.arn())
//!     .add_to(&mut network);
//! assert_eq!(vpc.private_subnets().len(), 3);
//! assert_eq!(vpc.private_subnet_cidrs()[0], "10.0.0.0/19");
//! # }
//! ```

#[cfg(feature = "meta")]
mod account;
#[cfg(feature = "meta")]
#[cfg_attr(docsrs, doc(cfg(feature = "meta")))]
pub use account::AwsAccount;

#[cfg(all(feature = "cloudwatch", feature = "meta", feature = "sns"))]
mod alarms;
#[cfg(all(feature = "cloudwatch", feature = "meta", feature = "sns"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "cloudwatch", feature = "meta", feature = "sns")))
)]
pub use alarms::{Alarms, AlarmsHandle};

#[cfg(all(feature = "iam", feature = "s3"))]
mod bucket;
#[cfg(all(feature = "iam", feature = "s3"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "iam", feature = "s3"))))]
pub use bucket::{Bucket, BucketHandle, LifecycleRule};

#[cfg(feature = "budgets")]
mod budget;
#[cfg(feature = "budgets")]
#[cfg_attr(docsrs, doc(cfg(feature = "budgets")))]
pub use budget::{Budget, BudgetHandle};

#[cfg(all(
    feature = "cloudfront",
    feature = "cloudwatch",
    feature = "iam",
    feature = "meta",
    feature = "s3"
))]
mod cdn;
#[cfg(all(
    feature = "cloudfront",
    feature = "cloudwatch",
    feature = "iam",
    feature = "meta",
    feature = "s3"
))]
mod cdn_fallback;
#[cfg(all(
    feature = "cloudfront",
    feature = "cloudwatch",
    feature = "iam",
    feature = "meta",
    feature = "s3"
))]
pub use cdn::{Cdn, CdnHandle};
#[cfg(all(
    feature = "cloudfront",
    feature = "cloudwatch",
    feature = "iam",
    feature = "meta",
    feature = "s3"
))]
pub use cdn_fallback::CdnFallback;

#[cfg(all(feature = "acm", feature = "route53"))]
mod dns;
#[cfg(all(feature = "acm", feature = "route53"))]
pub use dns::{AliasRecord, DnsCertificate, DnsCertificateHandle, HostedZone, CLOUDFRONT_ZONE_ID};

#[cfg(all(
    feature = "codebuild",
    feature = "cloudwatch",
    feature = "eks",
    feature = "iam",
    feature = "meta",
    feature = "s3",
    feature = "vpc"
))]
mod deploy_runner;
#[cfg(all(
    feature = "codebuild",
    feature = "cloudwatch",
    feature = "eks",
    feature = "iam",
    feature = "meta",
    feature = "s3",
    feature = "vpc"
))]
pub use deploy_runner::{DeployRunner, DeployRunnerHandle, KUBECTL_VERSION, TERRAFORM_VERSION};

#[cfg(all(feature = "cloudwatch", feature = "eks", feature = "iam"))]
mod eks;
#[cfg(all(feature = "cloudwatch", feature = "eks", feature = "iam"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "cloudwatch", feature = "eks", feature = "iam")))
)]
pub use eks::{
    cluster_autoscaler_statements, external_dns_statements, load_balancer_controller_statements,
    Capacity, EksCluster, EksClusterHandle, IrsaRole, NodeGroup, Taint,
    DEFAULT_VERSION as EKS_DEFAULT_VERSION,
};

#[cfg(all(
    feature = "appautoscaling",
    feature = "cloudwatch",
    feature = "ecs",
    feature = "elb",
    feature = "iam",
    feature = "vpc"
))]
mod fargate;
#[cfg(all(
    feature = "appautoscaling",
    feature = "cloudwatch",
    feature = "ecs",
    feature = "elb",
    feature = "iam",
    feature = "vpc"
))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(
        feature = "appautoscaling",
        feature = "cloudwatch",
        feature = "ecs",
        feature = "elb",
        feature = "iam",
        feature = "vpc"
    )))
)]
pub use fargate::{FargateCapacity, FargateService, FargateServiceHandle};

#[cfg(all(
    feature = "cloudwatch",
    feature = "eks",
    feature = "helm",
    feature = "iam"
))]
mod helm;
#[cfg(all(
    feature = "cloudwatch",
    feature = "eks",
    feature = "helm",
    feature = "iam"
))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(
        feature = "cloudwatch",
        feature = "eks",
        feature = "helm",
        feature = "iam"
    )))
)]
pub use helm::{HelmReleases, HelmReleasesHandle};

#[cfg(feature = "helm")]
mod helm_charts;
#[cfg(feature = "helm")]
#[cfg_attr(docsrs, doc(cfg(feature = "helm")))]
pub use helm_charts::{HelmChart, LokiSize, CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT, PROMETHEUS_URL};

#[cfg(all(feature = "kms", feature = "meta"))]
mod kms;
#[cfg(all(feature = "kms", feature = "meta"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "kms", feature = "meta"))))]
pub use kms::{KmsKey, KmsKeyHandle};

#[cfg(feature = "iam")]
mod policy;
#[cfg(feature = "iam")]
#[cfg_attr(docsrs, doc(cfg(feature = "iam")))]
pub use policy::{assume_role_policy, policy_document, service_role, PolicyStatement};

#[cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc"))]
mod db_proxy;
#[cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc")))
)]
pub use db_proxy::{RdsProxy, RdsProxyHandle};

#[cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc"))]
mod rds;
#[cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc")))
)]
pub use rds::{Availability, BackupCopy, RdsPostgres, RdsPostgresHandle};

#[cfg(all(feature = "elasticache", feature = "iam", feature = "vpc"))]
mod redis;
#[cfg(all(feature = "elasticache", feature = "iam", feature = "vpc"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "elasticache", feature = "iam", feature = "vpc")))
)]
pub use redis::{RedisCluster, RedisClusterHandle, Shards};

#[cfg(feature = "ecr")]
mod registry;
#[cfg(feature = "ecr")]
#[cfg_attr(docsrs, doc(cfg(feature = "ecr")))]
pub use registry::{Registry, RegistryHandle};

#[cfg(feature = "secretsmanager")]
mod secret;
#[cfg(feature = "secretsmanager")]
#[cfg_attr(docsrs, doc(cfg(feature = "secretsmanager")))]
pub use secret::{Secret, SecretHandle};

#[cfg(all(feature = "cloudwatch", feature = "iam", feature = "vpc"))]
mod vpc;
#[cfg(all(feature = "cloudwatch", feature = "iam", feature = "vpc"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "cloudwatch", feature = "iam", feature = "vpc")))
)]
pub use vpc::{NatGateways, Vpc, VpcHandle};

#[cfg(all(feature = "cloudwatch", feature = "wafv2"))]
mod waf;
#[cfg(all(feature = "cloudwatch", feature = "wafv2"))]
pub use waf::{WafScope, WebAcl, WebAclHandle};

use std::collections::BTreeMap;

/// `Name` plus the construct's own tags, as a tag map.
// Every construct but `Budget` tags its resources: with only `budgets` (or no
// service) enabled, nothing calls this.
#[cfg_attr(not(feature = "default"), allow(dead_code))]
pub(crate) fn tags(name: &str, extra: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut t = extra.clone();
    t.insert("Name".to_string(), name.to_string());
    t
}

/// The meta-arguments of a construct's resources: the provider, when declared through
/// an aliased one (another region).
#[cfg_attr(not(feature = "default"), allow(dead_code))]
pub(crate) fn provider_meta(provider: Option<&terrane_core::ProviderRef>) -> terrane_core::Meta {
    match provider {
        Some(p) => terrane_core::Meta::new().provider(p),
        None => terrane_core::Meta::new(),
    }
}

/// A security group that lets `port` in from the given security groups only and
/// has no egress rule (`aws_security_group.ID` and one ingress rule per source).
#[cfg(any(
    all(feature = "backup", feature = "iam", feature = "rds", feature = "vpc"),
    all(feature = "elasticache", feature = "iam", feature = "vpc")
))]
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

// The tests exercise every construct together: the default features are the services
// the constructs use (`cargo test -p terrane-aws` runs them).
#[cfg(all(test, feature = "default"))]
mod tests;
