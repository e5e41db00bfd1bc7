//! One test per domain check, asserting the exact message.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{ConfigMap, Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::{
    Construct, Error, Manifests, Overlay, PodBuilder, RenderOptions, Resources, TfValue, WebApp,
};

const IMAGE: &str = "registry.example.com/shop/api:1.0.0";

fn errors(m: &Manifests) -> Vec<String> {
    match m.render("eks-prod") {
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => Vec::new(),
    }
}

fn shop() -> Manifests {
    Manifests::new("shop", "shop")
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: Some("shop".into()),
        ..Default::default()
    }
}

#[test]
fn a_valid_app_passes_every_check() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .host("api.example.com")
        .add_to(&mut m);
    assert_eq!(errors(&m), Vec::<String>::new());
}

#[test]
fn hpa_min_above_max() {
    let mut m = shop();
    WebApp::new("api", IMAGE).replicas(5, 3).add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/HorizontalPodAutoscaler/api: spec.minReplicas: minReplicas 5 is greater than maxReplicas 3"]
    );
}

#[test]
fn pdb_min_available_blocking_every_eviction() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .replicas(2, 5)
        .min_available(2)
        .add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/PodDisruptionBudget/api: spec.minAvailable: minAvailable 2 is not below the 2 replica(s) of Deployment/api, so no pod can ever be evicted"]
    );
}

#[test]
fn container_without_limits() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .resources(Resources::requests("100m", "128Mi"))
        .add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Deployment/api: spec.template.spec.containers[api].resources.limits: container api has no cpu or memory limit"]
    );
}

#[test]
fn container_running_as_root() {
    let mut m = shop();
    WebApp::new("api", IMAGE).run_as_root().add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Deployment/api: spec.template.spec.containers[api].securityContext.runAsNonRoot: container api may run as root; set runAsNonRoot: true and a non-zero runAsUser"]
    );
}

#[test]
fn service_selector_matching_no_pod_template() {
    let mut m = shop();
    m.push(Service {
        metadata: meta("ghost"),
        spec: Some(ServiceSpec {
            selector: Some(BTreeMap::from([(
                "app.kubernetes.io/name".to_string(),
                "ghost".to_string(),
            )])),
            ports: Some(vec![ServicePort {
                port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    });
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Service/ghost: spec.selector: selector app.kubernetes.io/name=ghost matches no pod template in namespace shop"]
    );
}

fn ingress_to(service: &str, port: ServiceBackendPort) -> Ingress {
    Ingress {
        metadata: meta("edge"),
        spec: Some(IngressSpec {
            rules: Some(vec![IngressRule {
                host: Some("shop.example.com".into()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".into()),
                        path_type: "Prefix".into(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: service.into(),
                                port: Some(port),
                            }),
                            resource: None,
                        },
                    }],
                }),
            }]),
            ..Default::default()
        }),
        status: None,
    }
}

#[test]
fn ingress_pointing_at_a_missing_service() {
    let mut m = shop();
    m.push(ingress_to(
        "ghost",
        ServiceBackendPort {
            name: Some("http".into()),
            number: None,
        },
    ));
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Ingress/edge: spec.rules[0].http.paths[0].backend.service.name: no Service named ghost in namespace shop"]
    );
}

#[test]
fn ingress_to_a_declared_helm_service_needs_its_declared_port() {
    let mut m = shop();
    m.external_service("shop", "grafana", "http-web");
    m.push(ingress_to(
        "grafana",
        ServiceBackendPort {
            name: Some("http-web".into()),
            number: None,
        },
    ));
    assert_eq!(errors(&m), Vec::<String>::new());
    m.push(ingress_to(
        "grafana",
        ServiceBackendPort {
            name: Some("service".into()),
            number: None,
        },
    ));
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Ingress/edge: spec.rules[0].http.paths[0].backend.service.port: Service grafana (created by a Helm release) is declared with port http-web, not service"]
    );
}

#[test]
fn ingress_pointing_at_a_missing_port() {
    let mut m = shop();
    WebApp::new("api", IMAGE).add_to(&mut m);
    m.push(ingress_to(
        "api",
        ServiceBackendPort {
            name: None,
            number: Some(8443),
        },
    ));
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Ingress/edge: spec.rules[0].http.paths[0].backend.service.port: Service api has no port 8443"]
    );
}

