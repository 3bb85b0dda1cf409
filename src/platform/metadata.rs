//! `metadata setup`: the commands that put the metadata address on the loopback interface,
//! and take it off again, for each OS (a pure function, tested on every platform).

use std::net::IpAddr;

/// The operating systems `metadata setup` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The OS this binary was built for (anything else Unix-like gets the Linux commands).
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// What `metadata setup` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopbackAlias {
    /// The command that adds the address, as argv (run as root/administrator).
    pub add: Vec<String>,
    /// The command that removes it again.
    pub remove: Vec<String>,
    /// What else the user must know on this OS.
    pub note: Option<&'static str>,
}

/// The name `metadata setup` expects for the Windows loopback adapter it tells the user to add.
pub const WINDOWS_ADAPTER: &str = "alicloud-vault-loopback";

/// The commands for `ip` (a host address: /32 or /128, so no other address is routed there).
pub fn loopback_alias(os: Os, ip: IpAddr) -> LoopbackAlias {
    let v = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let host = match ip {
        IpAddr::V4(_) => format!("{ip}/32"),
        IpAddr::V6(_) => format!("{ip}/128"),
    };
    let ip = ip.to_string();
    match os {
        Os::Linux => LoopbackAlias {
            add: v(&["ip", "addr", "add", &host, "dev", "lo"]),
            remove: v(&["ip", "addr", "del", &host, "dev", "lo"]),
            note: None,
        },
        Os::MacOs => LoopbackAlias {
            add: v(&["ifconfig", "lo0", "alias", &host]),
            remove: v(&["ifconfig", "lo0", "-alias", &ip]),
            note: None,
        },
        Os::Windows => LoopbackAlias {
            add: v(&[
                "netsh",
                "interface",
                "ip",
                "add",
                "address",
                &format!("name={WINDOWS_ADAPTER}"),
                &format!("address={ip}"),
                "mask=255.255.255.255",
            ]),
            remove: v(&[
                "netsh",
                "interface",
                "ip",
                "delete",
                "address",
                &format!("name={WINDOWS_ADAPTER}"),
                &format!("address={ip}"),
            ]),
            note: Some(
                "Windows cannot add an address to its built-in loopback: first add the \
                 Microsoft KM-TEST Loopback Adapter (hdwwiz.exe, Network adapters) and rename \
                 it alicloud-vault-loopback, then run the line above in an elevated prompt. \
                 Untested: no Windows machine has run it (docs/platforms.md)",
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md() -> IpAddr {
        "100.100.100.200".parse().unwrap()
    }

    #[test]
    fn linux_uses_ip_addr_on_lo_with_a_host_prefix() {
        let a = loopback_alias(Os::Linux, md());
        assert_eq!(a.add.join(" "), "ip addr add 100.100.100.200/32 dev lo");
        assert_eq!(a.remove.join(" "), "ip addr del 100.100.100.200/32 dev lo");
        assert_eq!(a.note, None);
    }

    #[test]
    fn macos_aliases_lo0_and_undoes_it_with_minus_alias() {
        let a = loopback_alias(Os::MacOs, md());
        assert_eq!(a.add.join(" "), "ifconfig lo0 alias 100.100.100.200/32");
        assert_eq!(a.remove.join(" "), "ifconfig lo0 -alias 100.100.100.200");
    }

    #[test]
    fn windows_names_the_loopback_adapter_and_says_it_is_untested() {
        let a = loopback_alias(Os::Windows, md());
        assert_eq!(
            a.add.join(" "),
            "netsh interface ip add address name=alicloud-vault-loopback address=100.100.100.200 mask=255.255.255.255"
        );
        assert!(a
            .remove
            .join(" ")
            .starts_with("netsh interface ip delete address"));
        assert!(a.note.unwrap().contains("Untested"));
    }

    #[test]
    fn an_ipv6_address_gets_a_128_bit_prefix() {
        let a = loopback_alias(Os::Linux, "fd00::200".parse().unwrap());
        assert_eq!(a.add[3], "fd00::200/128");
    }
}
