//! external-secrets.io/v1 resources: ExternalSecret, SecretStore, ClusterSecretStore.
//! v1 is the served and stored version of current external-secrets releases (v1beta1 is deprecated).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope};
use serde::Serialize;

use super::custom_resource;

/// Materializes a Kubernetes Secret from an external secret manager.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalSecret {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Source store, keys and target Secret.
    pub spec: ExternalSecretSpec,
}
custom_resource!(
    ExternalSecret,
    "external-secrets.io",
    "v1",
    "ExternalSecret",
    "externalsecrets",
    NamespaceResourceScope
);

/// Spec of an [`ExternalSecret`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    /// How often the secret is re-read (`1h`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
    /// The store to read from.
    pub secret_store_ref: SecretStoreRef,
    /// The Secret to write.
    pub target: ExternalSecretTarget,
    /// Individual keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<ExternalSecretData>,
    /// Whole remote secrets whose JSON keys become Secret keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_from: Vec<ExternalSecretDataFrom>,
}

/// Reference to a [`SecretStore`] or [`ClusterSecretStore`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecretStoreRef {
    /// Store name.
    pub name: String,
    /// `SecretStore` or `ClusterSecretStore`.
    pub kind: String,
}

/// The Kubernetes Secret an [`ExternalSecret`] writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretTarget {
    /// Secret name.
    pub name: String,
    /// `Owner` (deleted with the ExternalSecret), `Orphan`, `Merge`, `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_policy: Option<String>,
}

/// One Secret key read from one remote key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretData {
    /// Key in the Kubernetes Secret.
    pub secret_key: String,
    /// Where the value comes from.
    pub remote_ref: RemoteRef,
}

/// A remote secret, and optionally one JSON property of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RemoteRef {
    /// Remote secret name or ARN (empty: written at deploy time from a Terraform
    /// output, and left out until then).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// JSON property inside the remote secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
}

/// Reads every property of a remote JSON secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExternalSecretDataFrom {
    /// The remote secret to extract.
    pub extract: RemoteRef,
}

/// A namespaced secret store: where ExternalSecrets in its namespace read from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SecretStore {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Provider and authentication.
    pub spec: SecretStoreSpec,
}
custom_resource!(
    SecretStore,
    "external-secrets.io",
    "v1",
    "SecretStore",
    "secretstores",
    NamespaceResourceScope
);

/// A cluster-wide secret store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterSecretStore {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Provider and authentication.
    pub spec: SecretStoreSpec,
}
custom_resource!(
    ClusterSecretStore,
    "external-secrets.io",
    "v1",
    "ClusterSecretStore",
    "clustersecretstores",
    ClusterResourceScope
);

/// Spec of a [`SecretStore`] or [`ClusterSecretStore`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecretStoreSpec {
    /// Namespaces allowed to use a ClusterSecretStore (empty: every namespace).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<StoreCondition>,
    /// The secret manager.
    pub provider: SecretStoreProvider,
}

/// Which namespaces may read through a ClusterSecretStore.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StoreCondition {
    /// Namespace names.
    pub namespaces: Vec<String>,
}

/// Supported providers (AWS only for now).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecretStoreProvider {
    /// AWS Secrets Manager or Parameter Store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsProvider>,
}

/// AWS provider settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AwsProvider {
    /// `SecretsManager` or `ParameterStore`.
    pub service: String,
    /// AWS region.
    pub region: String,
    /// Authentication; IRSA through a ServiceAccount token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<AwsAuth>,
}

/// AWS authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AwsAuth {
    /// Web identity through a ServiceAccount (IRSA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwt: Option<AwsJwtAuth>,
}

/// IRSA authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsJwtAuth {
    /// The ServiceAccount whose role is assumed.
    pub service_account_ref: ServiceAccountRef,
}

/// Reference to a ServiceAccount.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceAccountRef {
    /// ServiceAccount name.
    pub name: String,
    /// Namespace (only for ClusterSecretStore).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}
