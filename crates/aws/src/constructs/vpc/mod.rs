//! `Vpc`: a VPC split across availability zones into public, private and isolated
//! database subnets, with internet and NAT gateways, routes and flow logs.

mod flow_logs;
mod layout;
mod routing;

use std::collections::BTreeMap;

use terrane_core::construct::{address, block_name, Construct, Ipv4Cidr};
use terrane_core::{Expr, Stack, Value};

use crate::vpc::{DefaultSecurityGroup, Subnet, SubnetRef, Vpc as VpcResource, VpcRef};
use layout::{LayoutInput, Tier};

/// How private subnets reach the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatGateways {
    /// One NAT gateway per availability zone: a zone outage does not cut the others off (production).
    PerAz,
    /// One shared NAT gateway (staging: cheaper, one zone is a single point of failure).
    Single,
    /// No NAT: private subnets have no route to the internet.
    None,
}

/// A VPC across N availability zones (default 3).
///
/// Defaults: DNS support and hostnames on; for a `/16`, private `/19`s, public `/22`s and
/// isolated database `/24`s (no route to the internet); one NAT gateway per zone; public
/// subnets never assign public IPs on launch; the default security group denies all
/// traffic; flow logs of all traffic to a CloudWatch log group kept for a year.
/// Subnets carry the tags the AWS load balancer controller looks for.
///
/// Subnet CIDRs may be given explicitly. Checked at synth: a VPC or subnet CIDR that is
/// not a strict IPv4 network ([`Ipv4Cidr`]: no host bits, no leading zeros), subnets
/// outside the VPC and overlapping subnets.
///
/// ```
/// use terrane_aws::constructs::{NatGateways, Vpc};
/// use terrane_core::construct::Construct;
/// use terrane_core::Stack;
/// let mut s = Stack::new("network");
/// let vpc = Vpc::new("staging", "10.20.0.0/16", "us-east-1")
///     .azs(2)
///     .nat_gateways(NatGateways::Single)
///     .eks_cluster("staging")
///     .add_to(&mut s);
/// assert_eq!(vpc.public_subnet_cidrs(), vec!["10.20.128.0/22", "10.20.132.0/22"]);
/// assert_eq!(vpc.nat_gateway_count(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Vpc {
    name: String,
    cidr: String,
    region: String,
    zones: Vec<String>,
    nat: NatGateways,
    database_subnets: bool,
    eks_clusters: Vec<String>,
    flow_log_retention_days: u32,
    flow_log_key: Option<Value<String>>,
    explicit: BTreeMap<&'static str, Vec<String>>,
    tags: BTreeMap<String, String>,
}

/// A declared [`Vpc`].
#[derive(Debug, Clone)]
pub struct VpcHandle {
    vpc: VpcRef,
    public_subnets: Vec<SubnetRef>,
    private_subnets: Vec<SubnetRef>,
    database_subnets: Vec<SubnetRef>,
    zones: Vec<String>,
    nat_gateway_count: usize,
    cidrs: BTreeMap<&'static str, Vec<String>>,
    cidr: String,
}

impl VpcHandle {
    /// The VPC resource.
    pub fn vpc(&self) -> &VpcRef {
        &self.vpc
    }
    /// Public subnets, one per zone.
    pub fn public_subnets(&self) -> &[SubnetRef] {
        &self.public_subnets
    }
    /// Private subnets (NAT egress), one per zone.
    pub fn private_subnets(&self) -> &[SubnetRef] {
        &self.private_subnets
    }
    /// Isolated database subnets, one per zone (empty when left out).
    pub fn database_subnets(&self) -> &[SubnetRef] {
        &self.database_subnets
    }
    /// The availability zones, in subnet order.
    pub fn zones(&self) -> &[String] {
        &self.zones
    }
    /// How many NAT gateways were declared.
    pub fn nat_gateway_count(&self) -> usize {
        self.nat_gateway_count
    }
    /// The VPC id.
    pub fn id(&self) -> Expr<String> {
        self.vpc.id()
    }
    /// The VPC CIDR as written.
    pub fn cidr(&self) -> &str {
        &self.cidr
    }
    /// The VPC CIDR as an expression (for security group rules).
    pub fn cidr_block(&self) -> Expr<String> {
        self.vpc.cidr_block()
    }
    /// Ids of the private subnets.
    pub fn private_subnet_ids(&self) -> Vec<Value<String>> {
        self.private_subnets.iter().map(|s| s.id().into()).collect()
    }
    /// Ids of the public subnets.
    pub fn public_subnet_ids(&self) -> Vec<Value<String>> {
        self.public_subnets.iter().map(|s| s.id().into()).collect()
    }
    /// Ids of the database subnets.
    pub fn database_subnet_ids(&self) -> Vec<Value<String>> {
        self.database_subnets
            .iter()
            .map(|s| s.id().into())
            .collect()
    }
    /// CIDRs of the private subnets.
    pub fn private_subnet_cidrs(&self) -> Vec<String> {
        self.cidrs.get("private").cloned().unwrap_or_default()
    }
    /// CIDRs of the public subnets.
    pub fn public_subnet_cidrs(&self) -> Vec<String> {
        self.cidrs.get("public").cloned().unwrap_or_default()
    }
    /// CIDRs of the database subnets.
    pub fn database_subnet_cidrs(&self) -> Vec<String> {
        self.cidrs.get("database").cloned().unwrap_or_default()
    }
}

