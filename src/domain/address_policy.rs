//! Where a webhook may be sent: the address policy applied to every address a webhook's host
//! resolves to, when the subscription is created and again before each delivery. Pure,
//! table-tested.
//!
//! An IPv6 address that carries an IPv4 address is first reduced to that IPv4 address
//! (IPv4-mapped `::ffff:0:0/96` and IPv4-compatible `::/96`, RFC 4291 §2.5.5; NAT64
//! `64:ff9b::/96`, RFC 6052, and the local-use `64:ff9b:1::/96`, RFC 8215), so that
//! `[::ffff:127.0.0.1]` is judged as `127.0.0.1`. Then:
//! - IPv4 is refused in every special-purpose block of the IANA registry (RFC 6890 and its
//!   updates) that is not a public destination: see [`V4_REFUSED`];
//! - IPv6 is accepted only in global unicast `2000::/3` (RFC 4291 §2.4), minus the
//!   documentation, IETF-protocol, 6to4 and benchmarking blocks in [`V6_REFUSED`]. Loopback,
//!   unspecified, unique-local `fc00::/7`, link-local `fe80::/10`, site-local `fec0::/10`,
//!   multicast `ff00::/8`, discard `100::/64` and any NAT64 form not reduced above all lie
//!   outside `2000::/3`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 blocks refused: (network, prefix length, what it is).
pub const V4_REFUSED: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "\"this network\" 0.0.0.0/8 (RFC 791), unspecified included"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private 10.0.0.0/8 (RFC 1918)"),
    (Ipv4Addr::new(100, 64, 0, 0), 10, "carrier-grade NAT 100.64.0.0/10 (RFC 6598)"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback 127.0.0.0/8 (RFC 1122)"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local 169.254.0.0/16 (RFC 3927), cloud metadata included"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private 172.16.0.0/12 (RFC 1918)"),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "IETF protocol assignments 192.0.0.0/24 (RFC 6890)"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation TEST-NET-1 192.0.2.0/24 (RFC 5737)"),
    (Ipv4Addr::new(192, 88, 99, 0), 24, "6to4 relay anycast 192.88.99.0/24 (RFC 7526)"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private 192.168.0.0/16 (RFC 1918)"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking 198.18.0.0/15 (RFC 2544)"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "documentation TEST-NET-2 198.51.100.0/24 (RFC 5737)"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "documentation TEST-NET-3 203.0.113.0/24 (RFC 5737)"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast 224.0.0.0/4 (RFC 5771)"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved 240.0.0.0/4 (RFC 1112), broadcast 255.255.255.255 included"),
];

/// Blocks refused inside global unicast `2000::/3`.
pub const V6_REFUSED: &[(Ipv6Addr, u8, &str)] = &[
    (
        Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),
        23,
        "IETF protocol assignments 2001::/23 (RFC 2928), Teredo and benchmarking included",
    ),
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, "documentation 2001:db8::/32 (RFC 3849)"),
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16, "6to4 2002::/16 (RFC 3056, deprecated by RFC 7526)"),
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20, "documentation 3fff::/20 (RFC 9637)"),
];

/// The IPv4 address an IPv6 address stands for, when it embeds one; otherwise `ip` itself.
pub fn canonical(ip: IpAddr) -> IpAddr {
    let IpAddr::V6(v6) = ip else { return ip };
    let s = v6.segments();
    let embedded = || IpAddr::V4(Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8));
    match s[..6] {
        // IPv4-mapped ::ffff:a.b.c.d
        [0, 0, 0, 0, 0, 0xffff] => embedded(),
        // IPv4-compatible ::a.b.c.d (deprecated); `::` and `::1` stay IPv6.
        [0, 0, 0, 0, 0, 0] if s[6] != 0 || s[7] > 1 => embedded(),
        // NAT64 well-known prefix 64:ff9b::/96, and the /96 form of local-use 64:ff9b:1::/48.
        [0x64, 0xff9b, 0, 0, 0, 0] | [0x64, 0xff9b, 1, 0, 0, 0] => embedded(),
        _ => ip,
    }
}

