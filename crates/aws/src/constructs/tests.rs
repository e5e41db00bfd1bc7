//! Unit tests of the defaults that matter: each asserts what a construct writes
//! without being asked.

use terrane_core::construct::{Construct, Ipv4Cidr};
use terrane_core::{Expr, Handle, Stack, Value};

use super::*;

fn raw(s: &str) -> Expr<String> {
    Expr::raw(s)
}

fn subnets(n: usize) -> Vec<Value<String>> {
    (0..n)
        .map(|i| raw(&format!("var.subnet_{i}")).into())
        .collect()
}

fn body(stack: &Stack, h: &impl Handle) -> String {
    stack
        .body_of(h)
        .map(|t| t.to_json())
        .unwrap_or_else(|| panic!("{} not declared", h.address()))
}

/// The first line of the error synthesizing a target of one stack `stack` built by `build`.
fn first_error(
    stack: &'static str,
    build: impl Fn(&mut Stack) + Send + Sync + 'static,
) -> Option<String> {
    let mut app = terrane_core::App::new();
    app.target("t", "", move |t| {
        let mut s = Stack::new(stack);
        build(&mut s);
        t.add_stack(s);
    });
    let err = app.synth("t").err()?.to_string();
    err.lines().next().map(String::from)
}

/// The arguments of block `ty.name` (resource or data source) as JSON, empty if absent.
fn block_json(stack: &Stack, ty: &str, name: &str) -> String {
    stack
        .blocks()
        .find(|b| b.ty == ty && b.name == name)
        .map(|b| b.body.to_json())
        .unwrap_or_default()
}

fn count(stack: &Stack, prefix: &str) -> usize {
    stack
        .addresses()
        .iter()
        .filter(|a| a.starts_with(prefix))
        .count()
}

#[test]
fn cidr_arithmetic_matches_terraform_cidrsubnet() {
    let v = Ipv4Cidr::parse("10.10.0.0/16").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v.subnet(3, 2).map(|c| c.to_string()).as_deref(),
        Some("10.10.64.0/19")
    );
    assert_eq!(
        v.subnet(8, 160).map(|c| c.to_string()).as_deref(),
        Some("10.10.160.0/24")
    );
    assert!(v.subnet(3, 8).is_none());
    assert!(Ipv4Cidr::parse("10.0.0.0/33").is_err());
    assert!(Ipv4Cidr::parse("10.0.0/16").is_err());
}

