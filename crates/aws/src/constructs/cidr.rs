//! IPv4 CIDR arithmetic for subnet layouts and the overlap/containment checks, done
//! in Rust so the subnets are literal, reviewable values and problems are found at synth.

use std::fmt;

/// An IPv4 network: address and prefix length.
///
/// ```
/// use terrane_aws::constructs::Ipv4Cidr;
/// let vpc = Ipv4Cidr::parse("10.0.0.0/16").unwrap();
/// let a = vpc.subnet(3, 1).unwrap();
/// assert_eq!(a.to_string(), "10.0.32.0/19");
/// assert!(vpc.contains(&a));
/// assert!(!a.overlaps(&vpc.subnet(3, 2).unwrap()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Cidr {
    addr: u32,
    prefix: u8,
}

impl Ipv4Cidr {
    /// Parses `a.b.c.d/n`; `None` when it is not a valid IPv4 CIDR.
    pub fn parse(s: &str) -> Option<Self> {
        let (ip, prefix) = s.split_once('/')?;
        let prefix: u8 = prefix.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        let mut addr: u32 = 0;
        let mut parts = 0;
        for p in ip.split('.') {
            let octet: u8 = p.parse().ok()?;
            addr = (addr << 8) | u32::from(octet);
            parts += 1;
        }
        if parts != 4 {
            return None;
        }
        Some(Ipv4Cidr {
            addr: addr & Self::mask(prefix),
            prefix,
        })
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Terraform's `cidrsubnet(self, newbits, netnum)`; `None` when out of range.
    pub fn subnet(&self, newbits: u8, netnum: u32) -> Option<Self> {
        let prefix = self.prefix.checked_add(newbits)?;
        if prefix > 32 || (newbits < 32 && netnum >= (1u32 << newbits)) {
            return None;
        }
        let shift = 32 - u32::from(prefix);
        let offset = if shift >= 32 { 0 } else { netnum << shift };
        Some(Ipv4Cidr {
            addr: self.addr | offset,
            prefix,
        })
    }

    fn last(&self) -> u32 {
        self.addr | !Self::mask(self.prefix)
    }

    /// True when `other` lies entirely inside this network.
    pub fn contains(&self, other: &Ipv4Cidr) -> bool {
        other.prefix >= self.prefix && (other.addr & Self::mask(self.prefix)) == self.addr
    }

    /// True when the two networks share an address.
    pub fn overlaps(&self, other: &Ipv4Cidr) -> bool {
        self.addr <= other.last() && other.addr <= self.last()
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.addr;
        write!(
            f,
            "{}.{}.{}.{}/{}",
            a >> 24,
            (a >> 16) & 0xff,
            (a >> 8) & 0xff,
            a & 0xff,
            self.prefix
        )
    }
}
