//! The coherence rules on a small well-formed platform (which passes) and on the
//! same platform with one defect each (exact messages). Objects are built raw, so
//! the tests do not move when the constructs change.

mod fixture;

use fixture::*;

#[test]
fn a_well_formed_platform_passes_every_rule() {
    assert_eq!(run(Spec::good()), Vec::<String>::new());
}

#[test]
fn external_secret_version_not_served_by_the_pinned_chart() {
    let mut s = Spec::good();
    s.release("external-secrets").version = "0.10.4";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ExternalSecret/api-env: apiVersion: external-secrets 0.10.4 (helm_release.external_secrets in stack platform) serves ExternalSecret only as external-secrets.io/v1alpha1, external-secrets.io/v1beta1, not external-secrets.io/v1: apply fails with \"no matches for kind\""]
    );
}

#[test]
fn crd_with_no_release_installing_it() {
    let mut s = Spec::good();
    s.drop_release("vertical-pod-autoscaler");
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/VerticalPodAutoscaler/api: apiVersion: no Helm release or manifest of the target installs the CRD of autoscaling.k8s.io/v1 VerticalPodAutoscaler (charts that serve it: vertical-pod-autoscaler 0.11.0 from https://kubernetes.github.io/autoscaler, vpa 5.0.0 from https://charts.fairwinds.com/stable)"]
    );
}

#[test]
fn crds_switched_off_in_values() {
    let mut s = Spec::good();
    s.release("external-secrets").values = "installCRDs: false";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ExternalSecret/api-env: apiVersion: the CRD of external-secrets.io/v1 ExternalSecret comes with external-secrets 2.9.0 (helm_release.external_secrets in stack platform), whose values leave its CRDs off: set installCRDs to true"]
    );
}

#[test]
fn unknown_chart_version_is_a_warning() {
    let mut s = Spec::good();
    s.release("vertical-pod-autoscaler").version = "0.12.0";
    assert_eq!(
        run(s),
        ["warning: [t/k8s/base] shop/VerticalPodAutoscaler/api: apiVersion: helm_release.vertical_pod_autoscaler in stack platform pins vertical-pod-autoscaler 0.12.0, a version terrane has no CRD facts for (known: 0.11.0); whether it serves autoscaling.k8s.io/v1 VerticalPodAutoscaler is not checked"]
    );
}

#[test]
fn monitors_without_the_release_label() {
    let mut s = Spec::good();
    s.set_monitor_labels(&[("team", "shop")]);
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/ServiceMonitor/api: metadata.labels: no Prometheus of the target selects this ServiceMonitor: helm_release.kube_prometheus_stack in stack platform selects ServiceMonitors with labels release=kube-prometheus-stack (prometheus.prometheusSpec.serviceMonitorSelector is empty and serviceMonitorSelectorNilUsesHelmValues is true)",
            "error: [t/k8s/base] shop/PrometheusRule/shop-alerts: metadata.labels: no Prometheus of the target selects this PrometheusRule: helm_release.kube_prometheus_stack in stack platform selects PrometheusRules with labels release=kube-prometheus-stack (prometheus.prometheusSpec.ruleSelector is empty and ruleSelectorNilUsesHelmValues is true)",
        ]
    );
}

#[test]
fn monitors_follow_explicit_selectors_in_values() {
    let mut s = Spec::good();
    s.set_monitor_labels(&[("team", "shop")]);
    s.release("kube-prometheus-stack").values = "prometheus:\n  prometheusSpec:\n    storageSpec: {volumeClaimTemplate: {spec: {storageClassName: gp3}}}\n    serviceMonitorSelector: {matchLabels: {team: payments}}\n    ruleSelectorNilUsesHelmValues: false\n";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ServiceMonitor/api: metadata.labels: no Prometheus of the target selects this ServiceMonitor: helm_release.kube_prometheus_stack in stack platform selects ServiceMonitors with labels team=payments (prometheus.prometheusSpec.serviceMonitorSelector)"]
    );
}

