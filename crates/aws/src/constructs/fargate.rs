//! `FargateService`: a container service on ECS Fargate in private subnets behind an
//! HTTPS application load balancer, with secrets from Secrets Manager, logs in
//! CloudWatch and CPU autoscaling.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{func, tmpl, Expr, Lifecycle, Meta, Number, Set, Stack, Tree, Value};

use super::policy::{policy_document, service_role, PolicyStatement};
use crate::appautoscaling::{
    AppautoscalingPolicy, AppautoscalingPolicyArgs,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
    AppautoscalingTarget, AppautoscalingTargetArgs,
};
use crate::cloudwatch::CloudwatchLogGroup;
use crate::ecs::{
    EcsCluster, EcsClusterRef, EcsClusterSetting, EcsService, EcsServiceDeploymentCircuitBreaker,
    EcsServiceLoadBalancer, EcsServiceNetworkConfiguration, EcsServiceRef, EcsTaskDefinition,
};
use crate::elb::{
    Lb, LbListener, LbListenerDefaultAction, LbListenerDefaultActionRedirect, LbRef, LbTargetGroup,
    LbTargetGroupHealthCheck,
};
use crate::iam::{IamRole, IamRolePolicy};
use crate::vpc::{
    SecurityGroup, SecurityGroupRef, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule,
};

/// A Fargate service behind an application load balancer.
///
/// Defaults: 0.5 vCPU and 1 GiB per task, 2 tasks scaling 2..10 on 60% average CPU;
/// tasks in private subnets without public IPs; a read-only root filesystem; logs to
/// a KMS-encrypted log group kept a year; secrets injected from Secrets Manager by an
/// execution role allowed to read only those secrets; the load balancer in public
/// subnets drops invalid headers, has deletion protection, serves TLS 1.3/1.2 with the
/// given certificate and redirects HTTP to HTTPS; targets are checked on `/health`;
/// failed deployments roll back; Container Insights on.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::FargateService;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("app");
/// let raw = |t: &str| Expr::<String>::raw(t);
/// let svc = FargateService::new("api", "public.ecr.aws/nginx/nginx:1.27")
///     .network(raw("var.vpc"), "10.0.0.0/16", vec![raw("var.a").into()], vec![raw("var.p").into()])
///     .certificate(raw("var.cert"))
///     .kms_key(raw("var.key"))
///     .secret("DATABASE_SECRET", raw("var.db_secret"))
///     .add_to(&mut s);
/// assert_eq!(svc.dns_name().to_hcl(), "aws_lb.api.dns_name");
/// ```
#[derive(Debug, Clone)]
pub struct FargateService {
    name: String,
    image: Value<String>,
    port: u16,
    cpu: u32,
    memory: u32,
    min: u32,
    desired: u32,
    max: u32,
    cpu_target: f64,
    vpc_id: Value<String>,
    vpc_cidr: String,
    private_subnets: Vec<Value<String>>,
    public_subnets: Vec<Value<String>>,
    certificate_arn: Value<String>,
    kms_key_arn: Value<String>,
    region: String,
    env: BTreeMap<String, Value<String>>,
    secrets: BTreeMap<String, Value<String>>,
    tags: BTreeMap<String, String>,
}

/// A declared [`FargateService`].
#[derive(Debug, Clone)]
pub struct FargateServiceHandle {
    cluster: EcsClusterRef,
    service: EcsServiceRef,
    load_balancer: LbRef,
    security_group: SecurityGroupRef,
}

impl FargateServiceHandle {
    /// The ECS cluster.
    pub fn cluster(&self) -> &EcsClusterRef {
        &self.cluster
    }
    /// The ECS service.
    pub fn service(&self) -> &EcsServiceRef {
        &self.service
    }
    /// The load balancer.
    pub fn load_balancer(&self) -> &LbRef {
        &self.load_balancer
    }
    /// The tasks' security group (what a database lets in).
    pub fn security_group(&self) -> &SecurityGroupRef {
        &self.security_group
    }
    /// The load balancer's DNS name (point the domain's alias record at it).
    pub fn dns_name(&self) -> Expr<String> {
        self.load_balancer.dns_name()
    }
    /// The load balancer's `arn_suffix` (the CloudWatch `LoadBalancer` dimension).
    pub fn alb_arn_suffix(&self) -> Expr<String> {
        self.load_balancer.arn_suffix()
    }
    /// The tasks' security group id.
    pub fn security_group_id(&self) -> Expr<String> {
        self.security_group.id()
    }
}

