//! `WebApp`: an HTTP service with everything production needs around it.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::common::{self, Allowed, Rollout};
use super::workload::{Workload, DEPLOYMENT_POD_SPEC};
use crate::crd::{Endpoint, ServiceMonitor, ServiceMonitorSpec};
use crate::labels;
use terrane_core::construct::Construct;

use crate::manifests::Manifests;
use crate::pod::{Health, PodBuilder, PodTemplate, Spread};

/// The cert-manager annotation naming the issuer of an Ingress's certificate.
pub const CLUSTER_ISSUER_ANNOTATION: &str = "cert-manager.io/cluster-issuer";

/// An HTTP application: Deployment, Service, ServiceAccount, HPA, PDB, VPA,
/// NetworkPolicy, Ingress (when it has a host) and ServiceMonitor.
///
/// Defaults: HPA 2-10 at 70% CPU and 80% memory; probes on `/health`; 250m/256Mi
/// requested, 1 CPU/512Mi limit; non-root, read-only root filesystem, no capabilities,
/// seccomp `RuntimeDefault`; replicas spread across zones; PDB allows one pod down.
///
/// ```
/// use terrane_k8s::{Construct, Manifests, PodBuilder, TfValue, WebApp};
/// let mut m = Manifests::new("shop", "shop");
/// WebApp::new("api", "registry.example.com/api:1.4.2")
///     .port(8000)
///     .replicas(3, 20)
///     .host("api.example.com")
///     .allow_from("web")
///     .irsa_role(TfValue::output("services", "api_role_arn"))
///     .add_to(&mut m);
/// assert_eq!(m.bridge_uses().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WebApp {
    name: String,
    namespace: Option<String>,
    component: String,
    pod: PodTemplate,
    min_replicas: i32,
    max_replicas: i32,
    cpu_target: i32,
    memory_target: i32,
    host: Option<String>,
    paths: Vec<String>,
    allow_from: Vec<String>,
    cluster_issuer: String,
    rate_limit_rps: u32,
    rate_limit_rpm: Option<u32>,
    pdb_min_available: Option<i32>,
    metrics_path: String,
}

impl WebApp {
    /// Application `name` running `image` (tagged; `latest` is not reproducible).
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            component: "api".into(),
            pod: PodTemplate::new(image, Some(8000), Health::Http("/health".into())),
            min_replicas: 2,
            max_replicas: 10,
            cpu_target: 70,
            memory_target: 80,
            host: None,
            paths: vec!["/".into()],
            allow_from: Vec::new(),
            cluster_issuer: "letsencrypt-prod".into(),
            rate_limit_rps: 20,
            rate_limit_rpm: None,
            pdb_min_available: None,
            metrics_path: "/metrics".into(),
        }
    }

    /// Namespace, instead of the manifests' default.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The `app.kubernetes.io/component` label (default `api`).
    pub fn component(mut self, component: impl Into<String>) -> Self {
        self.component = component.into();
        self
    }

    /// Container port, named `http` (default 8000).
    pub fn port(mut self, port: i32) -> Self {
        self.pod.port = Some(port);
        self
    }

    /// HPA range.
    pub fn replicas(mut self, min: i32, max: i32) -> Self {
        self.min_replicas = min;
        self.max_replicas = max;
        self
    }

    /// HPA average CPU utilization target, percent of requests.
    pub fn cpu_target(mut self, percent: i32) -> Self {
        self.cpu_target = percent;
        self
    }

    /// HPA average memory utilization target, percent of requests.
    pub fn memory_target(mut self, percent: i32) -> Self {
        self.memory_target = percent;
        self
    }

    /// Public host: adds an Ingress with a cert-manager certificate.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Ingress paths (default `/`).
    pub fn paths<I: IntoIterator<Item = S>, S: Into<String>>(mut self, paths: I) -> Self {
        self.paths = paths.into_iter().map(Into::into).collect();
        self
    }

    /// Lets pods of application `app` (same namespace) reach this one.
    pub fn allow_from(mut self, app: impl Into<String>) -> Self {
        self.allow_from.push(app.into());
        self
    }

    /// cert-manager ClusterIssuer (default `letsencrypt-prod`).
    pub fn cluster_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.cluster_issuer = issuer.into();
        self
    }

    /// nginx requests per second per client IP (default 20).
    pub fn rate_limit(mut self, rps: u32) -> Self {
        self.rate_limit_rps = rps;
        self
    }

    /// nginx requests per minute per client IP (default none), beside the per-second
    /// limit: a per-user quota such as 100 requests a minute, bursts allowed up to the
    /// burst multiplier.
    pub fn rate_limit_per_minute(mut self, rpm: u32) -> Self {
        self.rate_limit_rpm = Some(rpm);
        self
    }

    /// PDB `minAvailable` instead of the default `maxUnavailable: 1`.
    pub fn min_available(mut self, n: i32) -> Self {
        self.pdb_min_available = Some(n);
        self
    }

    /// Health probe path (default `/health`).
    pub fn health_path(mut self, path: impl Into<String>) -> Self {
        self.pod.health = Health::Http(path.into());
        self
    }
}

