//! Tests of what makes manifests work when applied: monitors Prometheus selects,
//! alerts routes match, cluster objects, images from Terraform, placement.

use crate::object::Object;
use crate::*;

fn build(c: impl Construct<Manifests, Handle = ()>) -> Manifests {
    let mut m = Manifests::new("shop", "shop");
    c.add_to(&mut m);
    m
}

fn find<'a>(m: &'a Manifests, kind: &str, name: &str) -> &'a Object {
    m.objects()
        .iter()
        .find(|o| o.kind() == kind && o.name() == name)
        .unwrap_or_else(|| panic!("no {kind}/{name}"))
}

fn label<'a>(o: &'a Object, key: &str) -> Option<&'a str> {
    o.metadata().labels.as_ref()?.get(key).map(String::as_str)
}

#[test]
fn monitors_and_rules_carry_the_prometheus_release_label() {
    let mut m = Manifests::new("shop", "shop");
    WebApp::new("api", "api:1.0.0").add_to(&mut m);
    Exporter::new("redis-exporter", "redis_exporter:v1.67.0", 9121).add_to(&mut m);
    BlackboxProbe::new("endpoints", "blackbox")
        .target("https://a.example.com")
        .add_to(&mut m);
    AlertRules::new("alerts").http_app("api").add_to(&mut m);
    for (kind, name) in [
        ("ServiceMonitor", "api"),
        ("ServiceMonitor", "redis-exporter"),
        ("Probe", "endpoints"),
        ("PrometheusRule", "alerts"),
    ] {
        let o = find(&m, kind, name);
        assert_eq!(
            label(o, PROMETHEUS_RELEASE_LABEL),
            Some(DEFAULT_PROMETHEUS_RELEASE),
            "{kind}/{name}"
        );
    }
    let mut other = Manifests::new("shop", "shop");
    other.prometheus_release("monitoring");
    AlertRules::new("alerts").add_to(&mut other);
    assert_eq!(
        label(find(&other, "PrometheusRule", "alerts"), "release"),
        Some("monitoring")
    );
}

#[test]
fn every_alert_carries_the_labels_routes_and_inhibition_match_on() {
    let m = build(
        AlertRules::new("alerts")
            .http_app("api")
            .queue_backlog("q", 10)
            .db_connections(80)
            .cache()
            .broker("broker-exporter")
            .endpoints("probes"),
    );
    let Object::PrometheusRule(r) = find(&m, "PrometheusRule", "alerts") else {
        unreachable!()
    };
    let rules: Vec<_> = r.spec.groups.iter().flat_map(|g| &g.rules).collect();
    assert!(rules.len() >= 15, "{}", rules.len());
    for rule in rules {
        assert_eq!(
            rule.labels.get("namespace").map(String::as_str),
            Some("shop"),
            "{:?}",
            rule.alert
        );
        assert!(rule.labels.contains_key(SERVICE_LABEL), "{:?}", rule.alert);
        assert!(["P0", "P1", "P2", "P3"].contains(&rule.labels["severity"].as_str()));
    }
    let routing = build(AlertRouting::new("alerts", "store"));
    let Object::AlertmanagerConfig(a) = find(&routing, "AlertmanagerConfig", "alerts") else {
        unreachable!()
    };
    assert_eq!(a.spec.inhibit_rules[0].equal, ["namespace", SERVICE_LABEL]);
}

#[test]
fn cache_and_broker_alerts_read_only_their_own_exporter() {
    let m = build(
        AlertRules::new("alerts")
            .cache_of("cache-exporter")
            .broker("broker-exporter"),
    );
    let Object::PrometheusRule(r) = find(&m, "PrometheusRule", "alerts") else {
        unreachable!()
    };
    let exprs: Vec<(&str, &str)> = r
        .spec
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .map(|r| (r.alert.as_deref().unwrap_or_default(), r.expr.as_str()))
        .collect();
    assert_eq!(exprs[0], ("RedisDown", "max(redis_up{job=\"cache-exporter\"}) == 0 or absent(redis_up{job=\"cache-exporter\"})"));
    assert_eq!(exprs[4], ("BrokerDown", "max(redis_up{job=\"broker-exporter\"}) == 0 or absent(redis_up{job=\"broker-exporter\"})"));
    assert_eq!(
        exprs[6],
        (
            "BrokerEvictions",
            "sum(increase(redis_evicted_keys_total{job=\"broker-exporter\"}[10m])) > 0"
        )
    );
    assert_eq!(exprs.len(), 7);
}

#[test]
fn cluster_objects_are_cluster_scoped_and_configured() {
    let mut m = Manifests::new("shop", "shop");
    ClusterIssuer::letsencrypt("letsencrypt-prod", "ops@example.com", "nginx").add_to(&mut m);
    StorageClass::gp3("gp3").add_to(&mut m);
    let files = m.render("t").unwrap();
    let y = &files["base/cluster.yaml"];
    for expected in [
        "kind: ClusterIssuer",
        "ingressClassName: nginx",
        "email: ops@example.com",
        "provisioner: ebs.csi.aws.com",
        "type: gp3",
        "encrypted: 'true'",
        "volumeBindingMode: WaitForFirstConsumer",
    ] {
        assert!(y.contains(expected), "{expected} in {y}");
    }
    assert!(!y.contains("namespace:"), "{y}");
}

