//! The Google Cloud platform of the SaaS API: `prod` (two regions) and `staging`
//! (one region, smaller), the same program with different [`GcpEnv`] settings.
//!
//! Three stacks, applied in this order: `foundation` (APIs, network, runtime
//! identity, database, encryption keys, image registry), `services` (Cloud Run in
//! every region behind the global HTTPS load balancer, DNS records) and
//! `observability` (channels, uptime check, tiered alerts, dashboard, budget).
//! Later stacks read earlier ones through typed references.

use terrane_core::construct::block_name;
use terrane_core::{App, Backend, Output, Stack, Target, Variable};
use terrane_gcp::constructs::{
    AlertSeverity, AlertThresholds, Budget, CloudArmor, CloudRunService, CloudRunServiceHandle,
    CmekKey, CmekKeyHandle, Construct, ContainerRegistry, ContainerRegistryHandle, DnsRecords,
    DnsZone, Environment, GlobalHttpsLoadBalancer, KeyRing, Monitoring, NotificationChannel,
    Percent, PrivateNetwork, PrivateNetworkHandle, PrivatePostgres, PrivatePostgresHandle,
    ProjectRole, ProjectServices, ProjectServicesHandle, ServiceAccount, ServiceAccountHandle,
    ServiceAgent, Tiered,
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

/// Where the domains' DNS records go.
#[derive(Debug, Clone, Copy)]
pub enum DnsSetting {
    /// A Cloud DNS zone that already exists in the project (the company's domain,
    /// as reference 000 implies: "point the domain at the LB IP"); its name is the
    /// `dns_zone` variable, defaulting to `name`.
    ExistingZone {
        /// The zone's resource name.
        name: &'static str,
        /// The zone's domain, with the trailing dot.
        dns_name: &'static str,
    },
    /// A zone created here for a delegated subdomain (the parent zone gets NS
    /// records for the `name_servers` output).
    NewZone {
        /// The zone's resource name.
        name: &'static str,
        /// The zone's domain, with the trailing dot.
        dns_name: &'static str,
    },
}

/// Settings that differ between environments. Nothing secret lives here: the Slack
/// token and the Slack channel's email address are variables supplied at apply time.
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
    /// Tag of the API image in the project's Artifact Registry repository.
    pub image_tag: &'static str,
    /// The Cloud DNS zone of the domains.
    pub dns: DnsSetting,
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
        image_tag: "1.0.0",
        dns: DnsSetting::ExistingZone {
            name: "acme-saas-com",
            dns_name: "acme-saas.com.",
        },
        db_tier: "db-custom-2-7680",
        instances: (0, 10), // the reference: scale to zero, at most 10 per region
        cloud_armor: Some(CloudArmor::new()),
        budget_usd: 200,
        thresholds: AlertThresholds {
            error_rate: Tiered {
                warning: Percent(1.0),
                critical: Percent(2.0),
            },
            p95_latency_ms: Tiered {
                warning: 500,
                critical: 800,
            },
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
        image_tag: "1.0.0",
        dns: DnsSetting::NewZone {
            name: "staging-acme-saas-com",
            dns_name: "staging.acme-saas.com.",
        },
        db_tier: "db-g1-small",
        instances: (0, 3),
        cloud_armor: None,
        budget_usd: 50,
        thresholds: AlertThresholds {
            error_rate: Tiered {
                warning: Percent(2.0),
                critical: Percent(5.0),
            },
            p95_latency_ms: Tiered {
                warning: 1000,
                critical: 2000,
            },
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
    registry: ContainerRegistryHandle,
    pubsub_key: CmekKeyHandle,
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
    .role(ProjectRole::CloudSqlInstanceUser)
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
    .iam_user(&identity)
    .add_to(&mut foundation);
    // Environments deployed before the move to IAM database authentication hold the
    // database password in a Secret Manager secret, which goes with the password.
    foundation.allow_destroy(
        &format!(
            "google_secret_manager_secret.{}_db_password",
            block_name(env.name)
        ),
        "Cloud SQL IAM database authentication: the API logs in without a password",
    );
    let (registry, pubsub_key) = keys_and_registry(env, &mut foundation, &project);
    let handles = Foundation {
        project,
        network,
        identity,
        db,
        registry,
        pubsub_key,
    };
    (foundation, handles)
}

/// The customer-managed keys (one per service agent, in the primary region) and
/// the image registry encrypted with one of them.
fn keys_and_registry(
    env: &GcpEnv,
    foundation: &mut Stack,
    project: &ProjectServicesHandle,
) -> (ContainerRegistryHandle, CmekKeyHandle) {
    let this_project = foundation.data("this", DataProject::new().project_id(project.id()));
    let ring = KeyRing::new(
        project,
        &format!("{}-platform", env.name),
        env.primary_region(),
    )
    .add_to(foundation);
    let key =
        |agent| CmekKey::new(&ring, agent, this_project.number()).environment(env.environment);
    let registry_key = key(ServiceAgent::ArtifactRegistry).add_to(foundation);
    let pubsub_key = key(ServiceAgent::PubSub).add_to(foundation);
    let registry = ContainerRegistry::new(
        project,
        &format!("{}-images", env.name),
        env.primary_region(),
    )
    .encryption_key(&registry_key)
    .add_to(foundation);
    (registry, pubsub_key)
}

/// services: Cloud Run in every region behind the global HTTPS load balancer.
fn services(env: &GcpEnv, f: &Foundation) -> (Stack, CloudRunServiceHandle) {
    let (mut services, _) = stack(env, "services");
    let tag = services.variable(
        "image_tag",
        Variable::<String>::new().description("Tag of the API image in the project's registry"),
    );
    services.set_variable("image_tag", env.image_tag);
    let api = CloudRunService::new(&f.project, "api", f.registry.image("api", tag))
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
        Output::new(lb.ip_address()).description("The address the domains' A records point at"),
    );
    let zone = match env.dns {
        DnsSetting::ExistingZone { name, dns_name } => {
            let zone = services.variable(
                "dns_zone",
                Variable::<String>::new()
                    .description("Name of the existing Cloud DNS zone of the domains"),
            );
            services.set_variable("dns_zone", name);
            DnsZone::Existing {
                name: zone.into(),
                dns_name: dns_name.to_string(),
            }
        }
        DnsSetting::NewZone { name, dns_name } => DnsZone::Managed {
            name: name.to_string(),
            dns_name: dns_name.to_string(),
        },
    };
    let dns = DnsRecords::new(&f.project, zone, &lb).add_to(&mut services);
    if let Some(name_servers) = dns.name_servers() {
        services.output(
            "name_servers",
            Output::new(name_servers)
                .description("Delegate the zone's domain to these (NS records in the parent zone)"),
        );
    }
    (services, api)
}

/// observability and cost: channels, uptime, alerts, dashboard, budget.
fn observability(env: &GcpEnv, f: &Foundation, api: &CloudRunServiceHandle) -> Stack {
    let project = &f.project;
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
    // Budget alerts reach Slack only by email: the channel's Slack email address.
    let slack_email = observability.variable(
        "slack_budget_email",
        Variable::<String>::new()
            .description("Email address of the Slack channel for budget alerts (Slack's email integration; TF_VAR_slack_budget_email)")
            .sensitive()
            .supplied_at_apply(),
    );
    let slack_by_email =
        NotificationChannel::email(project, "Budget Slack", slack_email).add_to(&mut observability);
    Monitoring::new(
        project,
        &format!("{}-api", env.name),
        env.domains[0],
        api.name(),
    )
    .regions(env.regions.iter().map(|r| r.region))
    .thresholds(env.thresholds)
    .route(AlertSeverity::Warning, &slack)
    .route(AlertSeverity::Critical, &slack)
    .route(AlertSeverity::Critical, &email)
    .add_to(&mut observability);
    let this_project = observability.data("this", DataProject::new().project_id(project_id));
    Budget::new(project, env.name, billing_account, env.budget_usd)
        .project_number(this_project.number())
        .channel(&email)
        .channel(&slack_by_email)
        .encryption_key(&f.pubsub_key)
        .add_to(&mut observability);
    observability
}

/// Builds the stacks of one environment into `t`.
pub fn build(t: &mut Target, env: &GcpEnv) {
    let (foundation, f) = foundation(env);
    let (services, api) = services(env, &f);
    let observability = observability(env, &f, &api);
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
