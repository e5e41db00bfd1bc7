//! The construct defaults that matter, one test each.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::object::Object;
use crate::*;

const IMAGE: &str = "registry.example.com/shop/api:1.0.0";

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

fn kinds(m: &Manifests) -> Vec<&'static str> {
    m.objects().iter().map(|o| o.kind()).collect()
}

fn pod_spec(o: &Object) -> &k8s_openapi::api::core::v1::PodSpec {
    o.pod_template()
        .and_then(|(_, t)| t.spec.as_ref())
        .expect("pod spec")
}

#[test]
fn web_app_creates_the_full_set_of_objects() {
    let m = build(WebApp::new("api", IMAGE).host("api.example.com"));
    assert_eq!(
        kinds(&m),
        [
            "ServiceAccount",
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "VerticalPodAutoscaler",
            "NetworkPolicy",
            "Ingress",
            "Ingress",
            "ServiceMonitor"
        ]
    );
}

#[test]
fn web_app_metrics_path_is_denied_at_the_public_ingress() {
    let m = build(WebApp::new("api", IMAGE).host("api.example.com"));
    let Object::Ingress(i) = find(&m, "Ingress", "api-metrics-deny") else {
        unreachable!()
    };
    let annotations = i.metadata.annotations.as_ref().unwrap();
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/denylist-source-range"],
        "0.0.0.0/0,::/0"
    );
    let spec = i.spec.as_ref().unwrap();
    let rule = &spec.rules.as_ref().unwrap()[0];
    assert_eq!(rule.host.as_deref(), Some("api.example.com"));
    let paths = &rule.http.as_ref().unwrap().paths;
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0].path.as_deref(), Some("/metrics"));
}

#[test]
fn web_app_hpa_defaults_to_2_10_at_70_cpu_80_memory() {
    let m = build(WebApp::new("api", IMAGE));
    let Object::HorizontalPodAutoscaler(h) = find(&m, "HorizontalPodAutoscaler", "api") else {
        unreachable!()
    };
    let spec = h.spec.as_ref().unwrap();
    assert_eq!((spec.min_replicas, spec.max_replicas), (Some(2), 10));
    let targets: Vec<(String, Option<i32>)> = spec
        .metrics
        .iter()
        .flatten()
        .map(|m| {
            let r = m.resource.as_ref().unwrap();
            (r.name.clone(), r.target.average_utilization)
        })
        .collect();
    assert_eq!(
        targets,
        [
            ("cpu".to_string(), Some(70)),
            ("memory".to_string(), Some(80))
        ]
    );
}

#[test]
fn web_app_container_is_hardened() {
    let m = build(WebApp::new("api", IMAGE));
    let spec = pod_spec(find(&m, "Deployment", "api"));
    let c = &spec.containers[0];
    let sc = c.security_context.as_ref().unwrap();
    assert_eq!(sc.run_as_non_root, Some(true));
    assert_eq!(sc.run_as_user, Some(RUN_AS_USER));
    assert_eq!(sc.read_only_root_filesystem, Some(true));
    assert_eq!(sc.allow_privilege_escalation, Some(false));
    assert_eq!(
        sc.capabilities.as_ref().unwrap().drop,
        Some(vec!["ALL".to_string()])
    );
    assert_eq!(sc.seccomp_profile.as_ref().unwrap().type_, "RuntimeDefault");
    assert_eq!(spec.automount_service_account_token, Some(false));
    let limits = c.resources.as_ref().unwrap().limits.as_ref().unwrap();
    assert!(limits.contains_key("cpu") && limits.contains_key("memory"));
}

#[test]
fn web_app_probes_hit_health() {
    let m = build(WebApp::new("api", IMAGE));
    let c = &pod_spec(find(&m, "Deployment", "api")).containers[0];
    for probe in [&c.liveness_probe, &c.readiness_probe, &c.startup_probe] {
        let http = probe.as_ref().unwrap().http_get.as_ref().unwrap();
        assert_eq!(http.path.as_deref(), Some("/health"));
        assert_eq!(http.port, IntOrString::String("http".into()));
    }
}

