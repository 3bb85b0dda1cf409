//! The remote side: the RPC signer and one HTTP client per Alibaba Cloud service.

pub mod rpc;
pub mod signer;
pub mod sso;
pub mod sts;
