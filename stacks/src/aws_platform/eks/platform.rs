//! The `platform` stack of an EKS environment: the cluster services as Helm releases,
//! each controller before the releases whose objects need it.

use terrane_aws::constructs::{HelmChart, HelmReleases, VpcHandle};
use terrane_core::construct::Construct;
use terrane_core::Stack;

use super::cluster::ClusterParts;
use super::data::{DataStores, WorkloadRoles};
use super::EksEnv;
use crate::aws_platform::new_stack;

/// The queue-depth metric the workers' HPA scales on, and the label it selects by
/// (stacks/src/k8s_platform.rs, `WorkerScaling::QueueDepth`).
const QUEUE_METRIC: &str = "celery_queue_length";
const QUEUE_LABELS: &[&str] = &["queue"];

/// The replication groups of the environment: the cache and, where it is a Redis of
/// its own, the Celery broker.
fn redis_groups<'a>(env: &EksEnv, stores: &'a DataStores) -> Vec<&'a str> {
    let mut groups = vec![stores.redis.replication_group_id()];
    if env.redis_broker_node_type.is_some() {
        groups.push(stores.broker.replication_group_id());
    }
    groups
}

/// The `platform` stack.
pub(super) fn platform_stack(
    target: &str,
    env: &EksEnv,
    vpc: &VpcHandle,
    eks: &ClusterParts,
    stores: &DataStores,
    roles: &WorkloadRoles,
) -> Stack {
    let mut platform = new_stack(target, "platform", env.state_bucket);
    let cluster_name = eks.cluster.name();
    let mut releases = HelmReleases::new(&eks.cluster)
        .chart(HelmChart::aws_load_balancer_controller(
            cluster_name.clone(),
            env.region,
            vpc.id(),
            eks.load_balancer_controller.arn(),
        ))
        .chart(HelmChart::cluster_autoscaler(
            cluster_name,
            env.region,
            eks.cluster_autoscaler.arn(),
        ))
        .chart(HelmChart::metrics_server())
        .chart(HelmChart::vertical_pod_autoscaler())
        .chart(HelmChart::cert_manager())
        .chart(HelmChart::external_secrets(roles.external_secrets.arn()))
        .chart(HelmChart::ingress_nginx(if env.azs > 2 { 3 } else { 2 }))
        .chart(HelmChart::kube_prometheus_stack(30, 100))
        // Route 53 records of the `edge` Ingress's hosts; the owner id is the target,
        // so eks-prod and eks-staging never change each other's records.
        .chart(HelmChart::external_dns(
            &env.domain(),
            eks.hosted_zone_id.clone(),
            target,
            eks.external_dns.arn(),
        ))
        .chart(HelmChart::prometheus_adapter(QUEUE_METRIC, QUEUE_LABELS))
        .chart(HelmChart::loki(
            stores.loki.name(),
            env.region,
            roles.loki.arn(),
            env.loki,
        ))
        .chart(HelmChart::alloy())
        .chart(HelmChart::tempo(20))
        // Redis's CloudWatch metrics: ElastiCache authenticates with IAM, so no
        // exporter can log in to Redis itself.
        .chart(HelmChart::cloudwatch_exporter(
            env.region,
            roles.cloudwatch_exporter.arn(),
            &redis_groups(env, stores),
        ))
        .chart(HelmChart::otel_collector());
    if env.has_gpu_nodes() {
        releases = releases.chart(HelmChart::nvidia_device_plugin());
    }
    releases.add_to(&mut platform);
    platform
}
