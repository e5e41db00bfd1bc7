//! The `data` stack of an EKS environment: database, cache, buckets, registries and
//! secrets (every account- or region-scoped name prefixed by the environment, since
//! environments share an account), and one IRSA role per workload.

use terrane_aws::constructs::EksClusterHandle;
use terrane_aws::constructs::{
    AwsAccount, BackupCopy, Bucket, BucketHandle, IrsaRole, KmsKey, KmsKeyHandle, PolicyStatement,
    RdsPostgres, RdsPostgresHandle, RdsProxy, RedisCluster, RedisClusterHandle, Registry, Secret,
    Shards, VpcHandle, CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT,
};
use terrane_core::construct::{block_name, Construct};
use terrane_core::{tmpl, Expr, Output, Stack};
use terrane_k8s::MONITORING_NAMESPACE;

use super::EksEnv;
use crate::aws_platform::{provider, Environment};
use crate::k8s_platform;

/// The ECR repositories of the workload images, by their URL.
pub(super) struct Repositories {
    pub api: Expr<String>,
    pub worker: Expr<String>,
    pub ml_api: Expr<String>,
}

/// The IAM user workload `api` connects to Redis as (`<redis name>-api`).
pub(super) const API: &str = "api";
/// The IAM user workload `worker` (Celery workers and beat) connects to Redis as.
pub(super) const WORKER: &str = "worker";

/// The user names the workloads connect to `redis` as.
pub(super) fn redis_users(redis: &RedisClusterHandle) -> k8s_platform::RedisUsers {
    // Both users are declared on every Redis of the data stack (data_stores).
    k8s_platform::RedisUsers {
        api: redis.user_name(API).unwrap_or_default(),
        worker: redis.user_name(WORKER).unwrap_or_default(),
    }
}

/// What the data stack stores, and the key it encrypts with.
pub(super) struct DataStores {
    pub account: AwsAccount,
    pub key: KmsKeyHandle,
    pub db: RdsPostgresHandle,
    /// The host workloads connect to.
    pub db_host: Expr<String>,
    pub redis: RedisClusterHandle,
    /// The endpoint workloads connect to.
    pub redis_endpoint: Expr<String>,
    /// The Celery broker: a non-cluster replication group of its own where the cache
    /// is sharded (kombu's Redis transport speaks no cluster mode), else the cache.
    pub broker: RedisClusterHandle,
    pub loki: BucketHandle,
    pub uploads: BucketHandle,
    pub models: BucketHandle,
    pub repositories: Repositories,
    pub stripe: Expr<String>,
}

/// The IRSA roles of the workloads and platform services.
pub(super) struct WorkloadRoles {
    pub api: IrsaRole,
    pub worker: IrsaRole,
    pub secrets_reader: IrsaRole,
    pub ml_api: IrsaRole,
    pub ml_api_gpu: IrsaRole,
    pub external_secrets: IrsaRole,
    pub loki: IrsaRole,
    /// prometheus-cloudwatch-exporter's: reads CloudWatch metrics, nothing else.
    pub cloudwatch_exporter: IrsaRole,
}

/// The `data` stack with its stores and roles.
pub(super) fn data_stack(
    e: &Environment<'_>,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
) -> (Stack, DataStores, WorkloadRoles) {
    let mut data = e.stack("data");
    let stores = data_stores(&mut data, env, vpc, eks);
    let roles = workload_roles(&mut data, env, eks, &stores);
    data_outputs(&mut data, &stores, &roles);
    (data, stores, roles)
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
    let account = AwsAccount::current(data);
    let data_key = KmsKey::new(&format!("{n}-data"), &account).add_to(data);
    let db = RdsPostgres::new(
        &format!("{n}-shop"),
        vpc.id(),
        vpc.database_subnet_ids(),
        data_key.arn(),
    )
    .instance_class(env.db_class)
    .availability(env.db_availability)
    .preload_library("auto_explain")
    .allow_from(eks.node_security_group_id());
    let models = Bucket::new(&format!("acme-{n}-models"), data_key.arn());
    let (db, models) = match env.backup_region {
        Some(backup_region) => copy_to_backup_region(data, env, backup_region, db, models),
        None => (db, models),
    };
    let db = db.add_to(data);
    let db_host = database_host(data, env, vpc, eks, &db, &data_key);
    let (redis, broker) = cache_and_broker(data, env, vpc, eks, &data_key);
    let loki = Bucket::new(&format!("acme-{n}-loki"), data_key.arn()).add_to(data);
    let uploads = Bucket::new(&format!("acme-{n}-uploads"), data_key.arn()).add_to(data);
    let models = models.add_to(data);
    let repositories = image_repositories(data, n, &data_key);
    let stripe = Secret::new(&format!("{n}/shop/stripe-api-key"), data_key.arn())
        .description("Stripe API key of the shop (value set by the payments team)")
        .add_to(data);

    DataStores {
        account,
        db_host,
        redis_endpoint: redis.endpoint(),
        broker,
        key: data_key,
        db,
        redis,
        loki,
        uploads,
        models,
        repositories,
        stripe: stripe.arn(),
    }
}

