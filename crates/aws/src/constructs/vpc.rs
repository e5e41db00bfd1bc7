//! `Vpc`: a VPC split across availability zones into public, private and isolated
//! database subnets, with internet and NAT gateways, routes and flow logs.

use std::collections::BTreeMap;

use terrane_core::{Expr, GenericResource, Stack, Value};

use super::cidr::Ipv4Cidr;
use super::policy::{policy_document, PolicyStatement};
use crate::cloudwatch::CloudwatchLogGroup;
use crate::iam::{IamRole, IamRolePolicy};
use crate::vpc::{
    Eip, FlowLog, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet,
    SubnetRef, Vpc as VpcResource, VpcRef,
};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Public,
    Private,
    Database,
}

impl Tier {
    fn name(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
            Tier::Database => "database",
        }
    }
    /// Default layout inside the VPC CIDR: private subnets take the first half (large,
    /// for pod IPs), public and database subnets small blocks of the second half.
    fn default_cidr(self, vpc: &Ipv4Cidr, i: u32) -> Option<Ipv4Cidr> {
        match self {
            Tier::Private => vpc.subnet(3, i),
            Tier::Public => vpc.subnet(6, 32 + i),
            Tier::Database => vpc.subnet(8, 160 + i),
        }
    }
}

/// A VPC across N availability zones (default 3).
///
/// Defaults: DNS support and hostnames on; for a `/16`, private `/19`s, public `/22`s and
/// isolated database `/24`s (no route to the internet); one NAT gateway per zone; public
/// subnets never assign public IPs on launch; the default security group denies all
/// traffic; flow logs of all traffic to a CloudWatch log group kept for a year.
/// Subnets carry the tags the AWS load balancer controller looks for.
///
/// Subnet CIDRs may be given explicitly; overlapping CIDRs and CIDRs outside the VPC
/// are reported at synth.
///
/// ```
/// use terrane_aws::constructs::{NatGateways, Vpc};
/// use terrane_core::Stack;
/// let mut s = Stack::new("network");
/// let vpc = Vpc::new("staging", "10.20.0.0/16", "us-east-1")
///     .azs(2)
///     .nat_gateways(NatGateways::Single)
///     .eks_cluster("staging")
///     .build(&mut s);
/// assert_eq!(vpc.public_subnet_cidrs(), vec!["10.20.128.0/22", "10.20.132.0/22"]);
/// assert_eq!(vpc.nat_gateway_count, 1);
/// ```
#[derive(Debug, Clone)]
pub struct Vpc {
    name: String,
    cidr: String,
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
    /// The VPC.
    pub vpc: VpcRef,
    /// Public subnets, one per zone.
    pub public_subnets: Vec<SubnetRef>,
    /// Private subnets (NAT egress), one per zone.
    pub private_subnets: Vec<SubnetRef>,
    /// Isolated database subnets, one per zone (empty when turned off).
    pub database_subnets: Vec<SubnetRef>,
    /// The availability zones, in subnet order.
    pub zones: Vec<String>,
    /// How many NAT gateways were declared.
    pub nat_gateway_count: usize,
    cidrs: BTreeMap<&'static str, Vec<String>>,
    cidr: String,
}