#[test]
fn vpc_defaults_three_zones_nat_per_zone_private_layout_flow_logs() {
    let mut s = Stack::new("network");
    let vpc = Vpc::new("prod", "10.0.0.0/16", "us-east-1").add_to(&mut s);
    assert_eq!(vpc.zones(), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert_eq!(
        vpc.private_subnet_cidrs(),
        ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
    );
    assert_eq!(
        vpc.public_subnet_cidrs(),
        ["10.0.128.0/22", "10.0.132.0/22", "10.0.136.0/22"]
    );
    assert_eq!(
        vpc.database_subnet_cidrs(),
        ["10.0.160.0/24", "10.0.161.0/24", "10.0.162.0/24"]
    );
    assert_eq!(count(&s, "aws_nat_gateway."), 3);
    assert_eq!(count(&s, "aws_flow_log."), 1);
    assert_eq!(count(&s, "aws_default_security_group."), 1);
    // public subnets never hand out public IPs; private ones carry the internal-elb tag
    assert!(body(&s, &vpc.public_subnets()[0]).contains("\"map_public_ip_on_launch\": false"));
    assert!(body(&s, &vpc.private_subnets()[0]).contains("kubernetes.io/role/internal-elb"));
    // the database subnets have no route to the internet
    assert_eq!(count(&s, "aws_route.prod_private_"), 3);
    assert!(!s
        .addresses()
        .iter()
        .any(|a| a.starts_with("aws_route.prod_database")));
}

#[test]
fn vpc_single_nat_is_shared_by_every_private_route_table() {
    let mut s = Stack::new("network");
    let vpc = Vpc::new("staging", "10.20.0.0/16", "us-east-1")
        .azs(2)
        .nat_gateways(NatGateways::Single)
        .add_to(&mut s);
    assert_eq!(vpc.nat_gateway_count(), 1);
    assert_eq!(count(&s, "aws_nat_gateway."), 1);
    assert_eq!(count(&s, "aws_route.staging_private_"), 2);
}

#[test]
fn kms_key_rotates_has_a_policy_and_is_protected() {
    let mut s = Stack::new("data");
    let account = AwsAccount::current(&mut s);
    let key = KmsKey::new("prod-data", &account).add_to(&mut s);
    let b = body(&s, key.key());
    assert!(b.contains("\"enable_key_rotation\": true"));
    assert!(b.contains("\"deletion_window_in_days\": 30"));
    assert!(b.contains("\"policy\": \"${jsonencode("));
    assert!(b.contains(
        "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
    ));
    assert!(!b.contains("arn:aws:"), "no literal partition: {b}");
    assert_eq!(count(&s, "aws_kms_alias.prod_data"), 1);
}

#[test]
fn eks_cluster_is_private_encrypted_logged_with_oidc_and_addons() {
    let mut s = Stack::new("cluster");
    let eks = EksCluster::new("prod", subnets(3), raw("var.key"))
        .node_group(NodeGroup::new("general", ["m6i.large"]))
        .node_group(NodeGroup::new("workers", ["m6i.large"]).spot())
        .node_group(NodeGroup::gpu("gpu", ["g5.xlarge"]))
        .add_to(&mut s);
    let b = body(&s, eks.cluster());
    assert!(b.contains("\"endpoint_private_access\": true"));
    assert!(b.contains("\"endpoint_public_access\": false"));
    assert!(b.contains("\"secrets\""));
    for log in [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
    ] {
        assert!(b.contains(&format!("\"{log}\"")), "{log} logs");
    }
    assert_eq!(count(&s, "aws_iam_openid_connect_provider."), 1);
    assert!(b.contains("\"version\": \"1.35\""));
    assert_eq!(
        count(&s, "aws_eks_addon."),
        5,
        "vpc-cni, coredns, kube-proxy, pod identity, EBS"
    );
    assert!(
        body(&s, &eks.node_groups()[0]).contains("\"k8s.io/cluster-autoscaler/prod\": \"owned\"")
    );
    assert!(body(&s, &eks.node_groups()[0]).contains("\"capacity_type\": \"ON_DEMAND\""));
    assert!(body(&s, &eks.node_groups()[1]).contains("\"capacity_type\": \"SPOT\""));
    let gpu = body(&s, &eks.node_groups()[2]);
    assert!(gpu.contains("\"key\": \"nvidia.com/gpu\""));
    assert!(gpu.contains("\"effect\": \"NO_SCHEDULE\""));
    assert!(gpu.contains("\"accelerator\": \"nvidia\""));
}

#[test]
fn irsa_role_trusts_only_the_named_service_account() {
    let mut s = Stack::new("cluster");
    let eks = EksCluster::new("prod", subnets(2), raw("var.key")).add_to(&mut s);
    let role = eks.irsa_role(&mut s, "api", "shop", "api", &[], vec![]);
    assert_eq!(role.arn().to_hcl(), "aws_iam_role.prod_irsa_api.arn");
    let trust = s
        .addresses()
        .into_iter()
        .find(|a| a == "data.aws_iam_policy_document.prod_irsa_api_assume");
    assert!(trust.is_some());
}

#[test]
fn eks_public_endpoint_is_cidr_limited() {
    let mut s = Stack::new("cluster");
    let eks = EksCluster::new("prod", subnets(2), raw("var.key"))
        .public_endpoint(["203.0.113.0/24"])
        .add_to(&mut s);
    let b = body(&s, eks.cluster());
    assert!(b.contains("\"endpoint_public_access\": true"));
    assert!(b.contains("203.0.113.0/24"));
}

#[test]
fn rds_defaults_are_production_safe() {
    let mut s = Stack::new("data");
    let db = RdsPostgres::new("orders", raw("var.vpc"), subnets(2), raw("var.key"))
        .allow_from(raw("var.nodes"))
        .add_to(&mut s);
    let b = body(&s, db.instance());
    for expected in [
        "\"storage_encrypted\": true",
        "\"multi_az\": true",
        "\"backup_retention_period\": 30",
        "\"deletion_protection\": true",
        "\"manage_master_user_password\": true",
        "\"performance_insights_enabled\": true",
        "\"publicly_accessible\": false",
        "\"skip_final_snapshot\": false",
        "\"kms_key_id\": \"${var.key}\"",
    ] {
        assert!(b.contains(expected), "{expected} in {b}");
    }
    assert!(!b.contains("\"password\""), "never a literal password");
    let params = s
        .addresses()
        .into_iter()
        .any(|a| a == "aws_db_parameter_group.orders");
    assert!(params);
    // only the allowed security group gets in, on 5432
    assert_eq!(
        count(&s, "aws_vpc_security_group_ingress_rule.orders_db_from_"),
        1
    );
    assert_eq!(count(&s, "aws_vpc_security_group_egress_rule."), 0);
}

#[test]
fn rds_backup_copy_goes_through_aws_backup_to_the_other_region() {
    let mut s = Stack::new("data");
    let west = s.provider(
        terrane_core::Provider::new(crate::required_provider())
            .alias("west")
            .arg("region", "us-west-2"),
    );
    RdsPostgres::new("orders", raw("var.vpc"), subnets(2), raw("var.key"))
        .copy_backups_to(BackupCopy {
            provider: west,
            kms_key_arn: raw("var.west_key").into(),
            retention_days: 35,
        })
        .add_to(&mut s);
    assert_eq!(count(&s, "aws_backup_vault."), 2);
    assert_eq!(count(&s, "aws_backup_plan."), 1);
    assert_eq!(count(&s, "aws_backup_selection."), 1);
}

#[test]
fn redis_is_encrypted_fails_over_and_authenticates_with_iam_only() {
    let mut s = Stack::new("data");
    let r = RedisCluster::new("cache", raw("var.vpc"), subnets(2), raw("var.key"))
        .iam_user("api")
        .add_to(&mut s);
    let b = body(&s, r.group());
    for expected in [
        "\"at_rest_encryption_enabled\": \"true\"",
        "\"transit_encryption_enabled\": true",
        "\"automatic_failover_enabled\": true",
        "\"multi_az_enabled\": true",
        "\"${aws_elasticache_user_group.cache.user_group_id}\"",
    ] {
        assert!(b.contains(expected), "{expected} in {b}");
    }
    assert!(!b.contains("auth_token"), "{b}");
    assert_eq!(count(&s, "aws_secretsmanager"), 0);
    let block = |name: &str| {
        s.blocks()
            .find(|b| b.ty == "aws_elasticache_user" && b.name == name)
            .map(|b| b.body.to_json())
            .unwrap_or_else(|| panic!("aws_elasticache_user.{name} not declared"))
    };
    let default = block("cache_default");
    assert!(
        default.contains("\"access_string\": \"off -@all\""),
        "{default}"
    );
    assert!(default.contains("\"user_name\": \"default\""), "{default}");
    let api = block("cache_api");
    for expected in [
        "\"user_id\": \"cache-api\"",
        "\"user_name\": \"cache-api\"",
        "\"type\": \"iam\"",
    ] {
        assert!(api.contains(expected), "{expected} in {api}");
    }
    assert_eq!(r.user_name("api").as_deref(), Some("cache-api"));
    assert!(r.user_name("worker").is_none());
}

#[test]
fn bucket_blocks_public_access_versions_and_encrypts_with_kms() {
    let mut s = Stack::new("data");
    Bucket::log_bucket("acme-logs", raw("var.key")).add_to(&mut s);
    let json: String = s
        .addresses()
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(",");
    for r in [
        "aws_s3_bucket_public_access_block.acme_logs",
        "aws_s3_bucket_versioning.acme_logs",
        "aws_s3_bucket_server_side_encryption_configuration.acme_logs",
        "aws_s3_bucket_lifecycle_configuration.acme_logs",
    ] {
        assert!(json.contains(r), "{r}");
    }
}

#[test]
fn registry_tags_are_immutable_and_images_scanned() {
    let mut s = Stack::new("data");
    let r = Registry::new("shop/api", raw("var.key")).add_to(&mut s);
    let b = body(&s, r.repository());
    assert!(b.contains("\"image_tag_mutability\": \"IMMUTABLE\""));
    assert!(b.contains("\"scan_on_push\": true"));
    assert!(b.contains("\"encryption_type\": \"KMS\""));
}

#[test]
fn budget_notifies_actual_and_forecasted_at_50_80_100() {
    let mut s = Stack::new("cost");
    let b = Budget::new("prod", 1000)
        .email("a@example.com")
        .add_to(&mut s);
    let j = body(&s, b.budget());
    assert_eq!(j.matches("\"notification_type\": \"ACTUAL\"").count(), 3);
    assert_eq!(
        j.matches("\"notification_type\": \"FORECASTED\"").count(),
        3
    );
    for t in ["50", "80", "100"] {
        assert!(j.contains(&format!("\"threshold\": {t}")), "{t}");
    }
}

#[test]
fn secret_rotation_is_declared_only_when_asked() {
    let mut s = Stack::new("data");
    Secret::new("plain", raw("var.key")).add_to(&mut s);
    assert_eq!(count(&s, "aws_secretsmanager_secret_rotation."), 0);
    Secret::new("rotated", raw("var.key"))
        .rotate_with(raw("var.lambda"), 30)
        .add_to(&mut s);
    assert_eq!(count(&s, "aws_secretsmanager_secret_rotation."), 1);
}

#[test]
fn a_write_only_secret_value_keeps_only_its_version_in_state() {
    let mut s = Stack::new("app");
    let key = s.ephemeral(
        "key",
        crate::secretsmanager::EphemeralSecretsmanagerRandomPassword::new().password_length(64),
    );
    let secret = Secret::new("signing", raw("var.key"))
        .value_write_only(key.attr::<String>("random_password"), 2)
        .add_to(&mut s);
    assert!(secret.value().is_none());
    let version = secret.version().expect("a version");
    let b = body(&s, version);
    assert!(!b.contains("\"secret_string\""), "{b}");
    assert!(b.contains(
        "\"secret_string_wo\": \"${ephemeral.aws_secretsmanager_random_password.key.random_password}\""
    ));
    assert!(b.contains("\"secret_string_wo_version\": 2"));
}

#[test]
fn fargate_service_is_private_behind_https_with_health_checks() {
    let mut s = Stack::new("app");
    let svc = FargateService::new("api", "nginx:1.27")
        .network(raw("var.vpc"), "10.0.0.0/16", subnets(2), subnets(2))
        .certificate(raw("var.cert"))
        .kms_key(raw("var.key"))
        .add_to(&mut s);
    let b = body(&s, svc.service());
    assert!(b.contains("\"assign_public_ip\": false"));
    // every task on regular Fargate unless a Spot share is given
    assert!(b.contains("\"capacity_provider\": \"FARGATE\""));
    assert!(b.contains("\"capacity_provider\": \"FARGATE_SPOT\",\n      \"weight\": 0"));
    let all: Vec<String> = s.addresses();
    assert!(all.contains(&"aws_ecs_cluster_capacity_providers.api".to_string()));
    assert!(all.contains(&"aws_lb_listener.api_http".to_string()));
    assert!(all.contains(&"aws_lb_listener.api_https".to_string()));
    assert!(all.contains(&"aws_appautoscaling_policy.api_cpu".to_string()));
    let lb = body(&s, svc.load_balancer());
    assert!(lb.contains("\"drop_invalid_header_fields\": true"));
}

#[test]
fn redis_without_an_iam_user_is_reported() {
    let err = first_error("data", |s| {
        RedisCluster::new("cache", raw("var.vpc"), subnets(2), raw("var.key")).add_to(s);
    });
    assert_eq!(
        err.as_deref(),
        Some("error: [t/data] aws_elasticache_replication_group.cache: user_group_ids: no IAM user (RedisCluster::iam_user): the only user is the disabled default user, so nothing can connect")
    );
}

#[test]
fn redis_user_id_elasticache_refuses_is_reported() {
    let err = first_error("data", |s| {
        RedisCluster::new("cache", raw("var.vpc"), subnets(2), raw("var.key"))
            .iam_user("Api")
            .add_to(s);
    });
    assert_eq!(
        err.as_deref(),
        Some("error: [t/data] aws_elasticache_user.cache_api: user_id: `cache-Api` is not an ElastiCache user id: a letter, then lowercase letters, digits and single hyphens, not ending in a hyphen")
    );
}

fn east(s: &mut Stack) -> terrane_core::ProviderRef {
    s.provider(
        terrane_core::Provider::new(crate::required_provider())
            .alias("us-east-1")
            .arg("region", "us-east-1"),
    )
}

fn cdn(s: &mut Stack, blocked: &[&str]) -> CdnHandle {
    cdn_of(s).geo_block(blocked.iter().copied()).add_to(s)
}

/// Distribution `api` in front of `origin.api.example.com`, nothing blocked yet.
fn cdn_of(s: &mut Stack) -> Cdn {
    let p = east(s);
    Cdn::new(
        "api",
        "api.example.com",
        Value::from("origin.api.example.com"),
        raw("var.cert"),
        raw("var.acl"),
        (raw("var.key"), "acme-api-cdn-logs"),
        &p,
    )
}

#[test]
fn cdn_passes_everything_uncached_to_an_https_origin_and_logs_through_delivery() {
    let mut s = Stack::new("app");
    let h = cdn(&mut s, &["KP"]);
    let b = body(&s, h.distribution());
    assert!(
        b.contains("\"origin_protocol_policy\": \"https-only\""),
        "{b}"
    );
    assert!(b.contains("\"TLSv1.2\""));
    assert!(b.contains("\"minimum_protocol_version\": \"TLSv1.2_2021\""));
    assert!(b.contains("\"cache_policy_id\": \"4135ea2d-6df8-44a3-9df3-4b5a84be39ad\""));
    assert!(b.contains("\"origin_request_policy_id\": \"b689b0a8-53d0-40ab-baf2-68738e2966ac\""));
    assert!(b.contains("\"viewer_protocol_policy\": \"redirect-to-https\""));
    // standard logging v2, not the legacy logging_config that needs bucket ACLs
    assert!(!b.contains("logging_config"));
    for block in [
        "aws_cloudwatch_log_delivery_source.api",
        "aws_cloudwatch_log_delivery_destination.api",
        "aws_cloudwatch_log_delivery.api",
        "aws_s3_bucket_policy.api_logs",
        "aws_cloudfront_response_headers_policy.api",
    ] {
        assert!(s.addresses().contains(&block.to_string()), "{block}");
    }
    assert_eq!(count(&s, "aws_s3_bucket_ownership_controls.api_logs"), 1);
    // CloudFront's delivery sources live in us-east-1
    let delivery: Vec<_> = s
        .blocks()
        .filter(|b| b.ty.starts_with("aws_cloudwatch_log_delivery"))
        .map(|b| b.provider.map(|p| p.meta_value()))
        .collect();
    assert_eq!(delivery, vec![Some("aws.us-east-1".to_string()); 3]);
}

#[test]
fn cdn_fallback_path_fails_over_on_5xx_to_a_private_bucket_read_by_this_distribution_only() {
    let mut s = Stack::new("app");
    let h = cdn_of(&mut s)
        .geo_block(["KP"])
        .fallback(CdnFallback::new("/_next/static/*", "acme-api-static"))
        .add_to(&mut s);
    let b = body(&s, h.distribution());
    let flat: String = b.split_whitespace().collect();
    for part in [
        r#""origin_group":[{"origin_id":"app-then-fallback","failover_criteria":{"status_codes":[500,502,503,504]},"member":[{"origin_id":"app"},{"origin_id":"fallback"}]}]"#,
        // CloudFront fails over only GET, HEAD (and OPTIONS) requests
        r#""allowed_methods":["GET","HEAD"]"#,
        r#""path_pattern":"/_next/static/*""#,
        r#""target_origin_id":"app-then-fallback""#,
    ] {
        assert!(flat.contains(part), "{part} not in {flat}");
    }
    assert!(
        b.contains("aws_cloudfront_origin_access_control.api_fallback.id"),
        "{b}"
    );
    assert!(
        b.contains("aws_s3_bucket.acme_api_static.bucket_regional_domain_name"),
        "{b}"
    );
    let policy = block_json(&s, "aws_iam_policy_document", "api_fallback");
    assert!(
        policy.contains("aws_cloudfront_distribution.api.arn"),
        "{policy}"
    );
    assert!(policy.contains("AWS:SourceArn"), "{policy}");
    assert_eq!(
        h.fallback_bucket().unwrap().to_hcl(),
        "aws_s3_bucket.acme_api_static.id"
    );
    assert_eq!(
        count(&s, "aws_s3_bucket_ownership_controls.api_fallback"),
        1
    );
}

#[test]
fn cdn_blocking_no_country_is_refused() {
    let err = first_error("app", |s| {
        cdn(s, &[]);
    });
    assert_eq!(
        err.as_deref(),
        Some("error: [t/app] aws_cloudfront_distribution.api: restrictions.geo_restriction.locations: the distribution blocks no country: give the countries the service may not serve (Cdn::geo_block)")
    );
}

#[test]
fn fargate_service_behind_a_vpc_origin_is_internal_https_only_from_the_prefix_list() {
    let mut s = Stack::new("app");
    let private = vec![raw("var.private").into()];
    let svc = FargateService::new("api", "nginx:1.27")
        .network(raw("var.vpc"), "10.0.0.0/16", private, subnets(2))
        .certificate(raw("var.cert"))
        .kms_key(raw("var.key"))
        .internal_behind_vpc_origin(raw("data.aws_ec2_managed_prefix_list.cf.id"))
        .add_to(&mut s);
    let lb = body(&s, svc.load_balancer());
    assert!(lb.contains("\"internal\": true"), "{lb}");
    assert!(
        lb.contains("var.private") && !lb.contains("var.subnet_"),
        "{lb}"
    );
    // no HTTP listener: nothing but the VPC origin reaches it, over HTTPS
    assert!(!s
        .addresses()
        .contains(&"aws_lb_listener.api_http".to_string()));
    assert_eq!(
        count(&s, "aws_vpc_security_group_ingress_rule.api_alb_in_"),
        1
    );
    let rule = block_json(&s, "aws_vpc_security_group_ingress_rule", "api_alb_in_443");
    assert!(
        rule.contains("data.aws_ec2_managed_prefix_list.cf.id"),
        "{rule}"
    );
    assert!(!rule.contains("cidr_ipv4"), "{rule}");
}

#[test]
fn cdn_through_a_vpc_origin_keeps_the_origin_name_and_tls_1_2() {
    let mut s = Stack::new("app");
    let h = cdn_of(&mut s)
        .geo_block(["KP"])
        .vpc_origin(raw("var.alb"))
        .add_to(&mut s);
    let b = body(&s, h.distribution());
    assert!(
        b.contains("\"vpc_origin_id\": \"${aws_cloudfront_vpc_origin.api.id}\""),
        "{b}"
    );
    assert!(
        b.contains("\"domain_name\": \"origin.api.example.com\""),
        "{b}"
    );
    assert!(!b.contains("custom_origin_config"), "{b}");
    let origin = block_json(&s, "aws_cloudfront_vpc_origin", "api");
    for want in [
        "\"arn\": \"${var.alb}\"",
        "\"origin_protocol_policy\": \"https-only\"",
        "TLSv1.2",
    ] {
        assert!(origin.contains(want), "{want}: {origin}");
    }
}

#[test]
fn alias_to_cloudfront_skips_health_evaluation_and_ipv6_writes_aaaa() {
    let mut s = Stack::new("app");
    let a = AliasRecord::new(
        "api.example.com",
        raw("var.zone"),
        raw("var.cdn"),
        CLOUDFRONT_ZONE_ID,
    )
    .ipv6()
    .add_to(&mut s);
    let b = body(&s, &a);
    assert!(b.contains("\"type\": \"AAAA\""), "{b}");
    assert!(b.contains("\"evaluate_target_health\": false"), "{b}");
    let lb = AliasRecord::new(
        "origin.example.com",
        raw("var.zone"),
        raw("var.lb"),
        raw("var.lb_zone"),
    )
    .add_to(&mut s);
    assert!(body(&s, &lb).contains("\"evaluate_target_health\": true"));
}

#[test]
fn web_acl_behind_a_cdn_has_no_per_ip_rate_rule() {
    let mut s = Stack::new("app");
    let with = WebAcl::new("edge", raw("var.key")).add_to(&mut s);
    let without = WebAcl::new("alb", raw("var.key"))
        .without_rate_limit()
        .add_to(&mut s);
    assert!(body(&s, with.web_acl()).contains("rate_based_statement"));
    assert!(!body(&s, without.web_acl()).contains("rate_based_statement"));
}
