//! The GCP platform: every domain check of the constructs triggers with its exact
//! message (target, stack, address, field), and the `prod` / `staging` targets have
//! the shape they promise.

use terrane_core::{App, Error, Expr, Stack, Target};
use terrane_gcp::constructs::*;

/// Synthesizes a one-target app (`prod`) built by `build`, expecting the checks to fail;
/// returns the problems as displayed.
fn problems(build: impl Fn(&mut Target) + Send + Sync + 'static) -> Vec<String> {
    let mut app = App::new();
    app.schemas(terrane_stacks::schemas().unwrap_or_else(|e| panic!("{e}")));
    app.target("prod", "test", build);
    match app.synth("prod") {
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("synth succeeded; expected a domain check to fail"),
    }
}

fn project(stack: &mut Stack) -> ProjectServicesHandle {
    ProjectServices::new("acme-test").add_to(stack)
}

fn network(
    stack: &mut Stack,
    project: &ProjectServicesHandle,
    regions: &[&str],
) -> PrivateNetworkHandle {
    let mut n = PrivateNetwork::new(project, "prod");
    for (i, r) in regions.iter().enumerate() {
        n = n.region(
            r,
            &format!("10.{}.0.0/20", 10 + i),
            &format!("10.8.0.{}/28", 16 * i),
        );
    }
    n.add_to(stack)
}

fn assert_has(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l == expected),
        "expected\n  {expected}\namong\n  {}",
        lines.join("\n  ")
    );
}

#[test]
fn serverless_neg_backend_with_a_health_check_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("services");
        let p = project(&mut s);
        let api = CloudRunService::new(&p, "api", "gcr.io/acme/api:1")
            .region("us-central1")
            .add_to(&mut s);
        GlobalHttpsLoadBalancer::new(&p, "api", ["api.example.com"])
            .backend(&api)
            .health_check("projects/acme-test/global/healthChecks/api")
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_has(&lines, "error: [prod/services] google_compute_backend_service.api: health_checks: a backend service with serverless NEG backends cannot have a health check: Cloud Run checks its own instances; remove .health_check(...)");
}

#[test]
fn min_instances_above_max_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("services");
        let p = project(&mut s);
        CloudRunService::new(&p, "api", "gcr.io/acme/api:1")
            .region("us-central1")
            .autoscaling(5, 2)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_has(&lines, "error: [prod/services] google_cloud_run_v2_service.api_us_central1: template.scaling.min_instance_count: min instances (5) is above max instances (2)");
}

#[test]
fn budget_thresholds_outside_zero_to_two_hundred_percent_are_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        Budget::new(
            &p,
            "prod",
            Expr::<String>::raw("\"000000-000000-000000\""),
            200,
        )
        .thresholds([50, 250])
        .forecasted([0])
        .add_to(&mut s);
        t.add_stack(s);
    });
    assert_has(&lines, "error: [prod/observability] google_billing_budget.prod: threshold_rules[1].threshold_percent: budget threshold 250% is outside (0, 200]");
    assert_has(&lines, "error: [prod/observability] google_billing_budget.prod: threshold_rules[2].threshold_percent: budget threshold 0% is outside (0, 200]");
    assert_eq!(lines.len(), 2, "{lines:?}");
}

fn prod_db(change: fn(PrivatePostgres) -> PrivatePostgres) -> Vec<String> {
    problems(move |t| {
        let mut s = Stack::new("data");
        let p = project(&mut s);
        let n = network(&mut s, &p, &["us-central1"]);
        change(PrivatePostgres::new(&p, &n, "prod-db", "us-central1")).add_to(&mut s);
        t.add_stack(s);
    })
}

#[test]
fn production_database_with_a_public_ip_is_reported() {
    let lines = prod_db(|db| db.public_ip(PublicIp::Enabled));
    assert_eq!(lines, ["error: [prod/data] google_sql_database_instance.prod_db: settings.ip_configuration.ipv4_enabled: a production database must not have a public IP: remove .public_ip(PublicIp::Enabled); Cloud Run reaches it through the VPC connector"]);
}

