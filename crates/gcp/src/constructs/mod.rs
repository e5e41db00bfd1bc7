//! Hand-written constructs: what a platform engineer means (a private Postgres, Cloud
//! Run in several regions behind one HTTPS load balancer), built from the generated types.
//!
//! Every construct is a plain builder with safe defaults (private networking, least
//! privilege, backups, HTTPS only) that implements terrane-core's [`Construct`]: what it
//! needs (the project, a network) is given to its constructor, and `add_to(&mut stack)`
//! declares its resources and returns its `<Construct>Handle`. Builders never fail: a
//! domain rule that is broken is recorded with [`terrane_core::Stack::report`] and
//! reported at synth with target, stack, address and field. Thresholds are
//! [`Percent`]; the environment is terrane-core's [`Environment`].
//!
//! ```
//! use terrane_core::{Stack, Expr};
//! use terrane_gcp::constructs::*;
//!
//! let mut foundation = Stack::new("foundation");
//! let project = ProjectServices::new(Expr::<String>::raw("var.project_id")).add_to(&mut foundation);
//! let network = PrivateNetwork::new(&project, "prod")
//!     .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
//!     .add_to(&mut foundation);
//! let db = PrivatePostgres::new(&project, &network, "prod-db", "us-central1")
//!     .environment(Environment::Production)
//!     .add_to(&mut foundation);
//! assert_eq!(db.connection_name().to_hcl(), "google_sql_database_instance.prod_db.connection_name");
//! ```
#![cfg(all(
    feature = "artifact_registry",
    feature = "billing",
    feature = "cloud_run",
    feature = "compute",
    feature = "dns",
    feature = "kms",
    feature = "monitoring",
    feature = "project",
    feature = "pubsub",
    feature = "secret_manager",
    feature = "service_networking",
    feature = "sql",
    feature = "vpc_access"
))]

mod artifact_registry;
mod budget;
mod channels;
mod cloud_armor;
mod cloud_run;
mod dns;
mod kms;
mod load_balancer;
mod monitoring;
mod network;
mod postgres;
mod project_services;
mod service_account;

pub use artifact_registry::{ContainerRegistry, ContainerRegistryHandle};
pub use budget::{Budget, BudgetHandle};
pub use channels::{ChannelKind, NotificationChannel, NotificationChannelHandle};
pub use cloud_armor::{AdaptiveProtection, CloudArmor, RateLimit};
pub use cloud_run::{CloudRunService, CloudRunServiceHandle, Invokers};
pub use dns::{DnsRecords, DnsRecordsHandle, DnsZone};
pub use kms::{CmekKey, CmekKeyHandle, KeyRing, KeyRingHandle, ServiceAgent};
pub use load_balancer::{GlobalHttpsLoadBalancer, GlobalHttpsLoadBalancerHandle, TlsProfile};
pub use monitoring::{AlertSeverity, AlertThresholds, Monitoring, MonitoringHandle, Tiered};
pub use network::{PrivateNetwork, PrivateNetworkHandle};
pub use postgres::{
    Availability, Backups, DeletionProtection, PrivatePostgres, PrivatePostgresHandle, PublicIp,
};
pub use project_services::{apis, ProjectServices, ProjectServicesHandle};
pub use service_account::{ProjectRole, ServiceAccount, ServiceAccountHandle};

use terrane_core::construct::block_name;

/// The one environment of every construct, from terrane-core (re-exported so
/// `use terrane_gcp::constructs::*` keeps bringing it in).
pub use terrane_core::construct::Environment;
/// The one contract: `Foo::new(..).setting(..).add_to(&mut stack)` returns `FooHandle`.
pub use terrane_core::construct::{Construct, Percent};

#[cfg(test)]
mod tests;
