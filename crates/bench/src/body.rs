//! One copy of the benchmark stack body: the resources, arguments and names of
//! `stackBody` in `shared/bench/cdktf/main.js`, section by section.

use std::collections::BTreeMap;

use terrane_aws::budgets::*;
use terrane_aws::cloudwatch::*;
use terrane_aws::ecr::*;
use terrane_aws::eks::*;
use terrane_aws::elasticache::*;
use terrane_aws::iam::*;
use terrane_aws::kms::*;
use terrane_aws::rds::*;
use terrane_aws::s3::*;
use terrane_aws::secretsmanager::*;
use terrane_aws::sns::*;
use terrane_aws::vpc::*;
use terrane_core::{Expr, Meta, Output, Stack};

const AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const ENV: &str = "prod";

/// Names of copy `i` of `n`: no suffix when there is one copy, else `_i` on block
/// names and `-i` on AWS names (as `id()` and `nm()` of the CDK for Terraform program).
#[derive(Debug, Clone)]
pub struct Replica {
    sfx: String,
    nsfx: String,
    octet: usize,
}

impl Replica {
    /// Copy `i` of `n`.
    pub fn new(i: usize, n: usize) -> Self {
        let (sfx, nsfx) = if n == 1 {
            (String::new(), String::new())
        } else {
            (format!("_{i}"), format!("-{i}"))
        };
        Replica {
            sfx,
            nsfx,
            octet: i % 250,
        }
    }

    fn id(&self, x: &str) -> String {
        format!("{x}{}", self.sfx)
    }

    fn nm(&self, x: &str) -> String {
        format!("{x}{}", self.nsfx)
    }

    fn tags(&self, name: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("Name".to_string(), self.nm(&format!("{ENV}-{name}"))),
            ("Environment".to_string(), ENV.to_string()),
            ("ManagedBy".to_string(), "cdktf".to_string()),
        ])
    }
}

