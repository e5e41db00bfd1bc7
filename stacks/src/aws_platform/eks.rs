//! The EKS environments (`eks-prod`, `eks-staging`): network, cluster, data, platform
//! (helm releases) and observability stacks, and the values their workloads need.

use terrane_aws::constructs::KmsKey;
use terrane_aws::constructs::{
    Availability, BackupCopy, Bucket, BucketHandle, EksCluster, EksClusterHandle, HelmChart,
    HelmReleases, IrsaRole, KmsKeyHandle, NatGateways, NodeGroup, PolicyStatement, RdsPostgres,
    RdsPostgresHandle, RedisCluster, RedisClusterHandle, Registry, RegistryHandle, Secret, Vpc,
    VpcHandle,
};
use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Output, Stack, Target, Variable};

use super::{new_stack, provider, Environment};
use crate::k8s_platform;

/// Settings that differ between environments of the EKS platform.
#[derive(Debug, Clone)]
pub struct EksEnv {
    /// Environment name (`prod`), the prefix of every name.
    pub name: &'static str,
    /// AWS account the environment lives in.
    pub account_id: &'static str,
    /// Primary region.
    pub region: &'static str,
    /// Region backups are copied to (a second, aliased provider); `None`: no copy.
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
    /// Redis node type.
    pub redis_node_type: &'static str,
    /// Node groups of the cluster.
    pub node_groups: fn() -> Vec<NodeGroup>,
    /// Monthly budget in USD.
    pub budget_usd: u64,
    /// Where alarms and budget alerts go.
    pub alert_email: &'static str,
    /// S3 bucket of the Terraform state.
    pub state_bucket: &'static str,
}

fn prod_node_groups() -> Vec<NodeGroup> {
    vec![
        NodeGroup::new("general", ["m6i.xlarge"]).scaling(3, 3, 9),
        NodeGroup::new("workers", ["m6i.2xlarge", "m5.2xlarge", "m6a.2xlarge"])
            .spot()
            .scaling(2, 4, 30)
            .label("workload", "batch"),
        NodeGroup::gpu("gpu", ["g5.xlarge", "g5.2xlarge"]).scaling(0, 0, 4),
    ]
}

fn staging_node_groups() -> Vec<NodeGroup> {
    vec![
        NodeGroup::new("workers", ["t3.large", "t3a.large", "m5.large"])
            .spot()
            .scaling(1, 2, 4),
    ]
}

