//! The STS emulator of the test suite as a standalone process, for benchmarks and the soak test.
//!
//! ```text
//! cargo run --release --example emulator -- [--port N] [--fault-rate 0.1]
//!     [--session-lifetime SECONDS] [--max-seconds SECONDS]
//! ```
//!
//! Prints one JSON line on stdout: `base_url`, `access_key_id`, `access_key_secret`, `role_arn`
//! (a RAM user's key and a role it may assume). It then serves until its standard input closes,
//! it is signalled, or `--max-seconds` (default one hour) have passed, whichever comes first.
//! `--fault-rate P` makes about that fraction of requests fail with one of the emulator's faults
//! (5xx, throttling, malformed JSON, dropped connection). At exit it prints its call counts on
//! stderr.

use emulator::state::Trusted;
use emulator::{Emulator, Fault};
use std::io::Read;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "1234567890123456";

struct Options {
    port: u16,
    fault_rate: f64,
    session_lifetime: Option<u64>,
    max_seconds: u64,
}

fn usage() -> ! {
    eprintln!("usage: emulator [--port N] [--fault-rate 0..1] [--session-lifetime SECONDS] [--max-seconds SECONDS]");
    std::process::exit(2)
}

fn parse() -> Options {
    let mut o = Options {
        port: 0,
        fault_rate: 0.0,
        session_lifetime: None,
        max_seconds: 3600,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--port" => o.port = value.parse().unwrap_or_else(|_| usage()),
            "--fault-rate" => o.fault_rate = value.parse().unwrap_or_else(|_| usage()),
            "--session-lifetime" => {
                o.session_lifetime = Some(value.parse().unwrap_or_else(|_| usage()))
            }
            "--max-seconds" => o.max_seconds = value.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if !(0.0..=1.0).contains(&o.fault_rate) {
        usage();
    }
    o
}

fn total_calls(emu: &Emulator) -> usize {
    emu.state().calls.values().sum()
}

fn main() {
    let o = parse();
    let addr: SocketAddr = ([127, 0, 0, 1], o.port).into();
    let emu = Emulator::spawn_on(addr).unwrap_or_else(|e| {
        eprintln!("emulator: cannot listen on {addr}: {e}");
        std::process::exit(1)
    });
    let (id, secret) = emu.add_user(ACCOUNT, "bench");
    let role = emu.add_role(
        ACCOUNT,
        "bench-role",
        43200,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    if let Some(s) = o.session_lifetime {
        emu.set_session_lifetime(Some(Duration::from_secs(s)));
    }
    println!(
        "{}",
        serde_json::json!({
            "base_url": emu.base_url(),
            "access_key_id": id,
            "access_key_secret": secret,
            "role_arn": role,
        })
    );

    // Standard input closing (the parent script exiting) stops the emulator.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = [0u8; 256];
        while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
        let _ = done_tx.send(());
    });

    if o.fault_rate > 0.0 {
        emu.set_fault_rate(
            o.fault_rate,
            vec![
                Fault::Http5xx,
                Fault::Throttle,
                Fault::MalformedJson,
                Fault::DropConnection,
            ],
        );
    }
    let deadline = Instant::now() + Duration::from_secs(o.max_seconds);
    while Instant::now() < deadline {
        if done_rx.recv_timeout(Duration::from_millis(200)).is_ok() {
            break;
        }
    }
    let faulted = emu.requests().iter().filter(|r| r.fault.is_some()).count();
    eprintln!(
        "emulator: AssumeRole calls {}, requests {}, faulted {}",
        emu.calls("AssumeRole"),
        total_calls(&emu),
        faulted
    );
}
