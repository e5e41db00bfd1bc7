//! `Cdn`: a CloudFront distribution in front of an HTTPS origin (a load balancer, on the
//! internet or internal through a VPC origin), every request passed through uncached
//! (an API), with standard logging (v2) to S3.

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{tmpl, Expr, Meta, ProviderRef, Set, Stack, Value};

use super::cdn_fallback::{CdnFallback, DeclaredFallback};
use super::policy::{policy_document, PolicyStatement};
use super::{AwsAccount, Bucket, BucketHandle};
use crate::cloudfront::{
    CloudfrontDistribution, CloudfrontDistributionArgs, CloudfrontDistributionDefaultCacheBehavior,
    CloudfrontDistributionDefaultCacheBehaviorArgs, CloudfrontDistributionOrigin,
    CloudfrontDistributionOriginCustomOriginConfig,
    CloudfrontDistributionOriginCustomOriginConfigArgs,
    CloudfrontDistributionOriginVpcOriginConfig, CloudfrontDistributionRef,
    CloudfrontDistributionRestrictions, CloudfrontDistributionRestrictionsGeoRestriction,
    CloudfrontDistributionViewerCertificate, CloudfrontResponseHeadersPolicy,
    CloudfrontResponseHeadersPolicySecurityHeadersConfig,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigContentTypeOptions,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigFrameOptions,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigReferrerPolicy,
    CloudfrontResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity,
    CloudfrontVpcOrigin, CloudfrontVpcOriginVpcOriginEndpointConfig,
    CloudfrontVpcOriginVpcOriginEndpointConfigArgs,
    CloudfrontVpcOriginVpcOriginEndpointConfigOriginSslProtocols,
};
use crate::cloudwatch::{
    CloudwatchLogDelivery, CloudwatchLogDeliveryDestination,
    CloudwatchLogDeliveryDestinationDeliveryDestinationConfiguration, CloudwatchLogDeliverySource,
    CloudwatchLogDeliverySourceArgs,
};
use crate::s3::{S3BucketOwnershipControls, S3BucketOwnershipControlsRule, S3BucketPolicy};

/// AWS managed cache policy `Managed-CachingDisabled`.
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/// AWS managed origin request policy `Managed-AllViewerExceptHostHeader`: every viewer
/// header, query string and cookie reaches the origin except `Host`, which CloudFront
/// sets to the origin's own name, so the origin's certificate is checked against it.
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/// The origin id inside the distribution.
const APP_ORIGIN: &str = "app";

/// A CloudFront distribution for `domain` in front of `origin_domain` (an HTTPS origin
/// whose certificate names `origin_domain`, such as an ALB under its own hostname).
///
/// Defaults: every method forwarded to the origin uncached (managed policies
/// CachingDisabled and AllViewerExceptHostHeader: an API); HTTPS only to viewers
/// (HTTP redirected; TLS 1.2 minimum, policy `TLSv1.2_2021`, SNI, the given us-east-1
/// ACM certificate) and to the origin (TLS 1.2); a response headers policy (HSTS two
/// years with subdomains and preload, nosniff, frame DENY, strict referrer); the given
/// WAF web ACL (CLOUDFRONT scope); `/` answered by the health document; HTTP/2 and 3, IPv6; price class 100; the countries
/// given blocked; standard logging v2 (CloudWatch Logs delivery, declared through the
/// us-east-1 provider given, where CloudFront's delivery sources live) to a
/// KMS-encrypted log bucket with ACLs disabled. Optionally a cached read path failing
/// over to a private bucket ([`Cdn::fallback`]), and an internal load balancer reached
/// through a VPC origin instead of over the internet ([`Cdn::vpc_origin`]).
///
/// The KMS key must let `delivery.logs.amazonaws.com` encrypt:
/// [`super::KmsKey::allow_service`].
///
/// Checked at synth: no blocked country list.
#[derive(Debug, Clone)]
pub struct Cdn {
    name: String,
    domain: String,
    origin_domain: Value<String>,
    certificate_arn: Value<String>,
    web_acl_arn: Value<String>,
    kms_key_arn: Value<String>,
    log_bucket: String,
    us_east_1: ProviderRef,
    geo_block: Vec<String>,
    default_root_object: String,
    fallback: Option<CdnFallback>,
    vpc_origin: Option<Value<String>>,
    tags: BTreeMap<String, String>,
}

