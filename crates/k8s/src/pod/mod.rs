//! The one pod template every workload construct composes (as cdk8s-plus composes
//! `PodTemplate` into `Deployment`, `StatefulSet` and `Job`): a hardened container,
//! its env, resources and probes, and the pod spec around it.
//!
//! `values` holds what a container is given (resources, env values, health checks),
//! `container` builds the hardened container, `spec` the pod spec and its scheduling.

mod container;
mod spec;
mod values;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::bridge::TfValue;

pub use values::{EnvValue, Health, Resources};

/// UID and GID the containers run as: not root, and above 10000 so it maps to no host user.
pub const RUN_AS_USER: i64 = 10001;
/// The label GPU nodes carry: terrane-aws `NodeGroup::gpu` sets `accelerator=nvidia`
/// on every node of a GPU node group.
pub const GPU_NODE_LABEL: &str = "accelerator";
/// The value of [`GPU_NODE_LABEL`] on GPU nodes.
pub const GPU_NODE_LABEL_VALUE: &str = "nvidia";
/// The label EKS managed node groups put on every node: `ON_DEMAND` or `SPOT`.
pub const CAPACITY_TYPE_LABEL: &str = "eks.amazonaws.com/capacityType";
/// The extended resource a GPU container requests.
pub const GPU_RESOURCE: &str = "nvidia.com/gpu";

/// How a workload's replicas are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spread {
    /// Preferably in different zones and on different nodes (replicated workloads).
    AcrossZones,
    /// Wherever the scheduler likes (singletons, jobs, stateful sets).
    Anywhere,
}

/// Whether a pod has liveness and readiness probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probes {
    /// Probed with the template's [`Health`] check.
    On,
    /// Not probed: a job's pod is expected to finish.
    Off,
}

/// The pod of one workload: image, command, env, resources, port, health check,
/// GPUs, identity and user. Every workload construct (`WebApp`, `Worker`,
/// `Scheduler`, `CronJob`, `BlueGreen`, `Postgres`, `Redis`) holds one, is configured
/// through [`PodBuilder`], and renders it with the same hardening: non-root user,
/// read-only root filesystem, no capabilities, seccomp `RuntimeDefault`, no token
/// automount, `/tmp` as a size-limited emptyDir.
#[derive(Debug, Clone, PartialEq)]
pub struct PodTemplate {
    pub(crate) image: String,
    pub(crate) command: Vec<String>,
    pub(crate) args: Vec<String>,
    pub(crate) env: BTreeMap<String, EnvValue>,
    pub(crate) env_from_config_maps: Vec<String>,
    pub(crate) env_from_secrets: Vec<String>,
    pub(crate) resources: Resources,
    pub(crate) port: Option<i32>,
    pub(crate) port_name: String,
    pub(crate) probes: Probes,
    pub(crate) health: Health,
    pub(crate) gpus: Option<u32>,
    pub(crate) irsa_role: Option<TfValue>,
    pub(crate) run_as_root: bool,
    pub(crate) image_repository: Option<TfValue>,
    pub(crate) node_selector: BTreeMap<String, String>,
    pub(crate) tolerations: Vec<NodeTaint>,
    pub(crate) init_containers: Vec<InitContainer>,
}

/// A taint a pod tolerates: `key=value:effect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeTaint {
    /// Taint key.
    pub key: String,
    /// Taint value.
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

/// A container run to completion before the main one starts, with the main
/// container's image (and its registry), hardening and `/tmp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InitContainer {
    pub(crate) name: String,
    pub(crate) command: Vec<String>,
}

impl PodTemplate {
    /// A pod running `image`, serving `port` (named `http`) when given, checked by
    /// `health`; 250m/256Mi requested, 1 CPU/512Mi limit.
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
            probes: Probes::On,
            health,
            gpus: None,
            irsa_role: None,
            run_as_root: false,
            image_repository: None,
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            init_containers: Vec::new(),
        }
    }

    /// The Kubernetes pod template of workload `name` (also its container's and
    /// ServiceAccount's name): `labels` on the pod, the hardened container in the
    /// hardened pod spec, placed by `spread` around the pods `selector` matches.
    pub(crate) fn to_k8s(
        &self,
        name: &str,
        labels: BTreeMap<String, String>,
        selector: &BTreeMap<String, String>,
        spread: Spread,
    ) -> PodTemplateSpec {
        let spec = self.pod_spec(self.container(name), name, selector, spread);
        with_labels(labels, spec)
    }
}

