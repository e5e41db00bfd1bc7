//! `PrivatePostgres`: Cloud SQL for PostgreSQL on a private IP, with backups,
//! point-in-time recovery, and a generated password kept in Secret Manager.

use terrane_core::{Expr, GenericRef, GenericResource, Handle, RequiredProvider, Stack};

use crate::secret_manager::{
    SecretManagerSecret, SecretManagerSecretRef, SecretManagerSecretReplication,
    SecretManagerSecretReplicationAuto, SecretManagerSecretVersion,
};
use crate::sql::{
    SqlDatabase, SqlDatabaseInstance, SqlDatabaseInstanceRef, SqlDatabaseInstanceSettings,
    SqlDatabaseInstanceSettingsBackupConfiguration,
    SqlDatabaseInstanceSettingsBackupConfigurationBackupRetentionSettings,
    SqlDatabaseInstanceSettingsDatabaseFlags, SqlDatabaseInstanceSettingsInsightsConfig,
    SqlDatabaseInstanceSettingsIpConfiguration, SqlDatabaseInstanceSettingsMaintenanceWindow,
    SqlUser,
};

use super::{apis, block_name, Environment, Identity, Network, Project};

/// The provider of `random_password` (not a Google type, so not generated).
pub(crate) fn random_provider() -> RequiredProvider {
    RequiredProvider::new("random", "hashicorp/random", "3.7.2")
}

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

/// Cloud SQL for PostgreSQL reachable only inside the VPC: no public IP, TLS with
/// client certificates required (clients connect through the Cloud SQL Auth Proxy,
/// which Cloud Run's `/cloudsql` mount provides), automated backups with point-in-time recovery, audit logging flags;
/// in production also regional high availability, deletion protection and 30 days
/// of backups. One database and one user; the user's password is generated
/// (`random_password`), stored in Secret Manager, and never written by the program.
///
/// Checked at synth in production: a public IP, disabled backups or disabled
/// deletion protection is reported.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("data");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let net = PrivateNetwork::new("stg").region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
///     .add_to(&mut stack, &project);
/// let db = PrivatePostgres::new("stg-db", "us-central1", &net)
///     .environment(Environment::NonProduction)
///     .tier("db-g1-small")
///     .add_to(&mut stack, &project);
/// assert!(db.is_private());
/// ```
#[derive(Debug, Clone)]
pub struct PrivatePostgres {
    name: String,
    region: String,
    network: Expr<String>,
    peering: Option<crate::service_networking::ServiceNetworkingConnectionRef>,
    version: String,
    tier: String,
    environment: Environment,
    high_availability: Option<bool>,
    public_ip: bool,
    backups: bool,
    deletion_protection: Option<bool>,
    database: String,
    user: String,
    disk_size_gb: u32,
}

