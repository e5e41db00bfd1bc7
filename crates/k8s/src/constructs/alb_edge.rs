//! `AlbEdge`: an internet-facing Application Load Balancer (made by the AWS Load
//! Balancer Controller from an Ingress of class `alb`) in front of ingress-nginx, so
//! a WAFv2 web ACL can guard the public entry: WAF attaches to ALBs, not to NLBs.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{Ingress, IngressSpec, IngressTLS};
use terrane_core::construct::Construct;

use super::helm_ingress::named_port_backend;
use crate::bridge::TfValue;
use crate::manifests::Manifests;

/// The annotation the AWS Load Balancer Controller reads the web ACL from.
pub const WAF_ACL_ANNOTATION: &str = "alb.ingress.kubernetes.io/wafv2-acl-arn";

/// The annotation external-dns reads the host names to publish from (comma-separated).
pub const DNS_HOSTNAME_ANNOTATION: &str = "external-dns.alpha.kubernetes.io/hostname";

/// An Ingress of class `alb` sending every request of `hosts` to Service `service`
/// (port name `port`), the ingress controller that routes them on.
///
/// The ALB: internet-facing, pods as targets (`ip`), HTTP redirected to HTTPS, TLS
/// 1.2+ policy `ELBSecurityPolicy-TLS13-1-2-2021-06`, certificates found in ACM by the
/// hosts (the Load Balancer Controller's certificate discovery), the web ACL given
/// with [`AlbEdge::waf_acl`] (a Terraform value). The controller behind it must trust
/// `X-Forwarded-Proto` (ingress-nginx `use-forwarded-headers`), or its own HTTPS
/// redirects loop.
///
/// ```
/// use terrane_k8s::{AlbEdge, Construct, Manifests, TfValue};
/// let mut m = Manifests::new("shop", "shop");
/// AlbEdge::new("edge", "ingress-nginx", "ingress-nginx-controller", "http")
///     .host("api.example.com")
///     .waf_acl(TfValue::output("cluster", "ingress_waf_acl_arn"))
///     .add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/ingress.yaml"].contains("ingressClassName: alb"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlbEdge {
    name: String,
    namespace: String,
    service: String,
    port: String,
    hosts: Vec<String>,
    waf_acl: Option<TfValue>,
    dns_records: bool,
}

impl AlbEdge {
    /// Ingress `name` in `namespace` to Service `service`, port name `port`.
    pub fn new(
        name: impl Into<String>,
        namespace: impl Into<String>,
        service: impl Into<String>,
        port: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            namespace: namespace.into(),
            service: service.into(),
            port: port.into(),
            hosts: Vec::new(),
            waf_acl: None,
            dns_records: false,
        }
    }
    /// A public host name (its certificate is found in ACM).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.hosts.push(host.into());
        self
    }
    /// Asks external-dns for records of every host pointing at the ALB (the
    /// [`DNS_HOSTNAME_ANNOTATION`]); an external-dns release of the target must watch
    /// Ingresses of class `alb` with a domain filter covering the hosts (rule
    /// `k8s/coherence/dns`).
    pub fn dns_records(mut self) -> Self {
        self.dns_records = true;
        self
    }
    /// The WAFv2 web ACL (regional) the ALB is associated with.
    pub fn waf_acl(mut self, arn: impl Into<TfValue>) -> Self {
        self.waf_acl = Some(arn.into());
        self
    }
}

impl Construct<Manifests> for AlbEdge {
    type Handle = ();

    /// Adds the Ingress, declares the controller's Service and bridges the web ACL.
    fn add_to(self, m: &mut Manifests) {
        m.external_service(&self.namespace, &self.service, &self.port);
        let l = m.app_labels(&self.name, "ingress");
        let mut meta = m.meta(&self.name, &self.namespace, &l);
        let annotations: BTreeMap<String, String> = [
            ("scheme", "internet-facing"),
            ("target-type", "ip"),
            ("listen-ports", r#"[{"HTTP": 80}, {"HTTPS": 443}]"#),
            ("ssl-redirect", "443"),
            ("ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"),
            ("healthcheck-path", "/healthz"),
            (
                "load-balancer-attributes",
                "routing.http.drop_invalid_header_fields.enabled=true",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (format!("alb.ingress.kubernetes.io/{k}"), v.to_string()))
        .collect();
        let mut annotations = annotations;
        if self.dns_records {
            annotations.insert(DNS_HOSTNAME_ANNOTATION.into(), self.hosts.join(","));
        }
        meta.annotations = Some(annotations);
        if let Some(arn) = self.waf_acl {
            m.bridge(
                arn,
                "Ingress",
                &self.namespace,
                &self.name,
                format!("metadata.annotations.[{WAF_ACL_ANNOTATION}]"),
            );
        }
        m.push(Ingress {
            metadata: meta,
            spec: Some(IngressSpec {
                ingress_class_name: Some("alb".into()),
                tls: Some(vec![IngressTLS {
                    hosts: Some(self.hosts),
                    secret_name: None,
                }]),
                default_backend: Some(named_port_backend(self.service, self.port)),
                ..Default::default()
            }),
            status: None,
        });
    }
}
