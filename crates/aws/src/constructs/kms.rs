//! `KmsKey`: a customer-managed key with yearly rotation, an alias and a key policy
//! that keeps the account in control and lets named AWS services use it.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{func, tmpl, Expr, Lifecycle, Meta, ProviderRef, Stack, Tree};

use super::AwsAccount;

use crate::kms::{KmsAlias, KmsKey as KmsKeyResource, KmsKeyRef};

/// A customer-managed KMS key, used by default by every construct that stores data.
///
/// Defaults: rotation on, 30-day deletion window, `prevent_destroy`, a key policy
/// giving the account root full control and CloudWatch Logs of the region use of the
/// key for its log groups. Account, partition and region come from the stack's
/// [`AwsAccount`] data sources, never from literals.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{AwsAccount, KmsKey};
/// use terrane_core::Stack;
/// let mut s = Stack::new("data");
/// let account = AwsAccount::current(&mut s);
/// let key = KmsKey::new("prod-data", &account)
///     .allow_service("sns.amazonaws.com")
///     .add_to(&mut s);
/// assert_eq!(key.arn().to_hcl(), "aws_kms_key.prod_data.arn");
/// ```
#[derive(Debug, Clone)]
pub struct KmsKey {
    name: String,
    account: AwsAccount,
    services: Vec<String>,
    deletion_window_days: u32,
    prevent_destroy: bool,
    provider: Option<ProviderRef>,
    tags: BTreeMap<String, String>,
}

/// A declared [`KmsKey`].
#[derive(Debug, Clone)]
pub struct KmsKeyHandle {
    key: KmsKeyRef,
}

impl KmsKeyHandle {
    /// The key resource.
    pub fn key(&self) -> &KmsKeyRef {
        &self.key
    }
    /// The key's ARN (what `kms_key_id`/`kms_key_arn` arguments want).
    pub fn arn(&self) -> Expr<String> {
        self.key.arn()
    }
    /// The key id.
    pub fn key_id(&self) -> Expr<String> {
        self.key.key_id()
    }
}

impl KmsKey {
    /// A key named `name` (alias `alias/NAME`) in `account` (and its region: declare
    /// the account through the key's provider for a key in another region).
    pub fn new(name: &str, account: &AwsAccount) -> Self {
        KmsKey {
            name: name.to_string(),
            account: account.clone(),
            services: Vec::new(),
            deletion_window_days: 30,
            prevent_destroy: true,
            provider: None,
            tags: BTreeMap::new(),
        }
    }
    /// Lets an AWS service principal (`sns.amazonaws.com`) encrypt and decrypt with the key.
    pub fn allow_service(mut self, service: &str) -> Self {
        self.services.push(service.to_string());
        self
    }
    /// Days before a scheduled deletion takes effect (7 to 30).
    pub fn deletion_window_days(mut self, days: u32) -> Self {
        self.deletion_window_days = days;
        self
    }
    /// Leaves out `prevent_destroy` (for throwaway environments).
    pub fn allow_destroy(mut self) -> Self {
        self.prevent_destroy = false;
        self
    }
    /// Declares the key through an aliased provider (a key in another region).
    pub fn provider(mut self, p: &ProviderRef) -> Self {
        self.provider = Some(p.clone());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.to_string(), v.to_string());
        self
    }

    fn policy(&self) -> Tree {
        let root = self.account.root_arn();
        let mut statements = vec![Tree::object([
            ("Sid", Tree::from("AccountAdministers")),
            ("Effect", Tree::from("Allow")),
            ("Principal", Tree::object([("AWS", Tree::from(root))])),
            ("Action", Tree::from("kms:*")),
            ("Resource", Tree::from("*")),
        ])];
        statements.push(Tree::object([
            ("Sid", Tree::from("CloudWatchLogsUse")),
            ("Effect", Tree::from("Allow")),
            (
                "Principal",
                Tree::object([(
                    "Service",
                    Tree::from(tmpl!("logs.{}.amazonaws.com", self.account.region())),
                )]),
            ),
            ("Action", use_actions()),
            ("Resource", Tree::from("*")),
            (
                "Condition",
                Tree::object([(
                    "ArnLike",
                    Tree::object([(
                        "kms:EncryptionContext:aws:logs:arn",
                        Tree::from(self.account.arn("logs", "log-group:*")),
                    )]),
                )]),
            ),
        ]));
        if !self.services.is_empty() {
            statements.push(Tree::object([
                ("Sid", Tree::from("ServicesUse")),
                ("Effect", Tree::from("Allow")),
                (
                    "Principal",
                    Tree::object([(
                        "Service",
                        Tree::list(self.services.iter().map(|s| Tree::from(s.as_str()))),
                    )]),
                ),
                ("Action", use_actions()),
                ("Resource", Tree::from("*")),
            ]));
        }
        Tree::object([
            ("Version", Tree::from("2012-10-17")),
            ("Statement", Tree::List(statements)),
        ])
    }
}

impl Construct for KmsKey {
    type Handle = KmsKeyHandle;

    /// Adds the key and its alias.
    fn add_to(self, stack: &mut Stack) -> KmsKeyHandle {
        let id = block_name(&self.name);
        let mut meta = Meta::new();
        if self.prevent_destroy {
            meta = meta.lifecycle(Lifecycle::new().prevent_destroy());
        }
        let mut alias_meta = Meta::new();
        if let Some(p) = &self.provider {
            meta = meta.provider(p);
            alias_meta = alias_meta.provider(p);
        }
        let key = stack.add_with(
            &id,
            KmsKeyResource::new()
                .description(format!("{} (managed by terrane)", self.name))
                .enable_key_rotation(true)
                .deletion_window_in_days(self.deletion_window_days)
                .policy(func::jsonencode_tree(self.policy()))
                .tags(super::tags(&self.name, &self.tags)),
            meta,
        );
        stack.add_with(
            &id,
            KmsAlias::new(key.key_id()).name(format!("alias/{}", self.name)),
            alias_meta,
        );
        KmsKeyHandle { key }
    }
}

fn use_actions() -> Tree {
    Tree::list(
        [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ]
        .into_iter()
        .map(Tree::from),
    )
}
