//! A webhook's destination: its host resolved, every address checked against the address
//! policy ([`crate::domain::address_policy`]), and an HTTP client pinned to exactly those
//! addresses, so that a DNS answer that changes between the check and the connection (DNS
//! rebinding) cannot send the request elsewhere. Used when a subscription is created and
//! before each delivery.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

use crate::domain::address_policy;

/// Why a destination cannot be used. Deliberately coarse: callers learn nothing about
/// which internal address or port a name leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// Not an http(s) URL without credentials, or an address the policy refuses.
    Refused,
    /// The host name did not resolve, or not in time.
    Unresolved,
}

/// A checked destination.
#[derive(Debug)]
pub struct Destination {
    pub url: reqwest::Url,
    /// The host name, when the URL names one (IP literals need no pinning).
    domain: Option<String>,
    /// Every address the name resolved to, all checked.
    pub addrs: Vec<SocketAddr>,
}

/// Resolves `raw`'s host (at most `within`) and checks every address it resolves to, unless
/// `allow_private` (closed networks, tests) lets any address through.
pub async fn resolve(raw: &str, allow_private: bool, within: Duration) -> Result<Destination, Unusable> {
    let url = reqwest::Url::parse(raw).map_err(|_| Unusable::Refused)?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return Err(Unusable::Refused);
    }
    let port = url.port_or_known_default().ok_or(Unusable::Refused)?;
    let (domain, addrs) = match url.host() {
        None => return Err(Unusable::Refused),
        Some(url::Host::Ipv4(ip)) => (None, vec![SocketAddr::new(IpAddr::V4(ip), port)]),
        Some(url::Host::Ipv6(ip)) => (None, vec![SocketAddr::new(IpAddr::V6(ip), port)]),
        Some(url::Host::Domain(name)) => {
            let name = name.to_string();
            let query = name.clone();
            let lookup = tokio::task::spawn_blocking(move || {
                (query.as_str(), port).to_socket_addrs().map(|a| a.collect::<Vec<SocketAddr>>())
            });
            match tokio::time::timeout(within, lookup).await {
                Ok(Ok(Ok(addrs))) => (Some(name), addrs),
                _ => return Err(Unusable::Unresolved),
            }
        }
    };
    if addrs.is_empty() {
        return Err(Unusable::Unresolved);
    }
    let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
    if !allow_private && !address_policy::all_allowed(&ips) {
        return Err(Unusable::Refused);
    }
    Ok(Destination { url, domain, addrs })
}

impl Destination {
    /// A client that connects only to the checked addresses. The URL keeps its host name,
    /// so the `Host` header and the TLS server name (SNI, certificate check) are the name's.
    /// No redirects (a redirect could lead anywhere) and no proxy from the environment (a
    /// proxy would resolve the name again itself).
    pub fn client(&self, timeout: Duration) -> reqwest::Result<reqwest::Client> {
        let mut builder =
            reqwest::Client::builder().timeout(timeout).redirect(reqwest::redirect::Policy::none()).no_proxy();
        if let Some(domain) = &self.domain {
            builder = builder.resolve_to_addrs(domain, &self.addrs);
        }
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(f)
    }

    #[test]
    fn literals_and_loopback_names_are_refused_unless_allowed() {
        let within = Duration::from_secs(5);
        for url in [
            "http://[::ffff:127.0.0.1]:8080/",
            "http://[::ffff:7f00:1]/",
            "http://127.1/",
            "http://0x7f000001/",
            "http://localhost:9/",
            "https://[fe80::1]/",
            "ftp://8.8.8.8/",
            "https://u:p@8.8.8.8/",
        ] {
            assert_eq!(run(resolve(url, false, within)).unwrap_err(), Unusable::Refused, "{url}");
        }
        let ok = run(resolve("http://localhost:9/x", true, within)).expect("allowed on a closed network");
        assert!(ok.addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 9), "{:?}", ok.addrs);
        let public = run(resolve("https://8.8.8.8/hook", false, within)).expect("a public literal");
        assert_eq!(public.addrs, vec!["8.8.8.8:443".parse().unwrap()]);
    }
}
