//! Integration tests of the stack programs: snapshots of every emitted file, the
//! Kubernetes platform's manifests and overlays, and the terraform validation tier.

mod aws;
mod coherence;
mod eks;
mod features;
mod gcp;
mod k8s_overlays;
mod k8s_platform;
mod moto_ephemeral;
mod refactor;
mod reference_map;
mod secrets_in_state;
mod snapshots;
mod support;
mod terraform;
