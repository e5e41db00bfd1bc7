//! `RdsProxy`: connection pooling in front of a PostgreSQL instance, authenticating
//! to it with the database's RDS-managed secret and requiring TLS from clients.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Meta, Set, Stack, Value};

use super::policy::{policy_document, service_role, PolicyStatement};
use super::rds::RdsPostgresHandle;
use crate::iam::IamRolePolicy;
use crate::rds::{
    DbProxy, DbProxyArgs, DbProxyAuth, DbProxyDefaultTargetGroup,
    DbProxyDefaultTargetGroupConnectionPoolConfig, DbProxyRef, DbProxyTarget,
};
use crate::vpc::{SecurityGroupRef, VpcSecurityGroupEgressRule};

/// An RDS Proxy for a [`RdsPostgres`](super::RdsPostgres) database.
///
/// Defaults: PostgreSQL engine family; clients must use TLS; the proxy signs in with
/// the database's master secret (managed by RDS) through a role allowed only that
/// secret and its key; the pool may use 90% of the database's connections and keeps
/// up to half of them idle; idle clients are dropped after 30 minutes; it runs in the
/// database's security group, which lets PostgreSQL in from the given security groups
/// and from the proxy, and out to the database only.
///
/// ```
/// # use terrane_core::construct::Construct;
/// # use terrane_aws::constructs::{RdsPostgres, RdsProxy};
/// # use terrane_core::{Expr, Stack};
/// # let mut s = Stack::new("data");
/// # let raw = |x: &str| Expr::<String>::raw(x);
/// # let db = RdsPostgres::new("prod-shop", raw("var.vpc"), vec![raw("var.a").into(), raw("var.b").into()], raw("var.key"))
/// #     .add_to(&mut s);
/// let proxy = RdsProxy::new("prod-shop", &db, vec![raw("var.a").into()], raw("var.key"))
///     .allow_from(raw("var.nodes_sg"))
///     .add_to(&mut s);
/// assert_eq!(proxy.endpoint().to_hcl(), "aws_db_proxy.prod_shop.endpoint");
/// ```
#[derive(Debug, Clone)]
pub struct RdsProxy {
    name: String,
    db_identifier: Expr<String>,
    db_secret_arn: Expr<String>,
    db_security_group: SecurityGroupRef,
    subnet_ids: Vec<Value<String>>,
    kms_key_arn: Value<String>,
    clients: Vec<Value<String>>,
    tags: BTreeMap<String, String>,
}

/// A declared [`RdsProxy`].
#[derive(Debug, Clone)]
pub struct RdsProxyHandle {
    proxy: DbProxyRef,
    security_group: SecurityGroupRef,
}

impl RdsProxyHandle {
    /// The proxy resource.
    pub fn proxy(&self) -> &DbProxyRef {
        &self.proxy
    }
    /// The proxy's security group (the database's).
    pub fn security_group(&self) -> &SecurityGroupRef {
        &self.security_group
    }
    /// The host name clients connect to (port 5432).
    pub fn endpoint(&self) -> Expr<String> {
        self.proxy.endpoint()
    }
}

