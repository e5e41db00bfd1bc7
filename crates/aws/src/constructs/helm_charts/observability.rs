//! The observability charts: kube-prometheus-stack (Prometheus, Alertmanager, Grafana),
//! Loki with Alloy shipping pod logs to it, Tempo fed by the OpenTelemetry collector,
//! and prometheus-adapter serving Prometheus series as external metrics.

use terrane_core::{Tree, Value};

use super::{gp3_claim, irsa_service_account, list, obj, HelmChart};

/// Where kube-prometheus-stack's Prometheus answers inside the cluster (its Service
/// `<release>-prometheus` in `monitoring`, port 9090).
pub const PROMETHEUS_URL: &str = "http://kube-prometheus-stack-prometheus.monitoring.svc";
/// Loki's gateway Service (release `loki` in `logging`): the push and query endpoint.
const LOKI_URL: &str = "http://loki-gateway.logging.svc.cluster.local";
/// Tempo's Service (release `tempo` in `monitoring`): query on 3200, OTLP gRPC on 4317.
const TEMPO_HOST: &str = "tempo.monitoring.svc.cluster.local";

/// How much memory Loki's memcached caches may take, so they fit the nodes they run on.
///
/// The 6.16 chart's defaults (8192 MB chunks cache, 1024 MB results cache) make the
/// chunks-cache pod request round(8192 x 1.2) = 9830 MiB: more than a node with 8 GiB has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LokiSize {
    /// `chunksCache.allocatedMemory`, MB (the pod requests 1.2 times this).
    pub chunks_cache_mb: u32,
    /// `resultsCache.allocatedMemory`, MB.
    pub results_cache_mb: u32,
    /// Days of logs kept: `limits_config.retention_period`, applied by the compactor
    /// (which deletes expired chunks from the bucket; an S3 lifecycle expiration instead
    /// would delete chunks Loki's index still references).
    pub retention_days: u32,
}