impl FargateService {
    /// A service named `name` running `image`, listening on port 8080.
    pub fn new(name: &str, image: impl Into<Value<String>>) -> Self {
        FargateService {
            name: name.to_string(),
            image: image.into(),
            port: 8080,
            cpu: 512,
            memory: 1024,
            min: 2,
            desired: 2,
            max: 10,
            cpu_target: 60.0,
            vpc_id: Value::Lit(String::new()),
            vpc_cidr: "10.0.0.0/16".into(),
            private_subnets: Vec::new(),
            public_subnets: Vec::new(),
            certificate_arn: Value::Lit(String::new()),
            kms_key_arn: Value::Lit(String::new()),
            region: "us-east-1".into(),
            env: BTreeMap::new(),
            secrets: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }
    /// The VPC (id and CIDR), private subnets for the tasks and public ones for the load balancer.
    pub fn network(
        mut self,
        vpc_id: impl Into<Value<String>>,
        vpc_cidr: &str,
        private_subnets: Vec<Value<String>>,
        public_subnets: Vec<Value<String>>,
    ) -> Self {
        self.vpc_id = vpc_id.into();
        self.vpc_cidr = vpc_cidr.into();
        self.private_subnets = private_subnets;
        self.public_subnets = public_subnets;
        self
    }
    /// The ACM certificate of the HTTPS listener.
    pub fn certificate(mut self, arn: impl Into<Value<String>>) -> Self {
        self.certificate_arn = arn.into();
        self
    }
    /// The KMS key of the log group and of the secrets the tasks read.
    pub fn kms_key(mut self, arn: impl Into<Value<String>>) -> Self {
        self.kms_key_arn = arn.into();
        self
    }
    /// The region (for the awslogs driver).
    pub fn region(mut self, region: &str) -> Self {
        self.region = region.into();
        self
    }
    /// The container port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    /// CPU units and memory (MiB) per task.
    pub fn size(mut self, cpu: u32, memory: u32) -> Self {
        self.cpu = cpu;
        self.memory = memory;
        self
    }
    /// Minimum, desired and maximum task counts.
    pub fn scaling(mut self, min: u32, desired: u32, max: u32) -> Self {
        self.min = min;
        self.desired = desired;
        self.max = max;
        self
    }
    /// An environment variable.
    pub fn env(mut self, name: &str, value: impl Into<Value<String>>) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }
    /// An environment variable read from a Secrets Manager secret (ARN, or
    /// `ARN:json-key::` for one key of a JSON secret).
    pub fn secret(mut self, name: &str, secret_arn: impl Into<Value<String>>) -> Self {
        self.secrets.insert(name.into(), secret_arn.into());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    fn container_definitions(&self, log_group: Expr<String>) -> Tree {
        let env = Tree::List(
            self.env
                .iter()
                .map(|(k, v)| {
                    Tree::object([
                        ("name", Tree::from(k.as_str())),
                        ("value", Tree::from(v.clone())),
                    ])
                })
                .collect(),
        );
        let secrets = Tree::List(
            self.secrets
                .iter()
                .map(|(k, v)| {
                    Tree::object([
                        ("name", Tree::from(k.as_str())),
                        ("valueFrom", Tree::from(v.clone())),
                    ])
                })
                .collect(),
        );
        Tree::list([Tree::object([
            ("name", Tree::from(self.name.as_str())),
            ("image", Tree::from(self.image.clone())),
            ("essential", Tree::from(true)),
            ("readonlyRootFilesystem", Tree::from(true)),
            (
                "portMappings",
                Tree::list([Tree::object([
                    ("containerPort", Tree::from(u32::from(self.port))),
                    ("protocol", Tree::from("tcp")),
                ])]),
            ),
            ("environment", env),
            ("secrets", secrets),
            (
                "logConfiguration",
                Tree::object([
                    ("logDriver", Tree::from("awslogs")),
                    (
                        "options",
                        Tree::object([
                            ("awslogs-group", Tree::from(log_group)),
                            ("awslogs-region", Tree::from(self.region.as_str())),
                            ("awslogs-stream-prefix", Tree::from(self.name.as_str())),
                        ]),
                    ),
                ]),
            ),
        ])])
    }
}

impl Construct for FargateService {
    type Handle = FargateServiceHandle;

