//! `AwsAccount`: the account, partition and region a stack runs in, read from the
//! provider's credentials at plan time, so no ARN or policy carries a literal account id.

use terrane_core::{tmpl, Expr, Meta, ProviderRef, Stack};

use crate::meta::{DataCallerIdentity, DataPartition, DataRegion};

/// Where a stack's resources live, as the provider sees it: `data.aws_caller_identity`,
/// `data.aws_partition` and `data.aws_region`, declared once per stack (and provider).
///
/// ```
/// use terrane_aws::constructs::AwsAccount;
/// use terrane_core::Stack;
/// let mut s = Stack::new("data");
/// let account = AwsAccount::current(&mut s);
/// assert_eq!(account.account_id().to_hcl(), "data.aws_caller_identity.current.account_id");
/// assert_eq!(
///     account.arn("secretsmanager", "secret:prod/*").to_hcl(),
///     r#""arn:${data.aws_partition.current.partition}:secretsmanager:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:secret:prod/*""#
/// );
/// ```
#[derive(Debug, Clone)]
pub struct AwsAccount {
    account_id: Expr<String>,
    partition: Expr<String>,
    region: Expr<String>,
}

impl AwsAccount {
    /// The account, partition and region of the stack's default AWS provider, declared
    /// as `data.<type>.current`.
    pub fn current(stack: &mut Stack) -> Self {
        Self::declare(stack, "current", Meta::new)
    }

    /// The same through an aliased provider (another region), declared as
    /// `data.<type>.<id>`.
    pub fn of_provider(stack: &mut Stack, id: &str, provider: &ProviderRef) -> Self {
        Self::declare(stack, id, || Meta::new().provider(provider))
    }

    fn declare(stack: &mut Stack, id: &str, meta: impl Fn() -> Meta) -> Self {
        let identity = stack.data_with(id, DataCallerIdentity::new(), meta());
        let partition = stack.data_with(id, DataPartition::new(), meta());
        let region = stack.data_with(id, DataRegion::new(), meta());
        AwsAccount {
            account_id: identity.account_id(),
            partition: partition.partition(),
            region: region.name(),
        }
    }

    /// The account id.
    pub fn account_id(&self) -> Expr<String> {
        self.account_id.clone()
    }
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition(&self) -> Expr<String> {
        self.partition.clone()
    }
    /// The region name.
    pub fn region(&self) -> Expr<String> {
        self.region.clone()
    }
    /// `arn:<partition>:iam::<account>:root`, the principal standing for the account.
    pub fn root_arn(&self) -> Expr<String> {
        tmpl!("arn:{}:iam::{}:root", self.partition, self.account_id)
    }
    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    pub fn arn(&self, service: &str, resource: &str) -> Expr<String> {
        tmpl!(
            "arn:{}:{}:{}:{}:{}",
            self.partition,
            service,
            self.region,
            self.account_id,
            resource
        )
    }
    /// `arn:<partition>:eks::aws:cluster-access-policy/<name>`, an EKS access policy
    /// (`AmazonEKSClusterAdminPolicy`).
    pub fn eks_access_policy_arn(&self, name: &str) -> Expr<String> {
        tmpl!(
            "arn:{}:eks::aws:cluster-access-policy/{}",
            self.partition,
            name
        )
    }
    /// `arn:<partition>:iam::aws:policy/<name>`, an AWS-managed policy.
    pub fn managed_policy_arn(&self, name: &str) -> Expr<String> {
        tmpl!("arn:{}:iam::aws:policy/{}", self.partition, name)
    }
}