impl PodBuilder for WebApp {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl WebApp {
    /// The Ingress of `host`: TLS from cert-manager, rate limits, HTTPS redirect.
    pub(super) fn ingress(&self, meta: ObjectMeta, host: &str) -> Ingress {
        let name = self.name.as_str();
        let mut ingress_meta = meta;
        let rps = self.rate_limit_rps.to_string();
        let mut annotations = BTreeMap::from([
            (
                CLUSTER_ISSUER_ANNOTATION.to_string(),
                self.cluster_issuer.clone(),
            ),
            ("nginx.ingress.kubernetes.io/limit-rps".to_string(), rps),
            (
                "nginx.ingress.kubernetes.io/limit-burst-multiplier".to_string(),
                "5".to_string(),
            ),
            (
                "nginx.ingress.kubernetes.io/limit-connections".to_string(),
                (self.rate_limit_rps * 2).to_string(),
            ),
            (
                "nginx.ingress.kubernetes.io/ssl-redirect".to_string(),
                "true".to_string(),
            ),
        ]);
        if let Some(rpm) = self.rate_limit_rpm {
            annotations.insert(
                "nginx.ingress.kubernetes.io/limit-rpm".to_string(),
                rpm.to_string(),
            );
        }
        ingress_meta.annotations = Some(annotations);
        Ingress {
            metadata: ingress_meta,
            spec: Some(IngressSpec {
                ingress_class_name: Some("nginx".into()),
                tls: Some(vec![IngressTLS {
                    hosts: Some(vec![host.to_string()]),
                    secret_name: Some(format!("{name}-tls")),
                }]),
                rules: Some(vec![IngressRule {
                    host: Some(host.to_string()),
                    http: Some(HTTPIngressRuleValue {
                        paths: self
                            .paths
                            .iter()
                            .map(|p| HTTPIngressPath {
                                path: Some(p.clone()),
                                path_type: "Prefix".into(),
                                backend: IngressBackend {
                                    service: Some(IngressServiceBackend {
                                        name: name.to_string(),
                                        port: Some(ServiceBackendPort {
                                            name: Some("http".into()),
                                            number: None,
                                        }),
                                    }),
                                    resource: None,
                                },
                            })
                            .collect(),
                    }),
                }]),
                ..Default::default()
            }),
            status: None,
        }
    }

    /// An Ingress of `host` for the metrics path alone that ingress-nginx answers
    /// with 403 for every client: the path more specific than the app's, metrics stay
    /// inside the cluster (Prometheus scrapes the Service directly).
    pub(super) fn metrics_deny_ingress(&self, meta: ObjectMeta, host: &str) -> Ingress {
        let mut ingress = self.ingress(meta, host);
        ingress.metadata.annotations = Some(BTreeMap::from([(
            "nginx.ingress.kubernetes.io/denylist-source-range".to_string(),
            "0.0.0.0/0,::/0".to_string(),
        )]));
        if let Some(spec) = ingress.spec.as_mut() {
            // The app's Ingress holds the certificate for the host.
            spec.tls = None;
            for rule in spec.rules.iter_mut().flatten() {
                for http in rule.http.iter_mut() {
                    http.paths.truncate(1);
                    for p in &mut http.paths {
                        p.path = Some(self.metrics_path.clone());
                    }
                }
            }
        }
        ingress
    }

    /// The ServiceMonitor Prometheus scrapes the pods' metrics path through.
    fn service_monitor(
        &self,
        meta: ObjectMeta,
        selector: &BTreeMap<String, String>,
    ) -> ServiceMonitor {
        ServiceMonitor {
            metadata: meta,
            spec: ServiceMonitorSpec {
                job_label: Some(labels::NAME.into()),
                selector: common::selector(selector),
                namespace_selector: None,
                endpoints: vec![Endpoint {
                    port: "http".into(),
                    path: Some(self.metrics_path.clone()),
                    interval: Some("30s".into()),
                    scrape_timeout: Some("10s".into()),
                }],
            },
        }
    }
}

impl Construct<Manifests> for WebApp {
    type Handle = ();

    /// Adds the construct's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, self.namespace.as_deref(), &self.component);
        w.declare_identity(m, &self.pod, "Deployment", DEPLOYMENT_POD_SPEC);
        let template = self.pod.to_k8s(
            w.name,
            w.versioned_labels(&self.pod.image),
            &w.selector,
            Spread::AcrossZones,
        );
        m.push(w.deployment(None, Rollout::RollingUpdate, template));
        m.push(common::http_service(w.meta.clone(), &w.selector));
        m.push(common::hpa(
            w.meta.clone(),
            "Deployment",
            w.name,
            self.min_replicas,
            self.max_replicas,
            vec![
                common::resource_metric("cpu", self.cpu_target),
                common::resource_metric("memory", self.memory_target),
            ],
        ));
        m.push(common::pdb(
            w.meta.clone(),
            &w.selector,
            self.pdb_min_available,
        ));
        m.push(common::vpa(w.meta.clone(), "Deployment", w.name));
        m.push(common::app_network_policy(
            w.meta.clone(),
            &w.selector,
            Some("http"),
            &Allowed {
                ingress_controller: self.host.is_some(),
                monitoring: true,
                apps: self.allow_from.clone(),
            },
        ));

        if let Some(host) = &self.host {
            m.push(self.ingress(w.meta.clone(), host));
            let mut deny = w.meta.clone();
            deny.name = Some(format!("{}-metrics-deny", w.name));
            m.push(self.metrics_deny_ingress(deny, host));
        }
        let monitor_meta = m.monitor_meta(w.name, &w.namespace, &w.labels);
        m.push(self.service_monitor(monitor_meta, &w.selector));
    }
}
