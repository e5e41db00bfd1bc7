//! The prometheus-operator Probe: targets probed through a prober (blackbox exporter).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::NamespaceResourceScope;
use serde::Serialize;

use super::custom_resource;

/// Static targets Prometheus probes through a prober.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probe {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Prober, module and targets.
    pub spec: ProbeSpec,
}
custom_resource!(
    Probe,
    "monitoring.coreos.com",
    "v1",
    "Probe",
    "probes",
    NamespaceResourceScope
);

/// Spec of a [`Probe`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeSpec {
    /// The `job` label of the probe's series.
    pub job_name: String,
    /// Probe interval (`30s`).
    pub interval: String,
    /// The prober's module (`http_2xx`).
    pub module: String,
    /// Where the prober listens.
    pub prober: ProberSpec,
    /// What is probed.
    pub targets: ProbeTargets,
}

/// The prober's address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProberSpec {
    /// `host:port` of the prober.
    pub url: String,
    /// HTTP path of probes (`/probe`).
    pub path: String,
}

/// Probe targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeTargets {
    /// A fixed list of URLs.
    pub static_config: StaticProbeTargets,
}

/// A fixed list of targets and labels added to their series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StaticProbeTargets {
    /// URLs probed.
    #[serde(rename = "static")]
    pub targets: Vec<String>,
    /// Labels added to every series.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}