/// `eks-prod`: three zones, a NAT gateway per zone, multi-AZ database with backups
/// copied to us-west-2, on-demand, spot and GPU node groups.
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
        redis_node_type: "cache.r7g.large",
        node_groups: prod_node_groups,
        budget_usd: 25_000,
        alert_email: "platform-oncall@example.com",
        state_bucket: "acme-terraform-state",
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
        redis_node_type: "cache.t4g.small",
        node_groups: staging_node_groups,
        budget_usd: 3_000,
        alert_email: "platform-staging@example.com",
        state_bucket: "acme-terraform-state",
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
    /// Redis primary endpoint host.
    pub redis_endpoint: Expr<String>,
    /// Secret with the Redis AUTH token.
    pub redis_secret_arn: Expr<String>,
    /// Registry of the API image.
    pub api_repository_url: Expr<String>,
    /// IRSA role of the ML inference API.
    pub ml_api_role_arn: Expr<String>,
    /// IRSA role of the GPU variant of the ML inference API.
    pub ml_api_gpu_role_arn: Expr<String>,
    /// IRSA role of the SecretStore's service account.
    pub secrets_reader_role_arn: Expr<String>,
    /// PostgreSQL host name.
    pub db_address: Expr<String>,
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

    // cluster: EKS, node groups, add-ons
    let mut cluster = e.stack("cluster");
    let cluster_key =
        KmsKey::new(&format!("{n}-eks"), env.account_id, env.region).add_to(&mut cluster);
    let mut eks = EksCluster::new(n, vpc.private_subnet_ids(), cluster_key.arn());
    for g in (env.node_groups)() {
        eks = eks.node_group(g);
    }
    let eks = eks.add_to(&mut cluster);
    cluster.output(
        "cluster_name",
        Output::new(eks.name()).description("EKS cluster name"),
    );

    // data: database, cache, buckets, registries, secrets, workload roles
    let mut data = e.stack("data");
    let stores = data_stores(&mut data, env, &vpc, &eks);
    let roles = workload_roles(&mut data, env, &eks, &stores);
    data_outputs(&mut data, &stores, &roles);

    // platform: helm releases on the cluster
    let mut platform = new_stack(&target, "platform", env.state_bucket);
    HelmReleases::new(&eks)
        .chart(HelmChart::kube_prometheus_stack(15, 100))
        .chart(HelmChart::loki(
            stores.logs.name(),
            env.region,
            roles.loki.arn(),
        ))
        .chart(HelmChart::ingress_nginx(if env.azs > 2 { 3 } else { 2 }))
        .chart(HelmChart::cert_manager())
        .chart(HelmChart::external_secrets(roles.external_secrets.arn()))
        .chart(HelmChart::otel_collector())
        .add_to(&mut platform);

    // observability and cost: alarms, dashboard, budget
    let observability = e.observability(stores.db.identifier(), None);

    let values = EksWorkloadValues {
        cluster_name: eks.name(),
        cluster_endpoint: eks.endpoint(),
        api_role_arn: roles.api.arn(),
        worker_role_arn: roles.worker.arn(),
        db_endpoint: stores.db.endpoint(),
        db_secret_arn: stores.db.master_secret_arn(),
        redis_endpoint: stores.redis.primary_endpoint(),
        redis_secret_arn: stores.redis.auth_secret_arn(),
        api_repository_url: stores.api_repo.url(),
        ml_api_role_arn: roles.ml_api.arn(),
        ml_api_gpu_role_arn: roles.ml_api_gpu.arn(),
        secrets_reader_role_arn: roles.secrets_reader.arn(),
        db_address: stores.db.address(),
    };
    t.add_stack(network);
    t.add_stack(cluster);
    t.add_stack(data);
    t.add_stack(platform);
    t.add_stack(observability);
    values
}

/// What the data stack stores, and the key it encrypts with.
struct DataStores {
    key: KmsKeyHandle,
    db: RdsPostgresHandle,
    redis: RedisClusterHandle,
    logs: BucketHandle,
    uploads: BucketHandle,
    api_repo: RegistryHandle,
    worker_repo: RegistryHandle,
    ml_api_repo: RegistryHandle,
    stripe: Expr<String>,
}

