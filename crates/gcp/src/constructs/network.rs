//! `PrivateNetwork`: a VPC with one subnet per region, private service access for
//! Cloud SQL and a Serverless VPC Access connector per region for Cloud Run.

use std::collections::BTreeMap;

use terrane_core::construct::{Construct, Ipv4Cidr};
use terrane_core::{Expr, Handle, Stack};

use crate::compute::{
    ComputeFirewall, ComputeFirewallDeny, ComputeFirewallLogConfig, ComputeGlobalAddress,
    ComputeGlobalAddressRef, ComputeNetwork, ComputeNetworkRef, ComputeSubnetwork,
    ComputeSubnetworkLogConfig, ComputeSubnetworkRef,
};
use crate::service_networking::{
    ServiceNetworkingConnection, ServiceNetworkingConnectionArgs, ServiceNetworkingConnectionRef,
};
use crate::vpc_access::{VpcAccessConnector, VpcAccessConnectorRef};

use super::{apis, block_name, ProjectServicesHandle};

#[derive(Debug, Clone)]
struct RegionPlan {
    region: String,
    subnet_cidr: String,
    connector_cidr: String,
}

/// A custom-mode VPC (no default subnets, no public IPs on anything it creates):
/// per region a subnet with Private Google Access and flow logs, and a Serverless
/// VPC Access connector; an explicit, logged deny-all ingress firewall rule; one
/// private service access range (`10.100.0.0/16` unless given) peered with Google
/// services, so Cloud SQL gets a private IP only.
///
/// Checked at synth: a range that is not a strict IPv4 CIDR ([`Ipv4Cidr`]: no host
/// bits after the prefix, no leading zeros), and overlapping ranges (subnets,
/// connectors and the private service access range).
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::{Construct, PrivateNetwork, ProjectServices};
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme-prod").add_to(&mut stack);
/// let net = PrivateNetwork::new(&project, "prod")
///     .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
///     .region("us-east1", "10.11.0.0/20", "10.8.0.16/28")
///     .add_to(&mut stack);
/// assert!(net.connector("us-east1").is_some());
/// assert!(net.connector("europe-west1").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct PrivateNetwork {
    project: ProjectServicesHandle,
    name: String,
    regions: Vec<RegionPlan>,
    service_range: (String, u32),
    connector_instances: (u32, u32),
}

impl PrivateNetwork {
    /// A network named `<name>-vpc` in `project`, with no regions yet.
    pub fn new(project: &ProjectServicesHandle, name: &str) -> Self {
        PrivateNetwork {
            project: project.clone(),
            name: name.to_string(),
            regions: Vec::new(),
            service_range: ("10.100.0.0".to_string(), 16),
            connector_instances: (2, 3),
        }
    }

    /// A region: its subnet's range and the /28 of its Serverless VPC Access connector,
    /// both IPv4 CIDRs (`10.10.0.0/20`) checked strictly at synth ([`Ipv4Cidr`]).
    pub fn region(mut self, region: &str, subnet_cidr: &str, connector_cidr: &str) -> Self {
        self.regions.push(RegionPlan {
            region: region.to_string(),
            subnet_cidr: subnet_cidr.to_string(),
            connector_cidr: connector_cidr.to_string(),
        });
        self
    }

    /// The private service access range Cloud SQL takes its private IPs from
    /// (default `10.100.0.0`/16). Given explicitly, so it can never be allocated over
    /// a connector's range.
    pub fn service_range(mut self, address: &str, prefix_length: u32) -> Self {
        self.service_range = (address.to_string(), prefix_length);
        self
    }

    /// Minimum and maximum connector instances (default 2 and 3).
    pub fn connector_instances(mut self, min: u32, max: u32) -> Self {
        self.connector_instances = (min, max);
        self
    }
}

impl Construct for PrivateNetwork {
    type Handle = PrivateNetworkHandle;

