//! The Google Cloud platform of the SaaS API: `prod` and `staging`.

use terrane_core::{
    tmpl, App, Backend, GenericResource, Meta, Output, RequiredProvider, Stack, Target, Tree,
    Variable,
};

/// Settings that differ between environments.
#[derive(Debug, Clone)]
pub struct GcpEnv {
    /// Environment name (`prod`).
    pub name: &'static str,
    /// GCP project id.
    pub project_id: &'static str,
    /// Regions the API runs in; the first is primary.
    pub regions: &'static [&'static str],
    /// State bucket.
    pub state_bucket: &'static str,
}

fn google() -> RequiredProvider {
    RequiredProvider::new("google", "hashicorp/google", "6.50.0")
}

/// The APIs the platform needs.
pub const REQUIRED_APIS: &[&str] = &[
    "run.googleapis.com",
    "compute.googleapis.com",
    "sqladmin.googleapis.com",
    "servicenetworking.googleapis.com",
    "vpcaccess.googleapis.com",
    "monitoring.googleapis.com",
    "billingbudgets.googleapis.com",
    "pubsub.googleapis.com",
    "secretmanager.googleapis.com",
];

/// Builds the stacks of one environment into `t`.
pub fn build(t: &mut Target, env: &GcpEnv) {
    let mut foundation = Stack::new("foundation");
    foundation.backend(Backend::gcs(
        env.state_bucket,
        &format!("{}/foundation", env.name),
    ));
    let project = foundation.variable(
        "project_id",
        Variable::<String>::new().description("GCP project that hosts the platform"),
    );
    foundation.set_variable("project_id", env.project_id);
    foundation.provider(
        terrane_core::Provider::new(google())
            .arg("project", &project)
            .arg("region", env.regions[0]),
    );
    let mut services = Vec::new();
    for api in REQUIRED_APIS {
        let name = api.split('.').next().unwrap_or(api);
        services.push(
            foundation.add(
                &format!("api_{name}"),
                GenericResource::new("google_project_service")
                    .provider(google())
                    .arg("project", &project)
                    .arg("service", *api)
                    .arg("disable_on_destroy", false),
            ),
        );
    }
    let network = foundation.add_with(
        "vpc",
        GenericResource::new("google_compute_network")
            .provider(google())
            .arg("name", format!("{}-vpc", env.name))
            .arg("auto_create_subnetworks", false)
            .arg("routing_mode", "GLOBAL"),
        Meta::new().depends_on(&services[1]),
    );
    for (i, region) in env.regions.iter().enumerate() {
        foundation.add(
            &format!("subnet_{}", region.replace('-', "_")),
            GenericResource::new("google_compute_subnetwork")
                .provider(google())
                .arg("name", format!("{}-{region}", env.name))
                .arg("region", *region)
                .arg("network", network.id())
                .arg("ip_cidr_range", format!("10.{}.0.0/20", 10 + i))
                .arg("private_ip_google_access", true),
        );
    }
    let sa = foundation.add(
        "api",
        GenericResource::new("google_service_account")
            .provider(google())
            .arg("account_id", format!("{}-api", env.name))
            .arg("display_name", format!("API service ({})", env.name)),
    );

    let mut edge = Stack::new("services");
    edge.backend(Backend::gcs(
        env.state_bucket,
        &format!("{}/services", env.name),
    ));
    edge.provider(terrane_core::Provider::new(google()).arg("region", env.regions[0]));
    let image = edge.variable(
        "image",
        Variable::<String>::new().description("Container image of the API, by digest"),
    );
    edge.set_variable("image", "us-docker.pkg.dev/cloudrun/container/hello");
    for region in env.regions {
        let run = edge.add(
            &format!("api_{}", region.replace('-', "_")),
            GenericResource::new("google_cloud_run_v2_service")
                .provider(google())
                .arg("name", "api")
                .arg("location", *region)
                .arg("ingress", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
                .arg(
                    "template",
                    Tree::object([
                        ("service_account", Tree::from(sa.attr::<String>("email"))),
                        (
                            "scaling",
                            Tree::object([
                                ("min_instance_count", Tree::from(0)),
                                ("max_instance_count", Tree::from(10)),
                            ]),
                        ),
                        (
                            "containers",
                            Tree::list([Tree::object([
                                ("image", Tree::from(&image)),
                                (
                                    "ports",
                                    Tree::list([Tree::object([(
                                        "container_port",
                                        Tree::from(8080),
                                    )])]),
                                ),
                            ])]),
                        ),
                    ]),
                ),
        );
        edge.output(
            &format!("url_{}", region.replace('-', "_")),
            Output::new(run.attr::<String>("uri"))
                .description(&format!("Cloud Run URL in {region}")),
        );
        edge.output(
            &format!("health_{}", region.replace('-', "_")),
            Output::new(tmpl!("{}/health", run.attr::<String>("uri")))
                .description("Health endpoint"),
        );
    }
    t.add_stack(foundation);
    t.add_stack(edge);
}

/// Registers `prod` and `staging`.
pub fn register(app: &mut App) {
    app.target(
        "prod",
        "GCP production: Cloud Run in two regions (grows into the full platform)",
        |t| {
            build(
                t,
                &GcpEnv {
                    name: "prod",
                    project_id: "acme-saas-prod",
                    regions: &["us-central1", "us-east1"],
                    state_bucket: "acme-saas-tfstate",
                },
            )
        },
    );
    app.target(
        "staging",
        "GCP staging: one region, smaller settings",
        |t| {
            build(
                t,
                &GcpEnv {
                    name: "staging",
                    project_id: "acme-saas-staging",
                    regions: &["us-central1"],
                    state_bucket: "acme-saas-tfstate",
                },
            )
        },
    );
}
