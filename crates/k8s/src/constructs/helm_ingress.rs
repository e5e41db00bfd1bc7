//! `HelmServiceIngress`: a TLS Ingress, optionally behind basic auth, to a Service a
//! Helm release creates (Grafana, Prometheus).

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use terrane_core::construct::Construct;

use super::web_app::CLUSTER_ISSUER_ANNOTATION;
use crate::manifests::Manifests;

/// An Ingress `name` in `namespace` for `host` to Service `service` (port name
/// `port`) of a Helm release: certificate from a cert-manager ClusterIssuer, HTTPS
/// only, and with [`HelmServiceIngress::basic_auth`] an htpasswd check by
/// ingress-nginx. The Service is declared external, so the Ingress check accepts it.
///
/// ```
/// use terrane_k8s::{Construct, HelmServiceIngress, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// HelmServiceIngress::new("prometheus", "monitoring", "prometheus.example.com", "kube-prometheus-stack-prometheus", "http-web")
///     .basic_auth("prometheus-basic-auth")
///     .add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/ingress.yaml"].contains("auth-type: basic"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmServiceIngress {
    name: String,
    namespace: String,
    host: String,
    service: String,
    port: String,
    cluster_issuer: String,
    auth_secret: Option<String>,
}

impl HelmServiceIngress {
    /// Ingress `name` in `namespace` routing `host` to `service` port `port`; issuer
    /// `letsencrypt-prod`.
    pub fn new(
        name: impl Into<String>,
        namespace: impl Into<String>,
        host: impl Into<String>,
        service: impl Into<String>,
        port: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            namespace: namespace.into(),
            host: host.into(),
            service: service.into(),
            port: port.into(),
            cluster_issuer: "letsencrypt-prod".into(),
            auth_secret: None,
        }
    }

    /// Basic auth against Secret `secret` (key `auth`, htpasswd lines) in the Ingress's
    /// namespace.
    pub fn basic_auth(mut self, secret: impl Into<String>) -> Self {
        self.auth_secret = Some(secret.into());
        self
    }
}

impl Construct<Manifests> for HelmServiceIngress {
    type Handle = ();

    /// Adds the Ingress and declares the Helm release's Service.
    fn add_to(self, m: &mut Manifests) {
        m.external_service(&self.namespace, &self.service, &self.port);
        let l = m.app_labels(&self.name, "ingress");
        let mut meta = m.meta(&self.name, &self.namespace, &l);
        let mut annotations = BTreeMap::from([
            (CLUSTER_ISSUER_ANNOTATION.to_string(), self.cluster_issuer),
            (
                "nginx.ingress.kubernetes.io/ssl-redirect".to_string(),
                "true".to_string(),
            ),
        ]);
        if let Some(secret) = self.auth_secret {
            for (k, v) in [
                ("auth-type", "basic".to_string()),
                ("auth-secret", secret),
                (
                    "auth-realm",
                    format!("{} (authentication required)", self.name),
                ),
            ] {
                annotations.insert(format!("nginx.ingress.kubernetes.io/{k}"), v);
            }
        }
        meta.annotations = Some(annotations);
        m.push(Ingress {
            metadata: meta,
            spec: Some(IngressSpec {
                ingress_class_name: Some("nginx".into()),
                tls: Some(vec![IngressTLS {
                    hosts: Some(vec![self.host.clone()]),
                    secret_name: Some(format!("{}-tls", self.name)),
                }]),
                rules: Some(vec![IngressRule {
                    host: Some(self.host),
                    http: Some(HTTPIngressRuleValue {
                        paths: vec![HTTPIngressPath {
                            path: Some("/".into()),
                            path_type: "Prefix".into(),
                            backend: named_port_backend(self.service, self.port),
                        }],
                    }),
                }]),
                ..Default::default()
            }),
            status: None,
        });
    }
}

/// An Ingress backend: Service `service`, port named `port`.
pub(super) fn named_port_backend(service: String, port: String) -> IngressBackend {
    IngressBackend {
        service: Some(IngressServiceBackend {
            name: service,
            port: Some(ServiceBackendPort {
                name: Some(port),
                number: None,
            }),
        }),
        resource: None,
    }
}