impl Vpc {
    /// A VPC named `name` with `cidr` in `region`, over its zones `a`, `b` and `c`.
    pub fn new(name: &str, cidr: &str, region: &str) -> Self {
        Vpc {
            name: name.to_string(),
            cidr: cidr.to_string(),
            region: region.to_string(),
            zones: ["a", "b", "c"]
                .iter()
                .map(|z| format!("{region}{z}"))
                .collect(),
            nat: NatGateways::PerAz,
            database_subnets: true,
            eks_clusters: Vec::new(),
            flow_log_retention_days: 365,
            flow_log_key: None,
            explicit: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }
    /// Uses the first `n` zones of the region (`a` to `f`; at least one).
    pub fn azs(mut self, n: usize) -> Self {
        self.zones = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .take(n)
            .map(|z| format!("{}{z}", self.region))
            .collect();
        self
    }
    /// Uses exactly these zones.
    pub fn zones<S: Into<String>>(mut self, zones: impl IntoIterator<Item = S>) -> Self {
        self.zones = zones.into_iter().map(Into::into).collect();
        self
    }
    /// NAT gateway layout.
    pub fn nat_gateways(mut self, nat: NatGateways) -> Self {
        self.nat = nat;
        self
    }
    /// Leaves out the isolated database subnets.
    pub fn without_database_subnets(mut self) -> Self {
        self.database_subnets = false;
        self
    }
    /// Tags the subnets for an EKS cluster of this name (`kubernetes.io/cluster/NAME`).
    pub fn eks_cluster(mut self, name: &str) -> Self {
        self.eks_clusters.push(name.to_string());
        self
    }
    /// Days the flow logs are kept.
    pub fn flow_log_retention_days(mut self, days: u32) -> Self {
        self.flow_log_retention_days = days;
        self
    }
    /// KMS key (ARN) encrypting the flow log group.
    pub fn flow_log_key(mut self, arn: impl Into<Value<String>>) -> Self {
        self.flow_log_key = Some(arn.into());
        self
    }
    /// Explicit public subnet CIDRs, one per zone.
    pub fn public_subnet_cidrs<S: Into<String>>(self, cidrs: impl IntoIterator<Item = S>) -> Self {
        self.explicit_cidrs(Tier::Public, cidrs)
    }
    /// Explicit private subnet CIDRs, one per zone.
    pub fn private_subnet_cidrs<S: Into<String>>(self, cidrs: impl IntoIterator<Item = S>) -> Self {
        self.explicit_cidrs(Tier::Private, cidrs)
    }
    /// Explicit database subnet CIDRs, one per zone.
    pub fn database_subnet_cidrs<S: Into<String>>(
        self,
        cidrs: impl IntoIterator<Item = S>,
    ) -> Self {
        self.explicit_cidrs(Tier::Database, cidrs)
    }
    fn explicit_cidrs<S: Into<String>>(
        mut self,
        tier: Tier,
        cidrs: impl IntoIterator<Item = S>,
    ) -> Self {
        self.explicit
            .insert(tier.name(), cidrs.into_iter().map(Into::into).collect());
        self
    }
    /// Extra tags on every resource.
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.to_string(), v.to_string());
        self
    }

    fn subnet_tags(&self, tier: Tier, i: usize) -> BTreeMap<String, String> {
        let mut t = super::tags(
            &format!("{}-{}-{}", self.name, tier.name(), self.zones[i]),
            &self.tags,
        );
        t.insert("tier".into(), tier.name().into());
        match tier {
            Tier::Public => {
                t.insert("kubernetes.io/role/elb".into(), "1".into());
            }
            Tier::Private => {
                t.insert("kubernetes.io/role/internal-elb".into(), "1".into());
            }
            Tier::Database => {}
        }
        if tier != Tier::Database {
            for c in &self.eks_clusters {
                t.insert(format!("kubernetes.io/cluster/{c}"), "shared".into());
            }
        }
        t
    }
}

