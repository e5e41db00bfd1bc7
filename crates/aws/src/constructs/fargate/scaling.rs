//! Autoscaling of a [`FargateService`](super::FargateService): task count between min
//! and max, tracking average CPU.

use terrane_core::{tmpl, Number, Stack};

use super::FargateService;
use crate::appautoscaling::{
    AppautoscalingPolicy, AppautoscalingPolicyArgs,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    AppautoscalingTarget, AppautoscalingTargetArgs,
};
use crate::ecs::{EcsClusterRef, EcsServiceRef};

impl FargateService {
    /// The scalable target of the service's task count and its CPU tracking policy.
    pub(super) fn declare_autoscaling(
        &self,
        stack: &mut Stack,
        id: &str,
        cluster: &EcsClusterRef,
        service: &EcsServiceRef,
    ) {
        let target = stack.add(
            id,
            AppautoscalingTarget::new(AppautoscalingTargetArgs {
                max_capacity: Number::from(self.max).into(),
                min_capacity: Number::from(self.min).into(),
                resource_id: tmpl!("service/{}/{}", cluster.name(), service.name()).into(),
                scalable_dimension: "ecs:service:DesiredCount".into(),
                service_namespace: "ecs".into(),
            }),
        );
        stack.add(
            &format!("{id}_cpu"),
            AppautoscalingPolicy::new(AppautoscalingPolicyArgs {
                name: format!("{}-cpu", self.name).into(),
                resource_id: target.resource_id().into(),
                scalable_dimension: target.scalable_dimension().into(),
                service_namespace: target.service_namespace().into(),
            })
            .policy_type("TargetTrackingScaling")
            .target_tracking_scaling_policy_configuration(
                AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration::new(self.cpu_target.value())
                    .predefined_metric_specification(
                        AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification::new(
                            "ECSServiceAverageCPUUtilization",
                        ),
                    )
                    .scale_in_cooldown(120)
                    .scale_out_cooldown(60),
            ),
        );
    }
}
