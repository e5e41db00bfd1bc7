//! `PrivatePostgres`: Cloud SQL for PostgreSQL on a private IP, with backups,
//! point-in-time recovery, and IAM database authentication (no password anywhere).

use terrane_core::construct::{Construct, Environment};
use terrane_core::{func, Expr, Handle, Stack};

use crate::sql::{
    SqlDatabase, SqlDatabaseInstance, SqlDatabaseInstanceRef, SqlDatabaseInstanceSettings,
    SqlDatabaseInstanceSettingsBackupConfiguration,
    SqlDatabaseInstanceSettingsBackupConfigurationBackupRetentionSettings,
    SqlDatabaseInstanceSettingsDatabaseFlags, SqlDatabaseInstanceSettingsInsightsConfig,
    SqlDatabaseInstanceSettingsIpConfiguration, SqlDatabaseInstanceSettingsMaintenanceWindow,
    SqlUser,
};

use super::{
    apis, block_name, PrivateNetworkHandle, ProjectRole, ProjectServicesHandle,
    ServiceAccountHandle,
};

/// The flag that lets IAM principals log in (IAM database authentication).
const IAM_AUTHENTICATION_FLAG: (&str, &str) = ("cloudsql.iam_authentication", "on");

/// What a service account's IAM database user name drops from its email: Cloud SQL
/// for PostgreSQL names the user `NAME@PROJECT.iam`.
const SERVICE_ACCOUNT_DOMAIN_SUFFIX: &str = ".gserviceaccount.com";

/// Server flags on by default: the logging that CIS benchmarks ask of PostgreSQL.
const AUDIT_FLAGS: &[(&str, &str)] = &[
    ("log_checkpoints", "on"),
    ("log_connections", "on"),
    ("log_disconnections", "on"),
    ("log_lock_waits", "on"),
    ("log_min_messages", "error"),
    ("log_min_error_statement", "error"),
    ("log_temp_files", "0"),
    ("log_min_duration_statement", "-1"),
    ("log_hostname", "on"),
    ("log_duration", "on"),
    ("log_statement", "ddl"),
    ("log_error_verbosity", "default"),
    ("cloudsql.enable_pgaudit", "on"),
    ("pgaudit.log", "ddl,role"),
];

/// Whether the instance survives a zone outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// A standby in a second zone with synchronous replication (`REGIONAL`).
    Regional,
    /// One zone only (`ZONAL`): cheaper, down while its zone is.
    Zonal,
}

/// Whether the instance gets a public IPv4 address besides its private one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PublicIp {
    /// Private IP only: reachable inside the VPC (the default).
    #[default]
    Disabled,
    /// A public IPv4 address as well; reported in production.
    Enabled,
}

/// Automated backups with point-in-time recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backups {
    /// Daily backups and point-in-time recovery (the default).
    #[default]
    PointInTimeRecovery,
    /// No automated backups; reported in production.
    Disabled,
}

/// Whether Terraform and the API refuse to delete the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionProtection {
    /// Deletion refused until this is turned off.
    On,
    /// Deletable; reported in production.
    Off,
}

