//! `FargateService`: a container service on ECS Fargate in private subnets behind an
//! HTTPS application load balancer, with secrets from Secrets Manager, logs in
//! CloudWatch and CPU autoscaling.

mod load_balancer;
mod network;
mod scaling;
mod task;

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct, Percent};
use terrane_core::{Expr, Lifecycle, Meta, Set, Stack, Value};

use crate::cloudwatch::CloudwatchLogGroup;
use crate::ecs::{
    EcsCluster, EcsClusterCapacityProviders, EcsClusterCapacityProvidersRef, EcsClusterRef,
    EcsClusterSetting, EcsService, EcsServiceCapacityProviderStrategy,
    EcsServiceDeploymentCircuitBreaker, EcsServiceLoadBalancer, EcsServiceNetworkConfiguration,
    EcsServiceRef,
};
use crate::elb::LbRef;
use crate::vpc::SecurityGroupRef;
use load_balancer::LoadBalancer;

/// A Fargate service behind an application load balancer.
///
/// Defaults: container port 3000, targets healthy when `/api/health` answers 200 on
/// it; 0.5 vCPU and 1 GiB per task, 2 tasks scaling 2..10 on 60% average CPU, all on
/// regular Fargate capacity unless [`FargateService::spot`] gives a share to Fargate Spot;
/// tasks in private subnets without public IPs; a read-only root filesystem; logs to
/// a KMS-encrypted log group kept a year; secrets injected from Secrets Manager by an
/// execution role allowed to read only those secrets; the load balancer in public
/// subnets drops invalid headers, has deletion protection, serves TLS 1.3/1.2 with the
/// given certificate and redirects HTTP to HTTPS; failed deployments roll back;
/// Container Insights on.
///
/// [`FargateService::internal_behind_vpc_origin`] makes the load balancer internal
/// instead, reached only through a CloudFront VPC origin.
///
/// Checked at synth: a task range whose minimum is above its maximum; a Spot share
/// whose weights are both 0; a health check path not starting with `/`.
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
    health_check_path: String,
    capacity: FargateCapacity,
    cpu: u32,
    memory: u32,
    min: u32,
    desired: u32,
    max: u32,
    cpu_target: Percent,
    vpc_id: Value<String>,
    vpc_cidr: String,
    private_subnets: Vec<Value<String>>,
    public_subnets: Vec<Value<String>>,
    certificate_arn: Value<String>,
    vpc_origin_prefix_list: Option<Value<String>>,
    kms_key_arn: Value<String>,
    region: String,
    env: BTreeMap<String, Value<String>>,
    secrets: BTreeMap<String, Value<String>>,
    tags: BTreeMap<String, String>,
}

/// How a [`FargateService`]'s tasks are spread over regular Fargate and Fargate Spot
/// (which AWS may reclaim with two minutes' notice, at up to 70% less).
///
/// The first `on_demand_base` tasks run on regular Fargate; tasks beyond them are
/// split in the ratio `on_demand_weight : spot_weight`. The default runs every task
/// on regular Fargate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FargateCapacity {
    /// Tasks always on regular Fargate.
    pub on_demand_base: u32,
    /// Share of the further tasks on regular Fargate.
    pub on_demand_weight: u32,
    /// Share of the further tasks on Fargate Spot.
    pub spot_weight: u32,
}

impl Default for FargateCapacity {
    fn default() -> Self {
        FargateCapacity {
            on_demand_base: 0,
            on_demand_weight: 1,
            spot_weight: 0,
        }
    }
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
    /// The load balancer's ARN (what a WAF web ACL is associated with).
    pub fn alb_arn(&self) -> Expr<String> {
        self.load_balancer.arn()
    }
    /// The load balancer's hosted zone (the target zone of an alias record).
    pub fn alb_zone_id(&self) -> Expr<String> {
        self.load_balancer.zone_id()
    }
    /// The cluster's name (the CloudWatch `ClusterName` dimension).
    pub fn cluster_name(&self) -> Expr<String> {
        self.cluster.name()
    }
    /// The service's name (the CloudWatch `ServiceName` dimension).
    pub fn service_name(&self) -> Expr<String> {
        self.service.name()
    }
}

