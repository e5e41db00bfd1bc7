//! The applications: API, ML inference APIs, workers (default and priority queues),
//! beat, nightly cleanup, the release's migrations, their settings and deploy rights.

use terrane_k8s::{
    AppConfig, BlueGreen, Colour, Construct, CronJob, Manifests, MigrationJob, PodBuilder, Rbac,
    Resources, Scheduler, WebApp, Worker, WorkerScaling, CAPACITY_TYPE_LABEL,
};

use super::{PlatformInputs, RedisUsers};

/// Maximum replicas of the GPU inference API (one GPU each); the namespace's GPU
/// quota is this many GPUs.
pub const GPU_MAX_REPLICAS: u32 = 5;

/// The ConfigMap of non-secret settings every workload reads.
pub const SETTINGS: &str = "platform-settings";

/// Pods of a release wait until the migration Job has brought the schema to it
/// (`migrate --check` fails while a migration is unapplied).
const WAIT_FOR_MIGRATIONS: [&str; 3] = [
    "/bin/sh",
    "-c",
    "until python manage.py migrate --check; do echo waiting for migrations; sleep 10; done",
];

/// Every application of the platform.
pub fn add(m: &mut Manifests, inputs: &PlatformInputs) {
    settings(m, inputs);
    web_apps(m, inputs);
    background_jobs(m, inputs);
    // CI may roll the API image, nothing more.
    Rbac::new("deployer")
        .allow("apps", ["deployments"], ["get", "list", "watch", "patch"])
        .with_service_account()
        .add_to(m);
}

/// The Redis users a pod connects as (the cache's and the broker's user `user` of
/// them): each matches the IRSA role the pod signs its token with.
fn redis_users<P: PodBuilder>(pod: P, inputs: &PlatformInputs, user: fn(&RedisUsers) -> &str) -> P {
    pod.env("REDIS_USER", user(&inputs.redis_users))
        .env("CELERY_BROKER_USER", user(&inputs.broker_users))
}

fn api_user(users: &RedisUsers) -> &str {
    &users.api
}

fn worker_user(users: &RedisUsers) -> &str {
    &users.worker
}

fn app_image(inputs: &PlatformInputs) -> String {
    format!("api:{}", inputs.release.app_tag)
}

/// Non-secret settings, Terraform endpoints among them.
fn settings(m: &mut Manifests, inputs: &PlatformInputs) {
    let django = if inputs.env == "prod" {
        "production"
    } else {
        "staging"
    };
    AppConfig::new(SETTINGS)
        .set(
            "DJANGO_SETTINGS_MODULE",
            format!("platform.settings.{django}"),
        )
        .set("ENVIRONMENT", inputs.env.clone())
        .set("LOG_LEVEL", "info")
        .set("DATABASE_NAME", super::DATABASE)
        .set("DATABASE_PORT", "5432")
        .set("DATABASE_SSLMODE", "require")
        .set("REDIS_PORT", "6379")
        .set("REDIS_TLS", "true")
        // ElastiCache IAM authentication: each workload signs a SigV4 token with its
        // IRSA role and connects as its user (REDIS_USER, CELERY_BROKER_USER, set
        // per workload); there is no Redis password.
        .set("REDIS_IAM_AUTH", "true")
        .set("REDIS_IAM_REGION", inputs.region.clone())
        // The token names the replication group it is for.
        .set("REDIS_IAM_CACHE_NAME", inputs.redis_group_id.clone())
        .set(
            "CELERY_BROKER_IAM_CACHE_NAME",
            inputs.broker_group_id.clone(),
        )
        .set("CELERY_DEFAULT_QUEUE", "default")
        .set("CELERY_PRIORITY_QUEUE", "priority")
        .set("ML_API_URL", "http://ml-api")
        .set_from_terraform("DATABASE_HOST", inputs.db_endpoint.clone())
        .set_from_terraform("REDIS_HOST", inputs.redis_endpoint.clone())
        // Celery's broker: a non-cluster Redis (kombu has no cluster-mode transport).
        .set_from_terraform("CELERY_BROKER_HOST", inputs.broker_endpoint.clone())
        .add_to(m);
    // The migrations of this release, extensions first (migrations use vector's
    // types; pg_stat_statements, preloaded by the parameter group, is the view of
    // statement timings that the postgres exporter reads).
    let migrate = MigrationJob::new("migrate", app_image(inputs));
    redis_users(migrate, inputs, api_user)
        .image_repository(inputs.api_repository_url.clone())
        .command([
            "/bin/sh",
            "-c",
            "python manage.py shell -c \"from django.db import connection; c = connection.cursor(); c.execute('CREATE EXTENSION IF NOT EXISTS vector'); c.execute('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')\" && python manage.py migrate --noinput",
        ])
        .resources(Resources::requests("500m", "512Mi").limits("1", "1Gi"))
        .env_from_config_map(SETTINGS)
        .env_from_secret("api-env")
        .irsa_role(inputs.api_role_arn.clone())
        .add_to(m);
}

