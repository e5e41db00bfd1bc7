//! The Google Cloud resource types that hold data, for the refactor guard and
//! `terrane diff` ([`terrane_core::refactor`]): what each holds, the arguments naming
//! the real object, and the arguments documented as "Changing this forces a new
//! resource to be created" on its provider page.

use terrane_core::refactor::{StatefulTable, StatefulType};

/// The provider documentation page of a resource type.
fn doc(page: &str) -> String {
    format!("https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/{page}")
}

fn entry(holds: &str, page: &str) -> StatefulType {
    StatefulType::new(holds, &doc(page))
}

/// Every Google Cloud stateful type terrane knows; register with
/// `app.stateful(terrane_gcp::stateful::table())`.
pub fn table() -> StatefulTable {
    StatefulTable::new()
        .resource(
            "google_sql_database_instance",
            entry("Cloud SQL instance", "sql_database_instance")
                .identity(&["name"])
                .forces(&[
                    "name",
                    "project",
                    "region",
                    "encryption_key_name",
                    "master_instance_name",
                ])
                .import_id("name"),
        )
        .resource(
            "google_sql_database",
            entry("Cloud SQL database", "sql_database")
                .identity(&["name", "instance"])
                .forces(&["name", "instance", "project"]),
        )
        .resource(
            "google_storage_bucket",
            entry("Cloud Storage bucket objects", "storage_bucket")
                .identity(&["name"])
                .forces(&["name", "location", "project"])
                .import_id("name"),
        )
        .resource(
            "google_compute_disk",
            entry("persistent disk", "compute_disk")
                .identity(&["name", "zone"])
                .forces(&[
                    "name",
                    "zone",
                    "project",
                    "type",
                    "image",
                    "snapshot",
                    "disk_encryption_key",
                ]),
        )
        .resource(
            "google_filestore_instance",
            entry("Filestore file system", "filestore_instance")
                .identity(&["name", "location"])
                .forces(&["name", "location", "project", "tier", "networks"]),
        )
        .resource(
            "google_kms_key_ring",
            entry("KMS key ring (its keys)", "kms_key_ring")
                .identity(&["name", "location"])
                .forces(&["name", "location", "project"]),
        )
        .resource(
            "google_kms_crypto_key",
            entry("KMS key (data encrypted with it)", "kms_crypto_key")
                .identity(&["name", "key_ring"])
                .forces(&[
                    "name",
                    "key_ring",
                    "purpose",
                    "skip_initial_version_creation",
                    "import_only",
                ]),
        )
        .resource(
            "google_secret_manager_secret",
            entry(
                "Secret Manager secret (its versions)",
                "secret_manager_secret",
            )
            .identity(&["secret_id"])
            .forces(&["secret_id", "project", "replication"])
            .import_id("secret_id"),
        )
        .resource(
            "google_dns_managed_zone",
            entry(
                "Cloud DNS zone (its records, its name servers)",
                "dns_managed_zone",
            )
            .identity(&["name"])
            .forces(&["name", "dns_name", "project", "visibility"])
            .import_id("name"),
        )
        .resource(
            "google_artifact_registry_repository",
            entry(
                "Artifact Registry repository (its images)",
                "artifact_registry_repository",
            )
            .identity(&["repository_id", "location"])
            .forces(&[
                "repository_id",
                "location",
                "project",
                "format",
                "mode",
                "kms_key_name",
            ]),
        )
        .resource(
            "google_container_cluster",
            entry(
                "GKE cluster (its workloads and volumes)",
                "container_cluster",
            )
            .identity(&["name", "location"])
            .forces(&["name", "location", "project", "network", "subnetwork"]),
        )
        .resource(
            "google_bigquery_dataset",
            entry("BigQuery dataset (its tables)", "bigquery_dataset")
                .identity(&["dataset_id"])
                .forces(&["dataset_id", "project", "location"])
                .import_id("dataset_id"),
        )
        .resource(
            "google_redis_instance",
            entry("Memorystore Redis instance", "redis_instance")
                .identity(&["name", "region"])
                .forces(&[
                    "name",
                    "region",
                    "project",
                    "location_id",
                    "authorized_network",
                ]),
        )
}