impl FargateService {
    /// A service named `name` running `image`, listening on port 3000.
    pub fn new(name: &str, image: impl Into<Value<String>>) -> Self {
        FargateService {
            name: name.to_string(),
            image: image.into(),
            port: 3000,
            health_check_path: "/api/health".into(),
            capacity: FargateCapacity::default(),
            cpu: 512,
            memory: 1024,
            min: 2,
            desired: 2,
            max: 10,
            cpu_target: Percent(60.0),
            vpc_id: Value::Lit(String::new()),
            vpc_cidr: "10.0.0.0/16".into(),
            private_subnets: Vec::new(),
            public_subnets: Vec::new(),
            certificate_arn: Value::Lit(String::new()),
            vpc_origin_prefix_list: None,
            kms_key_arn: Value::Lit(String::new()),
            region: "us-east-1".into(),
            env: BTreeMap::new(),
            secrets: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }
    /// The VPC (id and CIDR), private subnets for the tasks and public ones for the
    /// internet-facing load balancer.
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
    /// An internal load balancer in the private subnets (no public address, no HTTP
    /// listener), which a CloudFront VPC origin reaches inside the VPC: its security
    /// group admits HTTPS only from `prefix_list_id`, CloudFront's origin-facing managed
    /// prefix list, as AWS documents for VPC origins (the managed security group
    /// `CloudFront-VPCOrigins-Service-SG` exists only once the VPC origin does, so it
    /// cannot be referenced in the same apply). The rule counts as the list's maximum
    /// size (55 for CloudFront's) against the security group's rule quota (60). The
    /// public subnets given to [`FargateService::network`] are then unused.
    pub fn internal_behind_vpc_origin(mut self, prefix_list_id: impl Into<Value<String>>) -> Self {
        self.vpc_origin_prefix_list = Some(prefix_list_id.into());
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
    /// The container port, which the load balancer sends traffic and health checks
    /// to (default 3000).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    /// The path the load balancer checks for a 200 (default `/api/health`).
    pub fn health_check_path(mut self, path: &str) -> Self {
        self.health_check_path = path.into();
        self
    }
    /// Runs part of the tasks on Fargate Spot (default: none, all on regular Fargate).
    pub fn spot(mut self, capacity: FargateCapacity) -> Self {
        self.capacity = capacity;
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
    /// The average CPU utilisation autoscaling keeps the tasks at, in [`Percent`]
    /// (default 60 %).
    pub fn cpu_target(mut self, target: impl Into<Percent>) -> Self {
        self.cpu_target = target.into();
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

    /// Reports a task range whose minimum is above its maximum, a Spot share that
    /// places no task and a relative health check path.
    fn check_settings(&self, stack: &mut Stack) {
        if self.capacity.on_demand_weight == 0 && self.capacity.spot_weight == 0 {
            stack.report(
                &address("aws_ecs_service", &self.name),
                "capacity_provider_strategy",
                format!(
                    "service `{}`: the Fargate and Fargate Spot weights are both 0, so no task beyond the base is placed",
                    self.name
                ),
            );
        }
        if !self.health_check_path.starts_with('/') {
            stack.report(
                &address("aws_lb_target_group", &self.name),
                "health_check.path",
                format!(
                    "service `{}`: health check path `{}` must start with `/`",
                    self.name, self.health_check_path
                ),
            );
        }
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
    }

    /// The ECS service in the private subnets, registered with the load balancer.
    fn declare_service(
        &self,
        stack: &mut Stack,
        id: &str,
        tags: &BTreeMap<String, String>,
        parts: ServiceParts<'_>,
    ) -> EcsServiceRef {
        let ServiceParts {
            cluster,
            capacity_providers: parts_capacity,
            task_arn,
            security_group: svc_sg,
            load_balancer,
        } = parts;
        let tg = &load_balancer.target_group;
        let https = &load_balancer.https;
        stack.add_with(
            id,
            EcsService::new(self.name.as_str())
                .cluster(cluster.id())
                .task_definition(task_arn)
                .desired_count(self.desired)
                .capacity_provider_strategy(
                    EcsServiceCapacityProviderStrategy::new("FARGATE")
                        .base(self.capacity.on_demand_base)
                        .weight(self.capacity.on_demand_weight),
                )
                .capacity_provider_strategy(
                    EcsServiceCapacityProviderStrategy::new("FARGATE_SPOT")
                        .weight(self.capacity.spot_weight),
                )
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
                .depends_on(https)
                .depends_on(parts_capacity)
                .lifecycle(Lifecycle::new().ignore_changes(["desired_count"])),
        )
    }
}

/// What the service is made of, declared before it.
struct ServiceParts<'a> {
    cluster: &'a EcsClusterRef,
    capacity_providers: &'a EcsClusterCapacityProvidersRef,
    task_arn: Expr<String>,
    security_group: &'a SecurityGroupRef,
    load_balancer: &'a LoadBalancer,
}

impl Construct for FargateService {
    type Handle = FargateServiceHandle;

    /// Adds the cluster, task definition, service, load balancer and autoscaling.
    fn add_to(self, stack: &mut Stack) -> FargateServiceHandle {
        let id = block_name(&self.name);
        let tags = super::tags(&self.name, &self.tags);
        self.check_settings(stack);
        let cluster = stack.add(
            &id,
            EcsCluster::new(self.name.as_str())
                .setting(EcsClusterSetting::new("containerInsights", "enabled"))
                .tags(tags.clone()),
        );
        // both providers on the cluster, so the service's strategy can use either
        let capacity_providers = stack.add(
            &id,
            EcsClusterCapacityProviders::new(cluster.name()).capacity_providers(Value::Lit(Set(
                vec!["FARGATE".into(), "FARGATE_SPOT".into()],
            ))),
        );
        let logs = stack.add(
            &id,
            CloudwatchLogGroup::new()
                .name(format!("/ecs/{}", self.name))
                .retention_in_days(365)
                .kms_key_id(self.kms_key_arn.clone())
                .tags(tags.clone()),
        );
        let task = self.declare_task(stack, &id, &tags, logs.name());
        let (alb_sg, svc_sg) = self.declare_security_groups(stack, &id);
        let load_balancer = self.declare_load_balancer(stack, &id, &tags, &alb_sg);
        let service = self.declare_service(
            stack,
            &id,
            &tags,
            ServiceParts {
                cluster: &cluster,
                capacity_providers: &capacity_providers,
                task_arn: task.arn(),
                security_group: &svc_sg,
                load_balancer: &load_balancer,
            },
        );
        self.declare_autoscaling(stack, &id, &cluster, &service);
        FargateServiceHandle {
            cluster,
            service,
            load_balancer: load_balancer.lb,
            security_group: svc_sg,
        }
    }
}
