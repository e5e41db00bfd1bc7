//! The security groups of a [`FargateService`](super::FargateService): the internet (or,
//! for an internal one, only CloudFront's origin-facing prefix list) reaches the load balancer, the load balancer the tasks, the tasks HTTPS and PostgreSQL.

use terrane_core::Stack;

use super::FargateService;
use crate::vpc::{
    SecurityGroup, SecurityGroupRef, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule,
};

impl FargateService {
    /// The load balancer's and the tasks' security groups with their rules, in that order.
    pub(super) fn declare_security_groups(
        &self,
        stack: &mut Stack,
        id: &str,
    ) -> (SecurityGroupRef, SecurityGroupRef) {
        // security groups: internet -> load balancer -> tasks
        let alb_sg = stack.add(
            &format!("{id}_alb"),
            SecurityGroup::new()
                .name(format!("{}-alb", self.name))
                .description(format!("Load balancer of {}", self.name))
                .vpc_id(self.vpc_id.clone())
                .tags(crate::constructs::tags(
                    &format!("{}-alb", self.name),
                    &self.tags,
                )),
        );
        let svc_sg = stack.add(
            &format!("{id}_tasks"),
            SecurityGroup::new()
                .name(format!("{}-tasks", self.name))
                .description(format!("Tasks of {}", self.name))
                .vpc_id(self.vpc_id.clone())
                .tags(crate::constructs::tags(
                    &format!("{}-tasks", self.name),
                    &self.tags,
                )),
        );
        match &self.vpc_origin_prefix_list {
            Some(list) => {
                stack.add(
                    &format!("{id}_alb_in_443"),
                    VpcSecurityGroupIngressRule::new("tcp", alb_sg.id())
                        .description("HTTPS from CloudFront's VPC origin only")
                        .prefix_list_id(list.clone())
                        .from_port(443)
                        .to_port(443),
                );
            }
            None => {
                for port in [443u16, 80] {
                    stack.add(
                        &format!("{id}_alb_in_{port}"),
                        VpcSecurityGroupIngressRule::new("tcp", alb_sg.id())
                            .description(format!(
                                "HTTP{} from the internet",
                                if port == 443 { "S" } else { "" }
                            ))
                            .cidr_ipv4("0.0.0.0/0")
                            .from_port(port)
                            .to_port(port),
                    );
                }
            }
        }
        stack.add(
            &format!("{id}_alb_to_tasks"),
            VpcSecurityGroupEgressRule::new("tcp", alb_sg.id())
                .description("To the tasks")
                .referenced_security_group_id(svc_sg.id())
                .from_port(self.port)
                .to_port(self.port),
        );
        stack.add(
            &format!("{id}_tasks_from_alb"),
            VpcSecurityGroupIngressRule::new("tcp", svc_sg.id())
                .description("From the load balancer")
                .referenced_security_group_id(alb_sg.id())
                .from_port(self.port)
                .to_port(self.port),
        );
        stack.add(
            &format!("{id}_tasks_https_out"),
            VpcSecurityGroupEgressRule::new("tcp", svc_sg.id())
                .description("HTTPS to AWS APIs and the registry")
                .cidr_ipv4("0.0.0.0/0")
                .from_port(443)
                .to_port(443),
        );
        stack.add(
            &format!("{id}_tasks_postgres_out"),
            VpcSecurityGroupEgressRule::new("tcp", svc_sg.id())
                .description("PostgreSQL inside the VPC")
                .cidr_ipv4(self.vpc_cidr.as_str())
                .from_port(5432)
                .to_port(5432),
        );
        (alb_sg, svc_sg)
    }
}