#[test]
fn image_repository_replaces_only_the_name_keeping_the_tag() {
    let m = build(
        Worker::new("worker", "worker:2.0.0")
            .image_repository(TfValue::output("data", "worker_repository_url"))
            .init_command("wait", ["true"]),
    );
    let uses: Vec<(&str, Option<&str>)> = m
        .bridge_uses()
        .iter()
        .map(|u| (u.field_path.as_str(), u.delimiter.as_deref()))
        .collect();
    assert_eq!(
        uses,
        [
            (
                "spec.template.spec.containers.[name=worker].image",
                Some(":")
            ),
            (
                "spec.template.spec.initContainers.[name=wait].image",
                Some(":")
            ),
        ]
    );
    let k = &m.render("t").unwrap()["base/kustomization.yaml"];
    assert!(
        k.contains("delimiter: ':'\n      index: 0\n      create: false"),
        "{k}"
    );
}

#[test]
fn node_selector_and_tolerations_reach_the_pod() {
    let m = build(
        Worker::new("worker", "worker:2.0.0")
            .node_selector(CAPACITY_TYPE_LABEL, "SPOT")
            .tolerate("dedicated", "batch", "NoSchedule"),
    );
    let Object::Deployment(d) = find(&m, "Deployment", "worker") else {
        unreachable!()
    };
    let spec = d.spec.as_ref().unwrap().template.spec.as_ref().unwrap();
    assert_eq!(
        spec.node_selector.as_ref().unwrap()[CAPACITY_TYPE_LABEL],
        "SPOT"
    );
    let t = &spec.tolerations.as_ref().unwrap()[0];
    assert_eq!(
        (
            t.key.as_deref(),
            t.operator.as_deref(),
            t.value.as_deref(),
            t.effect.as_deref()
        ),
        (
            Some("dedicated"),
            Some("Equal"),
            Some("batch"),
            Some("NoSchedule")
        )
    );
}

#[test]
fn migration_job_is_named_by_the_release_tag_and_never_restarts() {
    let job = MigrationJob::new("migrate", "api:1.4.2_rc+1").command(["migrate"]);
    assert_eq!(job.job_name(), "migrate-1-4-2-rc-1");
    let m = build(job);
    let Object::Job(j) = find(&m, "Job", "migrate-1-4-2-rc-1") else {
        unreachable!()
    };
    let spec = j.spec.as_ref().unwrap();
    assert_eq!(spec.ttl_seconds_after_finished, None);
    let pod = spec.template.spec.as_ref().unwrap();
    assert_eq!(pod.restart_policy.as_deref(), Some("Never"));
    assert!(pod.containers[0].liveness_probe.is_none());
}

#[test]
fn cluster_store_serves_listed_namespaces_through_one_service_account() {
    let mut m = Manifests::new("shop", "shop");
    AwsSecretStore::new("aws-secrets", "us-east-1", TfValue::output("data", "role"))
        .cluster_wide(["shop", "monitoring"])
        .add_to(&mut m);
    ExternalSecretEnv::new("grafana-admin", "aws-secrets")
        .namespace("monitoring")
        .cluster_store()
        .key("admin-user", "prod/platform/grafana", "admin-user")
        .add_to(&mut m);
    let y = &m.render("t").unwrap()["base/secrets.yaml"];
    for expected in [
        "kind: ClusterSecretStore",
        "- namespaces:\n    - shop\n    - monitoring",
        "namespace: shop\n",
        "name: aws-secrets\n    kind: ClusterSecretStore",
        "namespace: monitoring",
    ] {
        assert!(y.contains(expected), "{expected} in {y}");
    }
}

#[test]
fn app_config_reads_terraform_values_into_its_data() {
    let m = build(
        AppConfig::new("settings")
            .set("LOG_LEVEL", "info")
            .set_from_terraform("DATABASE_HOST", TfValue::output("data", "db")),
    );
    assert_eq!(m.bridge_uses()[0].kind, "ConfigMap");
    let y = &m.render("t").unwrap()["base/config.yaml"];
    assert!(y.contains("LOG_LEVEL: info"), "{y}");
}

