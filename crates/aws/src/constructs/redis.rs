//! `RedisCluster`: an ElastiCache (Redis OSS) replication group with automatic
//! failover across zones, encryption at rest and in transit, and IAM authentication
//! (RBAC users, no password anywhere).

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{Expr, Number, Set, Stack, Value};

use super::policy::PolicyStatement;
use crate::elasticache::{
    ElasticacheReplicationGroup, ElasticacheReplicationGroupRef, ElasticacheSubnetGroup,
    ElasticacheUser, ElasticacheUserArgs, ElasticacheUserAuthenticationMode, ElasticacheUserGroup,
    ElasticacheUserGroupRef, ElasticacheUserRef,
};
use crate::vpc::SecurityGroupRef;

/// A Redis replication group.
///
/// Defaults: Redis 7.1, `cache.r7g.large`, one primary and one replica per zone
/// (at least 2 nodes), multi-AZ with automatic failover, encryption at rest with the
/// given KMS key and in transit (TLS required), 7 days of snapshots, and a security
/// group that lets port 6379 in from the given security groups only.
///
/// Authentication is ElastiCache RBAC with IAM: no AUTH token and no password in
/// Terraform state or anywhere else. The group's user group holds a replacement
/// `default` user that is switched off (`off -@all`: a connection that does not
/// authenticate can run no command) and one IAM user per workload
/// ([`RedisCluster::iam_user`], `user_id` = `user_name` = `<name>-<workload>`, as
/// IAM authentication requires). A workload connects as its user with a SigV4 token
/// signed by its role (valid 15 minutes; connections re-authenticate within 12 hours),
/// which needs `elasticache:Connect` on the group and the user
/// ([`RedisClusterHandle::connect_statement`]).
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::RedisCluster;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("data");
/// let subnets = vec![Expr::<String>::raw("var.a").into(), Expr::<String>::raw("var.b").into()];
/// let redis = RedisCluster::new("cache", Expr::<String>::raw("var.vpc"), subnets, Expr::<String>::raw("var.key"))
///     .iam_user("api")
///     .add_to(&mut s);
/// assert_eq!(redis.primary_endpoint().to_hcl(), "aws_elasticache_replication_group.cache.primary_endpoint_address");
/// assert_eq!(redis.user_name("api").as_deref(), Some("cache-api"));
/// assert!(redis.connect_statement("api").is_some());
/// ```
#[derive(Debug, Clone)]
pub struct RedisCluster {
    name: String,
    vpc_id: Value<String>,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    iam_users: Vec<String>,
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
    name: String,
    group: ElasticacheReplicationGroupRef,
    user_group: ElasticacheUserGroupRef,
    /// The IAM users by workload, with their names.
    users: Vec<(String, String, ElasticacheUserRef)>,
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
    /// The replication group's id (the name given to [`RedisCluster::new`]); its
    /// cache clusters (nodes) are `<id>-<number>`.
    pub fn replication_group_id(&self) -> &str {
        &self.name
    }
    /// The replication group.
    pub fn group(&self) -> &ElasticacheReplicationGroupRef {
        &self.group
    }
    /// The user group of the replication group (the disabled `default` user and the
    /// IAM users).
    pub fn user_group(&self) -> &ElasticacheUserGroupRef {
        &self.user_group
    }
    /// The user name workload `workload` connects as (`<name>-<workload>`), if it was
    /// given an IAM user.
    pub fn user_name(&self, workload: &str) -> Option<String> {
        self.user(workload).map(|(name, _)| name.to_string())
    }
    /// `elasticache:Connect` on the replication group and workload `workload`'s user:
    /// what its role needs to connect with IAM authentication.
    pub fn connect_statement(&self, workload: &str) -> Option<PolicyStatement> {
        self.user(workload).map(|(_, user)| {
            PolicyStatement::allow(["elasticache:Connect"])
                .resource(self.group.arn())
                .resource(user.arn())
        })
    }
    fn user(&self, workload: &str) -> Option<(&str, &ElasticacheUserRef)> {
        self.users
            .iter()
            .find(|(w, _, _)| w == workload)
            .map(|(_, name, user)| (name.as_str(), user))
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
}

impl RedisCluster {
    /// A replication group named `name` in `subnet_ids`, encrypted with `kms_key_arn`.
    /// Give it at least one [`RedisCluster::iam_user`]: without one nothing can
    /// connect (reported at synth).
    pub fn new(
        name: &str,
        vpc_id: impl Into<Value<String>>,
        subnet_ids: Vec<Value<String>>,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        let nodes = subnet_ids.len().max(2) as u32;
        RedisCluster {
            name: name.to_string(),
            vpc_id: vpc_id.into(),
            subnet_ids,
            kms_key_arn: kms_key_arn.into(),
            iam_users: Vec::new(),
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
    /// An IAM-authenticated user for workload `workload` (lowercase letters, digits
    /// and hyphens), named `<name>-<workload>`, allowed every command on every key.
    pub fn iam_user(mut self, workload: &str) -> Self {
        self.iam_users.push(workload.to_string());
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

    /// Adds the replication group, its subnet group, security group, users and user
    /// group.
    fn add_to(self, stack: &mut Stack) -> RedisClusterHandle {
        let id = block_name(&self.name);
        let addr = address("aws_elasticache_replication_group", &self.name);
        self.report_no_failover(stack, &addr);
        let tags = super::tags(&self.name, &self.tags);
        let (user_group, users) = self.users(stack, &addr, &tags);
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
        let group = stack.add(
            &id,
            self.replication_group(subnets.name(), sg.id(), user_group.user_group_id(), tags),
        );
        RedisClusterHandle {
            name: self.name.clone(),
            group,
            user_group,
            users,
            security_group: sg,
            cluster_mode: self.shards.is_some(),
        }
    }
}

impl RedisCluster {
    /// Reports a layout that cannot fail over automatically: a shard without a
    /// replica, or fewer than 2 nodes.
    fn report_no_failover(&self, stack: &mut Stack, addr: &str) {
        if let Some(shards) = self.shards {
            if shards.replicas < 1 {
                stack.report(
                    addr,
                    "replicas_per_node_group",
                    "automatic failover needs at least 1 replica per shard, got 0",
                );
            }
        } else if self.nodes < 2 {
            stack.report(
                addr,
                "num_cache_clusters",
                format!(
                    "automatic failover needs at least 2 nodes, got {}",
                    self.nodes
                ),
            );
        }
    }

    /// The replication group itself: the layout (shards or nodes), the engine, the
    /// network, encryption, the user group and the maintenance settings.
    fn replication_group(
        &self,
        subnet_group_name: Expr<String>,
        security_group_id: Expr<String>,
        user_group_id: Expr<String>,
        tags: BTreeMap<String, String>,
    ) -> ElasticacheReplicationGroup {
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
        group
            .engine("redis")
            .engine_version("7.1")
            .node_type(self.node_type.as_str())
            .port(6379)
            .subnet_group_name(subnet_group_name)
            .security_group_ids(vec![security_group_id])
            .automatic_failover_enabled(true)
            .multi_az_enabled(true)
            .at_rest_encryption_enabled("true")
            .kms_key_id(self.kms_key_arn.clone())
            .transit_encryption_enabled(true)
            .user_group_ids(Value::Lit(Set(vec![user_group_id.into()])))
            .auto_minor_version_upgrade("true")
            .snapshot_retention_limit(7)
            .snapshot_window("02:00-03:00")
            .maintenance_window("sun:05:00-sun:06:00")
            .apply_immediately(false)
            .tags(tags)
    }

    /// The disabled `default` user, one IAM user per workload and their user group;
    /// reports a group nobody can connect to and user names ElastiCache refuses.
    fn users(
        &self,
        stack: &mut Stack,
        group_addr: &str,
        tags: &BTreeMap<String, String>,
    ) -> (
        ElasticacheUserGroupRef,
        Vec<(String, String, ElasticacheUserRef)>,
    ) {
        if self.iam_users.is_empty() {
            stack.report(
                group_addr,
                "user_group_ids",
                "no IAM user (RedisCluster::iam_user): the only user is the disabled default user, so nothing can connect",
            );
        }
        let id = block_name(&self.name);
        // ElastiCache needs a user named `default` in every user group; this one can
        // run no command, so an unauthenticated connection gets nothing.
        let default = stack.add(
            &format!("{id}_default"),
            ElasticacheUser::new(ElasticacheUserArgs {
                access_string: "off -@all".into(),
                engine: "redis".into(),
                user_id: format!("{}-default", self.name).into(),
                user_name: "default".into(),
            })
            .authentication_mode(ElasticacheUserAuthenticationMode::new(
                "no-password-required",
            ))
            .tags(tags.clone()),
        );
        let mut user_ids = vec![default.user_id().into()];
        let mut users = Vec::new();
        for workload in &self.iam_users {
            let name = format!("{}-{workload}", self.name);
            let block = format!("{id}_{}", block_name(workload));
            if !valid_user_id(&name) {
                stack.report(
                    &address("aws_elasticache_user", &block),
                    "user_id",
                    format!("`{name}` is not an ElastiCache user id: a letter, then lowercase letters, digits and single hyphens, not ending in a hyphen"),
                );
            }
            // IAM authentication requires user_id == user_name.
            let user = stack.add(
                &block,
                ElasticacheUser::new(ElasticacheUserArgs {
                    access_string: "on ~* +@all".into(),
                    engine: "redis".into(),
                    user_id: name.clone().into(),
                    user_name: name.clone().into(),
                })
                .authentication_mode(ElasticacheUserAuthenticationMode::new("iam"))
                .tags(tags.clone()),
            );
            user_ids.push(user.user_id().into());
            users.push((workload.clone(), name, user));
        }
        let group = stack.add(
            &id,
            ElasticacheUserGroup::new("redis", self.name.as_str())
                .user_ids(Value::Lit(Set(user_ids)))
                .tags(tags.clone()),
        );
        (group, users)
    }
}

/// ElastiCache's user id rule: starts with a letter, lowercase letters, digits and
/// hyphens, no two hyphens in a row, no trailing hyphen (lowercase: IAM
/// authentication signs the name as given).
fn valid_user_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.contains("--")
        && !id.ends_with('-')
}