#[test]
fn a_chart_service_monitor_without_the_release_label() {
    let mut s = Spec::good();
    s.releases.push(fixture::Release {
        chart: "prometheus-cloudwatch-exporter",
        version: "0.28.1",
        namespace: "monitoring",
        values: "serviceMonitor:\n  enabled: true\n  labels: {team: shop}\n",
    });
    assert_eq!(
        run(s.clone()),
        ["error: [t/platform] helm_release.prometheus_cloudwatch_exporter: values.serviceMonitor.labels: the chart's ServiceMonitor: no Prometheus of the target selects this ServiceMonitor: helm_release.kube_prometheus_stack in stack platform selects ServiceMonitors with labels release=kube-prometheus-stack (prometheus.prometheusSpec.serviceMonitorSelector is empty and serviceMonitorSelectorNilUsesHelmValues is true)"]
    );
    s.release("prometheus-cloudwatch-exporter").values =
        "serviceMonitor:\n  enabled: true\n  labels: {release: kube-prometheus-stack}\n";
    assert_eq!(run(s.clone()), Vec::<String>::new());
    // Disabled (the chart's default): nothing rendered, nothing to check.
    s.release("prometheus-cloudwatch-exporter").values =
        "serviceMonitor:\n  labels: {team: shop}\n";
    assert_eq!(run(s), Vec::<String>::new());
}

#[test]
fn monitors_with_no_prometheus() {
    let mut s = Spec::good();
    s.drop_release("kube-prometheus-stack");
    s.drop_release("prometheus-adapter");
    // Without the chart, the CRDs are missing too; only the monitor lines matter here.
    let lines: Vec<String> = run(s)
        .into_iter()
        .filter(|l| l.contains("metadata.labels"))
        .collect();
    assert_eq!(
        lines,
        [
            "error: [t/k8s/base] shop/ServiceMonitor/api: metadata.labels: no Prometheus of the target selects this ServiceMonitor: no kube-prometheus-stack release installs one",
            "error: [t/k8s/base] shop/PrometheusRule/shop-alerts: metadata.labels: no Prometheus of the target selects this PrometheusRule: no kube-prometheus-stack release installs one",
        ]
    );
}

#[test]
fn hpas_without_metrics_apis() {
    let mut s = Spec::good();
    s.drop_release("metrics-server");
    s.drop_release("prometheus-adapter");
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/HorizontalPodAutoscaler/api: spec.metrics[0].type: Resource metrics come from the metrics.k8s.io API, and the target installs no metrics server (metrics-server release or EKS add-on): the HPA never scales",
            "error: [t/k8s/base] shop/HorizontalPodAutoscaler/gpu: spec.metrics[0].type: Resource metrics come from the metrics.k8s.io API, and the target installs no metrics server (metrics-server release or EKS add-on): the HPA never scales",
            "error: [t/k8s/base] shop/HorizontalPodAutoscaler/worker: spec.metrics[0].type: External metric celery_queue_length comes from the external.metrics.k8s.io API, and the target installs no adapter serving it (prometheus-adapter with rules.external, or KEDA): the HPA never scales",
        ]
    );
}

#[test]
fn adapter_serving_other_external_metrics() {
    let mut s = Spec::good();
    s.release("prometheus-adapter").values = "prometheus: {url: 'http://kube-prometheus-stack-prometheus.monitoring.svc'}\nrules:\n  external:\n  - seriesQuery: 'orders_pending{queue!=\"\"}'\n    metricsQuery: 'sum(<<.Series>>)'\n";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/HorizontalPodAutoscaler/worker: spec.metrics[0].type: no adapter of the target serves External metric celery_queue_length: helm_release.prometheus_adapter in stack platform serves only orders_pending"]
    );
}