/// Keeps copies in the backup region, under a key of that region: the database's
/// backups (copied) and the models bucket (replicated to a bucket there).
fn copy_to_backup_region(
    data: &mut Stack,
    env: &EksEnv,
    backup_region: &str,
    db: RdsPostgres,
    models: Bucket,
) -> (RdsPostgres, Bucket) {
    let n = env.name;
    let west = provider(data, n, env.account_id, backup_region, Some("backup"));
    let west_account = AwsAccount::of_provider(data, "backup", &west);
    let west_key = KmsKey::new(&format!("{n}-backup"), &west_account)
        .provider(&west)
        .add_to(data);
    let db = db.copy_backups_to(BackupCopy {
        provider: west.clone(),
        kms_key_arn: west_key.arn().into(),
        retention_days: 35,
    });
    let models_copy = Bucket::new(&format!("acme-{n}-models-{backup_region}"), west_key.arn())
        .provider(&west)
        .add_to(data);
    let models = models.replicate_to(models_copy.arn(), west_key.arn());
    (db, models)
}

/// The host workloads reach the database at: the endpoint of an RDS Proxy in front
/// of it where the environment has one, else the instance's address.
fn database_host(
    data: &mut Stack,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
    db: &RdsPostgresHandle,
    data_key: &KmsKeyHandle,
) -> Expr<String> {
    if env.db_proxy {
        RdsProxy::new(
            &format!("{}-shop", env.name),
            db,
            vpc.database_subnet_ids(),
            data_key.arn(),
        )
        .allow_from(eks.node_security_group_id())
        .add_to(data)
        .endpoint()
    } else {
        db.address()
    }
}

/// The cache (sharded where the environment asks) and the Celery broker: a Redis of
/// its own where the environment gives it a node type, else the cache, reported when
/// the cache is sharded (Celery cannot use it then).
fn cache_and_broker(
    data: &mut Stack,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
    data_key: &KmsKeyHandle,
) -> (RedisClusterHandle, RedisClusterHandle) {
    let n = env.name;
    let mut redis = RedisCluster::new(
        &format!("{n}-cache"),
        vpc.id(),
        vpc.private_subnet_ids(),
        data_key.arn(),
    )
    .iam_user(API)
    .iam_user(WORKER)
    .node_type(env.redis_node_type)
    .allow_from(eks.node_security_group_id());
    if let Some(count) = env.redis_shards {
        redis = redis.sharded(Shards { count, replicas: 1 });
    }
    let redis = redis.add_to(data);
    retire_auth_token_secret(data, &format!("{n}-cache"));
    let broker = match env.redis_broker_node_type {
        Some(node_type) => {
            retire_auth_token_secret(data, &format!("{n}-broker"));
            celery_broker(data, n, vpc, eks, data_key.arn(), node_type)
        }
        None => {
            if env.redis_shards.is_some() {
                data.report(
                    &format!("aws_elasticache_replication_group.{}", block_name(&format!("{n}-cache"))),
                    "num_node_groups",
                    "the cache is sharded (cluster mode), which Celery's Redis broker transport (kombu) does not support: give the environment a separate broker (EksEnv::redis_broker_node_type)",
                );
            }
            redis.clone()
        }
    };
    (redis, broker)
}

/// The ECR repositories of the workload images, `<env>/shop/<image>`.
fn image_repositories(data: &mut Stack, n: &str, data_key: &KmsKeyHandle) -> Repositories {
    let repository = |data: &mut Stack, image: &str| {
        Registry::new(&format!("{n}/shop/{image}"), data_key.arn())
            .add_to(data)
            .url()
    };
    Repositories {
        api: repository(data, "api"),
        worker: repository(data, "worker"),
        ml_api: repository(data, "ml-api"),
    }
}

/// Environments deployed before Redis moved to IAM authentication hold the group's
/// AUTH token in a Secrets Manager secret; its destruction is intended (the refactor
/// guard would otherwise stop the synth against their previous output).
fn retire_auth_token_secret(data: &mut Stack, group: &str) {
    data.allow_destroy(
        &format!("aws_secretsmanager_secret.{}_redis_auth_token", block_name(group)),
        "Redis authenticates with IAM (ElastiCache RBAC): the AUTH token and its secret are retired",
    );
}