fn assume_role(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// Adds one copy of the body (53 resources and 3 outputs) to the stack.
pub fn add_body(s: &mut Stack, c: &Replica) {
    let net = network(s, c);
    let sg = security_groups(s, c, &net);
    let kms = storage(s, c);
    let cluster = eks(s, c, &net, &sg, &kms);
    let data = data_stores(s, c, &net, &sg, &kms);
    observability(s, c, &kms, &data);
    s.output(&c.id("vpc_id"), Output::new(net.vpc.id()));
    s.output(&c.id("cluster_endpoint"), Output::new(cluster.endpoint()));
    s.output(&c.id("db_endpoint"), Output::new(data.db.endpoint()));
}

struct Network {
    vpc: VpcRef,
    private: Vec<Expr<String>>,
}

fn network(s: &mut Stack, c: &Replica) -> Network {
    let o = c.octet;
    let vpc = s.add(
        &c.id("vpc"),
        Vpc::new()
            .cidr_block(format!("10.{o}.0.0/16"))
            .enable_dns_hostnames(true)
            .enable_dns_support(true)
            .tags(c.tags("vpc")),
    );
    let subnet = |s: &mut Stack, kind: &str, k: usize, base: usize, role: &str| {
        let mut tags = c.tags(&format!("{kind}-{}", AZS[k]));
        tags.insert(format!("kubernetes.io/role/{role}"), "1".into());
        let mut sn = Subnet::new(vpc.id())
            .cidr_block(format!("10.{o}.{}.0/24", base + k))
            .availability_zone(AZS[k]);
        if kind == "public" {
            sn = sn.map_public_ip_on_launch(true);
        }
        s.add(&c.id(&format!("{kind}_{k}")), sn.tags(tags)).id()
    };
    let public: Vec<Expr<String>> = (0..3).map(|k| subnet(s, "public", k, 0, "elb")).collect();
    let private: Vec<Expr<String>> = (0..3)
        .map(|k| subnet(s, "private", k, 100, "internal-elb"))
        .collect();
    let igw = s.add(
        &c.id("igw"),
        InternetGateway::new().vpc_id(vpc.id()).tags(c.tags("igw")),
    );
    let eip = Eip::new().domain("vpc").tags(c.tags("nat-eip"));
    let eip = s.add_with(&c.id("nat_eip"), eip, Meta::new().depends_on(&igw));
    let nat = NatGateway::new(public[0].clone())
        .allocation_id(eip.id())
        .tags(c.tags("nat"));
    let nat = s.add_with(&c.id("nat"), nat, Meta::new().depends_on(&igw));
    let public_route = RouteTableRoute::new()
        .cidr_block("0.0.0.0/0")
        .gateway_id(igw.id());
    let public_rt = RouteTable::new(vpc.id())
        .route(vec![public_route])
        .tags(c.tags("public-rt"));
    let public_rt = s.add(&c.id("public_rt"), public_rt);
    let private_route = RouteTableRoute::new()
        .cidr_block("0.0.0.0/0")
        .nat_gateway_id(nat.id());
    let private_rt = RouteTable::new(vpc.id())
        .route(vec![private_route])
        .tags(c.tags("private-rt"));
    let private_rt = s.add(&c.id("private_rt"), private_rt);
    for (kind, ids, rt) in [
        ("public", &public, &public_rt),
        ("private", &private, &private_rt),
    ] {
        for (k, id) in ids.iter().enumerate() {
            let rta = RouteTableAssociation::new(rt.id()).subnet_id(id);
            s.add(&c.id(&format!("{kind}_rta_{k}")), rta);
        }
    }
    Network { vpc, private }
}

struct Groups {
    eks: SecurityGroupRef,
    db: SecurityGroupRef,
    cache: SecurityGroupRef,
}

fn security_groups(s: &mut Stack, c: &Replica, net: &Network) -> Groups {
    let mut group = |name: &str, description: &str| {
        let sg = SecurityGroup::new()
            .name(c.nm(&format!("{ENV}-{name}")))
            .description(description)
            .vpc_id(net.vpc.id())
            .tags(c.tags(&format!("{name}-sg")));
        s.add(&c.id(&format!("{name}_sg")), sg)
    };
    let g = Groups {
        eks: group("eks", "EKS cluster"),
        db: group("db", "RDS postgres"),
        cache: group("cache", "ElastiCache redis"),
    };
    for (name, to, port, what) in [
        ("db_from_eks", &g.db, 5432, "postgres from EKS"),
        ("cache_from_eks", &g.cache, 6379, "redis from EKS"),
    ] {
        let rule = VpcSecurityGroupIngressRule::new("tcp", to.id())
            .referenced_security_group_id(g.eks.id())
            .from_port(port)
            .to_port(port)
            .description(what);
        s.add(&c.id(name), rule);
    }
    for (name, sg) in [("eks", &g.eks), ("db", &g.db), ("cache", &g.cache)] {
        let rule = VpcSecurityGroupEgressRule::new("-1", sg.id())
            .cidr_ipv4("0.0.0.0/0")
            .description("all egress");
        s.add(&c.id(&format!("{name}_egress")), rule);
    }
    g
}

/// KMS key, S3 bucket with versioning, encryption and public-access block, ECR.
fn storage(s: &mut Stack, c: &Replica) -> KmsKeyRef {
    let kms = KmsKey::new()
        .description(c.nm(&format!("{ENV} data key")))
        .enable_key_rotation(true)
        .deletion_window_in_days(30)
        .tags(c.tags("kms"));
    let kms = s.add(&c.id("kms"), kms);
    let alias = KmsAlias::new(kms.key_id()).name(c.nm(&format!("alias/{ENV}-data")));
    s.add(&c.id("kms_alias"), alias);
    let bucket = S3Bucket::new()
        .bucket(c.nm(&format!("{ENV}-artifacts-bench-123456789012")))
        .tags(c.tags("artifacts"));
    let bucket = s.add(&c.id("artifacts"), bucket);
    let versioning = S3BucketVersioningVersioningConfiguration::new("Enabled");
    s.add(
        &c.id("artifacts_versioning"),
        S3BucketVersioning::new(bucket.id(), versioning),
    );
    let by_default =
        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault::new(
            "aws:kms",
        )
        .kms_master_key_id(kms.arn());
    let rule = S3BucketServerSideEncryptionConfigurationRule::new()
        .apply_server_side_encryption_by_default(by_default)
        .bucket_key_enabled(true);
    s.add(
        &c.id("artifacts_sse"),
        S3BucketServerSideEncryptionConfiguration::new(bucket.id(), rule),
    );
    let pab = S3BucketPublicAccessBlock::new(bucket.id())
        .block_public_acls(true)
        .block_public_policy(true)
        .ignore_public_acls(true)
        .restrict_public_buckets(true);
    s.add(&c.id("artifacts_pab"), pab);
    let ecr = EcrRepository::new(c.nm(&format!("{ENV}/app")))
        .image_tag_mutability("IMMUTABLE")
        .image_scanning_configuration(EcrRepositoryImageScanningConfiguration::new(true))
        .encryption_configuration(
            EcrRepositoryEncryptionConfiguration::new()
                .encryption_type("KMS")
                .kms_key(kms.arn()),
        )
        .tags(c.tags("ecr"));
    s.add(&c.id("ecr"), ecr);
    kms
}

/// IAM roles and policy attachments, the log group, the cluster and two node groups.
fn eks(s: &mut Stack, c: &Replica, net: &Network, sg: &Groups, kms: &KmsKeyRef) -> EksClusterRef {
    let role = |s: &mut Stack, id: &str, name: &str, service: &str| {
        let r = IamRole::new(assume_role(service))
            .name(c.nm(&format!("{ENV}-{name}")))
            .tags(c.tags(&format!("{name}-role")));
        s.add(&c.id(id), r)
    };
    let cluster_role = role(s, "eks_cluster_role", "eks-cluster", "eks.amazonaws.com");
    let cluster_pol = IamRolePolicyAttachment::new(
        "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
        cluster_role.name(),
    );
    let cluster_pol = s.add(&c.id("eks_cluster_policy"), cluster_pol);
    let node_role = role(s, "eks_node_role", "eks-node", "ec2.amazonaws.com");
    let mut node_meta = Meta::new();
    for (k, p) in [
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEC2ContainerRegistryReadOnly",
    ]
    .iter()
    .enumerate()
    {
        let arn = format!("arn:aws:iam::aws:policy/{p}");
        let att = IamRolePolicyAttachment::new(arn, node_role.name());
        node_meta = node_meta.depends_on(&s.add(&c.id(&format!("eks_node_policy_{k}")), att));
    }
    let logs = CloudwatchLogGroup::new()
        .name(c.nm(&format!("/aws/eks/{ENV}")) + "/cluster")
        .retention_in_days(90)
        .tags(c.tags("eks-logs"));
    let logs = s.add(&c.id("eks_logs"), logs);
    let vpc_config = EksClusterVpcConfig::new(net.private.clone())
        .security_group_ids([sg.eks.id()])
        .endpoint_private_access(true)
        .endpoint_public_access(false);
    let encryption = EksClusterEncryptionConfig::new(
        ["secrets"],
        EksClusterEncryptionConfigProvider::new(kms.arn()),
    );
    let cluster = EksCluster::new(EksClusterArgs {
        name: c.nm(&format!("{ENV}-eks")).into(),
        role_arn: cluster_role.arn().into(),
        vpc_config,
    })
    .version("1.30")
    .enabled_cluster_log_types(["api", "audit", "authenticator"])
    .encryption_config(encryption)
    .tags(c.tags("eks"));
    let meta = Meta::new().depends_on(&cluster_pol).depends_on(&logs);
    let cluster = s.add_with(&c.id("eks"), cluster, meta);
    node_groups(s, c, net, &cluster, &node_role, &node_meta);
    cluster
}

/// The on-demand and the spot node group, after the node role's policy attachments.
fn node_groups(
    s: &mut Stack,
    c: &Replica,
    net: &Network,
    cluster: &EksClusterRef,
    node_role: &IamRoleRef,
    node_meta: &Meta,
) {
    for spot in [false, true] {
        let (name, desired, min, max) = if spot {
            ("spot", 2, 0, 10)
        } else {
            ("ondemand", 3, 3, 6)
        };
        let scaling = EksNodeGroupScalingConfig::new(EksNodeGroupScalingConfigArgs {
            desired_size: desired.into(),
            max_size: max.into(),
            min_size: min.into(),
        });
        let mut ng = EksNodeGroup::new(EksNodeGroupArgs {
            cluster_name: cluster.name().into(),
            node_role_arn: node_role.arn().into(),
            subnet_ids: net.private.clone().into(),
            scaling_config: scaling,
        })
        .node_group_name(c.nm(&format!("{ENV}-{name}")))
        .capacity_type(if spot { "SPOT" } else { "ON_DEMAND" });
        ng = if spot {
            ng.instance_types(["m6i.xlarge", "m5.xlarge", "m5a.xlarge"])
        } else {
            ng.instance_types(["m6i.xlarge"])
        };
        ng = ng
            .update_config(EksNodeGroupUpdateConfig::new().max_unavailable(1))
            .labels([("lifecycle", name)]);
        if spot {
            ng = ng.taint(EksNodeGroupTaint::new("NO_SCHEDULE", "spot").value("true"));
        }
        let ng = ng.tags(c.tags(&format!("ng-{name}")));
        s.add_with(&c.id(&format!("ng_{name}")), ng, node_meta.clone());
    }
}

/// One alarm of `observability`: id, namespace, metric, comparison, threshold,
/// dimension and its value.
type Alarm = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    Expr<String>,
);

