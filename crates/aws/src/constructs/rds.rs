//! `RdsPostgres`: a private, encrypted PostgreSQL instance with managed credentials,
//! backups, Performance Insights and an optional cross-region backup copy.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct, Environment};
use terrane_core::{Expr, Handle, Meta, ProviderRef, Set, Stack, Value};

use super::policy::service_role;
use crate::backup::{
    BackupPlan, BackupPlanRule, BackupPlanRuleCopyAction, BackupPlanRuleCopyActionLifecycle,
    BackupPlanRuleLifecycle, BackupSelection, BackupSelectionArgs, BackupVault,
};
use crate::rds::{
    DbInstance, DbInstanceRef, DbParameterGroup, DbParameterGroupParameter, DbSubnetGroup,
};
use crate::vpc::SecurityGroupRef;

/// Where backups are copied: a vault in another region, declared through that
/// region's aliased provider, encrypted with a key of that region.
#[derive(Debug, Clone)]
pub struct BackupCopy {
    /// The aliased provider of the destination region.
    pub provider: ProviderRef,
    /// A KMS key (ARN) in the destination region.
    pub kms_key_arn: Value<String>,
    /// Days the copies are kept.
    pub retention_days: u32,
}

/// Whether a database keeps a standby in a second availability zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Availability {
    /// A synchronous standby in another zone, failed over to automatically.
    #[default]
    MultiAz,
    /// One instance in one zone (cheaper; a zone outage takes the database down).
    SingleAz,
}

/// A PostgreSQL database on RDS.
///
/// Defaults (production): PostgreSQL 16, multi-AZ, gp3 storage encrypted with the
/// given KMS key and growing up to 5x, 30 days of automated backups (point-in-time
/// recovery), deletion protection and a final snapshot, Performance Insights and
/// enhanced monitoring, IAM authentication, TLS required, the master password
/// generated and rotated by RDS in Secrets Manager (never in the configuration),
/// slow statements logged, logs exported to CloudWatch, and a security group that
/// lets PostgreSQL in from the given security groups only.
///
/// Checked at synth: a multi-AZ database with fewer than 2 subnets (zones); a
/// production database without deletion protection, backups or encryption.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::RdsPostgres;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("data");
/// let subnets = vec![Expr::<String>::raw("var.a").into(), Expr::<String>::raw("var.b").into()];
/// let db = RdsPostgres::new("orders", Expr::<String>::raw("var.vpc"), subnets, Expr::<String>::raw("var.key"))
///     .allow_from(Expr::<String>::raw("var.nodes_sg"))
///     .add_to(&mut s);
/// assert_eq!(db.endpoint().to_hcl(), "aws_db_instance.orders.endpoint");
/// ```
#[derive(Debug, Clone)]
pub struct RdsPostgres {
    name: String,
    vpc_id: Value<String>,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    instance_class: String,
    engine_version: String,
    family: String,
    allocated_storage: u32,
    availability: Availability,
    environment: Environment,
    deletion_protection: bool,
    backup_retention_days: u32,
    storage_encrypted: bool,
    allowed_sgs: Vec<Value<String>>,
    preload_libraries: Vec<String>,
    log_min_duration_ms: u32,
    database: String,
    username: String,
    backup_copy: Option<BackupCopy>,
    tags: BTreeMap<String, String>,
}

/// A declared [`RdsPostgres`].
#[derive(Debug, Clone)]
pub struct RdsPostgresHandle {
    instance: DbInstanceRef,
    security_group: SecurityGroupRef,
}

impl RdsPostgresHandle {
    /// The instance.
    pub fn instance(&self) -> &DbInstanceRef {
        &self.instance
    }
    /// Its security group.
    pub fn security_group(&self) -> &SecurityGroupRef {
        &self.security_group
    }
    /// `host:port`.
    pub fn endpoint(&self) -> Expr<String> {
        self.instance.endpoint()
    }
    /// The host name.
    pub fn address(&self) -> Expr<String> {
        self.instance.address_attr()
    }
    /// The instance identifier (the CloudWatch `DBInstanceIdentifier` dimension).
    pub fn identifier(&self) -> Expr<String> {
        self.instance.identifier()
    }
    /// The instance ARN.
    pub fn arn(&self) -> Expr<String> {
        self.instance.arn()
    }
    /// Lets PostgreSQL in from another security group, after the database is declared
    /// (for a client built later, such as a service that needs the database's secret).
    pub fn allow_from(
        &self,
        stack: &mut Stack,
        name: &str,
        security_group_id: impl Into<Value<String>>,
    ) {
        let id = format!(
            "{}_from_{}",
            self.security_group.base().name,
            block_name(name)
        );
        stack.add(
            &id,
            crate::vpc::VpcSecurityGroupIngressRule::new("tcp", self.security_group.id())
                .description(format!("PostgreSQL from {name}"))
                .from_port(5432)
                .to_port(5432)
                .referenced_security_group_id(security_group_id),
        );
    }
    /// ARN of the Secrets Manager secret holding the master credentials (managed by RDS).
    pub fn master_secret_arn(&self) -> Expr<String> {
        self.instance.master_user_secret().at(0).secret_arn()
    }
}