#[test]
fn adapter_left_on_the_default_prometheus_url() {
    let mut s = Spec::good();
    s.release("prometheus-adapter").values =
        "rules:\n  external:\n  - seriesQuery: 'celery_queue_length'\n";
    assert_eq!(
        run(s),
        ["error: [t/platform] helm_release.prometheus_adapter: values.prometheus.url: prometheus-adapter queries http://prometheus.default.svc:9090, the chart's default, where the target runs no Prometheus: set prometheus.url to http://kube-prometheus-stack-prometheus.monitoring.svc"]
    );
}

#[test]
fn names_that_nothing_creates() {
    let mut s = Spec::good();
    s.drop_release("ingress-nginx");
    s.ebs_csi = None;
    s.manifests_mut().push(issued_ingress());
    s.manifests_mut().push(priority_job());
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/StatefulSet/db: spec.volumeClaimTemplates[0].spec.storageClassName: StorageClass gp3 exists nowhere in the target (StorageClasses: gp2): the volume is never provisioned and its pod stays Pending",
            "error: [t/k8s/base] shop/CronJob/report: spec.jobTemplate.spec.template.spec.priorityClassName: PriorityClass batch-low exists nowhere in the target: the API server rejects the pods",
            "error: [t/k8s/base] shop/Ingress/api: spec.ingressClassName: IngressClass nginx exists nowhere in the target, as an object or from a release (IngressClasses: none): no controller serves this Ingress",
            "error: [t/k8s/base] shop/Ingress/docs: spec.ingressClassName: IngressClass nginx exists nowhere in the target, as an object or from a release (IngressClasses: none): no controller serves this Ingress",
            "error: [t/k8s/base] shop/Ingress/docs: metadata.annotations.cert-manager.io/cluster-issuer: ClusterIssuer letsencrypt-prod exists nowhere in the target (cert-manager's chart creates no issuer): no certificate is issued",
            "error: [t/platform] helm_release.kube_prometheus_stack: values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName: StorageClass gp3 exists nowhere in the target (StorageClasses: gp2): the volume is never provisioned and its pod stays Pending",
        ]
    );
}

#[test]
fn network_policies_without_an_engine() {
    let mut s = Spec::good();
    s.vpc_cni = Some("{}");
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/NetworkPolicy/default-deny: spec: no engine enforces the 1 NetworkPolicies of k8s/base: aws_eks_addon.vpc_cni in stack cluster does not set enableNetworkPolicy = \"true\" in configuration_values, and no Calico or Cilium release is installed; they are accepted and ignored"]
    );
}

#[test]
fn gpu_pod_selecting_no_node_group() {
    let mut s = Spec::good();
    s.gpu_node_selector = ("nvidia.com/gpu.present", "true");
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.nodeSelector: requests nvidia.com/gpu, and no node group of the target can run it: node group gpu (aws_eks_node_group.gpu): nodeSelector nvidia.com/gpu.present=true matches none of its labels (accelerator=nvidia, eks.amazonaws.com/capacityType=ON_DEMAND, eks.amazonaws.com/nodegroup=gpu)"]
    );
}

#[test]
fn gpu_pod_not_tolerating_the_taint_and_no_gpu_nodes() {
    let mut s = Spec::good();
    s.gpu_toleration = false;
    let untolerated = run(s);
    assert_eq!(
        untolerated,
        ["error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.nodeSelector: requests nvidia.com/gpu, and no node group of the target can run it: node group gpu (aws_eks_node_group.gpu): its taint nvidia.com/gpu=true:NoSchedule is not tolerated"]
    );
    let mut s = Spec::good();
    s.node_groups.retain(|g| g.name != "gpu");
    s.drop_release("nvidia-device-plugin");
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.containers: requests nvidia.com/gpu, and the target installs no NVIDIA device plugin (nvidia-device-plugin or gpu-operator release): no node advertises GPUs, so its pods stay Pending",
            "error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.nodeSelector: requests nvidia.com/gpu, and no node group of the target can run it: the target has no GPU node group",
        ]
    );
}