impl RdsProxy {
    /// A proxy named `name` for `db`, in `subnet_ids` (of the database's VPC); `kms_key_arn` is the
    /// key the database's secret is encrypted with.
    pub fn new(
        name: &str,
        db: &RdsPostgresHandle,
        subnet_ids: Vec<Value<String>>,
        kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        RdsProxy {
            name: name.to_string(),
            db_identifier: db.identifier(),
            db_secret_arn: db.master_secret_arn(),
            db_security_group: db.security_group().clone(),
            subnet_ids,
            kms_key_arn: kms_key_arn.into(),
            clients: Vec::new(),
            tags: BTreeMap::new(),
        }
    }
    /// Lets clients of this security group connect to the proxy.
    pub fn allow_from(mut self, security_group_id: impl Into<Value<String>>) -> Self {
        self.clients.push(security_group_id.into());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    /// The role the proxy reads the database's secret with.
    fn role(&self, stack: &mut Stack, id: &str) -> Expr<String> {
        let role = service_role(
            stack,
            &format!("{id}_proxy"),
            &format!("{}-rds-proxy", self.name),
            "rds.amazonaws.com",
            &[] as &[&str],
        );
        let doc = policy_document(
            stack,
            &format!("{id}_proxy"),
            &[
                PolicyStatement::allow(["secretsmanager:GetSecretValue"])
                    .resource(self.db_secret_arn.clone()),
                PolicyStatement::allow(["kms:Decrypt"])
                    .resource(self.kms_key_arn.clone())
                    .condition(
                        "StringLike",
                        "kms:ViaService",
                        vec!["secretsmanager.*.amazonaws.com".into()],
                    ),
            ],
        );
        stack.add(
            &format!("{id}_proxy"),
            IamRolePolicy::new(doc, role.id()).name("read-database-secret"),
        );
        role.arn()
    }

    /// The proxy runs in the database's security group: clients the database lets in
    /// reach the proxy, and the group lets its members (the proxy) reach the database.
    fn security_group(&self, stack: &mut Stack, id: &str) -> SecurityGroupRef {
        let sg = self.db_security_group.clone();
        for (i, client) in self.clients.iter().enumerate() {
            stack.add(
                &format!("{id}_proxy_from_{i}"),
                crate::vpc::VpcSecurityGroupIngressRule::new("tcp", sg.id())
                    .description("RDS Proxy: PostgreSQL from a client")
                    .from_port(5432)
                    .to_port(5432)
                    .referenced_security_group_id(client.clone()),
            );
        }
        stack.add(
            &format!("{id}_proxy_to_db"),
            VpcSecurityGroupEgressRule::new("tcp", sg.id())
                .description("RDS Proxy: PostgreSQL to the database")
                .from_port(5432)
                .to_port(5432)
                .referenced_security_group_id(sg.id()),
        );
        stack.add(
            &format!("{id}_from_proxy"),
            crate::vpc::VpcSecurityGroupIngressRule::new("tcp", sg.id())
                .description("PostgreSQL from the RDS Proxy")
                .from_port(5432)
                .to_port(5432)
                .referenced_security_group_id(sg.id()),
        );
        sg
    }
}

impl Construct for RdsProxy {
    type Handle = RdsProxyHandle;

    /// Adds the proxy, its role, security group, pool settings and target.
    fn add_to(self, stack: &mut Stack) -> RdsProxyHandle {
        let id = block_name(&self.name);
        let role_arn = self.role(stack, &id);
        let security_group = self.security_group(stack, &id);
        let proxy = stack.add(
            &id,
            DbProxy::new(DbProxyArgs {
                engine_family: "POSTGRESQL".into(),
                name: self.name.as_str().into(),
                role_arn: role_arn.into(),
                vpc_subnet_ids: Value::Lit(Set(self.subnet_ids.clone())),
                auth: DbProxyAuth::new()
                    .auth_scheme("SECRETS")
                    .iam_auth("DISABLED")
                    .client_password_auth_type("POSTGRES_SCRAM_SHA_256")
                    .secret_arn(self.db_secret_arn.clone()),
            })
            .require_tls(true)
            .idle_client_timeout(1800)
            .debug_logging(false)
            .vpc_security_group_ids(vec![security_group.id()])
            .tags(super::tags(&self.name, &self.tags)),
        );
        let group = stack.add(
            &id,
            DbProxyDefaultTargetGroup::new(proxy.name()).connection_pool_config(
                DbProxyDefaultTargetGroupConnectionPoolConfig::new()
                    .max_connections_percent(90)
                    .max_idle_connections_percent(50)
                    .connection_borrow_timeout(120),
            ),
        );
        stack.add_with(
            &id,
            DbProxyTarget::new(proxy.name(), group.name())
                .db_instance_identifier(self.db_identifier.clone()),
            Meta::new(),
        );
        RdsProxyHandle {
            proxy,
            security_group,
        }
    }
}
