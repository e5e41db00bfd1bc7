//! `DnsRecords`: Cloud DNS A records pointing every domain of a load balancer at
//! its address, in a zone created here or one that already exists.

use terrane_core::construct::Construct;
use terrane_core::{Expr, Handle, List, Stack, Value};

use crate::dns::{
    DataDnsManagedZone, DnsManagedZone, DnsManagedZoneDnssecConfig, DnsRecordSet, DnsRecordSetArgs,
    DnsRecordSetRef,
};

use super::{apis, block_name, GlobalHttpsLoadBalancerHandle, ProjectServicesHandle};

/// The Cloud DNS zone the records go in.
#[derive(Debug, Clone)]
pub enum DnsZone {
    /// A public zone created here, DNSSEC on. The parent domain must delegate to
    /// its name servers ([`DnsRecordsHandle::name_servers`]).
    Managed {
        /// The zone's resource name (`staging-acme-saas-com`).
        name: String,
        /// The zone's domain with the trailing dot (`staging.acme-saas.com.`).
        dns_name: String,
    },
    /// A zone that already exists in the project, found by name at plan time (a
    /// variable, so each installation names its own).
    Existing {
        /// The zone's resource name.
        name: Value<String>,
        /// The zone's domain with the trailing dot, to check the domains against.
        dns_name: String,
    },
}

impl DnsZone {
    fn dns_name(&self) -> &str {
        match self {
            DnsZone::Managed { dns_name, .. } | DnsZone::Existing { dns_name, .. } => dns_name,
        }
    }
}

/// One A record per domain of a load balancer, at its global address, so its
/// Google-managed certificate can provision (the certificate stays
/// `PROVISIONING` until every domain resolves to the load balancer).
///
/// Defaults: a 300 s TTL.
///
/// Checked at synth: a zone DNS name without its trailing dot, and a domain
/// outside the zone.
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::*;
/// let mut stack = Stack::new("services");
/// let project = ProjectServices::new("acme").add_to(&mut stack);
/// let api = CloudRunService::new(&project, "api", "gcr.io/acme/api:1")
///     .region("us-central1")
///     .add_to(&mut stack);
/// let lb = GlobalHttpsLoadBalancer::new(&project, "api", ["api.example.com"])
///     .backend(&api)
///     .add_to(&mut stack);
/// let zone = DnsZone::Managed { name: "example-com".into(), dns_name: "example.com.".into() };
/// let dns = DnsRecords::new(&project, zone, &lb).add_to(&mut stack);
/// assert_eq!(dns.records().len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct DnsRecords {
    project: ProjectServicesHandle,
    zone: DnsZone,
    domains: Vec<String>,
    address: Expr<String>,
    ttl: u32,
}

impl DnsRecords {
    /// Records in `zone` for every domain `lb` serves, at its address.
    pub fn new(
        project: &ProjectServicesHandle,
        zone: DnsZone,
        lb: &GlobalHttpsLoadBalancerHandle,
    ) -> Self {
        DnsRecords {
            project: project.clone(),
            zone,
            domains: lb.domains().to_vec(),
            address: lb.ip_address(),
            ttl: 300,
        }
    }
    /// The records' TTL in seconds (default 300).
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = seconds;
        self
    }

    /// The zone's name, declaring the zone (or reading the existing one).
    fn zone_name(&self, stack: &mut Stack) -> (String, Expr<String>, Option<Expr<List<String>>>) {
        let after = self.project.after(stack, &[apis::DNS]);
        match &self.zone {
            DnsZone::Managed { name, dns_name } => {
                let zone = stack.add_with(
                    &block_name(name),
                    DnsManagedZone::new(dns_name.as_str(), name.as_str())
                        .project(self.project.id())
                        .description("Public zone of the platform's domains")
                        .visibility("public")
                        .dnssec_config(DnsManagedZoneDnssecConfig::new().state("on")),
                    after,
                );
                (zone.address(), zone.name(), Some(zone.name_servers()))
            }
            DnsZone::Existing { name, .. } => {
                let zone = stack.data(
                    "zone",
                    DataDnsManagedZone::new(name.clone()).project(self.project.id()),
                );
                (zone.address(), zone.name(), None)
            }
        }
    }
}

impl Construct for DnsRecords {
    type Handle = DnsRecordsHandle;

    /// Declares the zone (when managed here) and one `google_dns_record_set` per
    /// domain.
    fn add_to(self, stack: &mut Stack) -> DnsRecordsHandle {
        let (zone_address, zone, name_servers) = self.zone_name(stack);
        let dns_name = self.zone.dns_name();
        if !dns_name.ends_with('.') {
            stack.report(
                &zone_address,
                "dns_name",
                format!("zone DNS name `{dns_name}` must end with a dot (`{dns_name}.`)"),
            );
        }
        let apex = dns_name.trim_end_matches('.');
        let mut records = Vec::new();
        for domain in &self.domains {
            let record = stack.add(
                &block_name(domain),
                DnsRecordSet::new(DnsRecordSetArgs {
                    managed_zone: zone.clone().into(),
                    name: format!("{domain}.").into(),
                    type_: "A".into(),
                })
                .project(self.project.id())
                .ttl(self.ttl)
                .rrdatas(vec![self.address.clone()]),
            );
            if domain != apex && !domain.ends_with(&format!(".{apex}")) {
                stack.report(
                    &record.address(),
                    "name",
                    format!("domain `{domain}` is not inside zone `{dns_name}`"),
                );
            }
            records.push(record);
        }
        DnsRecordsHandle {
            zone,
            name_servers,
            records,
        }
    }
}

/// The declared records (and zone).
#[derive(Debug, Clone)]
pub struct DnsRecordsHandle {
    zone: Expr<String>,
    name_servers: Option<Expr<List<String>>>,
    records: Vec<DnsRecordSetRef>,
}

impl DnsRecordsHandle {
    /// The zone's resource name.
    pub fn zone(&self) -> Expr<String> {
        self.zone.clone()
    }
    /// The name servers of a zone created here (delegate the domain to them).
    pub fn name_servers(&self) -> Option<Expr<List<String>>> {
        self.name_servers.clone()
    }
    /// One A record per domain, in the load balancer's order.
    pub fn records(&self) -> &[DnsRecordSetRef] {
        &self.records
    }
}
