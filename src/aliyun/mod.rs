//! The remote side: the RPC signer and one HTTP client per Alibaba Cloud service.

pub mod oauth;
pub mod ram;
pub mod rpc;
pub mod signer;
pub mod signin;
pub mod sso;
pub mod sts;
