//! The promises of the agent's endpoints on the paths an attacker walks (docs/security.md):
//! proxy-forwarding headers and duplicate `Host`s refused in every spelling, peers whose socket
//! owner is unknown refused, refusal lines rate-limited, slow and idle connections closed, one
//! agent per runtime directory, and control requests that act only on their own connection.
//! Every address is 127.0.0.1.

use crate::agent::{socket_path, start_agent, world, AgentProc};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Waits until the agent process ends (at most `limit`); its exit status, or `None`.
fn wait_exit(agent: &mut AgentProc, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(s)) = agent.child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn a_stop_whose_reply_is_never_read_stops_the_agent_and_nothing_carries_over() {
    let w = world();
    let mut agent = start_agent(&w.env);
    {
        let mut s = UnixStream::connect(socket_path(&w.env)).unwrap();
        // This client will never read: the agent's reply cannot be delivered.
        s.shutdown(std::net::Shutdown::Read).unwrap();
        s.write_all(b"{\"type\":\"stop\"}\n").unwrap();
    }
    let status = wait_exit(&mut agent, Duration::from_secs(10));
    assert!(
        status.is_some_and(|s| s.success()),
        "the agent must stop ({status:?}):\n{}",
        agent.log_text()
    );
    assert!(agent.log_text().contains("stopping (agent stop)"));

    // A new agent: requests on other connections (status, log, an unanswered stop's
    // neighbours) do not stop it.
    let mut agent = start_agent(&w.env);
    for args in [
        &["agent", "log"][..],
        &["agent", "status"],
        &["agent", "log"],
    ] {
        w.env.run(args);
    }
    assert!(
        wait_exit(&mut agent, Duration::from_millis(500)).is_none(),
        "the agent stopped on a request that was not `stop`:\n{}",
        agent.log_text()
    );
    assert_eq!(w.env.run(&["agent", "status"]).code, 0);
}

#[test]
fn a_second_agent_refuses_to_start_even_when_the_first_ones_socket_is_gone() {
    let w = world();
    let first = start_agent(&w.env);
    // A cleaner of the runtime directory (or a careless user) removed the socket.
    std::fs::remove_file(socket_path(&w.env)).unwrap();
    let log = w.env.path().join("second.log");
    let child = w
        .env
        .cmd(&["agent", "run"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut second = AgentProc { child, log };
    let status = wait_exit(&mut second, Duration::from_secs(10));
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "a second agent ran: {}",
        second.log_text()
    );
    assert!(
        second.log_text().contains("already running")
            && second.log_text().contains(&format!("pid {}", first.pid())),
        "{}",
        second.log_text()
    );
    drop(first);
    // Once the first has ended, the lock is free again.
    let _again = start_agent(&w.env);
}

#[test]
fn agents_started_at_once_leave_exactly_one_serving_and_the_others_say_why() {
    let w = world();
    for round in 0..4 {
        let mut procs: Vec<AgentProc> = (0..6)
            .map(|n| {
                let log = w.env.path().join(format!("race-{round}-{n}.log"));
                let f = std::fs::File::create(&log).unwrap();
                let child = w
                    .env
                    .cmd(&["agent", "run"])
                    .stdout(Stdio::null())
                    .stderr(f)
                    .spawn()
                    .unwrap();
                AgentProc { child, log }
            })
            .collect();
        // All but one end by themselves; the survivor is the one the socket leads to.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut ended: Vec<(usize, std::process::ExitStatus)> = Vec::new();
        while Instant::now() < deadline && ended.len() < procs.len() - 1 {
            for (i, p) in procs.iter_mut().enumerate() {
                if ended.iter().any(|(j, _)| *j == i) {
                    continue;
                }
                if let Ok(Some(s)) = p.child.try_wait() {
                    ended.push((i, s));
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let alive: Vec<usize> = (0..procs.len())
            .filter(|i| !ended.iter().any(|(j, _)| j == i))
            .collect();
        assert_eq!(
            alive.len(),
            1,
            "round {round}: agents alive: {alive:?}; logs:\n{}",
            procs
                .iter()
                .map(|p| p.log_text())
                .collect::<Vec<_>>()
                .join("\n--\n")
        );
        for (i, s) in &ended {
            assert_eq!(s.code(), Some(1), "{}", procs[*i].log_text());
            assert!(
                procs[*i].log_text().contains("already running"),
                "{}",
                procs[*i].log_text()
            );
        }
        let st = w.env.run(&["agent", "status", "--json"]);
        let v: serde_json::Value = serde_json::from_str(st.ok()).unwrap();
        assert_eq!(
            v["pid"].as_u64(),
            Some(procs[alive[0]].child.id() as u64),
            "the socket leads to the survivor"
        );
        drop(procs);
    }
}
