use crate::k8s_platform;

/// Every file of the reference platform, as written to disk.
#[test]
fn platform_files_snapshot() {
    let files = k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
        .render("eks-prod")
        .expect("the reference platform passes every check");
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    insta::assert_snapshot!("file_list", names.join("\n"));
    for (path, text) in &files {
        insta::assert_snapshot!(path.replace('/', "__"), text);
    }
}

#[test]
fn platform_renders_identically_twice() {
    assert_eq!(
        k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
            .render("eks-prod")
            .unwrap(),
        k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
            .render("eks-prod")
            .unwrap()
    );
}

#[test]
fn platform_reference_sizes() {
    let files = k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
        .render("eks-prod")
        .unwrap();
    let scaling = &files["base/scaling.yaml"];
    for (name, min, max) in [
        ("api", 3, 20),
        ("ml-api", 2, 10),
        ("ml-api-gpu", 1, 5),
        ("worker", 3, 15),
    ] {
        let at = scaling
            .find(&format!(
                "  name: {name}\n  namespace: platform\nspec:\n  maxReplicas: {max}\n"
            ))
            .unwrap_or_else(|| panic!("{name} HPA max {max}"));
        assert!(
            scaling[at..].contains(&format!("minReplicas: {min}")),
            "{name} HPA min {min}"
        );
    }
    assert!(files["base/workloads.yaml"].contains("nvidia.com/gpu: '1'"));
}

#[test]
fn platform_writes_to_a_directory() {
    let dir = std::env::temp_dir().join(format!("terrane-k8s-test-{}", std::process::id()));
    let files = k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
        .render("eks-prod")
        .unwrap();
    terrane_k8s::write_files(&dir, &files).unwrap();
    let back = std::fs::read_to_string(dir.join("overlays/staging/kustomization.yaml")).unwrap();
    assert_eq!(back, files["overlays/staging/kustomization.yaml"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
