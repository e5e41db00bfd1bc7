//! The EKS environments (`eks-prod`, `eks-staging`): network, cluster, data, platform
//! (helm releases) and observability stacks, and the values their workloads need.

mod cluster;
mod data;
mod platform;

use terrane_aws::constructs::{Availability, LokiSize, NatGateways, NodeGroup, Vpc};
use terrane_core::{Expr, Target};
use terrane_k8s::{Colour, TrafficStep};

use super::Environment;
use crate::k8s_platform::{self, ApiRollout};

/// Settings that differ between environments of the EKS platform.
#[derive(Debug, Clone)]
pub struct EksEnv {
    /// Environment name (`prod`), the prefix of every name.
    pub name: &'static str,
    /// AWS account the environment lives in (the providers refuse any other).
    pub account_id: &'static str,
    /// Primary region.
    pub region: &'static str,
    /// Region backups and the model bucket are copied to (a second, aliased provider);
    /// `None`: no copy.
    pub backup_region: Option<&'static str>,
    /// VPC CIDR.
    pub cidr: &'static str,
    /// Availability zones.
    pub azs: usize,
    /// NAT gateway layout.
    pub nat: NatGateways,
    /// Database instance class.
    pub db_class: &'static str,
    /// Database standby layout.
    pub db_availability: Availability,
    /// An RDS Proxy pools the workloads' connections to the database.
    pub db_proxy: bool,
    /// Redis node type.
    pub redis_node_type: &'static str,
    /// Redis in cluster mode: this many shards (each a primary and a replica);
    /// `None`: one primary and its replicas.
    pub redis_shards: Option<u32>,
    /// A separate non-cluster Redis of this node type (primary and replica, Multi-AZ)
    /// as the Celery broker; `None`: the cache is the broker, which a sharded cache
    /// cannot be (kombu's Redis transport speaks no cluster mode).
    pub redis_broker_node_type: Option<&'static str>,
    /// Node groups of the cluster.
    pub node_groups: fn() -> Vec<NodeGroup>,
    /// Loki's cache sizes, fitted to the nodes.
    pub loki: LokiSize,
    /// Monthly budget in USD.
    pub budget_usd: u64,
    /// Where alarms and budget alerts go.
    pub alert_email: &'static str,
    /// S3 bucket of the Terraform state.
    pub state_bucket: &'static str,
    /// Blue/green and canary state of the API (production runs blue and green; other
    /// environments one rolling Deployment, where this is ignored).
    pub api_rollout: ApiRollout,
}

fn prod_node_groups() -> Vec<NodeGroup> {
    vec![
        // The reference's 3 to 20 nodes, scaled by cluster-autoscaler.
        NodeGroup::new("general", ["m6i.xlarge"]).scaling(3, 3, 20),
        NodeGroup::new("workers", ["m6i.2xlarge", "m5.2xlarge", "m6a.2xlarge"])
            .spot()
            .scaling(2, 4, 30)
            .label("workload", "batch"),
        // One GPU per node: room for the GPU deployment's 5 replicas (reference 004).
        NodeGroup::gpu("gpu", ["g5.xlarge", "g5.2xlarge"]).scaling(0, 0, 5),
    ]
}

fn staging_node_groups() -> Vec<NodeGroup> {
    vec![
        NodeGroup::new("workers", ["t3.large", "t3a.large", "m5.large"])
            .spot()
            .scaling(1, 2, 4),
    ]
}

/// `eks-prod`: three zones, a NAT gateway per zone, multi-AZ database behind an RDS
/// Proxy with backups copied to us-west-2, sharded Redis, on-demand, spot and GPU node groups.
pub fn eks_prod() -> EksEnv {
    EksEnv {
        name: "prod",
        account_id: "123456789012",
        region: "us-east-1",
        backup_region: Some("us-west-2"),
        cidr: "10.10.0.0/16",
        azs: 3,
        nat: NatGateways::PerAz,
        db_class: "db.r6g.xlarge",
        db_availability: Availability::MultiAz,
        db_proxy: true,
        redis_node_type: "cache.r7g.large",
        redis_shards: Some(3),
        redis_broker_node_type: Some("cache.r7g.large"),
        node_groups: prod_node_groups,
        // m6i.xlarge nodes have 16 GiB: the chunks cache pod requests 4915 MiB.
        loki: LokiSize {
            chunks_cache_mb: 4096,
            results_cache_mb: 1024,
            // As long as the metrics (Prometheus keeps 30 days, reference 001).
            retention_days: 30,
        },
        budget_usd: 25_000,
        alert_email: "platform-oncall@example.com",
        state_bucket: "acme-terraform-state",
        // Reference 001's rollout plan, week 18: the release runs on green and takes
        // 10 % of requests while blue keeps serving the previous one. Next: Percent50,
        // Percent100, then `ApiRollout::settled(Colour::Green)`.
        api_rollout: ApiRollout {
            active: Colour::Blue,
            canary: Some(TrafficStep::Percent10),
            active_tag: Some("1.4.1"),
        },
    }
}

