//! What the platform's manifests take from Terraform and from the environment.

use terrane_k8s::{Colour, TfValue, TrafficStep};

/// How production API traffic is split between its blue and green Deployments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiRollout {
    /// The colour Service `api` sends traffic to: switching is this one value (and
    /// one changed line of the rendered Service).
    pub active: Colour,
    /// Share of traffic shifted to the other colour through a canary Ingress during a
    /// rollout: 10% -> 50% -> 100%, then switch `active` and set `None`.
    pub canary: Option<TrafficStep>,
    /// During a canary, the API image tag the active colour keeps serving while the
    /// other colour runs the release ([`Release::app_tag`]); `None`: both colours run
    /// the release. Ignored without a canary (both colours then run the release).
    pub active_tag: Option<&'static str>,
}

impl ApiRollout {
    /// Every request to `active`, both colours on the release: no rollout under way.
    pub fn settled(active: Colour) -> Self {
        ApiRollout {
            active,
            canary: None,
            active_tag: None,
        }
    }
}

/// The name of a platform secret in Secrets Manager: `<env>/platform/<name>`, so
/// environments sharing an account and region never collide.
///
/// ```
/// assert_eq!(terrane_stacks::k8s_platform::remote_secret("prod", "api"), "prod/platform/api");
/// ```
pub fn remote_secret(env: &str, name: &str) -> String {
    format!("{env}/{}/{name}", super::NAMESPACE)
}

/// The ElastiCache users (IAM authentication, no password) the workloads connect to
/// one Redis as: the API's and the Celery workers' (each signs its token with its own
/// IRSA role, which may connect as its user only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisUsers {
    /// User name of the API (`<redis>-api`).
    pub api: String,
    /// User name of the Celery workers and beat (`<redis>-worker`).
    pub worker: String,
}

impl RedisUsers {
    /// The users `<redis>-api` and `<redis>-worker` of the Redis named `redis`
    /// (`RedisCluster::iam_user`).
    pub fn of(redis: &str) -> Self {
        RedisUsers {
            api: format!("{redis}-api"),
            worker: format!("{redis}-worker"),
        }
    }
}

/// The release being deployed: one image tag for every workload image (the API,
/// worker and ML images are built together). Changing it is the one-line change of a
/// release; the migration Job is named after it, so it runs once per release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Tag of the API and worker images (`1.4.2`).
    pub app_tag: String,
    /// Tag of the ML inference image (`0.9.1`).
    pub ml_tag: String,
}

/// The Terraform values and environment settings the workloads read. Each
/// [`TfValue`] is an `Expr<String>` of one of the target's stacks (exported as an
/// output at synth), or an output a stack already declares.
#[derive(Debug, Clone)]
pub struct PlatformInputs {
    /// Environment name (`prod`, `staging`): the prefix of account-scoped names.
    pub env: String,
    /// AWS region of Secrets Manager and SES.
    pub region: String,
    /// Whether the cluster has a GPU node group (`accelerator=nvidia`); without one, no
    /// GPU workload is deployed.
    pub gpu: bool,
    /// Whether the cluster has an on-demand node group besides GPU ones: the serving APIs
    /// are then pinned to on-demand nodes, away from spot interruptions.
    pub on_demand_nodes: bool,
    /// DNS zone of the public hosts (`example.com`, `staging.example.com`).
    pub domain: String,
    /// Contact of the Let's Encrypt account (expiry notices).
    pub acme_email: String,
    /// Where P0 and P3 alerts are mailed.
    pub alert_email: String,
    /// The release's image tags.
    pub release: Release,
    /// Blue/green and canary state of the production API.
    pub api_rollout: ApiRollout,
    /// PostgreSQL (RDS) endpoint host.
    pub db_endpoint: TfValue,
    /// Redis (ElastiCache) endpoint host: the cache.
    pub redis_endpoint: TfValue,
    /// Celery broker Redis endpoint host (non-cluster).
    pub broker_endpoint: TfValue,
    /// ARN of RDS's managed master secret (properties `username`, `password`).
    pub db_secret_arn: TfValue,
    /// The cache's IAM users.
    pub redis_users: RedisUsers,
    /// The Celery broker's IAM users (the cache's where the cache is the broker).
    pub broker_users: RedisUsers,
    /// Replication group id of the cache: its nodes' CloudWatch metrics (cache
    /// clusters `<id>-<number>`) are what the Redis alerts and dashboard read.
    pub redis_group_id: String,
    /// Replication group id of the Celery broker (the cache's where it is the broker).
    pub broker_group_id: String,
    /// WAF web ACL of the public ALB.
    pub ingress_waf_acl_arn: TfValue,
    /// ECR repository of the API image (also run by workers, beat and jobs).
    pub api_repository_url: TfValue,
    /// ECR repository of the worker image.
    pub worker_repository_url: TfValue,
    /// ECR repository of the ML inference image.
    pub ml_api_repository_url: TfValue,
    /// IRSA role of the API.
    pub api_role_arn: TfValue,
    /// IRSA role of the ML inference API.
    pub ml_api_role_arn: TfValue,
    /// IRSA role of the GPU variant of the ML inference API.
    pub ml_api_gpu_role_arn: TfValue,
    /// IRSA role of the workers.
    pub worker_role_arn: TfValue,
    /// IRSA role that external-secrets uses to read Secrets Manager.
    pub secrets_reader_role_arn: TfValue,
}

impl PlatformInputs {
    /// Production inputs read from outputs named after the value, in stacks `data`
    /// and `eks`.
    pub fn named_outputs() -> Self {
        let data = |name: &str| TfValue::output("data", name);
        let eks = |name: &str| TfValue::output("eks", name);
        Self {
            env: "prod".into(),
            region: "us-east-1".into(),
            gpu: true,
            on_demand_nodes: true,
            domain: "example.com".into(),
            acme_email: "platform@example.com".into(),
            alert_email: "oncall@example.com".into(),
            release: Release {
                app_tag: "1.4.2".into(),
                ml_tag: "0.9.1".into(),
            },
            api_rollout: ApiRollout::settled(Colour::Blue),
            db_endpoint: data("db_endpoint"),
            redis_endpoint: data("redis_endpoint"),
            broker_endpoint: data("broker_endpoint"),
            db_secret_arn: data("db_secret_arn"),
            redis_users: RedisUsers::of("prod-cache"),
            broker_users: RedisUsers::of("prod-broker"),
            redis_group_id: "prod-cache".into(),
            broker_group_id: "prod-broker".into(),
            ingress_waf_acl_arn: TfValue::output("cluster", "ingress_waf_acl_arn"),
            api_repository_url: data("api_repository_url"),
            worker_repository_url: data("worker_repository_url"),
            ml_api_repository_url: data("ml_api_repository_url"),
            api_role_arn: eks("api_role_arn"),
            ml_api_role_arn: eks("ml_api_role_arn"),
            ml_api_gpu_role_arn: eks("ml_api_gpu_role_arn"),
            worker_role_arn: eks("worker_role_arn"),
            secrets_reader_role_arn: eks("secrets_reader_role_arn"),
        }
    }

    /// `<app>.<domain>`.
    pub fn host(&self, app: &str) -> String {
        format!("{app}.{}", self.domain)
    }
}
