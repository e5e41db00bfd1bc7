//! `Bucket` / log bucket: an S3 bucket with versioning, KMS encryption, public access
//! blocked, lifecycle rules and optional replication.

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct};
use terrane_core::{tmpl, Expr, Meta, ProviderRef, Stack, Value};

use super::policy::{policy_document, PolicyStatement};
use crate::iam::{IamRole, IamRolePolicy};
use crate::s3::{
    S3Bucket, S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration, S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketLifecycleConfigurationRuleTransition, S3BucketPublicAccessBlock, S3BucketRef,
    S3BucketReplicationConfiguration, S3BucketReplicationConfigurationArgs,
    S3BucketReplicationConfigurationRule,
    S3BucketReplicationConfigurationRuleDeleteMarkerReplication,
    S3BucketReplicationConfigurationRuleDestination,
    S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration,
    S3BucketReplicationConfigurationRuleFilter,
    S3BucketReplicationConfigurationRuleSourceSelectionCriteria,
    S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects,
    S3BucketServerSideEncryptionConfiguration, S3BucketServerSideEncryptionConfigurationRule,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault,
    S3BucketVersioning, S3BucketVersioningRef, S3BucketVersioningVersioningConfiguration,
};

/// A lifecycle rule: move objects to cheaper storage classes, then expire them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleRule {
    /// Rule id.
    pub id: String,
    /// Key prefix the rule applies to (empty: the whole bucket).
    pub prefix: String,
    /// `(days, storage class)` transitions.
    pub transitions: Vec<(u32, String)>,
    /// Days after which current objects expire.
    pub expire_after_days: Option<u32>,
}

impl LifecycleRule {
    /// Infrequent access after 30 days, Glacier after 90, expiry after `days`.
    pub fn archive_then_expire(days: u32) -> Self {
        LifecycleRule {
            id: "archive-then-expire".into(),
            prefix: String::new(),
            transitions: vec![(30, "STANDARD_IA".into()), (90, "GLACIER".into())],
            expire_after_days: Some(days),
        }
    }
}

/// An S3 bucket.
///
/// Defaults: versioning on; SSE-KMS with the given key and bucket keys; every public
/// access setting blocked; incomplete multipart uploads aborted after 7 days and
/// noncurrent versions expired after 90. [`Bucket::log_bucket`] adds a rule moving
/// logs to infrequent access and Glacier and expiring them after a year.
///
/// Checked at synth: a bucket without public access block.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{Bucket, LifecycleRule};
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("data");
/// let b = Bucket::new("acme-prod-uploads", Expr::<String>::raw("var.key"))
///     .lifecycle(LifecycleRule::archive_then_expire(730))
///     .add_to(&mut s);
/// assert_eq!(b.arn().to_hcl(), "aws_s3_bucket.acme_prod_uploads.arn");
/// ```
#[derive(Debug, Clone)]
pub struct Bucket {
    name: String,
    kms_key_arn: Value<String>,
    versioning: bool,
    public_access_block: bool,
    rules: Vec<LifecycleRule>,
    replication: Option<(Value<String>, Value<String>)>,
    provider: Option<ProviderRef>,
    tags: BTreeMap<String, String>,
}

/// A declared [`Bucket`].
#[derive(Debug, Clone)]
pub struct BucketHandle {
    bucket: S3BucketRef,
}

impl BucketHandle {
    /// The bucket resource.
    pub fn bucket(&self) -> &S3BucketRef {
        &self.bucket
    }
    /// The bucket's name.
    pub fn name(&self) -> Expr<String> {
        self.bucket.id()
    }
    /// The bucket's ARN.
    pub fn arn(&self) -> Expr<String> {
        self.bucket.arn()
    }
}