/// `eks-staging`: two zones, one shared NAT gateway, single-AZ database, spot nodes
/// only, a lower budget.
pub fn eks_staging() -> EksEnv {
    EksEnv {
        name: "staging",
        account_id: "123456789012",
        region: "us-east-1",
        backup_region: None,
        cidr: "10.20.0.0/16",
        azs: 2,
        nat: NatGateways::Single,
        db_class: "db.t4g.medium",
        db_availability: Availability::SingleAz,
        db_proxy: false,
        redis_node_type: "cache.t4g.small",
        redis_shards: None,
        redis_broker_node_type: None,
        node_groups: staging_node_groups,
        // t3.large nodes have 8 GiB: the chunks cache pod requests 1229 MiB.
        loki: LokiSize {
            chunks_cache_mb: 1024,
            results_cache_mb: 256,
            retention_days: 30,
        },
        budget_usd: 3_000,
        alert_email: "platform-staging@example.com",
        state_bucket: "acme-terraform-state",
        api_rollout: ApiRollout::settled(Colour::Blue),
    }
}

impl EksEnv {
    fn environment<'a>(&'a self, target: &'a str) -> Environment<'a> {
        Environment {
            target,
            name: self.name,
            account_id: self.account_id,
            region: self.region,
            state_bucket: self.state_bucket,
            alert_email: self.alert_email,
            budget_usd: self.budget_usd,
        }
    }

    /// The environment's public domain (hosts are `<app>.<domain>`).
    pub fn domain(&self) -> String {
        if self.name == "prod" {
            "example.com".to_string()
        } else {
            format!("{}.example.com", self.name)
        }
    }

    /// The kustomize overlay of the environment (`k8s/overlays/<overlay>`).
    pub fn overlay(&self) -> &'static str {
        if self.name == "prod" {
            "production"
        } else {
            self.name
        }
    }

    /// True when a node group of the environment has NVIDIA GPUs.
    pub fn has_gpu_nodes(&self) -> bool {
        (self.node_groups)().iter().any(NodeGroup::is_gpu)
    }
}

/// The typed values the Kubernetes workloads of an EKS target need: IRSA role ARNs,
/// endpoints and secret ARNs. Each is an expression of the stack that declares it;
/// used from another stack or from manifests it becomes an output there.
#[derive(Debug, Clone)]
pub struct EksWorkloadValues {
    /// Cluster name.
    pub cluster_name: Expr<String>,
    /// API server endpoint.
    pub cluster_endpoint: Expr<String>,
    /// IRSA role of the `shop/api` service account.
    pub api_role_arn: Expr<String>,
    /// IRSA role of the `shop/worker` service account.
    pub worker_role_arn: Expr<String>,
    /// PostgreSQL endpoint (`host:port`).
    pub db_endpoint: Expr<String>,
    /// Secret with the database master credentials (managed by RDS).
    pub db_secret_arn: Expr<String>,
    /// Redis endpoint host (the configuration endpoint in cluster mode).
    pub redis_endpoint: Expr<String>,
    /// The cache's IAM users.
    pub redis_users: k8s_platform::RedisUsers,
    /// Replication group id of the cache.
    pub redis_group_id: String,
    /// Celery broker Redis endpoint host (non-cluster).
    pub broker_endpoint: Expr<String>,
    /// The broker's IAM users (the cache's where the cache is the broker).
    pub broker_users: k8s_platform::RedisUsers,
    /// Replication group id of the broker.
    pub broker_group_id: String,
    /// Registry of the API image (`<env>/shop/api`).
    pub api_repository_url: Expr<String>,
    /// Registry of the worker image (`<env>/shop/worker`).
    pub worker_repository_url: Expr<String>,
    /// Registry of the ML inference image (`<env>/shop/ml-api`).
    pub ml_api_repository_url: Expr<String>,
    /// IRSA role of the ML inference API.
    pub ml_api_role_arn: Expr<String>,
    /// IRSA role of the GPU variant of the ML inference API.
    pub ml_api_gpu_role_arn: Expr<String>,
    /// IRSA role of the SecretStore's service account.
    pub secrets_reader_role_arn: Expr<String>,
    /// PostgreSQL host name the workloads connect to (the RDS Proxy where there is one).
    pub db_address: Expr<String>,
}

