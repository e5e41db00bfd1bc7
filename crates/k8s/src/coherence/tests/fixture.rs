//! A small EKS platform for the coherence tests: a cluster stack (cluster, a
//! general and a GPU node group, add-ons), a platform stack (Helm releases) and
//! manifests in namespace `shop`, each part changeable by a test.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, ExternalMetricSource, HorizontalPodAutoscaler,
    HorizontalPodAutoscalerSpec, MetricIdentifier, MetricSpec, MetricTarget, ResourceMetricSource,
};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{
    Container, Namespace, PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSpec,
    PodTemplateSpec, ResourceQuota, ResourceQuotaSpec, ResourceRequirements, SecurityContext,
    Service, ServicePort, ServiceSpec, Toleration,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, NetworkPolicy, NetworkPolicySpec, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::Value;
use terrane_core::{func, App, Error, Expr, GenericResource, RequiredProvider, Stack, Tree};

use crate::crd::{
    ExternalSecret, PrometheusRule, ServiceMonitor, TargetRef, VerticalPodAutoscaler,
    VerticalPodAutoscalerSpec,
};
use crate::{Manifests, Object};

/// One `helm_release` of the platform stack; values as YAML.
#[derive(Clone)]
pub struct Release {
    pub chart: &'static str,
    pub version: &'static str,
    pub namespace: &'static str,
    pub values: &'static str,
}

/// One managed node group.
#[derive(Clone)]
pub struct Group {
    pub name: &'static str,
    pub instance_types: Vec<&'static str>,
    pub labels: Vec<(&'static str, &'static str)>,
    pub taint: Option<(&'static str, &'static str)>,
    pub max: u32,
}

/// The whole platform; [`Spec::good`] passes every rule.
#[derive(Clone)]
pub struct Spec {
    pub releases: Vec<Release>,
    pub node_groups: Vec<Group>,
    pub vpc_cni: Option<&'static str>,
    pub ebs_csi: Option<&'static str>,
    pub gpu_node_selector: (&'static str, &'static str),
    pub gpu_toleration: bool,
    pub gpu_hpa_max: i32,
    pub api_hpa_max: i32,
    pub monitor_labels: Vec<(&'static str, &'static str)>,
    /// `nvidia.com/gpu` of the GPU pod.
    pub gpu_per_pod: &'static str,
    /// No cluster stack at all (a target deploying onto a cluster managed elsewhere).
    pub no_cluster: bool,
    /// Secrets Manager secrets of the platform stack: name, and whether a version fills it.
    pub remote_secrets: Vec<(&'static str, bool)>,
    extra: Vec<Object>,
}

fn rel(
    chart: &'static str,
    version: &'static str,
    namespace: &'static str,
    values: &'static str,
) -> Release {
    Release {
        chart,
        version,
        namespace,
        values,
    }
}

impl Spec {
    pub fn good() -> Spec {
        Spec {
            releases: vec![
                rel("kube-prometheus-stack", "88.5.3", "monitoring", "prometheus:\n  prometheusSpec:\n    storageSpec: {volumeClaimTemplate: {spec: {storageClassName: gp3}}}\n"),
                rel("external-secrets", "2.9.0", "external-secrets", "{}"),
                rel("cert-manager", "v1.21.1", "cert-manager", "crds: {enabled: true}"),
                rel("ingress-nginx", "4.15.1", "ingress-nginx", "{}"),
                rel("metrics-server", "3.13.1", "kube-system", "{}"),
                rel("prometheus-adapter", "5.3.0", "monitoring", "prometheus: {url: 'http://kube-prometheus-stack-prometheus.monitoring.svc'}\nrules:\n  external:\n  - seriesQuery: 'celery_queue_length{queue!=\"\"}'\n    metricsQuery: 'sum(<<.Series>>)'\n"),
                rel("vertical-pod-autoscaler", "0.11.0", "kube-system", "{}"),
                rel("nvidia-device-plugin", "0.20.0", "kube-system", "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n      - matchExpressions: [{key: accelerator, operator: In, values: [nvidia]}]\n"),
            ],
            node_groups: vec![
                Group { name: "general", instance_types: vec!["m6i.xlarge"], labels: vec![], taint: None, max: 9 },
                Group {
                    name: "gpu",
                    instance_types: vec!["g5.xlarge", "g5.2xlarge"],
                    labels: vec![("accelerator", "nvidia")],
                    taint: Some(("nvidia.com/gpu", "true")),
                    max: 5,
                },
            ],
            vpc_cni: Some("{\"enableNetworkPolicy\":\"true\"}"),
            ebs_csi: Some("{\"storageClasses\":[{\"name\":\"gp3\",\"parameters\":{\"type\":\"gp3\"}}]}"),
            gpu_node_selector: ("accelerator", "nvidia"),
            gpu_toleration: true,
            gpu_hpa_max: 5,
            api_hpa_max: 10,
            monitor_labels: vec![("release", "kube-prometheus-stack")],
            no_cluster: false,
            remote_secrets: Vec::new(),
            gpu_per_pod: "1",
            extra: Vec::new(),
        }
    }

    /// The release of `chart`.
    pub fn release(&mut self, chart: &str) -> &mut Release {
        let Some(r) = self.releases.iter_mut().find(|r| r.chart == chart) else {
            panic!("no release {chart}");
        };
        r
    }

    /// Removes the release of `chart`.
    pub fn drop_release(&mut self, chart: &str) {
        self.releases.retain(|r| r.chart != chart);
    }

    /// Labels of the ServiceMonitor and PrometheusRule.
    pub fn set_monitor_labels(&mut self, labels: &[(&'static str, &'static str)]) {
        self.monitor_labels = labels.to_vec();
    }

    /// Objects added to the manifests.
    pub fn manifests_mut(&mut self) -> &mut Vec<Object> {
        &mut self.extra
    }
}

/// Synthesizes the platform and returns every diagnostic (errors and warnings).
pub fn run(spec: Spec) -> Vec<String> {
    let mut app = App::new();
    app.target("t", "test", move |t| {
        if !spec.no_cluster {
            t.add_stack(cluster(&spec));
        }
        t.add_stack(platform(&spec));
        t.add_files(manifests(&spec));
    });
    match app.synth("t") {
        Ok(s) => s.warnings.iter().map(|d| d.to_string()).collect(),
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => vec![format!("other error: {e}")],
    }
}

fn aws() -> RequiredProvider {
    RequiredProvider::new("aws", "hashicorp/aws", "5.100.0")
}

fn tree(v: &Value) -> Tree {
    match v {
        Value::Null => Tree::Null,
        Value::Bool(b) => Tree::from(*b),
        Value::Number(n) => Tree::from(n.as_f64().unwrap_or_default()),
        Value::String(s) => Tree::from(s.as_str()),
        Value::Array(a) => Tree::list(a.iter().map(tree)),
        Value::Object(m) => Tree::object(m.iter().map(|(k, v)| (k.clone(), tree(v)))),
    }
}

fn cluster(spec: &Spec) -> Stack {
    let mut s = Stack::new("cluster");
    let eks = s.add(
        "main",
        GenericResource::new("aws_eks_cluster")
            .provider(aws())
            .arg("name", "shop")
            .arg("role_arn", "arn:aws:iam::1:role/eks")
            .arg(
                "vpc_config",
                Tree::object([("subnet_ids", Tree::list([Tree::from("subnet-1")]))]),
            ),
    );
    for g in &spec.node_groups {
        let labels = Tree::object(
            g.labels
                .iter()
                .map(|(k, v)| (k.to_string(), Tree::from(*v))),
        );
        let mut r = GenericResource::new("aws_eks_node_group")
            .provider(aws())
            .arg("cluster_name", eks.attr::<String>("name"))
            .arg("node_group_name", g.name)
            .arg("node_role_arn", "arn:aws:iam::1:role/nodes")
            .arg("subnet_ids", Tree::list([Tree::from("subnet-1")]))
            .arg(
                "instance_types",
                Tree::list(g.instance_types.iter().map(|t| Tree::from(*t))),
            )
            .arg("labels", labels)
            .arg(
                "scaling_config",
                Tree::object([
                    ("desired_size", Tree::from(0)),
                    ("max_size", Tree::from(g.max)),
                    ("min_size", Tree::from(0)),
                ]),
            );
        if let Some((k, v)) = g.taint {
            r = r.arg(
                "taint",
                Tree::list([Tree::object([
                    ("effect", Tree::from("NO_SCHEDULE")),
                    ("key", Tree::from(k)),
                    ("value", Tree::from(v)),
                ])]),
            );
        }
        s.add(g.name, r);
    }
    for (name, config) in [
        ("vpc-cni", spec.vpc_cni),
        ("aws-ebs-csi-driver", spec.ebs_csi),
    ] {
        let mut a = GenericResource::new("aws_eks_addon")
            .provider(aws())
            .arg("addon_name", name)
            .arg("cluster_name", eks.attr::<String>("name"));
        if let Some(c) = config {
            a = a.arg("configuration_values", c);
        }
        s.add(&name.replace('-', "_"), a);
    }
    s
}

fn platform(spec: &Spec) -> Stack {
    let helm = RequiredProvider::new("helm", "hashicorp/helm", "3.1.1");
    let mut s = Stack::new("platform");
    for r in &spec.releases {
        let parsed: Value = serde_norway::from_str(r.values).unwrap_or(Value::Null);
        let values: Expr<String> = func::call_fn("yamlencode", vec![tree(&parsed).into_node()]);
        s.add(
            &r.chart.replace('-', "_"),
            GenericResource::new("helm_release")
                .provider(helm.clone())
                .arg("name", r.chart)
                .arg("chart", r.chart)
                .arg("version", r.version)
                .arg("namespace", r.namespace)
                .arg("values", Tree::list([Tree::from(values)])),
        );
    }
    for (name, filled) in &spec.remote_secrets {
        let block = name.replace('/', "_");
        let secret = s.add(
            &block,
            GenericResource::new("aws_secretsmanager_secret")
                .provider(aws())
                .arg("name", *name),
        );
        if *filled {
            s.add(
                &block,
                GenericResource::new("aws_secretsmanager_secret_version")
                    .provider(aws())
                    .arg("secret_id", secret.attr::<String>("id"))
                    .arg("secret_string_wo", "x"),
            );
        }
    }
    s
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: Some("shop".into()),
        ..Default::default()
    }
}

fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

fn pod(name: &str, cpu: &str, memory: &str, gpus: Option<&str>) -> PodSpec {
    let mut limits = vec![("cpu", "2"), ("memory", "8Gi")];
    limits.extend(gpus.map(|g| ("nvidia.com/gpu", g)));
    PodSpec {
        containers: vec![Container {
            name: name.into(),
            image: Some("registry.example.com/shop/app:1.0.0".into()),
            resources: Some(ResourceRequirements {
                requests: Some(quantities(&[("cpu", cpu), ("memory", memory)])),
                limits: Some(quantities(&limits)),
                ..Default::default()
            }),
            security_context: Some(SecurityContext {
                run_as_non_root: Some(true),
                run_as_user: Some(10001),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn deployment(name: &str, spec: PodSpec) -> Deployment {
    let l = labels(&[("app", name)]);
    Deployment {
        metadata: meta(name),
        spec: Some(DeploymentSpec {
            replicas: Some(1),
            selector: LabelSelector {
                match_labels: l.clone(),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: l,
                    ..Default::default()
                }),
                spec: Some(spec),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn hpa(name: &str, max: i32, metric: MetricSpec) -> HorizontalPodAutoscaler {
    HorizontalPodAutoscaler {
        metadata: meta(name),
        spec: Some(HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some("apps/v1".into()),
                kind: "Deployment".into(),
                name: name.into(),
            },
            min_replicas: Some(1),
            max_replicas: max,
            metrics: Some(vec![metric]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn cpu_metric() -> MetricSpec {
    MetricSpec {
        type_: "Resource".into(),
        resource: Some(ResourceMetricSource {
            name: "cpu".into(),
            target: MetricTarget {
                type_: "Utilization".into(),
                average_utilization: Some(70),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

fn queue_metric() -> MetricSpec {
    MetricSpec {
        type_: "External".into(),
        external: Some(ExternalMetricSource {
            metric: MetricIdentifier {
                name: "celery_queue_length".into(),
                ..Default::default()
            },
            target: MetricTarget {
                type_: "AverageValue".into(),
                average_value: Some(Quantity("30".into())),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

fn ingress(name: &str) -> Ingress {
    Ingress {
        metadata: meta(name),
        spec: Some(IngressSpec {
            ingress_class_name: Some("nginx".into()),
            rules: Some(vec![IngressRule {
                host: Some(format!("{name}.example.com")),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".into()),
                        path_type: "Prefix".into(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: "api".into(),
                                port: Some(ServiceBackendPort {
                                    number: Some(80),
                                    ..Default::default()
                                }),
                            }),
                            ..Default::default()
                        },
                    }],
                }),
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// An Ingress naming a ClusterIssuer the target does not create.
pub fn issued_ingress() -> Object {
    let mut i = ingress("docs");
    i.metadata.annotations = labels(&[("cert-manager.io/cluster-issuer", "letsencrypt-prod")]);
    i.into()
}

/// A CronJob with a PriorityClass the target does not create.
pub fn priority_job() -> Object {
    let mut spec = pod("report", "100m", "128Mi", None);
    spec.priority_class_name = Some("batch-low".into());
    spec.restart_policy = Some("OnFailure".into());
    CronJob {
        metadata: meta("report"),
        spec: Some(CronJobSpec {
            schedule: "0 3 * * *".into(),
            job_template: JobTemplateSpec {
                spec: Some(JobSpec {
                    template: PodTemplateSpec {
                        metadata: None,
                        spec: Some(spec),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }),
        ..Default::default()
    }
    .into()
}

fn workloads(spec: &Spec, m: &mut Manifests) {
    m.push(deployment("api", pod("api", "500m", "512Mi", None)));
    m.push(hpa("api", spec.api_hpa_max, cpu_metric()));
    m.push(deployment("worker", pod("worker", "250m", "256Mi", None)));
    m.push(hpa("worker", 10, queue_metric()));
    let mut gpu = pod("gpu", "1", "4Gi", Some(spec.gpu_per_pod));
    gpu.node_selector = labels(&[spec.gpu_node_selector]);
    if spec.gpu_toleration {
        gpu.tolerations = Some(vec![Toleration {
            key: Some("nvidia.com/gpu".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]);
    }
    m.push(deployment("gpu", gpu));
    m.push(hpa("gpu", spec.gpu_hpa_max, cpu_metric()));
    let l = labels(&[("app", "db")]);
    m.push(StatefulSet {
        metadata: meta("db"),
        spec: Some(StatefulSetSpec {
            replicas: Some(1),
            service_name: Some("db".into()),
            selector: LabelSelector {
                match_labels: l.clone(),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: l,
                    ..Default::default()
                }),
                spec: Some(pod("db", "500m", "1Gi", None)),
            },
            volume_claim_templates: Some(vec![PersistentVolumeClaim {
                metadata: ObjectMeta {
                    name: Some("data".into()),
                    ..Default::default()
                },
                spec: Some(PersistentVolumeClaimSpec {
                    storage_class_name: Some("gp3".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    });
}

fn manifests(spec: &Spec) -> Manifests {
    let mut m = Manifests::new("shop", "shop");
    m.push(Namespace {
        metadata: ObjectMeta {
            name: Some("shop".into()),
            ..Default::default()
        },
        ..Default::default()
    });
    m.push(ResourceQuota {
        metadata: meta("quota"),
        spec: Some(ResourceQuotaSpec {
            hard: Some(quantities(&[
                ("requests.cpu", "20"),
                ("requests.memory", "40Gi"),
                ("requests.nvidia.com/gpu", "5"),
                ("pods", "50"),
            ])),
            ..Default::default()
        }),
        ..Default::default()
    });
    workloads(spec, &mut m);
    m.push(Service {
        metadata: meta("api"),
        spec: Some(ServiceSpec {
            selector: labels(&[("app", "api")]),
            ports: Some(vec![ServicePort {
                port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    });
    m.push(ingress("api"));
    let monitor_labels = labels(&spec.monitor_labels);
    m.push(ServiceMonitor {
        metadata: ObjectMeta {
            labels: monitor_labels.clone(),
            ..meta("api")
        },
        ..Default::default()
    });
    m.push(PrometheusRule {
        metadata: ObjectMeta {
            labels: monitor_labels,
            ..meta("shop-alerts")
        },
        ..Default::default()
    });
    m.push(ExternalSecret {
        metadata: meta("api-env"),
        ..Default::default()
    });
    m.push(VerticalPodAutoscaler {
        metadata: meta("api"),
        spec: VerticalPodAutoscalerSpec {
            target_ref: TargetRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: "api".into(),
            },
            ..Default::default()
        },
    });
    m.push(NetworkPolicy {
        metadata: meta("default-deny"),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector::default()),
            ..Default::default()
        }),
    });
    for o in &spec.extra {
        m.push(o.clone());
    }
    m
}

/// An Ingress of class `nginx` with hosts `public.example.com` and `shop.example.org`
/// asking external-dns for their records.
pub fn dns_ingress() -> Object {
    let mut i = ingress("public");
    i.metadata.annotations = labels(&[(
        "external-dns.alpha.kubernetes.io/hostname",
        "public.example.com,shop.example.org",
    )]);
    i.into()
}

/// An ExternalSecret making Secret `grafana-admin` (keys `admin-user`,
/// `admin-password`) from `shop/grafana`, and the rest of `shop/api` as keys.
pub fn operator_external_secret() -> Object {
    use crate::crd::{
        ExternalSecretData, ExternalSecretDataFrom, ExternalSecretSpec, ExternalSecretTarget,
        RemoteRef,
    };
    let data = |key: &str, property: &str| ExternalSecretData {
        secret_key: key.into(),
        remote_ref: RemoteRef {
            key: "shop/grafana".into(),
            property: Some(property.into()),
        },
    };
    ExternalSecret {
        metadata: meta("grafana"),
        spec: ExternalSecretSpec {
            target: ExternalSecretTarget {
                name: "grafana-admin".into(),
                ..Default::default()
            },
            data: vec![
                data("admin-user", "user"),
                data("admin-password", "password"),
            ],
            data_from: vec![ExternalSecretDataFrom {
                extract: RemoteRef {
                    key: "shop/api".into(),
                    ..Default::default()
                },
            }],
            ..Default::default()
        },
    }
    .into()
}
