use terrane_k8s::{Manifests, PodBuilder, TerraformOutput, WebApp};

fn app() -> Manifests {
    let mut m = Manifests::new("shop", "shop");
    m.add(
        WebApp::new("api", "registry.example.com/shop/api:1.0.0")
            .env("DATABASE_HOST", TerraformOutput::new("data", "db_endpoint"))
            .irsa_role(TerraformOutput::new("eks", "api_role_arn")),
    );
    m
}

#[test]
fn outputs_become_a_generated_config_map_and_replacements() {
    let files = app().render("t").unwrap();
    insta::assert_snapshot!("bridge_kustomization", files["base/kustomization.yaml"]);
    assert_eq!(
        files["base/terraform-outputs.keys"],
        "# Keys terraform-outputs.env must define (non-empty), as: key stack\napi_role_arn eks\ndb_endpoint data\n"
    );
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
fn required_outputs_are_listed_once() {
    let mut m = app();
    m.add(
        WebApp::new("api2", "registry.example.com/shop/api:1.0.0")
            .env("DATABASE_HOST", TerraformOutput::new("data", "db_endpoint")),
    );
    let keys: Vec<String> = m
        .required_outputs()
        .iter()
        .map(|o| o.key().to_string())
        .collect();
    assert_eq!(keys, ["api_role_arn", "db_endpoint"]);
}
