//! Who is on the other end of a TCP connection to one of our HTTP servers.
//!
//! Only loopback clients are served. On Linux the kernel's socket table tells which uid owns
//! the client's socket (`/proc/net/tcp`, `/proc/net/tcp6`), so that another user of the same
//! machine cannot read our credentials; the socket's inode leads to the client's pid for the
//! audit log (`/proc/*/fd`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// True for a peer address we serve: loopback, or the server's own address (the metadata
/// address lives on `lo`, so local clients connect from it).
pub fn is_local_peer(peer: &SocketAddr, local: &SocketAddr) -> bool {
    let ip = canonical(peer.ip());
    ip.is_loopback() || ip == canonical(local.ip())
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The owner of a client socket, found in the socket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketOwner {
    pub uid: u32,
    pub inode: u64,
}

/// Finds the socket whose local address is `client` and remote address is `server`.
/// `None` when the table has no such socket (or on systems without `/proc/net`).
pub fn socket_owner(client: &SocketAddr, server: &SocketAddr) -> Option<SocketOwner> {
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        if let Some(o) = find_in_table(&text, client, server) {
            return Some(o);
        }
    }
    None
}

fn find_in_table(text: &str, client: &SocketAddr, server: &SocketAddr) -> Option<SocketOwner> {
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 10 {
            continue;
        }
        let (Some(local), Some(remote)) = (parse_addr(f[1]), parse_addr(f[2])) else { continue };
        if same(&local, client) && same(&remote, server) {
            return Some(SocketOwner {
                uid: f[7].parse().ok()?,
                inode: f[9].parse().ok()?,
            });
        }
    }
    None
}

fn same(a: &SocketAddr, b: &SocketAddr) -> bool {
    a.port() == b.port() && canonical(a.ip()) == canonical(b.ip())
}

/// Parses `0100007F:1F90` (IPv4) or 32 hex digits `:port` (IPv6). The kernel prints each 32-bit
/// word of the address as a host-order number, so native byte order gives the bytes back.
fn parse_addr(s: &str) -> Option<SocketAddr> {
    let (addr, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match addr.len() {
        8 => IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(addr, 16).ok()?.to_ne_bytes())),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                let word = u32::from_str_radix(&addr[i * 8..i * 8 + 8], 16).ok()?;
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// The process that holds the socket with this inode, by a walk over `/proc/*/fd`
/// (only our own processes are readable, which are the only ones we serve).
pub fn pid_of_socket(inode: u64) -> Option<u32> {
    let want = format!("socket:[{inode}]");
    let me = std::process::id();
    for proc_entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = proc_entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(proc_entry.path().join("fd")) else { continue };
        for fd in fds.flatten() {
            if std::fs::read_link(fd.path()).is_ok_and(|l| l.as_os_str() == want.as_str()) {
                return Some(pid);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_kernels_ipv4_notation() {
        let a = parse_addr("0100007F:1F90").unwrap();
        if cfg!(target_endian = "little") {
            assert_eq!(a, "127.0.0.1:8080".parse().unwrap());
        }
    }

    #[test]
    fn loopback_and_our_own_address_are_local_peers() {
        let md: SocketAddr = "100.100.100.200:80".parse().unwrap();
        assert!(is_local_peer(&"127.0.0.1:5000".parse().unwrap(), &md));
        assert!(is_local_peer(&"100.100.100.200:5000".parse().unwrap(), &md));
        assert!(is_local_peer(&"[::ffff:127.0.0.1]:5000".parse().unwrap(), &md));
        assert!(!is_local_peer(&"10.0.0.5:5000".parse().unwrap(), &md));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn our_own_client_socket_is_found_with_our_uid() {
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(server.local_addr().unwrap()).unwrap();
        let (_conn, peer) = server.accept().unwrap();
        let owner = socket_owner(&peer, &server.local_addr().unwrap()).expect("in the table");
        assert_eq!(owner.uid, nix::unistd::getuid().as_raw());
        assert_eq!(peer, client.local_addr().unwrap());
    }
}