#[test]
fn gpu_capacity_quota_and_device_plugin_placement() {
    let mut s = Spec::good();
    s.gpu_hpa_max = 6;
    s.release("nvidia-device-plugin").values = "{}";
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.containers: needs up to 6 GPUs (HorizontalPodAutoscaler/gpu maximum 6 × 1 per pod), and the node groups it can run on hold at most 5 (gpu: 5 nodes × 1)",
            "error: [t/k8s/base] shop/ResourceQuota/quota: spec.hard.requests.nvidia.com/gpu: allows 5 GPUs in namespace shop, and its workloads request up to 6 at their maximum replicas (Deployment/gpu 6 × 1)",
            "error: [t/platform] helm_release.nvidia_device_plugin: values.affinity: the NVIDIA device plugin (helm_release.nvidia_device_plugin in stack platform) does not run on node group gpu (aws_eks_node_group.gpu): the chart's default affinity requires the label nvidia.com/gpu.present=true (or NFD labels), which its nodes lack; its GPUs are never advertised",
        ]
    );
}

#[test]
fn unknown_gpu_instance_type_is_a_warning() {
    let mut s = Spec::good();
    s.node_groups[1].instance_types = vec!["p4d.24xlarge"];
    assert_eq!(
        run(s),
        ["warning: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.containers: node group gpu (aws_eks_node_group.gpu) has an instance type or size terrane cannot count GPUs of (p4d.24xlarge): GPU capacity is not checked"]
    );
}

#[test]
fn quota_below_the_workloads_at_their_maximum() {
    let mut s = Spec::good();
    s.api_hpa_max = 30;
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/ResourceQuota/quota: spec.hard.requests.cpu: allows 20 CPU in namespace shop, and its workloads need 23 CPU at their maximum replicas (Deployment/api 30 × 0.5 CPU, Deployment/gpu 5 × 1 CPU, Deployment/worker 10 × 0.25 CPU, StatefulSet/db 1 × 0.5 CPU): scaling out is refused",
        ]
    );
}

#[test]
fn set_entries_and_literal_values_are_read() {
    use super::values::{document, get, merge, set_path};
    let mut v = document(&terrane_core::Tree::from(
        "prometheus:\n  prometheusSpec: {ruleSelectorNilUsesHelmValues: true}\n",
    ));
    merge(&mut v, serde_json::json!({"prometheus": {"enabled": true}}));
    set_path(
        &mut v,
        "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues",
        serde_json::json!(false),
    );
    set_path(
        &mut v,
        "controller.podAnnotations.prometheus\\.io/scrape",
        serde_json::json!("true"),
    );
    assert_eq!(
        get(
            &v,
            "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues"
        ),
        Some(&serde_json::json!(false))
    );
    assert_eq!(
        get(&v, "prometheus.enabled"),
        Some(&serde_json::json!(true))
    );
    assert_eq!(
        v["controller"]["podAnnotations"]["prometheus.io/scrape"],
        serde_json::json!("true")
    );
}

#[test]
fn load_balancer_annotations_without_the_controller() {
    let mut s = Spec::good();
    s.release("ingress-nginx").values = "controller:\n  service:\n    annotations:\n      service.beta.kubernetes.io/aws-load-balancer-type: external\n      service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip\n";
    assert_eq!(
        run(s.clone()),
        [
            "error: [t/platform] helm_release.ingress_nginx: values.controller.service.annotations.service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: only the AWS Load Balancer Controller acts on it, and the target installs no aws-load-balancer-controller release: the Service never gets an address",
            "error: [t/platform] helm_release.ingress_nginx: values.controller.service.annotations.service.beta.kubernetes.io/aws-load-balancer-type: only the AWS Load Balancer Controller acts on it, and the target installs no aws-load-balancer-controller release: the Service never gets an address",
        ]
    );
    s.releases.push(fixture::Release {
        chart: "aws-load-balancer-controller",
        version: "3.5.0",
        namespace: "kube-system",
        values: "clusterName: shop",
    });
    assert_eq!(run(s), Vec::<String>::new());
}

