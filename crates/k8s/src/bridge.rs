//! The bridge from Terraform to Kubernetes: values known only after
//! `terraform apply` reach manifests through kustomize `replacements`.
//!
//! See the crate documentation for the deploy-time contract.

/// Name of the ConfigMap that kustomize generates from the Terraform outputs.
pub const TERRAFORM_OUTPUTS_CONFIG_MAP: &str = "terraform-outputs";
/// The env file a deploy step writes next to `base/kustomization.yaml`.
pub const TERRAFORM_OUTPUTS_ENV_FILE: &str = "terraform-outputs.env";
/// The file, written by synth, listing every key the env file must define.
pub const TERRAFORM_OUTPUTS_KEYS_FILE: &str = "terraform-outputs.keys";

/// A value known only after `terraform apply`: the output `output` of the stack `stack`.
///
/// The output name is the key in `terraform-outputs.env`, so it must be unique across
/// the stacks a target's manifests read from.
///
/// ```
/// use terrane_k8s::TerraformOutput;
/// let arn = TerraformOutput::new("services", "api_role_arn");
/// assert_eq!(arn.key(), "api_role_arn");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TerraformOutput {
    stack: String,
    output: String,
}

impl TerraformOutput {
    /// The output `output` of the Terraform stack `stack`.
    pub fn new(stack: impl Into<String>, output: impl Into<String>) -> Self {
        Self {
            stack: stack.into(),
            output: output.into(),
        }
    }

    /// The stack that produces the value.
    pub fn stack(&self) -> &str {
        &self.stack
    }

    /// The key in the env file and in the generated ConfigMap.
    pub fn key(&self) -> &str {
        &self.output
    }
}

/// Where in which object a Terraform output is substituted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BridgeUse {
    /// The value.
    pub output: TerraformOutput,
    /// Kind of the object that receives it.
    pub kind: String,
    /// Namespace of that object.
    pub namespace: String,
    /// Name of that object.
    pub name: String,
    /// kustomize field path (`metadata.annotations.[eks.amazonaws.com/role-arn]`).
    pub field_path: String,
}
