//! Who is asking: the client's address, for the sign-in throttle and the audit trail.
//!
//! Behind a reverse proxy every connection comes from the proxy, so its `X-Forwarded-For` or
//! `Forwarded` header says who the client was — but anyone can send those headers, so they
//! are believed only when the connection comes from a proxy named in
//! `REENGAGE_TRUSTED_PROXIES` (a comma-separated list of addresses or CIDR networks). Then the
//! client is the rightmost address in the header that is not itself a trusted proxy: each
//! proxy appends the address it saw, so addresses left of that one are the client's own say.
//! With no trusted proxies (the default) the connection's own address is used, headers or not.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, header},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From a comma-separated list of addresses (`10.0.0.5`, `::1`) and networks
    /// (`10.0.0.0/8`, `fd00::/8`), or why one item is not one.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "REENGAGE_TRUSTED_PROXIES: “{item}” is not an address or a network (e.g. 10.0.0.5 or 10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address, for a request that came over a connection from `peer` with
    /// `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut hops = forwarded_for(headers);
        // Right to left: the first address that is not one of ours is the client.
        while let Some(hop) = hops.pop() {
            if !self.trusts(hop) {
                return hop;
            }
        }
        peer
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses the proxies recorded, left (the first hop) to right (the last proxy's
/// peer): `Forwarded`'s `for=` (RFC 7239) when present, else `X-Forwarded-For`. An item that
/// is not an address (`unknown`, an obfuscated name) ends the list there: nothing left of it
/// can be placed.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let forwarded: Vec<&str> = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let items: Vec<String> = if forwarded.is_empty() {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|item| item.trim().to_owned())
            .collect()
    } else {
        forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| value.trim().trim_matches('"').to_owned())
                })
            })
            .collect()
    };
    let parsed: Vec<Option<IpAddr>> = items.iter().map(|item| address_of(item)).collect();
    // Only the unbroken run of addresses at the right can be trusted to be in order.
    let from = parsed
        .iter()
        .rposition(Option::is_none)
        .map_or(0, |at| at + 1);
    parsed[from..].iter().flatten().copied().collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn address_of(item: &str) -> Option<IpAddr> {
    if let Ok(address) = item.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = item.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    item.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.parse().ok())
}

/// The client's address as [`TrustedProxies::client`] found it, in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Puts the request's [`ClientAddress`] in its extensions, for every handler.
pub async fn client_address(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let client = trusted.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddress(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn with_no_trusted_proxy_the_headers_are_not_believed() {
        let none = TrustedProxies::default();
        let sent = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(none.client(ip("10.0.0.5"), &sent), ip("10.0.0.5"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_rightmost_untrusted_hop() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1").unwrap();
        // The client claims to be 1.1.1.1; the proxy appended what it saw.
        let sent = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.7")]);
        assert_eq!(trusted.client(ip("10.0.0.5"), &sent), ip("203.0.113.9"));
        // From a peer not trusted, the same headers are ignored.
        assert_eq!(
            trusted.client(ip("198.51.100.2"), &sent),
            ip("198.51.100.2")
        );
        // Two clients behind one proxy are two addresses.
        let other = headers(&[("x-forwarded-for", "203.0.113.10")]);
        assert_eq!(
            trusted.client(ip("192.168.1.1"), &other),
            ip("203.0.113.10")
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client(ip("10.0.0.5"), &HeaderMap::new()),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn forwarded_is_read_as_rfc_7239_writes_it() {
        let trusted = TrustedProxies::parse("::1").unwrap();
        let sent = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\"",
        )]);
        assert_eq!(trusted.client(ip("::1"), &sent), ip("2001:db8:cafe::17"));
        let unknown = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(trusted.client(ip("::1"), &unknown), ip("::1"));
        // A mapped IPv4 peer is its IPv4 address.
        let v4 = TrustedProxies::parse("127.0.0.1").unwrap();
        let sent = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(v4.client(ip("::ffff:127.0.0.1"), &sent), ip("203.0.113.9"));
    }

    #[test]
    fn a_bad_list_says_which_item_is_wrong() {
        let error = TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(error.contains("“proxy.local”"), "{error}");
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
    }
}
