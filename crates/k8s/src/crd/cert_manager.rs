//! cert-manager: the ClusterIssuer an Ingress's `cert-manager.io/cluster-issuer`
//! annotation names (ACME with HTTP-01 solved through an IngressClass).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::ClusterResourceScope;
use serde::Serialize;

use super::custom_resource;

/// A cluster-wide certificate issuer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterIssuer {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// The issuer's configuration.
    pub spec: IssuerSpec,
}
custom_resource!(
    ClusterIssuer,
    "cert-manager.io",
    "v1",
    "ClusterIssuer",
    "clusterissuers",
    ClusterResourceScope
);

/// Spec of a [`ClusterIssuer`]: ACME only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IssuerSpec {
    /// An ACME (Let's Encrypt) account.
    pub acme: AcmeIssuer,
}

/// An ACME account and how it solves challenges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcmeIssuer {
    /// ACME directory URL.
    pub server: String,
    /// Account contact, for expiry notices.
    pub email: String,
    /// Secret holding the account's private key (created by cert-manager).
    pub private_key_secret_ref: IssuerKeyRef,
    /// Challenge solvers.
    pub solvers: Vec<AcmeSolver>,
}

/// Name of the Secret of the ACME account key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IssuerKeyRef {
    /// Secret name, in cert-manager's namespace.
    pub name: String,
}

/// One challenge solver.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AcmeSolver {
    /// HTTP-01 through an ingress controller.
    pub http01: Http01Solver,
}

/// HTTP-01 solver settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Http01Solver {
    /// The Ingress cert-manager creates for the challenge.
    pub ingress: Http01Ingress,
}

/// The IngressClass the challenge Ingress uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Http01Ingress {
    /// IngressClass name (`nginx`).
    pub ingress_class_name: String,
}
