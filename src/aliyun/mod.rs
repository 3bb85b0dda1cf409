//! The remote side: the RPC signer and one HTTP client per Alibaba Cloud service.
