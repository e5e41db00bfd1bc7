//! The AWS platform: each domain check with its exact message (through a full synth,
//! so target, stack, address and field are checked too), and the settings that make
//! `eks-prod`, `eks-staging` and `fargate-prod` what they are.

use terrane_aws::constructs::{
    Bucket, Budget, EksCluster, FargateCapacity, FargateService, NodeGroup, RdsPostgres, Vpc,
    WebAcl,
};
use terrane_core::construct::{Construct, Environment};

use crate::support::{assert_problem, problems, raw, subnets};

#[test]
fn overlapping_subnet_cidrs_are_reported() {
    let lines = problems(|s| {
        Vpc::new("net", "10.0.0.0/16", "us-east-1")
            .azs(2)
            .private_subnet_cidrs(["10.0.0.0/20", "10.0.8.0/24"])
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_subnet.net_private_1: cidr_block: subnet CIDR 10.0.8.0/24 overlaps 10.0.0.0/20 of aws_subnet.net_private_0",
    );
}

#[test]
fn subnet_outside_the_vpc_is_reported() {
    let lines = problems(|s| {
        Vpc::new("net", "10.0.0.0/16", "us-east-1")
            .azs(2)
            .public_subnet_cidrs(["10.0.128.0/22", "10.1.0.0/22"])
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_subnet.net_public_1: cidr_block: subnet CIDR 10.1.0.0/22 is outside the VPC CIDR 10.0.0.0/16",
    );
}

#[test]
fn vpc_cidr_with_host_bits_is_one_error_at_the_vpc() {
    let lines = problems(|s| {
        Vpc::new("net", "10.0.0.1/16", "us-east-1").add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_vpc.net: cidr_block: `10.0.0.1/16` has host bits set after the /16 prefix; the network is `10.0.0.0/16`"]
    );
}

#[test]
fn vpc_cidr_with_leading_zeros_is_one_error_at_the_vpc() {
    let lines = problems(|s| {
        Vpc::new("net", "010.000.0.0/16", "us-east-1").add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_vpc.net: cidr_block: `010.000.0.0/16` is not an IPv4 CIDR (a.b.c.d/n, octets 0-255 without leading zeros, n at most 32)"]
    );
}

#[test]
fn subnet_cidr_with_host_bits_is_reported_at_the_subnet() {
    let lines = problems(|s| {
        Vpc::new("net", "10.0.0.0/16", "us-east-1")
            .azs(2)
            .database_subnet_cidrs(["10.0.160.1/24", "10.0.161.0/24"])
            .add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_subnet.net_database_0: cidr_block: `10.0.160.1/24` has host bits set after the /24 prefix; the network is `10.0.160.0/24`"]
    );
}

#[test]
fn multi_az_database_needs_two_zones() {
    let lines = problems(|s| {
        RdsPostgres::new("db", raw("var.vpc"), subnets(1), raw("var.key")).add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_db_instance.db: multi_az: a multi-AZ database needs subnets in at least 2 availability zones, got 1",
    );
}

#[test]
fn node_group_min_above_max_is_reported() {
    let lines = problems(|s| {
        EksCluster::new("k", subnets(2), raw("var.key"))
            .node_group(NodeGroup::new("general", ["m6i.large"]).scaling(5, 5, 3))
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_eks_node_group.k_general: scaling_config.min_size: node group `general`: min size 5 is above max size 3",
    );
}

#[test]
fn production_database_without_deletion_protection_is_reported() {
    let lines = problems(|s| {
        RdsPostgres::new("db", raw("var.vpc"), subnets(2), raw("var.key"))
            .without_deletion_protection()
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_db_instance.db: deletion_protection: a production database must have deletion protection",
    );
}

#[test]
fn production_database_without_backups_is_reported() {
    let lines = problems(|s| {
        RdsPostgres::new("db", raw("var.vpc"), subnets(2), raw("var.key"))
            .backup_retention_days(0)
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_db_instance.db: backup_retention_period: a production database must keep automated backups (backup_retention_period is 0)",
    );
}

#[test]
fn production_database_without_encryption_is_reported() {
    let lines = problems(|s| {
        RdsPostgres::new("db", raw("var.vpc"), subnets(2), raw("var.key"))
            .without_storage_encryption()
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_db_instance.db: storage_encrypted: a production database must encrypt its storage",
    );
}

#[test]
fn non_production_database_may_skip_the_production_rules() {
    let lines = problems(|s| {
        RdsPostgres::new("db", raw("var.vpc"), subnets(2), raw("var.key"))
            .environment(Environment::NonProduction)
            .without_deletion_protection()
            .backup_retention_days(0)
            .add_to(s);
    });
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn bucket_without_public_access_block_is_reported() {
    let lines = problems(|s| {
        Bucket::new("acme-site", raw("var.key"))
            .without_public_access_block()
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_s3_bucket.acme_site: bucket `acme-site` has no public access block: its objects could be made public",
    );
}

#[test]
fn budget_thresholds_outside_0_to_200_are_reported() {
    let lines = problems(|s| {
        Budget::new("b", 100)
            .thresholds([0.0, 80.0, 250.0])
            .add_to(s);
    });
    assert_problem(
        &lines,
        "error: [t/s] aws_budgets_budget.b: notification.0.threshold: budget threshold 0% is outside (0, 200]",
    );
    assert_problem(
        &lines,
        "error: [t/s] aws_budgets_budget.b: notification.2.threshold: budget threshold 250% is outside (0, 200]",
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
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

#[test]
fn eks_prod_stacks_in_order_with_backups_copied_to_us_west_2() {
    let s = synth("eks-prod");
    let order: Vec<(&str, Vec<String>)> = s
        .stacks
        .iter()
        .map(|st| (st.name.as_str(), st.depends_on.clone()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("network", vec![]),
            ("cluster", vec!["network".to_string()]),
            ("data", vec!["network".to_string(), "cluster".to_string()]),
            (
                "platform",
                vec![
                    "network".to_string(),
                    "cluster".to_string(),
                    "data".to_string(),
                ],
            ),
            ("observability", vec!["data".to_string()]),
        ]
    );
    let data = file(&s, "data/main.tf.json");
    assert!(data.contains("\"alias\": \"backup\""));
    assert!(data.contains("\"region\": \"us-west-2\""));
    assert!(data.contains("\"provider\": \"aws.backup\""));
    assert!(data.contains("\"copy_action\""));
    assert!(data.contains("\"multi_az\": true"));
    let network = file(&s, "network/main.tf.json");
    assert_eq!(network.matches("\"aws_nat_gateway\"").count(), 1);
    assert!(network.contains("\"prod_2\""), "a NAT gateway per zone");
    let cluster = file(&s, "cluster/main.tf.json");
    assert!(cluster.contains("\"ON_DEMAND\"") && cluster.contains("\"SPOT\""));
    assert!(cluster.contains("AL2023_x86_64_NVIDIA"));
    // workloads read the cluster and data values through remote state
    let platform = file(&s, "platform/main.tf.json");
    assert!(platform.contains("data.terraform_remote_state.data.outputs."));
}

#[test]
fn eks_staging_is_smaller() {
    let s = synth("eks-staging");
    let network = file(&s, "network/main.tf.json");
    assert!(network.contains("\"staging_0\""));
    assert!(!network.contains("\"staging_1\": {\n        \"allocation_id\""));
    assert!(!network.contains("us-east-1c"), "2 zones");
    let data = file(&s, "data/main.tf.json");
    assert!(data.contains("\"multi_az\": false"));
    assert!(!data.contains("us-west-2"), "no backup copy");
    let cluster = file(&s, "cluster/main.tf.json");
    assert!(!cluster.contains("\"ON_DEMAND\""), "spot only");
    let obs = file(&s, "observability/main.tf.json");
    assert!(obs.contains("\"limit_amount\": \"3000.0\""));
}

#[test]
fn web_acl_rate_limit_below_the_waf_minimum_is_reported() {
    let lines = problems(|s| {
        WebAcl::new("api", raw("var.key")).rate_limit(5).add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_wafv2_web_acl.api: rule.statement.rate_based_statement.limit: web ACL `api`: rate limit 5 is below WAF's minimum of 10 requests per 5 minutes"]
    );
}

fn fargate_service() -> FargateService {
    FargateService::new("api", "nginx:1.27")
        .network(raw("var.vpc"), "10.0.0.0/16", subnets(2), subnets(2))
        .certificate(raw("var.key"))
        .kms_key(raw("var.key"))
}

#[test]
fn fargate_spot_share_placing_no_task_is_reported() {
    let lines = problems(|s| {
        fargate_service()
            .spot(FargateCapacity {
                on_demand_base: 2,
                on_demand_weight: 0,
                spot_weight: 0,
            })
            .add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_ecs_service.api: capacity_provider_strategy: service `api`: the Fargate and Fargate Spot weights are both 0, so no task beyond the base is placed"]
    );
}

#[test]
fn fargate_relative_health_check_path_is_reported() {
    let lines = problems(|s| {
        fargate_service().health_check_path("health").add_to(s);
    });
    assert_eq!(
        lines,
        ["error: [t/s] aws_lb_target_group.api: health_check.path: service `api`: health check path `health` must start with `/`"]
    );
}

#[test]
fn fargate_prod_runs_behind_https_with_waf_dns_spot_alarms_and_budget() {
    let s = synth("fargate-prod");
    let app = file(&s, "app/main.tf.json");
    for expected in [
        "\"aws_acm_certificate_validation\"",
        "\"validation_record_fqdns\"",
        "\"allow_overwrite\": true",
        "\"evaluate_target_health\": true",
        "\"ssl_policy\": \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
        // HTTP redirected at the edge; the load balancer is internal, HTTPS only
        "\"viewer_protocol_policy\": \"redirect-to-https\"",
        "\"internal\": true",
        "\"vpc_origin_id\": \"${aws_cloudfront_vpc_origin.fgprod_api.id}\"",
        "\"path\": \"/api/health\"",
        "containerPort = 3000",
        "\"ECSServiceAverageCPUUtilization\"",
        "\"capacity_provider\": \"FARGATE_SPOT\"",
        "\"aws_ecs_cluster_capacity_providers\"",
        "\"name\": \"fgprod/shop/api\"",
        "${aws_ecr_repository.fgprod_shop_api.repository_url}:${var.image_tag}",
        "\"aws_wafv2_web_acl_association\"",
        "\"aws_wafv2_web_acl_logging_configuration\"",
        "\"AWSManagedRulesKnownBadInputsRuleSet\"",
        "\"limit\": 2000",
        "\"name\": \"fgprod-api\"",
    ] {
        assert!(app.contains(expected), "{expected}");
    }
    assert!(
        !app.contains("\"HTTP_301\""),
        "no port-80 listener on the internal ALB"
    );
    // no rotation function nobody creates: RDS rotates the database credentials
    assert!(!app.contains("rotation_lambda_arn"));
    let obs = file(&s, "observability/main.tf.json");
    for expected in [
        "\"CPUUtilization\"",
        "\"MemoryUtilization\"",
        "\"ServiceName\"",
        "\"FreeStorageSpace\"",
        "\"DatabaseConnections\"",
        "\"HTTPCode_Target_5XX_Count\"",
        "\"TargetResponseTime\"",
        "\"aws_cloudwatch_dashboard\"",
        "\"aws_budgets_budget\"",
        "\"protocol\": \"email\"",
    ] {
        assert!(obs.contains(expected), "{expected}");
    }
}
