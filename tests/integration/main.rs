//! Integration tests: the real binary, real keystores, the STS emulator, real client SDKs.

mod common;

mod agent;
mod aliyun_cli;
mod autostart;
mod bad_settings;
mod citations;
mod cli_basics;
mod config_errors;
mod damage;
mod endpoint_hardening;
mod faults;
mod go_clients;
mod keystores;
mod login;
mod metadata;
mod oidc;
mod one_owner;
mod remote_text;
mod rotate;
mod snapshots;
mod sso;
mod sts_exec;
mod tour;
