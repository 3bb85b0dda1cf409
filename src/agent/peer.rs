//! Who is on the other end of a TCP connection to one of our HTTP servers.
//!
//! Only loopback clients are served. On Linux the kernel's socket table tells which uid owns
//! the client's socket (`/proc/net/tcp`, `/proc/net/tcp6`), so that another user of the same
//! machine cannot read our credentials; the socket's inode leads to the client's pid for the
//! audit log (`/proc/*/fd`).

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// True for a peer address we serve: loopback, or the server's own address (the metadata
/// address lives on `lo`, so local clients connect from it).
pub fn is_local_peer(peer: &SocketAddr, local: &SocketAddr) -> bool {
    let ip = canonical(peer.ip());
    ip.is_loopback() || ip == canonical(local.ip())
}

/// True when `peer` is in one of `subnets` (the container listener's `[agent]
/// container_subnets`).
pub fn in_subnets(peer: &SocketAddr, subnets: &[ipnet::IpNet]) -> bool {
    let ip = canonical(peer.ip());
    subnets.iter().any(|n| n.contains(&ip))
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The owner of a client socket, found in the socket table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketOwner {
    pub uid: u32,
    pub inode: u64,
}

/// Finds the socket whose local address is `client` and remote address is `server`: one
/// exact sock_diag query over netlink (cheap with thousands of sockets), else a scan of
/// `/proc/net/tcp*`. `None` when neither knows the socket, or when the socket has no owner
/// any more: a client that closed its end at once leaves a time-wait entry (or an orphan) that
/// both tables show with uid 0 and inode 0. Read as an owner, that would make every such
/// client root's, and an agent running as root would serve it; so it is an unknown owner.
pub fn socket_owner(client: &SocketAddr, server: &SocketAddr) -> Option<SocketOwner> {
    #[cfg(target_os = "linux")]
    if let Some(o) = sock_diag_owner(client, server) {
        return owned(o);
    }
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        if let Some(o) = find_in_table(&text, client, server) {
            return owned(o);
        }
    }
    None
}

/// A socket that belongs to a process has an inode; one without is closed.
fn owned(o: SocketOwner) -> Option<SocketOwner> {
    (o.inode != 0).then_some(o)
}

/// Asks the kernel (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY without NLM_F_DUMP: an exact
/// lookup of one 4-tuple) for the uid and inode of a TCP socket. The messages are built and
/// parsed by `netlink-packet-sock-diag` (docs/dependencies.md).
#[cfg(target_os = "linux")]
fn sock_diag_owner(client: &SocketAddr, server: &SocketAddr) -> Option<SocketOwner> {
    use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_REQUEST};
    use netlink_packet_sock_diag::{
        constants::{AF_INET, AF_INET6, IPPROTO_TCP},
        inet::{ExtensionFlags, InetRequest, SocketId, StateFlags},
        SockDiagMessage,
    };
    use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket, SocketAddr as NetlinkAddr};
    let (client, server) = match (client, server) {
        (SocketAddr::V4(_), SocketAddr::V6(s)) => match s.ip().to_ipv4_mapped() {
            Some(ip) => (*client, SocketAddr::new(IpAddr::V4(ip), s.port())),
            None => return None,
        },
        _ => (*client, *server),
    };
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST;
    header.sequence_number = 1;
    let mut request = NetlinkMessage::new(
        header,
        SockDiagMessage::InetRequest(InetRequest {
            family: if client.is_ipv4() { AF_INET } else { AF_INET6 },
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::empty(),
            states: StateFlags::all(),
            socket_id: SocketId {
                source_port: client.port(),
                destination_port: server.port(),
                source_address: client.ip(),
                destination_address: server.ip(),
                interface_id: 0,
                cookie: [0xff; 8], // INET_DIAG_NOCOOKIE
            },
        })
        .into(),
    );
    request.finalize();
    let mut out = vec![0u8; request.buffer_len()];
    request.serialize(&mut out);
    let socket = Socket::new(NETLINK_SOCK_DIAG).ok()?;
    if socket.send_to(&out, &NetlinkAddr::new(0, 0), 0).ok()? != out.len() {
        return None;
    }
    let mut buf = vec![0u8; 1024];
    let n = socket.recv(&mut &mut buf[..], 0).ok()?;
    let reply = NetlinkMessage::<SockDiagMessage>::deserialize(&buf[..n]).ok()?;
    match reply.payload {
        NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(r)) => Some(SocketOwner {
            uid: r.header.uid,
            inode: u64::from(r.header.inode),
        }),
        _ => None,
    }
}