    /// Declares the network's resources in `stack`.
    fn add_to(self, stack: &mut Stack) -> PrivateNetworkHandle {
        let project = &self.project;
        let vpc = stack.add_with(
            &block_name(&self.name),
            ComputeNetwork::new(format!("{}-vpc", self.name))
                .project(project.id())
                .auto_create_subnetworks(false)
                .routing_mode("GLOBAL")
                .delete_default_routes_on_create(false),
            project.after(stack, &[apis::COMPUTE]),
        );
        let mut subnets = BTreeMap::new();
        let mut connectors = BTreeMap::new();
        for plan in &self.regions {
            let (subnet, connector) = self.add_region(stack, &vpc, plan);
            subnets.insert(plan.region.clone(), subnet);
            connectors.insert(plan.region.clone(), connector);
        }
        self.add_deny_all_ingress(stack, &vpc);
        let (range, peering) = self.add_private_service_access(stack, &vpc);
        self.check_ranges(stack, &subnets, &connectors, &range.address());
        PrivateNetworkHandle {
            vpc,
            subnets,
            connectors,
            peering,
        }
    }
}

impl PrivateNetwork {
    /// The subnet and the Serverless VPC Access connector of one region.
    fn add_region(
        &self,
        stack: &mut Stack,
        vpc: &ComputeNetworkRef,
        plan: &RegionPlan,
    ) -> (ComputeSubnetworkRef, VpcAccessConnectorRef) {
        let project = &self.project;
        let block = format!("{}_{}", block_name(&self.name), block_name(&plan.region));
        let subnet = stack.add(
            &block,
            ComputeSubnetwork::new(format!("{}-{}", self.name, plan.region), vpc.id())
                .project(project.id())
                .region(plan.region.as_str())
                .ip_cidr_range(plan.subnet_cidr.as_str())
                .private_ip_google_access(true)
                .log_config(
                    ComputeSubnetworkLogConfig::new()
                        .aggregation_interval("INTERVAL_5_SEC")
                        .flow_sampling(0.5)
                        .metadata("INCLUDE_ALL_METADATA"),
                ),
        );
        let connector = stack.add_with(
            &block,
            VpcAccessConnector::new(connector_name(&self.name, &plan.region))
                .project(project.id())
                .region(plan.region.as_str())
                .network(vpc.name())
                .ip_cidr_range(plan.connector_cidr.as_str())
                .machine_type("e2-micro")
                .min_instances(self.connector_instances.0)
                .max_instances(self.connector_instances.1),
            project.after(stack, &[apis::VPC_ACCESS]),
        );
        (subnet, connector)
    }

    /// The implied rules already deny ingress; this one makes it explicit and logged.
    /// Connectors add their own allow rules at a higher priority.
    fn add_deny_all_ingress(&self, stack: &mut Stack, vpc: &ComputeNetworkRef) {
        stack.add(
            &format!("{}_deny_all_ingress", block_name(&self.name)),
            ComputeFirewall::new(format!("{}-deny-all-ingress", self.name), vpc.id())
                .project(self.project.id())
                .direction("INGRESS")
                .priority(65534)
                .source_ranges(["0.0.0.0/0"])
                .deny(ComputeFirewallDeny::new("all"))
                .log_config(ComputeFirewallLogConfig::new("INCLUDE_ALL_METADATA")),
        );
    }

    /// The reserved range of private service access and its peering with Google.
    fn add_private_service_access(
        &self,
        stack: &mut Stack,
        vpc: &ComputeNetworkRef,
    ) -> (ComputeGlobalAddressRef, ServiceNetworkingConnectionRef) {
        let project = &self.project;
        let base = block_name(&self.name);
        let range = stack.add(
            &format!("{base}_private_services"),
            ComputeGlobalAddress::new(format!("{}-private-services", self.name))
                .project(project.id())
                .purpose("VPC_PEERING")
                .address_type("INTERNAL")
                .address(self.service_range.0.as_str())
                .prefix_length(self.service_range.1)
                .network(vpc.id()),
        );
        let peering = stack.add_with(
            &base,
            ServiceNetworkingConnection::new(ServiceNetworkingConnectionArgs {
                network: vpc.id().into(),
                service: "servicenetworking.googleapis.com".into(),
                reserved_peering_ranges: vec![range.name()].into(),
            }),
            project.after(stack, &[apis::SERVICE_NETWORKING]),
        );
        (range, peering)
    }

