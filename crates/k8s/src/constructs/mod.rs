//! Constructs: what a platform engineer means in a few lines, expanded into
//! hardened Kubernetes objects.

mod alb_edge;
mod alerts;
mod blue_green;
mod canary;
mod cluster;
mod common;
mod dashboards;
mod exporters;
mod helm_ingress;
mod migration;
mod monitoring;
mod namespace;
mod rbac;
mod secrets;
mod settings;
mod stateful;
mod web_app;
mod worker;
mod workload;

pub use alb_edge::{AlbEdge, DNS_HOSTNAME_ANNOTATION, WAF_ACL_ANNOTATION};
pub use alerts::{
    elasticache_node_regex, elasticache_series, AlertRules, Severity, ELASTICACHE_METRIC_PREFIX,
    SERVICE_LABEL,
};
pub use blue_green::{BlueGreen, Colour};
pub use canary::{Canary, TrafficStep};
pub use cluster::{ClusterIssuer, StorageClass, LETSENCRYPT_PRODUCTION};
pub use common::{INGRESS_NAMESPACE, METADATA_CIDR, MONITORING_NAMESPACE};
pub use dashboards::{GrafanaDashboard, GRAFANA_DASHBOARD_LABEL};
pub use exporters::{BlackboxProbe, Exporter};
pub use helm_ingress::HelmServiceIngress;
pub use migration::MigrationJob;
pub use monitoring::{AlertRouting, PAGERDUTY_KEY, SLACK_WEBHOOK_KEY, SMTP_PASSWORD_KEY};
pub use namespace::Namespace;
pub use rbac::Rbac;
pub use secrets::{AwsSecretStore, ExternalSecretEnv};
pub use settings::AppConfig;
pub use stateful::{Postgres, Redis};
pub use web_app::{WebApp, CLUSTER_ISSUER_ANNOTATION};
pub use worker::{CronJob, Scheduler, Worker, WorkerScaling};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_platform;