fn find_in_table(text: &str, client: &SocketAddr, server: &SocketAddr) -> Option<SocketOwner> {
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 10 {
            continue;
        }
        let (Some(local), Some(remote)) = (parse_addr(f[1]), parse_addr(f[2])) else {
            continue;
        };
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
        8 => IpAddr::V4(Ipv4Addr::from(
            u32::from_str_radix(addr, 16).ok()?.to_ne_bytes(),
        )),
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

/// The processes holding the sockets `inodes`, in one pass over `/proc/*/fd` (the audit
/// worker batches its lookups, since the pass costs a readlink per open file of the user).
/// Sockets whose process is gone or not ours to read are left out.
pub fn pids_of_sockets(inodes: &HashSet<u64>) -> HashMap<u64, u32> {
    let mut found = HashMap::new();
    if inodes.is_empty() {
        return found;
    }
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return found;
    };
    for proc_entry in procs.flatten() {
        let Some(pid) = proc_entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(proc_entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Some(inode) = std::fs::read_link(fd.path()).ok().and_then(|l| {
                l.to_str()?
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .parse::<u64>()
                    .ok()
            }) else {
                continue;
            };
            if inodes.contains(&inode) {
                found.insert(inode, pid);
                if found.len() == inodes.len() {
                    return found;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_socket_held_by_a_child_process_leads_to_its_pid() {
        use std::os::unix::fs::MetadataExt;
        let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        let inode = std::fs::File::from(std::os::fd::OwnedFd::from(theirs.try_clone().unwrap()))
            .metadata()
            .unwrap()
            .ino();
        let mut child = std::process::Command::new("sleep")
            .arg("10")
            .stdin(std::process::Stdio::from(std::os::fd::OwnedFd::from(
                theirs,
            )))
            .spawn()
            .unwrap();
        let other = std::fs::File::from(std::os::fd::OwnedFd::from(ours.try_clone().unwrap()))
            .metadata()
            .unwrap()
            .ino();
        let found = pids_of_sockets(&HashSet::from([inode, other]));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(found.get(&inode), Some(&child.id()));
        assert_eq!(found.get(&other), None, "our own sockets are not looked up");
    }

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
        assert!(is_local_peer(
            &"[::ffff:127.0.0.1]:5000".parse().unwrap(),
            &md
        ));
        assert!(!is_local_peer(&"10.0.0.5:5000".parse().unwrap(), &md));
    }

    #[test]
    fn subnet_peers_match_by_address_also_when_v4_mapped() {
        let nets: Vec<ipnet::IpNet> = vec!["172.17.0.0/16".parse().unwrap()];
        assert!(in_subnets(&"172.17.3.4:5000".parse().unwrap(), &nets));
        assert!(in_subnets(
            &"[::ffff:172.17.3.4]:5000".parse().unwrap(),
            &nets
        ));
        assert!(!in_subnets(&"172.18.0.2:5000".parse().unwrap(), &nets));
        assert!(!in_subnets(&"172.17.0.2:5000".parse().unwrap(), &[]));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_client_socket_closed_at_once_has_no_owner_not_root() {
        use std::io::Write;
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = std::net::TcpStream::connect(server.local_addr().unwrap()).unwrap();
        let (_conn, peer) = server.accept().unwrap();
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        drop(client);
        // The kernel turns the closed end into a time-wait entry (uid 0, inode 0) at once on
        // loopback; give it a moment all the same.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        let text = loop {
            let text = std::fs::read_to_string("/proc/net/tcp").unwrap();
            let entry = find_in_table(&text, &peer, &server.local_addr().unwrap());
            if entry.is_none_or(|e| e.inode == 0) || std::time::Instant::now() > deadline {
                break text;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert!(
            find_in_table(&text, &peer, &server.local_addr().unwrap()).is_none_or(|e| e.inode == 0),
            "the closed socket is still owned"
        );
        assert_eq!(socket_owner(&peer, &server.local_addr().unwrap()), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn our_own_client_socket_is_found_with_our_uid() {
        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(server.local_addr().unwrap()).unwrap();
        let (_conn, peer) = server.accept().unwrap();
        let owner = socket_owner(&peer, &server.local_addr().unwrap()).expect("in the table");
        assert_eq!(owner.uid, nix::unistd::getuid().as_raw());
        let diag =
            sock_diag_owner(&peer, &server.local_addr().unwrap()).expect("sock_diag answers");
        let text = std::fs::read_to_string("/proc/net/tcp").unwrap();
        assert_eq!(
            Some(diag),
            find_in_table(&text, &peer, &server.local_addr().unwrap())
        );
        assert_eq!(peer, client.local_addr().unwrap());
    }
}
