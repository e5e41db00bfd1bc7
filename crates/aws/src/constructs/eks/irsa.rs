//! IAM roles for Kubernetes service accounts (IRSA) of an EKS cluster: a role only
//! one service account of one cluster can assume, through the cluster's OIDC provider.

use terrane_core::construct::block_name;
use terrane_core::{func, tmpl, Expr, Stack};

use crate::constructs::policy::{policy_document, PolicyStatement};
use crate::eks::EksClusterRef;
use crate::iam::{
    IamOpenidConnectProviderRef, IamRole, IamRolePolicy, IamRolePolicyAttachment, IamRoleRef,
};

/// An IAM role for a Kubernetes service account (IRSA).
#[derive(Debug, Clone)]
pub struct IrsaRole {
    role: IamRoleRef,
}

impl IrsaRole {
    /// The role.
    pub fn role(&self) -> &IamRoleRef {
        &self.role
    }
    /// The ARN the ServiceAccount annotates (`eks.amazonaws.com/role-arn`).
    pub fn arn(&self) -> Expr<String> {
        self.role.arn()
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn irsa_role(
    stack: &mut Stack,
    cluster_id: &str,
    cluster_name: &str,
    cluster: &EksClusterRef,
    oidc: &IamOpenidConnectProviderRef,
    (name, namespace, service_accounts): (&str, &str, &[&str]),
    managed_policies: &[&str],
    statements: Vec<PolicyStatement>,
) -> IrsaRole {
    let id = format!("{cluster_id}_irsa_{}", block_name(name));
    let issuer = func::replace(
        cluster.identity().at(0).oidc().at(0).issuer(),
        "https://",
        "",
    );
    let trust = policy_document(
        stack,
        &format!("{id}_assume"),
        &[PolicyStatement::allow(["sts:AssumeRoleWithWebIdentity"])
            .principal("Federated", oidc.arn())
            .condition(
                "StringEquals",
                tmpl!("{}:sub", issuer),
                service_accounts
                    .iter()
                    .map(|sa| format!("system:serviceaccount:{namespace}:{sa}").into())
                    .collect(),
            )
            .condition(
                "StringEquals",
                tmpl!("{}:aud", issuer),
                vec!["sts.amazonaws.com".into()],
            )],
    );
    let role = stack.add(
        &id,
        IamRole::new(trust)
            .name(format!("{cluster_name}-{name}"))
            .description(format!(
                "IRSA role of {namespace}/{} on EKS cluster {cluster_name}",
                service_accounts.join(", ")
            )),
    );
    for (i, arn) in managed_policies.iter().enumerate() {
        stack.add(
            &format!("{id}_{i}"),
            IamRolePolicyAttachment::new(*arn, role.name()),
        );
    }
    if !statements.is_empty() {
        let doc = policy_document(stack, &format!("{id}_inline"), &statements);
        stack.add(&id, IamRolePolicy::new(doc, role.id()).name(name));
    }
    IrsaRole { role }
}
