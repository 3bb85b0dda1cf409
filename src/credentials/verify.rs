//! Checking a long-term key with STS GetCallerIdentity before it is stored (`add`), at the
//! STS endpoint the profile would use.

use crate::aliyun::sts::{CallerIdentity, StsClient};
use crate::config::{Config, Service};
use crate::session::{Issued, LongTermKey};

/// Who `key` belongs to, asked of the STS endpoint of `profile` (its `sts_endpoint`, else the
/// regional default). When STS does not accept the key, the error says it was not stored.
pub fn new_key_owner(
    config: &Config,
    profile: &str,
    key: &LongTermKey,
) -> anyhow::Result<CallerIdentity> {
    let p = config.profile_or_key_only(profile)?;
    let endpoint = match config.endpoint(&p, Service::Sts)? {
        Some(e) => e,
        None => StsClient::default_endpoint(config.region(&p).as_deref()),
    };
    let sts = StsClient::new(&endpoint)?;
    let caller = Issued::LongTerm(key.clone());
    crate::runtime::block_on(sts.get_caller_identity(&caller))?.map_err(|e| {
        anyhow::Error::new(e).context(
            "the key was not stored, because STS did not accept it (use --no-verify to store it anyway)",
        )
    })
}
