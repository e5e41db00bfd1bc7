//! `CloudRunService`: one container service deployed to several regions, reachable
//! only through the load balancer, with private egress into the VPC.

use std::collections::BTreeMap;

use terrane_core::construct::{Construct, Environment};
use terrane_core::{tmpl, Expr, Handle, Stack, Value};

use crate::cloud_run::{
    CloudRunV2Service, CloudRunV2ServiceArgs, CloudRunV2ServiceIamMember,
    CloudRunV2ServiceIamMemberArgs, CloudRunV2ServiceRef, CloudRunV2ServiceTemplate,
    CloudRunV2ServiceTemplateContainers, CloudRunV2ServiceTemplateContainersEnv,
    CloudRunV2ServiceTemplateContainersEnvValueSource,
    CloudRunV2ServiceTemplateContainersEnvValueSourceSecretKeyRef,
    CloudRunV2ServiceTemplateContainersLivenessProbe,
    CloudRunV2ServiceTemplateContainersLivenessProbeHttpGet,
    CloudRunV2ServiceTemplateContainersPorts, CloudRunV2ServiceTemplateContainersResources,
    CloudRunV2ServiceTemplateContainersStartupProbe,
    CloudRunV2ServiceTemplateContainersStartupProbeHttpGet,
    CloudRunV2ServiceTemplateContainersVolumeMounts, CloudRunV2ServiceTemplateScaling,
    CloudRunV2ServiceTemplateVolumes, CloudRunV2ServiceTemplateVolumesCloudSqlInstance,
    CloudRunV2ServiceTemplateVpcAccess,
};

use super::{apis, block_name, PrivatePostgresHandle, ProjectServicesHandle};

/// Who may invoke the service. Either way requests come in only through the load
/// balancer and internal traffic (the ingress setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Invokers {
    /// Anyone (`allUsers` has `roles/run.invoker`), through the load balancer (the default).
    #[default]
    PublicViaLoadBalancer,
    /// Only principals granted `roles/run.invoker` elsewhere (no binding is declared).
    IamOnly,
}

#[derive(Debug, Clone)]
enum EnvValue {
    Plain(Value<String>),
    Secret(Value<String>),
}

/// A Cloud Run (v2) service in one or more regions, the first being primary.
///
/// Safe defaults: ingress from internal traffic and the load balancer only
/// (`INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`), egress to private ranges through the
/// region's Serverless VPC Access connector, startup and liveness probes on
/// `/health`, autoscaling 0 to 10, 80 concurrent requests, 1 vCPU and 512 MiB.
/// The public can invoke it (`allUsers` has `roles/run.invoker`) because the
/// ingress setting lets requests in only through the load balancer.
///
/// Checked at synth: min instances above max, and a region without a connector when
/// the service uses a private database.
///
/// ```
/// use std::collections::BTreeMap;
/// use terrane_core::{Expr, Stack};
/// use terrane_gcp::constructs::{CloudRunService, Construct, ProjectServices};
/// let mut stack = Stack::new("services");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let api = CloudRunService::new(&project, "api", "us-docker.pkg.dev/acme/api/api:1.0")
///     .region("us-central1")
///     .region("us-east1")
///     .env("APP_ENV", "prod")
///     .add_to(&mut stack);
/// assert_eq!(api.regions().count(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct CloudRunService {
    project: ProjectServicesHandle,
    name: String,
    image: Value<String>,
    regions: Vec<String>,
    port: u32,
    cpu: String,
    memory: String,
    min_instances: u32,
    max_instances: u32,
    concurrency: u32,
    env: BTreeMap<String, EnvValue>,
    service_account: Option<Value<String>>,
    connectors: BTreeMap<String, Expr<String>>,
    private_database: bool,
    cloud_sql: Vec<Expr<String>>,
    invokers: Invokers,
    environment: Environment,
    health_path: String,
}

