//! `Registry`: an ECR repository with immutable tags, scanning on push, KMS
//! encryption and a lifecycle policy that keeps it small.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{func, Expr, Stack, Tree, Value};

use crate::ecr::{
    EcrLifecyclePolicy, EcrRepository, EcrRepositoryEncryptionConfiguration,
    EcrRepositoryImageScanningConfiguration, EcrRepositoryRef,
};

/// An ECR repository.
///
/// Defaults: immutable tags, scan on push, KMS encryption with the given key, untagged
/// images expired after 14 days and only the newest `keep` (30) tagged images kept.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::Registry;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("data");
/// let repo = Registry::new("shop/api", Expr::<String>::raw("var.key")).add_to(&mut s);
/// assert_eq!(repo.url().to_hcl(), "aws_ecr_repository.shop_api.repository_url");
/// ```
#[derive(Debug, Clone)]
pub struct Registry {
    name: String,
    kms_key_arn: Value<String>,
    keep: u32,
    tags: BTreeMap<String, String>,
}

/// A declared [`Registry`].
#[derive(Debug, Clone)]
pub struct RegistryHandle {
    repository: EcrRepositoryRef,
}

impl RegistryHandle {
    /// The repository.
    pub fn repository(&self) -> &EcrRepositoryRef {
        &self.repository
    }
    /// `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`, what an image reference starts with.
    pub fn url(&self) -> Expr<String> {
        self.repository.repository_url()
    }
    /// The repository ARN.
    pub fn arn(&self) -> Expr<String> {
        self.repository.arn()
    }
}

impl Registry {
    /// A repository named `name`, encrypted with `kms_key_arn`.
    pub fn new(name: &str, kms_key_arn: impl Into<Value<String>>) -> Self {
        Registry {
            name: name.to_string(),
            kms_key_arn: kms_key_arn.into(),
            keep: 30,
            tags: BTreeMap::new(),
        }
    }
    /// How many tagged images to keep.
    pub fn keep_images(mut self, n: u32) -> Self {
        self.keep = n;
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }

    fn lifecycle_policy(&self) -> Tree {
        let rule = |priority: u32, description: &str, selection: Tree| {
            Tree::object([
                ("rulePriority", Tree::from(priority)),
                ("description", Tree::from(description)),
                ("selection", selection),
                ("action", Tree::object([("type", Tree::from("expire"))])),
            ])
        };
        Tree::object([(
            "rules",
            Tree::list([
                rule(
                    1,
                    "Expire untagged images after 14 days",
                    Tree::object([
                        ("tagStatus", Tree::from("untagged")),
                        ("countType", Tree::from("sinceImagePushed")),
                        ("countUnit", Tree::from("days")),
                        ("countNumber", Tree::from(14)),
                    ]),
                ),
                rule(
                    2,
                    &format!("Keep the newest {} images", self.keep),
                    Tree::object([
                        ("tagStatus", Tree::from("any")),
                        ("countType", Tree::from("imageCountMoreThan")),
                        ("countNumber", Tree::from(self.keep)),
                    ]),
                ),
            ]),
        )])
    }
}

impl Construct for Registry {
    type Handle = RegistryHandle;

    /// Adds the repository and its lifecycle policy.
    fn add_to(self, stack: &mut Stack) -> RegistryHandle {
        let id = block_name(&self.name);
        let repository = stack.add(
            &id,
            EcrRepository::new(self.name.as_str())
                .image_tag_mutability("IMMUTABLE")
                .image_scanning_configuration(EcrRepositoryImageScanningConfiguration::new(true))
                .encryption_configuration(
                    EcrRepositoryEncryptionConfiguration::new()
                        .encryption_type("KMS")
                        .kms_key(self.kms_key_arn.clone()),
                )
                .tags(super::tags(&self.name, &self.tags)),
        );
        stack.add(
            &id,
            EcrLifecyclePolicy::new(
                func::jsonencode_tree(self.lifecycle_policy()),
                repository.name(),
            ),
        );
        RegistryHandle { repository }
    }
}