#[test]
fn a_target_that_does_not_manage_its_cluster_gets_only_the_quota_rule() {
    let mut s = Spec::good();
    s.releases.clear();
    s.node_groups.clear();
    s.no_cluster = true;
    s.api_hpa_max = 30;
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ResourceQuota/quota: spec.hard.requests.cpu: allows 20 CPU in namespace shop, and its workloads need 23 CPU at their maximum replicas (Deployment/api 30 × 0.5 CPU, Deployment/gpu 5 × 1 CPU, Deployment/worker 10 × 0.25 CPU, StatefulSet/db 1 × 0.5 CPU): scaling out is refused"]
    );
}

#[test]
fn gpu_pod_larger_than_any_gpu_node() {
    let mut s = Spec::good();
    s.gpu_per_pod = "2";
    assert_eq!(
        run(s),
        [
            "error: [t/k8s/base] shop/Deployment/gpu: spec.template.spec.nodeSelector: requests nvidia.com/gpu, and no node group of the target can run it: node group gpu (aws_eks_node_group.gpu): its nodes have 1 GPU(s) each, and one pod needs 2",
            "error: [t/k8s/base] shop/ResourceQuota/quota: spec.hard.requests.nvidia.com/gpu: allows 5 GPUs in namespace shop, and its workloads request up to 10 at their maximum replicas (Deployment/gpu 5 × 2)",
        ]
    );
}

#[test]
fn missing_crd_names_the_releases_terrane_has_no_facts_for() {
    let mut s = Spec::good();
    s.drop_release("vertical-pod-autoscaler");
    s.releases.push(fixture::Release {
        chart: "goldilocks",
        version: "9.0.0",
        namespace: "goldilocks",
        values: "{}",
    });
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/VerticalPodAutoscaler/api: apiVersion: no Helm release or manifest of the target installs the CRD of autoscaling.k8s.io/v1 VerticalPodAutoscaler (charts that serve it: vertical-pod-autoscaler 0.11.0 from https://kubernetes.github.io/autoscaler, vpa 5.0.0 from https://charts.fairwinds.com/stable); terrane has no facts on the CRDs of helm_release.goldilocks (chart goldilocks)"]
    );
}

#[test]
fn monitors_in_namespaces_the_prometheus_does_not_watch() {
    let mut s = Spec::good();
    s.release("kube-prometheus-stack").values = "prometheus:\n  prometheusSpec:\n    storageSpec: {volumeClaimTemplate: {spec: {storageClassName: gp3}}}\n    serviceMonitorNamespaceSelector: {matchLabels: {monitoring: enabled}}\n";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ServiceMonitor/api: metadata.labels: no Prometheus of the target selects this ServiceMonitor: helm_release.kube_prometheus_stack in stack platform selects ServiceMonitors in namespaces with labels monitoring=enabled, and namespace shop has none of them"]
    );
}

#[test]
fn quota_on_pods() {
    let mut s = Spec::good();
    s.api_hpa_max = 40;
    let lines = run(s);
    assert!(
        lines.contains(&"error: [t/k8s/base] shop/ResourceQuota/quota: spec.hard.pods: allows 50 pods in namespace shop, and its workloads run up to 56 at their maximum replicas: scaling out is refused".to_string()),
        "{lines:#?}"
    );
}

#[test]
fn every_fact_cites_its_source() {
    for c in super::facts::CHARTS {
        assert!(
            c.source.starts_with("https://"),
            "{} {}",
            c.chart,
            c.version
        );
        assert!(c.repository.starts_with("https://") || c.repository.starts_with("oci://"));
        for crd in c.crds {
            assert!(
                crd.source.starts_with("https://github.com/"),
                "{} {}",
                c.chart,
                crd.kind
            );
            assert!(!crd.served.is_empty(), "{} {}", c.chart, crd.kind);
        }
    }
    assert_eq!(super::facts::gpus_per_instance("g5.12xlarge"), Some(4));
    assert_eq!(super::facts::gpus_per_instance("m6i.xlarge"), None);
}

