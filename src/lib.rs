//! alicloud-vault: keeps Alibaba Cloud AccessKeys in the OS keystore and turns them into
//! short-lived STS sessions for programs.
// Output goes through `message` (`out!`, `say!`, ...), which never panics on a closed stream.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod agent;
pub mod aliyun;
pub mod atomic_file;
pub mod broker;
pub mod browser;
pub mod cli;
pub mod color;
pub mod completion;
pub mod config;
pub mod console;
pub mod credentials;
pub mod diagnostics;
pub mod dirs;
pub mod display;
pub mod duration;
pub mod environment;
pub mod exit_codes;
pub mod export;
pub mod hardening;
pub mod keys;
pub mod keystore;
pub mod knobs;
pub mod message;
pub mod oauth_login;
pub mod platform;
pub mod rotation;
pub mod runtime;
pub mod secret;
pub mod serve;
pub mod session;
pub mod sso_login;