impl CloudRunService {
    /// A service of `project` named `name` running `image`, in no region yet.
    pub fn new(
        project: &ProjectServicesHandle,
        name: &str,
        image: impl Into<Value<String>>,
    ) -> Self {
        CloudRunService {
            project: project.clone(),
            name: name.to_string(),
            image: image.into(),
            regions: Vec::new(),
            port: 8080,
            cpu: "1".to_string(),
            memory: "512Mi".to_string(),
            min_instances: 0,
            max_instances: 10,
            concurrency: 80,
            env: BTreeMap::new(),
            service_account: None,
            connectors: BTreeMap::new(),
            private_database: false,
            cloud_sql: Vec::new(),
            invokers: Invokers::PublicViaLoadBalancer,
            environment: Environment::Production,
            health_path: "/health".to_string(),
        }
    }
    /// Deploys to one more region (the first added is primary).
    pub fn region(mut self, region: &str) -> Self {
        if !self.regions.iter().any(|r| r == region) {
            self.regions.push(region.to_string());
        }
        self
    }
    /// Several regions.
    pub fn regions<S: AsRef<str>>(mut self, regions: impl IntoIterator<Item = S>) -> Self {
        for r in regions {
            self = self.region(r.as_ref());
        }
        self
    }
    /// The container port (default 8080).
    pub fn port(mut self, port: u32) -> Self {
        self.port = port;
        self
    }
    /// CPU limit (`"1"`, `"2"`).
    pub fn cpu(mut self, cpu: &str) -> Self {
        self.cpu = cpu.to_string();
        self
    }
    /// Memory limit (`"512Mi"`, `"1Gi"`).
    pub fn memory(mut self, memory: &str) -> Self {
        self.memory = memory.to_string();
        self
    }
    /// Autoscaling bounds per region (default 0 to 10).
    pub fn autoscaling(mut self, min: u32, max: u32) -> Self {
        self.min_instances = min;
        self.max_instances = max;
        self
    }
    /// Concurrent requests per instance (default 80).
    pub fn concurrency(mut self, n: u32) -> Self {
        self.concurrency = n;
        self
    }
    /// A plain environment variable.
    pub fn env(mut self, name: &str, value: impl Into<Value<String>>) -> Self {
        self.env
            .insert(name.to_string(), EnvValue::Plain(value.into()));
        self
    }
    /// An environment variable read from a Secret Manager secret (latest version) at
    /// start: the value never appears in the configuration.
    pub fn secret_env(mut self, name: &str, secret_id: impl Into<Value<String>>) -> Self {
        self.env
            .insert(name.to_string(), EnvValue::Secret(secret_id.into()));
        self
    }
    /// The service account the service runs as.
    pub fn service_account(mut self, email: impl Into<Value<String>>) -> Self {
        self.service_account = Some(email.into());
        self
    }
    /// Serverless VPC Access connectors by region ([`super::PrivateNetworkHandle::connectors`]).
    pub fn connectors(mut self, connectors: BTreeMap<String, Expr<String>>) -> Self {
        self.connectors.extend(connectors);
        self
    }
    /// Connects to `db` as its IAM database user, with automatic IAM database
    /// authentication: the application opens connections through a Cloud SQL
    /// connector (`cloud-sql-python-connector`, the Go or Java connector) with IAM
    /// authentication on and the private IP, which fetches a short-lived token for
    /// the service account; there is no password. Environment: `DB_NAME`,
    /// `DB_USER` (the IAM user, when `db` declares one), `DB_INSTANCE_CONNECTION_NAME`,
    /// `DB_IAM_AUTH=true`, `DB_IP_TYPE=PRIVATE`. The service also mounts
    /// Cloud Run's Cloud SQL socket under `/cloudsql` (`DB_SOCKET`), for clients that
    /// connect through it with a token as password (manual IAM authentication).
    /// When the database is private, a connector is required in every region.
    pub fn database(mut self, db: &PrivatePostgresHandle) -> Self {
        self.private_database |= db.is_private();
        self.cloud_sql.push(db.connection_name());
        self = self
            .env("DB_NAME", db.database_name())
            .env("DB_INSTANCE_CONNECTION_NAME", db.connection_name())
            .env("DB_IAM_AUTH", "true")
            .env("DB_IP_TYPE", "PRIVATE")
            .env("DB_SOCKET", tmpl!("/cloudsql/{}", db.connection_name()));
        if let Some(user) = db.iam_user_name() {
            self = self.env("DB_USER", user);
        }
        self
    }
    /// Who may invoke the service (default [`Invokers::PublicViaLoadBalancer`]).
    pub fn invokers(mut self, invokers: Invokers) -> Self {
        self.invokers = invokers;
        self
    }
    /// Production keeps `deletion_protection` on.
    pub fn environment(mut self, e: Environment) -> Self {
        self.environment = e;
        self
    }
    /// The health endpoint probed at startup and while running (default `/health`).
    pub fn health_path(mut self, path: &str) -> Self {
        self.health_path = path.to_string();
        self
    }

