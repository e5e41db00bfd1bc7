//! Unit tests of the constructs' defaults: what each declares, read back from the stack.

use terrane_core::{BlockKind, Expr, GenericRef, Handle, RefBase, Stack, Tree, Variable};

use super::*;

/// The body of a declared block by type and name.
fn body<'a>(stack: &'a Stack, ty: &str, name: &str) -> &'a Tree {
    let handle = GenericRef::from_base(RefBase {
        stack: stack.id(),
        kind: BlockKind::Resource,
        ty: ty.into(),
        name: name.into(),
        index: None,
    });
    stack
        .body_of(&handle)
        .unwrap_or_else(|| panic!("{ty}.{name} is not declared; have {:?}", stack.addresses()))
}

/// Follows a dotted path of object keys, stepping into one-element block lists.
fn at<'a>(t: &'a Tree, path: &str) -> &'a Tree {
    path.split('.').fold(t, |t, key| {
        let t = match t {
            Tree::List(items) if items.len() == 1 => &items[0],
            other => other,
        };
        t.get(key)
            .unwrap_or_else(|| panic!("no `{key}` in {}", t.to_json()))
    })
}

/// A repeated block: one block is written as an object, several as a list.
fn blocks(t: &Tree) -> Vec<&Tree> {
    match t {
        Tree::List(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn str_of(t: &Tree) -> String {
    match t {
        Tree::Str(s) => s.clone(),
        // as written to JSON: `${ref}` or the template text
        Tree::Expr(_) => t.to_json().trim_matches('"').to_string(),
        other => other.to_json(),
    }
}

fn foundation() -> (Stack, ProjectServicesHandle, PrivateNetworkHandle) {
    let mut stack = Stack::new("foundation");
    let project = ProjectServices::new(Expr::<String>::raw("var.project_id")).add_to(&mut stack);
    let network = PrivateNetwork::new(&project, "prod")
        .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
        .region("us-east1", "10.11.0.0/20", "10.8.0.16/28")
        .add_to(&mut stack);
    (stack, project, network)
}

#[test]
fn project_services_enable_every_api_and_keep_them_on_destroy() {
    let mut stack = Stack::new("foundation");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    for api in apis::ALL {
        assert!(project.service(api).is_some(), "{api}");
    }
    let run = body(&stack, "google_project_service", "run");
    assert_eq!(at(run, "service"), &Tree::from("run.googleapis.com"));
    assert_eq!(at(run, "disable_on_destroy"), &Tree::Bool(false));
    assert_eq!(project.id().to_hcl(), "google_project_service.run.project");
}

#[test]
fn network_is_private_with_a_connector_per_region() {
    let (stack, _, network) = foundation();
    let vpc = body(&stack, "google_compute_network", "prod");
    assert_eq!(at(vpc, "auto_create_subnetworks"), &Tree::Bool(false));
    for region in ["us-central1", "us-east1"] {
        let name = format!("prod_{}", region.replace('-', "_"));
        let subnet = body(&stack, "google_compute_subnetwork", &name);
        assert_eq!(at(subnet, "private_ip_google_access"), &Tree::Bool(true));
        assert!(subnet.get("log_config").is_some(), "flow logs on");
        assert!(network.connector(region).is_some());
        let connector = body(&stack, "google_vpc_access_connector", &name);
        assert_eq!(at(connector, "region"), &Tree::from(region));
    }
    let range = body(
        &stack,
        "google_compute_global_address",
        "prod_private_services",
    );
    assert_eq!(at(range, "purpose"), &Tree::from("VPC_PEERING"));
    assert_eq!(at(range, "address_type"), &Tree::from("INTERNAL"));
    let firewall = body(&stack, "google_compute_firewall", "prod_deny_all_ingress");
    assert_eq!(at(firewall, "direction"), &Tree::from("INGRESS"));
    assert!(firewall.get("allow").is_none());
}

#[test]
fn postgres_has_no_public_ip_and_requires_client_certificates() {
    let (mut stack, project, network) = foundation();
    let db = PrivatePostgres::new(&project, &network, "prod-db", "us-central1").add_to(&mut stack);
    assert!(db.is_private());
    let instance = body(&stack, "google_sql_database_instance", "prod_db");
    let ip = at(instance, "settings.ip_configuration");
    assert_eq!(at(ip, "ipv4_enabled"), &Tree::Bool(false));
    assert_eq!(
        str_of(at(ip, "private_network")),
        "${google_compute_network.prod.id}"
    );
    assert_eq!(
        at(ip, "ssl_mode"),
        &Tree::from("TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
    );
    assert!(ip.get("authorized_networks").is_none());
}

#[test]
fn production_postgres_is_regional_protected_and_backed_up() {
    let (mut stack, project, network) = foundation();
    PrivatePostgres::new(&project, &network, "prod-db", "us-central1").add_to(&mut stack);
    let instance = body(&stack, "google_sql_database_instance", "prod_db");
    assert_eq!(at(instance, "deletion_protection"), &Tree::Bool(true));
    assert_eq!(
        at(instance, "settings.availability_type"),
        &Tree::from("REGIONAL")
    );
    assert_eq!(
        at(instance, "settings.deletion_protection_enabled"),
        &Tree::Bool(true)
    );
    let backup = at(instance, "settings.backup_configuration");
    assert_eq!(at(backup, "enabled"), &Tree::Bool(true));
    assert_eq!(
        at(backup, "point_in_time_recovery_enabled"),
        &Tree::Bool(true)
    );
    assert_eq!(
        at(backup, "backup_retention_settings.retained_backups"),
        &Tree::from(30)
    );
}

#[test]
fn non_production_postgres_is_zonal_but_still_backed_up() {
    let (mut stack, project, network) = foundation();
    PrivatePostgres::new(&project, &network, "stg-db", "us-central1")
        .environment(Environment::NonProduction)
        .tier("db-g1-small")
        .add_to(&mut stack);
    let instance = body(&stack, "google_sql_database_instance", "stg_db");
    assert_eq!(at(instance, "deletion_protection"), &Tree::Bool(false));
    assert_eq!(
        at(instance, "settings.availability_type"),
        &Tree::from("ZONAL")
    );
    assert_eq!(at(instance, "settings.tier"), &Tree::from("db-g1-small"));
    assert_eq!(
        at(instance, "settings.backup_configuration.enabled"),
        &Tree::Bool(true)
    );
}

#[test]
fn postgres_audit_flags_are_on() {
    let (mut stack, project, network) = foundation();
    PrivatePostgres::new(&project, &network, "prod-db", "us-central1").add_to(&mut stack);
    let instance = body(&stack, "google_sql_database_instance", "prod_db");
    let flags: Vec<(String, String)> = blocks(at(instance, "settings.database_flags"))
        .into_iter()
        .map(|f| (str_of(at(f, "name")), str_of(at(f, "value"))))
        .collect();
    for (name, value) in [
        ("log_lock_waits", "on"),
        ("log_min_duration_statement", "-1"),
        ("log_connections", "on"),
        ("log_disconnections", "on"),
        ("log_checkpoints", "on"),
        ("log_temp_files", "0"),
        ("cloudsql.enable_pgaudit", "on"),
    ] {
        assert!(
            flags.contains(&(name.to_string(), value.to_string())),
            "{name}={value} in {flags:?}"
        );
    }
}

#[test]
fn postgres_logs_the_service_account_in_with_iam_and_keeps_no_password() {
    let (mut stack, project, network) = foundation();
    let identity = ServiceAccount::new(&project, "prod-api", "API")
        .role(ProjectRole::CloudSqlClient)
        .role(ProjectRole::CloudSqlInstanceUser)
        .add_to(&mut stack);
    let db = PrivatePostgres::new(&project, &network, "prod-db", "us-central1")
        .iam_user(&identity)
        .add_to(&mut stack);
    let user = body(&stack, "google_sql_user", "prod_db");
    assert_eq!(at(user, "type"), &Tree::from("CLOUD_IAM_SERVICE_ACCOUNT"));
    assert_eq!(
        str_of(at(user, "name")),
        // as written to JSON (quotes escaped)
        r#"${trimsuffix(google_service_account.prod_api.email, \".gserviceaccount.com\")}"#
    );
    assert!(user.get("password").is_none(), "{}", user.to_json());
    let instance = body(&stack, "google_sql_database_instance", "prod_db");
    let flags: Vec<_> = blocks(at(instance, "settings.database_flags"))
        .into_iter()
        .map(|f| (str_of(at(f, "name")), str_of(at(f, "value"))))
        .collect();
    assert!(flags.contains(&("cloudsql.iam_authentication".into(), "on".into())));
    // nothing generates, stores or grants a password
    let addresses = stack.addresses();
    assert!(
        !addresses
            .iter()
            .any(|a| a.starts_with("random_password.")
                || a.starts_with("google_secret_manager_secret")),
        "{addresses:?}"
    );
    assert_eq!(
        db.connection_name().to_hcl(),
        "google_sql_database_instance.prod_db.connection_name"
    );
}

#[test]
fn service_account_gets_only_narrow_roles_and_its_own_secret() {
    let (mut stack, project, _) = foundation();
    let identity = ServiceAccount::new(&project, "prod-api", "API")
        .role(ProjectRole::CloudSqlClient)
        .add_to(&mut stack);
    let secret = stack.add(
        "signing_key",
        crate::secret_manager::SecretManagerSecret::new(
            "prod-signing-key",
            crate::secret_manager::SecretManagerSecretReplication::new()
                .auto(crate::secret_manager::SecretManagerSecretReplicationAuto::new()),
        ),
    );
    identity.read_secret(&mut stack, "signing_key", &secret);

    let roles: Vec<String> = stack
        .addresses()
        .iter()
        .filter_map(|a| a.strip_prefix("google_project_iam_member."))
        .map(|name| str_of(at(body(&stack, "google_project_iam_member", name), "role")))
        .collect();
    assert_eq!(
        roles,
        [
            "roles/cloudsql.client",
            "roles/logging.logWriter",
            "roles/monitoring.metricWriter"
        ]
    );
    for r in &roles {
        assert!(
            !r.contains("owner") && !r.contains("editor") && !r.contains("admin"),
            "{r}"
        );
    }
    // Secret Manager access is granted on the one secret, not on the project
    let grant = body(
        &stack,
        "google_secret_manager_secret_iam_member",
        "prod_api_reads_signing_key",
    );
    assert_eq!(
        at(grant, "role"),
        &Tree::from("roles/secretmanager.secretAccessor")
    );
    assert_eq!(
        str_of(at(grant, "secret_id")),
        "${google_secret_manager_secret.signing_key.id}"
    );
    assert_eq!(
        str_of(at(grant, "member")),
        "serviceAccount:${google_service_account.prod_api.email}"
    );
}

#[test]
fn cloud_run_is_internal_with_private_egress_probes_and_secret_env() {
    let (mut stack, project, network) = foundation();
    let db = PrivatePostgres::new(&project, &network, "prod-db", "us-central1").add_to(&mut stack);
    let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
        .regions(["us-central1", "us-east1"])
        .connectors(network.connectors())
        .database(&db)
        .add_to(&mut stack);
    assert_eq!(
        api.regions().map(|(r, _)| r).collect::<Vec<_>>(),
        ["us-central1", "us-east1"]
    );
    let svc = body(&stack, "google_cloud_run_v2_service", "api_us_east1");
    assert_eq!(
        at(svc, "ingress"),
        &Tree::from("INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
    );
    assert_eq!(
        at(svc, "template.scaling.min_instance_count"),
        &Tree::from(0)
    );
    assert_eq!(
        at(svc, "template.scaling.max_instance_count"),
        &Tree::from(10)
    );
    assert_eq!(
        at(svc, "template.max_instance_request_concurrency"),
        &Tree::from(80)
    );
    assert_eq!(
        at(svc, "template.vpc_access.egress"),
        &Tree::from("PRIVATE_RANGES_ONLY")
    );
    assert_eq!(
        str_of(at(svc, "template.vpc_access.connector")),
        "${google_vpc_access_connector.prod_us_east1.id}"
    );
    let container = at(svc, "template.containers");
    assert_eq!(
        at(container, "startup_probe.http_get.path"),
        &Tree::from("/health")
    );
    assert_eq!(
        at(container, "liveness_probe.http_get.path"),
        &Tree::from("/health")
    );
    let env: Vec<(String, String)> = blocks(at(container, "env"))
        .into_iter()
        .filter_map(|e| Some((str_of(at(e, "name")), str_of(e.get("value")?))))
        .collect();
    assert!(
        env.contains(&("DB_IAM_AUTH".into(), "true".into())),
        "{env:?}"
    );
    assert!(env.contains(&("DB_IP_TYPE".into(), "PRIVATE".into())));
    // IAM database authentication: no password variable of any kind
    assert!(
        !blocks(at(container, "env"))
            .iter()
            .any(|e| str_of(at(e, "name")).contains("PASSWORD")),
        "{}",
        container.to_json()
    );
    let invoker = body(
        &stack,
        "google_cloud_run_v2_service_iam_member",
        "api_us_east1_invoker",
    );
    assert_eq!(at(invoker, "role"), &Tree::from("roles/run.invoker"));
    assert_eq!(at(invoker, "member"), &Tree::from("allUsers"));
}

#[test]
fn load_balancer_serves_https_and_redirects_http() {
    let mut stack = Stack::new("services");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
        .regions(["us-central1", "us-east1"])
        .add_to(&mut stack);
    let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com"])
        .backend(&api)
        .add_to(&mut stack);
    assert!(lb.armor().is_none());
    let backend = body(&stack, "google_compute_backend_service", "api");
    assert_eq!(
        blocks(at(backend, "backend")).len(),
        2,
        "one NEG per region"
    );
    assert!(backend.get("health_checks").is_none());
    for region in ["us_central1", "us_east1"] {
        let neg = body(
            &stack,
            "google_compute_region_network_endpoint_group",
            &format!("api_{region}"),
        );
        assert_eq!(at(neg, "network_endpoint_type"), &Tree::from("SERVERLESS"));
    }
    let https = body(&stack, "google_compute_global_forwarding_rule", "api_https");
    assert_eq!(at(https, "port_range"), &Tree::from("443"));
    let redirect = body(&stack, "google_compute_url_map", "api_http_redirect");
    assert_eq!(
        at(redirect, "default_url_redirect.https_redirect"),
        &Tree::Bool(true)
    );
    assert!(redirect.get("default_service").is_none());
    let http = body(
        &stack,
        "google_compute_global_forwarding_rule",
        "api_http_redirect",
    );
    assert_eq!(at(http, "port_range"), &Tree::from("80"));
    assert_eq!(
        str_of(at(http, "target")),
        "${google_compute_target_http_proxy.api_http_redirect.id}"
    );
    let cert = body(&stack, "google_compute_managed_ssl_certificate", "api");
    assert_eq!(
        at(cert, "managed.domains"),
        &Tree::list([Tree::from("api.example.com")])
    );
}

#[test]
fn cloud_armor_denies_preconfigured_attacks_and_allows_the_rest() {
    let mut stack = Stack::new("services");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
        .region("us-central1")
        .add_to(&mut stack);
    let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com"])
        .backend(&api)
        .cloud_armor(CloudArmor::new())
        .add_to(&mut stack);
    assert!(lb.armor().is_some());
    let policy = body(&stack, "google_compute_security_policy", "api");
    let rules = blocks(at(policy, "rule"));
    assert_eq!(rules.len(), 5);
    assert!(rules[..3]
        .iter()
        .all(|r| at(r, "action") == &Tree::from("deny(403)")));
    // the throttle runs after the deny rules: its conforming requests stop evaluation
    assert_eq!(at(rules[3], "action"), &Tree::from("throttle"));
    assert_eq!(at(rules[3], "priority"), &Tree::from(2000));
    assert_eq!(
        at(rules[3], "rate_limit_options.rate_limit_threshold.count"),
        &Tree::from(600)
    );
    assert_eq!(
        at(rules[3], "rate_limit_options.exceed_action"),
        &Tree::from("deny(429)")
    );
    assert_eq!(
        at(rules[3], "rate_limit_options.enforce_on_key"),
        &Tree::from("IP")
    );
    assert_eq!(at(rules[4], "action"), &Tree::from("allow"));
    assert_eq!(
        at(
            policy,
            "adaptive_protection_config.layer_7_ddos_defense_config.enable"
        ),
        &Tree::Bool(true)
    );
    let backend = body(&stack, "google_compute_backend_service", "api");
    assert_eq!(
        str_of(at(backend, "security_policy")),
        "${google_compute_security_policy.api.id}"
    );
}

#[test]
fn monitoring_checks_health_every_minute_with_per_target_thresholds() {
    let mut stack = Stack::new("observability");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let token = stack.variable(
        "slack_token",
        Variable::<String>::new().sensitive().supplied_at_apply(),
    );
    let email =
        NotificationChannel::email(&project, "On-call", "oncall@example.com").add_to(&mut stack);
    let slack = NotificationChannel::slack(&project, "Slack", "#alerts", token).add_to(&mut stack);
    let obs = Monitoring::new(&project, "api", "api.example.com", "api")
        .regions(["us-central1", "us-east1"])
        .thresholds(AlertThresholds {
            error_rate: Tiered {
                warning: Percent(2.0),
                critical: Percent(5.0),
            },
            p95_latency_ms: Tiered {
                warning: 500,
                critical: 750,
            },
            duration_s: 120,
        })
        .channel(&slack)
        .route(AlertSeverity::Critical, &email)
        .add_to(&mut stack);
    assert_eq!(obs.alert_policies().len(), 5);
    let uptime = body(&stack, "google_monitoring_uptime_check_config", "api");
    assert_eq!(at(uptime, "period"), &Tree::from("60s"));
    assert_eq!(at(uptime, "http_check.path"), &Tree::from("/health"));
    assert_eq!(at(uptime, "http_check.use_ssl"), &Tree::Bool(true));
    assert_eq!(at(uptime, "http_check.validate_ssl"), &Tree::Bool(true));
    assert_eq!(
        at(uptime, "monitored_resource.labels.host"),
        &Tree::from("api.example.com")
    );

    let errors = body(&stack, "google_monitoring_alert_policy", "api_error_ratio");
    assert_eq!(
        at(errors, "conditions.condition_threshold.threshold_value"),
        &Tree::from(0.05)
    );
    assert_eq!(
        at(errors, "conditions.condition_threshold.duration"),
        &Tree::from("120s")
    );
    assert_eq!(at(errors, "severity"), &Tree::from("CRITICAL"));
    let channels = |t: &Tree| {
        blocks(at(t, "notification_channels"))
            .iter()
            .map(|c| str_of(c))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        channels(errors),
        [
            "${google_monitoring_notification_channel.slack_slack.id}",
            "${google_monitoring_notification_channel.on_call_email.id}"
        ]
    );
    let warning = body(
        &stack,
        "google_monitoring_alert_policy",
        "api_error_ratio_warning",
    );
    assert_eq!(at(warning, "severity"), &Tree::from("WARNING"));
    assert_eq!(
        at(warning, "conditions.condition_threshold.threshold_value"),
        &Tree::from(0.02)
    );
    // warnings go to chat only; the on-call email is for critical alerts
    assert_eq!(
        channels(warning),
        ["${google_monitoring_notification_channel.slack_slack.id}"]
    );
    let latency = body(&stack, "google_monitoring_alert_policy", "api_latency");
    assert_eq!(
        at(latency, "conditions.condition_threshold.threshold_value"),
        &Tree::from(750)
    );
    let latency_warning = body(
        &stack,
        "google_monitoring_alert_policy",
        "api_latency_warning",
    );
    assert_eq!(
        at(
            latency_warning,
            "conditions.condition_threshold.threshold_value"
        ),
        &Tree::from(500)
    );
    let uptime_policy = body(&stack, "google_monitoring_alert_policy", "api_uptime");
    assert_eq!(at(uptime_policy, "severity"), &Tree::from("CRITICAL"));
    assert_eq!(
        at(
            latency,
            "conditions.condition_threshold.aggregations.per_series_aligner"
        ),
        &Tree::from("ALIGN_PERCENTILE_95")
    );
    assert!(stack
        .addresses()
        .contains(&"google_monitoring_dashboard.api".to_string()));

    let slack_body = body(
        &stack,
        "google_monitoring_notification_channel",
        "slack_slack",
    );
    assert_eq!(
        str_of(at(slack_body, "sensitive_labels.auth_token")),
        "${var.slack_token}"
    );
}

#[test]
fn budget_alerts_at_50_80_100_percent_and_forecast() {
    let mut stack = Stack::new("observability");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let email =
        NotificationChannel::email(&project, "On-call", "oncall@example.com").add_to(&mut stack);
    let budget = Budget::new(
        &project,
        "prod",
        Expr::<String>::raw("var.billing_account"),
        200,
    )
    .channel(&email)
    .add_to(&mut stack);
    let b = body(&stack, "google_billing_budget", "prod");
    assert_eq!(at(b, "amount.specified_amount.units"), &Tree::from("200"));
    let rules: Vec<(String, String)> = blocks(at(b, "threshold_rules"))
        .into_iter()
        .map(|r| {
            (
                str_of(at(r, "threshold_percent")),
                str_of(at(r, "spend_basis")),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("0.5".to_string(), "CURRENT_SPEND".to_string()),
            ("0.8".to_string(), "CURRENT_SPEND".to_string()),
            ("1".to_string(), "CURRENT_SPEND".to_string()),
            ("1".to_string(), "FORECASTED_SPEND".to_string()),
        ]
    );
    assert_eq!(
        str_of(at(b, "all_updates_rule.pubsub_topic")),
        format!("${{{}}}", budget.topic().id().to_hcl())
    );
    assert!(b
        .get("all_updates_rule")
        .and_then(|r| r.get("monitoring_notification_channels"))
        .is_some());
}

#[test]
fn https_proxy_requires_tls_1_2_with_a_modern_profile() {
    let mut stack = Stack::new("services");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
        .region("us-central1")
        .add_to(&mut stack);
    GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com"])
        .backend(&api)
        .add_to(&mut stack);
    let policy = body(&stack, "google_compute_ssl_policy", "api");
    assert_eq!(at(policy, "min_tls_version"), &Tree::from("TLS_1_2"));
    assert_eq!(at(policy, "profile"), &Tree::from("MODERN"));
    let proxy = body(&stack, "google_compute_target_https_proxy", "api");
    assert_eq!(
        str_of(at(proxy, "ssl_policy")),
        "${google_compute_ssl_policy.api.id}"
    );
}

#[test]
fn cmek_keys_rotate_every_90_days_and_are_granted_to_their_service_agent() {
    let mut stack = Stack::new("foundation");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let ring = KeyRing::new(&project, "prod-platform", "us-central1").add_to(&mut stack);
    let key = CmekKey::new(
        &ring,
        ServiceAgent::PubSub,
        Expr::<String>::raw("var.number"),
    )
    .add_to(&mut stack);
    let k = body(&stack, "google_kms_crypto_key", "prod_platform_pubsub");
    assert_eq!(at(k, "rotation_period"), &Tree::from("7776000s"));
    let grant = body(
        &stack,
        "google_kms_crypto_key_iam_member",
        "prod_platform_pubsub",
    );
    assert_eq!(
        str_of(at(grant, "member")),
        "serviceAccount:service-${var.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
    );
    assert_eq!(
        at(grant, "role"),
        &Tree::from("roles/cloudkms.cryptoKeyEncrypterDecrypter")
    );
    // users of the key read it from the grant, so they wait for it
    assert_eq!(
        key.id().to_hcl(),
        "google_kms_crypto_key_iam_member.prod_platform_pubsub.crypto_key_id"
    );
    assert_eq!(key.location(), "us-central1");
}

#[test]
fn container_registry_is_docker_with_immutable_tags_and_a_customer_key() {
    let mut stack = Stack::new("foundation");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let ring = KeyRing::new(&project, "prod-platform", "us-central1").add_to(&mut stack);
    let key = CmekKey::new(&ring, ServiceAgent::ArtifactRegistry, "123").add_to(&mut stack);
    let registry = ContainerRegistry::new(&project, "prod-images", "us-central1")
        .encryption_key(&key)
        .add_to(&mut stack);
    let repo = body(&stack, "google_artifact_registry_repository", "prod_images");
    assert_eq!(at(repo, "format"), &Tree::from("DOCKER"));
    assert_eq!(at(repo, "docker_config.immutable_tags"), &Tree::Bool(true));
    assert_eq!(
        at(repo, "vulnerability_scanning_config.enablement_config"),
        &Tree::from("INHERITED")
    );
    assert_eq!(
        str_of(at(repo, "kms_key_name")),
        "${google_kms_crypto_key_iam_member.prod_platform_artifact_registry.crypto_key_id}"
    );
    assert_eq!(
        registry.image("api", "2.1.0").to_hcl(),
        "\"${google_artifact_registry_repository.prod_images.location}-docker.pkg.dev/${google_artifact_registry_repository.prod_images.project}/${google_artifact_registry_repository.prod_images.repository_id}/api:2.1.0\""
    );
}

#[test]
fn dns_records_point_every_domain_at_the_load_balancer() {
    let mut stack = Stack::new("services");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
        .region("us-central1")
        .add_to(&mut stack);
    let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com", "example.com"])
        .backend(&api)
        .add_to(&mut stack);
    let zone = DnsZone::Existing {
        name: Expr::<String>::raw("var.dns_zone").into(),
        dns_name: "example.com.".into(),
    };
    let dns = DnsRecords::new(&project, zone, &lb).add_to(&mut stack);
    assert!(dns.name_servers().is_none());
    let record = body(&stack, "google_dns_record_set", "api_example_com");
    assert_eq!(at(record, "name"), &Tree::from("api.example.com."));
    assert_eq!(at(record, "type"), &Tree::from("A"));
    assert_eq!(
        str_of(at(record, "managed_zone")),
        "${data.google_dns_managed_zone.zone.name}"
    );
    assert_eq!(
        blocks(at(record, "rrdatas"))
            .iter()
            .map(|r| str_of(r))
            .collect::<Vec<_>>(),
        ["${google_compute_global_address.api.address}"]
    );

    let mut stack = Stack::new("services");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.staging.example.com"])
        .add_to(&mut stack);
    let zone = DnsZone::Managed {
        name: "staging-example-com".into(),
        dns_name: "staging.example.com.".into(),
    };
    let dns = DnsRecords::new(&project, zone, &lb).add_to(&mut stack);
    assert!(dns.name_servers().is_some());
    let z = body(&stack, "google_dns_managed_zone", "staging_example_com");
    assert_eq!(at(z, "dnssec_config.state"), &Tree::from("on"));
    assert_eq!(at(z, "visibility"), &Tree::from("public"));
}

#[test]
fn budget_topic_is_encrypted_with_a_customer_key_in_its_region() {
    let mut stack = Stack::new("observability");
    let project = ProjectServices::new("acme").add_to(&mut stack);
    let ring = KeyRing::new(&project, "prod-platform", "us-central1").add_to(&mut stack);
    let key = CmekKey::new(&ring, ServiceAgent::PubSub, "123").add_to(&mut stack);
    Budget::new(&project, "prod", "012345-6789AB-CDEF01", 200)
        .encryption_key(&key)
        .add_to(&mut stack);
    let topic = body(&stack, "google_pubsub_topic", "prod_budget_alerts");
    assert_eq!(
        str_of(at(topic, "kms_key_name")),
        "${google_kms_crypto_key_iam_member.prod_platform_pubsub.crypto_key_id}"
    );
    assert_eq!(
        blocks(at(
            topic,
            "message_storage_policy.allowed_persistence_regions"
        ))
        .iter()
        .map(|r| str_of(r))
        .collect::<Vec<_>>(),
        ["us-central1"]
    );
}

#[test]
fn generated_write_only_setters_take_ephemeral_values() {
    use terrane_core::{GenericEphemeral, RequiredProvider};
    let mut stack = Stack::new("db");
    let random = RequiredProvider::new("random", "hashicorp/random", "3.7.2");
    let pw = stack.ephemeral(
        "db",
        GenericEphemeral::new("random_password")
            .provider(random)
            .arg("length", 32),
    );
    stack.add(
        "app",
        crate::sql::SqlUser::new("main", "app")
            .password_wo(pw.attr::<String>("result"))
            .password_wo_version(1),
    );
    let user = body(&stack, "google_sql_user", "app");
    assert_eq!(
        str_of(at(user, "password_wo")),
        "${ephemeral.random_password.db.result}"
    );
}
