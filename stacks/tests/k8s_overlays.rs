//! The JSON 6902 patches do in kustomize what the overlay does to the typed objects.

use std::process::Command;

use serde_norway::Value;

use terrane_stacks::k8s_platform;

fn kubectl_kustomize(dir: &std::path::Path) -> Option<Vec<Value>> {
    let out = Command::new("kubectl")
        .arg("kustomize")
        .arg(dir)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        serde_norway::Deserializer::from_str(&text)
            .map(|d| serde::Deserialize::deserialize(d).unwrap())
            .collect(),
    )
}

fn find<'a>(docs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"].as_str() == Some(kind) && d["metadata"]["name"].as_str() == Some(name))
        .unwrap()
}

#[test]
fn staging_patches_apply_in_kustomize() {
    let inputs = k8s_platform::PlatformInputs {
        env: "staging".into(),
        gpu: false,
        on_demand_nodes: false,
        domain: "staging.example.com".into(),
        ..k8s_platform::PlatformInputs::named_outputs()
    };
    let files = k8s_platform::manifests(&inputs)
        .render("eks-staging")
        .unwrap();
    let dir = std::env::temp_dir().join(format!("terrane-k8s-overlay-{}", std::process::id()));
    terrane_k8s::write_files(&dir, &files).unwrap();
    let env: String = files["base/terraform-outputs.keys"]
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{}=sample\n", l.split(' ').next().unwrap()))
        .collect();
    std::fs::write(dir.join("base/terraform-outputs.env"), env).unwrap();
    let Some(docs) = kubectl_kustomize(&dir.join("overlays/staging")) else {
        println!("SKIPPED: kubectl not found");
        return;
    };
    let hpa = find(&docs, "HorizontalPodAutoscaler", "api");
    assert_eq!(
        (
            hpa["spec"]["minReplicas"].as_i64(),
            hpa["spec"]["maxReplicas"].as_i64()
        ),
        (Some(1), Some(3))
    );
    let ingress = find(&docs, "Ingress", "api");
    assert_eq!(
        ingress["spec"]["rules"][0]["host"].as_str(),
        Some("api.staging.example.com")
    );
    assert_eq!(
        ingress["spec"]["tls"][0]["hosts"][0].as_str(),
        Some("api.staging.example.com")
    );
    let api = find(&docs, "Deployment", "api");
    let resources = &api["spec"]["template"]["spec"]["containers"][0]["resources"];
    assert_eq!(resources["limits"]["memory"].as_str(), Some("512Mi"));
    assert!(docs
        .iter()
        .all(|d| d["metadata"]["name"].as_str() != Some("ml-api-gpu")));
    let worker = find(&docs, "Deployment", "worker");
    let pod = &worker["spec"]["template"]["spec"];
    assert_eq!(
        pod["nodeSelector"]["eks.amazonaws.com/capacityType"].as_str(),
        Some("SPOT")
    );
    assert_eq!(
        pod["containers"][0]["image"].as_str(),
        Some("sample:1.4.2"),
        "the repository from Terraform, the release's tag"
    );
    let sa = find(&docs, "ServiceAccount", "api");
    assert_eq!(
        sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].as_str(),
        Some("sample")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
