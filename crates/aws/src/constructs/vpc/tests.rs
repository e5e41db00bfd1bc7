//! Bad VPC inputs (issue 12): each is one error at its cause.

use terrane_core::construct::Construct;
use terrane_core::{App, Error, Stack};

use super::Vpc;

/// The error lines of a target holding only `vpc`.
fn errors(vpc: Vpc) -> Vec<String> {
    let mut app = App::new();
    let vpc = std::sync::Mutex::new(Some(vpc));
    app.target("t", "", move |t| {
        let mut s = Stack::new("network");
        if let Some(v) = vpc.lock().ok().and_then(|mut v| v.take()) {
            v.add_to(&mut s);
        }
        t.add_stack(s);
    });
    match app.synth("t") {
        Ok(_) => Vec::new(),
        Err(Error::Checks(d)) => d.lines(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn cidr_with_host_bits_or_leading_zeros_is_one_error() {
    assert_eq!(
        errors(Vpc::new("main", "10.0.0.1/16", "us-east-1")),
        ["error: [t/network] aws_vpc.main: cidr_block: `10.0.0.1/16` has host bits set after the /16 prefix; the network is `10.0.0.0/16`"]
    );
    assert_eq!(
        errors(Vpc::new("main", "010.000.0.0/16", "us-east-1")),
        ["error: [t/network] aws_vpc.main: cidr_block: `010.000.0.0/16` is not an IPv4 CIDR (a.b.c.d/n, octets 0-255 without leading zeros, n at most 32)"]
    );
}

#[test]
fn vpc_too_small_for_its_subnets_is_one_error_at_the_vpc() {
    assert_eq!(
        errors(Vpc::new("main", "10.0.0.0/28", "us-east-1")),
        ["error: [t/network] aws_vpc.main: cidr_block: VPC CIDR 10.0.0.0/28 is too small for the default subnet layout: its database subnets would be /36 (the VPC prefix + 8); use a /24 or larger, or give the subnet CIDRs explicitly"]
    );
    assert_eq!(
        errors(Vpc::new("main", "10.0.0.0/24", "us-east-1")),
        Vec::<String>::new()
    );
}

#[test]
fn vpc_with_no_zones_is_refused() {
    assert_eq!(
        errors(Vpc::new("main", "10.0.0.0/16", "us-east-1").azs(0)),
        ["error: [t/network] aws_vpc.main: zones: a VPC needs at least one availability zone; none given (azs(n) takes n from 1 to 6)"]
    );
    assert_eq!(
        errors(
            Vpc::new("main", "10.0.0.0/16", "us-east-1")
                .zones([""])
                .azs(2)
        ),
        Vec::<String>::new(),
        "azs after zones keeps the region"
    );
}