#[test]
fn web_app_spreads_across_zones() {
    let m = build(WebApp::new("api", IMAGE));
    let spec = pod_spec(find(&m, "Deployment", "api"));
    let anti = spec
        .affinity
        .as_ref()
        .unwrap()
        .pod_anti_affinity
        .as_ref()
        .unwrap();
    let term = &anti
        .preferred_during_scheduling_ignored_during_execution
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        term.pod_affinity_term.topology_key,
        "topology.kubernetes.io/zone"
    );
    let keys: Vec<&str> = spec
        .topology_spread_constraints
        .iter()
        .flatten()
        .map(|t| t.topology_key.as_str())
        .collect();
    assert_eq!(
        keys,
        ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
    );
}

#[test]
fn web_app_pdb_allows_one_pod_down_and_vpa_only_recommends() {
    let m = build(WebApp::new("api", IMAGE));
    let Object::PodDisruptionBudget(p) = find(&m, "PodDisruptionBudget", "api") else {
        unreachable!()
    };
    assert_eq!(
        p.spec.as_ref().unwrap().max_unavailable,
        Some(IntOrString::Int(1))
    );
    let Object::VerticalPodAutoscaler(v) = find(&m, "VerticalPodAutoscaler", "api") else {
        unreachable!()
    };
    assert_eq!(v.spec.update_policy.as_ref().unwrap().update_mode, "Off");
}

#[test]
fn web_app_network_policy_admits_ingress_controller_monitoring_and_named_apps() {
    let m = build(
        WebApp::new("api", IMAGE)
            .host("api.example.com")
            .allow_from("web"),
    );
    let Object::NetworkPolicy(np) = find(&m, "NetworkPolicy", "api") else {
        unreachable!()
    };
    let spec = np.spec.as_ref().unwrap();
    let from = spec.ingress.as_ref().unwrap()[0].from.as_ref().unwrap();
    let namespaces: Vec<String> = from
        .iter()
        .filter_map(|p| p.namespace_selector.as_ref())
        .map(|s| s.match_labels.as_ref().unwrap()["kubernetes.io/metadata.name"].clone())
        .collect();
    assert_eq!(namespaces, [INGRESS_NAMESPACE, MONITORING_NAMESPACE]);
    assert_eq!(
        from[2]
            .pod_selector
            .as_ref()
            .unwrap()
            .match_labels
            .as_ref()
            .unwrap()["app.kubernetes.io/name"],
        "web"
    );
    let egress = &spec.egress.as_ref().unwrap()[0].to.as_ref().unwrap()[0];
    assert_eq!(
        egress.ip_block.as_ref().unwrap().except,
        Some(vec![METADATA_CIDR.to_string()])
    );
}

#[test]
fn web_app_without_host_is_not_reachable_from_the_ingress_controller() {
    let m = build(WebApp::new("api", IMAGE));
    assert!(!kinds(&m).contains(&"Ingress"));
    let Object::NetworkPolicy(np) = find(&m, "NetworkPolicy", "api") else {
        unreachable!()
    };
    let from = np.spec.as_ref().unwrap().ingress.as_ref().unwrap()[0]
        .from
        .as_ref()
        .unwrap()
        .clone();
    assert_eq!(from.len(), 1);
}

#[test]
fn web_app_ingress_has_tls_from_cert_manager_and_rate_limits() {
    let m = build(
        WebApp::new("api", IMAGE)
            .host("api.example.com")
            .rate_limit(50),
    );
    let Object::Ingress(i) = find(&m, "Ingress", "api") else {
        unreachable!()
    };
    let a = i.metadata.annotations.as_ref().unwrap();
    assert_eq!(a[CLUSTER_ISSUER_ANNOTATION], "letsencrypt-prod");
    assert_eq!(a["nginx.ingress.kubernetes.io/limit-rps"], "50");
    let tls = &i.spec.as_ref().unwrap().tls.as_ref().unwrap()[0];
    assert_eq!(tls.hosts, Some(vec!["api.example.com".to_string()]));
    assert_eq!(tls.secret_name.as_deref(), Some("api-tls"));
}