    fn container(&self) -> CloudRunV2ServiceTemplateContainers {
        let mut c = CloudRunV2ServiceTemplateContainers::new(self.image.clone())
            .name(self.name.as_str())
            .ports(CloudRunV2ServiceTemplateContainersPorts::new().container_port(self.port))
            .resources(
                CloudRunV2ServiceTemplateContainersResources::new()
                    .limits([("cpu", self.cpu.as_str()), ("memory", self.memory.as_str())])
                    .cpu_idle(true)
                    .startup_cpu_boost(true),
            )
            .startup_probe(
                CloudRunV2ServiceTemplateContainersStartupProbe::new()
                    .initial_delay_seconds(0)
                    .period_seconds(5)
                    .timeout_seconds(3)
                    .failure_threshold(12)
                    .http_get(
                        CloudRunV2ServiceTemplateContainersStartupProbeHttpGet::new()
                            .path(self.health_path.as_str())
                            .port(self.port),
                    ),
            )
            .liveness_probe(
                CloudRunV2ServiceTemplateContainersLivenessProbe::new()
                    .period_seconds(30)
                    .timeout_seconds(5)
                    .failure_threshold(3)
                    .http_get(
                        CloudRunV2ServiceTemplateContainersLivenessProbeHttpGet::new()
                            .path(self.health_path.as_str())
                            .port(self.port),
                    ),
            );
        if !self.cloud_sql.is_empty() {
            c = c.volume_mounts(CloudRunV2ServiceTemplateContainersVolumeMounts::new(
                "/cloudsql",
                "cloudsql",
            ));
        }
        for (name, value) in &self.env {
            let env = CloudRunV2ServiceTemplateContainersEnv::new(name.as_str());
            c = c.env(match value {
                EnvValue::Plain(v) => env.value(v.clone()),
                EnvValue::Secret(secret) => env.value_source(
                    CloudRunV2ServiceTemplateContainersEnvValueSource::new().secret_key_ref(
                        CloudRunV2ServiceTemplateContainersEnvValueSourceSecretKeyRef::new(
                            secret.clone(),
                        )
                        .version("latest"),
                    ),
                ),
            });
        }
        c
    }

    /// The revision template of one region: scaling, container, Cloud SQL volume,
    /// identity and the region's connector.
    fn template(&self, region: &str) -> CloudRunV2ServiceTemplate {
        let mut template = CloudRunV2ServiceTemplate::new()
            .max_instance_request_concurrency(self.concurrency)
            .timeout("60s")
            .execution_environment("EXECUTION_ENVIRONMENT_GEN2")
            .scaling(
                CloudRunV2ServiceTemplateScaling::new()
                    .min_instance_count(self.min_instances)
                    .max_instance_count(self.max_instances),
            )
            .containers(self.container());
        if !self.cloud_sql.is_empty() {
            template = template.volumes(
                CloudRunV2ServiceTemplateVolumes::new("cloudsql").cloud_sql_instance(
                    CloudRunV2ServiceTemplateVolumesCloudSqlInstance::new()
                        .instances(self.cloud_sql.clone()),
                ),
            );
        }
        if let Some(sa) = &self.service_account {
            template = template.service_account(sa.clone());
        }
        if let Some(connector) = self.connectors.get(region) {
            template = template.vpc_access(
                CloudRunV2ServiceTemplateVpcAccess::new()
                    .connector(connector.clone())
                    .egress("PRIVATE_RANGES_ONLY"),
            );
        }
        template
    }

    /// A service in no region would declare nothing at all, and a region named ""
    /// is none: both are refused at the service.
    fn check_regions(&self, stack: &mut Stack, address: &str) {
        if self.regions.is_empty() {
            stack.report(
                address,
                "location",
                "a Cloud Run service needs at least one region; none given (add .region(\"us-central1\"))",
            );
        } else if self.regions.iter().any(|r| r.trim().is_empty()) {
            stack.report(address, "location", "a region name is empty");
        }
    }

