//! Exporters (PostgreSQL, blackbox), alert rules P0-P3, their routing to
//! PagerDuty, Slack and e-mail, and the Grafana dashboards. Redis (ElastiCache, IAM
//! authentication: no password an exporter could log in with) is watched through its
//! CloudWatch metrics, which the platform stack's prometheus-cloudwatch-exporter
//! release exposes (`aws_elasticache_*`, 1-minute resolution).

use terrane_k8s::{
    elasticache_series, AlertRouting, AlertRules, BlackboxProbe, Construct, Exporter,
    ExternalSecretEnv, GrafanaDashboard, HelmServiceIngress, Manifests, PodBuilder,
    DEFAULT_PROMETHEUS_RELEASE, MONITORING_NAMESPACE,
};

use super::{remote_secret, PlatformInputs, GRAFANA_SECRET, SECRET_STORE};

/// The htpasswd Secret (key `auth`) guarding Prometheus's Ingress, from property
/// `prometheus-htpasswd` of `<env>/platform/grafana`.
const PROMETHEUS_AUTH_SECRET: &str = "prometheus-basic-auth";

/// Credentials the exporters log in with: the database master user's (RDS's managed
/// secret).
const EXPORTER_SECRET: &str = "exporters-env";

/// True when the Celery broker is a Redis of its own (production); otherwise the
/// cache is the broker and the cache's alerts cover it.
fn separate_broker(inputs: &PlatformInputs) -> bool {
    inputs.broker_group_id != inputs.redis_group_id
}

/// Observability of the platform.
pub fn add(m: &mut Manifests, inputs: &PlatformInputs) {
    exporters(m, inputs);
    alerts(m, inputs);
    dashboards(m, inputs);
    consoles(m, inputs);
}

/// Grafana (its own login, admin from Secret `grafana-admin`) and Prometheus (basic
/// auth) on TLS Ingresses to kube-prometheus-stack's Services.
fn consoles(m: &mut Manifests, inputs: &PlatformInputs) {
    let release = DEFAULT_PROMETHEUS_RELEASE;
    HelmServiceIngress::new(
        "grafana",
        MONITORING_NAMESPACE,
        inputs.host("grafana"),
        format!("{release}-grafana"),
        "http-web",
    )
    .add_to(m);
    ExternalSecretEnv::new(PROMETHEUS_AUTH_SECRET, SECRET_STORE)
        .namespace(MONITORING_NAMESPACE)
        .cluster_store()
        .key(
            "auth",
            remote_secret(&inputs.env, GRAFANA_SECRET),
            "prometheus-htpasswd",
        )
        .add_to(m);
    HelmServiceIngress::new(
        "prometheus",
        MONITORING_NAMESPACE,
        inputs.host("prometheus"),
        format!("{release}-prometheus"),
        "http-web",
    )
    .basic_auth(PROMETHEUS_AUTH_SECRET)
    .add_to(m);
}

/// The PostgreSQL exporter, and blackbox probes of every public host.
fn exporters(m: &mut Manifests, inputs: &PlatformInputs) {
    let exporter_env = ExternalSecretEnv::new(EXPORTER_SECRET, SECRET_STORE)
        .cluster_store()
        .key_from_terraform(
            "DATA_SOURCE_USER",
            inputs.db_secret_arn.clone(),
            Some("username"),
        )
        .key_from_terraform(
            "DATA_SOURCE_PASS",
            inputs.db_secret_arn.clone(),
            Some("password"),
        );
    exporter_env.add_to(m);
    Exporter::new(
        "postgres-exporter",
        "quay.io/prometheuscommunity/postgres-exporter:v0.17.1",
        9187,
    )
    // Kubernetes expands `$(VAR)` from variables listed before it (env is sorted:
    // DATABASE_HOST precedes DATA_SOURCE_URI).
    .env("DATABASE_HOST", inputs.db_endpoint.clone())
    // the application's database, where the migration Job creates pg_stat_statements
    // (its view lists the statements of every database)
    .env(
        "DATA_SOURCE_URI",
        format!("$(DATABASE_HOST):5432/{}?sslmode=require", super::DATABASE),
    )
    .env_secret("DATA_SOURCE_USER", EXPORTER_SECRET, "DATA_SOURCE_USER")
    .env_secret("DATA_SOURCE_PASS", EXPORTER_SECRET, "DATA_SOURCE_PASS")
    // per-statement timings: the query-time alert
    .args([
        "--no-collector.stat_bgwriter",
        "--collector.stat_statements",
    ])
    .add_to(m);
    Exporter::new(
        "blackbox-exporter",
        "quay.io/prometheus/blackbox-exporter:v0.26.0",
        9115,
    )
    .health_path("/-/healthy")
    .add_to(m);
    let mut probe = BlackboxProbe::new("public-endpoints", "blackbox-exporter");
    let mut hosts = vec!["api", "ml"];
    if inputs.gpu {
        hosts.push("ml-gpu");
    }
    for host in hosts {
        probe = probe.target(format!("https://{}/health", inputs.host(host)));
    }
    probe.add_to(m);
}

