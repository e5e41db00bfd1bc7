//! The Kubernetes step of `terrane apply|destroy`: real terraform applies a stack,
//! the target's real fetch script reads its output into the kustomize base, and real
//! `kubectl kustomize` builds the overlay with it. The cluster itself is not here: a
//! stand-in `kubectl` (a shell script) records how terrane calls it and answers
//! `apply -o json` the way kubectl does, so what is tested is terrane's order of
//! calls, their arguments and its reading of the answer, not a cluster's behaviour.

use std::path::Path;

use terrane_core::{App, GenericResource, Stack};
use terrane_k8s::{Construct, Manifests, Namespace, Overlay, PodBuilder, WebApp};

use super::{run, terraform_installed, tool_found};

/// Target `k`: stack `data` (one `terraform_data`) and a web app whose env reads it.
fn app() -> App {
    let mut app = App::new();
    app.target("k", "a stack and its manifests", |t| {
        let mut data = Stack::new("data");
        let seed = data.add(
            "seed",
            GenericResource::new("terraform_data").arg("input", "db.internal"),
        );
        let mut m = Manifests::new("shop", "shop");
        Namespace::new("shop").add_to(&mut m);
        WebApp::new("orders", "public.ecr.aws/docker/library/nginx:1.27")
            .replicas(2, 4)
            .env("DATABASE_HOST", seed.attr::<String>("output"))
            .add_to(&mut m);
        m.overlay(Overlay::new("dev"));
        t.add_stack(data);
        t.add_files(m);
    });
    app
}

/// A stand-in kubectl: appends its arguments to `log`; `apply` answers with the
/// object list kubectl prints for `-o json` (the Deployment and a ConfigMap).
fn stand_in_kubectl(dir: &Path, log: &Path) -> String {
    let script = dir.join("kubectl");
    let answer = r#"{"apiVersion":"v1","kind":"List","items":[
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"shop"}},
{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"orders","namespace":"shop"}}]}"#;
    let text = format!(
        "#!/bin/sh\necho \"$*\" >>'{}'\ncase \"$*\" in *' apply '*) cat <<'JSON'\n{answer}\nJSON\n;; esac\n",
        log.display()
    );
    std::fs::write(&script, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script.to_str().unwrap().to_string()
}

#[test]
fn apply_fetches_outputs_applies_the_overlay_and_waits_for_rollouts() {
    if !terraform_installed() || !tool_found("kubectl", "kubectl", &["version", "--client"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("kubectl.log");
    let kubectl = stand_in_kubectl(dir.path(), &log);
    let out_dir = dir.path().join("out");
    let out_arg = out_dir.to_str().unwrap();
    let common = [
        "--out",
        out_arg,
        "--backend",
        "local",
        "--plain",
        "--auto-approve",
        "--kubectl",
        &kubectl,
        "--kube-context",
        "dev-cluster",
    ];
    let mut args = vec!["apply", "k"];
    args.extend_from_slice(&common);
    let (code, out, err) = run(&app(), &args);
    assert_eq!(code, 0, "{out}{err}");
    let overlay = out_dir.join("k/k8s/overlays/dev");
    let overlay = std::path::absolute(&overlay).unwrap();
    // the real fetch script read the real terraform output
    let env = std::fs::read_to_string(out_dir.join("k/k8s/base/terraform-outputs.env")).unwrap();
    assert!(env.contains("=db.internal\n"), "{env}");
    // and the overlay builds with it, as `kubectl apply -k` will build it
    let built = std::process::Command::new("kubectl")
        .args(["kustomize"])
        .arg(&overlay)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(String::from_utf8_lossy(&built.stdout).contains("db.internal"));
    let shown = overlay.display();
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!(
            "--context dev-cluster apply -o json -k {shown}\n\
             --context dev-cluster rollout status deployment/orders -n shop --timeout=10m\n"
        )
    );
    assert!(
        out.contains("kubectl: waiting for Deployment/orders in shop\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!("kubernetes: {shown} applied\n")),
        "{out}"
    );

    // destroy deletes the overlay's objects before the stacks go
    std::fs::remove_file(&log).unwrap();
    let mut args = vec!["destroy", "k"];
    args.extend_from_slice(&common);
    let (code, out, err) = run(&app(), &args);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("--context dev-cluster delete --ignore-not-found --wait -k {shown}\n")
    );
    assert!(out.find("destroyed").is_some(), "{out}");
}