/// The Celery broker: one primary and a replica in another zone (Multi-AZ, automatic
/// failover), no cluster mode, IAM users of its own like the cache's.
fn celery_broker(
    data: &mut Stack,
    n: &str,
    vpc: &VpcHandle,
    eks: &EksClusterHandle,
    key_arn: Expr<String>,
    node_type: &str,
) -> RedisClusterHandle {
    RedisCluster::new(
        &format!("{n}-broker"),
        vpc.id(),
        vpc.private_subnet_ids(),
        key_arn,
    )
    .iam_user(API)
    .iam_user(WORKER)
    .node_type(node_type)
    .nodes(2)
    .allow_from(eks.node_security_group_id())
    .add_to(data)
}

/// One IRSA role per service account, each allowed only what it reads or writes.
fn workload_roles(
    data: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    stores: &DataStores,
) -> WorkloadRoles {
    let decrypt = PolicyStatement::allow(["kms:Decrypt"]).resource(stores.key.arn());
    let (api, worker) = shop_roles(data, env, eks, stores, &decrypt);
    let secrets_reader = secrets_reader_role(data, env, eks, stores, &decrypt);
    let (ml_api, ml_api_gpu) = ml_api_roles(data, eks, stores, &decrypt);
    let (external_secrets, loki) = platform_service_roles(data, env, eks, stores, &decrypt);
    let cloudwatch_exporter = cloudwatch_exporter_role(data, eks);
    WorkloadRoles {
        api,
        worker,
        secrets_reader,
        ml_api,
        ml_api_gpu,
        external_secrets,
        loki,
        cloudwatch_exporter,
    }
}

/// The shop's roles, API and worker: the app's secrets, the data key, Redis as the
/// workload's user, and for the API the uploads bucket.
fn shop_roles(
    data: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    stores: &DataStores,
    decrypt: &PolicyStatement,
) -> (IrsaRole, IrsaRole) {
    let read_app_secrets = PolicyStatement::allow(["secretsmanager:GetSecretValue"])
        .resource(stores.stripe.clone())
        .resource(stores.db.master_secret_arn());
    let ns = k8s_platform::NAMESPACE;
    // The API's role is also the migration Job's and the cleanup CronJob's (the
    // same application, each with a service account of its own).
    let api = eks.irsa_role_of_accounts(
        data,
        "shop-api",
        ns,
        k8s_platform::API_ACCOUNTS,
        &[],
        [
            vec![
                read_app_secrets.clone(),
                decrypt.clone(),
                PolicyStatement::allow(["s3:GetObject", "s3:PutObject"])
                    .resource(tmpl!("{}/*", stores.uploads.arn())),
            ],
            redis_connect(env, stores, API),
        ]
        .concat(),
    );
    // Every Celery worker Deployment and beat (which publishes to the broker).
    let worker = eks.irsa_role_of_accounts(
        data,
        "shop-worker",
        ns,
        k8s_platform::WORKER_ACCOUNTS,
        &[],
        [
            vec![read_app_secrets, decrypt.clone()],
            redis_connect(env, stores, WORKER),
        ]
        .concat(),
    );
    (api, worker)
}

/// The ML inference roles (CPU and GPU): read the models bucket, decrypt with the
/// data key, nothing else.
fn ml_api_roles(
    data: &mut Stack,
    eks: &EksClusterHandle,
    stores: &DataStores,
    decrypt: &PolicyStatement,
) -> (IrsaRole, IrsaRole) {
    let ns = k8s_platform::NAMESPACE;
    let read_models = [
        PolicyStatement::allow(["s3:ListBucket"]).resource(stores.models.arn()),
        PolicyStatement::allow(["s3:GetObject"]).resource(tmpl!("{}/*", stores.models.arn())),
    ];
    let ml_api = eks.irsa_role(
        data,
        "platform-ml-api",
        ns,
        "ml-api",
        &[],
        [read_models.to_vec(), vec![decrypt.clone()]].concat(),
    );
    let ml_api_gpu = eks.irsa_role(
        data,
        "platform-ml-api-gpu",
        ns,
        "ml-api-gpu",
        &[],
        [read_models.to_vec(), vec![decrypt.clone()]].concat(),
    );
    (ml_api, ml_api_gpu)
}

