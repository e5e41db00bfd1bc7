//! The Google Cloud platform of the SaaS API: `prod` (two regions) and `staging`
//! (one region, smaller), the same program with different [`GcpEnv`] settings.
//!
//! Three stacks, applied in this order: `foundation` (APIs, network, runtime
//! identity, database), `services` (Cloud Run in every region behind the global
//! HTTPS load balancer) and `observability` (channels, uptime check, alerts,
//! dashboard, budget). Later stacks read earlier ones through typed references.

use terrane_core::{App, Backend, Output, Stack, Target, Variable};
use terrane_gcp::constructs::{
    AlertThresholds, Budget, CloudArmor, CloudRunService, CloudRunServiceHandle, Construct,
    Environment, GlobalHttpsLoadBalancer, Monitoring, NotificationChannel, Percent, PrivateNetwork,
    PrivateNetworkHandle, PrivatePostgres, PrivatePostgresHandle, ProjectRole, ProjectServices,
    ProjectServicesHandle, ServiceAccount, ServiceAccountHandle,
};
use terrane_gcp::project::DataProject;
use terrane_gcp::GoogleProvider;

/// One region of the platform: its subnet and its connector's /28.
#[derive(Debug, Clone, Copy)]
pub struct RegionConfig {
    /// `us-central1`
    pub region: &'static str,
    /// The region's subnet.
    pub subnet_cidr: &'static str,
    /// The Serverless VPC Access connector's range (a /28 outside every subnet).
    pub connector_cidr: &'static str,
}

/// Settings that differ between environments. Nothing secret lives here: the Slack
/// token is a variable supplied at apply time.
#[derive(Debug, Clone)]
pub struct GcpEnv {
    /// Environment name (`prod`), the prefix of every resource name.
    pub name: &'static str,
    /// Production or not (HA, deletion protection and their checks).
    pub environment: Environment,
    /// GCP project id.
    pub project_id: &'static str,
    /// Billing account the budget is attached to (account-specific, so a variable).
    pub billing_account: &'static str,
    /// Regions, primary first.
    pub regions: &'static [RegionConfig],
    /// Domains served by the load balancer; the first is monitored.
    pub domains: &'static [&'static str],
    /// Container image of the API.
    pub image: &'static str,
    /// Cloud SQL tier.
    pub db_tier: &'static str,
    /// Cloud Run autoscaling per region.
    pub instances: (u32, u32),
    /// The Cloud Armor policy guarding the load balancer, if any.
    pub cloud_armor: Option<CloudArmor>,
    /// Monthly budget in USD.
    pub budget_usd: u64,
    /// Alert thresholds.
    pub thresholds: AlertThresholds,
    /// Email of the on-call rotation.
    pub alert_email: &'static str,
    /// Slack channel for alerts.
    pub slack_channel: &'static str,
    /// State bucket.
    pub state_bucket: &'static str,
}

impl GcpEnv {
    /// The primary region (the first one; `us-central1` when none is given).
    pub fn primary_region(&self) -> &'static str {
        self.regions.first().map_or("us-central1", |r| r.region)
    }
}

/// The production settings.
pub fn prod() -> GcpEnv {
    GcpEnv {
        name: "prod",
        environment: Environment::Production,
        project_id: "acme-saas-prod",
        billing_account: "012345-6789AB-CDEF01",
        regions: &[
            RegionConfig {
                region: "us-central1",
                subnet_cidr: "10.10.0.0/20",
                connector_cidr: "10.8.0.0/28",
            },
            RegionConfig {
                region: "us-east1",
                subnet_cidr: "10.11.0.0/20",
                connector_cidr: "10.8.0.16/28",
            },
        ],
        domains: &["api.acme-saas.com"],
        image: "us-docker.pkg.dev/acme-saas-prod/api/api:1.0.0",
        db_tier: "db-custom-2-7680",
        instances: (0, 10), // the reference: scale to zero, at most 10 per region
        cloud_armor: Some(CloudArmor::new()),
        budget_usd: 200,
        thresholds: AlertThresholds {
            error_rate: Percent(2.0),
            p95_latency_ms: 800,
            duration_s: 300,
        },
        alert_email: "oncall@acme-saas.com",
        slack_channel: "#prod-alerts",
        state_bucket: "acme-saas-tfstate",
    }
}

/// The staging settings: one region, a small tier, no HA, a lower budget.
pub fn staging() -> GcpEnv {
    GcpEnv {
        name: "staging",
        environment: Environment::NonProduction,
        project_id: "acme-saas-staging",
        billing_account: "012345-6789AB-CDEF01",
        regions: &[RegionConfig {
            region: "us-central1",
            subnet_cidr: "10.20.0.0/20",
            connector_cidr: "10.8.0.0/28",
        }],
        domains: &["api.staging.acme-saas.com"],
        image: "us-docker.pkg.dev/acme-saas-staging/api/api:1.0.0",
        db_tier: "db-g1-small",
        instances: (0, 3),
        cloud_armor: None,
        budget_usd: 50,
        thresholds: AlertThresholds {
            error_rate: Percent(5.0),
            p95_latency_ms: 2000,
            duration_s: 600,
        },
        alert_email: "dev-alerts@acme-saas.com",
        slack_channel: "#staging-alerts",
        state_bucket: "acme-saas-tfstate",
    }
}

