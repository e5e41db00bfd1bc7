//! Integration tests of terrane-k8s: the Terraform bridge as kustomize sees it.
//! The reference platform's files and overlays are tested where the platform lives,
//! in `stacks/tests/`.

mod bridge;
