//! The AWS platform of the SaaS API: `eks-prod` and `eks-staging` (one program, two
//! settings), and `fargate-prod`, the smaller path without Kubernetes.

use std::collections::BTreeMap;

use crate::k8s_platform;
use terrane_aws::acm::{AcmCertificate, AcmCertificateValidation};
use terrane_aws::constructs::{
    Alarms, Availability, BackupCopy, Bucket, Budget, EksCluster, HelmChart, HelmReleases, KmsKey,
    NatGateways, NodeGroup, PolicyStatement, RdsPostgres, RedisCluster, Registry, Secret, Vpc,
};
use terrane_aws::{AwsProvider, AwsProviderDefaultTags};
use terrane_core::construct::Construct;
use terrane_core::{
    tmpl, App, Backend, Expr, Lifecycle, Meta, Output, ProviderRef, Stack, Target, Variable,
};

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

fn provider(stack: &mut Stack, env_name: &str, region: &str, alias: Option<&str>) -> ProviderRef {
    let mut tags = BTreeMap::new();
    tags.insert("environment", env_name);
    tags.insert("managed-by", "terrane");
    let mut p = AwsProvider::new()
        .region(region)
        .default_tags(AwsProviderDefaultTags::new().tags(tags));
    if let Some(a) = alias {
        p = p.alias(a);
    }
    stack.provider(p)
}