/// Builds the stacks of one EKS environment into `t`: network, cluster, data,
/// platform (helm releases) and observability; returns what workloads need.
pub fn build_eks(t: &mut Target, env: &EksEnv) -> EksWorkloadValues {
    let target = t.name().to_string();
    let e = env.environment(&target);
    let n = env.name;

    // network: VPC, subnets, NAT, flow logs
    let (network, vpc) = e.network(
        Vpc::new(n, env.cidr, env.region)
            .azs(env.azs)
            .nat_gateways(env.nat)
            .eks_cluster(n),
    );

    // cluster: EKS, node groups, add-ons, the controllers' roles
    let (cluster, eks) = cluster::cluster_stack(&e, env, &vpc);

    // data: database, cache, buckets, registries, secrets, workload roles
    let (data, stores, roles) = data::data_stack(&e, env, &vpc, &eks.cluster);

    // platform: helm releases on the cluster
    let platform = platform::platform_stack(&target, env, &vpc, &eks, &stores, &roles);

    // observability and cost: alarms, dashboard, budget
    let observability = e.observability(stores.db.identifier(), None);

    let values = EksWorkloadValues {
        cluster_name: eks.cluster.name(),
        cluster_endpoint: eks.cluster.endpoint(),
        api_role_arn: roles.api.arn(),
        worker_role_arn: roles.worker.arn(),
        db_endpoint: stores.db.endpoint(),
        db_secret_arn: stores.db.master_secret_arn(),
        redis_endpoint: stores.redis_endpoint.clone(),
        redis_users: data::redis_users(&stores.redis),
        redis_group_id: stores.redis.replication_group_id().to_string(),
        broker_endpoint: stores.broker.endpoint(),
        broker_users: data::redis_users(&stores.broker),
        broker_group_id: stores.broker.replication_group_id().to_string(),
        api_repository_url: stores.repositories.api.clone(),
        worker_repository_url: stores.repositories.worker.clone(),
        ml_api_repository_url: stores.repositories.ml_api.clone(),
        ml_api_role_arn: roles.ml_api.arn(),
        ml_api_gpu_role_arn: roles.ml_api_gpu.arn(),
        secrets_reader_role_arn: roles.secrets_reader.arn(),
        db_address: stores.db_host.clone(),
    };
    t.add_stack(network);
    t.add_stack(cluster);
    t.add_stack(data);
    t.add_stack(platform);
    t.add_stack(observability);
    values
}

/// An EKS environment and the Kubernetes workloads that run on it, written to
/// `out/<target>/k8s/` with the Terraform values they need bridged from the stacks.
pub fn add_eks_with_workloads(t: &mut Target, env: &EksEnv) {
    let v = build_eks(t, env);
    let groups = (env.node_groups)();
    let gpu = groups
        .iter()
        .any(|g| g.labels().get("accelerator").map(String::as_str) == Some("nvidia"));
    let on_demand_nodes = groups.iter().any(|g| {
        g.capacity() == terrane_aws::constructs::Capacity::OnDemand
            && !g.labels().contains_key("accelerator")
    });
    let data = |name: &str| terrane_k8s::TfValue::output("data", name);
    let domain = env.domain();
    let inputs = k8s_platform::PlatformInputs {
        env: env.name.to_string(),
        region: env.region.to_string(),
        gpu,
        on_demand_nodes,
        domain,
        acme_email: "platform@example.com".into(),
        alert_email: env.alert_email.to_string(),
        release: k8s_platform::Release {
            app_tag: "1.4.2".into(),
            ml_tag: "0.9.1".into(),
        },
        api_rollout: env.api_rollout,
        db_endpoint: v.db_address.into(),
        redis_endpoint: v.redis_endpoint.into(),
        broker_endpoint: v.broker_endpoint.into(),
        db_secret_arn: v.db_secret_arn.into(),
        redis_users: v.redis_users,
        broker_users: v.broker_users,
        redis_group_id: v.redis_group_id,
        broker_group_id: v.broker_group_id,
        ingress_waf_acl_arn: terrane_k8s::TfValue::output("cluster", "ingress_waf_acl_arn"),
        api_repository_url: data("api_repository_url"),
        worker_repository_url: data("worker_repository_url"),
        ml_api_repository_url: data("ml_api_repository_url"),
        api_role_arn: v.api_role_arn.into(),
        ml_api_role_arn: v.ml_api_role_arn.into(),
        ml_api_gpu_role_arn: v.ml_api_gpu_role_arn.into(),
        worker_role_arn: v.worker_role_arn.into(),
        secrets_reader_role_arn: v.secrets_reader_role_arn.into(),
    };
    t.add_files(k8s_platform::manifests(&inputs));
}