#[test]
fn a_single_crd_switched_off() {
    let mut s = Spec::good();
    s.release("external-secrets").values = "crds: {createExternalSecret: false}";
    assert_eq!(
        run(s),
        ["error: [t/k8s/base] shop/ExternalSecret/api-env: apiVersion: the CRD of external-secrets.io/v1 ExternalSecret comes with external-secrets 2.9.0 (helm_release.external_secrets in stack platform), whose values leave its CRDs off: set crds.createExternalSecret to true"]
    );
}

#[test]
fn dns_records_asked_for_and_outside_the_domain_filters() {
    let mut s = Spec::good();
    s.manifests_mut().push(dns_ingress());
    assert_eq!(
        run(s.clone()),
        ["warning: [t/k8s/base] shop/Ingress/public: metadata.annotations.external-dns.alpha.kubernetes.io/hostname: the Ingress asks for DNS records, and the target installs no external-dns release: no record is made"]
    );
    s.releases.push(fixture::Release {
        chart: "external-dns",
        version: "1.21.1",
        namespace: "external-dns",
        values: "sources: [ingress]\ndomainFilters: [example.com]\nextraArgs:\n  ingress-class: [alb]\n",
    });
    assert_eq!(
        run(s.clone()),
        ["warning: [t/k8s/base] shop/Ingress/public: metadata.annotations.external-dns.alpha.kubernetes.io/hostname: the Ingress asks for DNS records, and no external-dns release of the target watches it (helm_release.external_dns in stack platform has no `ingress` in its sources or filters out ingress class `nginx`): no record is made"]
    );
    // Watching class nginx: the annotated Ingress and the plain `api` one (its host
    // api.example.com is inside the filter); shop.example.org is outside it.
    s.release("external-dns").values =
        "sources: [ingress]\ndomainFilters: [example.com]\nextraArgs:\n  ingress-class: [nginx]\n";
    assert_eq!(
        run(s.clone()),
        ["warning: [t/k8s/base] shop/Ingress/public: spec: host shop.example.org is outside every external-dns domain filter of the target (helm_release.external_dns in stack platform: example.com): no record is made for it"]
    );
    s.release("external-dns").values =
        "domainFilters: [example.com, example.org]\nextraArgs: ['--ingress-class=nginx']\n";
    assert_eq!(run(s), Vec::<String>::new());
}

#[test]
fn secrets_copied_from_secrets_manager_secrets_created_empty() {
    let mut s = Spec::good();
    s.manifests_mut().push(operator_external_secret());
    s.remote_secrets = vec![("shop/grafana", false), ("shop/api", true)];
    assert_eq!(
        run(s.clone()),
        ["warning: [t/k8s/base] shop/ExternalSecret/grafana: spec.data[0].remoteRef.key: Secret shop/grafana-admin (key admin-user from property user, key admin-password from property password) comes from Secrets Manager secret shop/grafana, which aws_secretsmanager_secret.shop_grafana in stack platform creates with no value: put it before applying the manifests (aws secretsmanager put-secret-value --secret-id shop/grafana; its description lists the properties), or the Secret is never made"]
    );
    s.remote_secrets = vec![("shop/grafana", true), ("shop/api", false)];
    assert_eq!(
        run(s.clone()),
        ["warning: [t/k8s/base] shop/ExternalSecret/grafana: spec.dataFrom[0].extract.key: Secret shop/grafana-admin (every property as a key) comes from Secrets Manager secret shop/api, which aws_secretsmanager_secret.shop_api in stack platform creates with no value: put it before applying the manifests (aws secretsmanager put-secret-value --secret-id shop/api; its description lists the properties), or the Secret is never made"]
    );
    s.remote_secrets = vec![("shop/grafana", true), ("shop/api", true)];
    assert_eq!(run(s), Vec::<String>::new());
}