#[test]
fn production_database_without_backups_is_reported() {
    let lines = prod_db(|db| db.backups(Backups::Disabled));
    assert_eq!(lines, ["error: [prod/data] google_sql_database_instance.prod_db: settings.backup_configuration.enabled: a production database needs automated backups and point-in-time recovery: remove .backups(Backups::Disabled)"]);
}

#[test]
fn production_database_without_deletion_protection_is_reported() {
    let lines = prod_db(|db| db.deletion_protection(DeletionProtection::Off));
    assert_eq!(lines, ["error: [prod/data] google_sql_database_instance.prod_db: deletion_protection: a production database needs deletion protection: remove .deletion_protection(DeletionProtection::Off)"]);
}

#[test]
fn non_production_database_may_be_public_and_unprotected() {
    let mut app = App::new();
    app.schemas(terrane_stacks::schemas().unwrap_or_else(|e| panic!("{e}")));
    app.target("dev", "test", |t| {
        let mut s = Stack::new("data");
        let p = project(&mut s);
        let n = network(&mut s, &p, &["us-central1"]);
        PrivatePostgres::new(&p, &n, "dev-db", "us-central1")
            .environment(Environment::NonProduction)
            .public_ip(PublicIp::Enabled)
            .deletion_protection(DeletionProtection::Off)
            .add_to(&mut s);
        t.add_stack(s);
    });
    app.synth("dev").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_iam_database_user_whose_account_cannot_log_in_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("data");
        let p = project(&mut s);
        let n = network(&mut s, &p, &["us-central1"]);
        let api = ServiceAccount::new(&p, "prod-api", "API")
            .role(ProjectRole::CloudSqlClient)
            .add_to(&mut s);
        PrivatePostgres::new(&p, &n, "prod-db", "us-central1")
            .iam_user(&api)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(lines, ["error: [prod/data] google_sql_user.prod_db: name: the IAM database user's service account lacks roles/cloudsql.instanceUser: add .role(ProjectRole::CloudSqlInstanceUser) to its ServiceAccount"]);
}

#[test]
fn cloud_run_region_without_a_connector_to_a_private_database_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("platform");
        let p = project(&mut s);
        let n = network(&mut s, &p, &["us-central1"]);
        let db = PrivatePostgres::new(&p, &n, "prod-db", "us-central1").add_to(&mut s);
        CloudRunService::new(&p, "api", "gcr.io/acme/api:1")
            .regions(["us-central1", "us-east1"])
            .connectors(n.connectors())
            .database(&db)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(lines, ["error: [prod/platform] google_cloud_run_v2_service.api_us_east1: template.vpc_access.connector: region us-east1 has no Serverless VPC Access connector, but the database is private: add the region to the PrivateNetwork"]);
}

#[test]
fn notification_channel_without_a_destination_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        NotificationChannel::email(&p, "On-call", " ").add_to(&mut s);
        let token = s.variable(
            "slack_token",
            terrane_core::Variable::<String>::new()
                .sensitive()
                .supplied_at_apply(),
        );
        NotificationChannel::slack(&p, "Team", "", token).add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/observability] google_monitoring_notification_channel.on_call_email: labels.email_address: notification channel `On-call` has no destination",
            "error: [prod/observability] google_monitoring_notification_channel.team_slack: labels.channel_name: notification channel `Team` has no destination",
        ]
    );
}