impl Vpc {
    /// The tiers declared, in order.
    fn tiers(&self) -> Vec<Tier> {
        let mut tiers = vec![Tier::Public, Tier::Private];
        if self.database_subnets {
            tiers.push(Tier::Database);
        }
        tiers
    }

    /// A VPC with no zone would have no subnets, and a zone named "" is none.
    fn check_zones(&self, stack: &mut Stack) {
        let addr = address("aws_vpc", &self.name);
        if self.zones.is_empty() {
            stack.report(
                &addr,
                "zones",
                "a VPC needs at least one availability zone; none given (azs(n) takes n from 1 to 6)",
            );
        } else if self.zones.iter().any(|z| z.trim().is_empty()) {
            stack.report(&addr, "zones", "an availability zone name is empty");
        }
    }

    /// Parses the VPC CIDR, reporting it at the VPC when it is not a strict network.
    fn parsed_cidr(&self, stack: &mut Stack) -> Option<Ipv4Cidr> {
        match Ipv4Cidr::parse(&self.cidr) {
            Ok(c) => Some(c),
            Err(e) => {
                stack.report(&address("aws_vpc", &self.name), "cidr_block", e.to_string());
                None
            }
        }
    }

    /// The VPC and its default security group, adopted with no rules.
    fn declare_vpc(&self, stack: &mut Stack, id: &str) -> VpcRef {
        let vpc = stack.add(
            id,
            VpcResource::new()
                .cidr_block(self.cidr.as_str())
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .tags(super::tags(&self.name, &self.tags)),
        );
        // The default security group of a VPC allows all traffic between its members;
        // adopting it with no rules makes it deny everything.
        stack.add(
            &format!("{id}_default"),
            DefaultSecurityGroup::new()
                .vpc_id(vpc.id())
                .tags(super::tags(
                    &format!("{}-default-deny", self.name),
                    &self.tags,
                )),
        );
        vpc
    }

    /// One subnet per planned CIDR of `tier`, in zone order.
    fn declare_subnets(
        &self,
        stack: &mut Stack,
        id: &str,
        vpc: &VpcRef,
        tier: Tier,
        cidrs: &[String],
    ) -> Vec<SubnetRef> {
        cidrs
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let zone = self.zones.get(i).cloned().unwrap_or_default();
                stack.add(
                    &format!("{id}_{}_{i}", tier.name()),
                    Subnet::new(vpc.id())
                        .cidr_block(c.as_str())
                        .availability_zone(zone)
                        .map_public_ip_on_launch(false)
                        .tags(self.subnet_tags(tier, i.min(self.zones.len().saturating_sub(1)))),
                )
            })
            .collect()
    }
}

impl Construct for Vpc {
    type Handle = VpcHandle;

    /// Adds the VPC and everything in it.
    fn add_to(self, stack: &mut Stack) -> VpcHandle {
        let id = block_name(&self.name);
        self.check_zones(stack);
        let parsed = self.parsed_cidr(stack);
        let vpc = self.declare_vpc(stack, &id);
        let tiers = self.tiers();
        let cidrs = layout::plan(
            stack,
            &LayoutInput {
                name: &self.name,
                cidr: &self.cidr,
                parsed,
                zones: self.zones.len(),
                explicit: &self.explicit,
            },
            &tiers,
        );
        let mut subnets: BTreeMap<&'static str, Vec<SubnetRef>> = BTreeMap::new();
        for &tier in &tiers {
            let list = cidrs.get(tier.name()).cloned().unwrap_or_default();
            let refs = self.declare_subnets(stack, &id, &vpc, tier, &list);
            subnets.insert(tier.name(), refs);
        }
        let public = subnets.remove("public").unwrap_or_default();
        let private = subnets.remove("private").unwrap_or_default();
        let database = subnets.remove("database").unwrap_or_default();

        self.route_public(stack, &id, &vpc, &public);
        let nat_gateway_count = self.route_private(stack, &id, &vpc, &public, &private);
        self.route_database(stack, &id, &vpc, &database);
        self.flow_logs(stack, &id, &vpc);

        VpcHandle {
            vpc,
            public_subnets: public,
            private_subnets: private,
            database_subnets: database,
            zones: self.zones,
            nat_gateway_count,
            cidrs,
            cidr: self.cidr,
        }
    }
}

#[cfg(test)]
mod tests;