/// A pod template of `spec` with `labels`.
pub(crate) fn with_labels(
    labels: BTreeMap<String, String>,
    spec: k8s_openapi::api::core::v1::PodSpec,
) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels),
            ..Default::default()
        }),
        spec: Some(spec),
    }
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
    /// The pod template being built.
    fn pod_template(&mut self) -> &mut PodTemplate;

    /// An environment variable: a literal, a Secret key or a Terraform value ([`TfValue`], `Expr<String>`).
    fn env(mut self, name: impl Into<String>, value: impl Into<EnvValue>) -> Self {
        self.pod_template().env.insert(name.into(), value.into());
        self
    }

    /// An environment variable read from a key of a Secret.
    fn env_secret(
        mut self,
        name: impl Into<String>,
        secret: impl Into<String>,
        key: impl Into<String>,
    ) -> Self {
        self.pod_template().env.insert(
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
        self.pod_template().env_from_config_maps.push(name.into());
        self
    }

    /// Every key of a Secret (for example one written by an [`crate::ExternalSecretEnv`]) as environment variables.
    fn env_from_secret(mut self, name: impl Into<String>) -> Self {
        self.pod_template().env_from_secrets.push(name.into());
        self
    }

    /// Requests and limits of the main container.
    fn resources(mut self, resources: Resources) -> Self {
        self.pod_template().resources = resources;
        self
    }

    /// Container command (entrypoint).
    fn command<I: IntoIterator<Item = S>, S: Into<String>>(mut self, command: I) -> Self {
        self.pod_template().command = command.into_iter().map(Into::into).collect();
        self
    }

    /// Container arguments.
    fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.pod_template().args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Health probes as a command instead of the default.
    fn health_command<I: IntoIterator<Item = S>, S: Into<String>>(mut self, command: I) -> Self {
        self.pod_template().health = Health::Exec(command.into_iter().map(Into::into).collect());
        self
    }

    /// Run on GPU nodes with `count` `nvidia.com/gpu`: node selector, toleration and limit.
    fn gpu(mut self, count: u32) -> Self {
        self.pod_template().gpus = Some(count);
        self
    }

    /// IAM role ARN for the ServiceAccount (IRSA), known after `terraform apply`.
    fn irsa_role(mut self, role_arn: impl Into<TfValue>) -> Self {
        self.pod_template().irsa_role = Some(role_arn.into());
        self
    }

    /// The image's repository from Terraform (an ECR `repository_url`): the image given
    /// to the construct is `<short-name>:<tag>`, and at deploy a kustomize replacement
    /// writes the repository over `<short-name>`, keeping the tag.
    fn image_repository(mut self, repository_url: impl Into<TfValue>) -> Self {
        self.pod_template().image_repository = Some(repository_url.into());
        self
    }

    /// Only nodes labelled `key=value` (`eks.amazonaws.com/capacityType=SPOT`).
    fn node_selector(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.pod_template()
            .node_selector
            .insert(key.into(), value.into());
        self
    }

    /// Tolerates the node taint `key=value:effect` (a node group's `NoSchedule` taint).
    fn tolerate(
        mut self,
        key: impl Into<String>,
        value: impl Into<String>,
        effect: impl Into<String>,
    ) -> Self {
        self.pod_template().tolerations.push(NodeTaint {
            key: key.into(),
            value: value.into(),
            effect: effect.into(),
        });
        self
    }

    /// A container run to completion before the main one, with its image, env and
    /// hardening (waiting for the release's database migrations, for example).
    fn init_command<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        name: impl Into<String>,
        command: I,
    ) -> Self {
        self.pod_template().init_containers.push(InitContainer {
            name: name.into(),
            command: command.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Run as root: only for images that cannot do otherwise; the root check reports it.
    fn run_as_root(mut self) -> Self {
        self.pod_template().run_as_root = true;
        self
    }
}