impl Bucket {
    /// A bucket named `name` (globally unique), encrypted with `kms_key_arn`.
    pub fn new(name: &str, kms_key_arn: impl Into<Value<String>>) -> Self {
        Bucket {
            name: name.to_string(),
            kms_key_arn: kms_key_arn.into(),
            versioning: true,
            public_access_block: true,
            rules: Vec::new(),
            replication: None,
            provider: None,
            tags: BTreeMap::new(),
        }
    }
    /// A bucket for logs: archived after 30/90 days, expired after a year.
    pub fn log_bucket(name: &str, kms_key_arn: impl Into<Value<String>>) -> Self {
        Self::new(name, kms_key_arn).lifecycle(LifecycleRule::archive_then_expire(365))
    }
    /// Adds a lifecycle rule.
    pub fn lifecycle(mut self, rule: LifecycleRule) -> Self {
        self.rules.push(rule);
        self
    }
    /// Leaves out the public access block (reported at synth: say why in a review).
    pub fn without_public_access_block(mut self) -> Self {
        self.public_access_block = false;
        self
    }
    /// Turns versioning off.
    pub fn without_versioning(mut self) -> Self {
        self.versioning = false;
        self
    }
    /// Replicates every object to another (versioned) bucket, re-encrypted with
    /// `destination_kms_key_arn`.
    pub fn replicate_to(
        mut self,
        destination_bucket_arn: impl Into<Value<String>>,
        destination_kms_key_arn: impl Into<Value<String>>,
    ) -> Self {
        self.replication = Some((
            destination_bucket_arn.into(),
            destination_kms_key_arn.into(),
        ));
        self
    }
    /// Declares the bucket through an aliased provider (a bucket in another region).
    pub fn provider(mut self, p: &ProviderRef) -> Self {
        self.provider = Some(p.clone());
        self
    }
    /// The meta-arguments of every resource of the bucket: its provider, if aliased.
    fn meta(&self) -> Meta {
        super::provider_meta(self.provider.as_ref())
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

impl Bucket {
    /// The housekeeping rule (abort stale uploads, expire old versions) and the
    /// bucket's own lifecycle rules.
    fn lifecycle_configuration(&self, bucket_id: Expr<String>) -> S3BucketLifecycleConfiguration {
        let mut lifecycle = S3BucketLifecycleConfiguration::new(bucket_id).rule(
            S3BucketLifecycleConfigurationRule::new("housekeeping", "Enabled")
                .filter(S3BucketLifecycleConfigurationRuleFilter::new().prefix(""))
                .abort_incomplete_multipart_upload(
                    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload::new()
                        .days_after_initiation(7),
                )
                .noncurrent_version_expiration(
                    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration::new(90),
                ),
        );
        for r in &self.rules {
            let mut rule = S3BucketLifecycleConfigurationRule::new(r.id.as_str(), "Enabled")
                .filter(S3BucketLifecycleConfigurationRuleFilter::new().prefix(r.prefix.as_str()))
                .abort_incomplete_multipart_upload(
                    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload::new()
                        .days_after_initiation(7),
                );
            for (days, class) in &r.transitions {
                rule = rule.transition(
                    S3BucketLifecycleConfigurationRuleTransition::new(class.as_str()).days(*days),
                );
            }
            if let Some(d) = r.expire_after_days {
                rule = rule.expiration(S3BucketLifecycleConfigurationRuleExpiration::new().days(d));
            }
            lifecycle = lifecycle.rule(rule);
        }
        lifecycle
    }

    /// Replication of every object to `dest` (re-encrypted with `dest_key`), by a role
    /// that may read this bucket and write only there; after versioning is on.
    fn declare_replication(
        &self,
        stack: &mut Stack,
        id: &str,
        (bucket, versioning): (&S3BucketRef, &S3BucketVersioningRef),
        (dest, dest_key): (&Value<String>, &Value<String>),
    ) {
        let trust = super::policy::assume_role_policy(
            stack,
            &format!("{id}_replication_assume"),
            "s3.amazonaws.com",
        );
        let role = stack.add_with(
            &format!("{id}_replication"),
            IamRole::new(trust).name(format!("{}-replication", self.name)),
            self.meta(),
        );
        let doc = policy_document(
            stack,
            &format!("{id}_replication"),
            &[
                PolicyStatement::allow(["s3:GetReplicationConfiguration", "s3:ListBucket"])
                    .resource(bucket.arn()),
                PolicyStatement::allow([
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ])
                .resource(tmpl!("{}/*", bucket.arn())),
                PolicyStatement::allow([
                    "s3:ReplicateObject",
                    "s3:ReplicateDelete",
                    "s3:ReplicateTags",
                ])
                .resource(tmpl!("{}/*", dest)),
                PolicyStatement::allow(["kms:Decrypt"]).resource(self.kms_key_arn.clone()),
                PolicyStatement::allow(["kms:Encrypt"]).resource(dest_key.clone()),
            ],
        );
        stack.add_with(
            &format!("{id}_replication"),
            IamRolePolicy::new(doc, role.id()).name("replicate"),
            self.meta(),
        );
        stack.add_with(
            id,
            S3BucketReplicationConfiguration::new(S3BucketReplicationConfigurationArgs {
                bucket: bucket.id().into(),
                role: role.arn().into(),
                rule: S3BucketReplicationConfigurationRule::new(
                    "Enabled",
                    S3BucketReplicationConfigurationRuleDestination::new(dest.clone())
                        .storage_class("STANDARD")
                        .encryption_configuration(
                            S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration::new(
                                dest_key.clone(),
                            ),
                        ),
                )
                .id("everything")
                .filter(S3BucketReplicationConfigurationRuleFilter::new().prefix(""))
                .delete_marker_replication(
                    S3BucketReplicationConfigurationRuleDeleteMarkerReplication::new("Enabled"),
                )
                .source_selection_criteria(
                    S3BucketReplicationConfigurationRuleSourceSelectionCriteria::new()
                        .sse_kms_encrypted_objects(
                            S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects::new(
                                "Enabled",
                            ),
                        ),
                ),
            }),
            self.meta().depends_on(versioning),
        );
    }
}

impl Construct for Bucket {
    type Handle = BucketHandle;

    /// Adds the bucket and its configuration resources.
    fn add_to(self, stack: &mut Stack) -> BucketHandle {
        let id = block_name(&self.name);
        let bucket = stack.add_with(
            &id,
            S3Bucket::new()
                .bucket(self.name.as_str())
                .tags(super::tags(&self.name, &self.tags)),
            self.meta(),
        );
        if self.public_access_block {
            stack.add_with(
                &id,
                S3BucketPublicAccessBlock::new(bucket.id())
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
                self.meta(),
            );
        } else {
            stack.report(
                &address("aws_s3_bucket", &self.name),
                "",
                format!(
                    "bucket `{}` has no public access block: its objects could be made public",
                    self.name
                ),
            );
        }
        let versioning = stack.add_with(
            &id,
            S3BucketVersioning::new(
                bucket.id(),
                S3BucketVersioningVersioningConfiguration::new(if self.versioning {
                    "Enabled"
                } else {
                    "Suspended"
                }),
            ),
            self.meta(),
        );
        stack.add_with(
            &id,
            S3BucketServerSideEncryptionConfiguration::new(
                bucket.id(),
                S3BucketServerSideEncryptionConfigurationRule::new()
                    .apply_server_side_encryption_by_default(
                        S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault::new(
                            "aws:kms",
                        )
                        .kms_master_key_id(self.kms_key_arn.clone()),
                    )
                    .bucket_key_enabled(true),
            ), self.meta());
        stack.add_with(&id, self.lifecycle_configuration(bucket.id()), self.meta());

        if let Some((dest, dest_key)) = &self.replication {
            self.declare_replication(stack, &id, (&bucket, &versioning), (dest, dest_key));
        }
        BucketHandle { bucket }
    }
}