    /// The rules of one region's service: scaling bounds, and a connector to a
    /// private database.
    fn check_region(&self, stack: &mut Stack, address: &str, region: &str) {
        if self.min_instances > self.max_instances {
            stack.report(
                address,
                "template.scaling.min_instance_count",
                format!(
                    "min instances ({}) is above max instances ({})",
                    self.min_instances, self.max_instances
                ),
            );
        }
        if self.private_database && !self.connectors.contains_key(region) {
            stack.report(
                address,
                "template.vpc_access.connector",
                format!(
                    "region {region} has no Serverless VPC Access connector, but the database is private: add the region to the PrivateNetwork"
                ),
            );
        }
    }
}

impl Construct for CloudRunService {
    type Handle = CloudRunServiceHandle;

    /// Declares one `google_cloud_run_v2_service` per region (named
    /// `<name>_<region>`), and the invoker binding of each.
    fn add_to(self, stack: &mut Stack) -> CloudRunServiceHandle {
        let project = &self.project;
        let base = block_name(&self.name);
        let mut services = BTreeMap::new();
        self.check_regions(stack, &format!("google_cloud_run_v2_service.{base}"));
        for region in &self.regions {
            let block = format!("{base}_{}", block_name(region));
            let svc = stack.add_with(
                &block,
                CloudRunV2Service::new(CloudRunV2ServiceArgs {
                    name: self.name.as_str().into(),
                    location: region.as_str().into(),
                    template: self.template(region),
                })
                .project(project.id())
                .ingress("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
                .deletion_protection(self.environment.is_production()),
                project.after(stack, &[apis::RUN]),
            );
            self.check_region(stack, &svc.address(), region);
            if self.invokers == Invokers::PublicViaLoadBalancer {
                stack.add(
                    &format!("{block}_invoker"),
                    CloudRunV2ServiceIamMember::new(CloudRunV2ServiceIamMemberArgs {
                        name: svc.name().into(),
                        role: "roles/run.invoker".into(),
                        member: "allUsers".into(),
                    })
                    .project(project.id())
                    .location(svc.location()),
                );
            }
            services.insert(region.clone(), svc);
        }
        CloudRunServiceHandle {
            name: self.name,
            order: self.regions,
            services,
        }
    }
}

/// The declared regional services.
#[derive(Debug, Clone)]
pub struct CloudRunServiceHandle {
    name: String,
    order: Vec<String>,
    services: BTreeMap<String, CloudRunV2ServiceRef>,
}

impl CloudRunServiceHandle {
    /// The service name (the same in every region).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// `(region, service)` in the order the regions were added (primary first).
    pub fn regions(&self) -> impl Iterator<Item = (&str, &CloudRunV2ServiceRef)> {
        self.order
            .iter()
            .filter_map(|r| self.services.get(r).map(|s| (r.as_str(), s)))
    }
    /// The service of one region.
    pub fn in_region(&self, region: &str) -> Option<&CloudRunV2ServiceRef> {
        self.services.get(region)
    }
}

#[cfg(test)]
mod bad_input_tests {
    use terrane_core::construct::Construct;
    use terrane_core::{App, Error, Stack};

    use super::CloudRunService;
    use crate::constructs::ProjectServices;

    fn errors(regions: &'static [&'static str]) -> Vec<String> {
        let mut app = App::new();
        app.target("t", "", move |t| {
            let mut s = Stack::new("app");
            let project = ProjectServices::new("acme").add_to(&mut s);
            CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
                .regions(regions)
                .add_to(&mut s);
            t.add_stack(s);
        });
        match app.synth("t") {
            Ok(_) => Vec::new(),
            Err(Error::Checks(d)) => d.lines(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn a_service_in_no_region_is_refused() {
        assert_eq!(
            errors(&[]),
            ["error: [t/app] google_cloud_run_v2_service.api: location: a Cloud Run service needs at least one region; none given (add .region(\"us-central1\"))"]
        );
        assert_eq!(
            errors(&[""]),
            ["error: [t/app] google_cloud_run_v2_service.api: location: a region name is empty"]
        );
        assert_eq!(errors(&["us-central1"]), Vec::<String>::new());
    }
}
