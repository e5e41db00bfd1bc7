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
        let alb_sg = self.declare_security_group(
            stack,
            id,
            "alb",
            format!("Load balancer of {}", self.name),
        );
        let svc_sg =
            self.declare_security_group(stack, id, "tasks", format!("Tasks of {}", self.name));
        self.declare_load_balancer_ingress(stack, id, &alb_sg);
        self.declare_load_balancer_to_tasks(stack, id, &alb_sg, &svc_sg);
        self.declare_task_egress(stack, id, &svc_sg);
        (alb_sg, svc_sg)
    }

    /// One of the service's security groups, `<name>-<role>` (block `<id>_<role>`),
    /// with no rule: the rules are resources of their own.
    fn declare_security_group(
        &self,
        stack: &mut Stack,
        id: &str,
        role: &str,
        description: String,
    ) -> SecurityGroupRef {
        stack.add(
            &format!("{id}_{role}"),
            SecurityGroup::new()
                .name(format!("{}-{role}", self.name))
                .description(description)
                .vpc_id(self.vpc_id.clone())
                .tags(crate::constructs::tags(
                    &format!("{}-{role}", self.name),
                    &self.tags,
                )),
        )
    }

    /// Who reaches the load balancer: CloudFront's VPC origin only (HTTPS) where the
    /// service is behind one, else the internet (HTTPS and HTTP).
    fn declare_load_balancer_ingress(
        &self,
        stack: &mut Stack,
        id: &str,
        alb_sg: &SecurityGroupRef,
    ) {
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
    }

    /// The load balancer's way to the tasks' port: its egress and the tasks' ingress.
    fn declare_load_balancer_to_tasks(
        &self,
        stack: &mut Stack,
        id: &str,
        alb_sg: &SecurityGroupRef,
        svc_sg: &SecurityGroupRef,
    ) {
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
    }

    /// What the tasks reach: HTTPS anywhere (AWS APIs, the registry) and PostgreSQL
    /// inside the VPC.
    fn declare_task_egress(&self, stack: &mut Stack, id: &str, svc_sg: &SecurityGroupRef) {
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
    }
}