fn new_stack(target: &str, name: &str, state_bucket: &str) -> Stack {
    let mut s = Stack::new(name);
    s.backend(Backend::s3(
        state_bucket,
        &format!("{target}/{name}.tfstate"),
        "us-east-1",
    ));
    s
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

/// Builds the stacks of one EKS environment into `t`: network, cluster, data,
/// platform (helm releases) and observability; returns what workloads need.
pub fn build_eks(t: &mut Target, env: &EksEnv) -> EksWorkloadValues {
    let target = t.name().to_string();
    let n = env.name;

    // network: VPC, subnets, NAT, flow logs
    let mut network = new_stack(&target, "network", env.state_bucket);
    provider(&mut network, n, env.region, None);
    let network_key =
        KmsKey::new(&format!("{n}-network"), env.account_id, env.region).add_to(&mut network);
    let vpc = Vpc::new(n, env.cidr, env.region)
        .azs(env.azs)
        .nat_gateways(env.nat)
        .eks_cluster(n)
        .flow_log_key(network_key.arn())
        .add_to(&mut network);

    // cluster: EKS, node groups, add-ons
    let mut cluster = new_stack(&target, "cluster", env.state_bucket);
    provider(&mut cluster, n, env.region, None);
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
    let mut data = new_stack(&target, "data", env.state_bucket);
    provider(&mut data, n, env.region, None);
    let data_key = KmsKey::new(&format!("{n}-data"), env.account_id, env.region).add_to(&mut data);
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
        let west = provider(&mut data, n, backup_region, Some("backup"));
        let west_key = KmsKey::new(&format!("{n}-backup"), env.account_id, backup_region)
            .provider(&west)
            .add_to(&mut data);
        db = db.copy_backups_to(BackupCopy {
            provider: west,
            kms_key_arn: west_key.arn().into(),
            retention_days: 35,
        });
    }
    let db = db.add_to(&mut data);
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
    .add_to(&mut data);
    let logs = Bucket::log_bucket(&format!("acme-{n}-logs"), data_key.arn()).add_to(&mut data);
    let uploads = Bucket::new(&format!("acme-{n}-uploads"), data_key.arn()).add_to(&mut data);
    let api_repo = Registry::new("shop/api", data_key.arn()).add_to(&mut data);
    Registry::new("shop/worker", data_key.arn()).add_to(&mut data);
    let stripe = Secret::new(&format!("{n}/shop/stripe-api-key"), data_key.arn())
        .description("Stripe API key of the shop (value set by the payments team)")
        .add_to(&mut data);

    let read_app_secrets = PolicyStatement::allow(["secretsmanager:GetSecretValue"])
        .resource(stripe.arn())
        .resource(db.master_secret_arn())
        .resource(redis.auth_secret_arn());
    let decrypt = PolicyStatement::allow(["kms:Decrypt"]).resource(data_key.arn());
    let api = eks.irsa_role(
        &mut data,
        "shop-api",
        k8s_platform::NAMESPACE,
        "api",
        &[],
        vec![
            read_app_secrets.clone(),
            decrypt.clone(),
            PolicyStatement::allow(["s3:GetObject", "s3:PutObject"])
                .resource(tmpl!("{}/*", uploads.arn())),
        ],
    );
    let worker = eks.irsa_role(
        &mut data,
        "shop-worker",
        k8s_platform::NAMESPACE,
        "worker",
        &[],
        vec![read_app_secrets, decrypt.clone()],
    );
    // Secrets the workloads read through external-secrets (values set by their
    // owners), and the roles of the platform's other service accounts
    // (stacks/src/k8s_platform.rs).
    let ns = k8s_platform::NAMESPACE;
    let workload_secrets: Vec<Expr<String>> = k8s_platform::REMOTE_SECRETS
        .iter()
        .map(|name| {
            Secret::new(&format!("{ns}/{name}"), data_key.arn())
                .description("Settings of a platform workload, read by external-secrets")
                .add_to(&mut data)
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
    let secrets_reader = eks.irsa_role(
        &mut data,
        "platform-secrets",
        ns,
        k8s_platform::SECRET_STORE,
        &[],
        vec![read_workload_secrets, decrypt.clone()],
    );
    let read_models =
        PolicyStatement::allow(["s3:GetObject"]).resource(tmpl!("{}/models/*", uploads.arn()));
    let ml_api = eks.irsa_role(
        &mut data,
        "platform-ml-api",
        ns,
        "ml-api",
        &[],
        vec![read_models.clone(), decrypt.clone()],
    );
    let ml_api_gpu = eks.irsa_role(
        &mut data,
        "platform-ml-api-gpu",
        ns,
        "ml-api-gpu",
        &[],
        vec![read_models, decrypt.clone()],
    );
    let external_secrets = eks.irsa_role(
        &mut data,
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
        &mut data,
        "loki",
        "logging",
        "loki",
        &[],
        vec![
            PolicyStatement::allow(["s3:ListBucket"]).resource(logs.arn()),
            PolicyStatement::allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
                .resource(tmpl!("{}/loki/*", logs.arn())),
            PolicyStatement::allow(["kms:Decrypt", "kms:GenerateDataKey"]).resource(data_key.arn()),
        ],
    );
    for (name, value, description) in [
        ("api_role_arn", api.arn(), "IRSA role of shop/api"),
        ("worker_role_arn", worker.arn(), "IRSA role of shop/worker"),
        ("db_endpoint", db.endpoint(), "PostgreSQL endpoint"),
        (
            "db_secret_arn",
            db.master_secret_arn(),
            "Database credentials secret",
        ),
        (
            "redis_endpoint",
            redis.primary_endpoint(),
            "Redis primary endpoint",
        ),
        (
            "redis_secret_arn",
            redis.auth_secret_arn(),
            "Redis AUTH token secret",
        ),
        (
            "api_repository_url",
            api_repo.url(),
            "Registry of the API image",
        ),
    ] {
        data.output(name, Output::new(value).description(description));
    }

    // platform: helm releases on the cluster
    let mut platform = new_stack(&target, "platform", env.state_bucket);
    HelmReleases::new(&eks)
        .chart(HelmChart::kube_prometheus_stack(15, 100))
        .chart(HelmChart::loki(logs.name(), env.region, loki.arn()))
        .chart(HelmChart::ingress_nginx(if env.azs > 2 { 3 } else { 2 }))
        .chart(HelmChart::cert_manager())
        .chart(HelmChart::external_secrets(external_secrets.arn()))
        .chart(HelmChart::otel_collector())
        .add_to(&mut platform);

    // observability and cost: alarms, dashboard, budget
    let mut observability = new_stack(&target, "observability", env.state_bucket);
    provider(&mut observability, n, env.region, None);
    let alarms_key = KmsKey::new(&format!("{n}-alarms"), env.account_id, env.region)
        .allow_service("cloudwatch.amazonaws.com")
        .allow_service("budgets.amazonaws.com")
        .add_to(&mut observability);
    let topic = Alarms::new(n, env.account_id, env.region, alarms_key.arn())
        .email(env.alert_email)
        .rds(db.identifier())
        .add_to(&mut observability);
    Budget::new(&format!("{n}-monthly"), env.budget_usd)
        .email(env.alert_email)
        .sns_topic(topic.arn())
        .add_to(&mut observability);

    let values = EksWorkloadValues {
        cluster_name: eks.name(),
        cluster_endpoint: eks.endpoint(),
        api_role_arn: api.arn(),
        worker_role_arn: worker.arn(),
        db_endpoint: db.endpoint(),
        db_secret_arn: db.master_secret_arn(),
        redis_endpoint: redis.primary_endpoint(),
        redis_secret_arn: redis.auth_secret_arn(),
        api_repository_url: api_repo.url(),
        ml_api_role_arn: ml_api.arn(),
        ml_api_gpu_role_arn: ml_api_gpu.arn(),
        secrets_reader_role_arn: secrets_reader.arn(),
        db_address: db.address(),
    };
    t.add_stack(network);
    t.add_stack(cluster);
    t.add_stack(data);
    t.add_stack(platform);
    t.add_stack(observability);
    values
}

/// Settings of `fargate-prod`.
#[derive(Debug, Clone)]
pub struct FargateEnv {
    /// Environment name.
    pub name: &'static str,
    /// AWS account.
    pub account_id: &'static str,
    /// Region.
    pub region: &'static str,
    /// VPC CIDR.
    pub cidr: &'static str,
    /// Public domain of the API.
    pub domain: &'static str,
    /// Container image.
    pub image: &'static str,
    /// Monthly budget in USD.
    pub budget_usd: u64,
    /// Where alarms and budget alerts go.
    pub alert_email: &'static str,
    /// S3 bucket of the Terraform state.
    pub state_bucket: &'static str,
}

/// `fargate-prod`.
pub fn fargate_prod() -> FargateEnv {
    FargateEnv {
        name: "fgprod",
        account_id: "123456789012",
        region: "us-east-1",
        cidr: "10.30.0.0/16",
        domain: "api.example.com",
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.42.0",
        budget_usd: 4_000,
        alert_email: "platform-oncall@example.com",
        state_bucket: "acme-terraform-state",
    }
}

/// Builds `fargate-prod`: network, app (database, secrets, service behind the load
/// balancer) and observability (alarms, budget).
pub fn build_fargate(t: &mut Target, env: &FargateEnv) {
    let target = t.name().to_string();
    let n = env.name;

    let mut network = new_stack(&target, "network", env.state_bucket);
    provider(&mut network, n, env.region, None);
    let network_key =
        KmsKey::new(&format!("{n}-network"), env.account_id, env.region).add_to(&mut network);
    let vpc = Vpc::new(n, env.cidr, env.region)
        .flow_log_key(network_key.arn())
        .add_to(&mut network);

    let mut app = new_stack(&target, "app", env.state_bucket);
    provider(&mut app, n, env.region, None);
    let key = KmsKey::new(&format!("{n}-app"), env.account_id, env.region).add_to(&mut app);
    let cert = app.add_with(
        "api",
        AcmCertificate::new()
            .domain_name(env.domain)
            .validation_method("DNS")
            .key_algorithm("EC_prime256v1"),
        Meta::new().lifecycle(Lifecycle::new().create_before_destroy()),
    );
    // Waits until the DNS validation records (managed with the domain) are in place.
    let validated = app.add("api", AcmCertificateValidation::new(cert.arn()));
    let rotation_lambda = app.variable(
        "rotation_lambda_arn",
        Variable::<String>::new().description(
            "Secrets Manager rotation function (deployed from the AWS Serverless Application Repository)",
        ),
    );
    app.set_variable(
        "rotation_lambda_arn",
        format!(
            "arn:aws:lambda:{}:{}:function:{n}-secrets-rotation",
            env.region, env.account_id
        )
        .as_str(),
    );
    let signing_key = app.variable(
        "api_signing_key",
        Variable::<String>::new()
            .description("Initial API token signing key; rotated every 30 days afterwards")
            .sensitive()
            .supplied_at_apply(),
    );
    let signing = Secret::new(&format!("{n}/api/signing-key"), key.arn())
        .description("API token signing key")
        .value(signing_key)
        .rotate_with(rotation_lambda, 30)
        .add_to(&mut app);
    // The database's credentials are generated and rotated by RDS in Secrets Manager;
    // the tasks read them from there and are the only clients let in.
    let db = RdsPostgres::new(
        &format!("{n}-api"),
        vpc.id(),
        vpc.database_subnet_ids(),
        key.arn(),
    )
    .instance_class("db.r6g.large")
    .add_to(&mut app);
    let service = terrane_aws::constructs::FargateService::new("api", env.image)
        .network(
            vpc.id(),
            vpc.cidr(),
            vpc.private_subnet_ids(),
            vpc.public_subnet_ids(),
        )
        .certificate(validated.certificate_arn())
        .kms_key(key.arn())
        .region(env.region)
        .scaling(2, 2, 10)
        .env("APP_ENV", "production")
        .env("DATABASE_HOST", db.address())
        .secret("SIGNING_KEY", signing.arn())
        .secret("DATABASE_CREDENTIALS", db.master_secret_arn())
        .add_to(&mut app);
    db.allow_from(&mut app, "api", service.security_group_id());
    app.output(
        "url",
        Output::new(tmpl!("https://{}", env.domain)).description("Public URL"),
    );
    app.output(
        "alb_dns_name",
        Output::new(service.dns_name()).description("Point the domain's alias record here"),
    );
    app.output(
        "db_secret_arn",
        Output::new(db.master_secret_arn()).description("Database credentials secret"),
    );

    let mut observability = new_stack(&target, "observability", env.state_bucket);
    provider(&mut observability, n, env.region, None);
    let alarms_key = KmsKey::new(&format!("{n}-alarms"), env.account_id, env.region)
        .allow_service("cloudwatch.amazonaws.com")
        .allow_service("budgets.amazonaws.com")
        .add_to(&mut observability);
    let topic = Alarms::new(n, env.account_id, env.region, alarms_key.arn())
        .email(env.alert_email)
        .rds(db.identifier())
        .alb(service.alb_arn_suffix())
        .add_to(&mut observability);
    Budget::new(&format!("{n}-monthly"), env.budget_usd)
        .email(env.alert_email)
        .sns_topic(topic.arn())
        .add_to(&mut observability);

    t.add_stack(network);
    t.add_stack(app);
    t.add_stack(observability);
}

/// An EKS environment and the Kubernetes workloads that run on it, written to
/// `out/<target>/k8s/` with the Terraform values they need bridged from the stacks.
pub fn add_eks_with_workloads(t: &mut Target, env: &EksEnv) {
    let v = build_eks(t, env);
    let inputs = k8s_platform::PlatformInputs {
        region: env.region.to_string(),
        db_endpoint: v.db_address.into(),
        redis_endpoint: v.redis_endpoint.into(),
        api_role_arn: v.api_role_arn.into(),
        ml_api_role_arn: v.ml_api_role_arn.into(),
        ml_api_gpu_role_arn: v.ml_api_gpu_role_arn.into(),
        worker_role_arn: v.worker_role_arn.into(),
        secrets_reader_role_arn: v.secrets_reader_role_arn.into(),
    };
    t.add_files(k8s_platform::manifests(&inputs));
}

/// Registers the AWS targets.
pub fn register(app: &mut App) {
    app.target(
        "eks-prod",
        "AWS production on EKS: network, cluster, data, platform, observability (us-east-1, backups to us-west-2)",
        |t| add_eks_with_workloads(t, &eks_prod()),
    );
    app.target(
        "eks-staging",
        "AWS staging on EKS: 2 zones, one NAT, single-AZ database, spot nodes",
        |t| add_eks_with_workloads(t, &eks_staging()),
    );
    app.target(
        "fargate-prod",
        "AWS production on ECS Fargate behind an ALB, with RDS, Secrets Manager, alarms and a budget",
        |t| build_fargate(t, &fargate_prod()),
    );
}
