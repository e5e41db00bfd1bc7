//! VerticalPodAutoscaler (autoscaling.k8s.io/v1), used in recommendation mode.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::NamespaceResourceScope;
use serde::Serialize;

use super::custom_resource;

/// Recommends (or applies) container requests from observed usage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerticalPodAutoscaler {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Target and policy.
    pub spec: VerticalPodAutoscalerSpec,
}
custom_resource!(
    VerticalPodAutoscaler,
    "autoscaling.k8s.io",
    "v1",
    "VerticalPodAutoscaler",
    "verticalpodautoscalers",
    NamespaceResourceScope
);

/// Spec of a [`VerticalPodAutoscaler`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerticalPodAutoscalerSpec {
    /// The workload whose pods are sized.
    pub target_ref: TargetRef,
    /// Whether recommendations are applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<UpdatePolicy>,
    /// Per-container bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<ResourcePolicy>,
}

/// Reference to a scalable workload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetRef {
    /// `apps/v1`.
    pub api_version: String,
    /// `Deployment`, `StatefulSet`.
    pub kind: String,
    /// Workload name.
    pub name: String,
}

/// How a VPA applies its recommendations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePolicy {
    /// `Off` only records recommendations; `Recreate`, `InPlaceOrRecreate` apply them.
    pub update_mode: String,
}

/// Bounds of the recommendations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePolicy {
    /// One policy per container name (`*` for all).
    pub container_policies: Vec<ContainerPolicy>,
}

/// Recommendation bounds for one container.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPolicy {
    /// Container name or `*`.
    pub container_name: String,
    /// Resources the VPA looks at (`cpu`, `memory`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controlled_resources: Vec<String>,
    /// Lower bound.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub min_allowed: BTreeMap<String, Quantity>,
    /// Upper bound.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub max_allowed: BTreeMap<String, Quantity>,
}
