//! What a pod template is given: resource requests and limits, where an env
//! variable's value comes from, and how health is checked.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::bridge::TfValue;

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
