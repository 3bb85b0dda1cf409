//! Integration tests: the real binary, real keystores, the STS emulator, real client SDKs.
//!
//! Linux only: the suite drives the Secret Service over a private D-Bus, the kernel keyring and
//! network namespaces. macOS and Windows CI run the unit tests and a round trip through their
//! native keystore instead (docs/testing.md, docs/platforms.md).
#![cfg(target_os = "linux")]

mod common;

mod agent;
mod aliyun_cli;
mod autostart;
mod bad_settings;
mod citations;
mod cli_basics;
mod config_errors;
mod containers;
mod damage;
mod endpoint_hardening;
mod faults;
mod go_clients;
mod keystores;
mod layers;
mod login;
mod metadata;
mod migrate;
mod notify;
mod oauth;
mod oidc;
mod one_owner;
mod open_shell;
mod remote_text;
mod rotate;
mod snapshots;
mod sso;
mod stores;
mod sts_exec;
mod tour;
