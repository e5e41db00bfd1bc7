//! Typed Kubernetes manifests for terrane: core kinds from `k8s-openapi`
//! (Kubernetes 1.35), typed custom resources, workload constructs with safe
//! defaults, domain checks, and kustomize output (a base plus overlays).
//!
//! ```
//! use terrane_k8s::{Construct, Manifests, Namespace, Overlay, PodBuilder, TfValue, WebApp};
//!
//! let mut m = Manifests::new("shop", "shop");
//! Namespace::new("shop").add_to(&mut m);
//! WebApp::new("api", "registry.example.com/shop/api:1.4.2")
//!     .replicas(3, 20)
//!     .host("api.example.com")
//!     .env("DATABASE_HOST", TfValue::output("data", "db_endpoint"))
//!     .irsa_role(TfValue::output("services", "api_role_arn"))
//!     .add_to(&mut m);
//! m.overlay(Overlay::new("production"));
//! m.overlay(Overlay::new("staging").scale("api", 1, 3).host("api", "api.staging.example.com"));
//! let files = m.render("eks-prod").unwrap();
//! assert!(files.contains_key("overlays/staging/kustomization.yaml"));
//! let keys = &files["base/terraform-outputs.keys"];
//! assert_eq!(keys.lines().filter(|l| !l.starts_with('#')).count(), 2);
//! ```
//!
//! # Output layout
//! `base/` holds one YAML file per group of kinds (`workloads.yaml`, `services.yaml`,
//! ...) and `kustomization.yaml`; `overlays/<name>/` holds a `kustomization.yaml` over
//! `../../base` and JSON 6902 patches (replicas, resources, hosts). Objects are sorted by
//! kind, namespace and name; maps are `BTreeMap`s: the text is the same on every run.
//! Deploy with `kubectl apply -k overlays/production`.
//!
//! # The Terraform bridge
//! Values known only after `terraform apply` (an RDS endpoint, an IRSA role ARN) are
//! [`TfValue`]s: either a Terraform expression of one of the target's stacks
//! (`role.attr::<String>("arn")`, any `Expr<String>`), or an output a stack already
//! declares ([`TfValue::output`]). The manifests never contain a placeholder for them.
//!
//! 1. At synth (the manifests added to a target with `Target::add_files`), each expression
//!    becomes an output of its stack through terrane-core's `FileSetContext`, so the value
//!    exists in Terraform by construction; an expression that cannot be exported (not a
//!    reference, or from a stack outside the target) is a synth error naming the object and
//!    field that wanted it. `base/kustomization.yaml` gets a `configMapGenerator` named
//!    `terraform-outputs` reading `base/terraform-outputs.env`, and one kustomize
//!    `replacement` per output, copying `data.[<stack>.<output>]` into every field that uses
//!    it (`metadata.annotations.[eks.amazonaws.com/role-arn]` of a ServiceAccount, or
//!    `spec.template.spec.containers.[name=api].env.[name=DATABASE_HOST].value`).
//!    `base/terraform-outputs.keys` lists each needed value as `KEY STACK OUTPUT`.
//! 2. At deploy, after `terraform apply`, `sh k8s/fetch-terraform-outputs.sh` (written
//!    beside `base/`) writes the env file, one `KEY=$(terraform -chdir=STACK output -raw
//!    OUTPUT)` line per listed key, failing on a missing or empty value; then
//!    `kubectl apply -k k8s/overlays/<env>`.
//! 3. A missing value is an error at each stage, never an empty string: at synth as above
//!    (and, for [`TfValue::output`], when [`RenderOptions::terraform_outputs`] lists the
//!    declared outputs); at deploy, kustomize fails when the env file is absent or lacks a
//!    key (a replacement's source field must exist).
//!
//! # Checks
//! [`Manifests::render`] runs the domain checks on the objects each overlay really deploys
//! and reports every problem at once ([`Error::Checks`]) as terrane-core
//! [`Diagnostic`](terrane_core::Diagnostic)s, the one diagnostic type of every crate: target,
//! stack `k8s/<overlay>` (`k8s/base` for the base and the Terraform bridge), address
//! `<namespace>/<Kind>/<name>` (`<Kind>/<name>` when cluster-scoped) and field.
//! Builders never fail.

#![warn(missing_docs)]

mod bridge;
mod checks;
pub mod coherence;
mod constructs;
pub mod crd;
mod error;
mod fileset;
pub mod labels;
mod manifests;
mod object;
mod overlay;
mod pod;
mod render;
pub mod stateful;

pub use bridge::{
    env_key, BridgeUse, TfValue, TERRAFORM_OUTPUTS_CONFIG_MAP, TERRAFORM_OUTPUTS_ENV_FILE,
    TERRAFORM_OUTPUTS_KEYS_FILE,
};
pub use constructs::*;
pub use error::{Error, Result};
pub use fileset::K8S_DIR;
pub use k8s_openapi;
pub use manifests::{
    ExternalService, Manifests, DEFAULT_PROMETHEUS_RELEASE, IRSA_ANNOTATION,
    PROMETHEUS_RELEASE_LABEL,
};
pub use object::{FileGroup, Object};
pub use overlay::{Overlay, OverlayOp};
pub use pod::{
    EnvValue, Health, NodeTaint, PodBuilder, PodTemplate, Resources, CAPACITY_TYPE_LABEL,
    GPU_NODE_LABEL, GPU_NODE_LABEL_VALUE, GPU_RESOURCE, RUN_AS_USER,
};
pub use render::{write_files, Files, RenderOptions, FETCH_SCRIPT};
/// The one construct contract: every construct of this crate implements
/// `Construct<Manifests>` (`add_to(self, &mut Manifests)`, handle `()`).
pub use terrane_core::construct::Construct;

/// The Kubernetes version the core kinds are typed against and validated with.
pub const KUBERNETES_VERSION: &str = "1.35.0";