impl VpcHandle {
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
    /// Uses the first `n` zones of the region (`a`, `b`, `c`, `d`).
    pub fn azs(mut self, n: usize) -> Self {
        let region = self
            .zones
            .first()
            .map(|z| z[..z.len() - 1].to_string())
            .unwrap_or_default();
        self.zones = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .take(n)
            .map(|z| format!("{region}{z}"))
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

    /// Adds the VPC and everything in it.
    pub fn build(self, stack: &mut Stack) -> VpcHandle {
        let id = super::ident(&self.name);
        let vpc_addr = format!("aws_vpc.{id}");
        let vpc_cidr = Ipv4Cidr::parse(&self.cidr);
        if vpc_cidr.is_none() {
            stack.report(
                &vpc_addr,
                "cidr_block",
                format!("`{}` is not an IPv4 CIDR block", self.cidr),
            );
        }
        let vpc = stack.add(
            &id,
            VpcResource::new()
                .cidr_block(self.cidr.as_str())
                .enable_dns_support(true)
                .enable_dns_hostnames(true)
                .tags(super::tags(&self.name, &self.tags)),
        );
        // The default security group of a VPC allows all traffic between its members;
        // adopting it with no rules makes it deny everything. (Not generated:
        // aws_default_security_group is not in schemas/include.json.)
        stack.add(
            &format!("{id}_default"),
            GenericResource::new("aws_default_security_group")
                .provider(crate::required_provider())
                .arg("vpc_id", vpc.id())
                .arg_value(
                    "tags",
                    Value::from(super::tags(
                        &format!("{}-default-deny", self.name),
                        &self.tags,
                    )),
                ),
        );

        // subnet CIDRs: explicit or the default layout, then checked together
        let mut tiers = vec![Tier::Public, Tier::Private];
        if self.database_subnets {
            tiers.push(Tier::Database);
        }
        let mut cidrs: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut seen: Vec<(String, Ipv4Cidr)> = Vec::new();
        for &tier in &tiers {
            let list: Vec<String> = match self.explicit.get(tier.name()) {
                Some(l) => l.clone(),
                None => (0..self.zones.len())
                    .map(|i| {
                        vpc_cidr
                            .and_then(|v| tier.default_cidr(&v, i as u32))
                            .map(|c| c.to_string())
                            .unwrap_or_default()
                    })
                    .collect(),
            };
            for (i, c) in list.iter().enumerate() {
                let addr = format!("aws_subnet.{id}_{}_{i}", tier.name());
                let Some(parsed) = Ipv4Cidr::parse(c) else {
                    stack.report(
                        &addr,
                        "cidr_block",
                        format!("`{c}` is not an IPv4 CIDR block"),
                    );
                    continue;
                };
                if let Some(v) = vpc_cidr {
                    if !v.contains(&parsed) {
                        stack.report(
                            &addr,
                            "cidr_block",
                            format!("subnet CIDR {c} is outside the VPC CIDR {}", self.cidr),
                        );
                    }
                }
                for (other_addr, other) in &seen {
                    if parsed.overlaps(other) {
                        stack.report(
                            &addr,
                            "cidr_block",
                            format!("subnet CIDR {c} overlaps {other} of {other_addr}"),
                        );
                    }
                }
                seen.push((addr, parsed));
            }
            cidrs.insert(tier.name(), list);
        }

        let mut subnets: BTreeMap<&'static str, Vec<SubnetRef>> = BTreeMap::new();
        for &tier in &tiers {
            let list = cidrs.get(tier.name()).cloned().unwrap_or_default();
            let refs = list
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
                            .tags(
                                self.subnet_tags(tier, i.min(self.zones.len().saturating_sub(1))),
                            ),
                    )
                })
                .collect();
            subnets.insert(tier.name(), refs);
        }
        let public = subnets.remove("public").unwrap_or_default();
        let private = subnets.remove("private").unwrap_or_default();
        let database = subnets.remove("database").unwrap_or_default();

        // public routing through the internet gateway
        let igw = stack.add(
            &id,
            InternetGateway::new()
                .vpc_id(vpc.id())
                .tags(super::tags(&self.name, &self.tags)),
        );
        let public_rt = stack.add(
            &format!("{id}_public"),
            RouteTable::new(vpc.id())
                .tags(super::tags(&format!("{}-public", self.name), &self.tags)),
        );
        stack.add(
            &format!("{id}_public_internet"),
            Route::new(public_rt.id())
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(igw.id()),
        );
        for (i, s) in public.iter().enumerate() {
            stack.add(
                &format!("{id}_public_{i}"),
                RouteTableAssociation::new(public_rt.id()).subnet_id(s.id()),
            );
        }

        // NAT gateways in public subnets, private route tables per NAT
        let nat_count = match self.nat {
            NatGateways::PerAz => public.len(),
            NatGateways::Single => public.len().min(1),
            NatGateways::None => 0,
        };
        let mut nats = Vec::new();
        for (i, subnet) in public.iter().enumerate().take(nat_count) {
            let eip = stack.add(
                &format!("{id}_nat_{i}"),
                Eip::new()
                    .domain("vpc")
                    .tags(super::tags(&format!("{}-nat-{i}", self.name), &self.tags)),
            );
            nats.push(
                stack.add(
                    &format!("{id}_{i}"),
                    NatGateway::new(subnet.id())
                        .allocation_id(eip.id())
                        .tags(super::tags(&format!("{}-{i}", self.name), &self.tags)),
                ),
            );
        }
        for (i, s) in private.iter().enumerate() {
            let rt = stack.add(
                &format!("{id}_private_{i}"),
                RouteTable::new(vpc.id()).tags(super::tags(
                    &format!("{}-private-{i}", self.name),
                    &self.tags,
                )),
            );
            if !nats.is_empty() {
                let nat = &nats[i % nats.len()];
                stack.add(
                    &format!("{id}_private_{i}_internet"),
                    Route::new(rt.id())
                        .destination_cidr_block("0.0.0.0/0")
                        .nat_gateway_id(nat.id()),
                );
            }
            stack.add(
                &format!("{id}_private_{i}"),
                RouteTableAssociation::new(rt.id()).subnet_id(s.id()),
            );
        }
        if !database.is_empty() {
            let rt = stack.add(
                &format!("{id}_database"),
                RouteTable::new(vpc.id())
                    .tags(super::tags(&format!("{}-database", self.name), &self.tags)),
            );
            for (i, s) in database.iter().enumerate() {
                stack.add(
                    &format!("{id}_database_{i}"),
                    RouteTableAssociation::new(rt.id()).subnet_id(s.id()),
                );
            }
        }

        // flow logs to CloudWatch
        let mut group = CloudwatchLogGroup::new()
            .name(format!("/vpc/{}/flow-logs", self.name))
            .retention_in_days(self.flow_log_retention_days)
            .tags(super::tags(&format!("{}-flow-logs", self.name), &self.tags));
        if let Some(k) = &self.flow_log_key {
            group = group.kms_key_id(k.clone());
        }
        let group = stack.add(&format!("{id}_flow_logs"), group);
        let trust = super::policy::assume_role_policy(
            stack,
            &format!("{id}_flow_logs_assume"),
            "vpc-flow-logs.amazonaws.com",
        );
        let role = stack.add(
            &format!("{id}_flow_logs"),
            IamRole::new(trust).name(format!("{}-flow-logs", self.name)),
        );
        let write = policy_document(
            stack,
            &format!("{id}_flow_logs_write"),
            &[PolicyStatement::allow([
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ])
            .resource(terrane_core::tmpl!("{}:*", group.arn()))],
        );
        stack.add(
            &format!("{id}_flow_logs"),
            IamRolePolicy::new(write, role.id()).name("write-flow-logs"),
        );
        stack.add(
            &id,
            FlowLog::new()
                .vpc_id(vpc.id())
                .traffic_type("ALL")
                .log_destination_type("cloud-watch-logs")
                .log_destination(group.arn())
                .iam_role_arn(role.arn())
                .max_aggregation_interval(60)
                .tags(super::tags(&format!("{}-flow-logs", self.name), &self.tags)),
        );

        VpcHandle {
            vpc,
            public_subnets: public,
            private_subnets: private,
            database_subnets: database,
            zones: self.zones,
            nat_gateway_count: nat_count,
            cidrs,
            cidr: self.cidr,
        }
    }
}
