//! Kubernetes objects beside Terraform: a namespace and a web application whose
//! database host comes from a typed RDS instance of the same target. terrane exports the
//! endpoint as an output of the `data` stack and writes a kustomize base (and one overlay)
//! that reads it after `terraform apply`, so no manifest holds a placeholder.
//!
//! ```sh
//! cargo run -p terrane-examples --example kubernetes -- synth --out /tmp/k8s
//! kubectl kustomize /tmp/k8s/dev/k8s/overlays/dev
//! ```

use terrane_aws::rds::DbInstance;
use terrane_core::prelude::*;
use terrane_examples::aws_provider;
use terrane_k8s::{Construct, Manifests, Namespace, Overlay, PodBuilder, WebApp};

fn main() -> std::process::ExitCode {
    let mut app = App::new();
    app.target("dev", "an app and its database", |t| {
        let mut data = Stack::new("data");
        data.provider(aws_provider("dev"));
        let db = data.add(
            "orders",
            DbInstance::new("db.t4g.micro")
                .identifier("dev-orders")
                .engine("postgres")
                .allocated_storage(20)
                .storage_encrypted(true)
                .username("orders")
                .manage_master_user_password(true)
                .skip_final_snapshot(true),
        );

        let mut m = Manifests::new("shop", "shop");
        Namespace::new("shop").add_to(&mut m);
        WebApp::new("orders", "public.ecr.aws/docker/library/nginx:1.27")
            .replicas(2, 4)
            .env("DATABASE_HOST", db.address_attr())
            .add_to(&mut m);
        m.overlay(Overlay::new("dev"));

        t.add_stack(data);
        t.add_files(m);
    });
    terrane_cli::run(app)
}
