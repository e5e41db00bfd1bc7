//! The pod spec around a pod template's container: non-root, seccomp, no token
//! automount, `/tmp` as emptyDir, spread across zones, GPU node placement.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, EmptyDirVolumeSource, PodAffinityTerm, PodAntiAffinity,
    PodSecurityContext, PodSpec, SeccompProfile, Toleration, TopologySpreadConstraint, Volume,
    WeightedPodAffinityTerm,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::{PodTemplate, Spread, GPU_NODE_LABEL, GPU_NODE_LABEL_VALUE, GPU_RESOURCE, RUN_AS_USER};

impl PodTemplate {
    /// The pod spec around `container`: non-root, seccomp, no token automount, `/tmp` as emptyDir.
    pub(crate) fn pod_spec(
        &self,
        container: Container,
        service_account: &str,
        selector: &BTreeMap<String, String>,
        spread: Spread,
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
        if spread == Spread::AcrossZones {
            spec.affinity = Some(zone_anti_affinity(selector));
            spec.topology_spread_constraints = Some(topology_spread(selector));
        }
        let mut node_selector = self.node_selector.clone();
        let mut tolerations: Vec<Toleration> = self
            .tolerations
            .iter()
            .map(|t| Toleration {
                key: Some(t.key.clone()),
                operator: Some("Equal".into()),
                value: Some(t.value.clone()),
                effect: Some(t.effect.clone()),
                ..Default::default()
            })
            .collect();
        if self.gpus.is_some() {
            node_selector.insert(GPU_NODE_LABEL.into(), GPU_NODE_LABEL_VALUE.into());
            // The GPU node group's taint is `nvidia.com/gpu=true:NoSchedule`; `Exists`
            // also tolerates the value other GPU AMIs and operators use.
            tolerations.push(Toleration {
                key: Some(GPU_RESOURCE.into()),
                operator: Some("Exists".into()),
                effect: Some("NoSchedule".into()),
                ..Default::default()
            });
        }
        spec.node_selector = (!node_selector.is_empty()).then_some(node_selector);
        spec.tolerations = (!tolerations.is_empty()).then_some(tolerations);
        let init: Vec<Container> = self
            .init_containers
            .iter()
            .map(|i| self.init_container(i))
            .collect();
        spec.init_containers = (!init.is_empty()).then_some(init);
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
