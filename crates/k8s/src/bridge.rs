//! The bridge from Terraform to Kubernetes: values known only after
//! `terraform apply` reach manifests through kustomize `replacements`.
//!
//! See the crate documentation for the deploy-time contract.

use terrane_core::{Expr, TerraformOutput};

/// Name of the ConfigMap that kustomize generates from the Terraform outputs.
pub const TERRAFORM_OUTPUTS_CONFIG_MAP: &str = "terraform-outputs";
/// The env file a deploy step writes next to `base/kustomization.yaml`.
pub const TERRAFORM_OUTPUTS_ENV_FILE: &str = "terraform-outputs.env";
/// The file, written by synth, listing every key the env file must define.
pub const TERRAFORM_OUTPUTS_KEYS_FILE: &str = "terraform-outputs.keys";

/// A value known only after `terraform apply`.
///
/// Either a Terraform expression of one of the target's stacks (a resource attribute such
/// as an IRSA role's `arn`), which synth turns into an output of its stack, or an output
/// that a stack already declares.
///
/// ```
/// use terrane_k8s::TfValue;
/// let arn = TfValue::output("eks", "api_role_arn");
/// assert_eq!(arn, TfValue::output("eks", "api_role_arn"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum TfValue {
    /// An output a stack of the target already declares.
    Output(TerraformOutput),
    /// An expression of a stack of the target; synth exports it as an output.
    Expr(Expr<String>),
}

impl TfValue {
    /// The output `output` of stack `stack`.
    pub fn output(stack: impl Into<String>, output: impl Into<String>) -> Self {
        TfValue::Output(TerraformOutput {
            stack: stack.into(),
            output: output.into(),
        })
    }
}

impl From<Expr<String>> for TfValue {
    fn from(e: Expr<String>) -> Self {
        TfValue::Expr(e)
    }
}

impl From<TerraformOutput> for TfValue {
    fn from(o: TerraformOutput) -> Self {
        TfValue::Output(o)
    }
}

/// The key of an output in the env file and the generated ConfigMap: `<stack>.<output>`.
///
/// ```
/// let o = terrane_core::TerraformOutput { stack: "eks".into(), output: "api_role_arn".into() };
/// assert_eq!(terrane_k8s::env_key(&o), "eks.api_role_arn");
/// ```
pub fn env_key(o: &TerraformOutput) -> String {
    format!("{}.{}", o.stack, o.output)
}

/// Where in which object a Terraform value is substituted.
#[derive(Debug, Clone, PartialEq)]
pub struct BridgeUse {
    /// The value.
    pub value: TfValue,
    /// Kind of the object that receives it.
    pub kind: String,
    /// Namespace of that object.
    pub namespace: String,
    /// Name of that object.
    pub name: String,
    /// kustomize field path (`metadata.annotations.[eks.amazonaws.com/role-arn]`).
    pub field_path: String,
    /// When set, only the part of the field before this delimiter is replaced (an
    /// image's repository before `:`, keeping its tag).
    pub delimiter: Option<String>,
}
