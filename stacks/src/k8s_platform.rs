//! The reference platform's Kubernetes workloads (targets `eks-prod` and
//! `eks-staging`): API, ML inference API (CPU and GPU), workers, beat, cleanup
//! job, secrets, monitoring, ingress, network policies and quotas.

use terrane_k8s::{
    AlertRouting, AlertRules, AwsSecretStore, Construct, CronJob, ExternalSecretEnv,
    GrafanaDashboard, Manifests, Namespace, Overlay, PodBuilder, Rbac, Resources, Scheduler,
    TfValue, WebApp, Worker, WorkerScaling,
};

/// Namespace of every workload.
pub const NAMESPACE: &str = "platform";

/// The service account of the Secrets Manager SecretStore: its IRSA role reads the
/// workloads' secrets.
pub const SECRET_STORE: &str = "aws-secrets";

/// Secrets Manager secrets the workloads read, named `<NAMESPACE>/<name>`.
pub const REMOTE_SECRETS: &[&str] = &["api", "ml-api", "alertmanager"];

const API_IMAGE: &str = "registry.example.com/platform/api:1.4.2";
const ML_IMAGE: &str = "registry.example.com/platform/ml-api:0.9.1";

/// The Terraform values the workloads read, known only after `terraform apply`.
/// Each is a [`TfValue`]: an `Expr<String>` of one of the target's stacks (exported as an
/// output at synth), or an output a stack already declares.
#[derive(Debug, Clone)]
pub struct PlatformInputs {
    /// AWS region of Secrets Manager.
    pub region: String,
    /// PostgreSQL (RDS) endpoint host.
    pub db_endpoint: TfValue,
    /// Redis (ElastiCache) endpoint host.
    pub redis_endpoint: TfValue,
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
    /// Inputs read from outputs named after the value, in stacks `data` and `eks`.
    pub fn named_outputs() -> Self {
        Self {
            region: "eu-west-1".into(),
            db_endpoint: TfValue::output("data", "db_endpoint"),
            redis_endpoint: TfValue::output("data", "redis_endpoint"),
            api_role_arn: TfValue::output("eks", "api_role_arn"),
            ml_api_role_arn: TfValue::output("eks", "ml_api_role_arn"),
            ml_api_gpu_role_arn: TfValue::output("eks", "ml_api_gpu_role_arn"),
            worker_role_arn: TfValue::output("eks", "worker_role_arn"),
            secrets_reader_role_arn: TfValue::output("eks", "secrets_reader_role_arn"),
        }
    }
}

/// The platform's manifests: the base is production-sized; overlay `production`
/// deploys it as is, overlay `staging` scales down, shrinks resources and moves hosts.
/// Add it to a target with `t.add_files(k8s_platform::manifests(&inputs))`.
///
/// ```ignore
/// let files = k8s_platform::manifests(&PlatformInputs::named_outputs()).render("eks-prod")?;
/// ```
pub fn manifests(inputs: &PlatformInputs) -> Manifests {
    let mut m = Manifests::new("platform", NAMESPACE);
    namespace_and_secrets(&mut m, inputs);
    web_apps(&mut m, inputs);
    background_jobs(&mut m, inputs);
    operations(&mut m);
    overlays(&mut m);
    m
}

/// The namespace and the secrets the apps read from AWS Secrets Manager.
fn namespace_and_secrets(m: &mut Manifests, inputs: &PlatformInputs) {
    Namespace::new(NAMESPACE).add_to(m);
    AwsSecretStore::new(
        SECRET_STORE,
        inputs.region.clone(),
        inputs.secrets_reader_role_arn.clone(),
    )
    .add_to(m);
    ExternalSecretEnv::new("api-env", SECRET_STORE)
        .extract(format!("{NAMESPACE}/api"))
        .add_to(m);
    ExternalSecretEnv::new("ml-api-env", SECRET_STORE)
        .extract(format!("{NAMESPACE}/ml-api"))
        .add_to(m);
}

