//! IAM policy documents as `aws_iam_policy_document` data sources: evaluated by
//! terraform without any API call, readable by policy scanners, and typed (a
//! condition key may itself be an expression, as IRSA trust policies need).

use terrane_core::{Expr, Set, Stack, Value};

use crate::iam::{
    DataIamPolicyDocument, DataIamPolicyDocumentStatement, DataIamPolicyDocumentStatementCondition,
    DataIamPolicyDocumentStatementConditionArgs, DataIamPolicyDocumentStatementPrincipals,
};

/// One `Allow` (or `Deny`) statement of a policy document.
///
/// ```
/// use terrane_aws::constructs::PolicyStatement;
/// let s = PolicyStatement::allow(["s3:GetObject"]).resource("arn:aws:s3:::logs/*");
/// ```
#[derive(Debug, Clone)]
pub struct PolicyStatement {
    sid: Option<String>,
    deny: bool,
    actions: Vec<String>,
    resources: Vec<Value<String>>,
    principals: Vec<(String, Vec<Value<String>>)>,
    conditions: Vec<(String, Value<String>, Vec<Value<String>>)>,
}

impl PolicyStatement {
    /// Allows the given actions.
    pub fn allow<S: Into<String>>(actions: impl IntoIterator<Item = S>) -> Self {
        PolicyStatement {
            sid: None,
            deny: false,
            actions: actions.into_iter().map(Into::into).collect(),
            resources: Vec::new(),
            principals: Vec::new(),
            conditions: Vec::new(),
        }
    }
    /// Denies the given actions.
    pub fn deny<S: Into<String>>(actions: impl IntoIterator<Item = S>) -> Self {
        let mut s = Self::allow(actions);
        s.deny = true;
        s
    }
    /// `sid`
    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_string());
        self
    }
    /// Adds a resource ARN (call again for more).
    pub fn resource(mut self, arn: impl Into<Value<String>>) -> Self {
        self.resources.push(arn.into());
        self
    }
    /// Adds a principal: `kind` is `AWS`, `Service` or `Federated`.
    pub fn principal(mut self, kind: &str, id: impl Into<Value<String>>) -> Self {
        match self.principals.iter_mut().find(|(k, _)| k == kind) {
            Some((_, ids)) => ids.push(id.into()),
            None => self.principals.push((kind.to_string(), vec![id.into()])),
        }
        self
    }
    /// Adds a condition: `test` (`StringEquals`), `variable` (the condition key) and values.
    pub fn condition(
        mut self,
        test: &str,
        variable: impl Into<Value<String>>,
        values: Vec<Value<String>>,
    ) -> Self {
        self.conditions
            .push((test.to_string(), variable.into(), values));
        self
    }

    fn to_statement(&self) -> DataIamPolicyDocumentStatement {
        let mut s = DataIamPolicyDocumentStatement::new()
            .effect(if self.deny { "Deny" } else { "Allow" })
            .actions(Value::Lit(Set(self
                .actions
                .iter()
                .map(|a| Value::Lit(a.clone()))
                .collect())));
        if let Some(sid) = &self.sid {
            s = s.sid(sid.as_str());
        }
        if !self.resources.is_empty() {
            s = s.resources(Value::Lit(Set(self.resources.clone())));
        }
        for (kind, ids) in &self.principals {
            s = s.principals(DataIamPolicyDocumentStatementPrincipals::new(
                Value::Lit(Set(ids.clone())),
                kind.as_str(),
            ));
        }
        for (test, variable, values) in &self.conditions {
            s = s.condition(DataIamPolicyDocumentStatementCondition::new(
                DataIamPolicyDocumentStatementConditionArgs {
                    test: test.as_str().into(),
                    variable: variable.clone(),
                    values: Value::Lit(values.clone()),
                },
            ));
        }
        s
    }
}

/// Declares `data.aws_iam_policy_document.NAME` and returns its JSON.
pub fn policy_document(
    stack: &mut Stack,
    name: &str,
    statements: &[PolicyStatement],
) -> Expr<String> {
    let mut doc = DataIamPolicyDocument::new();
    for s in statements {
        doc = doc.statement(s.to_statement());
    }
    stack.data(name, doc).json()
}

/// A trust policy letting an AWS service (`eks.amazonaws.com`) assume a role,
/// declared as `data.aws_iam_policy_document.NAME`.
pub fn assume_role_policy(stack: &mut Stack, name: &str, service: &str) -> Expr<String> {
    policy_document(
        stack,
        name,
        &[PolicyStatement::allow(["sts:AssumeRole"]).principal("Service", service)],
    )
}

/// An IAM role named `name` that `service` assumes, with AWS-managed policies attached
/// (`aws_iam_role.ID` plus one `aws_iam_role_policy_attachment.ID_N` per policy).
///
/// ```
/// use terrane_aws::constructs::service_role;
/// use terrane_core::Stack;
/// let mut s = Stack::new("app");
/// let role = service_role(
///     &mut s,
///     "backup",
///     "prod-backup",
///     "backup.amazonaws.com",
///     &["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
/// );
/// assert_eq!(role.arn().to_hcl(), "aws_iam_role.backup.arn");
/// ```
pub fn service_role(
    stack: &mut Stack,
    id: &str,
    name: &str,
    service: &str,
    managed_policies: &[&str],
) -> crate::iam::IamRoleRef {
    let trust = assume_role_policy(stack, &format!("{id}_assume"), service);
    let role = stack.add(id, crate::iam::IamRole::new(trust).name(name));
    for (i, arn) in managed_policies.iter().enumerate() {
        stack.add(
            &format!("{id}_{i}"),
            crate::iam::IamRolePolicyAttachment::new(*arn, role.name()),
        );
    }
    role
}