/// A stack with the GCS backend, a `project_id` variable and the google provider.
fn stack(env: &GcpEnv, name: &str) -> (Stack, terrane_core::Expr<String>) {
    let mut s = Stack::new(name);
    s.backend(Backend::gcs(
        env.state_bucket,
        &format!("{}/{name}", env.name),
    ));
    let project = s.variable(
        "project_id",
        Variable::<String>::new().description("GCP project that hosts the platform"),
    );
    s.set_variable("project_id", env.project_id);
    let mut provider = GoogleProvider::new()
        .project(project.clone())
        .region(env.primary_region())
        .default_labels([("environment", env.name), ("managed-by", "terrane")]);
    if name == "observability" {
        // budgets are created through the billing API, billed to this project
        provider = provider
            .billing_project(project.clone())
            .user_project_override(true);
    }
    s.provider(provider);
    (s, project)
}

/// What the later stacks read of `foundation`.
struct Foundation {
    project: ProjectServicesHandle,
    network: PrivateNetworkHandle,
    identity: ServiceAccountHandle,
    db: PrivatePostgresHandle,
}

/// foundation: APIs, network, runtime identity, database.
fn foundation(env: &GcpEnv) -> (Stack, Foundation) {
    let (mut foundation, project_id) = stack(env, "foundation");
    let project = ProjectServices::new(project_id).add_to(&mut foundation);
    let mut network = PrivateNetwork::new(&project, env.name);
    for r in env.regions {
        network = network.region(r.region, r.subnet_cidr, r.connector_cidr);
    }
    let network = network.add_to(&mut foundation);
    let identity = ServiceAccount::new(
        &project,
        &format!("{}-api", env.name),
        &format!("API ({})", env.name),
    )
    .role(ProjectRole::CloudSqlClient)
    .add_to(&mut foundation);
    let db = PrivatePostgres::new(
        &project,
        &network,
        &format!("{}-db", env.name),
        env.primary_region(),
    )
    .environment(env.environment)
    .tier(env.db_tier)
    .database("api")
    .user("api")
    .add_to(&mut foundation);
    db.grant_password_access(&mut foundation, &identity);
    let handles = Foundation {
        project,
        network,
        identity,
        db,
    };
    (foundation, handles)
}

/// services: Cloud Run in every region behind the global HTTPS load balancer.
fn services(env: &GcpEnv, f: &Foundation) -> (Stack, CloudRunServiceHandle) {
    let (mut services, _) = stack(env, "services");
    let image = services.variable(
        "image",
        Variable::<String>::new().description("Container image of the API"),
    );
    services.set_variable("image", env.image);
    let api = CloudRunService::new(&f.project, "api", image)
        .regions(env.regions.iter().map(|r| r.region))
        .environment(env.environment)
        .autoscaling(env.instances.0, env.instances.1)
        .service_account(f.identity.email())
        .connectors(f.network.connectors())
        .database(&f.db)
        .env("APP_ENV", env.name)
        .add_to(&mut services);
    let mut lb =
        GlobalHttpsLoadBalancer::new(&f.project, &format!("{}-api", env.name), env.domains.iter())
            .backend(&api);
    if let Some(armor) = &env.cloud_armor {
        lb = lb.cloud_armor(armor.clone());
    }
    let lb = lb.add_to(&mut services);
    services.output(
        "load_balancer_ip",
        Output::new(lb.ip_address())
            .description("Point the A records of the domains at this address"),
    );
    (services, api)
}

/// observability and cost: channels, uptime, alerts, dashboard, budget.
fn observability(
    env: &GcpEnv,
    project: &ProjectServicesHandle,
    api: &CloudRunServiceHandle,
) -> Stack {
    let (mut observability, project_id) = stack(env, "observability");
    let billing_account = observability.variable(
        "billing_account",
        Variable::<String>::new().description("Billing account the budget watches"),
    );
    observability.set_variable("billing_account", env.billing_account);
    let slack_token = observability.variable(
        "slack_token",
        Variable::<String>::new()
            .description("Slack bot token for alert notifications (TF_VAR_slack_token)")
            .sensitive()
            .supplied_at_apply(),
    );
    let email =
        NotificationChannel::email(project, "On-call", env.alert_email).add_to(&mut observability);
    let slack = NotificationChannel::slack(project, "On-call", env.slack_channel, slack_token)
        .add_to(&mut observability);
    Monitoring::new(
        project,
        &format!("{}-api", env.name),
        env.domains[0],
        api.name(),
    )
    .regions(env.regions.iter().map(|r| r.region))
    .thresholds(env.thresholds)
    .channel(&email)
    .channel(&slack)
    .add_to(&mut observability);
    let this_project = observability.data("this", DataProject::new().project_id(project_id));
    Budget::new(project, env.name, billing_account, env.budget_usd)
        .project_number(this_project.number())
        .channel(&email)
        .add_to(&mut observability);
    observability
}

/// Builds the stacks of one environment into `t`.
pub fn build(t: &mut Target, env: &GcpEnv) {
    let (foundation, f) = foundation(env);
    let (services, api) = services(env, &f);
    let observability = observability(env, &f.project, &api);
    t.add_stack(foundation);
    t.add_stack(services);
    t.add_stack(observability);
}

/// Registers `prod` and `staging`.
pub fn register(app: &mut App) {
    app.target(
        "prod",
        "GCP production: Cloud Run in two regions behind a global HTTPS load balancer, private Cloud SQL, monitoring, budget",
        |t| build(t, &prod()),
    );
    app.target(
        "staging",
        "GCP staging: the production program in one region, smaller and without HA",
        |t| build(t, &staging()),
    );
}