#[test]
fn web_app_service_monitor_scrapes_metrics() {
    let m = build(WebApp::new("api", IMAGE));
    let Object::ServiceMonitor(s) = find(&m, "ServiceMonitor", "api") else {
        unreachable!()
    };
    assert_eq!(s.spec.endpoints[0].path.as_deref(), Some("/metrics"));
    assert_eq!(s.spec.endpoints[0].port, "http");
}

#[test]
fn irsa_role_is_bridged_into_the_service_account_annotation() {
    let m = build(WebApp::new("api", IMAGE).irsa_role(TfValue::output("eks", "api_role_arn")));
    let uses = m.bridge_uses();
    assert_eq!(uses.len(), 1);
    assert_eq!(
        (uses[0].kind.as_str(), uses[0].name.as_str()),
        ("ServiceAccount", "api")
    );
    assert_eq!(
        uses[0].field_path,
        "metadata.annotations.[eks.amazonaws.com/role-arn]"
    );
    // No placeholder is written into the object itself.
    assert_eq!(
        find(&m, "ServiceAccount", "api").metadata().annotations,
        None
    );
}

#[test]
fn every_object_is_labelled_and_namespaced() {
    let mut m = Manifests::new("shop", "shop");
    Namespace::new("shop").add_to(&mut m);
    WebApp::new("api", IMAGE)
        .host("api.example.com")
        .add_to(&mut m);
    Worker::new("worker", IMAGE).add_to(&mut m);
    for o in m.normalized_objects() {
        let labels = o.metadata().labels.clone().unwrap_or_default();
        for key in [labels::NAME, labels::PART_OF, labels::MANAGED_BY] {
            assert!(labels.contains_key(key), "{} lacks {key}", o.display_name());
        }
        assert_eq!(
            o.is_namespaced(),
            !o.namespace().is_empty(),
            "{}",
            o.display_name()
        );
    }
}

#[test]
fn worker_has_no_service_and_scales_on_queue_depth() {
    let m = build(
        Worker::new("worker", IMAGE).scaling(WorkerScaling::QueueDepth {
            metric: "celery_queue_length".into(),
            selector: [("queue".to_string(), "default".to_string())].into(),
            per_pod: 30,
        }),
    );
    assert!(!kinds(&m).contains(&"Service"));
    let Object::HorizontalPodAutoscaler(h) = find(&m, "HorizontalPodAutoscaler", "worker") else {
        unreachable!()
    };
    let metric = &h.spec.as_ref().unwrap().metrics.as_ref().unwrap()[0];
    assert_eq!(metric.type_, "External");
    let ext = metric.external.as_ref().unwrap();
    assert_eq!(ext.metric.name, "celery_queue_length");
    assert_eq!(ext.target.average_value.as_ref().unwrap().0, "30");
}

#[test]
fn gpu_adds_node_selector_toleration_and_limit() {
    let m = build(Worker::new("infer", IMAGE).gpu(1));
    let spec = pod_spec(find(&m, "Deployment", "infer"));
    assert_eq!(
        spec.node_selector.as_ref().unwrap()[GPU_NODE_LABEL],
        GPU_NODE_LABEL_VALUE
    );
    assert_eq!(
        spec.tolerations.as_ref().unwrap()[0].key.as_deref(),
        Some(GPU_RESOURCE)
    );
    let limits = spec.containers[0]
        .resources
        .as_ref()
        .unwrap()
        .limits
        .as_ref()
        .unwrap();
    assert_eq!(limits[GPU_RESOURCE].0, "1");
}

#[test]
fn scheduler_runs_exactly_one_replica_with_recreate() {
    let m = build(Scheduler::new("beat", IMAGE));
    let Object::Deployment(d) = find(&m, "Deployment", "beat") else {
        unreachable!()
    };
    let spec = d.spec.as_ref().unwrap();
    assert_eq!(spec.replicas, Some(1));
    assert_eq!(
        spec.strategy.as_ref().unwrap().type_.as_deref(),
        Some("Recreate")
    );
    assert!(!kinds(&m).contains(&"HorizontalPodAutoscaler"));
    assert!(!kinds(&m).contains(&"PodDisruptionBudget"));
}

