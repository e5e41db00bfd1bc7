//! `PrivateNetwork`: a VPC with one subnet per region, private service access for
//! Cloud SQL and a Serverless VPC Access connector per region for Cloud Run.

use std::collections::BTreeMap;

use terrane_core::{Expr, GenericResource, Handle, Stack, Tree};

use crate::compute::{
    ComputeGlobalAddress, ComputeNetwork, ComputeNetworkRef, ComputeSubnetwork,
    ComputeSubnetworkLogConfig, ComputeSubnetworkRef,
};
use crate::service_networking::{
    ServiceNetworkingConnection, ServiceNetworkingConnectionArgs, ServiceNetworkingConnectionRef,
};
use crate::vpc_access::{VpcAccessConnector, VpcAccessConnectorRef};

use super::{apis, block_name, Project};

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
/// Checked at synth: a range that is not an IPv4 CIDR, and overlapping ranges
/// (subnets, connectors and the private service access range).
///
/// ```
/// use terrane_core::Stack;
/// use terrane_gcp::constructs::{PrivateNetwork, ProjectServices};
/// let mut stack = Stack::new("foundation");
/// let project = ProjectServices::new("acme-prod").add_to(&mut stack);
/// let net = PrivateNetwork::new("prod")
///     .region("us-central1", "10.10.0.0/20", "10.8.0.0/28")
///     .region("us-east1", "10.11.0.0/20", "10.8.0.16/28")
///     .add_to(&mut stack, &project);
/// assert!(net.connector("us-east1").is_some());
/// assert!(net.connector("europe-west1").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct PrivateNetwork {
    name: String,
    regions: Vec<RegionPlan>,
    service_range: (String, u32),
    connector_instances: (u32, u32),
}

impl PrivateNetwork {
    /// A network named `<name>-vpc`, with no regions yet.
    pub fn new(name: &str) -> Self {
        PrivateNetwork {
            name: name.to_string(),
            regions: Vec::new(),
            service_range: ("10.100.0.0".to_string(), 16),
            connector_instances: (2, 3),
        }
    }

    /// A region: its subnet's range and the /28 of its Serverless VPC Access connector.
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

    /// Declares the network's resources in `stack`.
    pub fn add_to(self, stack: &mut Stack, project: &Project) -> Network {
        let base = block_name(&self.name);
        let vpc = stack.add_with(
            &base,
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
            let region_name = block_name(&plan.region);
            let subnet = stack.add(
                &format!("{base}_{region_name}"),
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
                &format!("{base}_{region_name}"),
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
            subnets.insert(plan.region.clone(), subnet);
            connectors.insert(plan.region.clone(), connector);
        }
        // The implied rules already deny ingress; this one makes it explicit and logged.
        // Connectors add their own allow rules at a higher priority.
        // google_compute_firewall is not among the generated types, hence GenericResource.
        stack.add(
            &format!("{base}_deny_all_ingress"),
            GenericResource::new("google_compute_firewall")
                .provider(crate::required_provider())
                .arg("name", format!("{}-deny-all-ingress", self.name))
                .arg("project", project.id())
                .arg("network", vpc.id())
                .arg("direction", "INGRESS")
                .arg("priority", 65534)
                .arg("source_ranges", Tree::list([Tree::from("0.0.0.0/0")]))
                .arg(
                    "deny",
                    Tree::list([Tree::object([("protocol", Tree::from("all"))])]),
                )
                .arg(
                    "log_config",
                    Tree::object([("metadata", Tree::from("INCLUDE_ALL_METADATA"))]),
                ),
        );
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
        self.check_ranges(stack, &subnets, &connectors, &range.address());
        Network {
            vpc,
            subnets,
            connectors,
            peering,
        }
    }
}

impl PrivateNetwork {
    /// Reports a range that is not an IPv4 CIDR, and every two ranges that overlap.
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
        let parsed: Vec<Option<(u32, u32)>> = ranges.iter().map(|r| parse_cidr(&r.2)).collect();
        for (i, (address, field, cidr, _)) in ranges.iter().enumerate() {
            let Some(a) = parsed[i] else {
                stack.report(
                    address,
                    field,
                    format!("`{cidr}` is not an IPv4 CIDR range"),
                );
                continue;
            };
            for (j, (_, _, other, what)) in ranges.iter().enumerate().take(i) {
                if let Some(b) = parsed[j] {
                    if a.0 <= b.1 && b.0 <= a.1 {
                        stack.report(address, field, format!("{cidr} overlaps {other} ({what})"));
                    }
                }
            }
        }
    }
}

/// First and last address of an IPv4 CIDR range.
fn parse_cidr(cidr: &str) -> Option<(u32, u32)> {
    let (ip, prefix) = cidr.split_once('/')?;
    let prefix: u32 = prefix.parse().ok().filter(|p| *p <= 32)?;
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    let size = if prefix == 0 {
        u32::MAX
    } else {
        (1u32 << (32 - prefix)) - 1
    };
    let first = u32::from(ip) & !size;
    Some((first, first | size))
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
pub struct Network {
    vpc: ComputeNetworkRef,
    subnets: BTreeMap<String, ComputeSubnetworkRef>,
    connectors: BTreeMap<String, VpcAccessConnectorRef>,
    peering: ServiceNetworkingConnectionRef,
}

impl Network {
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
