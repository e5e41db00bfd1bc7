//! The reference Kubernetes platform (stacks/src/k8s_platform.rs): every file it
//! renders (snapshots), its sizes, and its wiring into a target.

use terrane_stacks::k8s_platform;

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
        ("api-blue", 3, 20),
        ("api-green", 3, 20),
        ("ml-api", 2, 10),
        ("ml-api-gpu", 1, 5),
        ("worker", 3, 15),
        ("worker-priority", 2, 10),
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
    let back = std::fs::read_to_string(dir.join("overlays/production/kustomization.yaml")).unwrap();
    assert_eq!(back, files["overlays/production/kustomization.yaml"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The wiring the eks targets use: Terraform handles in, manifests out under `k8s/`,
/// each handle exported as an output of its stack.
#[test]
fn platform_synthesizes_with_its_target() {
    use terrane_core::{App, GenericResource, RequiredProvider, Stack};
    let mut app = App::new();
    app.target("eks-prod", "EKS production", |t| {
        let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
        let mut data = Stack::new("data");
        let db = data.add(
            "main",
            GenericResource::new("aws_db_instance")
                .provider(aws.clone())
                .arg("instance_class", "db.t4g.medium"),
        );
        let redis = data.add(
            "main",
            GenericResource::new("aws_elasticache_replication_group")
                .provider(aws.clone())
                .arg("replication_group_id", "main")
                .arg("description", "cache"),
        );
        let mut eks = Stack::new("eks");
        let role = |s: &mut Stack, name: &str| {
            s.add(
                name,
                GenericResource::new("aws_iam_role")
                    .provider(aws.clone())
                    .arg("assume_role_policy", "{}"),
            )
            .attr::<String>("arn")
        };
        let repository = |s: &mut Stack, name: &str| {
            s.add(
                name,
                GenericResource::new("aws_ecr_repository")
                    .provider(aws.clone())
                    .arg("name", name),
            )
            .attr::<String>("repository_url")
        };
        let inputs = k8s_platform::PlatformInputs {
            db_endpoint: db.attr::<String>("address").into(),
            redis_endpoint: redis.attr::<String>("primary_endpoint_address").into(),
            broker_endpoint: redis.attr::<String>("primary_endpoint_address").into(),
            db_secret_arn: db.attr::<String>("master_user_secret[0].secret_arn").into(),
            api_repository_url: repository(&mut data, "api").into(),
            worker_repository_url: repository(&mut data, "worker").into(),
            ml_api_repository_url: repository(&mut data, "ml_api").into(),
            api_role_arn: role(&mut eks, "api").into(),
            ml_api_role_arn: role(&mut eks, "ml_api").into(),
            ml_api_gpu_role_arn: role(&mut eks, "ml_api_gpu").into(),
            worker_role_arn: role(&mut eks, "worker").into(),
            secrets_reader_role_arn: role(&mut eks, "secrets_reader").into(),
            ingress_waf_acl_arn: role(&mut eks, "waf_stand_in").into(),
            ..k8s_platform::PlatformInputs::named_outputs()
        };
        t.add_stack(data);
        t.add_stack(eks);
        t.add_files(k8s_platform::manifests(&inputs));
    });
    let out = app.synth("eks-prod").unwrap();
    assert!(out
        .file("k8s/overlays/production/kustomization.yaml")
        .is_some());
    let keys = out.file("k8s/base/terraform-outputs.keys").unwrap();
    assert_eq!(
        keys.lines().filter(|l| !l.starts_with('#')).count(),
        12,
        "{keys}"
    );
    for line in keys.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.split(' ');
        let (_, stack, output) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let main = out.file(&format!("{stack}/main.tf.json")).unwrap();
        assert!(
            main.contains(&format!("\"{output}\"")),
            "{stack} lacks output {output}"
        );
    }
}

/// Switching the production API from blue to green changes one line of output; a
/// rollout step adds the canary Ingress with its weight.
#[test]
fn api_blue_green_switch_is_one_line_and_canary_is_one_value() {
    use terrane_k8s::{Colour, TrafficStep};
    let render = |active, canary| {
        let mut inputs = k8s_platform::PlatformInputs::named_outputs();
        inputs.api_rollout = k8s_platform::ApiRollout {
            active,
            canary,
            active_tag: None,
        };
        k8s_platform::manifests(&inputs).render("eks-prod").unwrap()
    };
    let blue = render(Colour::Blue, None);
    let green = render(Colour::Green, None);
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
    let shifting = render(Colour::Blue, Some(TrafficStep::Percent50));
    let ingress = &shifting["base/ingress.yaml"];
    assert!(ingress.contains("nginx.ingress.kubernetes.io/canary-weight: '50'"));
    assert!(ingress.contains("name: api-green"), "{ingress}");
}
