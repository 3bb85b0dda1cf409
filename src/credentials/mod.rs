//! Credentials: resolve a profile into a plan (a source and zero or more AssumeRole hops),
//! run it, cache the result and refresh it ahead of expiry.

pub mod forget;
pub mod plan;
pub mod resolve;
pub mod session;
pub mod sso;