/// Cloud SQL for PostgreSQL reachable only inside the VPC: no public IP, TLS with
/// client certificates required (clients connect through the Cloud SQL Auth Proxy,
/// which Cloud Run's `/cloudsql` mount provides), automated backups with point-in-time recovery, audit logging flags;
/// in production also regional high availability, deletion protection and 30 days
/// of backups. One database, and IAM database authentication
/// (`cloudsql.iam_authentication=on`): the application's service account is a
/// `CLOUD_IAM_SERVICE_ACCOUNT` user ([`PrivatePostgres::iam_user`]), which logs in
/// with a short-lived OAuth token that a Cloud SQL connector fetches (automatic IAM
/// authentication). No password exists: none in state, in Secret Manager or in the
/// service's environment. The account needs `roles/cloudsql.client` and
/// `roles/cloudsql.instanceUser` ([`ProjectRole::CloudSqlClient`],
/// [`ProjectRole::CloudSqlInstanceUser`]); a missing one is reported at synth.
///
/// An IAM user starts with PostgreSQL's default privileges only: on PostgreSQL 15+
/// it may connect but not create in schema `public`. Granting it the schema (or the
/// database's ownership) is a one-time SQL step run by an administrator
/// (`GRANT ALL ON SCHEMA public TO "NAME@PROJECT.iam"`), outside Terraform.
///
/// Checked at synth in production: a public IP, disabled backups or disabled
/// deletion protection is reported.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("data");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let net = PrivateNetwork::new(&project, "stg")
///     .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
///     .add_to(&mut stack);
/// let api = ServiceAccount::new(&project, "stg-api", "API")
///     .role(ProjectRole::CloudSqlClient)
///     .role(ProjectRole::CloudSqlInstanceUser)
///     .add_to(&mut stack);
/// let db = PrivatePostgres::new(&project, &net, "stg-db", "us-central1")
///     .environment(Environment::NonProduction)
///     .tier("db-g1-small")
///     .iam_user(&api)
///     .add_to(&mut stack);
/// assert!(db.is_private());
/// assert_eq!(
///     db.iam_user_name().map(|u| u.to_hcl()).as_deref(),
///     Some(r#"trimsuffix(google_service_account.stg_api.email, ".gserviceaccount.com")"#)
/// );
/// ```
#[derive(Debug, Clone)]
pub struct PrivatePostgres {
    project: ProjectServicesHandle,
    name: String,
    region: String,
    network: Expr<String>,
    peering: Option<crate::service_networking::ServiceNetworkingConnectionRef>,
    version: String,
    tier: String,
    environment: Environment,
    availability: Option<Availability>,
    public_ip: PublicIp,
    backups: Backups,
    deletion_protection: Option<DeletionProtection>,
    database: String,
    iam_user: Option<ServiceAccountHandle>,
    disk_size_gb: u32,
}

impl PrivatePostgres {
    /// An instance of `project` named `name` in `region`, on `network`'s private
    /// service access. Defaults: PostgreSQL 18, `db-custom-2-7680`, production,
    /// database `app`, no IAM user.
    pub fn new(
        project: &ProjectServicesHandle,
        network: &PrivateNetworkHandle,
        name: &str,
        region: &str,
    ) -> Self {
        PrivatePostgres {
            project: project.clone(),
            name: name.to_string(),
            region: region.to_string(),
            network: network.id(),
            peering: Some(network.peering().clone()),
            version: "POSTGRES_18".to_string(),
            tier: "db-custom-2-7680".to_string(),
            environment: Environment::Production,
            availability: None,
            public_ip: PublicIp::Disabled,
            backups: Backups::PointInTimeRecovery,
            deletion_protection: None,
            database: "app".to_string(),
            iam_user: None,
            disk_size_gb: 20,
        }
    }
    /// `POSTGRES_16`, `POSTGRES_17`, `POSTGRES_18`, ...
    pub fn version(mut self, v: &str) -> Self {
        self.version = v.to_string();
        self
    }
    /// Machine tier (`db-custom-2-7680`, `db-g1-small`).
    pub fn tier(mut self, t: &str) -> Self {
        self.tier = t.to_string();
        self
    }
    /// Production or not: decides HA, deletion protection and retention defaults.
    pub fn environment(mut self, e: Environment) -> Self {
        self.environment = e;
        self
    }
    /// Overrides the availability default ([`Availability::Regional`] in production,
    /// [`Availability::Zonal`] otherwise).
    pub fn availability(mut self, availability: Availability) -> Self {
        self.availability = Some(availability);
        self
    }
    /// A public IPv4 address or not (default [`PublicIp::Disabled`]);
    /// [`PublicIp::Enabled`] is reported in production.
    pub fn public_ip(mut self, public_ip: PublicIp) -> Self {
        self.public_ip = public_ip;
        self
    }
    /// Automated backups and point-in-time recovery (default
    /// [`Backups::PointInTimeRecovery`]); [`Backups::Disabled`] is reported in production.
    pub fn backups(mut self, backups: Backups) -> Self {
        self.backups = backups;
        self
    }
    /// Overrides the deletion protection default ([`DeletionProtection::On`] in
    /// production, off otherwise); [`DeletionProtection::Off`] is reported in production.
    pub fn deletion_protection(mut self, protection: DeletionProtection) -> Self {
        self.deletion_protection = Some(protection);
        self
    }
    /// The database's name.
    pub fn database(mut self, name: &str) -> Self {
        self.database = name.to_string();
        self
    }
    /// The service account that logs in as an IAM database user (named after its
    /// email without `.gserviceaccount.com`); it needs
    /// [`ProjectRole::CloudSqlClient`] and [`ProjectRole::CloudSqlInstanceUser`].
    pub fn iam_user(mut self, account: &ServiceAccountHandle) -> Self {
        self.iam_user = Some(account.clone());
        self
    }
    /// Initial disk size (grows automatically).
    pub fn disk_size_gb(mut self, gb: u32) -> Self {
        self.disk_size_gb = gb;
        self
    }
}

