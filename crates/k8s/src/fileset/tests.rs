use terrane_core::{App, GenericResource, RequiredProvider, Stack};

use crate::{Construct, Manifests, Overlay, PodBuilder, WebApp};

fn app(min: i32) -> App {
    let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
    let mut app = App::new();
    app.target("eks-prod", "EKS production", move |t| {
        let mut eks = Stack::new("eks");
        let role = eks.add(
            "api",
            GenericResource::new("aws_iam_role")
                .provider(aws.clone())
                .arg("name", "api")
                .arg("assume_role_policy", "{}"),
        );
        t.add_stack(eks);
        let mut m = Manifests::new("shop", "shop");
        WebApp::new("api", "registry.example.com/shop/api:1.0.0")
            .replicas(min, 4)
            .irsa_role(role.attr::<String>("arn"))
            .add_to(&mut m);
        m.overlay(Overlay::new("production"));
        t.add_files(m);
    });
    app
}

#[test]
fn synth_writes_manifests_and_exports_the_role_arn() {
    let out = app(2).synth("eks-prod").unwrap();
    let keys = out.file("k8s/base/terraform-outputs.keys").unwrap();
    let line = keys.lines().find(|l| !l.starts_with('#')).unwrap();
    let (key, rest) = line.split_once(' ').unwrap();
    let (stack, output) = rest.split_once(' ').unwrap();
    assert_eq!(stack, "eks");
    assert_eq!(key, format!("eks.{output}"));
    // The exported output exists in the stack, so the value cannot be missing at deploy time.
    let main = out.file("eks/main.tf.json").unwrap();
    assert!(main.contains(&format!("\"{output}\"")), "{main}");
    assert!(main.contains("${aws_iam_role.api.arn}"), "{main}");
    let k = out.file("k8s/base/kustomization.yaml").unwrap();
    assert!(k.contains(&format!("fieldPath: data.[{key}]")), "{k}");
}

#[test]
fn check_failures_become_core_diagnostics() {
    let err = app(5).synth("eks-prod").unwrap_err().to_string();
    assert!(
        err.contains("[eks-prod/k8s/production] shop/HorizontalPodAutoscaler/api: spec.minReplicas: minReplicas 5 is greater than maxReplicas 4"),
        "{err}"
    );
}
