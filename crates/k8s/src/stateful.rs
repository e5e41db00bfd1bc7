//! The Kubernetes objects that hold data, for the refactor diff and guard
//! ([`terrane_core::refactor`]): kinds of the manifests terrane writes, and the
//! hashicorp/kubernetes provider's resource types for programs that use it.

use terrane_core::refactor::{StatefulTable, StatefulType};

/// The provider documentation page of a kubernetes provider resource type.
fn doc(page: &str) -> String {
    format!(
        "https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/{page}"
    )
}

/// Stateful kinds and kubernetes provider types; register with
/// `app.stateful(terrane_k8s::stateful::table())`. A renamed PersistentVolumeClaim
/// or StatefulSet starts on new, empty volumes: `kubectl apply` has no rename.
pub fn table() -> StatefulTable {
    StatefulTable::new()
        .kind(
            "PersistentVolumeClaim",
            "persistent volume claim (its volume)",
        )
        .kind("PersistentVolume", "persistent volume")
        .kind(
            "StatefulSet",
            "StatefulSet volumes (one claim per replica, named after the set)",
        )
        .resource(
            "kubernetes_persistent_volume_claim_v1",
            StatefulType::new(
                "persistent volume claim (its volume)",
                &doc("persistent_volume_claim_v1"),
            )
            .identity(&["metadata.name", "metadata.namespace"])
            .forces(&[
                "metadata.name",
                "metadata.namespace",
                "spec.storage_class_name",
                "spec.access_modes",
                "spec.volume_name",
            ]),
        )
        .resource(
            "kubernetes_stateful_set_v1",
            StatefulType::new("StatefulSet volumes", &doc("stateful_set_v1"))
                .identity(&["metadata.name", "metadata.namespace"])
                .forces(&[
                    "metadata.name",
                    "metadata.namespace",
                    "spec.volume_claim_template",
                    "spec.service_name",
                ]),
        )
}
