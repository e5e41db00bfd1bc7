//! `ProjectServices`: the Google APIs the platform needs, enabled before anything that
//! uses them.

use std::collections::BTreeMap;

use terrane_core::construct::Construct;
use terrane_core::{Expr, Handle, Meta, Stack, Value};

use crate::project::{ProjectService, ProjectServiceRef};

use super::block_name;

/// The APIs the constructs of this module use.
pub mod apis {
    /// Cloud Run.
    pub const RUN: &str = "run.googleapis.com";
    /// Compute Engine (network, load balancer).
    pub const COMPUTE: &str = "compute.googleapis.com";
    /// Cloud SQL Admin.
    pub const SQL_ADMIN: &str = "sqladmin.googleapis.com";
    /// Service Networking (private service access for Cloud SQL).
    pub const SERVICE_NETWORKING: &str = "servicenetworking.googleapis.com";
    /// Serverless VPC Access connectors.
    pub const VPC_ACCESS: &str = "vpcaccess.googleapis.com";
    /// Cloud Monitoring.
    pub const MONITORING: &str = "monitoring.googleapis.com";
    /// Cloud Billing Budgets.
    pub const BILLING_BUDGETS: &str = "billingbudgets.googleapis.com";
    /// Pub/Sub.
    pub const PUBSUB: &str = "pubsub.googleapis.com";
    /// Secret Manager.
    pub const SECRET_MANAGER: &str = "secretmanager.googleapis.com";
    /// IAM (service accounts).
    pub const IAM: &str = "iam.googleapis.com";
    /// Artifact Registry (container images).
    pub const ARTIFACT_REGISTRY: &str = "artifactregistry.googleapis.com";
    /// Container Scanning (Artifact Analysis scans pushed images for vulnerabilities).
    pub const CONTAINER_SCANNING: &str = "containerscanning.googleapis.com";
    /// Cloud KMS (customer-managed encryption keys).
    pub const KMS: &str = "cloudkms.googleapis.com";
    /// Cloud DNS.
    pub const DNS: &str = "dns.googleapis.com";

    /// Every API the constructs need, in a stable order.
    pub const ALL: &[&str] = &[
        RUN,
        COMPUTE,
        SQL_ADMIN,
        SERVICE_NETWORKING,
        VPC_ACCESS,
        MONITORING,
        BILLING_BUDGETS,
        PUBSUB,
        SECRET_MANAGER,
        IAM,
        ARTIFACT_REGISTRY,
        CONTAINER_SCANNING,
        KMS,
        DNS,
    ];
}

/// Enables the project's APIs (`google_project_service`, one per API). APIs stay
/// enabled when the stack is destroyed, so removing the platform never breaks
/// something else in the project.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::{apis, Construct, ProjectServices};
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme-prod").add_to(&mut stack);
/// assert_eq!(project.service(apis::RUN).map(|s| s.service().to_hcl()),
///     Some("google_project_service.run.service".to_string()));
/// ```
#[derive(Debug, Clone)]
pub struct ProjectServices {
    project: Value<String>,
    apis: Vec<String>,
}

impl ProjectServices {
    /// Every API in [`apis::ALL`], for `project`.
    pub fn new(project: impl Into<Value<String>>) -> Self {
        ProjectServices {
            project: project.into(),
            apis: apis::ALL.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// One more API (`aiplatform.googleapis.com`).
    pub fn api(mut self, api: &str) -> Self {
        if !self.apis.iter().any(|a| a == api) {
            self.apis.push(api.to_string());
        }
        self
    }
}

impl Construct for ProjectServices {
    type Handle = ProjectServicesHandle;

    /// Declares one `google_project_service` per API, named after the API
    /// (`google_project_service.run`).
    fn add_to(self, stack: &mut Stack) -> ProjectServicesHandle {
        let mut services = BTreeMap::new();
        let mut first = None;
        for api in &self.apis {
            let name = block_name(api.split('.').next().unwrap_or(api));
            let svc = stack.add(
                &name,
                ProjectService::new(api.as_str())
                    .project(self.project.clone())
                    .disable_on_destroy(false)
                    .disable_dependent_services(false),
            );
            if first.is_none() {
                first = Some(svc.project());
            }
            services.insert(api.clone(), svc);
        }
        let id = first.unwrap_or_else(|| match &self.project {
            Value::Expr(e) => e.clone(),
            Value::Lit(s) => Expr::from_node(terrane_core::Node::Str(s.clone())),
        });
        ProjectServicesHandle { id, services }
    }
}

/// The project with its APIs enabled: what every other construct is given.
#[derive(Debug, Clone)]
pub struct ProjectServicesHandle {
    id: Expr<String>,
    services: BTreeMap<String, ProjectServiceRef>,
}

impl ProjectServicesHandle {
    /// The project id, read from an enabled API: a resource using it is created
    /// after the APIs, also from another stack (which then applies after this one).
    pub fn id(&self) -> Expr<String> {
        self.id.clone()
    }

    /// The `google_project_service` of one API, if enabled.
    pub fn service(&self, api: &str) -> Option<&ProjectServiceRef> {
        self.services.get(api)
    }

    /// `depends_on` the given APIs, for a resource declared in `stack`. Terraform
    /// cannot depend on a block of another state, so from another stack this is
    /// empty: that stack is applied after this one through [`ProjectServicesHandle::id`].
    pub fn after(&self, stack: &Stack, apis: &[&str]) -> Meta {
        let mut meta = Meta::new();
        for api in apis {
            if let Some(svc) = self.services.get(*api) {
                if svc.base().stack == stack.id() {
                    meta = meta.depends_on(svc);
                }
            }
        }
        meta
    }
}
