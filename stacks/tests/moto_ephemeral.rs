//! A generated password that never reaches state, applied for real against moto:
//! ephemeral `aws_secretsmanager_random_password` into the write-only
//! `secret_string_wo` of a secret version. After `terraform apply` the state holds
//! the version without its value. Needs terraform, the aws provider mirror and
//! `moto_server` on PATH; without them it prints SKIPPED (fails under `CI=true`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use terrane_aws::secretsmanager::{
    EphemeralSecretsmanagerRandomPassword, SecretsmanagerSecret, SecretsmanagerSecretVersion,
};
use terrane_core::{App, Provider, RequiredProvider, Stack, Tree};

use crate::terraform::{cli_config, skip_or_fail, terraform};

/// A moto server this test started; stopped (by its own handle) when dropped.
struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn start_moto(port: u16) -> Option<Moto> {
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let moto = Moto(child);
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

/// The stack: a secret whose value comes from an ephemeral password.
fn app(port: u16) -> App {
    let mut app = App::new();
    app.target(
        "moto",
        "ephemeral password into a write-only argument",
        move |t| {
            let aws = RequiredProvider::new("aws", "hashicorp/aws", "5.100.0");
            let endpoint = format!("http://127.0.0.1:{port}");
            let mut s = Stack::new("secrets");
            s.provider(
                Provider::new(aws)
                    .arg("region", "us-east-1")
                    .arg("access_key", "test")
                    .arg("secret_key", "test")
                    .arg("skip_credentials_validation", true)
                    .arg("skip_requesting_account_id", true)
                    .arg("skip_metadata_api_check", true)
                    .arg(
                        "endpoints",
                        Tree::object([
                            ("secretsmanager", Tree::from(endpoint.as_str())),
                            ("sts", Tree::from(endpoint.as_str())),
                        ]),
                    ),
            );
            let password = s.ephemeral(
                "db",
                EphemeralSecretsmanagerRandomPassword::new().password_length(32),
            );
            let secret = s.add("db", SecretsmanagerSecret::new().name("acme/db"));
            s.add(
                "db",
                SecretsmanagerSecretVersion::new(secret.id())
                    .secret_string_wo(password.attr::<String>("random_password"))
                    .secret_string_wo_version(1),
            );
            t.add_stack(s);
        },
    );
    app
}

fn tf(bin: &Path, dir: &Path, rc: &Path, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", rc)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "terraform {args:?}:\n{text}");
    text
}

#[test]
fn an_ephemeral_password_is_applied_without_reaching_state() {
    let Some(bin) = terraform() else {
        return skip_or_fail("terraform not found");
    };
    let port = free_port();
    let Some(_moto) = start_moto(port) else {
        return skip_or_fail("moto_server not found (pip install -r .ci/requirements.txt)");
    };
    let out = app(port).synth("moto").unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, text) in &out.files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let stack = dir.path().join("secrets");
    let rc = cli_config(dir.path());
    tf(&bin, &stack, &rc, &["init", "-input=false", "-no-color"]);
    let applied = tf(
        &bin,
        &stack,
        &rc,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(applied.contains("Resources: 2 added"), "{applied}");
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(stack.join("terraform.tfstate")).expect("state"),
    )
    .expect("state json");
    let version = state["resources"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["type"] == "aws_secretsmanager_secret_version")
        })
        .map(|r| &r["instances"][0]["attributes"])
        .expect("secret version in state");
    assert_eq!(version["has_secret_string_wo"], true);
    assert_eq!(version["secret_string"], "");
    assert_eq!(version["secret_string_wo"], serde_json::Value::Null);
    tf(
        &bin,
        &stack,
        &rc,
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );
}
