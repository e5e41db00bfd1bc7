//! Prometheus exporters run beside the platform (PostgreSQL, Redis, blackbox), each
//! scraped through a ServiceMonitor, and blackbox probes of public endpoints.

use std::collections::BTreeMap;

use terrane_core::construct::Construct;

use super::common::{self, Allowed, Rollout};
use super::workload::{Workload, DEPLOYMENT_POD_SPEC};
use crate::crd::{
    Endpoint, Probe, ProbeSpec, ProbeTargets, ProberSpec, ServiceMonitor, ServiceMonitorSpec,
    StaticProbeTargets,
};
use crate::labels;
use crate::manifests::Manifests;
use crate::pod::{Health, PodBuilder, PodTemplate, Resources, Spread};

/// One exporter: a single-replica Deployment serving `/metrics` on `port`, its
/// Service, a ServiceMonitor Prometheus selects (`job` = the exporter's name) and a
/// NetworkPolicy letting only the monitoring namespace in.
///
/// ```
/// use terrane_k8s::{Construct, Exporter, Manifests, PodBuilder};
/// let mut m = Manifests::new("shop", "shop");
/// Exporter::new("redis-exporter", "oliver006/redis_exporter:v1.67.0", 9121).env("REDIS_ADDR", "redis://redis:6379").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/monitoring.yaml"].contains("kind: ServiceMonitor"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Exporter {
    name: String,
    pod: PodTemplate,
}

impl Exporter {
    /// Exporter `name` running `image`, serving metrics on `port`; 50m/64Mi
    /// requested, 200m/128Mi limit.
    pub fn new(name: impl Into<String>, image: impl Into<String>, port: i32) -> Self {
        let mut pod = PodTemplate::new(image, Some(port), Health::Http("/".into()));
        pod.resources = Resources::requests("50m", "64Mi").limits("200m", "128Mi");
        Self {
            name: name.into(),
            pod,
        }
    }

    /// Health probe path (default `/`).
    pub fn health_path(mut self, path: impl Into<String>) -> Self {
        self.pod.health = Health::Http(path.into());
        self
    }
}

impl PodBuilder for Exporter {
    fn pod_template(&mut self) -> &mut PodTemplate {
        &mut self.pod
    }
}

impl Construct<Manifests> for Exporter {
    type Handle = ();

    /// Adds the exporter's objects (and the Terraform values they read) to `m`.
    fn add_to(self, m: &mut Manifests) {
        let w = Workload::new(m, &self.name, None, "exporter");
        w.declare_identity(m, &self.pod, "Deployment", DEPLOYMENT_POD_SPEC);
        let template = self.pod.to_k8s(
            w.name,
            w.versioned_labels(&self.pod.image),
            &w.selector,
            Spread::Anywhere,
        );
        m.push(w.deployment(Some(1), Rollout::RollingUpdate, template));
        m.push(common::http_service(w.meta.clone(), &w.selector));
        m.push(common::app_network_policy(
            w.meta.clone(),
            &w.selector,
            Some("http"),
            &Allowed {
                monitoring: true,
                ..Default::default()
            },
        ));
        m.push(ServiceMonitor {
            metadata: m.monitor_meta(w.name, &w.namespace, &w.labels),
            spec: ServiceMonitorSpec {
                job_label: Some(labels::NAME.into()),
                selector: common::selector(&w.selector),
                namespace_selector: None,
                endpoints: vec![Endpoint {
                    port: "http".into(),
                    path: Some("/metrics".into()),
                    interval: Some("30s".into()),
                    scrape_timeout: Some("10s".into()),
                }],
            },
        });
    }
}

/// Probes of URLs through a blackbox exporter (a Probe object Prometheus selects):
/// series `probe_success`, `probe_duration_seconds`, `probe_ssl_earliest_cert_expiry`
/// with `job=<name>`.
///
/// ```
/// use terrane_k8s::{BlackboxProbe, Construct, Manifests};
/// let mut m = Manifests::new("shop", "shop");
/// BlackboxProbe::new("public-endpoints", "blackbox-exporter").target("https://api.example.com/health").add_to(&mut m);
/// assert!(m.render("t").unwrap()["base/monitoring.yaml"].contains("kind: Probe"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlackboxProbe {
    name: String,
    prober_service: String,
    module: String,
    targets: Vec<String>,
}

impl BlackboxProbe {
    /// Probes `name` through the blackbox exporter behind Service `prober_service`
    /// (same namespace, port 80), module `http_2xx`.
    pub fn new(name: impl Into<String>, prober_service: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            prober_service: prober_service.into(),
            module: "http_2xx".into(),
            targets: Vec::new(),
        }
    }

    /// A URL to probe.
    pub fn target(mut self, url: impl Into<String>) -> Self {
        self.targets.push(url.into());
        self
    }
}

impl Construct<Manifests> for BlackboxProbe {
    type Handle = ();

    /// Adds the Probe to `m`.
    fn add_to(self, m: &mut Manifests) {
        let ns = m.namespace().to_string();
        let l = m.app_labels(&self.name, "monitoring");
        m.push(Probe {
            metadata: m.monitor_meta(&self.name, &ns, &l),
            spec: ProbeSpec {
                job_name: self.name.clone(),
                interval: "60s".into(),
                module: self.module,
                prober: ProberSpec {
                    url: format!("{}.{ns}.svc:80", self.prober_service),
                    path: "/probe".into(),
                },
                targets: ProbeTargets {
                    static_config: StaticProbeTargets {
                        targets: self.targets,
                        labels: BTreeMap::new(),
                    },
                },
            },
        });
    }
}
