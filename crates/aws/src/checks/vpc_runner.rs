//! The deploy runner a target declares in its own output: an `aws_codebuild_project`
//! with a `vpc_config` (its builds run in the VPC) whose `service_role` an
//! `aws_eks_access_entry` admits to the cluster. Rule `aws/deploy-path` takes it as
//! the target's [`DeployRunner::InVpc`] when the registration declares none.

use terrane_core::checks::TargetView;
use terrane_core::{Diagnostic, Tree};

use super::body::at;
use super::deploy_path::DeployRunner;

/// The runner found in `target`'s blocks, if any. A CodeBuild project in the VPC
/// without an access entry for its role is still taken as the runner (it is where the
/// deploy runs), and reported: the API server refuses its calls.
pub(crate) fn declared_in_output(
    target: &TargetView<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<DeployRunner> {
    let principals: Vec<&Tree> = target
        .stacks()
        .iter()
        .flat_map(|s| s.blocks())
        .filter(|b| b.ty == "aws_eks_access_entry")
        .filter_map(|b| at(b.body, "principal_arn"))
        .collect();
    let mut unadmitted = Vec::new();
    for stack in target.stacks() {
        for block in stack.blocks().filter(|b| b.ty == "aws_codebuild_project") {
            if !matches!(at(block.body, "vpc_config"), Some(t) if !matches!(t, Tree::Null)) {
                continue;
            }
            let role = at(block.body, "service_role");
            if role.is_some_and(|r| principals.contains(&r)) {
                return Some(DeployRunner::in_vpc(&format!(
                    "CodeBuild project {}",
                    block.address()
                )));
            }
            unadmitted.push((stack.name().to_string(), block.address()));
        }
    }
    let (stack, address) = unadmitted.into_iter().next()?;
    out.push(
        Diagnostic::new(
            "the CodeBuild project runs in the VPC but no aws_eks_access_entry admits its service_role (principal_arn): the cluster refuses its helm and kubectl calls; add an access entry and an access policy association for the role",
        )
        .target(target.name())
        .stack(stack)
        .address(address.clone())
        .field("service_role"),
    );
    Some(DeployRunner::in_vpc(&format!(
        "CodeBuild project {address}"
    )))
}