impl HelmChart {
    /// kube-prometheus-stack 88.5.3: Prometheus keeping `retention_days` of metrics on a
    /// `storage_gib` GiB `gp3` volume, Alertmanager, and Grafana with its admin from the
    /// Secret `grafana-admin` (keys `admin-user`, `admin-password`) and Loki and Tempo
    /// as data sources. Monitors and rules are selected by `release: kube-prometheus-stack`
    /// (the chart's default, kept). Helm does not wait for it (see
    /// [`HelmChart::without_waiting`]).
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
                                obj([("spec", gp3_claim(storage_gib))]),
                            )]),
                        ),
                    ]),
                )]),
            ),
            ("alertmanager", obj([("enabled", Tree::from(true))])),
            ("grafana", grafana_values()),
        ]);
        Self::new(
            "kube-prometheus-stack",
            "https://prometheus-community.github.io/helm-charts",
            "kube-prometheus-stack",
            "88.5.3",
            "monitoring",
            values,
        )
        // Grafana starts once the manifests' ExternalSecret has made `grafana-admin`,
        // which is applied after the stacks: waiting here would time out the apply.
        .without_waiting()
        .after("external-secrets")
    }

    /// Loki 6.16.0 (grafana repository, simple scalable mode) storing chunks, rules and
    /// admin data in its own S3 bucket of `region`, through an IRSA role, its caches
    /// sized by `size`, logs kept `size.retention_days` (the role must be allowed to
    /// delete objects of the bucket, for the compactor).
    pub fn loki(
        bucket: impl Into<Value<String>>,
        region: &str,
        role_arn: impl Into<Value<String>>,
        size: LokiSize,
    ) -> Self {
        let bucket: Value<String> = bucket.into();
        let values = obj([
            ("deploymentMode", Tree::from("SimpleScalable")),
            ("loki", loki_config(bucket, region, size.retention_days)),
            (
                "chunksCache",
                obj([("allocatedMemory", Tree::from(size.chunks_cache_mb))]),
            ),
            (
                "resultsCache",
                obj([("allocatedMemory", Tree::from(size.results_cache_mb))]),
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

    /// Grafana Alloy 1.11.1 as a DaemonSet: each pod tails, through the Kubernetes API,
    /// the logs of the pods on its own node and pushes them to Loki.
    pub fn alloy() -> Self {
        let values = obj([(
            "alloy",
            obj([
                (
                    "configMap",
                    obj([("content", Tree::from(alloy_pod_logs_config()))]),
                ),
                (
                    "extraEnv",
                    list([obj([
                        ("name", Tree::from("NODE_NAME")),
                        (
                            "valueFrom",
                            obj([(
                                "fieldRef",
                                obj([("fieldPath", Tree::from("spec.nodeName"))]),
                            )]),
                        ),
                    ])]),
                ),
            ]),
        )]);
        Self::new(
            "alloy",
            "https://grafana.github.io/helm-charts",
            "alloy",
            "1.11.1",
            "logging",
            values,
        )
        .after("loki")
    }

    /// Tempo 2.2.4 (grafana-community, single binary): the tracing backend, receiving
    /// OTLP and keeping 14 days of traces on a `gp3` volume.
    pub fn tempo(storage_gib: u32) -> Self {
        let values = obj([
            ("tempo", obj([("retention", Tree::from("336h"))])),
            (
                "persistence",
                obj([
                    ("enabled", Tree::from(true)),
                    ("storageClassName", Tree::from("gp3")),
                    ("size", Tree::from(format!("{storage_gib}Gi"))),
                ]),
            ),
        ]);
        Self::new(
            "tempo",
            "https://grafana-community.github.io/helm-charts",
            "tempo",
            "2.2.4",
            "monitoring",
            values,
        )
    }

    /// The OpenTelemetry collector 0.170.0 as a DaemonSet, enriching spans with
    /// Kubernetes attributes and exporting traces to Tempo over OTLP.
    pub fn otel_collector() -> Self {
        let pipeline = obj([
            ("receivers", list([Tree::from("otlp")])),
            (
                "processors",
                list([
                    Tree::from("k8sattributes"),
                    Tree::from("memory_limiter"),
                    Tree::from("batch"),
                ]),
            ),
            ("exporters", list([Tree::from("otlp/tempo")])),
        ]);
        let values = obj([
            ("mode", Tree::from("daemonset")),
            (
                "image",
                obj([("repository", Tree::from("otel/opentelemetry-collector-k8s"))]),
            ),
            (
                "presets",
                obj([("kubernetesAttributes", obj([("enabled", Tree::from(true))]))]),
            ),
            (
                "config",
                obj([
                    (
                        "exporters",
                        obj([(
                            "otlp/tempo",
                            obj([
                                ("endpoint", Tree::from(format!("{TEMPO_HOST}:4317"))),
                                ("tls", obj([("insecure", Tree::from(true))])),
                            ]),
                        )]),
                    ),
                    ("service", obj([("pipelines", obj([("traces", pipeline)]))])),
                ]),
            ),
        ]);
        Self::new(
            "opentelemetry-collector",
            "https://open-telemetry.github.io/opentelemetry-helm-charts",
            "opentelemetry-collector",
            "0.170.0",
            "observability",
            values,
        )
        .after("tempo")
    }

    /// prometheus-adapter 5.3.0 reading kube-prometheus-stack's Prometheus and serving
    /// `metric` (summed by its `labels`, cluster-wide) as an external metric, what an
    /// HPA on a queue's depth asks for.
    pub fn prometheus_adapter(metric: &str, labels: &[&str]) -> Self {
        let by = labels.join(", ");
        let filter = labels
            .iter()
            .map(|l| format!("{l}!=\"\""))
            .collect::<Vec<_>>()
            .join(",");
        let rule = obj([
            ("seriesQuery", Tree::from(format!("{metric}{{{filter}}}"))),
            ("resources", obj([("namespaced", Tree::from(false))])),
            ("name", obj([("as", Tree::from(metric))])),
            (
                "metricsQuery",
                Tree::from(format!("sum(<<.Series>>{{<<.LabelMatchers>>}}) by ({by})")),
            ),
        ]);
        let values = obj([
            (
                "prometheus",
                obj([
                    ("url", Tree::from(PROMETHEUS_URL)),
                    ("port", Tree::from(9090)),
                ]),
            ),
            ("rules", obj([("external", list([rule]))])),
        ]);
        Self::new(
            "prometheus-adapter",
            "https://prometheus-community.github.io/helm-charts",
            "prometheus-adapter",
            "5.3.0",
            "monitoring",
            values,
        )
        .after("kube-prometheus-stack")
    }
}

/// Grafana: admin from the Secret external-secrets makes, Loki and Tempo as data sources.
fn grafana_values() -> Tree {
    let datasource = |name: &str, ty: &str, url: String| {
        obj([
            ("name", Tree::from(name)),
            ("type", Tree::from(ty)),
            ("uid", Tree::from(ty)),
            ("access", Tree::from("proxy")),
            ("url", Tree::from(url)),
        ])
    };
    obj([
        ("enabled", Tree::from(true)),
        (
            "admin",
            obj([
                ("existingSecret", Tree::from("grafana-admin")),
                ("userKey", Tree::from("admin-user")),
                ("passwordKey", Tree::from("admin-password")),
            ]),
        ),
        (
            "additionalDataSources",
            list([
                datasource("Loki", "loki", LOKI_URL.to_string()),
                datasource("Tempo", "tempo", format!("http://{TEMPO_HOST}:3200")),
            ]),
        ),
    ])
}

/// Loki's own configuration: no multi-tenancy, S3 storage, TSDB schema v13.
fn loki_config(bucket: Value<String>, region: &str, retention_days: u32) -> Tree {
    obj([
        ("auth_enabled", Tree::from(false)),
        (
            "limits_config",
            obj([(
                "retention_period",
                Tree::from(format!("{}h", u64::from(retention_days) * 24)),
            )]),
        ),
        (
            "compactor",
            obj([
                ("retention_enabled", Tree::from(true)),
                ("delete_request_store", Tree::from("s3")),
            ]),
        ),
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
                list([obj([
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
    ])
}

/// Alloy's pipeline: the pods of this node (by `NODE_NAME`, so DaemonSet pods do not
/// ship the same logs twice), labelled by namespace, pod and container, to Loki.
fn alloy_pod_logs_config() -> String {
    format!(
        r#"discovery.kubernetes "pods" {{
  role = "pod"
  selectors {{
    role  = "pod"
    field = "spec.nodeName=" + sys.env("NODE_NAME")
  }}
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}}

loki.write "default" {{
  endpoint {{
    url = "{LOKI_URL}/loki/api/v1/push"
  }}
}}
"#
    )
}