#[test]
fn prod_applies_in_three_stacks_with_typed_cross_stack_references() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("prod").unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<(&str, Vec<String>)> = out
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.depends_on.clone()))
        .collect();
    assert_eq!(
        order,
        [
            ("foundation", vec![]),
            ("services", vec!["foundation".to_string()]),
            ("observability", vec!["foundation".to_string()]),
        ]
    );
    let services = out.file("services/main.tf.json").unwrap_or_default();
    assert!(services.contains(
        "${data.terraform_remote_state.foundation.outputs.google_service_account_prod_api_email}"
    ));
    assert!(services.contains("\"us-east1\""));
    // the Slack token is never written: only declared, supplied at apply
    let tfvars = out
        .file("observability/terraform.tfvars.json")
        .unwrap_or_default();
    assert!(!tfvars.contains("slack_token"), "{tfvars}");
    assert!(tfvars.contains("billing_account"));
}

#[test]
fn staging_is_one_region_zonal_and_cheaper() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("staging").unwrap_or_else(|e| panic!("{e}"));
    let foundation = out.file("foundation/main.tf.json").unwrap_or_default();
    assert!(foundation.contains("\"availability_type\": \"ZONAL\""));
    assert!(foundation.contains("\"tier\": \"db-g1-small\""));
    let services = out.file("services/main.tf.json").unwrap_or_default();
    assert!(!services.contains("us-east1"));
    let observability = out.file("observability/main.tf.json").unwrap_or_default();
    assert!(observability.contains("\"units\": \"50\""));
}

#[test]
fn overlapping_network_ranges_are_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("foundation");
        let p = project(&mut s);
        PrivateNetwork::new(&p, "prod")
            .region("us-central1", "10.10.0.0/20", "10.10.15.0/28")
            .region("us-east1", "10.11.0.0/20", "10.8.0.0/28")
            .service_range("10.11.0.0", 16)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/foundation] google_vpc_access_connector.prod_us_central1: ip_cidr_range: 10.10.15.0/28 overlaps 10.10.0.0/20 (subnet of us-central1)",
            "error: [prod/foundation] google_compute_global_address.prod_private_services: address: 10.11.0.0/16 overlaps 10.11.0.0/20 (subnet of us-east1)",
        ]
    );
}

#[test]
fn network_ranges_with_host_bits_or_leading_zeros_are_refused_at_their_field() {
    let lines = problems(|t| {
        let mut s = Stack::new("foundation");
        let p = project(&mut s);
        PrivateNetwork::new(&p, "prod")
            .region("us-central1", "10.0.0.1/16", "010.000.0.0/28")
            .service_range("10.100.0.0", 33)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/foundation] google_compute_subnetwork.prod_us_central1: ip_cidr_range: `10.0.0.1/16` has host bits set after the /16 prefix; the network is `10.0.0.0/16`",
            "error: [prod/foundation] google_vpc_access_connector.prod_us_central1: ip_cidr_range: `010.000.0.0/28` is not an IPv4 CIDR (a.b.c.d/n, octets 0-255 without leading zeros, n at most 32)",
            "error: [prod/foundation] google_compute_global_address.prod_private_services: address: `10.100.0.0/33` is not an IPv4 CIDR (a.b.c.d/n, octets 0-255 without leading zeros, n at most 32)",
        ]
    );
}

#[test]
fn slack_token_that_is_not_sensitive_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        let token = s.variable(
            "slack_token",
            terrane_core::Variable::<String>::new().default("xoxb-not-a-secret"),
        );
        NotificationChannel::slack(&p, "Team", "#alerts", token).add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(lines, ["error: [prod/observability] google_monitoring_notification_channel.team_slack: sensitive_labels.auth_token: the Slack token must come from a sensitive variable (Variable::sensitive().supplied_at_apply()), never a literal"]);
}

/// A load balancer for `domains` in `s`, without backends.
fn load_balancer(
    s: &mut Stack,
    p: &ProjectServicesHandle,
    domains: &[&str],
) -> GlobalHttpsLoadBalancerHandle {
    GlobalHttpsLoadBalancer::new(p, "api", domains.iter()).add_to(s)
}

