//! Credentials URIs for containers, without Docker: a "host" and a "container" network
//! namespace of the test's own, joined by a veth pair (10.231.7.1 on the host end,
//! 10.231.7.2 and 10.231.7.100 on the container end). The vault runs in the host namespace
//! with `[agent] container_address` on the host end and `container_subnets` naming only
//! 10.231.7.0/28; the real Python client in the container namespace gets credentials through
//! the URI, a peer from 10.231.7.100 (outside the subnet) and requests without the right token
//! are refused. Both namespaces are deleted on every exit path (`Netns` drops).

use crate::agent::PY_URI;
use crate::common::{admin_world, python, TestEnv, BIN};
use crate::metadata::Netns;
use emulator::Emulator;
use std::process::Stdio;
use std::time::{Duration, Instant};

const HOST: &str = "10.231.7.1";
const INSIDE: &str = "10.231.7.2";
const OUTSIDE: &str = "10.231.7.100";

struct Bridge {
    // Declared first, dropped first: nothing of the test outlives the namespaces.
    env: TestEnv,
    emu: Emulator,
    host: Netns,
    container: Netns,
}

fn bridge(agent_toml: &str) -> Option<Bridge> {
    let host = Netns::named("host")?;
    let container = Netns::named("ctr")?;
    host.ip(&[
        "link",
        "add",
        "vh",
        "type",
        "veth",
        "peer",
        "name",
        "vc",
        "netns",
        container.name(),
    ]);
    host.ip(&["addr", "add", &format!("{HOST}/24"), "dev", "vh"]);
    host.ip(&["link", "set", "vh", "up"]);
    container.ip(&["addr", "add", &format!("{INSIDE}/24"), "dev", "vc"]);
    container.ip(&["addr", "add", &format!("{OUTSIDE}/24"), "dev", "vc"]);
    container.ip(&["link", "set", "vc", "up"]);
    let emu = host.emulator();
    let env = TestEnv::new();
    admin_world(&env, &emu, "", &format!("\n[agent]\n{agent_toml}\n"));
    Some(Bridge {
        env,
        emu,
        host,
        container,
    })
}

const SUBNETS: &str =
    "container_address = \"10.231.7.1:0\"\ncontainer_subnets = [\"10.231.7.0/28\"]";

/// `exec admin --server --container` in the host namespace, its child holding until told.
struct Served {
    child: std::process::Child,
    stop: std::path::PathBuf,
    uri: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.stop, "");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(b: &Bridge) -> Served {
    let dir = b.env.path();
    let (uri_file, stop) = (dir.join("uri"), dir.join("stop"));
    let hold = format!(
        "printf '%s' \"$ALIBABA_CLOUD_CREDENTIALS_URI\" > '{}'; while [ ! -e '{}' ]; do sleep 0.1; done",
        uri_file.display(),
        stop.display()
    );
    let child = b
        .host
        .cmd(
            &b.env,
            BIN,
            &[
                "exec",
                "admin",
                "--server",
                "--container",
                "--",
                "sh",
                "-c",
                &hold,
            ],
            &[],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut served = Served {
        child,
        stop,
        uri: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(u) = std::fs::read_to_string(&uri_file) {
            if !u.is_empty() {
                served.uri = u;
                return served;
            }
        }
        if let Ok(Some(_)) = served.child.try_wait() {
            let mut err = String::new();
            use std::io::Read;
            let _ = served.child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("exec --server --container ended: {err}");
        }
        assert!(
            Instant::now() < deadline,
            "no URI from exec --server --container"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// curl in the container namespace; returns the HTTP status ("000": no answer).
fn curl_status(b: &Bridge, url: &str, from: &str) -> String {
    let out = b
        .container
        .cmd(
            &b.env,
            "curl",
            &[
                "-s",
                "--noproxy",
                "*",
                "--max-time",
                "5",
                "--interface",
                from,
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                url,
            ],
            &[],
        )
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_client_in_a_container_namespace_gets_credentials_and_strangers_are_refused() {
    let Some(b) = bridge(SUBNETS) else { return };
    let served = serve(&b);
    let uri = served.uri.clone();
    assert!(
        uri.starts_with(&format!("http://{HOST}:")),
        "the URI names the host end of the bridge: {uri}"
    );

    let py = python();
    let out = b
        .container
        .cmd(
            &b.env,
            py.to_str().unwrap(),
            &["-c", PY_URI],
            &[("ALIBABA_CLOUD_CREDENTIALS_URI", &uri)],
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(b.emu.issued_sts_key(&id), "{id}");

    assert_eq!(curl_status(&b, &uri, INSIDE), "200");
    // A peer outside container_subnets gets no answer at all, with the right token.
    assert_eq!(curl_status(&b, &uri, OUTSIDE), "000");
    // Inside the subnet, the token is the check.
    let rest = uri.trim_start_matches("http://");
    let (addr, _) = rest.split_once('/').unwrap();
    assert_eq!(
        curl_status(&b, &format!("http://{addr}/credentials"), INSIDE),
        "403"
    );
    let wrong = format!("http://{addr}/{}/credentials", "0".repeat(64));
    assert_eq!(curl_status(&b, &wrong, INSIDE), "403");

    drop(served);
    assert_ne!(
        curl_status(&b, &uri, INSIDE),
        "200",
        "the URI outlived its exec"
    );
}

#[test]
fn container_settings_that_would_open_the_vault_to_other_networks_are_refused() {
    let env = TestEnv::new();
    let emu = Emulator::start();
    admin_world(&env, &emu, "", "");
    let plain = std::fs::read_to_string(env.config_path()).unwrap();
    let r = env.run(&["exec", "admin", "--server", "--container", "--", "true"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("--container needs a listener for containers"),
        "{r:?}"
    );
    for (toml, says) in [
        (
            "container_address = \"0.0.0.0:9911\"\ncontainer_subnets = [\"172.17.0.0/16\"]",
            "is a wildcard",
        ),
        (
            "container_address = \"127.0.0.1:9911\"\ncontainer_subnets = [\"172.17.0.0/16\"]",
            "is a loopback address",
        ),
        (
            "container_address = \"203.0.113.7:9911\"\ncontainer_subnets = [\"172.17.0.0/16\"]",
            "is not an address of a private network",
        ),
        (
            "container_address = \"172.17.0.1:9911\"\ncontainer_subnets = [\"0.0.0.0/0\"]",
            "is not inside a private network",
        ),
        (
            "container_address = \"172.17.0.1:9911\"",
            "container_address needs container_subnets",
        ),
    ] {
        env.write_config(&format!("{plain}\n[agent]\n{toml}\n"));
        let r = env.run(&["exec", "admin", "--server", "--container", "--", "true"]);
        assert_eq!(r.code, 1, "{toml}: {r:?}");
        assert!(r.stderr.contains(says), "{toml}: {r:?}");
        assert!(
            r.stderr.contains("config.toml:"),
            "names the file and line: {r:?}"
        );
    }
}