#[test]
fn blue_green_autoscales_each_colour_and_shifts_a_canary_to_the_inactive_one() {
    let m = build(
        BlueGreen::new("api", "api:1.0.0")
            .active(Colour::Green)
            .autoscale(3, 20)
            .host("api.example.com")
            .canary(TrafficStep::Percent50),
    );
    for colour in ["blue", "green"] {
        let Object::HorizontalPodAutoscaler(h) =
            find(&m, "HorizontalPodAutoscaler", &format!("api-{colour}"))
        else {
            unreachable!()
        };
        let spec = h.spec.as_ref().unwrap();
        assert_eq!((spec.min_replicas, spec.max_replicas), (Some(3), 20));
        assert_eq!(spec.scale_target_ref.name, format!("api-{colour}"));
        let Object::Deployment(d) = find(&m, "Deployment", &format!("api-{colour}")) else {
            unreachable!()
        };
        assert_eq!(
            d.spec.as_ref().unwrap().replicas,
            None,
            "the HPA owns replicas"
        );
    }
    let Object::Service(preview) = find(&m, "Service", "api-blue") else {
        unreachable!()
    };
    let sel = preview.spec.as_ref().unwrap().selector.as_ref().unwrap();
    assert_eq!(sel[labels::COLOUR], "blue");
    let Object::Ingress(canary) = find(&m, "Ingress", "api-canary") else {
        unreachable!()
    };
    let a = canary.metadata.annotations.as_ref().unwrap();
    assert_eq!(a["nginx.ingress.kubernetes.io/canary-weight"], "50");
    let backend = &canary.spec.as_ref().unwrap().rules.as_ref().unwrap()[0]
        .http
        .as_ref()
        .unwrap()
        .paths[0]
        .backend;
    assert_eq!(backend.service.as_ref().unwrap().name, "api-blue");
    find(&m, "Ingress", "api");
    find(&m, "Ingress", "api-metrics-deny");
    assert_eq!(
        label(find(&m, "ServiceMonitor", "api"), "release"),
        Some("kube-prometheus-stack")
    );
}

#[test]
fn traffic_steps_are_10_50_100_percent() {
    let weights: Vec<u32> = [
        TrafficStep::Percent10,
        TrafficStep::Percent50,
        TrafficStep::Percent100,
    ]
    .map(TrafficStep::weight)
    .to_vec();
    assert_eq!(weights, [10, 50, 100]);
}

#[test]
fn blue_green_monitor_scrapes_each_pod_once_through_the_colour_services() {
    let m = build(BlueGreen::new("api", "api:1.0.0"));
    let Object::ServiceMonitor(sm) = find(&m, "ServiceMonitor", "api") else {
        unreachable!()
    };
    let matches = |o: &Object| {
        let l = o.metadata().labels.clone().unwrap_or_default();
        sm.spec
            .selector
            .match_labels
            .iter()
            .flatten()
            .all(|(k, v)| l.get(k) == Some(v))
            && sm
                .spec
                .selector
                .match_expressions
                .iter()
                .flatten()
                .all(|e| l.contains_key(&e.key))
    };
    let selected: Vec<&str> = m
        .objects()
        .iter()
        .filter(|o| o.kind() == "Service" && matches(o))
        .map(|o| o.name())
        .collect();
    assert_eq!(selected, ["api-blue", "api-green"]);
}

fn rule_exprs(m: &Manifests, name: &str) -> Vec<(String, String)> {
    let Object::PrometheusRule(r) = find(m, "PrometheusRule", name) else {
        unreachable!()
    };
    r.spec
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .filter_map(|r| Some((r.alert.clone()?, r.expr.clone())))
        .collect()
}

#[test]
fn an_error_ratio_target_adds_a_p2_alert_at_the_objective_and_none_without_it() {
    let with = build(
        AlertRules::new("alerts")
            .error_ratio_target(0.005)
            .http_app("api"),
    );
    let rules = rule_exprs(&with, "alerts");
    let (_, expr) = rules
        .iter()
        .find(|(n, _)| n == "ApiErrorRateAboveTarget")
        .unwrap_or_else(|| panic!("{rules:?}"));
    assert!(expr.ends_with("> 0.005"), "{expr}");
    let without = rule_exprs(&build(AlertRules::new("alerts").http_app("api")), "alerts");
    assert!(!without.iter().any(|(n, _)| n == "ApiErrorRateAboveTarget"));
}

#[test]
fn the_cache_hit_ratio_alert_fires_below_seventy_percent() {
    let rules = rule_exprs(&build(AlertRules::new("alerts").cache()), "alerts");
    let (_, expr) = rules
        .iter()
        .find(|(n, _)| n == "RedisHitRatioLow")
        .unwrap_or_else(|| panic!("{rules:?}"));
    assert!(expr.ends_with("< 0.7"), "{expr}");
}

#[test]
fn a_per_minute_rate_limit_is_written_on_the_ingress_of_web_apps_and_blue_green() {
    let limit = |m: &Manifests| {
        let Object::Ingress(i) = find(m, "Ingress", "api") else {
            unreachable!()
        };
        let a = i.metadata.annotations.clone().unwrap_or_default();
        a.get("nginx.ingress.kubernetes.io/limit-rpm").cloned()
    };
    let web = WebApp::new("api", "api:1.0.0").host("api.example.com");
    assert_eq!(limit(&build(web.clone())), None);
    assert_eq!(
        limit(&build(web.rate_limit_per_minute(100))).as_deref(),
        Some("100")
    );
    let bg = BlueGreen::new("api", "api:1.0.0").host("api.example.com");
    assert_eq!(
        limit(&build(bg.rate_limit_per_minute(100))).as_deref(),
        Some("100")
    );
}