struct DataStores {
    db: DbInstanceRef,
    cache: ElasticacheReplicationGroupRef,
}

/// RDS PostgreSQL and ElastiCache Redis, each with its subnet group.
fn data_stores(
    s: &mut Stack,
    c: &Replica,
    net: &Network,
    sg: &Groups,
    kms: &KmsKeyRef,
) -> DataStores {
    let subnets = DbSubnetGroup::new(net.private.clone())
        .name(c.nm(&format!("{ENV}-db")))
        .tags(c.tags("db-subnets"));
    let subnets = s.add(&c.id("db_subnets"), subnets);
    let db = DbInstance::new("db.r6g.large")
        .identifier(c.nm(&format!("{ENV}-postgres")))
        .engine("postgres")
        .engine_version("16.3")
        .allocated_storage(100)
        .max_allocated_storage(500)
        .storage_type("gp3")
        .storage_encrypted(true)
        .kms_key_id(kms.arn())
        .multi_az(true)
        .backup_retention_period(30)
        .db_name("app")
        .username("app_admin")
        .manage_master_user_password(true)
        .master_user_secret_kms_key_id(kms.key_id())
        .db_subnet_group_name(subnets.name())
        .vpc_security_group_ids([sg.db.id()])
        .deletion_protection(true)
        .skip_final_snapshot(false)
        .final_snapshot_identifier(c.nm(&format!("{ENV}-postgres-final")))
        .tags(c.tags("postgres"));
    let db = s.add(&c.id("db"), db);
    let cache_subnets =
        ElasticacheSubnetGroup::new(c.nm(&format!("{ENV}-cache")), net.private.clone());
    let cache_subnets = s.add(&c.id("cache_subnets"), cache_subnets);
    let cache = ElasticacheReplicationGroup::new("prod redis", c.nm(&format!("{ENV}-redis")))
        .engine("redis")
        .engine_version("7.1")
        .node_type("cache.r6g.large")
        .num_cache_clusters(2)
        .port(6379)
        .automatic_failover_enabled(true)
        .multi_az_enabled(true)
        .at_rest_encryption_enabled("true") // a string in hashicorp/aws 5.100
        .transit_encryption_enabled(true)
        .kms_key_id(kms.arn())
        .subnet_group_name(cache_subnets.name())
        .security_group_ids([sg.cache.id()])
        .tags(c.tags("redis"));
    let cache = s.add(&c.id("cache"), cache);
    DataStores { db, cache }
}

