//! `HelmChart`: the platform services of a cluster (monitoring, logs, ingress,
//! certificates, secrets, telemetry) as charts with typed values.

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
}

fn obj<const N: usize>(pairs: [(&str, Tree); N]) -> Tree {
    Tree::object(pairs)
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
        }
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

    /// kube-prometheus-stack: Prometheus keeping `retention_days` of metrics on a
    /// `storage_gib` GiB gp3 volume, Alertmanager and Grafana.
    pub fn kube_prometheus_stack(retention_days: u32, storage_gib: u32) -> Self {
        let values = obj([
            (
                "prometheus",
                obj([(
                    "prometheusSpec",
                    obj([
                        ("retention", Tree::from(format!("{retention_days}d"))),
                        (
                            "storageSpec",
                            obj([(
                                "volumeClaimTemplate",
                                obj([(
                                    "spec",
                                    obj([
                                        ("storageClassName", Tree::from("gp3")),
                                        ("accessModes", Tree::list([Tree::from("ReadWriteOnce")])),
                                        (
                                            "resources",
                                            obj([(
                                                "requests",
                                                obj([(
                                                    "storage",
                                                    Tree::from(format!("{storage_gib}Gi")),
                                                )]),
                                            )]),
                                        ),
                                    ]),
                                )]),
                            )]),
                        ),
                    ]),
                )]),
            ),
            ("alertmanager", obj([("enabled", Tree::from(true))])),
            ("grafana", obj([("enabled", Tree::from(true))])),
        ]);
        Self::new(
            "kube-prometheus-stack",
            "https://prometheus-community.github.io/helm-charts",
            "kube-prometheus-stack",
            "65.1.1",
            "monitoring",
            values,
        )
    }

    /// Loki storing chunks in an S3 bucket of `region`, through an IRSA role.
    pub fn loki(
        bucket: impl Into<Value<String>>,
        region: &str,
        role_arn: impl Into<Value<String>>,
    ) -> Self {
        let bucket: Value<String> = bucket.into();
        let values = obj([
            ("deploymentMode", Tree::from("SimpleScalable")),
            (
                "loki",
                obj([
                    ("auth_enabled", Tree::from(false)),
                    (
                        "storage",
                        obj([
                            ("type", Tree::from("s3")),
                            (
                                "bucketNames",
                                obj([
                                    ("chunks", Tree::from(bucket.clone())),
                                    ("ruler", Tree::from(bucket.clone())),
                                    ("admin", Tree::from(bucket)),
                                ]),
                            ),
                            ("s3", obj([("region", Tree::from(region))])),
                        ]),
                    ),
                    (
                        "schemaConfig",
                        obj([(
                            "configs",
                            Tree::list([obj([
                                ("from", Tree::from("2024-04-01")),
                                ("store", Tree::from("tsdb")),
                                ("object_store", Tree::from("s3")),
                                ("schema", Tree::from("v13")),
                                (
                                    "index",
                                    obj([
                                        ("prefix", Tree::from("index_")),
                                        ("period", Tree::from("24h")),
                                    ]),
                                ),
                            ])]),
                        )]),
                    ),
                ]),
            ),
            (
                "serviceAccount",
                irsa_service_account("loki", role_arn.into()),
            ),
        ]);
        Self::new(
            "loki",
            "https://grafana.github.io/helm-charts",
            "loki",
            "6.16.0",
            "logging",
            values,
        )
    }

    /// ingress-nginx behind an internet-facing Network Load Balancer, `replicas` controllers.
    pub fn ingress_nginx(replicas: u32) -> Self {
        let values = obj([(
            "controller",
            obj([
                ("replicaCount", Tree::from(replicas)),
                (
                    "service",
                    obj([(
                        "annotations",
                        obj([
                            (
                                "service.beta.kubernetes.io/aws-load-balancer-type",
                                Tree::from("external"),
                            ),
                            (
                                "service.beta.kubernetes.io/aws-load-balancer-scheme",
                                Tree::from("internet-facing"),
                            ),
                            (
                                "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
                                Tree::from("ip"),
                            ),
                        ]),
                    )]),
                ),
                ("metrics", obj([("enabled", Tree::from(true))])),
            ]),
        )]);
        Self::new(
            "ingress-nginx",
            "https://kubernetes.github.io/ingress-nginx",
            "ingress-nginx",
            "4.11.3",
            "ingress-nginx",
            values,
        )
    }

    /// cert-manager with its CRDs.
    pub fn cert_manager() -> Self {
        let values = obj([("crds", obj([("enabled", Tree::from(true))]))]);
        Self::new(
            "cert-manager",
            "https://charts.jetstack.io",
            "cert-manager",
            "v1.16.1",
            "cert-manager",
            values,
        )
    }

    /// external-secrets, reading Secrets Manager through an IRSA role.
    pub fn external_secrets(role_arn: impl Into<Value<String>>) -> Self {
        let values = obj([
            ("installCRDs", Tree::from(true)),
            (
                "serviceAccount",
                irsa_service_account("external-secrets", role_arn.into()),
            ),
        ]);
        Self::new(
            "external-secrets",
            "https://charts.external-secrets.io",
            "external-secrets",
            "0.10.4",
            "external-secrets",
            values,
        )
    }

    /// The OpenTelemetry collector as a DaemonSet, exporting to the cluster's Prometheus and Loki.
    pub fn otel_collector() -> Self {
        let values = obj([
            ("mode", Tree::from("daemonset")),
            (
                "image",
                obj([("repository", Tree::from("otel/opentelemetry-collector-k8s"))]),
            ),
            (
                "presets",
                obj([
                    ("kubernetesAttributes", obj([("enabled", Tree::from(true))])),
                    ("logsCollection", obj([("enabled", Tree::from(true))])),
                ]),
            ),
        ]);
        Self::new(
            "opentelemetry-collector",
            "https://open-telemetry.github.io/opentelemetry-helm-charts",
            "opentelemetry-collector",
            "0.108.0",
            "observability",
            values,
        )
    }
}
