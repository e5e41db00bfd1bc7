//! Facts the coherence rules compare a target with, each with its source: which
//! CRDs a chart version installs, which API groups Kubernetes serves itself, how
//! many GPUs an instance type has.

mod charts;
mod gpu;

pub(crate) use charts::CHARTS;
pub(crate) use gpu::{gpus_per_instance, is_gpu_family};

/// One CustomResourceDefinition a chart installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CrdFact {
    /// API group (`monitoring.coreos.com`).
    pub group: &'static str,
    /// Kind (`ServiceMonitor`).
    pub kind: &'static str,
    /// Plural (`servicemonitors`): the CRD's name is `<plural>.<group>`.
    pub plural: &'static str,
    /// Versions with `served: true`.
    pub served: &'static [&'static str],
    /// The CRD file at the chart's release tag.
    pub source: &'static str,
}

/// Whether a release of the chart installs its CRDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CrdSwitch {
    /// Always: the CRDs are in the chart's `crds/` folder (or it has none).
    Always,
    /// When any of these values is true; each defaults to `default`.
    Values {
        any_of: &'static [&'static str],
        default: bool,
    },
}

/// What terrane knows of one chart version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChartFacts {
    pub chart: &'static str,
    pub version: &'static str,
    /// The chart repository, for messages that say what to install.
    pub repository: &'static str,
    /// The chart's `Chart.yaml` (or folder) at the release tag: the fact's citation.
    #[allow(dead_code)]
    pub source: &'static str,
    pub crd_switch: CrdSwitch,
    pub crds: &'static [CrdFact],
}

/// The facts of `chart` at `version` (a leading `v` is not significant).
pub(crate) fn chart(chart: &str, version: &str) -> Option<&'static ChartFacts> {
    let bare = |v: &str| v.trim_start_matches('v').to_string();
    CHARTS
        .iter()
        .find(|c| c.chart == chart && bare(c.version) == bare(version))
}

/// The versions of `chart` terrane has facts for.
pub(crate) fn known_versions(chart: &str) -> Vec<&'static str> {
    CHARTS
        .iter()
        .filter(|c| c.chart == chart)
        .map(|c| c.version)
        .collect()
}

/// API groups the Kubernetes 1.35 API server serves itself: an object of any
/// other group needs a CRD (or an aggregated API).
/// Source: <https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.35/>.
pub(crate) const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];
