//! The build a [`DeployRunner`](super::DeployRunner) runs: install pinned terraform and
//! kubectl (checksums verified), apply the stacks that talk to the Kubernetes API,
//! fetch the Terraform outputs the manifests need, `kubectl apply -k` the overlay.

/// The terraform release the runner installs (the version terrane validates with).
pub const TERRAFORM_VERSION: &str = "1.11.4";
/// The kubectl release the runner installs (within one minor of the clusters' 1.35).
pub const KUBECTL_VERSION: &str = "1.35.0";

/// The buildspec (YAML) of the project. The project's environment gives `TARGET`,
/// `CLUSTER_NAME`, `APPLY_STACKS` (space-separated stack folders) and `OVERLAY`.
pub(super) fn buildspec() -> String {
    format!(
        r#"version: 0.2
env:
  shell: bash
  variables:
    TERRAFORM_VERSION: "{TERRAFORM_VERSION}"
    KUBECTL_VERSION: "{KUBECTL_VERSION}"
phases:
  install:
    commands:
      - set -euo pipefail
      - cd /tmp && curl -fsSLO "https://releases.hashicorp.com/terraform/${{TERRAFORM_VERSION}}/terraform_${{TERRAFORM_VERSION}}_linux_amd64.zip" && curl -fsSLO "https://releases.hashicorp.com/terraform/${{TERRAFORM_VERSION}}/terraform_${{TERRAFORM_VERSION}}_SHA256SUMS"
      - cd /tmp && grep " terraform_${{TERRAFORM_VERSION}}_linux_amd64.zip$" "terraform_${{TERRAFORM_VERSION}}_SHA256SUMS" | sha256sum -c - && unzip -o -q "terraform_${{TERRAFORM_VERSION}}_linux_amd64.zip" -d /usr/local/bin
      - cd /tmp && curl -fsSLO "https://dl.k8s.io/release/v${{KUBECTL_VERSION}}/bin/linux/amd64/kubectl" && echo "$(curl -fsSL "https://dl.k8s.io/release/v${{KUBECTL_VERSION}}/bin/linux/amd64/kubectl.sha256")  kubectl" | sha256sum -c - && install -m 0755 kubectl /usr/local/bin/kubectl
  build:
    commands:
      - set -euo pipefail
      - cd "$CODEBUILD_SRC_DIR"
      - for s in $APPLY_STACKS; do terraform -chdir="$s" init -input=false && terraform -chdir="$s" apply -input=false -auto-approve; done
      - if [ -n "$OVERLAY" ]; then for s in $(awk '!/^#/ && NF == 3 {{print $2}}' k8s/base/terraform-outputs.keys | sort -u); do terraform -chdir="$s" init -input=false; done; fi
      - if [ -n "$OVERLAY" ]; then sh k8s/fetch-terraform-outputs.sh "$CODEBUILD_SRC_DIR" && aws eks update-kubeconfig --name "$CLUSTER_NAME" && kubectl apply -k "$OVERLAY"; fi
"#
    )
}