#[test]
fn warning_threshold_not_below_critical_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        let email = NotificationChannel::email(&p, "On-call", "oncall@example.com").add_to(&mut s);
        Monitoring::new(&p, "api", "api.example.com", "api")
            .thresholds(AlertThresholds {
                error_rate: Tiered {
                    warning: Percent(5.0),
                    critical: Percent(2.0),
                },
                p95_latency_ms: Tiered {
                    warning: 800,
                    critical: 800,
                },
                duration_s: 300,
            })
            .channel(&email)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/observability] google_monitoring_alert_policy.api_error_ratio_warning: conditions.condition_threshold.threshold_value: the warning 5xx ratio threshold (5%) must be below the critical one (2%)",
            "error: [prod/observability] google_monitoring_alert_policy.api_latency_warning: conditions.condition_threshold.threshold_value: the warning p95 latency threshold (800 ms) must be below the critical one (800 ms)",
        ]
    );
}

#[test]
fn alert_tier_without_a_channel_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        let email = NotificationChannel::email(&p, "On-call", "oncall@example.com").add_to(&mut s);
        Monitoring::new(&p, "api", "api.example.com", "api")
            .route(AlertSeverity::Critical, &email)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(lines, ["error: [prod/observability] google_monitoring_alert_policy.api_error_ratio_warning: notification_channels: no notification channel receives WARNING alerts: route one with Monitoring::route or Monitoring::channel"]);
}

#[test]
fn budget_with_a_slack_channel_or_too_many_channels_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("observability");
        let p = project(&mut s);
        let token = s.variable(
            "slack_token",
            terrane_core::Variable::<String>::new()
                .sensitive()
                .supplied_at_apply(),
        );
        let slack = NotificationChannel::slack(&p, "Team", "#alerts", token).add_to(&mut s);
        let mut budget = Budget::new(&p, "prod", "000000-000000-000000", 200).channel(&slack);
        for i in 0..5 {
            let email =
                NotificationChannel::email(&p, &format!("Finance {i}"), "finance@example.com")
                    .add_to(&mut s);
            budget = budget.channel(&email);
        }
        budget.add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/observability] google_billing_budget.prod: all_updates_rule.monitoring_notification_channels: channel `Team` is a slack channel, but budget alerts go only to email channels: for Slack, give the Slack channel's email address to NotificationChannel::email",
            "error: [prod/observability] google_billing_budget.prod: all_updates_rule.monitoring_notification_channels: 6 channels, but a budget notifies at most 5",
        ]
    );
}

#[test]
fn cloud_armor_rate_limits_and_priorities_cloud_armor_refuses_are_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("services");
        let p = project(&mut s);
        GlobalHttpsLoadBalancer::new(&p, "api", ["api.example.com"])
            .cloud_armor(
                CloudArmor::new()
                    .throttle(RateLimit {
                        requests: 0,
                        interval_s: 45,
                    })
                    .deny_expression(1000, "origin.region_code == 'XX'", "region XX"),
            )
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/services] google_compute_security_policy.api: rule.priority: 2 rules at priority 1000: each rule needs its own priority (the throttle rule is at 2000)",
            "error: [prod/services] google_compute_security_policy.api: rule.rate_limit_options.rate_limit_threshold.interval_sec: rate limit interval 45 s is not one Cloud Armor accepts (10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600)",
            "error: [prod/services] google_compute_security_policy.api: rule.rate_limit_options.rate_limit_threshold.count: a rate limit of 0 requests throttles every request: use at least 1",
        ]
    );
}

#[test]
fn key_rotation_outside_one_to_ninety_days_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("foundation");
        let p = project(&mut s);
        let ring = KeyRing::new(&p, "prod-platform", "us-central1").add_to(&mut s);
        CmekKey::new(&ring, ServiceAgent::PubSub, "123")
            .rotation_days(365)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(lines, ["error: [prod/foundation] google_kms_crypto_key.prod_platform_pubsub: rotation_period: key rotation every 365 days is outside 1 to 90 days"]);
}

