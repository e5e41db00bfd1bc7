//! Cluster objects workloads name and nothing else creates: the ACME ClusterIssuer
//! of their certificates and the encrypted `gp3` StorageClass of their volumes.

use std::collections::BTreeMap;

use k8s_openapi::api::storage::v1::StorageClass as K8sStorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use terrane_core::construct::Construct;

use crate::crd::{
    AcmeIssuer, AcmeSolver, ClusterIssuer as K8sClusterIssuer, Http01Ingress, Http01Solver,
    IssuerKeyRef, IssuerSpec,
};
use crate::manifests::Manifests;

/// Let's Encrypt's production ACME directory.
pub const LETSENCRYPT_PRODUCTION: &str = "https://acme-v02.api.letsencrypt.org/directory";

fn cluster_meta(m: &Manifests, name: &str, component: &str) -> ObjectMeta {
    let l = m.app_labels(name, component);
    ObjectMeta {
        name: Some(name.into()),
        labels: Some(l.all()),
        ..Default::default()
    }
}

/// A cert-manager ClusterIssuer: an ACME account solving HTTP-01 challenges through
/// an IngressClass.
///
/// ```
/// use terrane_k8s::{ClusterIssuer, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// ClusterIssuer::letsencrypt("letsencrypt-prod", "ops@example.com", "nginx").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/cluster.yaml"].contains("kind: ClusterIssuer"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterIssuer {
    name: String,
    server: String,
    email: String,
    ingress_class: String,
}

impl ClusterIssuer {
    /// Issuer `name` on Let's Encrypt production, account contact `email`, HTTP-01
    /// through IngressClass `ingress_class`.
    pub fn letsencrypt(
        name: impl Into<String>,
        email: impl Into<String>,
        ingress_class: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            server: LETSENCRYPT_PRODUCTION.into(),
            email: email.into(),
            ingress_class: ingress_class.into(),
        }
    }

    /// Another ACME directory (Let's Encrypt staging, for trying things out).
    pub fn server(mut self, url: impl Into<String>) -> Self {
        self.server = url.into();
        self
    }
}

impl Construct<Manifests> for ClusterIssuer {
    type Handle = ();

    /// Adds the construct's objects to `m`.
    fn add_to(self, m: &mut Manifests) {
        let metadata = cluster_meta(m, &self.name, "certificates");
        m.push(K8sClusterIssuer {
            metadata,
            spec: IssuerSpec {
                acme: AcmeIssuer {
                    server: self.server,
                    email: self.email,
                    private_key_secret_ref: IssuerKeyRef {
                        name: format!("{}-account-key", self.name),
                    },
                    solvers: vec![AcmeSolver {
                        http01: Http01Solver {
                            ingress: Http01Ingress {
                                ingress_class_name: self.ingress_class,
                            },
                        },
                    }],
                },
            },
        });
    }
}

/// An EBS StorageClass: `gp3` volumes through the EBS CSI driver (`ebs.csi.aws.com`),
/// encrypted, bound when a pod is scheduled (so the volume is in the pod's zone),
/// expandable, deleted with their claim.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, StorageClass};
/// let mut m = Manifests::new("shop", "shop");
/// StorageClass::gp3("gp3").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/cluster.yaml"].contains("provisioner: ebs.csi.aws.com"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageClass {
    name: String,
    default_class: bool,
}

impl StorageClass {
    /// StorageClass `name` of encrypted gp3 EBS volumes.
    pub fn gp3(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            default_class: false,
        }
    }

    /// Also the cluster's default StorageClass (claims that name none get it).
    pub fn default_class(mut self) -> Self {
        self.default_class = true;
        self
    }
}

impl Construct<Manifests> for StorageClass {
    type Handle = ();

    /// Adds the construct's objects to `m`.
    fn add_to(self, m: &mut Manifests) {
        let mut metadata = cluster_meta(m, &self.name, "storage");
        if self.default_class {
            metadata.annotations = Some(BTreeMap::from([(
                "storageclass.kubernetes.io/is-default-class".to_string(),
                "true".to_string(),
            )]));
        }
        m.push(K8sStorageClass {
            metadata,
            provisioner: "ebs.csi.aws.com".into(),
            parameters: Some(BTreeMap::from([
                ("type".to_string(), "gp3".to_string()),
                ("encrypted".to_string(), "true".to_string()),
            ])),
            reclaim_policy: Some("Delete".into()),
            volume_binding_mode: Some("WaitForFirstConsumer".into()),
            allow_volume_expansion: Some(true),
            ..Default::default()
        });
    }
}
