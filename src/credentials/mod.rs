//! Credentials: resolve a profile into a plan (a source and zero or more AssumeRole hops),
//! run it, cache the result and refresh it ahead of expiry.

pub mod error;
pub mod forget;
pub mod oauth;
pub mod oidc;
pub mod plan;
pub mod resolve;
pub mod sso;
pub mod verify;

/// The session types moved to [`crate::session`], beside the secret types; this path stays
/// for code written before the move.
pub use crate::session;
