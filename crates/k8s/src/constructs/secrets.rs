//! Secrets from AWS Secrets Manager through external-secrets: a SecretStore
//! authenticated with IRSA, and ExternalSecrets that materialize Kubernetes Secrets.

use crate::bridge::TfValue;
use crate::crd::ClusterSecretStore;
use crate::crd::{
    AwsAuth, AwsJwtAuth, AwsProvider, ExternalSecret, ExternalSecretData, ExternalSecretDataFrom,
    ExternalSecretSpec, ExternalSecretTarget, RemoteRef, SecretStore, SecretStoreProvider,
    SecretStoreRef, SecretStoreSpec, ServiceAccountRef, StoreCondition,
};
use terrane_core::construct::Construct;

use crate::manifests::Manifests;

/// A namespaced SecretStore reading AWS Secrets Manager as ServiceAccount `name`,
/// whose IAM role (IRSA) comes from Terraform.
///
/// ```
/// use terrane_k8s::{AwsSecretStore, Construct, Manifests, TfValue};
/// let mut m = Manifests::new("shop", "shop");
/// AwsSecretStore::new("aws-secrets", "eu-west-1", TfValue::output("services", "secrets_reader_role_arn")).add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/secrets.yaml"].contains("kind: SecretStore"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AwsSecretStore {
    name: String,
    region: String,
    role: TfValue,
    cluster_namespaces: Vec<String>,
}

impl AwsSecretStore {
    /// Store `name` in `region`, authenticating as `role`.
    pub fn new(
        name: impl Into<String>,
        region: impl Into<String>,
        role: impl Into<TfValue>,
    ) -> Self {
        Self {
            name: name.into(),
            region: region.into(),
            role: role.into(),
            cluster_namespaces: Vec::new(),
        }
    }

    /// A ClusterSecretStore that ExternalSecrets of `namespaces` (only those) read
    /// through, still authenticating as the ServiceAccount in the manifests' namespace
    /// (so one IRSA trust serves them all). Their ExternalSecrets use
    /// [`ExternalSecretEnv::cluster_store`].
    pub fn cluster_wide<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        namespaces: I,
    ) -> Self {
        self.cluster_namespaces = namespaces.into_iter().map(Into::into).collect();
        self
    }
}

impl Construct<Manifests> for AwsSecretStore {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "secrets");
        m.service_account(&self.name, &ns, &l, Some(&self.role));
        let cluster_wide = !self.cluster_namespaces.is_empty();
        let spec = SecretStoreSpec {
            conditions: if cluster_wide {
                vec![StoreCondition {
                    namespaces: self.cluster_namespaces.clone(),
                }]
            } else {
                Vec::new()
            },
            provider: SecretStoreProvider {
                aws: Some(AwsProvider {
                    service: "SecretsManager".into(),
                    region: self.region.clone(),
                    auth: Some(AwsAuth {
                        jwt: Some(AwsJwtAuth {
                            service_account_ref: ServiceAccountRef {
                                name: self.name.clone(),
                                namespace: cluster_wide.then(|| ns.clone()),
                            },
                        }),
                    }),
                }),
            },
        };
        if cluster_wide {
            let mut metadata = m.meta(&self.name, &ns, &l);
            metadata.namespace = None;
            m.push(ClusterSecretStore { metadata, spec });
        } else {
            m.push(SecretStore {
                metadata: m.meta(&self.name, &ns, &l),
                spec,
            });
        }
    }
}

/// An ExternalSecret writing Secret `name` from a SecretStore: either every JSON
/// property of one remote secret, or chosen keys.
///
/// ```
/// use terrane_k8s::{Construct, ExternalSecretEnv, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// ExternalSecretEnv::new("api-env", "aws-secrets").extract("shop/api").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/secrets.yaml"].contains("kind: ExternalSecret"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalSecretEnv {
    name: String,
    namespace: Option<String>,
    store: String,
    store_kind: &'static str,
    extract: Vec<String>,
    keys: Vec<(String, String, Option<String>)>,
    /// Keys whose remote secret is a Terraform value (an ARN): `(key, ARN, property)`.
    terraform_keys: Vec<(String, TfValue, Option<String>)>,
    refresh: String,
}

impl ExternalSecretEnv {
    /// Secret `name`, read through SecretStore `store`.
    pub fn new(name: impl Into<String>, store: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            store: store.into(),
            store_kind: "SecretStore",
            extract: Vec::new(),
            terraform_keys: Vec::new(),
            keys: Vec::new(),
            refresh: "1h".into(),
        }
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Reads through the ClusterSecretStore `store` names (see [`AwsSecretStore::cluster_wide`]).
    pub fn cluster_store(mut self) -> Self {
        self.store_kind = "ClusterSecretStore";
        self
    }

    /// Every JSON property of remote secret `remote` becomes a key.
    pub fn extract(mut self, remote: impl Into<String>) -> Self {
        self.extract.push(remote.into());
        self
    }

    /// Key `secret_key` from property `property` of remote secret `remote`.
    pub fn key(
        mut self,
        secret_key: impl Into<String>,
        remote: impl Into<String>,
        property: impl Into<String>,
    ) -> Self {
        self.keys
            .push((secret_key.into(), remote.into(), Some(property.into())));
        self
    }

    /// Key `secret_key` from remote secret `remote`, a Terraform value (the ARN of a
    /// secret whose name Terraform does not choose, as RDS's managed master secret):
    /// property `property` of it, or its whole value with `None`. The ARN is written
    /// at deploy time like every other Terraform value.
    pub fn key_from_terraform(
        mut self,
        secret_key: impl Into<String>,
        remote: impl Into<TfValue>,
        property: Option<&str>,
    ) -> Self {
        self.terraform_keys.push((
            secret_key.into(),
            remote.into(),
            property.map(str::to_string),
        ));
        self
    }
}

impl Construct<Manifests> for ExternalSecretEnv {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = self
            .namespace
            .clone()
            .unwrap_or_else(|| m.namespace().to_string());
        let l = m.app_labels(&self.name, "secrets");
        let mut keys = self.keys.clone();
        for (key, arn, property) in &self.terraform_keys {
            m.bridge(
                arn.clone(),
                "ExternalSecret",
                &ns,
                &self.name,
                format!("spec.data.[secretKey={key}].remoteRef.key"),
            );
            keys.push((key.clone(), String::new(), property.clone()));
        }
        m.push(ExternalSecret {
            metadata: m.meta(&self.name, &ns, &l),
            spec: ExternalSecretSpec {
                refresh_interval: Some(self.refresh.clone()),
                secret_store_ref: SecretStoreRef {
                    name: self.store.clone(),
                    kind: self.store_kind.into(),
                },
                target: ExternalSecretTarget {
                    name: self.name.clone(),
                    creation_policy: Some("Owner".into()),
                },
                data: keys
                    .iter()
                    .map(|(k, remote, property)| ExternalSecretData {
                        secret_key: k.clone(),
                        remote_ref: RemoteRef {
                            key: remote.clone(),
                            property: property.clone(),
                        },
                    })
                    .collect(),
                data_from: self
                    .extract
                    .iter()
                    .map(|r| ExternalSecretDataFrom {
                        extract: RemoteRef {
                            key: r.clone(),
                            property: None,
                        },
                    })
                    .collect(),
            },
        });
    }
}