/// The secret, the alert topic, three alarms and the budget.
fn observability(s: &mut Stack, c: &Replica, kms: &KmsKeyRef, data: &DataStores) {
    let secret = SecretsmanagerSecret::new()
        .name(c.nm(&format!("{ENV}/app/config")))
        .kms_key_id(kms.arn())
        .recovery_window_in_days(30)
        .tags(c.tags("app-secret"));
    s.add(&c.id("app_secret"), secret);
    let topic = SnsTopic::new()
        .name(c.nm(&format!("{ENV}-alerts")))
        .kms_master_key_id(kms.id())
        .tags(c.tags("alerts"));
    let topic = s.add(&c.id("alerts"), topic);
    // (id, namespace, metric, comparison, threshold, dimension, its value)
    let alarms: [Alarm; 3] = [
        (
            "db_cpu_high",
            "AWS/RDS",
            "CPUUtilization",
            "GreaterThanThreshold",
            80,
            "DBInstanceIdentifier",
            data.db.identifier(),
        ),
        (
            "db_storage_low",
            "AWS/RDS",
            "FreeStorageSpace",
            "LessThanThreshold",
            10 * 1024 * 1024 * 1024,
            "DBInstanceIdentifier",
            data.db.identifier(),
        ),
        (
            "cache_cpu_high",
            "AWS/ElastiCache",
            "EngineCPUUtilization",
            "GreaterThanThreshold",
            75,
            "ReplicationGroupId",
            data.cache.id(),
        ),
    ];
    for (aid, namespace, metric, op, threshold, dim, value) in alarms {
        let alarm = CloudwatchMetricAlarm::new(CloudwatchMetricAlarmArgs {
            alarm_name: c.nm(&format!("{ENV}-{}", aid.replace('_', "-"))).into(),
            comparison_operator: op.into(),
            evaluation_periods: 3.into(),
        })
        .period(300)
        .statistic("Average")
        .alarm_actions([topic.arn()])
        .ok_actions([topic.arn()])
        .tags(c.tags(aid))
        .namespace(namespace)
        .metric_name(metric)
        .threshold(threshold)
        .dimensions([(dim, value)]);
        s.add(&c.id(aid), alarm);
    }
    let mut budget = BudgetsBudget::new("COST", "MONTHLY")
        .name(c.nm(&format!("{ENV}-monthly")))
        .limit_amount("10000")
        .limit_unit("USD");
    for t in [50, 80, 100] {
        let n = BudgetsBudgetNotification::new(BudgetsBudgetNotificationArgs {
            comparison_operator: "GREATER_THAN".into(),
            notification_type: if t == 100 { "FORECASTED" } else { "ACTUAL" }.into(),
            threshold: t.into(),
            threshold_type: "PERCENTAGE".into(),
        })
        .subscriber_sns_topic_arns([topic.arn()])
        .subscriber_email_addresses(["platform@example.com"]);
        budget = budget.notification(n);
    }
    s.add(&c.id("budget"), budget);
}
