//! What every workload construct shares: one hardened container, its env,
//! resources, probes and the pod around it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Capabilities, ConfigMapEnvSource, Container, ContainerPort, EmptyDirVolumeSource,
    EnvFromSource, EnvVar, EnvVarSource, ExecAction, HTTPGetAction, PodAffinityTerm,
    PodAntiAffinity, PodSecurityContext, PodSpec, Probe, ResourceRequirements, SeccompProfile,
    SecretEnvSource, SecretKeySelector, SecurityContext, Toleration, TopologySpreadConstraint,
    Volume, VolumeMount, WeightedPodAffinityTerm,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::bridge::TfValue;

/// UID and GID the containers run as: not root, and above 10000 so it maps to no host user.
pub const RUN_AS_USER: i64 = 10001;
/// The label GPU nodes carry (set by the NVIDIA GPU operator / EKS GPU AMIs).
pub const GPU_NODE_LABEL: &str = "nvidia.com/gpu.present";
/// The extended resource a GPU container requests.
pub const GPU_RESOURCE: &str = "nvidia.com/gpu";

/// CPU and memory requests and limits of a container.
///
/// ```
/// use terrane_k8s::Resources;
/// let r = Resources::requests("250m", "256Mi").limits("1", "512Mi");
/// let k = r.to_k8s();
/// assert_eq!(k.limits.unwrap()["memory"].0, "512Mi");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    cpu_request: String,
    memory_request: String,
    limits: Option<(String, String)>,
    extra_limits: BTreeMap<String, String>,
}

impl Resources {
    /// Requests only; without [`Resources::limits`] the container fails the limits check.
    pub fn requests(cpu: impl Into<String>, memory: impl Into<String>) -> Self {
        Self {
            cpu_request: cpu.into(),
            memory_request: memory.into(),
            limits: None,
            extra_limits: BTreeMap::new(),
        }
    }

    /// CPU and memory limits.
    pub fn limits(mut self, cpu: impl Into<String>, memory: impl Into<String>) -> Self {
        self.limits = Some((cpu.into(), memory.into()));
        self
    }

    /// An extended resource limit, such as `nvidia.com/gpu`.
    pub fn extra_limit(mut self, name: impl Into<String>, quantity: impl Into<String>) -> Self {
        self.extra_limits.insert(name.into(), quantity.into());
        self
    }

    /// The Kubernetes form.
    pub fn to_k8s(&self) -> ResourceRequirements {
        let requests = BTreeMap::from([
            ("cpu".to_string(), Quantity(self.cpu_request.clone())),
            ("memory".to_string(), Quantity(self.memory_request.clone())),
        ]);
        let mut limits: BTreeMap<String, Quantity> = BTreeMap::new();
        if let Some((cpu, memory)) = &self.limits {
            limits.insert("cpu".into(), Quantity(cpu.clone()));
            limits.insert("memory".into(), Quantity(memory.clone()));
        }
        for (k, v) in &self.extra_limits {
            limits.insert(k.clone(), Quantity(v.clone()));
        }
        ResourceRequirements {
            requests: Some(requests),
            limits: (!limits.is_empty()).then_some(limits),
            ..Default::default()
        }
    }
}

/// Where an environment variable's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvValue {
    /// A literal; never a secret (the literal-secret check rejects secret-looking ones).
    Literal(String),
    /// A key of a Secret (for example one written by an ExternalSecret).
    SecretKey {
        /// Secret name.
        secret: String,
        /// Key in the Secret.
        key: String,
    },
    /// A Terraform value, substituted by kustomize at deploy time.
    Terraform(TfValue),
}

impl From<&str> for EnvValue {
    fn from(v: &str) -> Self {
        EnvValue::Literal(v.to_string())
    }
}

impl From<String> for EnvValue {
    fn from(v: String) -> Self {
        EnvValue::Literal(v)
    }
}

