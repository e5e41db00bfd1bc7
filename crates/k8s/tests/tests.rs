//! Integration tests of terrane-k8s: the reference platform's rendered files
//! (snapshots), the Terraform bridge and overlays as kustomize sees them.

#[path = "../../../stacks/src/k8s_platform.rs"]
#[allow(dead_code)]
mod k8s_platform;

mod bridge;
mod overlays;
mod platform;
