//! `RedisCluster`: an ElastiCache (Redis OSS) replication group with automatic
//! failover across zones, encryption at rest and in transit, and an AUTH token kept
//! in Secrets Manager.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{Expr, Number, Set, Stack, Value};

use super::secret::{Secret, SecretHandle};
use crate::elasticache::{
    ElasticacheReplicationGroup, ElasticacheReplicationGroupRef, ElasticacheSubnetGroup,
};
use crate::vpc::SecurityGroupRef;

/// A Redis replication group.
///
/// Defaults: Redis 7.1, `cache.r7g.large`, one primary and one replica per zone
/// (at least 2 nodes), multi-AZ with automatic failover, encryption at rest with the
/// given KMS key and in transit (TLS required), the AUTH token stored in Secrets
/// Manager and read back from there, 7 days of snapshots, and a security group
/// that lets port 6379 in from the given security groups only.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::RedisCluster;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("data");
/// let subnets = vec![Expr::<String>::raw("var.a").into(), Expr::<String>::raw("var.b").into()];
/// let token = Expr::<String>::raw("var.redis_token");
/// let redis = RedisCluster::new("cache", Expr::<String>::raw("var.vpc"), subnets, Expr::<String>::raw("var.key"), token)
///     .add_to(&mut s);
/// assert_eq!(redis.primary_endpoint().to_hcl(), "aws_elasticache_replication_group.cache.primary_endpoint_address");
/// ```
#[derive(Debug, Clone)]
pub struct RedisCluster {
    name: String,
    vpc_id: Value<String>,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    auth_token: Value<String>,
    node_type: String,
    nodes: u32,
    shards: Option<Shards>,
    allowed_sgs: Vec<Value<String>>,
    tags: BTreeMap<String, String>,
}

/// The layout of a Redis cluster in cluster mode: `count` shards, each a primary and
/// `replicas` replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    /// Number of shards (node groups), 1 to 500.
    pub count: u32,
    /// Replicas of each shard's primary (at least 1 for failover).
    pub replicas: u32,
}

/// A declared [`RedisCluster`].
#[derive(Debug, Clone)]
pub struct RedisClusterHandle {
    group: ElasticacheReplicationGroupRef,
    auth_secret: SecretHandle,
    security_group: SecurityGroupRef,
    cluster_mode: bool,
}

impl RedisClusterHandle {
    /// The host clients connect to: the configuration endpoint in cluster mode, the
    /// primary endpoint otherwise.
    pub fn endpoint(&self) -> Expr<String> {
        if self.cluster_mode {
            self.group.configuration_endpoint_address()
        } else {
            self.primary_endpoint()
        }
    }
    /// The replication group.
    pub fn group(&self) -> &ElasticacheReplicationGroupRef {
        &self.group
    }
    /// The secret holding the AUTH token.
    pub fn auth_secret(&self) -> &SecretHandle {
        &self.auth_secret
    }
    /// Its security group.
    pub fn security_group(&self) -> &SecurityGroupRef {
        &self.security_group
    }
    /// The primary endpoint's host name.
    pub fn primary_endpoint(&self) -> Expr<String> {
        self.group.primary_endpoint_address()
    }
    /// The reader endpoint's host name.
    pub fn reader_endpoint(&self) -> Expr<String> {
        self.group.reader_endpoint_address()
    }
    /// The port.
    pub fn port(&self) -> Expr<Number> {
        self.group.port()
    }
    /// ARN of the secret holding the AUTH token.
    pub fn auth_secret_arn(&self) -> Expr<String> {
        self.auth_secret.arn()
    }
}

