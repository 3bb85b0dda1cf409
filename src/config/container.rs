//! `[agent] container_address`, `container_subnets` and `container_allow_public`: the optional
//! listener of the credentials URI server for containers on a bridge network (docs/containers.md;
//! the trust trade-off is in docs/security.md, "Containers").

use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// Where containers reach the agent, and which peers may connect there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerSettings {
    /// The address the listener binds, and the one container URIs name (port 0: any free one).
    pub address: SocketAddr,
    /// Peers outside this machine are served only from these subnets.
    pub subnets: Vec<IpNet>,
}

/// True for addresses of private networks: RFC 1918 (10/8, 172.16/12, 192.168/16), shared
/// address space (100.64/10, which some container runtimes use) and IPv6 unique local
/// addresses (fc00::/7).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private(IpAddr::V4(v4)),
            None => (v6.segments()[0] & 0xfe00) == 0xfc00,
        },
    }
}

/// Checks `container_address`: an IP address with a port, of a private network unless
/// `allow_public`; never a wildcard (a container URI must name one address, and a wildcard
/// listener would answer on every network of the machine) and never loopback (containers do
/// not reach the host's loopback; the usual URI is on loopback already).
pub fn parse_address(text: &str, allow_public: bool) -> Result<SocketAddr, String> {
    let address: SocketAddr = text.trim().parse().map_err(|_| {
        format!("container_address `{text}` is not an IP address with a port, like 172.17.0.1:9911 (the docker0 address)")
    })?;
    let ip = address.ip();
    if ip.is_unspecified() {
        return Err(format!("container_address `{text}` is a wildcard: it would listen on every network of this machine, and a container URI must name one address; name the bridge's own address, like 172.17.0.1:9911"));
    }
    if ip.is_loopback() {
        return Err(format!("container_address `{text}` is a loopback address, which containers cannot reach (the usual credentials URI is on loopback already); name the bridge's own address, like 172.17.0.1:9911"));
    }
    if !allow_public && !is_private(ip) {
        return Err(format!("container_address `{text}` is not an address of a private network (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): peers from other networks could reach it. Name the bridge's address, or set container_allow_public = true if you mean it"));
    }
    Ok(address)
}

/// Checks one entry of `container_subnets`: a network in CIDR notation, private unless
/// `allow_public`; a bare address means that address alone.
pub fn parse_subnet(text: &str, allow_public: bool) -> Result<IpNet, String> {
    let t = text.trim();
    let net = t
        .parse::<IpNet>()
        .or_else(|_| t.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!(
                "container_subnets: `{text}` is not a network like 172.17.0.0/16 (or one address)"
            )
        })?
        .trunc();
    let private = is_private(net.network()) && is_private(net.broadcast());
    if !allow_public && !private {
        return Err(format!("container_subnets: `{text}` is not inside a private network (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): peers from other networks could connect. Name the bridge's subnet, or set container_allow_public = true if you mean it"));
    }
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bridge_addresses_pass_and_wildcards_loopback_and_public_ones_do_not() {
        assert_eq!(
            parse_address("172.17.0.1:9911", false).unwrap(),
            "172.17.0.1:9911".parse().unwrap()
        );
        assert!(parse_address("[fd00::1]:9911", false).is_ok());
        assert!(parse_address("0.0.0.0:9911", true)
            .unwrap_err()
            .contains("wildcard"));
        assert!(parse_address("[::]:9911", true)
            .unwrap_err()
            .contains("wildcard"));
        assert!(parse_address("127.0.0.1:9911", true)
            .unwrap_err()
            .contains("loopback"));
        assert!(parse_address("8.8.8.8:9911", false)
            .unwrap_err()
            .contains("container_allow_public"));
        assert!(parse_address("8.8.8.8:9911", true).is_ok());
        assert!(parse_address("172.17.0.1", false)
            .unwrap_err()
            .contains("with a port"));
    }

    #[test]
    fn subnets_must_be_private_unless_allowed() {
        assert_eq!(
            parse_subnet("172.17.0.0/16", false).unwrap(),
            "172.17.0.0/16".parse::<IpNet>().unwrap()
        );
        assert_eq!(
            parse_subnet("10.1.2.3", false).unwrap(),
            "10.1.2.3/32".parse::<IpNet>().unwrap()
        );
        // 172.0.0.0/8 reaches past 172.16/12.
        assert!(parse_subnet("172.0.0.0/8", false).is_err());
        assert!(parse_subnet("0.0.0.0/0", false).is_err());
        assert!(parse_subnet("0.0.0.0/0", true).is_ok());
        assert!(parse_subnet("100.64.0.0/10", false).is_ok());
        assert!(parse_subnet("nonsense", true).is_err());
    }
}
