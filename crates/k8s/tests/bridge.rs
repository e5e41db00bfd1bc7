use terrane_k8s::{Construct, Manifests, PodBuilder, TfValue, WebApp};

const IMAGE: &str = "registry.example.com/shop/api:1.0.0";

fn app() -> Manifests {
    let mut m = Manifests::new("shop", "shop");
    WebApp::new("api", IMAGE)
        .env("DATABASE_HOST", TfValue::output("data", "db_endpoint"))
        .irsa_role(TfValue::output("eks", "api_role_arn"))
        .add_to(&mut m);
    m
}

#[test]
fn outputs_become_a_generated_config_map_and_replacements() {
    let files = app().render("t").unwrap();
    insta::assert_snapshot!("bridge_kustomization", files["base/kustomization.yaml"]);
    insta::assert_snapshot!("bridge_keys", files["base/terraform-outputs.keys"]);
}

#[test]
fn no_placeholder_is_written_for_a_terraform_value() {
    let files = app().render("t").unwrap();
    let workloads = &files["base/workloads.yaml"];
    assert!(
        workloads.contains("- name: DATABASE_HOST\n"),
        "the env var exists without a value"
    );
    assert!(!files["base/rbac.yaml"].contains("role-arn"));
}

#[test]
fn each_output_is_required_once_however_often_it_is_used() {
    let mut m = app();
    WebApp::new("api2", IMAGE)
        .env("DATABASE_HOST", TfValue::output("data", "db_endpoint"))
        .add_to(&mut m);
    let files = m.render("t").unwrap();
    let keys: Vec<&str> = files["base/terraform-outputs.keys"]
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(keys, ["data.db_endpoint", "eks.api_role_arn"]);
    assert_eq!(
        files["base/kustomization.yaml"]
            .matches("fieldPath: data.[data.db_endpoint]")
            .count(),
        1
    );
}