impl From<TfValue> for EnvValue {
    fn from(v: TfValue) -> Self {
        EnvValue::Terraform(v)
    }
}

impl From<terrane_core::Expr<String>> for EnvValue {
    fn from(v: terrane_core::Expr<String>) -> Self {
        EnvValue::Terraform(TfValue::Expr(v))
    }
}

/// How a container's health is probed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// HTTP GET on a path of the container port.
    Http(String),
    /// A command that exits 0 when healthy.
    Exec(Vec<String>),
}

/// Settings shared by every workload construct; reached through [`PodBuilder`].
#[derive(Debug, Clone, PartialEq)]
pub struct PodSettings {
    pub(crate) image: String,
    pub(crate) command: Vec<String>,
    pub(crate) args: Vec<String>,
    pub(crate) env: BTreeMap<String, EnvValue>,
    pub(crate) env_from_config_maps: Vec<String>,
    pub(crate) env_from_secrets: Vec<String>,
    pub(crate) resources: Resources,
    pub(crate) port: Option<i32>,
    pub(crate) port_name: String,
    pub(crate) probes: bool,
    pub(crate) health: Health,
    pub(crate) gpus: Option<u32>,
    pub(crate) irsa_role: Option<TfValue>,
    pub(crate) run_as_root: bool,
}

impl PodSettings {
    pub(crate) fn new(image: impl Into<String>, port: Option<i32>, health: Health) -> Self {
        Self {
            image: image.into(),
            command: Vec::new(),
            args: Vec::new(),
            env: BTreeMap::new(),
            env_from_config_maps: Vec::new(),
            env_from_secrets: Vec::new(),
            resources: Resources::requests("250m", "256Mi").limits("1", "512Mi"),
            port,
            port_name: "http".into(),
            probes: true,
            health,
            gpus: None,
            irsa_role: None,
            run_as_root: false,
        }
    }