/// prometheus-cloudwatch-exporter's role: reads CloudWatch metrics, nothing else.
fn cloudwatch_exporter_role(data: &mut Stack, eks: &EksClusterHandle) -> IrsaRole {
    // CloudWatch's read actions take no resource ARN: "*" is their only resource.
    eks.irsa_role(
        data,
        "cloudwatch-exporter",
        MONITORING_NAMESPACE,
        CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT,
        &[],
        vec![
            PolicyStatement::allow(["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"])
                .resource("*"),
        ],
    )
}

/// `elasticache:Connect` on the cache and the broker (where it is a Redis of its
/// own) as workload `workload`'s IAM user.
fn redis_connect(env: &EksEnv, stores: &DataStores, workload: &str) -> Vec<PolicyStatement> {
    let mut groups = vec![&stores.redis];
    if env.redis_broker_node_type.is_some() {
        groups.push(&stores.broker);
    }
    groups
        .into_iter()
        .filter_map(|g| g.connect_statement(workload))
        .collect()
}

/// The secrets the platform's workloads and services read through external-secrets,
/// `<env>/platform/<name>` (values set by their owners), and the role of the
/// SecretStore reading them.
fn secrets_reader_role(
    data: &mut Stack,
    env: &EksEnv,
    eks: &EksClusterHandle,
    stores: &DataStores,
    decrypt: &PolicyStatement,
) -> IrsaRole {
    let data_key = &stores.key;
    let ns = k8s_platform::NAMESPACE;
    let mut names: Vec<&str> = k8s_platform::REMOTE_SECRETS.to_vec();
    // Grafana's admin credentials, made into the Secret `grafana-admin` in `monitoring`.
    if !names.contains(&"grafana") {
        names.push("grafana");
    }
    let mut read_workload_secrets = PolicyStatement::allow([
        "secretsmanager:GetSecretValue",
        "secretsmanager:DescribeSecret",
    ]);
    for name in names {
        let secret = Secret::new(&format!("{}/{ns}/{name}", env.name), data_key.arn())
            .description(&k8s_platform::remote_secret_contents(name))
            .add_to(data);
        read_workload_secrets = read_workload_secrets.resource(secret.arn());
    }
    // Credentials external-secrets copies from where they live: RDS's managed master
    // secret (never through Terraform state). Redis needs none: IAM authentication.
    read_workload_secrets = read_workload_secrets.resource(stores.db.master_secret_arn());
    eks.irsa_role(
        data,
        "platform-secrets",
        ns,
        k8s_platform::SECRET_STORE,
        &[],
        vec![read_workload_secrets, decrypt.clone()],
    )
}

/// The roles of external-secrets (every secret of the environment) and Loki (its own
/// bucket, and nothing else).
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
            .resource(
                stores
                    .account
                    .arn("secretsmanager", &format!("secret:{n}/*")),
            ),
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
            PolicyStatement::allow(["s3:ListBucket"]).resource(stores.loki.arn()),
            PolicyStatement::allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
                .resource(tmpl!("{}/*", stores.loki.arn())),
            PolicyStatement::allow(["kms:Decrypt", "kms:GenerateDataKey"]).resource(data_key.arn()),
        ],
    );
    (external_secrets, loki)
}

/// The data stack's outputs the workloads read through remote state.
fn data_outputs(data: &mut Stack, stores: &DataStores, roles: &WorkloadRoles) {
    let repos = &stores.repositories;
    for (name, value, description) in [
        ("api_role_arn", roles.api.arn(), "IRSA role of shop/api"),
        (
            "worker_role_arn",
            roles.worker.arn(),
            "IRSA role of shop/worker",
        ),
        ("db_endpoint", stores.db.endpoint(), "PostgreSQL endpoint"),
        (
            "db_host",
            stores.db_host.clone(),
            "PostgreSQL host the workloads connect to (the RDS Proxy where there is one)",
        ),
        (
            "db_secret_arn",
            stores.db.master_secret_arn(),
            "Database credentials secret",
        ),
        (
            "redis_endpoint",
            stores.redis_endpoint.clone(),
            "Redis endpoint",
        ),
        (
            "broker_endpoint",
            stores.broker.endpoint(),
            "Celery broker Redis endpoint (non-cluster; the cache where it is not sharded)",
        ),
        (
            "api_repository_url",
            repos.api.clone(),
            "Registry of the API image",
        ),
        (
            "worker_repository_url",
            repos.worker.clone(),
            "Registry of the worker image",
        ),
        (
            "ml_api_repository_url",
            repos.ml_api.clone(),
            "Registry of the ML inference image",
        ),
    ] {
        data.output(name, Output::new(value).description(description));
    }
}