impl RdsPostgres {
    /// A production database named `name` in `subnet_ids` of `vpc_id`, encrypted with `kms_key_arn`.
    pub fn new(
        name: &str,
        vpc_id: impl Into<Value<String>>,
        subnet_ids: Vec<Value<String>>,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        RdsPostgres {
            name: name.to_string(),
            vpc_id: vpc_id.into(),
            subnet_ids,
            kms_key_arn: kms_key_arn.into(),
            instance_class: "db.r6g.large".into(),
            engine_version: "16.4".into(),
            family: "postgres16".into(),
            allocated_storage: 100,
            availability: Availability::MultiAz,
            environment: Environment::Production,
            deletion_protection: true,
            backup_retention_days: 30,
            storage_encrypted: true,
            allowed_sgs: Vec::new(),
            preload_libraries: vec!["pg_stat_statements".into()],
            log_min_duration_ms: 500,
            database: "app".into(),
            username: "app_admin".into(),
            backup_copy: None,
            tags: BTreeMap::new(),
        }
    }
    /// Instance class (`db.t4g.medium`).
    pub fn instance_class(mut self, c: &str) -> Self {
        self.instance_class = c.into();
        self
    }
    /// Initial storage in GiB (autoscaling up to 5x).
    pub fn allocated_storage(mut self, gib: u32) -> Self {
        self.allocated_storage = gib;
        self
    }
    /// Standby layout (default [`Availability::MultiAz`]).
    pub fn availability(mut self, availability: Availability) -> Self {
        self.availability = availability;
        self
    }
    /// The environment (default [`Environment::Production`]); outside production the
    /// production checks (deletion protection, backups, encryption) are not applied.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }
    /// Turns deletion protection off (on by default; refused at synth in production).
    pub fn without_deletion_protection(mut self) -> Self {
        self.deletion_protection = false;
        self
    }
    /// Days of automated backups (default 30; 0 turns backups and PITR off).
    pub fn backup_retention_days(mut self, days: u32) -> Self {
        self.backup_retention_days = days;
        self
    }
    /// Turns storage encryption off (on by default; refused at synth in production).
    pub fn without_storage_encryption(mut self) -> Self {
        self.storage_encrypted = false;
        self
    }
    /// Lets PostgreSQL in from this security group (an EKS cluster's node security
    /// group, a Fargate service's).
    pub fn allow_from(mut self, security_group_id: impl Into<Value<String>>) -> Self {
        self.allowed_sgs.push(security_group_id.into());
        self
    }
    /// Adds a library to `shared_preload_libraries` (`pg_stat_statements` is there by
    /// default). pgvector needs no preload on RDS: `CREATE EXTENSION vector` is enough.
    pub fn preload_library(mut self, lib: &str) -> Self {
        self.preload_libraries.push(lib.into());
        self
    }
    /// Statements slower than this are logged (`log_min_duration_statement`, default 500 ms).
    pub fn log_min_duration_ms(mut self, ms: u32) -> Self {
        self.log_min_duration_ms = ms;
        self
    }
    /// Name of the initial database (default `app`).
    pub fn database(mut self, name: &str) -> Self {
        self.database = name.into();
        self
    }
    /// Copies backups to another region with AWS Backup.
    pub fn copy_backups_to(mut self, copy: BackupCopy) -> Self {
        self.backup_copy = Some(copy);
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    fn checks(&self, stack: &mut Stack, addr: &str) {
        if self.availability == Availability::MultiAz && self.subnet_ids.len() < 2 {
            stack.report(
                addr,
                "multi_az",
                format!(
                    "a multi-AZ database needs subnets in at least 2 availability zones, got {}",
                    self.subnet_ids.len()
                ),
            );
        }
        if self.environment.is_production() {
            if !self.deletion_protection {
                stack.report(
                    addr,
                    "deletion_protection",
                    "a production database must have deletion protection",
                );
            }
            if self.backup_retention_days == 0 {
                stack.report(
                    addr,
                    "backup_retention_period",
                    "a production database must keep automated backups (backup_retention_period is 0)",
                );
            }
            if !self.storage_encrypted {
                stack.report(
                    addr,
                    "storage_encrypted",
                    "a production database must encrypt its storage",
                );
            }
        }
    }
}

impl RdsPostgres {
    /// Preloaded libraries, slow-statement logging, TLS only, connections logged.
    fn parameter_group(&self, tags: &BTreeMap<String, String>) -> DbParameterGroup {
        DbParameterGroup::new(self.family.as_str())
            .name(format!("{}-{}", self.name, self.family))
            .description(format!("Parameters of database {}", self.name))
            .parameter(
                DbParameterGroupParameter::new(
                    "shared_preload_libraries",
                    self.preload_libraries.join(","),
                )
                .apply_method("pending-reboot"),
            )
            .parameter(DbParameterGroupParameter::new(
                "log_min_duration_statement",
                self.log_min_duration_ms.to_string(),
            ))
            .parameter(
                DbParameterGroupParameter::new("rds.force_ssl", "1").apply_method("pending-reboot"),
            )
            .parameter(DbParameterGroupParameter::new("log_connections", "1"))
            .parameter(DbParameterGroupParameter::new("log_disconnections", "1"))
            .tags(tags.clone())
    }

