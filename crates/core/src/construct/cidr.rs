//! The one IPv4 CIDR type of every construct, on the maintained `ipnet` crate, strict
//! about what it accepts so a typo is one clear error at its cause.

use std::fmt;
use std::str::FromStr;

use ipnet::Ipv4Net;

/// Why a CIDR was refused: the message names the text and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// Not of the form `a.b.c.d/n` with four decimal octets (no leading zeros) and n <= 32.
    #[error(
        "`{0}` is not an IPv4 CIDR (a.b.c.d/n, octets 0-255 without leading zeros, n at most 32)"
    )]
    Syntax(String),
    /// Bits set after the prefix: `10.0.0.1/16` where `10.0.0.0/16` was meant.
    #[error("`{given}` has host bits set after the /{prefix} prefix; the network is `{network}`")]
    HostBits {
        /// The text given.
        given: String,
        /// Its prefix length.
        prefix: u8,
        /// The network it lies in, as it should be written.
        network: String,
    },
}

/// An IPv4 network, parsed strictly: four decimal octets without leading zeros, a
/// prefix of at most 32, and no host bits set (Terraform and the clouds reject
/// `10.0.0.1/16` or read `010.0.0.0` differently, so terrane refuses both).
///
/// ```
/// use terrane_core::construct::Ipv4Cidr;
/// let vpc: Ipv4Cidr = "10.0.0.0/16".parse().unwrap();
/// let a = vpc.subnet(3, 1).unwrap();
/// assert_eq!(a.to_string(), "10.0.32.0/19");
/// assert!(vpc.contains(&a));
/// assert!(!a.overlaps(&vpc.subnet(3, 2).unwrap()));
/// assert_eq!(
///     "10.0.0.1/16".parse::<Ipv4Cidr>().unwrap_err().to_string(),
///     "`10.0.0.1/16` has host bits set after the /16 prefix; the network is `10.0.0.0/16`"
/// );
/// assert!("010.000.0.0/16".parse::<Ipv4Cidr>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ipv4Cidr(Ipv4Net);

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n` strictly (see the type's doc).
    pub fn parse(s: &str) -> Result<Self, CidrError> {
        s.parse()
    }
    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.0.prefix_len()
    }
    /// Terraform's `cidrsubnet(self, newbits, netnum)`; `None` when out of range.
    pub fn subnet(&self, newbits: u8, netnum: u32) -> Option<Self> {
        let prefix = self.prefix().checked_add(newbits)?;
        if prefix > 32 || (newbits < 32 && u64::from(netnum) >= (1u64 << newbits)) {
            return None;
        }
        let shift = 32 - u32::from(prefix);
        let offset = if shift >= 32 { 0 } else { netnum << shift };
        let base = u32::from(self.0.network()) | offset;
        Ipv4Net::new(base.into(), prefix).ok().map(Ipv4Cidr)
    }
    /// True when `other` lies entirely inside this network.
    pub fn contains(&self, other: &Ipv4Cidr) -> bool {
        self.0.contains(&other.0)
    }
    /// True when the two networks share an address.
    pub fn overlaps(&self, other: &Ipv4Cidr) -> bool {
        self.0.contains(&other.0) || other.0.contains(&self.0)
    }
    /// The `ipnet` value, for arithmetic this type does not offer.
    pub fn as_ipnet(&self) -> Ipv4Net {
        self.0
    }
}

impl FromStr for Ipv4Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, CidrError> {
        let syntax = || CidrError::Syntax(s.to_string());
        // ipnet's own parser reads `010` as 10; std's address parser refuses leading
        // zeros (which some tools read as octal), so the address goes through std.
        let (addr, prefix) = s.split_once('/').ok_or_else(syntax)?;
        let addr: std::net::Ipv4Addr = addr.parse().map_err(|_| syntax())?;
        if prefix.is_empty()
            || prefix.len() > 2
            || (prefix.len() == 2 && prefix.starts_with('0'))
            || !prefix.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(syntax());
        }
        let prefix: u8 = prefix.parse().map_err(|_| syntax())?;
        let net = Ipv4Net::new(addr, prefix).map_err(|_| syntax())?;
        if net.addr() != net.network() {
            return Err(CidrError::HostBits {
                given: s.to_string(),
                prefix: net.prefix_len(),
                network: net.trunc().to_string(),
            });
        }
        Ok(Ipv4Cidr(net))
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_clouds_read_differently() {
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/16",
            "010.000.0.0/16",
            "a.b.c.d/8",
            "",
        ] {
            assert_eq!(
                Ipv4Cidr::parse(bad),
                Err(CidrError::Syntax(bad.to_string())),
                "{bad}"
            );
        }
        assert!(matches!(
            Ipv4Cidr::parse("10.0.0.1/16"),
            Err(CidrError::HostBits { .. })
        ));
    }

    #[test]
    fn subnets_follow_cidrsubnet() {
        let vpc = Ipv4Cidr::parse("10.0.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        let s = |n, i| vpc.subnet(n, i).map(|c| c.to_string());
        assert_eq!(s(3, 0).as_deref(), Some("10.0.0.0/19"));
        assert_eq!(s(6, 32).as_deref(), Some("10.0.128.0/22"));
        assert_eq!(s(8, 160).as_deref(), Some("10.0.160.0/24"));
        assert_eq!(s(3, 8), None);
        assert_eq!(s(17, 0), None);
        let all = Ipv4Cidr::parse("0.0.0.0/0").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            all.subnet(32, 5).map(|c| c.to_string()).as_deref(),
            Some("0.0.0.5/32")
        );
    }

    #[test]
    fn overlap_and_containment() {
        let p = |s: &str| Ipv4Cidr::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(p("10.0.0.0/16").overlaps(&p("10.0.5.0/24")));
        assert!(p("10.0.5.0/24").overlaps(&p("10.0.0.0/16")));
        assert!(!p("10.0.0.0/24").overlaps(&p("10.0.1.0/24")));
        assert!(!p("10.0.5.0/24").contains(&p("10.0.0.0/16")));
    }
}
