//! DNS in Route 53: `DnsCertificate`, an ACM certificate validated through the DNS
//! records it creates in the domain's zone, and `AliasRecord`, a name pointing at an
//! AWS endpoint (a load balancer, a CloudFront distribution).

use std::collections::BTreeMap;

use terrane_core::construct::{block_name, Construct};
use terrane_core::{Expr, Lifecycle, Meta, ProviderRef, Set, Stack, Value};

use crate::acm::{AcmCertificate, AcmCertificateRef, AcmCertificateValidation};
use crate::route53::{
    Route53Record, Route53RecordAlias, Route53RecordAliasArgs, Route53RecordArgs, Route53RecordRef,
    Route53Zone,
};

/// The Route 53 hosted zone records go in.
#[derive(Debug, Clone)]
pub enum HostedZone {
    /// A zone managed elsewhere (the organisation's apex zone), by its id.
    Given(Value<String>),
    /// A public zone this stack creates, by its name (delegate it from the registrar).
    Create(String),
}

impl HostedZone {
    /// The zone id, declaring the zone first when this stack creates it.
    fn id(&self, stack: &mut Stack, tags: &BTreeMap<String, String>) -> Value<String> {
        match self {
            HostedZone::Given(id) => id.clone(),
            HostedZone::Create(name) => {
                let zone = stack.add(
                    &block_name(name),
                    Route53Zone::new(name.as_str())
                        .comment(format!("Public zone {name}"))
                        .tags(super::tags(name, tags)),
                );
                zone.zone_id().into()
            }
        }
    }
}

/// An ACM certificate for a domain (and alternative names), validated by DNS.
///
/// Defaults: ECDSA P-256 key, replaced before destroy; one validation record per
/// name, written in the zone (overwriting a stale one), and a validation resource
/// that waits until ACM has issued the certificate, so a listener using
/// [`DnsCertificateHandle::arn`] is created only with a valid certificate.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::{DnsCertificate, HostedZone};
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("app");
/// let zone = HostedZone::Given(Expr::<String>::raw("var.zone_id").into());
/// let cert = DnsCertificate::new("api.example.com", zone).add_to(&mut s);
/// assert_eq!(cert.arn().to_hcl(), "aws_acm_certificate_validation.api_example_com.certificate_arn");
/// ```
#[derive(Debug, Clone)]
pub struct DnsCertificate {
    domain: String,
    alternative_names: Vec<String>,
    zone: HostedZone,
    provider: Option<ProviderRef>,
    tags: BTreeMap<String, String>,
}

/// A declared [`DnsCertificate`].
#[derive(Debug, Clone)]
pub struct DnsCertificateHandle {
    certificate: AcmCertificateRef,
    validated_arn: Expr<String>,
    zone_id: Value<String>,
}

impl DnsCertificateHandle {
    /// The certificate resource.
    pub fn certificate(&self) -> &AcmCertificateRef {
        &self.certificate
    }
    /// The certificate's ARN once validated (what a listener or distribution uses).
    pub fn arn(&self) -> Expr<String> {
        self.validated_arn.clone()
    }
    /// The hosted zone's id (for more records in it).
    pub fn zone_id(&self) -> Value<String> {
        self.zone_id.clone()
    }
}

impl DnsCertificate {
    /// A certificate for `domain`, validated through records in `zone`.
    pub fn new(domain: &str, zone: HostedZone) -> Self {
        DnsCertificate {
            domain: domain.to_string(),
            alternative_names: Vec::new(),
            zone,
            provider: None,
            tags: BTreeMap::new(),
        }
    }
    /// Another name the certificate covers (in the same zone).
    pub fn alternative_name(mut self, name: &str) -> Self {
        self.alternative_names.push(name.into());
        self
    }
    /// Requests the certificate (and waits for it) through an aliased provider: a
    /// CloudFront distribution's certificate must be in us-east-1. The validation
    /// records stay with the default provider (Route 53 is global).
    pub fn provider(mut self, p: &ProviderRef) -> Self {
        self.provider = Some(p.clone());
        self
    }
    /// Extra tags.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
    /// The meta-arguments of the certificate and its validation: the provider, if aliased.
    fn meta(&self) -> Meta {
        super::provider_meta(self.provider.as_ref())
    }
}

impl Construct for DnsCertificate {
    type Handle = DnsCertificateHandle;