/// The HTTP applications: the API and the ML inference APIs.
fn web_apps(m: &mut Manifests, inputs: &PlatformInputs) {
    // Django-style API.
    WebApp::new("api", API_IMAGE)
        .replicas(3, 20)
        .cpu_target(70)
        .memory_target(80)
        .host("api.example.com")
        .allow_from("ml-api")
        .resources(Resources::requests("500m", "512Mi").limits("1", "1Gi"))
        .env("DJANGO_SETTINGS_MODULE", "platform.settings.production")
        .env("DATABASE_HOST", inputs.db_endpoint.clone())
        .env("REDIS_HOST", inputs.redis_endpoint.clone())
        .env_from_secret("api-env")
        .irsa_role(inputs.api_role_arn.clone())
        .add_to(m);

    // ML inference API on CPU, and a GPU variant for large models.
    WebApp::new("ml-api", ML_IMAGE)
        .replicas(2, 10)
        .host("ml.example.com")
        .allow_from("api")
        .resources(Resources::requests("1", "2Gi").limits("2", "4Gi"))
        .env("MODEL_DEVICE", "cpu")
        .env_from_secret("ml-api-env")
        .irsa_role(inputs.ml_api_role_arn.clone())
        .add_to(m);
    WebApp::new("ml-api-gpu", ML_IMAGE)
        .replicas(1, 5)
        .host("ml-gpu.example.com")
        .allow_from("api")
        .resources(Resources::requests("2", "8Gi").limits("4", "16Gi"))
        .gpu(1)
        .env("MODEL_DEVICE", "cuda")
        .env_from_secret("ml-api-env")
        .irsa_role(inputs.ml_api_gpu_role_arn.clone())
        .add_to(m);
}

/// Queue workers, the beat scheduler and the nightly cleanup.
fn background_jobs(m: &mut Manifests, inputs: &PlatformInputs) {
    // Celery-style workers and beat.
    Worker::new("worker", API_IMAGE)
        .replicas(3, 15)
        .scaling(WorkerScaling::QueueDepth {
            metric: "celery_queue_length".into(),
            selector: [("queue".to_string(), "default".to_string())].into(),
            per_pod: 30,
        })
        .command(["celery", "-A", "platform", "worker", "--loglevel=info"])
        .health_command([
            "/bin/sh",
            "-c",
            "celery -A platform inspect ping -d celery@$HOSTNAME",
        ])
        .resources(Resources::requests("500m", "512Mi").limits("1", "1Gi"))
        .env("DATABASE_HOST", inputs.db_endpoint.clone())
        .env("REDIS_HOST", inputs.redis_endpoint.clone())
        .env_from_secret("api-env")
        .irsa_role(inputs.worker_role_arn.clone())
        .add_to(m);
    Scheduler::new("beat", API_IMAGE)
        .command([
            "celery",
            "-A",
            "platform",
            "beat",
            "--loglevel=info",
            "--schedule=/tmp/celerybeat-schedule",
        ])
        .resources(Resources::requests("100m", "256Mi").limits("500m", "512Mi"))
        .env("REDIS_HOST", inputs.redis_endpoint.clone())
        .env_from_secret("api-env")
        .add_to(m);
    CronJob::new("cleanup", API_IMAGE, "0 3 * * *")
        .command(["python", "manage.py", "clearsessions"])
        .env("DATABASE_HOST", inputs.db_endpoint.clone())
        .env_from_secret("api-env")
        .add_to(m);
}

/// Deploy rights, alerts, their routing and dashboards.
fn operations(m: &mut Manifests) {
    // CI may roll the API image, nothing more.
    Rbac::new("deployer")
        .allow("apps", ["deployments"], ["get", "list", "watch", "patch"])
        .with_service_account()
        .add_to(m);

    AlertRules::new("platform-alerts")
        .latency_p95_seconds(0.5)
        .http_app("api")
        .latency_p95_seconds(2.0)
        .http_app("ml-api")
        .http_app("ml-api-gpu")
        .pod_restarts("worker")
        .pod_restarts("beat")
        .queue_backlog("celery_queue_length", 1000)
        .db_connections(80)
        .add_to(m);
    AlertRouting::new("platform-alerts", SECRET_STORE)
        .slack_channel("#platform-alerts")
        .email("oncall@example.com")
        .add_to(m);
    GrafanaDashboard::http_app("api").add_to(m);
    GrafanaDashboard::http_app("ml-api").add_to(m);
}

/// Overlay `production` deploys the base as is; `staging` scales down, shrinks
/// resources and moves hosts.
fn overlays(m: &mut Manifests) {
    m.overlay(Overlay::new("production"));
    let small = || Resources::requests("250m", "256Mi").limits("500m", "512Mi");
    m.overlay(
        Overlay::new("staging")
            .scale("api", 1, 3)
            .scale("ml-api", 1, 2)
            .scale("ml-api-gpu", 1, 1)
            .scale("worker", 1, 3)
            .resources("api", small())
            .resources(
                "ml-api",
                Resources::requests("500m", "1Gi").limits("1", "2Gi"),
            )
            .resources("worker", small())
            .host("api", "api.staging.example.com")
            .host("ml-api", "ml.staging.example.com")
            .host("ml-api-gpu", "ml-gpu.staging.example.com"),
    );
}
