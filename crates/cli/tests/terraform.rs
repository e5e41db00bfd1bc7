//! `validate --terraform`: real terraform init, validate and plan, with the
//! schema-serving provider standing in for the google provider.

use terrane_core::{App, Expr, GenericResource, Provider, RequiredProvider, Stack};

use super::run;

/// A Google target; with `broken`, an argument holds a call terraform rejects and
/// terrane's own checks cannot see (`length` of a number).
fn google_app(broken: bool) -> App {
    let mut app = App::new();
    app.target("gcp", "a Google stack", move |t| {
        let google = RequiredProvider::new("google", "hashicorp/google", "6.50.0");
        let mut s = Stack::new("storage");
        s.provider(
            Provider::new(google.clone())
                .arg("project", "acme")
                .arg("region", "us-central1"),
        );
        let name: Expr<String> = if broken {
            Expr::raw("length(10)")
        } else {
            Expr::raw("lower(\"ASSETS\")")
        };
        s.add(
            "assets",
            GenericResource::new("google_storage_bucket")
                .provider(google)
                .arg("name", name)
                .arg("location", "US"),
        );
        t.add_stack(s);
    });
    app
}

/// The arguments that point the command at this workspace's schemas and provider.
fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "validate",
        "--terraform",
        "--schemas",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"),
        "--schema-provider",
        env!("CARGO_BIN_EXE_terrane-schema-provider"),
    ];
    a.extend_from_slice(extra);
    a
}

/// False (after saying so) where terraform is not installed; CI requires it.
fn terraform_installed() -> bool {
    let found = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "terraform not found (CI=true)"
        );
        println!("SKIPPED: terraform not found");
    }
    found
}

#[test]
fn a_google_stack_is_planned_through_the_schema_provider() {
    if !terraform_installed() {
        return;
    }
    let (code, out, err) = run(&google_app(false), &args(&["gcp"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "ok   gcp/storage: validate ok, plan 1 to add, 0 to change, 0 to destroy \
         [hashicorp/google: terrane-schema-provider]\n\
         terraform: 1 stacks checked, 0 failed\n"
    );
}

#[test]
fn an_error_only_terraform_sees_fails_naming_the_call() {
    if !terraform_installed() {
        return;
    }
    let (code, out, err) = run(&google_app(true), &args(&["gcp"]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        "FAIL gcp/storage: terraform validate failed [hashicorp/google: terrane-schema-provider]\n\
         \x20   Error: Error in function call\n\
         \x20   on main.tf.json line 12, in resource.google_storage_bucket.assets:\n\
         \x20   12:         \"name\": \"${length(10)}\"\n\
         \x20   ├────────────────\n\
         \x20   │ while calling length(value)\n\
         \x20   Call to function \"length\" failed: argument must be a string, a collection\n\
         \x20   type, or a structural type.\n\
         terraform: 1 stacks checked, 1 failed\n"
    );
}

#[test]
fn from_checks_files_already_written() {
    if !terraform_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("out");
    let o = outdir.to_str().unwrap();
    let app = google_app(false);
    assert_eq!(run(&app, &["synth", "gcp", "--out", o]).0, 0);
    // The file on disk is checked, not a fresh synth: break it there.
    let main = outdir.join("gcp/storage/main.tf.json");
    let text = std::fs::read_to_string(&main).unwrap();
    let broken = text.replace("lower(\\\"ASSETS\\\")", "length(10)");
    assert_ne!(broken, text);
    std::fs::write(&main, &broken).unwrap();
    let (code, out, _) = run(&app, &args(&["gcp", "--from", o]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("length(10)"), "{out}");
    // Checked in a scratch copy: the output folder is left as it was.
    assert_eq!(std::fs::read_to_string(&main).unwrap(), broken);
    let names: Vec<_> = std::fs::read_dir(outdir.join("gcp/storage"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["main.tf.json"]);
}

#[test]
fn terraform_options_need_terraform() {
    let (code, _, err) = run(&google_app(false), &["validate", "gcp", "--from", "out"]);
    assert_eq!(code, 2);
    assert!(err.contains("--terraform"), "{err}");
}

#[test]
fn a_stack_no_provider_can_serve_is_listed_as_not_checked() {
    if !terraform_installed() {
        return;
    }
    let mut app = App::new();
    app.target("dev", "null only", |t| {
        // hashicorp/null: no schema in schemas/ (random has one since 9f80fcb).
        let null = RequiredProvider::new("null", "hashicorp/null", "3.2.4");
        let mut s = Stack::new("triggers");
        s.add("db", GenericResource::new("null_resource").provider(null));
        t.add_stack(s);
    });
    let mirror = tempfile::tempdir().unwrap();
    let m = mirror.path().to_str().unwrap();
    let (code, out, err) = run(&app, &args(&["dev", "--mirror", m]));
    assert_eq!(code, 0, "{out}{err}");
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
    assert_eq!(
        out,
        format!(
            "SKIP dev/triggers: not checked: provider hashicorp/null is neither in the mirror \
             {m} nor described by {schemas}/null.json\n\
             terraform: 0 stacks checked, 0 failed, 1 not checked (no provider to serve them)\n"
        )
    );
}