#[test]
fn cron_job_forbids_overlap_and_has_no_probes() {
    let m = build(CronJob::new("cleanup", IMAGE, "0 3 * * *"));
    let o = find(&m, "CronJob", "cleanup");
    let Object::CronJob(c) = o else {
        unreachable!()
    };
    assert_eq!(
        c.spec.as_ref().unwrap().concurrency_policy.as_deref(),
        Some("Forbid")
    );
    let spec = pod_spec(o);
    assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
    assert!(spec.containers[0].liveness_probe.is_none());
}

#[test]
fn namespace_has_quota_limits_default_deny_and_restricted_pods() {
    let m = build(Namespace::new("shop"));
    let Object::Namespace(ns) = find(&m, "Namespace", "shop") else {
        unreachable!()
    };
    assert_eq!(
        ns.metadata.labels.as_ref().unwrap()["pod-security.kubernetes.io/enforce"],
        "restricted"
    );
    let Object::NetworkPolicy(deny) = find(&m, "NetworkPolicy", "default-deny") else {
        unreachable!()
    };
    let spec = deny.spec.as_ref().unwrap();
    assert_eq!(
        spec.policy_types,
        Some(vec!["Ingress".to_string(), "Egress".to_string()])
    );
    assert!(spec.ingress.is_none() && spec.egress.is_none());
    assert!(kinds(&m).contains(&"ResourceQuota") && kinds(&m).contains(&"LimitRange"));
}

#[test]
fn postgres_is_a_stateful_set_with_claims_and_a_headless_service() {
    let m = build(Postgres::new("db", "db-credentials"));
    let Object::Service(s) = find(&m, "Service", "db") else {
        unreachable!()
    };
    assert_eq!(s.spec.as_ref().unwrap().cluster_ip.as_deref(), Some("None"));
    let o = find(&m, "StatefulSet", "db");
    let Object::StatefulSet(st) = o else {
        unreachable!()
    };
    let claims = st
        .spec
        .as_ref()
        .unwrap()
        .volume_claim_templates
        .as_ref()
        .unwrap();
    assert_eq!(claims[0].metadata.name.as_deref(), Some("data"));
    let env = pod_spec(o).containers[0].env.as_ref().unwrap();
    let password = env.iter().find(|e| e.name == "POSTGRES_PASSWORD").unwrap();
    assert!(password.value.is_none());
    assert_eq!(
        password
            .value_from
            .as_ref()
            .unwrap()
            .secret_key_ref
            .as_ref()
            .unwrap()
            .name,
        "db-credentials"
    );
}

#[test]
fn redis_persists_to_its_claim() {
    let m = build(Redis::new("cache"));
    let o = find(&m, "StatefulSet", "cache");
    let mounts = pod_spec(o).containers[0].volume_mounts.clone().unwrap();
    assert!(mounts
        .iter()
        .any(|v| v.name == "data" && v.mount_path == "/data"));
}

#[test]
fn blue_green_switch_is_a_one_line_diff() {
    let render = |c: Colour| {
        let mut m = Manifests::new("shop", "shop");
        BlueGreen::new("web", IMAGE)
            .green_image("registry.example.com/shop/web:2.0.0")
            .active(c)
            .add_to(&mut m);
        m.render("t").unwrap()
    };
    let (blue, green) = (render(Colour::Blue), render(Colour::Green));
    let mut changed = Vec::new();
    for (path, text) in &blue {
        for (a, b) in text.lines().zip(green[path].lines()) {
            if a != b {
                changed.push((path.clone(), a.to_string(), b.to_string()));
            }
        }
    }
    assert_eq!(
        changed,
        [(
            "base/services.yaml".to_string(),
            "    terrane.dev/colour: blue".to_string(),
            "    terrane.dev/colour: green".to_string()
        )]
    );
}