/// The HTTP applications: the API and the ML inference APIs.
fn web_apps(m: &mut Manifests, inputs: &PlatformInputs) {
    api(m, inputs);

    let ml_image = format!("ml-api:{}", inputs.release.ml_tag);
    let mut ml_api = WebApp::new("ml-api", ml_image.clone());
    if inputs.on_demand_nodes {
        ml_api = ml_api.node_selector(CAPACITY_TYPE_LABEL, "ON_DEMAND");
    }
    ml_api
        .image_repository(inputs.ml_api_repository_url.clone())
        .replicas(2, 10)
        .host(inputs.host("ml"))
        .allow_from("api")
        .resources(Resources::requests("1", "2Gi").limits("2", "4Gi"))
        .env("MODEL_DEVICE", "cpu")
        .env_from_config_map(SETTINGS)
        .env_from_secret("ml-api-env")
        .irsa_role(inputs.ml_api_role_arn.clone())
        .add_to(m);
    if inputs.gpu {
        WebApp::new("ml-api-gpu", ml_image)
            .image_repository(inputs.ml_api_repository_url.clone())
            .replicas(1, GPU_MAX_REPLICAS as i32)
            .host(inputs.host("ml-gpu"))
            .allow_from("api")
            .resources(Resources::requests("2", "8Gi").limits("4", "16Gi"))
            .gpu(1)
            .env("MODEL_DEVICE", "cuda")
            .env_from_config_map(SETTINGS)
            .env_from_secret("ml-api-env")
            .irsa_role(inputs.ml_api_gpu_role_arn.clone())
            .add_to(m);
    }
}

/// The API: blue-green with a canary in production, one rolling Deployment elsewhere.
fn api(m: &mut Manifests, inputs: &PlatformInputs) {
    // The reference platform's sizing of its web application (requests 250m/512Mi,
    // limits 500m/1Gi); the VPA recommends from there.
    let resources = Resources::requests("250m", "512Mi").limits("500m", "1Gi");
    if inputs.env == "prod" {
        let mut api = BlueGreen::new("api", app_image(inputs))
            .image_repository(inputs.api_repository_url.clone())
            .active(inputs.api_rollout.active)
            .autoscale(3, 20)
            .host(inputs.host("api"))
            .rate_limit_per_minute(100)
            .allow_from("ml-api");
        if let Some(step) = inputs.api_rollout.canary {
            api = api.canary(step);
            // the canary share reaches the release; the active colour keeps the
            // previous image until the switch
            if let Some(tag) = inputs.api_rollout.active_tag {
                let serving = format!("api:{tag}");
                api = match inputs.api_rollout.active {
                    Colour::Blue => api.blue_image(serving),
                    Colour::Green => api.green_image(serving),
                };
            }
        }
        if inputs.on_demand_nodes {
            api = api.node_selector(CAPACITY_TYPE_LABEL, "ON_DEMAND");
        }
        redis_users(api, inputs, api_user)
            .resources(resources)
            .init_command("wait-for-migrations", WAIT_FOR_MIGRATIONS)
            .env_from_config_map(SETTINGS)
            .env_from_secret("api-env")
            .irsa_role(inputs.api_role_arn.clone())
            .add_to(m);
        return;
    }
    let mut api = WebApp::new("api", app_image(inputs));
    if inputs.on_demand_nodes {
        api = api.node_selector(CAPACITY_TYPE_LABEL, "ON_DEMAND");
    }
    redis_users(api, inputs, api_user)
        .image_repository(inputs.api_repository_url.clone())
        .replicas(3, 20)
        .cpu_target(70)
        .memory_target(80)
        .host(inputs.host("api"))
        .rate_limit_per_minute(100)
        .allow_from("ml-api")
        .resources(resources)
        .init_command("wait-for-migrations", WAIT_FOR_MIGRATIONS)
        .env_from_config_map(SETTINGS)
        .env_from_secret("api-env")
        .irsa_role(inputs.api_role_arn.clone())
        .add_to(m);
}