/// The database (backups copied to the backup region, if any), the cache, buckets,
/// registries and the payment secret, all encrypted with the data key.
fn data_stores(
    data: &mut Stack,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
) -> DataStores {
    let n = env.name;
    let data_key = KmsKey::new(&format!("{n}-data"), env.account_id, env.region).add_to(data);
    let mut db = RdsPostgres::new(
        &format!("{n}-shop"),
        vpc.id(),
        vpc.database_subnet_ids(),
        data_key.arn(),
    )
    .instance_class(env.db_class)
    .availability(env.db_availability)
    .preload_library("auto_explain")
    .allow_from(eks.node_security_group_id());
    if let Some(backup_region) = env.backup_region {
        let west = provider(data, n, backup_region, Some("backup"));
        let west_key = KmsKey::new(&format!("{n}-backup"), env.account_id, backup_region)
            .provider(&west)
            .add_to(data);
        db = db.copy_backups_to(BackupCopy {
            provider: west,
            kms_key_arn: west_key.arn().into(),
            retention_days: 35,
        });
    }
    let db = db.add_to(data);
    let redis_token = data.variable(
        "redis_auth_token",
        Variable::<String>::new()
            .description(
                "Initial Redis AUTH token (16 to 128 characters), stored in Secrets Manager",
            )
            .sensitive()
            .supplied_at_apply(),
    );
    let redis = RedisCluster::new(
        &format!("{n}-cache"),
        vpc.id(),
        vpc.private_subnet_ids(),
        data_key.arn(),
        redis_token,
    )
    .node_type(env.redis_node_type)
    .allow_from(eks.node_security_group_id())
    .add_to(data);
    let logs = Bucket::log_bucket(&format!("acme-{n}-logs"), data_key.arn()).add_to(data);
    let uploads = Bucket::new(&format!("acme-{n}-uploads"), data_key.arn()).add_to(data);
    let api_repo = Registry::new("shop/api", data_key.arn()).add_to(data);
    let worker_repo = Registry::new("shop/worker", data_key.arn()).add_to(data);
    let ml_api_repo = Registry::new("shop/ml-api", data_key.arn()).add_to(data);
    let stripe = Secret::new(&format!("{n}/shop/stripe-api-key"), data_key.arn())
        .description("Stripe API key of the shop (value set by the payments team)")
        .add_to(data);

    DataStores {
        key: data_key,
        db,
        redis,
        logs,
        uploads,
        api_repo,
        worker_repo,
        ml_api_repo,
        stripe: stripe.arn(),
    }
}

/// The IRSA roles of the workloads and platform services.
struct WorkloadRoles {
    api: IrsaRole,
    worker: IrsaRole,
    secrets_reader: IrsaRole,
    ml_api: IrsaRole,
    ml_api_gpu: IrsaRole,
    external_secrets: IrsaRole,
    loki: IrsaRole,
}

/// One IRSA role per service account, each allowed only what it reads or writes.
fn workload_roles(
    data: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    stores: &DataStores,
) -> WorkloadRoles {
    let data_key = &stores.key;
    let read_app_secrets = PolicyStatement::allow(["secretsmanager:GetSecretValue"])
        .resource(stores.stripe.clone())
        .resource(stores.db.master_secret_arn())
        .resource(stores.redis.auth_secret_arn());
    let decrypt = PolicyStatement::allow(["kms:Decrypt"]).resource(data_key.arn());
    let api = eks.irsa_role(
        data,
        "shop-api",
        k8s_platform::NAMESPACE,
        "api",
        &[],
        vec![
            read_app_secrets.clone(),
            decrypt.clone(),
            PolicyStatement::allow(["s3:GetObject", "s3:PutObject"])
                .resource(tmpl!("{}/*", stores.uploads.arn())),
        ],
    );
    let worker = eks.irsa_role(
        data,
        "shop-worker",
        k8s_platform::NAMESPACE,
        "worker",
        &[],
        vec![read_app_secrets, decrypt.clone()],
    );
    let secrets_reader = secrets_reader_role(data, eks, stores, &decrypt);
    let ns = k8s_platform::NAMESPACE;
    let read_models = PolicyStatement::allow(["s3:GetObject"])
        .resource(tmpl!("{}/models/*", stores.uploads.arn()));
    let ml_api = eks.irsa_role(
        data,
        "platform-ml-api",
        ns,
        "ml-api",
        &[],
        vec![read_models.clone(), decrypt.clone()],
    );
    let ml_api_gpu = eks.irsa_role(
        data,
        "platform-ml-api-gpu",
        ns,
        "ml-api-gpu",
        &[],
        vec![read_models, decrypt.clone()],
    );
    let (external_secrets, loki) = platform_service_roles(data, env, eks, stores, &decrypt);
    WorkloadRoles {
        api,
        worker,
        secrets_reader,
        ml_api,
        ml_api_gpu,
        external_secrets,
        loki,
    }
}