    /// Reports a range that is not a strict IPv4 CIDR, and every two ranges that overlap.
    fn check_ranges(
        &self,
        stack: &mut Stack,
        subnets: &BTreeMap<String, ComputeSubnetworkRef>,
        connectors: &BTreeMap<String, VpcAccessConnectorRef>,
        range_address: &str,
    ) {
        // (address, field, cidr text, what it is)
        let mut ranges: Vec<(String, &str, String, String)> = Vec::new();
        for plan in &self.regions {
            if let Some(subnet) = subnets.get(&plan.region) {
                ranges.push((
                    subnet.address(),
                    "ip_cidr_range",
                    plan.subnet_cidr.clone(),
                    format!("subnet of {}", plan.region),
                ));
            }
            if let Some(connector) = connectors.get(&plan.region) {
                ranges.push((
                    connector.address(),
                    "ip_cidr_range",
                    plan.connector_cidr.clone(),
                    format!("connector of {}", plan.region),
                ));
            }
        }
        ranges.push((
            range_address.to_string(),
            "address",
            format!("{}/{}", self.service_range.0, self.service_range.1),
            "private service access range".to_string(),
        ));
        let parsed: Vec<_> = ranges.iter().map(|r| Ipv4Cidr::parse(&r.2)).collect();
        for (i, (address, field, cidr, _)) in ranges.iter().enumerate() {
            let a = match &parsed[i] {
                Ok(a) => a,
                Err(e) => {
                    stack.report(address, field, e.to_string());
                    continue;
                }
            };
            for (j, (_, _, other, what)) in ranges.iter().enumerate().take(i) {
                if parsed[j].as_ref().is_ok_and(|b| a.overlaps(b)) {
                    stack.report(address, field, format!("{cidr} overlaps {other} ({what})"));
                }
            }
        }
    }
}

/// Connector names are at most 25 characters, lowercase letters, digits and dashes.
fn connector_name(network: &str, region: &str) -> String {
    let short: String = region
        .split('-')
        .map(|part| {
            let letters: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .take(2)
                .collect();
            let digits: String = part.chars().filter(|c| c.is_ascii_digit()).collect();
            format!("{letters}{digits}")
        })
        .collect();
    let mut name = format!("{network}-{short}");
    name.truncate(25);
    name.trim_end_matches('-').to_string()
}

/// The declared network: VPC, subnets and connectors by region, and the peering that
/// private Cloud SQL instances wait for.
#[derive(Debug, Clone)]
pub struct PrivateNetworkHandle {
    vpc: ComputeNetworkRef,
    subnets: BTreeMap<String, ComputeSubnetworkRef>,
    connectors: BTreeMap<String, VpcAccessConnectorRef>,
    peering: ServiceNetworkingConnectionRef,
}

impl PrivateNetworkHandle {
    /// The VPC's id (`projects/<p>/global/networks/<name>`).
    pub fn id(&self) -> Expr<String> {
        self.vpc.id()
    }
    /// The VPC's self link.
    pub fn self_link(&self) -> Expr<String> {
        self.vpc.self_link()
    }
    /// The VPC handle.
    pub fn vpc(&self) -> &ComputeNetworkRef {
        &self.vpc
    }
    /// The subnet of a region.
    pub fn subnet(&self, region: &str) -> Option<&ComputeSubnetworkRef> {
        self.subnets.get(region)
    }
    /// The connector id of a region, for Cloud Run's `vpc_access.connector`.
    pub fn connector(&self, region: &str) -> Option<Expr<String>> {
        self.connectors.get(region).map(|c| c.id())
    }
    /// Every region's connector id.
    pub fn connectors(&self) -> BTreeMap<String, Expr<String>> {
        self.connectors
            .iter()
            .map(|(r, c)| (r.clone(), c.id()))
            .collect()
    }
    /// The private service access peering (Cloud SQL instances depend on it).
    pub fn peering(&self) -> &ServiceNetworkingConnectionRef {
        &self.peering
    }
}
