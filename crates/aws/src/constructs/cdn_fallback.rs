//! A cached path of a [`super::Cdn`] that fails over to a private S3 copy: the
//! distribution's origin group (origin first, the bucket when the origin answers 5xx).

use terrane_core::construct::Construct;
use terrane_core::{tmpl, Expr, Number, Set, Stack, Value};

use super::policy::{policy_document, PolicyStatement};
use super::{Bucket, BucketHandle};
use crate::cloudfront::{
    CloudfrontDistribution, CloudfrontDistributionOrderedCacheBehavior,
    CloudfrontDistributionOrderedCacheBehaviorArgs, CloudfrontDistributionOrigin,
    CloudfrontDistributionOriginGroup, CloudfrontDistributionOriginGroupArgs,
    CloudfrontDistributionOriginGroupFailoverCriteria, CloudfrontDistributionOriginGroupMember,
    CloudfrontDistributionRef, CloudfrontOriginAccessControl, CloudfrontOriginAccessControlArgs,
};
use crate::s3::{S3BucketOwnershipControls, S3BucketOwnershipControlsRule, S3BucketPolicy};

/// AWS managed cache policy `Managed-CachingOptimized` (content-hashed build assets:
/// cached up to a year, keyed on the path only, gzip and brotli).
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/// The fallback bucket's origin id.
const FALLBACK_ORIGIN: &str = "fallback";
/// The origin group's id (the origin, then the fallback bucket).
const GROUP: &str = "app-then-fallback";
/// Origin answers on which CloudFront retries the request on the fallback bucket.
const FAILOVER_STATUS: [i64; 4] = [500, 502, 503, 504];

/// Requests matching `path_pattern` (GET and HEAD: CloudFront fails over only those)
/// are cached and served by the distribution's origin; when it answers 500, 502, 503
/// or 504 (or cannot be reached), CloudFront retries them on the private bucket
/// `bucket`, which it reads through origin access control (SigV4, nothing public).
/// The bucket holds a copy of what the path serves (e.g. the app's content-hashed
/// build assets, uploaded by the deploy pipeline before the tasks roll).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdnFallback {
    pub(super) path_pattern: String,
    pub(super) bucket: String,
}

impl CdnFallback {
    /// Path `path_pattern` (`/_next/static/*`) failing over to bucket `bucket`.
    pub fn new(path_pattern: &str, bucket: &str) -> Self {
        CdnFallback {
            path_pattern: path_pattern.to_string(),
            bucket: bucket.to_string(),
        }
    }
}

/// The fallback as declared before the distribution: its bucket and access control.
pub(super) struct DeclaredFallback {
    path_pattern: String,
    pub(super) bucket: BucketHandle,
    access_control: Expr<String>,
}

impl CdnFallback {
    /// The bucket (KMS-encrypted with `kms_key_arn`, ACLs disabled) and the origin
    /// access control CloudFront signs its reads with.
    pub(super) fn declare(
        &self,
        stack: &mut Stack,
        (cdn, id): (&str, &str),
        kms_key_arn: Value<String>,
    ) -> DeclaredFallback {
        let bucket = Bucket::new(&self.bucket, kms_key_arn).add_to(stack);
        stack.add(
            &format!("{id}_fallback"),
            S3BucketOwnershipControls::new(
                bucket.name(),
                S3BucketOwnershipControlsRule::new("BucketOwnerEnforced"),
            ),
        );
        let oac = stack.add(
            &format!("{id}_fallback"),
            CloudfrontOriginAccessControl::new(CloudfrontOriginAccessControlArgs {
                name: format!("{cdn}-fallback").into(),
                origin_access_control_origin_type: "s3".into(),
                signing_behavior: "always".into(),
                signing_protocol: "sigv4".into(),
            })
            .description(format!("{cdn} reads its fallback bucket")),
        );
        DeclaredFallback {
            path_pattern: self.path_pattern.clone(),
            bucket,
            access_control: oac.id(),
        }
    }
}

impl DeclaredFallback {
    /// The distribution with the bucket origin, the origin group (`app_origin` first)
    /// and the cached behaviour of the path.
    pub(super) fn wire(
        &self,
        distribution: CloudfrontDistribution,
        app_origin: &str,
        headers: Expr<String>,
    ) -> CloudfrontDistribution {
        let strings =
            |m: &[&str]| Value::Lit(Set(m.iter().map(|s| Value::Lit(s.to_string())).collect()));
        let status = Value::Lit(Set(FAILOVER_STATUS
            .iter()
            .map(|c| Value::Lit(Number::from(*c)))
            .collect()));
        let bucket_origin = CloudfrontDistributionOrigin::new(
            self.bucket.bucket().bucket_regional_domain_name(),
            FALLBACK_ORIGIN,
        )
        .origin_access_control_id(self.access_control.clone());
        let group = CloudfrontDistributionOriginGroup::new(CloudfrontDistributionOriginGroupArgs {
            origin_id: GROUP.into(),
            failover_criteria: CloudfrontDistributionOriginGroupFailoverCriteria::new(status),
            member: CloudfrontDistributionOriginGroupMember::new(app_origin),
        })
        .member(CloudfrontDistributionOriginGroupMember::new(
            FALLBACK_ORIGIN,
        ));
        let cached = CloudfrontDistributionOrderedCacheBehavior::new(
            CloudfrontDistributionOrderedCacheBehaviorArgs {
                allowed_methods: strings(&["GET", "HEAD"]),
                cached_methods: strings(&["GET", "HEAD"]),
                path_pattern: self.path_pattern.as_str().into(),
                target_origin_id: GROUP.into(),
                viewer_protocol_policy: "redirect-to-https".into(),
            },
        )
        .cache_policy_id(CACHING_OPTIMIZED)
        .response_headers_policy_id(headers)
        .compress(true);
        distribution
            .origin(bucket_origin)
            .origin_group(group)
            .ordered_cache_behavior(cached)
    }

    /// The bucket policy: CloudFront may read objects for this distribution only.
    pub(super) fn allow_reads(
        &self,
        stack: &mut Stack,
        id: &str,
        distribution: &CloudfrontDistributionRef,
    ) {
        let read = policy_document(
            stack,
            &format!("{id}_fallback"),
            &[PolicyStatement::allow(["s3:GetObject"])
                .sid("CloudFrontReads")
                .principal("Service", "cloudfront.amazonaws.com")
                .resource(tmpl!("{}/*", self.bucket.arn()))
                .condition(
                    "StringEquals",
                    "AWS:SourceArn",
                    vec![distribution.arn().into()],
                )],
        );
        stack.add(
            &format!("{id}_fallback"),
            S3BucketPolicy::new(self.bucket.name(), read),
        );
    }
}
