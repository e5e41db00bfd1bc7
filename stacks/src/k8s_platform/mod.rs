//! The reference platform's Kubernetes workloads (targets `eks-prod` and
//! `eks-staging`): API, ML inference API (CPU, and GPU where the cluster has GPU
//! nodes), workers, beat, migrations, secrets, cluster objects, monitoring, ingress,
//! network policies and quotas.
//!
//! `inputs` holds what comes from Terraform and the environment; `workloads` the
//! applications; `observability` exporters, alerts, routing and dashboards.

mod inputs;
mod observability;
mod workloads;

pub use inputs::{remote_secret, ApiRollout, PlatformInputs, RedisUsers, Release};

use terrane_k8s::{
    AlbEdge, AwsSecretStore, ClusterIssuer, Construct, ExternalSecretEnv, Manifests, Namespace,
    Overlay, Resources, StorageClass, INGRESS_NAMESPACE, MONITORING_NAMESPACE,
};

/// Namespace of every workload.
pub const NAMESPACE: &str = "platform";

/// The service accounts of the API's pods (the API, the release's migration Job,
/// the nightly cleanup): what the API's IRSA role trusts.
pub const API_ACCOUNTS: &[&str] = &["api", "migrate", "cleanup"];

/// The service accounts of the Celery pods (the workers of each queue and beat):
/// what the workers' IRSA role trusts.
pub const WORKER_ACCOUNTS: &[&str] = &["worker", "worker-priority", "beat"];

/// The service account of the Secrets Manager secret store: its IRSA role reads the
/// workloads' secrets.
pub const SECRET_STORE: &str = "aws-secrets";

/// The PostgreSQL database of the application (RDS's initial database,
/// `RdsPostgres`'s default name): the workloads' `DATABASE_NAME`, where the migration
/// Job creates the extensions, and what the postgres exporter connects to.
pub const DATABASE: &str = "app";

/// Secrets Manager secrets the workloads read, named `<env>/platform/<name>`
/// ([`remote_secret`]).
pub const REMOTE_SECRETS: &[&str] = &["api", "ml-api", "alertmanager"];

/// The public hosts (`<host>.<domain>`) the ALB serves, with the GPU inference API
/// where the cluster has GPUs: the names its certificate covers.
pub fn public_hosts(gpu: bool) -> Vec<&'static str> {
    let mut hosts = vec!["api", "ml", "grafana", "prometheus"];
    if gpu {
        hosts.push("ml-gpu");
    }
    hosts
}

/// What an operator puts into Secrets Manager secret `<env>/platform/<name>` (its
/// description in the `data` stack): Terraform creates these secrets empty, since a
/// value in Terraform would be in its state. Credentials that live elsewhere (the
/// database's, in RDS's managed master secret) are not in
/// them: external-secrets copies those from their own secrets.
pub fn remote_secret_contents(name: &str) -> String {
    let properties = match name {
        "api" => "the API's and workers' own settings (for example DJANGO_SECRET_KEY), one JSON property per environment variable; DATABASE_USER and DATABASE_PASSWORD come from the RDS secret; Redis needs no password (IAM authentication)",
        "ml-api" => "the ML inference API's settings, one JSON property per environment variable",
        "alertmanager" => "JSON properties slack-webhook-url, pagerduty-routing-key and smtp-password",
        GRAFANA_SECRET => "JSON properties admin-user, admin-password and prometheus-htpasswd (an htpasswd line guarding Prometheus's Ingress)",
        _ => "settings of a platform workload",
    };
    format!("Filled by an operator, read by external-secrets: {properties}")
}

/// The Secrets Manager secret (`<env>/platform/grafana`) holding Grafana's admin
/// user and password (properties `admin-user`, `admin-password`).
pub const GRAFANA_SECRET: &str = "grafana";

/// The Secret kube-prometheus-stack's Grafana reads its admin credentials from
/// (`grafana.admin.existingSecret`), in namespace `monitoring`.
pub const GRAFANA_ADMIN_SECRET: &str = "grafana-admin";

/// The platform's manifests for one environment: the base holds every object at
/// production size, and the environment's one overlay (`production` deploys the base
/// as is; `staging` scales down and shrinks resources).
/// Add it to a target with `t.add_files(k8s_platform::manifests(&inputs))`.
///
/// ```ignore
/// let files = k8s_platform::manifests(&PlatformInputs::named_outputs()).render("eks-prod")?;
/// ```
pub fn manifests(inputs: &PlatformInputs) -> Manifests {
    let mut m = Manifests::new("platform", NAMESPACE);
    namespace_and_secrets(&mut m, inputs);
    cluster_objects(&mut m, inputs);
    workloads::add(&mut m, inputs);
    observability::add(&mut m, inputs);
    overlay(&mut m, inputs);
    m
}

