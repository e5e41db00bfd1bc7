//! `ServiceAccount` with least privilege: a fixed menu of narrow roles, secrets granted
//! one by one.

use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Stack};

use crate::project::{
    ProjectIamMember, ProjectIamMemberArgs, ServiceAccount as SaResource, ServiceAccountRef,
};
use crate::secret_manager::{
    SecretManagerSecretIamMember, SecretManagerSecretIamMemberArgs, SecretManagerSecretRef,
};

use super::{apis, block_name, ProjectServicesHandle};

/// A project-level role a workload may hold. Broad roles (`roles/owner`,
/// `roles/editor`, any `*.admin`) are deliberately not in this list, so a construct
/// cannot grant them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProjectRole {
    /// `roles/cloudsql.client`: connect to Cloud SQL instances.
    CloudSqlClient,
    /// `roles/cloudsql.instanceUser`: log in to Cloud SQL instances as an IAM
    /// database user (IAM database authentication, no password).
    CloudSqlInstanceUser,
    /// `roles/logging.logWriter`: write log entries.
    LogWriter,
    /// `roles/monitoring.metricWriter`: write custom metrics.
    MetricWriter,
    /// `roles/cloudtrace.agent`: write traces.
    TraceAgent,
}

impl ProjectRole {
    /// The IAM role name.
    pub fn role(self) -> &'static str {
        match self {
            ProjectRole::CloudSqlClient => "roles/cloudsql.client",
            ProjectRole::CloudSqlInstanceUser => "roles/cloudsql.instanceUser",
            ProjectRole::LogWriter => "roles/logging.logWriter",
            ProjectRole::MetricWriter => "roles/monitoring.metricWriter",
            ProjectRole::TraceAgent => "roles/cloudtrace.agent",
        }
    }

    fn block_suffix(self) -> &'static str {
        match self {
            ProjectRole::CloudSqlClient => "cloudsql_client",
            ProjectRole::CloudSqlInstanceUser => "cloudsql_instance_user",
            ProjectRole::LogWriter => "log_writer",
            ProjectRole::MetricWriter => "metric_writer",
            ProjectRole::TraceAgent => "trace_agent",
        }
    }
}

/// A service account for one workload, with only the roles it needs: by default
/// log and metric writing; add [`ProjectRole::CloudSqlClient`] when it talks to a
/// database, and grant each secret it reads with [`ServiceAccountHandle::read_secret`].
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::{Construct, ProjectRole, ProjectServices, ServiceAccount};
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme-prod").add_to(&mut stack);
/// let api = ServiceAccount::new(&project, "prod-api", "API service (prod)")
///     .role(ProjectRole::CloudSqlClient)
///     .add_to(&mut stack);
/// assert_eq!(api.roles().len(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct ServiceAccount {
    project: ProjectServicesHandle,
    account_id: String,
    display_name: String,
    roles: Vec<ProjectRole>,
}

impl ServiceAccount {
    /// An account of `project`: `account_id` (6-30 characters) and a display name;
    /// roles: log and metric writer.
    pub fn new(project: &ProjectServicesHandle, account_id: &str, display_name: &str) -> Self {
        ServiceAccount {
            project: project.clone(),
            account_id: account_id.to_string(),
            display_name: display_name.to_string(),
            roles: vec![ProjectRole::LogWriter, ProjectRole::MetricWriter],
        }
    }

    /// One more project role.
    pub fn role(mut self, role: ProjectRole) -> Self {
        if !self.roles.contains(&role) {
            self.roles.push(role);
        }
        self
    }
}

impl Construct for ServiceAccount {
    type Handle = ServiceAccountHandle;

    /// Declares the account and its role bindings (`google_project_iam_member`, which
    /// adds a member without touching anyone else's bindings).
    fn add_to(mut self, stack: &mut Stack) -> ServiceAccountHandle {
        self.roles.sort();
        let project = &self.project;
        let name = block_name(&self.account_id);
        let account = stack.add_with(
            &name,
            SaResource::new(self.account_id.as_str())
                .project(project.id())
                .display_name(self.display_name.as_str())
                .description(format!(
                    "Runtime identity of {}; least privilege",
                    self.display_name
                )),
            project.after(stack, &[apis::IAM]),
        );
        let member = tmpl!("serviceAccount:{}", account.email());
        for role in &self.roles {
            stack.add(
                &format!("{name}_{}", role.block_suffix()),
                ProjectIamMember::new(ProjectIamMemberArgs {
                    project: project.id().into(),
                    role: role.role().into(),
                    member: member.clone().into(),
                }),
            );
        }
        ServiceAccountHandle {
            name,
            account,
            roles: self.roles,
        }
    }
}

/// A declared service account.
#[derive(Debug, Clone)]
pub struct ServiceAccountHandle {
    name: String,
    account: ServiceAccountRef,
    roles: Vec<ProjectRole>,
}

impl ServiceAccountHandle {
    /// The account's email.
    pub fn email(&self) -> Expr<String> {
        self.account.email()
    }
    /// `serviceAccount:<email>`, for IAM bindings.
    pub fn member(&self) -> Expr<String> {
        tmpl!("serviceAccount:{}", self.account.email())
    }
    /// The project roles granted.
    pub fn roles(&self) -> &[ProjectRole] {
        &self.roles
    }
    /// The account handle.
    pub fn account(&self) -> &ServiceAccountRef {
        &self.account
    }

    /// Lets this account read one secret (`roles/secretmanager.secretAccessor` on that
    /// secret only, never project-wide). `key` names the binding block.
    pub fn read_secret(&self, stack: &mut Stack, key: &str, secret: &SecretManagerSecretRef) {
        stack.add(
            &format!("{}_reads_{}", self.name, block_name(key)),
            SecretManagerSecretIamMember::new(SecretManagerSecretIamMemberArgs {
                secret_id: secret.id().into(),
                role: "roles/secretmanager.secretAccessor".into(),
                member: self.member().into(),
            }),
        );
    }
}