impl Construct for PrivatePostgres {
    type Handle = PrivatePostgresHandle;

    /// Declares the instance, its database and the IAM database user in `stack`.
    fn add_to(self, stack: &mut Stack) -> PrivatePostgresHandle {
        let project = &self.project;
        let name = block_name(&self.name);
        let mut meta = project.after(stack, &[apis::SQL_ADMIN]);
        if let Some(peering) = &self.peering {
            // the private IP is allocated from the peered range, which must exist first
            if peering.base().stack == stack.id() {
                meta = meta.depends_on(peering);
            }
        }
        let instance = stack.add_with(
            &name,
            SqlDatabaseInstance::new(self.version.as_str())
                .name(self.name.as_str())
                .project(project.id())
                .region(self.region.as_str())
                .deletion_protection(self.deletion_protected())
                .settings(self.settings()),
            meta,
        );
        self.check_production(stack, &instance.address());
        let iam_user = self.add_database_and_user(stack, &name, &instance);
        PrivatePostgresHandle {
            instance,
            database: self.database,
            iam_user,
            private: self.public_ip == PublicIp::Disabled,
        }
    }
}

impl PrivatePostgres {
    fn deletion_protected(&self) -> bool {
        let default = if self.environment.is_production() {
            DeletionProtection::On
        } else {
            DeletionProtection::Off
        };
        self.deletion_protection.unwrap_or(default) == DeletionProtection::On
    }