/// Why `ip` is not a destination a webhook may reach, or `None` when it may.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let n = u32::from(v4);
            V4_REFUSED.iter().find(|(net, len, _)| in_prefix(n as u128, u32::from(*net) as u128, *len, 32)).map(|r| r.2)
        }
        IpAddr::V6(v6) => {
            let n = u128::from(v6);
            if !in_prefix(n, 0x2000 << 112, 3, 128) {
                return Some("not IPv6 global unicast 2000::/3 (RFC 4291)");
            }
            V6_REFUSED.iter().find(|(net, len, _)| in_prefix(n, u128::from(*net), *len, 128)).map(|r| r.2)
        }
    }
}

/// Whether `ip` may be reached.
pub fn allowed(ip: IpAddr) -> bool {
    refusal(ip).is_none()
}

/// A host is acceptable only when it resolves to at least one address and every address it
/// resolves to is acceptable: a resolver answering one public and one internal address
/// could otherwise have the connection use the internal one.
pub fn all_allowed(addrs: &[IpAddr]) -> bool {
    !addrs.is_empty() && addrs.iter().all(|ip| allowed(*ip))
}

fn in_prefix(addr: u128, net: u128, len: u8, bits: u32) -> bool {
    if len == 0 {
        return true;
    }
    let shift = bits - len as u32;
    (addr >> shift) == (net >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("{s} is an address"))
    }

    #[test]
    fn embedded_ipv4_forms_are_reduced_to_ipv4() {
        let cases = [
            ("::ffff:127.0.0.1", "127.0.0.1"), // RFC 4291 §2.5.5.2, mapped
            ("::ffff:7f00:1", "127.0.0.1"),    // the same, hex spelled
            ("::ffff:169.254.169.254", "169.254.169.254"),
            ("::127.0.0.1", "127.0.0.1"), // RFC 4291 §2.5.5.1, compatible
            ("::a9fe:a9fe", "169.254.169.254"),
            ("64:ff9b::7f00:1", "127.0.0.1"), // RFC 6052 well-known prefix
            ("64:ff9b::10.0.0.1", "10.0.0.1"),
            ("64:ff9b:1::c0a8:1", "192.168.0.1"), // RFC 8215 local-use, /96 form
            ("64:ff9b::8.8.8.8", "8.8.8.8"),
            ("::", "::"),   // unspecified stays IPv6
            ("::1", "::1"), // loopback stays IPv6
            ("2606:4700::1111", "2606:4700::1111"),
            ("93.184.215.14", "93.184.215.14"),
        ];
        for (given, expected) in cases {
            assert_eq!(canonical(ip(given)), ip(expected), "{given}");
        }
    }

    #[test]
    fn internal_and_special_addresses_are_refused() {
        let refused = [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.1.2.3",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            // IPv6 native
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "100::1",
            "2001:db8::1",
            "2001::1",
            "2001:2::1",
            "2002:7f00:1::1",
            "3fff::1",
            // IPv4 carried in IPv6
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:169.254.169.254",
            "::ffff:10.1.2.3",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::6440:1",
            "64:ff9b::c612:1",
            "64:ff9b:1::a00:1",
            // NAT64 local-use forms other than /96 are not global unicast
            "64:ff9b:1:7f00:0:100::",
        ];
        for r in refused {
            assert!(!allowed(ip(r)), "{r} must be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.255",
            "192.169.0.1",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "2606:4700::1111",
            "2a00:1450:4001::1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ];
        for p in public {
            assert!(allowed(ip(p)), "{p} must be allowed: {:?}", refusal(ip(p)));
        }
    }

    #[test]
    fn a_host_passes_only_when_every_address_does() {
        assert!(all_allowed(&[ip("8.8.8.8"), ip("2001:4860:4860::8888")]));
        assert!(!all_allowed(&[ip("8.8.8.8"), ip("127.0.0.1")]), "one internal answer is enough to refuse");
        assert!(!all_allowed(&[]), "no address, no delivery");
    }

    #[test]
    fn refusals_name_the_block() {
        assert_eq!(refusal(ip("::ffff:100.64.0.1")), Some("carrier-grade NAT 100.64.0.0/10 (RFC 6598)"));
        assert_eq!(refusal(ip("fe80::1")), Some("not IPv6 global unicast 2000::/3 (RFC 4291)"));
        assert_eq!(refusal(ip("8.8.4.4")), None);
    }
}
