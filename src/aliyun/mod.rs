//! The remote side: the RPC signer, one HTTP client per Alibaba Cloud service, and the
//! connection pool they share (`http`).

pub mod http;
pub mod oauth;
pub mod ram;
pub mod rpc;
pub mod signer;
pub mod signin;
pub mod sso;
pub mod sts;