    /// The instance settings: tier, availability, disk, network, backups, flags.
    fn settings(&self) -> SqlDatabaseInstanceSettings {
        let prod = self.environment.is_production();
        let default = if prod {
            Availability::Regional
        } else {
            Availability::Zonal
        };
        let availability = match self.availability.unwrap_or(default) {
            Availability::Regional => "REGIONAL",
            Availability::Zonal => "ZONAL",
        };
        let ip = SqlDatabaseInstanceSettingsIpConfiguration::new()
            .ipv4_enabled(self.public_ip == PublicIp::Enabled)
            .private_network(self.network.clone())
            .ssl_mode("TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
            .enable_private_path_for_google_cloud_services(true);
        let backups = self.backups == Backups::PointInTimeRecovery;
        let mut backup = SqlDatabaseInstanceSettingsBackupConfiguration::new().enabled(backups);
        if backups {
            backup = backup
                .point_in_time_recovery_enabled(true)
                .start_time("03:00")
                .transaction_log_retention_days(7)
                .backup_retention_settings(
                    SqlDatabaseInstanceSettingsBackupConfigurationBackupRetentionSettings::new(
                        if prod { 30 } else { 7 },
                    )
                    .retention_unit("COUNT"),
                );
        }
        let mut settings = SqlDatabaseInstanceSettings::new(self.tier.as_str())
            .edition("ENTERPRISE")
            .availability_type(availability)
            .disk_type("PD_SSD")
            .disk_size(self.disk_size_gb)
            .disk_autoresize(true)
            .deletion_protection_enabled(self.deletion_protected())
            .ip_configuration(ip)
            .backup_configuration(backup)
            .insights_config(
                SqlDatabaseInstanceSettingsInsightsConfig::new()
                    .query_insights_enabled(true)
                    .record_application_tags(true)
                    .record_client_address(false),
            )
            .maintenance_window(
                SqlDatabaseInstanceSettingsMaintenanceWindow::new()
                    .day(7)
                    .hour(4)
                    .update_track("stable"),
            );
        for (flag, value) in AUDIT_FLAGS.iter().chain([&IAM_AUTHENTICATION_FLAG]) {
            settings = settings
                .database_flags(SqlDatabaseInstanceSettingsDatabaseFlags::new(*flag, *value));
        }
        settings
    }

    /// The production rules: no public IP, backups on, deletion protection on.
    fn check_production(&self, stack: &mut Stack, address: &str) {
        if !self.environment.is_production() {
            return;
        }
        if self.public_ip == PublicIp::Enabled {
            stack.report(
                address,
                "settings.ip_configuration.ipv4_enabled",
                "a production database must not have a public IP: remove .public_ip(PublicIp::Enabled); Cloud Run reaches it through the VPC connector",
            );
        }
        if self.backups == Backups::Disabled {
            stack.report(
                address,
                "settings.backup_configuration.enabled",
                "a production database needs automated backups and point-in-time recovery: remove .backups(Backups::Disabled)",
            );
        }
        if !self.deletion_protected() {
            stack.report(
                address,
                "deletion_protection",
                "a production database needs deletion protection: remove .deletion_protection(DeletionProtection::Off)",
            );
        }
    }

    /// The database and, when given, the service account's IAM database user.
    fn add_database_and_user(
        &self,
        stack: &mut Stack,
        name: &str,
        instance: &SqlDatabaseInstanceRef,
    ) -> Option<Expr<String>> {
        let project = &self.project;
        stack.add(
            name,
            SqlDatabase::new(instance.name(), self.database.as_str())
                .project(project.id())
                .deletion_policy("ABANDON"),
        );
        let account = self.iam_user.as_ref()?;
        let user = func::trimsuffix(account.email(), SERVICE_ACCOUNT_DOMAIN_SUFFIX);
        let added = stack.add(
            name,
            SqlUser::new(instance.name(), user.clone())
                .project(project.id())
                .type_("CLOUD_IAM_SERVICE_ACCOUNT")
                .deletion_policy("ABANDON"),
        );
        for role in [
            ProjectRole::CloudSqlClient,
            ProjectRole::CloudSqlInstanceUser,
        ] {
            if !account.roles().contains(&role) {
                stack.report(
                    &added.address(),
                    "name",
                    format!(
                        "the IAM database user's service account lacks {}: add .role(ProjectRole::{role:?}) to its ServiceAccount",
                        role.role()
                    ),
                );
            }
        }
        Some(user)
    }
}

/// A declared PostgreSQL instance with its database and IAM database user.
#[derive(Debug, Clone)]
pub struct PrivatePostgresHandle {
    instance: SqlDatabaseInstanceRef,
    database: String,
    iam_user: Option<Expr<String>>,
    private: bool,
}

impl PrivatePostgresHandle {
    /// `project:region:instance`, what the Cloud SQL connectors and Cloud Run use.
    pub fn connection_name(&self) -> Expr<String> {
        self.instance.connection_name()
    }
    /// The private IP address.
    pub fn private_ip(&self) -> Expr<String> {
        self.instance.private_ip_address()
    }
    /// The database name.
    pub fn database_name(&self) -> &str {
        &self.database
    }
    /// The IAM database user's name (`NAME@PROJECT.iam`), when one was declared.
    pub fn iam_user_name(&self) -> Option<Expr<String>> {
        self.iam_user.clone()
    }
    /// True when the instance has no public IP.
    pub fn is_private(&self) -> bool {
        self.private
    }
    /// The instance handle.
    pub fn instance(&self) -> &SqlDatabaseInstanceRef {
        &self.instance
    }
}
