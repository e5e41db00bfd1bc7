//! The load balancer of a [`FargateService`](super::FargateService): internet-facing
//! (HTTP redirected to HTTPS) or internal behind a VPC origin (HTTPS only), TLS 1.3/1.2
//! with the given certificate, targets checked on the service's health check path.

use std::collections::BTreeMap;

use terrane_core::{Set, Stack, Value};

use super::FargateService;
use crate::elb::{
    Lb, LbListener, LbListenerDefaultAction, LbListenerDefaultActionRedirect, LbListenerRef, LbRef,
    LbTargetGroup, LbTargetGroupHealthCheck, LbTargetGroupRef,
};
use crate::vpc::SecurityGroupRef;

/// What the service needs of its load balancer.
pub(super) struct LoadBalancer {
    /// The load balancer.
    pub(super) lb: LbRef,
    /// The target group the tasks register in.
    pub(super) target_group: LbTargetGroupRef,
    /// The HTTPS listener (the service waits for it).
    pub(super) https: LbListenerRef,
}

impl FargateService {
    /// The load balancer (in the public subnets, or internal in the private ones), its
    /// target group, the HTTPS listener and, when internet-facing, the HTTP redirect.
    pub(super) fn declare_load_balancer(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        alb_sg: &SecurityGroupRef,
    ) -> LoadBalancer {
        let internal = self.vpc_origin_prefix_list.is_some();
        let subnets = if internal {
            &self.private_subnets
        } else {
            &self.public_subnets
        };
        let lb = stack.add(
            id,
            Lb::new()
                .name(self.name.as_str())
                .load_balancer_type("application")
                .internal(internal)
                .security_groups(vec![alb_sg.id()])
                .subnets(Value::Lit(Set(subnets.clone())))
                .drop_invalid_header_fields(true)
                .enable_deletion_protection(true)
                .tags(tags.clone()),
        );
        let tg = stack.add(
            id,
            LbTargetGroup::new()
                .name(self.name.as_str())
                .port(u32::from(self.port))
                .protocol("HTTP")
                .target_type("ip")
                .vpc_id(self.vpc_id.clone())
                .deregistration_delay("30")
                .health_check(
                    LbTargetGroupHealthCheck::new()
                        .enabled(true)
                        .path(self.health_check_path.as_str())
                        .port(self.port.to_string())
                        .matcher("200")
                        .interval(15)
                        .healthy_threshold(2)
                        .unhealthy_threshold(3),
                )
                .tags(tags.clone()),
        );
        let https = stack.add(
            &format!("{id}_https"),
            LbListener::new(
                lb.arn(),
                LbListenerDefaultAction::new("forward").target_group_arn(tg.arn()),
            )
            .port(443)
            .protocol("HTTPS")
            .ssl_policy("ELBSecurityPolicy-TLS13-1-2-2021-06")
            .certificate_arn(self.certificate_arn.clone())
            .tags(tags.clone()),
        );
        // an internal load balancer is reached only by the VPC origin, over HTTPS
        if !internal {
            self.declare_http_redirect(stack, id, tags, &lb);
        }
        LoadBalancer {
            lb,
            target_group: tg,
            https,
        }
    }

    /// Port 80 answering every request with a 301 to HTTPS.
    fn declare_http_redirect(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        lb: &LbRef,
    ) {
        stack.add(
            &format!("{id}_http"),
            LbListener::new(
                lb.arn(),
                LbListenerDefaultAction::new("redirect").redirect(
                    LbListenerDefaultActionRedirect::new("HTTP_301")
                        .port("443")
                        .protocol("HTTPS"),
                ),
            )
            .port(80)
            .protocol("HTTP")
            .tags(tags.clone()),
        );
    }
}