/// Alerts P0-P3 on every service, routed by severity.
fn alerts(m: &mut Manifests, inputs: &PlatformInputs) {
    // The reference platform's objectives: error rate below 0.5 %, p95 below 2 s.
    let mut rules = AlertRules::new("platform-alerts")
        .error_ratio_target(0.005)
        .latency_p95_seconds(2.0)
        .http_app("api")
        .http_app("ml-api");
    if inputs.gpu {
        rules = rules.http_app("ml-api-gpu");
    }
    rules = rules
        .pod_restarts("worker")
        .resource_use("worker")
        .pod_restarts("worker-priority")
        .pod_restarts("beat")
        .queue_backlog("celery_queue_length", 1000)
        .db_connections(80)
        // the reference's database query time objective, below 500 ms
        .db_query_time(500)
        .elasticache_cache(&inputs.redis_group_id);
    if separate_broker(inputs) {
        rules = rules.elasticache_broker(&inputs.broker_group_id);
    }
    rules.endpoints("public-endpoints").add_to(m);
    AlertRouting::new("platform-alerts", SECRET_STORE)
        .remote_secret(remote_secret(&inputs.env, "alertmanager"))
        .cluster_store()
        .slack_channel(format!("#platform-alerts-{}", inputs.env))
        .email(inputs.alert_email.clone())
        .smtp(
            format!("alertmanager@{}", inputs.domain),
            format!("email-smtp.{}.amazonaws.com:587", inputs.region),
        )
        .add_to(m);
}

/// Five dashboards: system overview, API, database, queues and workers, ML inference.
fn dashboards(m: &mut Manifests, inputs: &PlatformInputs) {
    let ns = "namespace=\"platform\"";
    GrafanaDashboard::new("system-overview", "Platform: system overview")
        .panel("Requests per second by app", "sum by (job) (rate(http_requests_total[5m]))")
        .panel("5xx ratio by app", "sum by (job) (rate(http_requests_total{status=~\"5..\"}[5m])) / sum by (job) (rate(http_requests_total[5m]))")
        .panel("CPU by workload (cores)", format!("sum by (container) (rate(container_cpu_usage_seconds_total{{{ns}}}[5m]))"))
        .panel("Memory by workload (bytes)", format!("sum by (container) (container_memory_working_set_bytes{{{ns}}})"))
        .panel("Pod restarts (1h)", format!("sum by (container) (increase(kube_pod_container_status_restarts_total{{{ns}}}[1h]))"))
        .panel("Endpoint probes", "probe_success{job=\"public-endpoints\"}")
        .add_to(m);
    let latency = |q: &str| {
        format!("histogram_quantile({q}, sum by (le) (rate(http_request_duration_seconds_bucket{{job=\"api\"}}[5m])))")
    };
    GrafanaDashboard::new("api-latency", "API: latency and errors")
        .panel("p50 latency (s)", latency("0.5"))
        .panel("p95 latency (s)", latency("0.95"))
        .panel("p99 latency (s)", latency("0.99"))
        .panel("Error ratio", "sum(rate(http_requests_total{job=\"api\",status=~\"5..\"}[5m])) / sum(rate(http_requests_total{job=\"api\"}[5m]))")
        .panel("Requests per second by status", "sum by (status) (rate(http_requests_total{job=\"api\"}[5m]))")
        .add_to(m);
    // CloudWatch metrics of the cache's nodes (1-minute resolution, a few minutes late).
    let redis = |metric: &str| elasticache_series(metric, &inputs.redis_group_id);
    GrafanaDashboard::new("database", "Database: PostgreSQL and Redis")
        .panel("Connections / max", "sum(pg_stat_database_numbackends) / max(pg_settings_max_connections)")
        .panel("Transactions per second", "sum(rate(pg_stat_database_xact_commit[5m]) + rate(pg_stat_database_xact_rollback[5m]))")
        .panel("Deadlocks (15m)", "sum(increase(pg_stat_database_deadlocks[15m]))")
        .panel("Redis memory used (%) by node", format!("max by (cache_cluster_id) ({})", redis("database_memory_usage_percentage_average")))
        .panel("Redis hit rate (%)", format!("avg({})", redis("cache_hit_rate_average")))
        .panel("Redis engine CPU (%) by node", format!("max by (cache_cluster_id) ({})", redis("engine_cpuutilization_average")))
        .panel("Redis connections", format!("sum({})", redis("curr_connections_average")))
        .panel("Redis evictions per minute", format!("sum({})", redis("evictions_sum")))
        .panel("Redis replication lag (s) by replica", format!("max by (cache_cluster_id) ({})", redis("replication_lag_average")))
        .add_to(m);
    GrafanaDashboard::new("queues-workers", "Queues and workers")
        .panel("Queue length by queue", "sum by (queue) (celery_queue_length)")
        .panel("Worker replicas", format!("sum by (deployment) (kube_deployment_status_replicas{{{ns},deployment=~\"worker.*\"}})"))
        .panel("Worker CPU (cores)", format!("sum by (container) (rate(container_cpu_usage_seconds_total{{{ns},container=~\"worker.*\"}}[5m]))"))
        .panel("Worker restarts (1h)", format!("sum by (container) (increase(kube_pod_container_status_restarts_total{{{ns},container=~\"worker.*|beat\"}}[1h]))"))
        .add_to(m);
    let mut ml = GrafanaDashboard::new("ml-inference", "ML inference")
        .panel("Requests per second", "sum by (job) (rate(http_requests_total{job=~\"ml-api.*\"}[5m]))")
        .panel("p95 latency (s)", "histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket{job=~\"ml-api.*\"}[5m])))")
        .panel("Error ratio", "sum by (job) (rate(http_requests_total{job=~\"ml-api.*\",status=~\"5..\"}[5m])) / sum by (job) (rate(http_requests_total{job=~\"ml-api.*\"}[5m]))");
    if inputs.gpu {
        ml = ml.panel(
            "GPU utilization (%)",
            "avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)",
        );
    }
    ml.add_to(m);
}
