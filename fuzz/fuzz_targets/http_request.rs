//! The credentials URI and metadata request handling (`HttpServer::respond`): any method,
//! target and headers give an answer, never a panic, and a refused request never gets a 200.
//! Input: one byte (endpoint, hardened), then `METHOD TARGET` and `Name: value` lines.
#![no_main]

use alicloud_vault::agent::http::{Endpoint, HttpServer};
use alicloud_vault::agent::state::{AgentState, ConfigSource};
use alicloud_vault::aliyun::http::HttpPool;
use alicloud_vault::credentials::resolve::Resolver;
use alicloud_vault::keystore::access::KeystoreAccess;
use alicloud_vault::keystore::{self, items::Vault, BackendKind};
use libfuzzer_sys::fuzz_target;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

struct World {
    runtime: tokio::runtime::Runtime,
    servers: Vec<HttpServer>,
    _dir: tempfile::TempDir,
}

static WORLD: OnceLock<World> = OnceLock::new();

fn world() -> &'static World {
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("ALICLOUD_VAULT_FILE_DIR", dir.path().join("keys"));
        std::env::set_var("ALICLOUD_VAULT_FILE_PASSPHRASE", "fuzz");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "[profile.base]\n").unwrap();
        let store = keystore::open(Some(BackendKind::File)).unwrap();
        let margin = Duration::from_secs(900);
        let resolver = Resolver::new(
            KeystoreAccess::new(Arc::new(Vault::new(store))),
            HttpPool::new().unwrap(),
            margin,
        );
        let state = Arc::new(AgentState::new(
            resolver,
            ConfigSource::new(config),
            margin,
            None,
        ));
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let key = [7u8; 32];
        let servers = vec![
            HttpServer::new(state.clone(), Endpoint::CredentialsUri, local),
            HttpServer::new(
                state.clone(),
                Endpoint::Metadata {
                    hardened: false,
                    token_key: key,
                },
                local,
            ),
            HttpServer::new(
                state,
                Endpoint::Metadata {
                    hardened: true,
                    token_key: key,
                },
                local,
            ),
        ];
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        World {
            runtime,
            servers,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut lines = text.split('\n');
    let Some((method, target)) = lines.next().and_then(|l| l.split_once(' ')) else {
        return;
    };
    let mut builder = hyper::Request::builder().method(method).uri(target);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            builder = builder.header(name.trim(), value.trim());
        }
    }
    let Ok(req) = builder.body(()) else {
        return;
    };
    let w = world();
    let server = &w.servers[which as usize % w.servers.len()];
    let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    let resp = w.runtime.block_on(server.respond(&req, peer));
    if resp.status() == hyper::StatusCode::OK {
        // Nothing holds credentials in this world: a 200 can only be a listing or a token.
        assert_ne!(
            resp.headers()
                .get(hyper::header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(&b"application/json"[..]),
            "credentials served for {method} {target}"
        );
        let host_ok = req
            .headers()
            .get(hyper::header::HOST)
            .is_some_and(|h| h == "127.0.0.1:8080" || h == "127.0.0.1");
        assert!(host_ok, "a 200 for a request with a foreign Host: {req:?}");
    }
});
