use super::*;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

#[test]
fn crds_serialize_api_version_and_kind_first() {
    let vpa = VerticalPodAutoscaler {
        metadata: ObjectMeta {
            name: Some("api".into()),
            ..Default::default()
        },
        spec: VerticalPodAutoscalerSpec {
            target_ref: TargetRef {
                api_version: "apps/v1".into(),
                kind: "Deployment".into(),
                name: "api".into(),
            },
            update_policy: Some(UpdatePolicy {
                update_mode: "Off".into(),
            }),
            resource_policy: None,
        },
    };
    let yaml = serde_norway::to_string(&vpa).unwrap();
    assert!(yaml.starts_with("apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: api\n"), "{yaml}");
}

#[test]
fn group_version_kind_are_the_upstream_ones() {
    use k8s_openapi::Resource;
    assert_eq!(ServiceMonitor::API_VERSION, "monitoring.coreos.com/v1");
    assert_eq!(PrometheusRule::API_VERSION, "monitoring.coreos.com/v1");
    assert_eq!(
        AlertmanagerConfig::API_VERSION,
        "monitoring.coreos.com/v1alpha1"
    );
    assert_eq!(ExternalSecret::API_VERSION, "external-secrets.io/v1");
    assert_eq!(ClusterSecretStore::KIND, "ClusterSecretStore");
}

#[test]
fn slack_api_url_keeps_upstream_casing() {
    let r = Receiver {
        name: "slack".into(),
        slack_configs: vec![SlackConfig {
            api_url: SecretKeySelector::new("s", "k"),
            ..Default::default()
        }],
        ..Default::default()
    };
    let yaml = serde_norway::to_string(&r).unwrap();
    assert!(yaml.contains("apiURL:"), "{yaml}");
}
