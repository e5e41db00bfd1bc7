//! The subnet layout of a [`Vpc`](super::Vpc): tiers, the default CIDR of each subnet,
//! and the checks of explicit CIDRs (syntax, inside the VPC, no overlap).

use std::collections::BTreeMap;

use terrane_core::construct::{address, Ipv4Cidr};
use terrane_core::Stack;

/// The three kinds of subnet a VPC is split into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tier {
    Public,
    Private,
    Database,
}

impl Tier {
    pub(super) fn name(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
            Tier::Database => "database",
        }
    }
    /// Default layout inside the VPC CIDR: private subnets take the first half (large,
    /// for pod IPs), public and database subnets small blocks of the second half.
    fn default_cidr(self, vpc: &Ipv4Cidr, i: u32) -> Option<Ipv4Cidr> {
        vpc.subnet(self.new_bits(), self.first_default() + i)
    }
    /// How much smaller than the VPC each default subnet of the tier is.
    fn new_bits(self) -> u8 {
        match self {
            Tier::Private => 3,
            Tier::Public => 6,
            Tier::Database => 8,
        }
    }
    /// The `cidrsubnet` number of the tier's first default subnet.
    fn first_default(self) -> u32 {
        match self {
            Tier::Private => 0,
            Tier::Public => 32,
            Tier::Database => 160,
        }
    }
    /// How many default subnets of the tier fit (the tiers' blocks do not overlap).
    fn default_capacity(self) -> u32 {
        match self {
            Tier::Private => 4,
            Tier::Public => 8,
            Tier::Database => 96,
        }
    }
}

/// What the layout is computed from.
pub(super) struct LayoutInput<'a> {
    /// The VPC's name (its subnets' block names start with it).
    pub(super) name: &'a str,
    /// The VPC CIDR as written.
    pub(super) cidr: &'a str,
    /// The VPC CIDR, when it parsed (its problem is reported where it is declared).
    pub(super) parsed: Option<Ipv4Cidr>,
    /// How many zones (subnets per tier).
    pub(super) zones: usize,
    /// CIDRs given explicitly, by tier name.
    pub(super) explicit: &'a BTreeMap<&'static str, Vec<String>>,
}

/// The subnet CIDRs of each tier (explicit or the default layout), checked together:
/// each one must parse, lie inside the VPC and overlap no other. A default CIDR that
/// cannot be computed because the VPC CIDR itself is wrong is not reported again.
pub(super) fn plan(
    stack: &mut Stack,
    input: &LayoutInput<'_>,
    tiers: &[Tier],
) -> BTreeMap<&'static str, Vec<String>> {
    let mut cidrs = BTreeMap::new();
    let mut seen: Vec<(String, Ipv4Cidr)> = Vec::new();
    let mut parsed = input.parsed;
    if let Some(problem) = parsed.and_then(|v| default_layout_problem(input, &v, tiers)) {
        // One error at the cause; the default subnets are then left unchecked.
        stack.report(&address("aws_vpc", input.name), "cidr_block", problem);
        parsed = None;
    }
    let input = &LayoutInput { parsed, ..*input };
    for &tier in tiers {
        let explicit = input.explicit.get(tier.name());
        let list: Vec<String> = match explicit {
            Some(l) => l.clone(),
            None => (0..input.zones)
                .map(|i| {
                    input
                        .parsed
                        .and_then(|v| tier.default_cidr(&v, i as u32))
                        .map(|c| c.to_string())
                        .unwrap_or_default()
                })
                .collect(),
        };
        if explicit.is_some() || input.parsed.is_some() {
            for (i, c) in list.iter().enumerate() {
                let addr = address("aws_subnet", &format!("{}_{}_{i}", input.name, tier.name()));
                check_subnet(stack, input, &mut seen, addr, c);
            }
        }
        cidrs.insert(tier.name(), list);
    }
    cidrs
}

/// Why the default layout cannot be computed inside `vpc`: a VPC too small for the
/// default subnet sizes, or more zones than a tier has room for.
fn default_layout_problem(
    input: &LayoutInput<'_>,
    vpc: &Ipv4Cidr,
    tiers: &[Tier],
) -> Option<String> {
    let defaults: Vec<Tier> = tiers
        .iter()
        .copied()
        .filter(|t| !input.explicit.contains_key(t.name()))
        .collect();
    let smallest = defaults.iter().copied().max_by_key(|t| t.new_bits())?;
    if u32::from(vpc.prefix()) + u32::from(smallest.new_bits()) > 32 {
        return Some(format!(
            "VPC CIDR {} is too small for the default subnet layout: its {} subnets would be /{} (the VPC prefix + {}); use a /{} or larger, or give the subnet CIDRs explicitly",
            input.cidr,
            smallest.name(),
            u32::from(vpc.prefix()) + u32::from(smallest.new_bits()),
            smallest.new_bits(),
            32 - smallest.new_bits(),
        ));
    }
    let zones = u32::try_from(input.zones).unwrap_or(u32::MAX);
    let full = defaults.iter().find(|t| zones > t.default_capacity())?;
    Some(format!(
        "the default subnet layout has room for {} {} subnets; {zones} zones given (give the subnet CIDRs explicitly)",
        full.default_capacity(),
        full.name(),
    ))
}

fn check_subnet(
    stack: &mut Stack,
    input: &LayoutInput<'_>,
    seen: &mut Vec<(String, Ipv4Cidr)>,
    addr: String,
    c: &str,
) {
    let parsed = match Ipv4Cidr::parse(c) {
        Ok(p) => p,
        Err(e) => {
            stack.report(&addr, "cidr_block", e.to_string());
            return;
        }
    };
    if let Some(v) = input.parsed {
        if !v.contains(&parsed) {
            stack.report(
                &addr,
                "cidr_block",
                format!("subnet CIDR {c} is outside the VPC CIDR {}", input.cidr),
            );
        }
    }
    for (other_addr, other) in seen.iter() {
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