/// A declared [`Cdn`].
#[derive(Debug, Clone)]
pub struct CdnHandle {
    distribution: CloudfrontDistributionRef,
    logs: BucketHandle,
    fallback: Option<BucketHandle>,
}

impl CdnHandle {
    /// The distribution.
    pub fn distribution(&self) -> &CloudfrontDistributionRef {
        &self.distribution
    }
    /// The distribution's domain name (alias record target).
    pub fn domain_name(&self) -> Expr<String> {
        self.distribution.domain_name()
    }
    /// The hosted zone of the distribution (alias records).
    pub fn zone_id(&self) -> Expr<String> {
        self.distribution.hosted_zone_id()
    }
    /// The distribution's ARN.
    pub fn arn(&self) -> Expr<String> {
        self.distribution.arn()
    }
    /// The bucket the access logs are delivered to.
    pub fn log_bucket(&self) -> Expr<String> {
        self.logs.name()
    }
    /// The bucket a [`CdnFallback`] path fails over to (where its copy is uploaded).
    pub fn fallback_bucket(&self) -> Option<Expr<String>> {
        self.fallback.as_ref().map(BucketHandle::name)
    }
}

impl Cdn {
    /// A distribution `name` serving `domain` from `origin_domain`, with
    /// `certificate_arn` (us-east-1) and `web_acl_arn` (CLOUDFRONT scope); its logs in
    /// bucket `log_bucket` encrypted with `kms_key_arn`; `us_east_1` is the provider
    /// configuration in us-east-1 (for the log delivery).
    pub fn new(
        name: &str,
        domain: &str,
        origin_domain: impl Into<Value<String>>,
        certificate_arn: impl Into<Value<String>>,
        web_acl_arn: impl Into<Value<String>>,
        (kms_key_arn, log_bucket): (impl Into<Value<String>>, &str),
        us_east_1: &ProviderRef,
    ) -> Self {
        Cdn {
            name: name.to_string(),
            domain: domain.to_string(),
            origin_domain: origin_domain.into(),
            certificate_arn: certificate_arn.into(),
            web_acl_arn: web_acl_arn.into(),
            kms_key_arn: kms_key_arn.into(),
            log_bucket: log_bucket.to_string(),
            us_east_1: us_east_1.clone(),
            geo_block: Vec::new(),
            default_root_object: "api/health".into(),
            fallback: None,
            vpc_origin: None,
            tags: BTreeMap::new(),
        }
    }
    /// Blocks viewers from these countries (ISO 3166-1 alpha-2).
    pub fn geo_block<S: Into<String>>(mut self, countries: impl IntoIterator<Item = S>) -> Self {
        self.geo_block.extend(countries.into_iter().map(Into::into));
        self
    }
    /// The object `/` is answered with (default `api/health`, the health document,
    /// rather than whatever the app's router answers).
    pub fn default_root_object(mut self, object: &str) -> Self {
        self.default_root_object = object.to_string();
        self
    }
    /// A cached read path that fails over to a private S3 copy ([`CdnFallback`]); the
    /// KMS key must then let `cloudfront.amazonaws.com` decrypt.
    pub fn fallback(mut self, fallback: CdnFallback) -> Self {
        self.fallback = Some(fallback);
        self
    }
    /// Reaches the origin, an internal load balancer (`load_balancer_arn`), through a
    /// CloudFront VPC origin inside its VPC rather than over the internet: HTTPS only,
    /// TLS 1.2. The origin domain stays the name CloudFront sends as `Host` and SNI, so
    /// the load balancer's certificate must still name it. The load balancer's security
    /// group must admit CloudFront's origin-facing prefix list on 443
    /// ([`super::FargateService::internal_behind_vpc_origin`]).
    pub fn vpc_origin(mut self, load_balancer_arn: impl Into<Value<String>>) -> Self {
        self.vpc_origin = Some(load_balancer_arn.into());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

impl Construct for Cdn {
    type Handle = CdnHandle;

    /// Adds the headers policy, the distribution, the log bucket and the log delivery.
    fn add_to(self, stack: &mut Stack) -> CdnHandle {
        let id = block_name(&self.name);
        if self.geo_block.is_empty() {
            stack.report(
                &format!("aws_cloudfront_distribution.{id}"),
                "restrictions.geo_restriction.locations",
                "the distribution blocks no country: give the countries the service may not serve (Cdn::geo_block)",
            );
        }
        let tags = super::tags(&self.name, &self.tags);
        let headers = stack.add(&id, security_headers(&self.name));
        let fallback: Option<DeclaredFallback> = self
            .fallback
            .as_ref()
            .map(|f| f.declare(stack, (&self.name, &id), self.kms_key_arn.clone()));
        let vpc_origin = self.vpc_origin.as_ref().map(|arn| {
            stack
                .add(&id, self.vpc_origin_endpoint(arn.clone(), &tags))
                .id()
        });
        let mut body = self.distribution(headers.id(), vpc_origin, &tags);
        if let Some(f) = &fallback {
            body = f.wire(body, APP_ORIGIN, headers.id());
        }
        let distribution = stack.add(&id, body);
        if let Some(f) = &fallback {
            f.allow_reads(stack, &id, &distribution);
        }
        let logs = self.declare_logging(stack, &id, &distribution, &tags);
        CdnHandle {
            distribution,
            logs,
            fallback: fallback.map(|f| f.bucket),
        }
    }
}

/// A set of string literals.
fn strings(items: &[&str]) -> Value<Set<String>> {
    Value::Lit(Set(items
        .iter()
        .map(|s| Value::Lit(s.to_string()))
        .collect()))
}

/// HSTS two years with subdomains and preload, nosniff, frame DENY, strict referrer.
fn security_headers(name: &str) -> CloudfrontResponseHeadersPolicy {
    type Hsts = CloudfrontResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurity;
    type Referrer = CloudfrontResponseHeadersPolicySecurityHeadersConfigReferrerPolicy;
    CloudfrontResponseHeadersPolicy::new(format!("{name}-security-headers"))
        .comment(format!("Security headers of {name}"))
        .security_headers_config(
            CloudfrontResponseHeadersPolicySecurityHeadersConfig::new()
                .strict_transport_security(
                    Hsts::new(63_072_000, true)
                        .include_subdomains(true)
                        .preload(true),
                )
                .content_type_options(
                    CloudfrontResponseHeadersPolicySecurityHeadersConfigContentTypeOptions::new(
                        true,
                    ),
                )
                .frame_options(
                    CloudfrontResponseHeadersPolicySecurityHeadersConfigFrameOptions::new(
                        "DENY", true,
                    ),
                )
                .referrer_policy(Referrer::new(true, "strict-origin-when-cross-origin")),
        )
}

impl Cdn {
    /// The VPC origin of an internal load balancer: HTTPS only, TLS 1.2 (port 80 is
    /// required by the API, never used).
    fn vpc_origin_endpoint(
        &self,
        load_balancer_arn: Value<String>,
        tags: &BTreeMap<String, String>,
    ) -> CloudfrontVpcOrigin {
        CloudfrontVpcOrigin::new()
            .vpc_origin_endpoint_config(
                CloudfrontVpcOriginVpcOriginEndpointConfig::new(
                    CloudfrontVpcOriginVpcOriginEndpointConfigArgs {
                        arn: load_balancer_arn,
                        http_port: 80.into(),
                        https_port: 443.into(),
                        name: format!("{}-origin", self.name).into(),
                        origin_protocol_policy: "https-only".into(),
                    },
                )
                .origin_ssl_protocols(
                    CloudfrontVpcOriginVpcOriginEndpointConfigOriginSslProtocols::new(
                        strings(&["TLSv1.2"]),
                        1,
                    ),
                ),
            )
            .tags(tags.clone())
    }

    /// The distribution: one HTTPS origin (over the internet, or through the VPC origin
    /// `vpc_origin` when given), every request passed through uncached.
    fn distribution(
        &self,
        headers: Expr<String>,
        vpc_origin: Option<Expr<String>>,
        tags: &BTreeMap<String, String>,
    ) -> CloudfrontDistribution {
        let origin = CloudfrontDistributionOrigin::new(self.origin_domain.clone(), APP_ORIGIN);
        let origin = match vpc_origin {
            Some(id) => {
                origin.vpc_origin_config(CloudfrontDistributionOriginVpcOriginConfig::new(id))
            }
            None => {
                origin.custom_origin_config(CloudfrontDistributionOriginCustomOriginConfig::new(
                    CloudfrontDistributionOriginCustomOriginConfigArgs {
                        http_port: 80.into(),
                        https_port: 443.into(),
                        origin_protocol_policy: "https-only".into(),
                        origin_ssl_protocols: strings(&["TLSv1.2"]),
                    },
                ))
            }
        };
        let api = CloudfrontDistributionDefaultCacheBehavior::new(
            CloudfrontDistributionDefaultCacheBehaviorArgs {
                allowed_methods: strings(&[
                    "GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE",
                ]),
                cached_methods: strings(&["GET", "HEAD"]),
                target_origin_id: APP_ORIGIN.into(),
                viewer_protocol_policy: "redirect-to-https".into(),
            },
        )
        .cache_policy_id(CACHING_DISABLED)
        .origin_request_policy_id(ALL_VIEWER_EXCEPT_HOST)
        .response_headers_policy_id(headers)
        .compress(true);
        let countries: Vec<&str> = self.geo_block.iter().map(String::as_str).collect();
        CloudfrontDistribution::new(CloudfrontDistributionArgs {
            enabled: true.into(),
            default_cache_behavior: api,
            origin,
            restrictions: CloudfrontDistributionRestrictions::new(
                CloudfrontDistributionRestrictionsGeoRestriction::new("blacklist")
                    .locations(strings(&countries)),
            ),
            viewer_certificate: CloudfrontDistributionViewerCertificate::new()
                .acm_certificate_arn(self.certificate_arn.clone())
                .minimum_protocol_version("TLSv1.2_2021")
                .ssl_support_method("sni-only"),
        })
        .aliases(strings(&[self.domain.as_str()]))
        .comment(format!("{} in front of its load balancer", self.name))
        .default_root_object(self.default_root_object.as_str())
        .http_version("http2and3")
        .is_ipv6_enabled(true)
        .price_class("PriceClass_100")
        .web_acl_id(self.web_acl_arn.clone())
        .tags(tags.clone())
    }

    /// Standard logging v2: the distribution's access logs delivered by CloudWatch Logs
    /// (source and destination in us-east-1) to a log bucket with ACLs disabled, which
    /// lets only the log delivery service of this account write under `AWSLogs/`.
    fn declare_logging(
        &self,
        stack: &mut Stack,
        id: &str,
        distribution: &CloudfrontDistributionRef,
        tags: &BTreeMap<String, String>,
    ) -> BucketHandle {
        let logs = Bucket::log_bucket(&self.log_bucket, self.kms_key_arn.clone()).add_to(stack);
        stack.add(
            &format!("{id}_logs"),
            S3BucketOwnershipControls::new(
                logs.name(),
                S3BucketOwnershipControlsRule::new("BucketOwnerEnforced"),
            ),
        );
        // the account and partition as seen from us-east-1, where the delivery source is
        let account = AwsAccount::of_provider(stack, &format!("{id}_logs"), &self.us_east_1);
        let write = policy_document(
            stack,
            &format!("{id}_logs"),
            &[PolicyStatement::allow(["s3:PutObject"])
                .sid("LogDeliveryWrites")
                .principal("Service", "delivery.logs.amazonaws.com")
                .resource(tmpl!("{}/AWSLogs/{}/*", logs.arn(), account.account_id()))
                .condition(
                    "StringEquals",
                    "aws:SourceAccount",
                    vec![account.account_id().into()],
                )
                .condition(
                    "ArnLike",
                    "aws:SourceArn",
                    vec![account.arn("logs", "delivery-source:*").into()],
                )],
        );
        let policy = stack.add(
            &format!("{id}_logs"),
            S3BucketPolicy::new(logs.name(), write),
        );
        let in_us_east_1 = || Meta::new().provider(&self.us_east_1);
        let source = stack.add_with(
            id,
            CloudwatchLogDeliverySource::new(CloudwatchLogDeliverySourceArgs {
                log_type: "ACCESS_LOGS".into(),
                name: format!("{}-cdn", self.name).into(),
                resource_arn: distribution.arn().into(),
            })
            .tags(tags.clone()),
            in_us_east_1(),
        );
        let destination = stack.add_with(
            id,
            CloudwatchLogDeliveryDestination::new(format!("{}-cdn-s3", self.name))
                .output_format("parquet")
                .delivery_destination_configuration(
                    CloudwatchLogDeliveryDestinationDeliveryDestinationConfiguration::new(
                        logs.arn(),
                    ),
                )
                .tags(tags.clone()),
            in_us_east_1(),
        );
        stack.add_with(
            id,
            CloudwatchLogDelivery::new(destination.arn(), source.name()).tags(tags.clone()),
            in_us_east_1().depends_on(&policy),
        );
        logs
    }
}
