//! prometheus-cloudwatch-exporter: CloudWatch metrics as Prometheus series, for the
//! managed services whose engine an in-cluster exporter cannot log in to (ElastiCache
//! with IAM authentication has no password to give one).

use terrane_core::{Tree, Value};

use super::{irsa_service_account, obj, HelmChart};

/// The exporter's service account in `monitoring` (its IRSA role trusts
/// `system:serviceaccount:monitoring:cloudwatch-exporter`).
pub const CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT: &str = "cloudwatch-exporter";

/// The AWS/ElastiCache metrics read, with their statistic: what the Redis alerts
/// and dashboard use.
const ELASTICACHE_METRICS: &[(&str, &str)] = &[
    ("CPUUtilization", "Average"),
    ("EngineCPUUtilization", "Average"),
    ("DatabaseMemoryUsagePercentage", "Average"),
    ("CurrConnections", "Average"),
    ("Evictions", "Sum"),
    ("CacheHitRate", "Average"),
    ("ReplicationLag", "Average"),
];

/// The exporter's configuration (its `config.yml`, rendered by the chart from value
/// `config`): the ElastiCache metrics of the nodes of `replication_group_ids`, per
/// node (dimensions `CacheClusterId`, `CacheNodeId`; series labels
/// `cache_cluster_id`, `cache_node_id`), one-minute periods read through
/// GetMetricData (so the role needs no GetMetricStatistics), two minutes behind
/// (CloudWatch's own lag) and stamped at scrape time.
fn elasticache_config(region: &str, replication_group_ids: &[&str]) -> String {
    let nodes: Vec<String> = replication_group_ids
        .iter()
        .map(|g| format!("\"{g}-[0-9]+(-[0-9]+)?\""))
        .collect();
    let mut config = format!(
        "region: {region}\nperiod_seconds: 60\nrange_seconds: 300\ndelay_seconds: 120\nset_timestamp: false\nuse_get_metric_data: true\nmetrics:\n"
    );
    for (metric, statistic) in ELASTICACHE_METRICS {
        config.push_str(&format!(
            "- aws_namespace: AWS/ElastiCache\n  aws_metric_name: {metric}\n  aws_dimensions: [CacheClusterId, CacheNodeId]\n  aws_dimension_select_regex:\n    CacheClusterId: [{}]\n  aws_statistics: [{statistic}]\n",
            nodes.join(", ")
        ));
    }
    config
}

impl HelmChart {
    /// prometheus-cloudwatch-exporter 0.28.1 (exporter 0.16.0) in `monitoring`:
    /// the CloudWatch metrics of the ElastiCache replication groups
    /// `replication_group_ids` in `region` (CPUUtilization, EngineCPUUtilization,
    /// DatabaseMemoryUsagePercentage, CurrConnections, CacheHitRate, ReplicationLag
    /// averages, Evictions sums), named
    /// `aws_elasticache_<metric in snake case>_<statistic>`, scraped each minute
    /// through its ServiceMonitor (label `release: kube-prometheus-stack`, installed
    /// after that release: the chart renders the ServiceMonitor only when its CRD
    /// exists). `role_arn` is an IRSA role of service account
    /// [`CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT`] allowed `cloudwatch:GetMetricData` and
    /// `cloudwatch:ListMetrics`.
    pub fn cloudwatch_exporter(
        region: &str,
        role_arn: impl Into<Value<String>>,
        replication_group_ids: &[&str],
    ) -> Self {
        let values = obj([
            (
                "config",
                Tree::from(elasticache_config(region, replication_group_ids)),
            ),
            (
                "serviceAccount",
                irsa_service_account(CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT, role_arn.into()),
            ),
            // STS in the cluster's region for the web identity exchange.
            (
                "aws",
                obj([("stsRegional", obj([("enabled", Tree::from(true))]))]),
            ),
            (
                "resources",
                obj([
                    (
                        "requests",
                        obj([("cpu", Tree::from("50m")), ("memory", Tree::from("256Mi"))]),
                    ),
                    ("limits", obj([("memory", Tree::from("512Mi"))])),
                ]),
            ),
            (
                "containerSecurityContext",
                obj([("allowPrivilegeEscalation", Tree::from(false))]),
            ),
            (
                "serviceMonitor",
                obj([
                    ("enabled", Tree::from(true)),
                    ("interval", Tree::from("60s")),
                    ("timeout", Tree::from("50s")),
                    (
                        "labels",
                        obj([("release", Tree::from("kube-prometheus-stack"))]),
                    ),
                ]),
            ),
        ]);
        Self::new(
            "prometheus-cloudwatch-exporter",
            "https://prometheus-community.github.io/helm-charts",
            "prometheus-cloudwatch-exporter",
            "0.28.1",
            "monitoring",
            values,
        )
        .after("kube-prometheus-stack")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_selects_each_metric_of_the_groups_nodes() {
        let config = elasticache_config("us-east-1", &["prod-cache", "prod-broker"]);
        assert!(config.starts_with("region: us-east-1\n"), "{config}");
        assert_eq!(
            config.matches("- aws_namespace: AWS/ElastiCache").count(),
            7
        );
        assert!(config.contains("  aws_metric_name: Evictions\n  aws_dimensions: [CacheClusterId, CacheNodeId]\n  aws_dimension_select_regex:\n    CacheClusterId: [\"prod-cache-[0-9]+(-[0-9]+)?\", \"prod-broker-[0-9]+(-[0-9]+)?\"]\n  aws_statistics: [Sum]\n"), "{config}");
    }
}