/// A Celery worker of `queue`, on spot nodes, scaled on that queue's depth.
fn worker(inputs: &PlatformInputs, name: &str, queue: &str, max: i32, per_pod: u32) -> Worker {
    let worker = Worker::new(name, format!("worker:{}", inputs.release.app_tag));
    redis_users(worker, inputs, worker_user)
        .image_repository(inputs.worker_repository_url.clone())
        .replicas(if queue == "default" { 3 } else { 2 }, max)
        .scaling(WorkerScaling::QueueDepth {
            metric: "celery_queue_length".into(),
            selector: [("queue".to_string(), queue.to_string())].into(),
            per_pod,
        })
        .command([
            "celery",
            "-A",
            "platform",
            "worker",
            "--loglevel=info",
            "--queues",
            queue,
        ])
        .health_command([
            "/bin/sh",
            "-c",
            "celery -A platform inspect ping -d celery@$HOSTNAME",
        ])
        // Interruptible batch work: the spot node groups only (they carry no taint).
        .node_selector(CAPACITY_TYPE_LABEL, "SPOT")
        .resources(Resources::requests("500m", "512Mi").limits("1", "1Gi"))
        .init_command("wait-for-migrations", WAIT_FOR_MIGRATIONS)
        .env_from_config_map(SETTINGS)
        .env_from_secret("api-env")
        .irsa_role(inputs.worker_role_arn.clone())
}

/// Queue workers (default and high-priority queues), the beat scheduler and the
/// nightly cleanup.
fn background_jobs(m: &mut Manifests, inputs: &PlatformInputs) {
    worker(inputs, "worker", "default", 15, 30).add_to(m);
    // The high-priority queue: fewer messages per pod, so it scales out sooner.
    worker(inputs, "worker-priority", "priority", 10, 10).add_to(m);
    let beat = Scheduler::new("beat", format!("worker:{}", inputs.release.app_tag));
    // Beat publishes to the broker: it connects as the workers' user, with their role.
    redis_users(beat, inputs, worker_user)
        .image_repository(inputs.worker_repository_url.clone())
        .command([
            "celery",
            "-A",
            "platform",
            "beat",
            "--loglevel=info",
            "--schedule=/tmp/celerybeat-schedule",
        ])
        .resources(Resources::requests("100m", "256Mi").limits("500m", "512Mi"))
        .env_from_config_map(SETTINGS)
        .env_from_secret("api-env")
        .irsa_role(inputs.worker_role_arn.clone())
        .add_to(m);
    let cleanup = CronJob::new("cleanup", app_image(inputs), "0 3 * * *");
    redis_users(cleanup, inputs, api_user)
        .image_repository(inputs.api_repository_url.clone())
        .command(["python", "manage.py", "clearsessions"])
        .env_from_config_map(SETTINGS)
        .env_from_secret("api-env")
        .irsa_role(inputs.api_role_arn.clone())
        .add_to(m);
}