    /// Daily AWS Backup of the instance into a local vault, copied to the vault of
    /// another region (declared through that region's provider).
    fn copy_backups(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        instance: &DbInstanceRef,
        copy: &BackupCopy,
    ) {
        let vault = stack.add(
            &format!("{id}_backups"),
            BackupVault::new(format!("{}-backups", self.name))
                .kms_key_arn(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );
        let remote = stack.add_with(
            &format!("{id}_backups_copy"),
            BackupVault::new(format!("{}-backups-copy", self.name))
                .kms_key_arn(copy.kms_key_arn.clone())
                .tags(tags.clone()),
            Meta::new().provider(&copy.provider),
        );
        let plan = stack.add(
            id,
            BackupPlan::new(
                format!("{}-daily", self.name),
                BackupPlanRule::new("daily", vault.name())
                    .schedule("cron(0 5 * * ? *)")
                    .lifecycle(BackupPlanRuleLifecycle::new().delete_after(35))
                    .copy_action(BackupPlanRuleCopyAction::new(remote.arn()).lifecycle(
                        BackupPlanRuleCopyActionLifecycle::new().delete_after(copy.retention_days),
                    )),
            )
            .tags(tags.clone()),
        );
        let role = service_role(
            stack,
            &format!("{id}_backup"),
            &format!("{}-backup", self.name),
            "backup.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
        );
        stack.add(
            id,
            BackupSelection::new(BackupSelectionArgs {
                iam_role_arn: role.arn().into(),
                name: format!("{}-db", self.name).into(),
                plan_id: plan.id().into(),
            })
            .resources(vec![instance.arn()]),
        );
    }
}

impl Construct for RdsPostgres {
    type Handle = RdsPostgresHandle;

    /// Adds the database, its network and parameters, and the backup copy if asked for.
    fn add_to(self, stack: &mut Stack) -> RdsPostgresHandle {
        let id = block_name(&self.name);
        self.checks(stack, &address("aws_db_instance", &self.name));
        let tags = super::tags(&self.name, &self.tags);
        let subnets = stack.add(
            &id,
            DbSubnetGroup::new(Value::Lit(Set(self.subnet_ids.clone())))
                .name(format!("{}-db", self.name))
                .description(format!("Subnets of database {}", self.name))
                .tags(tags.clone()),
        );
        let sg = super::ingress_only_sg(
            stack,
            &format!("{id}_db"),
            &format!("{}-db", self.name),
            &format!("PostgreSQL {}", self.name),
            self.vpc_id.clone(),
            5432,
            &self.allowed_sgs,
            &self.tags,
        );
        let params = stack.add(&id, self.parameter_group(&tags));
        let monitoring = service_role(
            stack,
            &format!("{id}_monitoring"),
            &format!("{}-rds-monitoring", self.name),
            "monitoring.rds.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
        );
        let mut db = DbInstance::new(self.instance_class.as_str())
            .identifier(self.name.as_str())
            .engine("postgres")
            .engine_version(self.engine_version.as_str())
            .allocated_storage(self.allocated_storage)
            .max_allocated_storage(self.allocated_storage * 5)
            .storage_type("gp3")
            .storage_encrypted(self.storage_encrypted)
            .db_name(self.database.as_str())
            .username(self.username.as_str())
            .manage_master_user_password(true)
            .master_user_secret_kms_key_id(self.kms_key_arn.clone())
            .multi_az(self.availability == Availability::MultiAz)
            .db_subnet_group_name(subnets.name())
            .vpc_security_group_ids(vec![sg.id()])
            .parameter_group_name(params.name())
            .publicly_accessible(false)
            .iam_database_authentication_enabled(true)
            .backup_retention_period(self.backup_retention_days)
            .backup_window("03:00-04:00")
            .maintenance_window("sun:04:30-sun:05:30")
            .copy_tags_to_snapshot(true)
            .delete_automated_backups(false)
            .deletion_protection(self.deletion_protection)
            .skip_final_snapshot(false)
            .final_snapshot_identifier(format!("{}-final", self.name))
            .auto_minor_version_upgrade(true)
            .performance_insights_enabled(true)
            .performance_insights_retention_period(7)
            .monitoring_interval(60)
            .monitoring_role_arn(monitoring.arn())
            .enabled_cloudwatch_logs_exports(vec!["postgresql", "upgrade"])
            .tags(tags.clone());
        if self.storage_encrypted {
            db = db
                .kms_key_id(self.kms_key_arn.clone())
                .performance_insights_kms_key_id(self.kms_key_arn.clone());
        }
        let instance = stack.add(&id, db);

        if let Some(copy) = &self.backup_copy {
            self.copy_backups(stack, &id, &tags, &instance, copy);
        }
        RdsPostgresHandle {
            instance,
            security_group: sg,
        }
    }
}
