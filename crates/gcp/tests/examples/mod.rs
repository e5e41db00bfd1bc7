//! Hand-written uses of the generated Google types: built as a stack program would,
//! synthesized with the offline schema check, and snapshotted.

use terrane_core::{App, Handle, Output, Stack};
use terrane_gcp::cloud_run::*;
use terrane_gcp::compute::*;
use terrane_gcp::secret_manager::*;
use terrane_gcp::sql::*;
use terrane_gcp::GoogleProvider;

fn app() -> App {
    let mut app = App::new();
    app.schemas(terrane_gcp::schema());
    app.target("demo", "generated google types", |t| {
        let mut s = Stack::new("services");
        s.provider(GoogleProvider::new().project("demo-project").region("europe-west1"));
        let network = s.add("main", ComputeNetwork::new("main").auto_create_subnetworks(false));
        let db = s.add(
            "orders",
            SqlDatabaseInstance::new("POSTGRES_16")
                .name("orders")
                .region("europe-west1")
                .deletion_protection(true)
                .settings(
                    SqlDatabaseInstanceSettings::new("db-custom-1-3840").ip_configuration(
                        SqlDatabaseInstanceSettingsIpConfiguration::new()
                            .ipv4_enabled(false)
                            .private_network(network.id()),
                    ),
                ),
        );
        let secret = s.add(
            "db_password",
            SecretManagerSecret::new(
                "db-password",
                SecretManagerSecretReplication::new().auto(SecretManagerSecretReplicationAuto::new()),
            ),
        );
        let api = s.add(
            "api",
            CloudRunV2Service::new(CloudRunV2ServiceArgs {
                name: "api".into(),
                location: "europe-west1".into(),
                template: CloudRunV2ServiceTemplate::new()
                    .scaling(CloudRunV2ServiceTemplateScaling::new().min_instance_count(1).max_instance_count(10))
                    .containers(
                        CloudRunV2ServiceTemplateContainers::new("europe-docker.pkg.dev/demo/api/api:1")
                            .env(CloudRunV2ServiceTemplateContainersEnv::new("DB").value(db.connection_name()))
                            .env(
                                CloudRunV2ServiceTemplateContainersEnv::new("DB_PASSWORD").value_source(
                                    CloudRunV2ServiceTemplateContainersEnvValueSource::new().secret_key_ref(
                                        CloudRunV2ServiceTemplateContainersEnvValueSourceSecretKeyRef::new(
                                            secret.secret_id(),
                                        )
                                        .version("latest"),
                                    ),
                                ),
                            )
                            .ports(CloudRunV2ServiceTemplateContainersPorts::new().container_port(8080)),
                    ),
            })
            .ingress("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
            .deletion_protection(false),
        );
        s.output("url", Output::new(api.uri()));
        s.output("image", Output::new(api.template().at(0).containers().at(0).image()));
        s.output("db_ip", Output::new(db.ip_address().at(0).ip_address()));
        t.add_stack(s);
    });
    app
}

#[test]
fn cloud_run_with_private_sql_passes_the_schema_check() {
    let out = match app().synth("demo") {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    let json = out.file("services/main.tf.json").unwrap_or_default();
    assert!(json.contains("${google_sql_database_instance.orders.connection_name}"));
    assert!(json.contains("${google_cloud_run_v2_service.api.template[0].containers[0].image}"));
    insta::assert_snapshot!("cloud_run_with_private_sql", json);
}

#[test]
fn handles_give_typed_nested_access() {
    let mut s = Stack::new("x");
    let svc = s.add(
        "api",
        CloudRunV2Service::new(CloudRunV2ServiceArgs {
            name: "api".into(),
            location: "europe-west1".into(),
            template: CloudRunV2ServiceTemplate::new(),
        }),
    );
    assert_eq!(svc.address(), "google_cloud_run_v2_service.api");
    assert_eq!(
        svc.conditions().at(0).type_().to_hcl(),
        "google_cloud_run_v2_service.api.conditions[0].type"
    );
    assert_eq!(
        svc.template().at(0).volumes().length().to_hcl(),
        "length(google_cloud_run_v2_service.api.template[0].volumes)"
    );
    // a handle of a counted resource indexes before the attribute
    assert_eq!(
        svc.at(1).uri().to_hcl(),
        "google_cloud_run_v2_service.api[1].uri"
    );
}
