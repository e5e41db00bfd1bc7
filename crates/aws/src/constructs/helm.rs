//! Helm releases of the cluster's platform services (monitoring, logs, ingress,
//! certificates, secrets, telemetry), with typed values rendered to YAML by
//! terraform's `yamlencode`, and the helm provider configured for the cluster.

use terrane_core::{func, Expr, Stack, Tree, Value};

use super::eks::EksClusterHandle;
use crate::helm::{
    HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec, Release, ReleaseRef,
};

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

/// The platform services of a cluster as helm releases.
///
/// Defaults: the helm provider authenticates with `aws eks get-token` against the
/// given cluster; each release goes to its own namespace (created), is atomic (rolled
/// back on failure), waits for readiness and keeps 5 revisions.
///
/// ```
/// use terrane_aws::constructs::{HelmChart, HelmReleases};
/// # use terrane_aws::constructs::EksCluster;
/// # use terrane_core::{Expr, Stack};
/// # let mut c = Stack::new("cluster");
/// # let eks = EksCluster::new("prod", vec![Expr::<String>::raw("var.a").into()], Expr::<String>::raw("var.k")).build(&mut c);
/// let mut platform = Stack::new("platform");
/// HelmReleases::new(&eks)
///     .chart(HelmChart::cert_manager())
///     .chart(HelmChart::ingress_nginx(3))
///     .build(&mut platform);
/// ```
#[derive(Debug, Clone)]
pub struct HelmReleases {
    endpoint: Expr<String>,
    ca: Expr<String>,
    cluster_name: Expr<String>,
    charts: Vec<HelmChart>,
}

impl HelmReleases {
    /// Releases on `cluster`.
    pub fn new(cluster: &EksClusterHandle) -> Self {
        HelmReleases {
            endpoint: cluster.endpoint(),
            ca: cluster.certificate_authority_data(),
            cluster_name: cluster.name(),
            charts: Vec::new(),
        }
    }
    /// Adds a chart.
    pub fn chart(mut self, c: HelmChart) -> Self {
        self.charts.push(c);
        self
    }

    /// Declares the helm provider and the releases.
    pub fn build(self, stack: &mut Stack) -> Vec<ReleaseRef> {
        let ca: Expr<String> = func::call_fn("base64decode", vec![self.ca.node().clone()]);
        stack.provider(
            HelmProvider::new().kubernetes(Value::Lit(
                HelmProviderKubernetes::new()
                    .host(self.endpoint.clone())
                    .cluster_ca_certificate(ca)
                    .exec(Value::Lit(
                        HelmProviderKubernetesExec::new(
                            "client.authentication.k8s.io/v1beta1",
                            "aws",
                        )
                        .args(vec![
                            Value::from("eks"),
                            Value::from("get-token"),
                            Value::from("--cluster-name"),
                            Value::from(self.cluster_name.clone()),
                        ]),
                    )),
            )),
        );
        self.charts
            .into_iter()
            .map(|c| {
                let values: Expr<String> =
                    func::call_fn("yamlencode", vec![c.values.clone().into_node()]);
                stack.add(
                    &super::ident(&c.release),
                    Release::new(c.chart.as_str(), c.release.as_str())
                        .repository(c.repository.as_str())
                        .version(c.version.as_str())
                        .namespace(c.namespace.as_str())
                        .create_namespace(true)
                        .atomic(true)
                        .wait(true)
                        .max_history(5)
                        .timeout(900)
                        .values(vec![values]),
                )
            })
            .collect()
    }
}