/// The secrets the platform's workloads read through external-secrets (values set by
/// their owners, stacks/src/k8s_platform.rs), and the role of the SecretStore reading them.
fn secrets_reader_role(
    data: &mut Stack,
    eks: &EksClusterHandle,
    stores: &DataStores,
    decrypt: &PolicyStatement,
) -> IrsaRole {
    let data_key = &stores.key;
    let ns = k8s_platform::NAMESPACE;
    let workload_secrets: Vec<Expr<String>> = k8s_platform::REMOTE_SECRETS
        .iter()
        .map(|name| {
            Secret::new(&format!("{ns}/{name}"), data_key.arn())
                .description("Settings of a platform workload, read by external-secrets")
                .add_to(data)
                .arn()
        })
        .collect();
    let mut read_workload_secrets = PolicyStatement::allow([
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
    ]);
    for arn in &workload_secrets {
        read_workload_secrets = read_workload_secrets.resource(arn.clone());
    }
    eks.irsa_role(
        data,
        "platform-secrets",
        ns,
        k8s_platform::SECRET_STORE,
        &[],
        vec![read_workload_secrets, decrypt.clone()],
    )
}

/// The roles of external-secrets (every secret of the environment) and Loki (its
/// prefix of the log bucket).
fn platform_service_roles(
    data: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    stores: &DataStores,
    decrypt: &PolicyStatement,
) -> (IrsaRole, IrsaRole) {
    let n = env.name;
    let data_key = &stores.key;
    let external_secrets = eks.irsa_role(
        data,
        "external-secrets",
        "external-secrets",
        "external-secrets",
        &[],
        vec![
            PolicyStatement::allow([
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ])
            .resource(format!(
                "arn:aws:secretsmanager:{}:{}:secret:{n}/*",
                env.region, env.account_id
            )),
            decrypt.clone(),
        ],
    );
    let loki = eks.irsa_role(
        data,
        "loki",
        "logging",
        "loki",
        &[],
        vec![
            PolicyStatement::allow(["s3:ListBucket"]).resource(stores.logs.arn()),
            PolicyStatement::allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
                .resource(tmpl!("{}/loki/*", stores.logs.arn())),
            PolicyStatement::allow(["kms:Decrypt", "kms:GenerateDataKey"]).resource(data_key.arn()),
        ],
    );
    (external_secrets, loki)
}

/// The data stack's outputs the workloads read through remote state.
fn data_outputs(data: &mut Stack, stores: &DataStores, roles: &WorkloadRoles) {
    for (name, value, description) in [
        ("api_role_arn", roles.api.arn(), "IRSA role of shop/api"),
        (
            "worker_role_arn",
            roles.worker.arn(),
            "IRSA role of shop/worker",
        ),
        ("db_endpoint", stores.db.endpoint(), "PostgreSQL endpoint"),
        (
            "db_secret_arn",
            stores.db.master_secret_arn(),
            "Database credentials secret",
        ),
        (
            "redis_endpoint",
            stores.redis.primary_endpoint(),
            "Redis primary endpoint",
        ),
        (
            "redis_secret_arn",
            stores.redis.auth_secret_arn(),
            "Redis AUTH token secret",
        ),
        (
            "api_repository_url",
            stores.api_repo.url(),
            "Registry of the API image",
        ),
        (
            "worker_repository_url",
            stores.worker_repo.url(),
            "Registry of the worker image",
        ),
        (
            "ml_api_repository_url",
            stores.ml_api_repo.url(),
            "Registry of the ML inference image",
        ),
    ] {
        data.output(name, Output::new(value).description(description));
    }
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
    let domain = if env.name == "prod" {
        "example.com".to_string()
    } else {
        format!("{}.example.com", env.name)
    };
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
        api_rollout: k8s_platform::ApiRollout {
            active: terrane_k8s::Colour::Blue,
            canary: None,
        },
        db_endpoint: v.db_address.into(),
        redis_endpoint: v.redis_endpoint.into(),
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