/// The namespace (its quota holds every workload at its maximum), the secret store
/// and the secrets the apps and Grafana read from AWS Secrets Manager.
fn namespace_and_secrets(m: &mut Manifests, inputs: &PlatformInputs) {
    let mut ns = Namespace::new(NAMESPACE)
        .quota("requests.cpu", "60")
        .quota("requests.memory", "120Gi")
        .quota("limits.cpu", "120")
        .quota("limits.memory", "240Gi")
        .quota("pods", "120");
    // The GPU HPA maximum (5) times one GPU per pod; none where the cluster has no GPUs.
    let gpus = if inputs.gpu {
        workloads::GPU_MAX_REPLICAS
    } else {
        0
    };
    ns = ns.quota("requests.nvidia.com/gpu", gpus.to_string());
    ns.add_to(m);
    // One store for the platform and monitoring namespaces, authenticating as one
    // ServiceAccount (the IRSA role trusts `platform/aws-secrets`).
    AwsSecretStore::new(
        SECRET_STORE,
        inputs.region.clone(),
        inputs.secrets_reader_role_arn.clone(),
    )
    .cluster_wide([NAMESPACE, MONITORING_NAMESPACE])
    .add_to(m);
    // The app's own settings, plus the credentials from the secrets they live in.
    ExternalSecretEnv::new("api-env", SECRET_STORE)
        .cluster_store()
        .extract(remote_secret(&inputs.env, "api"))
        .key_from_terraform(
            "DATABASE_USER",
            inputs.db_secret_arn.clone(),
            Some("username"),
        )
        .key_from_terraform(
            "DATABASE_PASSWORD",
            inputs.db_secret_arn.clone(),
            Some("password"),
        )
        .add_to(m);
    ExternalSecretEnv::new("ml-api-env", SECRET_STORE)
        .cluster_store()
        .extract(remote_secret(&inputs.env, "ml-api"))
        .add_to(m);
    let grafana = remote_secret(&inputs.env, GRAFANA_SECRET);
    ExternalSecretEnv::new(GRAFANA_ADMIN_SECRET, SECRET_STORE)
        .namespace(MONITORING_NAMESPACE)
        .cluster_store()
        .key("admin-user", &grafana, "admin-user")
        .key("admin-password", &grafana, "admin-password")
        .add_to(m);
}

/// Cluster objects the workloads name: the ACME issuer of their certificates and
/// the `gp3` StorageClass of Prometheus and Loki volumes.
fn cluster_objects(m: &mut Manifests, inputs: &PlatformInputs) {
    ClusterIssuer::letsencrypt("letsencrypt-prod", &inputs.acme_email, "nginx").add_to(m);
    StorageClass::gp3("gp3").add_to(m);
    // The public entry: an ALB (WAF-guarded) in front of ingress-nginx.
    let mut edge = AlbEdge::new(
        "edge",
        INGRESS_NAMESPACE,
        "ingress-nginx-controller",
        "http",
    )
    .waf_acl(inputs.ingress_waf_acl_arn.clone())
    .dns_records();
    for host in public_hosts(inputs.gpu) {
        edge = edge.host(inputs.host(host));
    }
    edge.add_to(m);
}

/// The environment's overlay: `production` deploys the base as is; `staging` scales
/// down, shrinks resources and moves hosts.
fn overlay(m: &mut Manifests, inputs: &PlatformInputs) {
    if inputs.env == "prod" {
        m.overlay(Overlay::new("production"));
        return;
    }
    let small = || Resources::requests("250m", "256Mi").limits("500m", "512Mi");
    let mut staging = Overlay::new("staging")
        .scale("api", 1, 3)
        .scale("ml-api", 1, 2)
        .scale("worker", 1, 3)
        .scale("worker-priority", 1, 2)
        .resources("api", small())
        .resources(
            "ml-api",
            Resources::requests("500m", "1Gi").limits("1", "2Gi"),
        )
        .resources("worker", small())
        .resources("worker-priority", small());
    if inputs.gpu {
        staging = staging.scale("ml-api-gpu", 1, 1);
    }
    m.overlay(staging);
}
