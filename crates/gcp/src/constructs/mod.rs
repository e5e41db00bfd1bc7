//! Hand-written constructs: what a platform engineer means (a private Postgres, Cloud
//! Run in several regions behind one HTTPS load balancer), built from the generated types.
//!
//! Every construct is a plain builder with safe defaults (private networking, least
//! privilege, backups, HTTPS only) and an `add_to(stack, ...)` that declares its
//! resources and returns typed handles. Builders never fail: a domain rule that is
//! broken is recorded with [`terrane_core::Stack::report`] and reported at synth with
//! target, stack, address and field.
//!
//! ```
//! use terrane_core::{Stack, Expr};
//! use terrane_gcp::constructs::*;
//!
//! let mut foundation = Stack::new("foundation");
//! let project = ProjectServices::new(Expr::<String>::raw("var.project_id")).add_to(&mut foundation);
//! let network = PrivateNetwork::new("prod")
//!     .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
//!     .add_to(&mut foundation, &project);
//! let db = PrivatePostgres::new("prod-db", "us-central1", &network)
//!     .environment(Environment::Production)
//!     .add_to(&mut foundation, &project);
//! assert_eq!(db.connection_name().to_hcl(), "google_sql_database_instance.prod_db.connection_name");
//! ```
#![cfg(all(
    feature = "billing",
    feature = "cloud_run",
    feature = "compute",
    feature = "monitoring",
    feature = "project",
    feature = "pubsub",
    feature = "secret_manager",
    feature = "service_networking",
    feature = "sql",
    feature = "vpc_access"
))]

mod budget;
mod cloud_run;
mod load_balancer;
mod monitoring;
mod network;
mod postgres;
mod project_services;
mod service_account;

pub use budget::{Budget, BudgetAlerts};
pub use cloud_run::{CloudRunService, CloudRunServices};
pub use load_balancer::{CloudArmor, GlobalHttpsLoadBalancer, LoadBalancer};
pub use monitoring::{AlertThresholds, Channel, Monitoring, NotificationChannel, Observability};
pub use network::{Network, PrivateNetwork};
pub use postgres::{Database, PrivatePostgres};
pub use project_services::{apis, Project, ProjectServices};
pub use service_account::{Identity, ProjectRole, ServiceAccount};

/// Which environment a construct is built for: production turns on the settings that
/// cost money but protect data (high availability, deletion protection, longer
/// retention), and the domain checks that go with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// Production: every protection on, checked at synth.
    #[default]
    Production,
    /// Staging, development, previews: cheaper settings.
    NonProduction,
}

impl Environment {
    /// True for [`Environment::Production`].
    pub fn is_production(self) -> bool {
        self == Environment::Production
    }
}

/// A Terraform block name from a resource name (`prod-api` → `prod_api`).
pub(crate) fn block_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests;