#[test]
fn network_policy_allowing_a_missing_app() {
    let mut m = shop();
    WebApp::new("api", IMAGE).allow_from("ghost").add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/NetworkPolicy/api: spec.ingress[0].from[1].podSelector: allows app ghost, but no pod template in namespace shop is labelled app.kubernetes.io/name=ghost"]
    );
}

#[test]
fn literal_secret_in_a_config_map() {
    let mut m = shop();
    m.push(ConfigMap {
        metadata: meta("settings"),
        data: Some(BTreeMap::from([
            ("DB_PASSWORD".to_string(), "hunter2".to_string()),
            ("LOG_LEVEL".to_string(), "info".to_string()),
        ])),
        ..Default::default()
    });
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/ConfigMap/settings: data.DB_PASSWORD: literal secret value in key DB_PASSWORD; use an ExternalSecret"]
    );
}

#[test]
fn literal_secret_in_env() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .env("STRIPE_KEY", "sk_live_abc123")
        .env("LOG_LEVEL", "info")
        .add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/Deployment/api: spec.template.spec.containers[api].env[STRIPE_KEY].value: literal secret value in env STRIPE_KEY; read it from a Secret written by an ExternalSecret"]
    );
}

#[test]
fn secret_detection_covers_names_and_shapes() {
    use super::looks_secret;
    assert!(looks_secret("db-password", "x"));
    assert!(looks_secret("URL", "postgres://app:pw@db:5432/app"));
    assert!(looks_secret("KEY_ID", "AKIAABCDEFGHIJKLMNOP"));
    assert!(!looks_secret("DATABASE_HOST", "db.internal"));
    assert!(!looks_secret("PASSWORD_FILE", ""));
}

#[test]
fn every_problem_is_reported_together_and_sorted() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .replicas(5, 3)
        .allow_from("ghost")
        .run_as_root()
        .add_to(&mut m);
    let lines = errors(&m);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
}

#[test]
fn checks_run_on_each_overlays_effective_objects() {
    let mut m = shop();
    WebApp::new("api", IMAGE).replicas(2, 10).add_to(&mut m);
    m.overlay(Overlay::new("production"));
    m.overlay(Overlay::new("staging").scale("api", 3, 1));
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/staging] shop/HorizontalPodAutoscaler/api: spec.minReplicas: minReplicas 3 is greater than maxReplicas 1"]
    );
}

#[test]
fn overlay_patching_a_missing_object() {
    let mut m = shop();
    WebApp::new("api", IMAGE).add_to(&mut m);
    m.overlay(Overlay::new("staging").host("api", "api.staging.example.com"));
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/staging] Overlay/staging: host: no Ingress named api to patch"]
    );
}

#[test]
fn terraform_output_not_declared_by_any_stack() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .irsa_role(TfValue::output("eks", "api_role_arn"))
        .env("DATABASE_HOST", TfValue::output("data", "db_endpoint"))
        .add_to(&mut m);
    let options = RenderOptions {
        target: "eks-prod".into(),
        terraform_outputs: Some(BTreeSet::from(["data.db_endpoint".to_string()])),
    };
    assert_eq!(
        m.check(&options).lines(),
        ["error: [eks-prod/k8s/base] shop/ServiceAccount/api: metadata.annotations.[eks.amazonaws.com/role-arn]: Terraform output api_role_arn of stack eks is not declared, so it would have no value at deploy time"]
    );
}

#[test]
fn terraform_expression_outside_a_target() {
    let mut m = shop();
    WebApp::new("api", IMAGE)
        .irsa_role(terrane_core::Expr::<String>::raw("aws_iam_role.api.arn"))
        .add_to(&mut m);
    assert_eq!(
        errors(&m),
        ["error: [eks-prod/k8s/base] shop/ServiceAccount/api: metadata.annotations.[eks.amazonaws.com/role-arn]: cannot read this value from Terraform: a Terraform expression is exported only when the manifests are synthesized with their target (Target::add_files); use TfValue::output outside a target"]
    );
}