#[test]
fn registry_with_a_bad_id_or_a_key_of_another_region_is_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("foundation");
        let p = project(&mut s);
        let ring = KeyRing::new(&p, "prod-platform", "us-east1").add_to(&mut s);
        let key = CmekKey::new(&ring, ServiceAgent::ArtifactRegistry, "123").add_to(&mut s);
        ContainerRegistry::new(&p, "Prod_Images", "us-central1")
            .encryption_key(&key)
            .add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/foundation] google_artifact_registry_repository.prod_images: repository_id: repository id `Prod_Images` must be lowercase letters, digits and hyphens, start with a letter, not end with a hyphen, at most 63 characters",
            "error: [prod/foundation] google_artifact_registry_repository.prod_images: kms_key_name: the key is in us-east1 but the repository is in us-central1: Artifact Registry needs a key of the repository's location",
        ]
    );
}

#[test]
fn domain_outside_its_zone_and_a_zone_name_without_a_dot_are_reported() {
    let lines = problems(|t| {
        let mut s = Stack::new("services");
        let p = project(&mut s);
        let lb = load_balancer(&mut s, &p, &["api.example.org"]);
        let zone = DnsZone::Managed {
            name: "example-com".into(),
            dns_name: "example.com".into(),
        };
        DnsRecords::new(&p, zone, &lb).add_to(&mut s);
        t.add_stack(s);
    });
    assert_eq!(
        lines,
        [
            "error: [prod/services] google_dns_managed_zone.example_com: dns_name: zone DNS name `example.com` must end with a dot (`example.com.`)",
            "error: [prod/services] google_dns_record_set.api_example_org: name: domain `api.example.org` is not inside zone `example.com`",
        ]
    );
}

#[test]
fn prod_serves_its_image_from_the_registry_and_its_domain_from_dns() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("prod").unwrap_or_else(|e| panic!("{e}"));
    let services = out
        .file("services/main.tf.json")
        .unwrap_or_else(|| panic!("no services"));
    assert!(services.contains("-docker.pkg.dev/${data.terraform_remote_state.foundation.outputs.google_artifact_registry_repository_prod_images_project}/"), "{services}");
    assert!(services.contains("/api:${var.image_tag}"));
    assert!(services.contains("\"min_tls_version\": \"TLS_1_2\""));
    assert!(services.contains("\"name\": \"api.acme-saas.com.\""));
    assert!(services.contains("\"action\": \"throttle\""));
    let observability = out
        .file("observability/main.tf.json")
        .unwrap_or_else(|| panic!("no observability"));
    assert!(observability.contains("\"kms_key_name\": \"${data.terraform_remote_state.foundation.outputs.google_kms_crypto_key_iam_member_prod_platform_pubsub_crypto_key_id}\""));
    assert!(observability.contains("\"severity\": \"WARNING\""));
}

#[test]
fn staging_creates_its_delegated_zone_and_keeps_its_keys_destroyable() {
    let app = terrane_stacks::app().unwrap_or_else(|e| panic!("{e}"));
    let out = app.synth("staging").unwrap_or_else(|e| panic!("{e}"));
    let services = out
        .file("services/main.tf.json")
        .unwrap_or_else(|| panic!("no services"));
    assert!(services.contains("\"dns_name\": \"staging.acme-saas.com.\""));
    assert!(services.contains("\"name_servers\""));
    assert!(!services.contains("google_compute_security_policy"));
    let foundation = out
        .file("foundation/main.tf.json")
        .unwrap_or_else(|| panic!("no foundation"));
    assert!(foundation.contains("\"rotation_period\": \"7776000s\""));
    assert!(!foundation.contains("prevent_destroy"), "{foundation}");
    let prod = app.synth("prod").unwrap_or_else(|e| panic!("{e}"));
    let prod_foundation = prod.file("foundation/main.tf.json").unwrap_or_default();
    assert_eq!(
        prod_foundation.matches("\"prevent_destroy\": true").count(),
        2
    );
}