impl RedisCluster {
    /// A replication group named `name` in `subnet_ids`; `auth_token` is the initial
    /// token value (a sensitive variable supplied at apply), stored in Secrets Manager.
    /// A literal token is reported at synth.
    pub fn new(
        name: &str,
        vpc_id: impl Into<Value<String>>,
        subnet_ids: Vec<Value<String>>,
        kms_key_arn: impl Into<Value<String>>,
        auth_token: impl Into<Value<String>>,
    ) -> Self {
        let nodes = subnet_ids.len().max(2) as u32;
        RedisCluster {
            name: name.to_string(),
            vpc_id: vpc_id.into(),
            subnet_ids,
            kms_key_arn: kms_key_arn.into(),
            auth_token: auth_token.into(),
            node_type: "cache.r7g.large".into(),
            nodes,
            shards: None,
            allowed_sgs: Vec::new(),
            tags: BTreeMap::new(),
        }
    }
    /// Node type (`cache.t4g.small`).
    pub fn node_type(mut self, t: &str) -> Self {
        self.node_type = t.into();
        self
    }
    /// Number of nodes (one primary, the rest replicas; at least 2 for failover).
    pub fn nodes(mut self, n: u32) -> Self {
        self.nodes = n;
        self
    }
    /// Cluster mode (sharded): data partitioned over `shards.count` primaries, each
    /// with `shards.replicas` replicas spread over the subnets' zones; replaces
    /// [`RedisCluster::nodes`]. Clients connect to the configuration endpoint.
    pub fn sharded(mut self, shards: Shards) -> Self {
        self.shards = Some(shards);
        self
    }
    /// Lets port 6379 in from this security group.
    pub fn allow_from(mut self, security_group_id: impl Into<Value<String>>) -> Self {
        self.allowed_sgs.push(security_group_id.into());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

impl Construct for RedisCluster {
    type Handle = RedisClusterHandle;

    /// Adds the replication group, its subnet group, security group and token secret.
    fn add_to(self, stack: &mut Stack) -> RedisClusterHandle {
        let id = block_name(&self.name);
        let addr = address("aws_elasticache_replication_group", &self.name);
        if let Some(shards) = self.shards {
            if shards.replicas < 1 {
                stack.report(
                    &addr,
                    "replicas_per_node_group",
                    "automatic failover needs at least 1 replica per shard, got 0",
                );
            }
        } else if self.nodes < 2 {
            stack.report(
                &addr,
                "num_cache_clusters",
                format!(
                    "automatic failover needs at least 2 nodes, got {}",
                    self.nodes
                ),
            );
        }
        if matches!(self.auth_token, Value::Lit(_)) {
            // a literal would sit in the program, the output and the state
            stack.report(
                &addr,
                "auth_token",
                "the AUTH token must come from a sensitive variable (Variable::sensitive().supplied_at_apply()), never a literal",
            );
        }
        let tags = super::tags(&self.name, &self.tags);
        let secret = Secret::new(
            &format!("{}/redis-auth-token", self.name),
            self.kms_key_arn.clone(),
        )
        .description("AUTH token of the Redis replication group")
        .value(self.auth_token.clone())
        .add_to(stack);
        let token = secret.value().unwrap_or_else(|| Expr::raw("null"));
        let subnets = stack.add(
            &id,
            ElasticacheSubnetGroup::new(
                format!("{}-redis", self.name),
                Value::Lit(Set(self.subnet_ids.clone())),
            )
            .description(format!("Subnets of Redis {}", self.name))
            .tags(tags.clone()),
        );
        let sg = super::ingress_only_sg(
            stack,
            &format!("{id}_redis"),
            &format!("{}-redis", self.name),
            &format!("Redis {}", self.name),
            self.vpc_id.clone(),
            6379,
            &self.allowed_sgs,
            &self.tags,
        );
        let mut group =
            ElasticacheReplicationGroup::new(format!("Redis {}", self.name), self.name.as_str());
        group = match self.shards {
            Some(shards) => group
                .cluster_mode("enabled")
                .parameter_group_name("default.redis7.cluster.on")
                .num_node_groups(shards.count)
                .replicas_per_node_group(shards.replicas),
            None => group.num_cache_clusters(self.nodes),
        };
        let group = stack.add(
            &id,
            group
                .engine("redis")
                .engine_version("7.1")
                .node_type(self.node_type.as_str())
                .port(6379)
                .subnet_group_name(subnets.name())
                .security_group_ids(vec![sg.id()])
                .automatic_failover_enabled(true)
                .multi_az_enabled(true)
                .at_rest_encryption_enabled("true")
                .kms_key_id(self.kms_key_arn.clone())
                .transit_encryption_enabled(true)
                .auth_token(token)
                .auto_minor_version_upgrade("true")
                .snapshot_retention_limit(7)
                .snapshot_window("02:00-03:00")
                .maintenance_window("sun:05:00-sun:06:00")
                .apply_immediately(false)
                .tags(tags),
        );
        RedisClusterHandle {
            group,
            auth_secret: secret,
            security_group: sg,
            cluster_mode: self.shards.is_some(),
        }
    }
}