impl PrivatePostgres {
    /// An instance named `name` in `region`, on `network`'s private service access.
    /// Defaults: PostgreSQL 18, `db-custom-2-7680`, production, database and user `app`.
    pub fn new(name: &str, region: &str, network: &Network) -> Self {
        PrivatePostgres {
            name: name.to_string(),
            region: region.to_string(),
            network: network.id(),
            peering: Some(network.peering().clone()),
            version: "POSTGRES_18".to_string(),
            tier: "db-custom-2-7680".to_string(),
            environment: Environment::Production,
            high_availability: None,
            public_ip: false,
            backups: true,
            deletion_protection: None,
            database: "app".to_string(),
            user: "app".to_string(),
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
    /// Overrides the HA default (REGIONAL in production, ZONAL otherwise).
    pub fn high_availability(mut self, on: bool) -> Self {
        self.high_availability = Some(on);
        self
    }
    /// Gives the instance a public IPv4 address. Off by default; reported in production.
    pub fn public_ip(mut self, on: bool) -> Self {
        self.public_ip = on;
        self
    }
    /// Automated backups and point-in-time recovery. On by default; turning them off
    /// is reported in production.
    pub fn backups(mut self, on: bool) -> Self {
        self.backups = on;
        self
    }
    /// Overrides the deletion protection default (on in production); turning it off
    /// is reported in production.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = Some(on);
        self
    }
    /// The database's name.
    pub fn database(mut self, name: &str) -> Self {
        self.database = name.to_string();
        self
    }
    /// The user's name.
    pub fn user(mut self, name: &str) -> Self {
        self.user = name.to_string();
        self
    }
    /// Initial disk size (grows automatically).
    pub fn disk_size_gb(mut self, gb: u32) -> Self {
        self.disk_size_gb = gb;
        self
    }

    /// Declares the instance, database, user, password and its secret in `stack`.
    pub fn add_to(self, stack: &mut Stack, project: &Project) -> Database {
        let prod = self.environment.is_production();
        let ha = self.high_availability.unwrap_or(prod);
        let deletion_protection = self.deletion_protection.unwrap_or(prod);
        let name = block_name(&self.name);

        let ip = SqlDatabaseInstanceSettingsIpConfiguration::new()
            .ipv4_enabled(self.public_ip)
            .private_network(self.network.clone())
            .ssl_mode("TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
            .enable_private_path_for_google_cloud_services(true);
        let mut backup =
            SqlDatabaseInstanceSettingsBackupConfiguration::new().enabled(self.backups);
        if self.backups {
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
            .availability_type(if ha { "REGIONAL" } else { "ZONAL" })
            .disk_type("PD_SSD")
            .disk_size(self.disk_size_gb)
            .disk_autoresize(true)
            .deletion_protection_enabled(deletion_protection)
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
        for (flag, value) in AUDIT_FLAGS {
            settings = settings
                .database_flags(SqlDatabaseInstanceSettingsDatabaseFlags::new(*flag, *value));
        }
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
                .deletion_protection(deletion_protection)
                .settings(settings),
            meta,
        );
        let address = instance.address();
        if prod {
            if self.public_ip {
                stack.report(
                    &address,
                    "settings.ip_configuration.ipv4_enabled",
                    "a production database must not have a public IP: remove .public_ip(true); Cloud Run reaches it through the VPC connector",
                );
            }
            if !self.backups {
                stack.report(
                    &address,
                    "settings.backup_configuration.enabled",
                    "a production database needs automated backups and point-in-time recovery: remove .backups(false)",
                );
            }
            if !deletion_protection {
                stack.report(
                    &address,
                    "deletion_protection",
                    "a production database needs deletion protection: remove .deletion_protection(false)",
                );
            }
        }

        stack.add(
            &name,
            SqlDatabase::new(instance.name(), self.database.as_str())
                .project(project.id())
                .deletion_policy("ABANDON"),
        );
        let password: GenericRef = stack.add(
            &format!("{name}_{}", block_name(&self.user)),
            GenericResource::new("random_password")
                .provider(random_provider())
                .arg("length", 32)
                .arg("special", false),
        );
        let password_value: Expr<String> = password.base().attr_sensitive("result");
        stack.add(
            &name,
            SqlUser::new(instance.name(), self.user.as_str())
                .project(project.id())
                .password(password_value.clone())
                .deletion_policy("ABANDON"),
        );
        let secret = stack.add_with(
            &format!("{name}_password"),
            SecretManagerSecret::new(
                format!("{}-{}-password", self.name, self.user),
                SecretManagerSecretReplication::new()
                    .auto(SecretManagerSecretReplicationAuto::new()),
            )
            .project(project.id()),
            project.after(stack, &[apis::SECRET_MANAGER]),
        );
        stack.add(
            &format!("{name}_password"),
            SecretManagerSecretVersion::new(secret.id()).secret_data(password_value),
        );
        Database {
            name,
            instance,
            secret,
            database: self.database,
            user: self.user,
            private: !self.public_ip,
        }
    }
}

/// A declared PostgreSQL instance with its database, user and password secret.
#[derive(Debug, Clone)]
pub struct Database {
    name: String,
    instance: SqlDatabaseInstanceRef,
    secret: SecretManagerSecretRef,
    database: String,
    user: String,
    private: bool,
}

impl Database {
    /// `project:region:instance`, what the Cloud SQL connectors and Cloud Run use.
    pub fn connection_name(&self) -> Expr<String> {
        self.instance.connection_name()
    }
    /// The private IP address.
    pub fn private_ip(&self) -> Expr<String> {
        self.instance.private_ip_address()
    }
    /// The Secret Manager secret holding the user's password.
    pub fn password_secret(&self) -> &SecretManagerSecretRef {
        &self.secret
    }
    /// The secret's id (`projects/<p>/secrets/<name>`), for Cloud Run's secret env.
    pub fn password_secret_id(&self) -> Expr<String> {
        self.secret.id()
    }
    /// The database name.
    pub fn database_name(&self) -> &str {
        &self.database
    }
    /// The user name.
    pub fn user_name(&self) -> &str {
        &self.user
    }
    /// True when the instance has no public IP.
    pub fn is_private(&self) -> bool {
        self.private
    }
    /// The instance handle.
    pub fn instance(&self) -> &SqlDatabaseInstanceRef {
        &self.instance
    }
    /// Lets `identity` read the password secret (and only that secret).
    pub fn grant_password_access(&self, stack: &mut Stack, identity: &Identity) {
        identity.read_secret(stack, &format!("{}_password", self.name), &self.secret);
    }
}