    /// Adds the cluster, task definition, service, load balancer and autoscaling.
    fn add_to(self, stack: &mut Stack) -> FargateServiceHandle {
        let id = block_name(&self.name);
        let tags = super::tags(&self.name, &self.tags);
        if self.min > self.max {
            stack.report(
                &address("aws_appautoscaling_target", &self.name),
                "min_capacity",
                format!(
                    "service `{}`: min tasks {} is above max tasks {}",
                    self.name, self.min, self.max
                ),
            );
        }
        let cluster = stack.add(
            &id,
            EcsCluster::new(self.name.as_str())
                .setting(EcsClusterSetting::new("containerInsights", "enabled"))
                .tags(tags.clone()),
        );
        let logs = stack.add(
            &id,
            CloudwatchLogGroup::new()
                .name(format!("/ecs/{}", self.name))
                .retention_in_days(365)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );

        // roles: the execution role pulls the image and reads the secrets; the task
        // role is the application's own identity
        let execution = service_role(
            stack,
            &format!("{id}_execution"),
            &format!("{}-execution", self.name),
            "ecs-tasks.amazonaws.com",
            &["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        );
        if !self.secrets.is_empty() {
            let mut read = PolicyStatement::allow(["secretsmanager:GetSecretValue"]);
            for arn in self.secrets.values() {
                read = read.resource(arn.clone());
            }
            let doc = policy_document(
                stack,
                &format!("{id}_execution_secrets"),
                &[
                    read,
                    PolicyStatement::allow(["kms:Decrypt"]).resource(self.kms_key_arn.clone()),
                ],
            );
            stack.add(
                &format!("{id}_execution_secrets"),
                IamRolePolicy::new(doc, execution.id()).name("read-secrets"),
            );
        }
        let task_trust = super::policy::assume_role_policy(
            stack,
            &format!("{id}_task_assume"),
            "ecs-tasks.amazonaws.com",
        );
        let task_role = stack.add(
            &format!("{id}_task"),
            IamRole::new(task_trust).name(format!("{}-task", self.name)),
        );
        let task = stack.add(
            &id,
            EcsTaskDefinition::new(
                func::jsonencode_tree(self.container_definitions(logs.name())),
                self.name.as_str(),
            )
            .requires_compatibilities(vec!["FARGATE"])
            .network_mode("awsvpc")
            .cpu(self.cpu.to_string())
            .memory(self.memory.to_string())
            .execution_role_arn(execution.arn())
            .task_role_arn(task_role.arn())
            .tags(tags.clone()),
        );

        // security groups: internet -> load balancer -> tasks
        let alb_sg = stack.add(
            &format!("{id}_alb"),
            SecurityGroup::new()
                .name(format!("{}-alb", self.name))
                .description(format!("Load balancer of {}", self.name))
                .vpc_id(self.vpc_id.clone())
                .tags(super::tags(&format!("{}-alb", self.name), &self.tags)),
        );
        let svc_sg = stack.add(
            &format!("{id}_tasks"),
            SecurityGroup::new()
                .name(format!("{}-tasks", self.name))
                .description(format!("Tasks of {}", self.name))
                .vpc_id(self.vpc_id.clone())
                .tags(super::tags(&format!("{}-tasks", self.name), &self.tags)),
        );
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

        // load balancer
        let lb = stack.add(
            &id,
            Lb::new()
                .name(self.name.as_str())
                .load_balancer_type("application")
                .internal(false)
                .security_groups(vec![alb_sg.id()])
                .subnets(Value::Lit(Set(self.public_subnets.clone())))
                .drop_invalid_header_fields(true)
                .enable_deletion_protection(true)
                .tags(tags.clone()),
        );
        let tg = stack.add(
            &id,
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
                        .path("/health")
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

        let service = stack.add_with(
            &id,
            EcsService::new(self.name.as_str())
                .cluster(cluster.id())
                .task_definition(task.arn())
                .desired_count(self.desired)
                .launch_type("FARGATE")
                .platform_version("LATEST")
                .network_configuration(
                    EcsServiceNetworkConfiguration::new(Value::Lit(Set(self
                        .private_subnets
                        .clone())))
                    .security_groups(vec![svc_sg.id()])
                    .assign_public_ip(false),
                )
                .load_balancer(
                    EcsServiceLoadBalancer::new(self.name.as_str(), u32::from(self.port))
                        .target_group_arn(tg.arn()),
                )
                .deployment_circuit_breaker(EcsServiceDeploymentCircuitBreaker::new(true, true))
                .health_check_grace_period_seconds(60)
                .propagate_tags("SERVICE")
                .enable_ecs_managed_tags(true)
                .tags(tags.clone()),
            // autoscaling owns the task count once running
            Meta::new()
                .depends_on(&https)
                .lifecycle(Lifecycle::new().ignore_changes(["desired_count"])),
        );

        let target = stack.add(
            &id,
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
                AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration::new(self.cpu_target)
                    .predefined_metric_specification(
                        AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification::new(
                            "ECSServiceAverageCPUUtilization",
                        ),
                    )
                    .scale_in_cooldown(120)
                    .scale_out_cooldown(60),
            ),
        );
        FargateServiceHandle {
            cluster,
            service,
            load_balancer: lb,
            security_group: svc_sg,
        }
    }
}