    /// The main container, hardened.
    pub(crate) fn container(&self, name: &str) -> Container {
        let mut resources = self.resources.clone();
        if let Some(n) = self.gpus {
            resources = resources.extra_limit(GPU_RESOURCE, n.to_string());
        }
        let env: Vec<EnvVar> = self
            .env
            .iter()
            .map(|(k, v)| match v {
                EnvValue::Literal(s) => EnvVar {
                    name: k.clone(),
                    value: Some(s.clone()),
                    ..Default::default()
                },
                EnvValue::SecretKey { secret, key } => EnvVar {
                    name: k.clone(),
                    value_from: Some(EnvVarSource {
                        secret_key_ref: Some(SecretKeySelector {
                            name: secret.clone(),
                            key: key.clone(),
                            optional: Some(false),
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                // The value is written by a kustomize replacement (see the crate docs).
                EnvValue::Terraform(_) => EnvVar {
                    name: k.clone(),
                    ..Default::default()
                },
            })
            .collect();
        let env_from: Vec<EnvFromSource> = self
            .env_from_config_maps
            .iter()
            .map(|c| EnvFromSource {
                config_map_ref: Some(ConfigMapEnvSource {
                    name: c.clone(),
                    optional: Some(false),
                }),
                ..Default::default()
            })
            .chain(self.env_from_secrets.iter().map(|s| EnvFromSource {
                secret_ref: Some(SecretEnvSource {
                    name: s.clone(),
                    optional: Some(false),
                }),
                ..Default::default()
            }))
            .collect();
        let (liveness, readiness, startup) = self.probes();
        Container {
            name: name.to_string(),
            image: Some(self.image.clone()),
            image_pull_policy: Some("Always".into()),
            command: (!self.command.is_empty()).then(|| self.command.clone()),
            args: (!self.args.is_empty()).then(|| self.args.clone()),
            ports: self.port.map(|p| {
                vec![ContainerPort {
                    name: Some(self.port_name.clone()),
                    container_port: p,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]
            }),
            env: (!env.is_empty()).then_some(env),
            env_from: (!env_from.is_empty()).then_some(env_from),
            resources: Some(resources.to_k8s()),
            liveness_probe: self.probes.then_some(liveness),
            readiness_probe: self.probes.then_some(readiness),
            startup_probe: startup.filter(|_| self.probes),
            security_context: Some(self.container_security_context()),
            volume_mounts: Some(vec![VolumeMount {
                name: "tmp".into(),
                mount_path: "/tmp".into(),
                ..Default::default()
            }]),
            ..Default::default()
        }
    }

    fn container_security_context(&self) -> SecurityContext {
        SecurityContext {
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                add: None,
            }),
            privileged: Some(false),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(!self.run_as_root),
            run_as_user: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
            run_as_group: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
            seccomp_profile: Some(runtime_default()),
            ..Default::default()
        }
    }

    fn probes(&self) -> (Probe, Probe, Option<Probe>) {
        let handler = |p: &mut Probe| match &self.health {
            Health::Http(path) => {
                p.http_get = Some(HTTPGetAction {
                    path: Some(path.clone()),
                    port: IntOrString::String(self.port_name.clone()),
                    scheme: Some("HTTP".into()),
                    ..Default::default()
                })
            }
            Health::Exec(cmd) => {
                p.exec = Some(ExecAction {
                    command: Some(cmd.clone()),
                })
            }
        };
        let mut liveness = Probe {
            period_seconds: Some(20),
            timeout_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        };
        let mut readiness = Probe {
            period_seconds: Some(10),
            timeout_seconds: Some(5),
            failure_threshold: Some(3),
            ..Default::default()
        };
        handler(&mut liveness);
        handler(&mut readiness);
        // Slow starters (model loading) get up to 5 minutes before liveness applies.
        let startup = matches!(self.health, Health::Http(_)).then(|| {
            let mut p = Probe {
                period_seconds: Some(5),
                failure_threshold: Some(60),
                ..Default::default()
            };
            handler(&mut p);
            p
        });
        (liveness, readiness, startup)
    }

    /// The pod spec around `container`: non-root, seccomp, no token automount, `/tmp` as emptyDir.
    pub(crate) fn pod_spec(
        &self,
        container: Container,
        service_account: &str,
        selector: &BTreeMap<String, String>,
        spread: bool,
    ) -> PodSpec {
        let mut spec = PodSpec {
            service_account_name: Some(service_account.to_string()),
            automount_service_account_token: Some(false),
            security_context: Some(PodSecurityContext {
                run_as_non_root: Some(!self.run_as_root),
                run_as_user: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
                run_as_group: Some(if self.run_as_root { 0 } else { RUN_AS_USER }),
                fs_group: Some(RUN_AS_USER),
                seccomp_profile: Some(runtime_default()),
                ..Default::default()
            }),
            containers: vec![container],
            volumes: Some(vec![Volume {
                name: "tmp".into(),
                empty_dir: Some(EmptyDirVolumeSource {
                    size_limit: Some(Quantity("256Mi".into())),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            termination_grace_period_seconds: Some(30),
            ..Default::default()
        };
        if spread {
            spec.affinity = Some(zone_anti_affinity(selector));
            spec.topology_spread_constraints = Some(topology_spread(selector));
        }
        if self.gpus.is_some() {
            spec.node_selector = Some(BTreeMap::from([(
                GPU_NODE_LABEL.to_string(),
                "true".to_string(),
            )]));
            spec.tolerations = Some(vec![Toleration {
                key: Some(GPU_RESOURCE.into()),
                operator: Some("Exists".into()),
                effect: Some("NoSchedule".into()),
                ..Default::default()
            }]);
        }
        spec
    }
}

pub(crate) fn runtime_default() -> SeccompProfile {
    SeccompProfile {
        type_: "RuntimeDefault".into(),
        localhost_profile: None,
    }
}

fn selector_of(labels: &BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels.clone()),
        match_expressions: None,
    }
}

/// Prefer replicas in different zones; preferred, so a zone outage still lets pods schedule.
fn zone_anti_affinity(selector: &BTreeMap<String, String>) -> Affinity {
    Affinity {
        pod_anti_affinity: Some(PodAntiAffinity {
            preferred_during_scheduling_ignored_during_execution: Some(vec![
                WeightedPodAffinityTerm {
                    weight: 100,
                    pod_affinity_term: PodAffinityTerm {
                        label_selector: Some(selector_of(selector)),
                        topology_key: "topology.kubernetes.io/zone".into(),
                        ..Default::default()
                    },
                },
            ]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn topology_spread(selector: &BTreeMap<String, String>) -> Vec<TopologySpreadConstraint> {
    ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
        .into_iter()
        .map(|key| TopologySpreadConstraint {
            max_skew: 1,
            topology_key: key.into(),
            when_unsatisfiable: "ScheduleAnyway".into(),
            label_selector: Some(selector_of(selector)),
            ..Default::default()
        })
        .collect()
}

/// Builder methods shared by every workload construct.
///
/// ```
/// use terrane_k8s::{PodBuilder, Resources, Worker};
/// let w = Worker::new("worker", "registry.example.com/worker:1.0.0")
///     .env("QUEUE", "default")
///     .resources(Resources::requests("500m", "512Mi").limits("1", "1Gi"));
/// # let _ = w;
/// ```
pub trait PodBuilder: Sized {
    /// The settings being built.
    fn pod_settings(&mut self) -> &mut PodSettings;

    /// An environment variable: a literal, a Secret key or a Terraform value ([`TfValue`], `Expr<String>`).
    fn env(mut self, name: impl Into<String>, value: impl Into<EnvValue>) -> Self {
        self.pod_settings().env.insert(name.into(), value.into());
        self
    }

    /// An environment variable read from a key of a Secret.
    fn env_secret(
        mut self,
        name: impl Into<String>,
        secret: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.pod_settings().env.insert(
            name.into(),
            EnvValue::SecretKey {
                secret: secret.into(),
                key: key.into(),
            },
        );
        self
    }

    /// Every key of a ConfigMap as environment variables.
    fn env_from_config_map(mut self, name: impl Into<String>) -> Self {
        self.pod_settings().env_from_config_maps.push(name.into());
        self
    }

    /// Every key of a Secret (for example one written by an [`crate::ExternalSecretEnv`]) as environment variables.
    fn env_from_secret(mut self, name: impl Into<String>) -> Self {
        self.pod_settings().env_from_secrets.push(name.into());
        self
    }

    /// Requests and limits of the main container.
    fn resources(mut self, resources: Resources) -> Self {
        self.pod_settings().resources = resources;
        self
    }

    /// Container command (entrypoint).
    fn command<I: IntoIterator<Item = S>, S: Into<String>>(mut self, command: I) -> Self {
        self.pod_settings().command = command.into_iter().map(Into::into).collect();
        self
    }

    /// Container arguments.
    fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.pod_settings().args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Health probes as a command instead of the default.
    fn health_command<I: IntoIterator<Item = S>, S: Into<String>>(mut self, command: I) -> Self {
        self.pod_settings().health = Health::Exec(command.into_iter().map(Into::into).collect());
        self
    }

    /// Run on GPU nodes with `count` `nvidia.com/gpu`: node selector, toleration and limit.
    fn gpu(mut self, count: u32) -> Self {
        self.pod_settings().gpus = Some(count);
        self
    }

    /// IAM role ARN for the ServiceAccount (IRSA), known after `terraform apply`.
    fn irsa_role(mut self, role_arn: impl Into<TfValue>) -> Self {
        self.pod_settings().irsa_role = Some(role_arn.into());
        self
    }

    /// Run as root: only for images that cannot do otherwise; the root check reports it.
    fn run_as_root(mut self) -> Self {
        self.pod_settings().run_as_root = true;
        self
    }
}
