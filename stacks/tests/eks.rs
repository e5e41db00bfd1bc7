//! The EKS platform's Terraform side: the checks of the constructs it uses (exact
//! messages, through a full synth) and what makes `eks-prod` and `eks-staging`
//! deployable: version, reachable endpoint, account from data sources, names that do
//! not collide, the controllers the manifests need.

use std::collections::BTreeSet;

use terrane_aws::constructs::{
    EksCluster, HelmChart, HelmReleases, NodeGroup, RedisCluster, Shards,
};
use terrane_core::construct::Construct;

use crate::support::{assert_problem, problems, raw, subnets};

#[test]
fn release_installed_after_one_not_added_before_it_is_reported() {
    let lines = problems(|s| {
        let eks = EksCluster::new("k", subnets(2), raw("var.key"))
            .node_group(NodeGroup::new("general", ["m6i.large"]))
            .add_to(s);
        // ingress-nginx needs the AWS Load Balancer Controller, which is not added
        HelmReleases::new(&eks)
            .chart(HelmChart::ingress_nginx(2))
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] helm_release.ingress_nginx: depends_on: release `ingress-nginx` must be installed after `aws-load-balancer-controller`, which is not added before it",
    );
}

#[test]
fn sharded_redis_without_replicas_is_reported() {
    let lines = problems(|s| {
        RedisCluster::new("cache", raw("var.vpc"), subnets(2), raw("var.key"))
            .iam_user("api")
            .sharded(Shards {
                count: 3,
                replicas: 0,
            })
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_elasticache_replication_group.cache: replicas_per_node_group: automatic failover needs at least 1 replica per shard, got 0",
    );
}

fn synth(target: &str) -> terrane_core::Synthesized {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    app.synth(target).unwrap_or_else(|e| panic!("{e}"))
}

fn file(s: &terrane_core::Synthesized, path: &str) -> String {
    s.file(path)
        .unwrap_or_else(|| panic!("{path} not written"))
        .to_string()
}

fn json(s: &terrane_core::Synthesized, path: &str) -> serde_json::Value {
    serde_json::from_str(&file(s, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const STACKS: [&str; 5] = ["network", "cluster", "data", "platform", "observability"];

#[test]
fn eks_clusters_run_1_35_with_an_endpoint_the_deploy_path_reaches() {
    for target in ["eks-prod", "eks-staging"] {
        let s = synth(target);
        let cluster = json(&s, "cluster/main.tf.json");
        let eks = cluster["resource"]["aws_eks_cluster"]
            .as_object()
            .and_then(|m| m.values().next())
            .unwrap_or_else(|| panic!("{target}: no cluster"));
        assert_eq!(eks["version"], "1.35", "{target}");
        let vpc = &eks["vpc_config"];
        assert_eq!(vpc["endpoint_private_access"], true, "{target}");
        assert_eq!(vpc["endpoint_public_access"], false, "{target}");
        // The deploy runner: CodeBuild in the private subnets, admitted to the cluster.
        let project = cluster["resource"]["aws_codebuild_project"]
            .as_object()
            .and_then(|m| m.values().next())
            .unwrap_or_else(|| panic!("{target}: no deploy runner"));
        assert_eq!(
            project["vpc_config"]["subnets"], vpc["subnet_ids"],
            "{target}"
        );
        assert_eq!(project["environment"]["privileged_mode"], false, "{target}");
        let entry = cluster["resource"]["aws_eks_access_entry"]
            .as_object()
            .and_then(|m| m.values().next())
            .unwrap_or_else(|| panic!("{target}: no access entry"));
        assert_eq!(entry["principal_arn"], project["service_role"], "{target}");
        let cni = &cluster["resource"]["aws_eks_addon"];
        let cni = cni
            .as_object()
            .and_then(|m| m.values().find(|a| a["addon_name"] == "vpc-cni"))
            .unwrap_or_else(|| panic!("{target}: no vpc-cni"));
        assert!(cni["configuration_values"]
            .as_str()
            .is_some_and(|c| c.contains("enableNetworkPolicy = \"true\"")));
    }
}

#[test]
fn no_account_id_or_partition_is_written_literally() {
    for target in ["eks-prod", "eks-staging"] {
        let s = synth(target);
        for stack in STACKS {
            let text = file(&s, &format!("{stack}/main.tf.json"));
            // the provider's allowed_account_ids is the one place the account is named
            let mentions = text.matches("123456789012").count();
            let allowed = text.matches("\"allowed_account_ids\"").count();
            assert_eq!(mentions, allowed, "{target}/{stack}: literal account id");
            assert!(
                !text.contains("arn:aws:") || stack == "cluster" || stack == "data",
                "{target}/{stack}: literal partition"
            );
        }
    }
}

/// Names of account- or region-scoped resources of a target.
fn scoped_names(target: &str) -> BTreeSet<String> {
    let s = synth(target);
    let mut names = BTreeSet::new();
    for stack in STACKS {
        let doc = json(&s, &format!("{stack}/main.tf.json"));
        let Some(resources) = doc["resource"].as_object() else {
            continue;
        };
        // inline role policies are named within their role, releases within their cluster
        let scoped = resources
            .iter()
            .filter(|(ty, _)| *ty != "aws_iam_role_policy" && *ty != "helm_release");
        for (ty, blocks) in scoped {
            for body in blocks.as_object().into_iter().flat_map(|m| m.values()) {
                for key in ["name", "bucket", "replication_group_id", "identifier"] {
                    if let Some(n) = body[key].as_str().filter(|n| !n.contains("${")) {
                        names.insert(format!("{ty}:{n}"));
                    }
                }
            }
        }
    }
    names
}

#[test]
fn eks_prod_and_eks_staging_share_no_scoped_name() {
    let prod = scoped_names("eks-prod");
    let staging = scoped_names("eks-staging");
    assert!(prod.contains("aws_ecr_repository:prod/shop/api"));
    assert!(prod.contains("aws_ecr_repository:prod/shop/ml-api"));
    assert!(staging.contains("aws_secretsmanager_secret:staging/platform/grafana"));
    let shared: Vec<_> = prod.intersection(&staging).collect();
    assert!(shared.is_empty(), "both targets create {shared:?}");
}

#[test]
fn registries_are_outputs_the_manifests_can_read() {
    let s = synth("eks-prod");
    let data = json(&s, "data/main.tf.json");
    for name in [
        "api_repository_url",
        "worker_repository_url",
        "ml_api_repository_url",
    ] {
        assert!(data["output"][name].is_object(), "output {name}");
    }
}

fn release(s: &terrane_core::Synthesized, name: &str) -> Option<serde_json::Value> {
    let platform = json(s, "platform/main.tf.json");
    let r = platform["resource"]["helm_release"][name].clone();
    (!r.is_null()).then_some(r)
}

#[test]
fn the_controllers_the_manifests_need_are_installed() {
    for target in ["eks-prod", "eks-staging"] {
        let s = synth(target);
        for name in [
            "aws_load_balancer_controller",
            "cluster_autoscaler",
            "metrics_server",
            "vertical_pod_autoscaler",
            "cert_manager",
            "external_secrets",
            "ingress_nginx",
            "kube_prometheus_stack",
            "prometheus_adapter",
            "loki",
            "alloy",
            "tempo",
            "opentelemetry_collector",
        ] {
            assert!(release(&s, name).is_some(), "{target}: {name}");
        }
        let es = release(&s, "external_secrets").unwrap_or_default();
        assert_eq!(es["version"], "2.9.0");
        let nginx = release(&s, "ingress_nginx").unwrap_or_default();
        assert_eq!(
            nginx["depends_on"][0],
            "helm_release.aws_load_balancer_controller"
        );
        let adapter = release(&s, "prometheus_adapter").unwrap_or_default();
        let values = adapter["values"][0].as_str().unwrap_or_default();
        assert!(values.contains("celery_queue_length"), "{values}");
        assert!(values.contains("kube-prometheus-stack-prometheus.monitoring.svc"));
    }
    let prod = synth("eks-prod");
    let plugin = release(&prod, "nvidia_device_plugin").unwrap_or_default();
    let values = plugin["values"][0].as_str().unwrap_or_default();
    assert!(values.contains("accelerator") && values.contains("nvidia.com/gpu"));
    let staging = synth("eks-staging");
    assert!(
        release(&staging, "nvidia_device_plugin").is_none(),
        "no GPU nodes on staging"
    );
}

#[test]
fn loki_fits_the_staging_nodes_and_reads_only_its_bucket() {
    let s = synth("eks-staging");
    let loki = release(&s, "loki").unwrap_or_default();
    let values = loki["values"][0].as_str().unwrap_or_default();
    // t3.large nodes have 8 GiB: the chunks cache pod requests 1.2 times this
    assert!(
        values.contains("chunksCache = {allocatedMemory = 1024}"),
        "{values}"
    );
    let data = file(&s, "data/main.tf.json");
    assert!(data.contains("\"bucket\": \"acme-staging-loki\""));
    assert!(data.contains("${aws_s3_bucket.acme_staging_loki.arn}/*"));
}

#[test]
fn a_sharded_cache_without_a_separate_celery_broker_is_refused() {
    let mut app = terrane_core::App::new();
    app.schemas(terrane_stacks::schemas().unwrap_or_else(|e| panic!("{e}")));
    app.target("eks-prod", "test", |t| {
        let env = terrane_stacks::aws_platform::EksEnv {
            redis_broker_node_type: None,
            ..terrane_stacks::aws_platform::eks_prod()
        };
        terrane_stacks::aws_platform::build_eks(t, &env);
    });
    let lines = match app.synth("eks-prod") {
        Err(terrane_core::Error::Checks(d)) => d.lines(),
        other => panic!("expected the broker check to fail: {:?}", other.map(|_| ())),
    };
    assert_eq!(
        lines,
        ["error: [eks-prod/data] aws_elasticache_replication_group.prod_cache: num_node_groups: the cache is sharded (cluster mode), which Celery's Redis broker transport (kombu) does not support: give the environment a separate broker (EksEnv::redis_broker_node_type)"]
    );
}