    /// Adds the zone (if created), the certificate, its validation records and the
    /// validation.
    fn add_to(self, stack: &mut Stack) -> DnsCertificateHandle {
        let id = block_name(&self.domain);
        let zone_id = self.zone.id(stack, &self.tags);
        let mut cert = AcmCertificate::new()
            .domain_name(self.domain.as_str())
            .validation_method("DNS")
            .key_algorithm("EC_prime256v1")
            .tags(super::tags(&self.domain, &self.tags));
        if !self.alternative_names.is_empty() {
            let names = self
                .alternative_names
                .iter()
                .map(|n| Value::from(n.as_str()))
                .collect();
            cert = cert.subject_alternative_names(Value::Lit(Set(names)));
        }
        let certificate = stack.add_with(
            &id,
            cert,
            self.meta()
                .lifecycle(Lifecycle::new().create_before_destroy()),
        );
        // ACM asks for one record per name; their number is known here, their
        // content only after the certificate is requested
        let options = certificate.domain_validation_options().to_list();
        let fqdns: Vec<Value<String>> = (0..=self.alternative_names.len())
            .map(|i| {
                let option = options.at(i as u32);
                let record = stack.add(
                    &format!("{id}_validation_{i}"),
                    Route53Record::new(Route53RecordArgs {
                        name: option.resource_record_name().into(),
                        type_: option.resource_record_type().into(),
                        zone_id: zone_id.clone(),
                    })
                    .records(Value::Lit(Set(vec![option.resource_record_value().into()])))
                    .ttl(60)
                    .allow_overwrite(true),
                );
                record.fqdn().into()
            })
            .collect();
        let validation = stack.add_with(
            &id,
            AcmCertificateValidation::new(certificate.arn())
                .validation_record_fqdns(Value::Lit(Set(fqdns))),
            self.meta(),
        );
        DnsCertificateHandle {
            certificate,
            validated_arn: validation.certificate_arn(),
            zone_id,
        }
    }
}

/// Route 53 hosted zone id of every CloudFront distribution (alias records).
pub const CLOUDFRONT_ZONE_ID: &str = "Z2FDTNDATAQYW2";

/// An `A` (or, with [`AliasRecord::ipv6`], `AAAA`) alias record pointing a name at an
/// AWS endpoint (a load balancer's or a CloudFront distribution's DNS name and hosted
/// zone), its health evaluated, except for a CloudFront target (zone
/// [`CLOUDFRONT_ZONE_ID`]), where Route 53 refuses health evaluation.
///
/// ```
/// use terrane_core::construct::Construct;
/// use terrane_aws::constructs::AliasRecord;
/// use terrane_core::{Expr, Stack};
/// let mut s = Stack::new("app");
/// let raw = |t: &str| Expr::<String>::raw(t);
/// let record = AliasRecord::new("api.example.com", raw("var.zone_id"), raw("var.lb_dns"), raw("var.lb_zone"))
///     .add_to(&mut s);
/// assert_eq!(record.fqdn().to_hcl(), "aws_route53_record.api_example_com.fqdn");
/// ```
#[derive(Debug, Clone)]
pub struct AliasRecord {
    name: String,
    zone_id: Value<String>,
    target_dns_name: Value<String>,
    target_zone_id: Value<String>,
    ipv6: bool,
}

impl AliasRecord {
    /// `name` in zone `zone_id`, aliasing `target_dns_name` of hosted zone `target_zone_id`.
    pub fn new(
        name: &str,
        zone_id: impl Into<Value<String>>,
        target_dns_name: impl Into<Value<String>>,
        target_zone_id: impl Into<Value<String>>,
    ) -> Self {
        AliasRecord {
            name: name.to_string(),
            zone_id: zone_id.into(),
            target_dns_name: target_dns_name.into(),
            target_zone_id: target_zone_id.into(),
            ipv6: false,
        }
    }
    /// An `AAAA` record (the IPv6 addresses of the target), declared as `<name>_aaaa`.
    pub fn ipv6(mut self) -> Self {
        self.ipv6 = true;
        self
    }
}

impl Construct for AliasRecord {
    type Handle = Route53RecordRef;

    /// Adds the record; returns it.
    fn add_to(self, stack: &mut Stack) -> Route53RecordRef {
        let (id, type_) = match self.ipv6 {
            true => (format!("{}_aaaa", block_name(&self.name)), "AAAA"),
            false => (block_name(&self.name), "A"),
        };
        let cloudfront = matches!(&self.target_zone_id, Value::Lit(z) if z == CLOUDFRONT_ZONE_ID);
        stack.add(
            &id,
            Route53Record::new(Route53RecordArgs {
                name: self.name.as_str().into(),
                type_: type_.into(),
                zone_id: self.zone_id,
            })
            .alias_attr(Route53RecordAlias::new(Route53RecordAliasArgs {
                evaluate_target_health: (!cloudfront).into(),
                name: self.target_dns_name,
                zone_id: self.target_zone_id,
            })),
        )
    }
}
