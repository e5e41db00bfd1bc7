//! `HelmChart`: the platform services of a cluster (monitoring, logs, ingress,
//! certificates, secrets, telemetry, autoscaling) as charts with typed values.
//! Versions and value keys are those of docs/facts/charts.toml and each chart's values.yaml.

mod cloudwatch;
mod cluster;
mod observability;

pub use cloudwatch::CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT;
pub use observability::{LokiSize, PROMETHEUS_URL};

use terrane_core::{Tree, Value};

/// One chart to install: where it comes from and its values.
#[derive(Debug, Clone)]
pub struct HelmChart {
    release: String,
    repository: String,
    chart: String,
    version: String,
    namespace: String,
    values: Tree,
    after: Vec<String>,
    wait: bool,
}

fn obj<const N: usize>(pairs: [(&'static str, Tree); N]) -> Tree {
    Tree::object(pairs)
}

fn list<const N: usize>(items: [Tree; N]) -> Tree {
    Tree::list(items)
}

/// A toleration of the GPU node groups' `nvidia.com/gpu=true:NoSchedule` taint.
fn gpu_toleration() -> Tree {
    obj([
        ("key", Tree::from("nvidia.com/gpu")),
        ("operator", Tree::from("Exists")),
        ("effect", Tree::from("NoSchedule")),
    ])
}

/// A required node affinity to nodes labelled `key` = `value`.
fn require_node_label(key: &str, value: &str) -> Tree {
    obj([(
        "nodeAffinity",
        obj([(
            "requiredDuringSchedulingIgnoredDuringExecution",
            obj([(
                "nodeSelectorTerms",
                list([obj([(
                    "matchExpressions",
                    list([obj([
                        ("key", Tree::from(key)),
                        ("operator", Tree::from("In")),
                        ("values", list([Tree::from(value)])),
                    ])]),
                )])]),
            )]),
        )]),
    )])
}

/// A PersistentVolumeClaim spec on the `gp3` StorageClass.
fn gp3_claim(size_gib: u32) -> Tree {
    obj([
        ("storageClassName", Tree::from("gp3")),
        ("accessModes", list([Tree::from("ReadWriteOnce")])),
        (
            "resources",
            obj([(
                "requests",
                obj([("storage", Tree::from(format!("{size_gib}Gi")))]),
            )]),
        ),
    ])
}

fn irsa_service_account(name: &str, role_arn: Value<String>) -> Tree {
    obj([
        ("create", Tree::from(true)),
        ("name", Tree::from(name)),
        (
            "annotations",
            obj([("eks.amazonaws.com/role-arn", Tree::from(role_arn))]),
        ),
    ])
}

impl HelmChart {
    /// A chart with values given as a tree.
    pub fn new(
        release: &str,
        repository: &str,
        chart: &str,
        version: &str,
        namespace: &str,
        values: Tree,
    ) -> Self {
        HelmChart {
            release: release.into(),
            repository: repository.into(),
            chart: chart.into(),
            version: version.into(),
            namespace: namespace.into(),
            values,
            after: Vec::new(),
            wait: true,
        }
    }

    /// Installs this release only once `release` is installed (its CRDs, webhooks or
    /// the controller this chart's objects need); `release` must be added before.
    pub fn after(mut self, release: &str) -> Self {
        self.after.push(release.to_string());
        self
    }

    /// The release name (also the block name of its `helm_release`).
    pub fn release(&self) -> &str {
        &self.release
    }
    /// The chart repository URL.
    pub fn repository(&self) -> &str {
        &self.repository
    }
    /// The chart's name in its repository.
    pub fn chart(&self) -> &str {
        &self.chart
    }
    /// The pinned chart version.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// The namespace the release is installed in (created if missing).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
    /// The chart's values.
    pub fn values(&self) -> &Tree {
        &self.values
    }
    /// Helm returns once the objects are created instead of waiting for them to be
    /// ready (and the release is not atomic, which implies waiting): for a release
    /// whose pods need objects applied after the stacks (a Secret made by an
    /// ExternalSecret of the target's manifests).
    pub fn without_waiting(mut self) -> Self {
        self.wait = false;
        self
    }
    /// Whether Helm waits for the release's objects to be ready (default true).
    pub fn waits(&self) -> bool {
        self.wait
    }
    /// The releases this one is installed after.
    pub fn after_releases(&self) -> &[String] {
        &self.after
    }
}