#[test]
fn rbac_grants_only_what_is_asked() {
    let m = build(
        Rbac::new("deployer")
            .allow("apps", ["deployments"], ["get", "patch"])
            .with_service_account(),
    );
    let Object::Role(r) = find(&m, "Role", "deployer") else {
        unreachable!()
    };
    let rule = &r.rules.as_ref().unwrap()[0];
    assert_eq!(rule.verbs, ["get", "patch"]);
    assert!(!rule.resources.as_ref().unwrap().iter().any(|x| x == "*"));
    let Object::RoleBinding(b) = find(&m, "RoleBinding", "deployer") else {
        unreachable!()
    };
    assert_eq!(b.subjects.as_ref().unwrap()[0].name, "deployer");
    assert!(kinds(&m).contains(&"ServiceAccount"));
}

#[test]
fn alert_rules_cover_p0_to_p3() {
    let m = build(
        AlertRules::new("alerts")
            .http_app("api")
            .queue_backlog("celery_queue_length", 1000)
            .db_connections(80),
    );
    let Object::PrometheusRule(r) = find(&m, "PrometheusRule", "alerts") else {
        unreachable!()
    };
    let mut severities: Vec<String> = r
        .spec
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .map(|r| r.labels["severity"].clone())
        .collect();
    severities.sort();
    severities.dedup();
    assert_eq!(severities, ["P0", "P1", "P2", "P3"]);
    let names: Vec<&str> = r
        .spec
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .filter_map(|r| r.alert.as_deref())
        .collect();
    for expected in [
        "ApiErrorRateCritical",
        "ApiHighLatencyP95",
        "ApiPodRestarts",
        "QueueBacklog",
        "DatabaseConnectionsHigh",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
}

#[test]
fn alert_routing_sends_each_severity_to_its_receiver_with_secrets_from_external_secret() {
    let m = build(AlertRouting::new("alerts", "aws-secrets"));
    let Object::AlertmanagerConfig(a) = find(&m, "AlertmanagerConfig", "alerts") else {
        unreachable!()
    };
    let routes: Vec<(String, String)> = a
        .spec
        .route
        .routes
        .iter()
        .map(|r| (r.matchers[0].value.clone(), r.receiver.clone()))
        .collect();
    assert_eq!(
        routes,
        [
            ("P0", "pagerduty"),
            ("P0", "slack"),
            ("P0", "email"),
            ("P1", "pagerduty"),
            ("P1", "slack"),
            ("P2", "slack"),
            ("P3", "email")
        ]
        .map(|(s, r)| (s.to_string(), r.to_string()))
    );
    let Object::ExternalSecret(es) = find(&m, "ExternalSecret", "alerts-receivers") else {
        unreachable!()
    };
    let keys: Vec<&str> = es.spec.data.iter().map(|d| d.secret_key.as_str()).collect();
    assert_eq!(keys, [SLACK_WEBHOOK_KEY, PAGERDUTY_KEY, SMTP_PASSWORD_KEY]);
    assert_eq!(
        a.spec.receivers[0].pagerduty_configs[0].routing_key.name,
        "alerts-receivers"
    );
}

#[test]
fn grafana_dashboard_is_a_labelled_config_map_of_json() {
    let m = build(GrafanaDashboard::http_app("api"));
    let Object::ConfigMap(c) = find(&m, "ConfigMap", "api-dashboard") else {
        unreachable!()
    };
    assert_eq!(
        c.metadata.labels.as_ref().unwrap()[GRAFANA_DASHBOARD_LABEL],
        "1"
    );
    let json = &c.data.as_ref().unwrap()["api-dashboard.json"];
    assert!(
        json.starts_with("{\n  \"uid\": \"api-dashboard\""),
        "{json}"
    );
}

#[test]
fn rendering_is_deterministic() {
    let make = || {
        let mut m = Manifests::new("shop", "shop");
        WebApp::new("b", IMAGE).add_to(&mut m);
        WebApp::new("a", IMAGE).add_to(&mut m);
        m.render("t").unwrap()
    };
    assert_eq!(make(), make());
    let services = &make()["base/services.yaml"];
    assert!(services.find("name: a").unwrap() < services.find("name: b").unwrap());
}
