//! Constructs: what a platform engineer means in a few lines, expanded into
//! hardened Kubernetes objects.

mod blue_green;
mod common;
mod monitoring;
mod namespace;
mod rbac;
mod secrets;
mod stateful;
mod web_app;
mod worker;
mod workload;

pub use blue_green::{BlueGreen, Colour};
pub use common::{INGRESS_NAMESPACE, METADATA_CIDR, MONITORING_NAMESPACE};
pub use monitoring::{
    AlertRouting, AlertRules, GrafanaDashboard, Severity, GRAFANA_DASHBOARD_LABEL, PAGERDUTY_KEY,
    SLACK_WEBHOOK_KEY, SMTP_PASSWORD_KEY,
};
pub use namespace::Namespace;
pub use rbac::Rbac;
pub use secrets::{AwsSecretStore, ExternalSecretEnv};
pub use stateful::{Postgres, Redis};
pub use web_app::{WebApp, CLUSTER_ISSUER_ANNOTATION};
pub use worker::{CronJob, Scheduler, Worker, WorkerScaling};

#[cfg(test)]
mod tests;
