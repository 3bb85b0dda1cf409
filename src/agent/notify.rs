//! Desktop notices: the agent tells the user, outside any terminal, when only they can fix
//! something for a profile a client uses (docs/agent.md, "Desktop notices"):
//!
//! - a login is needed (a CloudSSO login missing, expired or refused), or the login ends
//!   before the session just minted with it needs a refresh;
//! - refreshes keep failing ([`FAILURES_BEFORE_NOTICE`] in a row);
//! - a key rotation was left unfinished.
//!
//! One notice per cause (kind and profile) per [`REPEAT_AFTER`]; `[agent] notify = false` (read
//! when a notice is due, so an edit applies at once) turns them off. Notices are shown by one
//! worker thread, so neither a missing session bus nor a slow notification daemon ever holds
//! up a request; the first failure to show one is logged, later ones are not.

use super::protocol::ErrorKind;
use super::state::{unix_now, ConfigSource, Failure};
use crate::credentials::error::LoginNeeded;
use crate::credentials::plan::{Plan, SourceCredentials};
use crate::keystore::items::{StoredSsoToken, Vault};
use crate::message::PREFIX;
use crate::session::{format_alibaba_time, Session};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

/// The shortest time between two notices of the same cause.
pub const REPEAT_AFTER: Duration = Duration::from_secs(3600);
/// Failed refreshes in a row (the agent backs off between them) before the agent says so.
pub const FAILURES_BEFORE_NOTICE: u32 = 3;
/// A rotation record older than this belongs to a rotation that stopped: `rotate` waits at
/// most a minute for STS by default, and a few RAM calls besides. A test shortens it with
/// `ALICLOUD_VAULT_ROTATION_UNFINISHED_AFTER_MS`.
pub const ROTATION_UNFINISHED_AFTER: Duration = Duration::from_secs(10 * 60);

/// What a notice is about; with the profile, the unit of "one per hour".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    LoginNeeded,
    LoginEnding,
    RefreshFailing,
    RotationUnfinished,
}

/// One notification: a title and a body naming the profile and the command to run. The text
/// is made here from profile names and fixed words, never from a server's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub cause: Cause,
    /// The profile the cause is about (for a login, the profile to log in).
    pub profile: String,
    pub title: String,
    pub body: String,
}

impl Notice {
    /// `used` failed because `login` is needed.
    pub fn login_needed(used: &str, login: &LoginNeeded) -> Notice {
        let via = via(used, &login.profile);
        Notice::new(
            Cause::LoginNeeded,
            &login.profile,
            format!("{PREFIX} log in for profile {}", login.profile),
            format!(
                "The login of profile {}{via} has expired, so programs using it get no new credentials. Run: {}",
                login.profile, login.command
            ),
        )
    }

    /// The login behind `used` ends at `ends`, before the session just minted needs a refresh.
    pub fn login_ending(used: &str, login: &LoginNeeded, ends: OffsetDateTime) -> Notice {
        let via = via(used, &login.profile);
        Notice::new(
            Cause::LoginEnding,
            &login.profile,
            format!("{PREFIX} log in for profile {} soon", login.profile),
            format!(
                "The login of profile {}{via} ends at {}; after that, programs using it get no new credentials. Run: {}",
                login.profile,
                format_alibaba_time(ends),
                login.command
            ),
        )
    }

    /// Refreshes of `profile` failed `failures` times in a row.
    pub fn refresh_failing(profile: &str, failures: u32) -> Notice {
        Notice::new(
            Cause::RefreshFailing,
            profile,
            format!("{PREFIX} profile {profile} cannot be refreshed"),
            format!(
                "The last {failures} refreshes of profile {profile} failed; programs using it keep the current session until it expires. To see why, run: alicloud-vault exec {profile} -- true"
            ),
        )
    }

    /// A rotation of `profile`'s key stopped halfway.
    pub fn rotation_unfinished(profile: &str, started: OffsetDateTime) -> Notice {
        Notice::new(
            Cause::RotationUnfinished,
            profile,
            format!("{PREFIX} finish the key rotation of profile {profile}"),
            format!(
                "A rotation of the key of profile {profile} started at {} and did not finish. Run: alicloud-vault rotate {profile}",
                format_alibaba_time(started)
            ),
        )
    }

    fn new(cause: Cause, profile: &str, title: String, body: String) -> Notice {
        // Profile names from the aliyun CLI's file are not checked like ours: no control
        // characters reach the desktop whatever they hold.
        Notice {
            cause,
            profile: profile.to_string(),
            title: crate::display::strip_controls(&title),
            body: crate::display::strip_controls(&body),
        }
    }
}

/// " (used by profile X)" when the profile in use is not the one to log in.
fn via(used: &str, login: &str) -> String {
    if used == login {
        String::new()
    } else {
        format!(" (used by profile {used})")
    }
}

/// What a mint taught about the user's next action, looked up on the keystore thread.
pub fn after_mint(
    vault: &Vault,
    plan: &Plan,
    minted: Option<&Session>,
    margin: Duration,
) -> Vec<Notice> {
    let mut out = Vec::new();
    let now = OffsetDateTime::now_utc();
    match &plan.source {
        SourceCredentials::Sso {
            profile, settings, ..
        } => {
            let token = vault.read::<StoredSsoToken>(&crate::credentials::sso::token_item(
                &settings.sign_in_url,
            ));
            if let (Some(session), Ok(Some(token))) = (minted, token) {
                let margin = crate::credentials::resolve::hand_out_margin(session, margin);
                let needs_refresh = session.expiration - time::Duration::seconds(margin);
                if token.expires_at <= needs_refresh {
                    out.push(Notice::login_ending(
                        &plan.profile,
                        &LoginNeeded::sso(profile),
                        token.expires_at,
                    ));
                }
            }
        }
        SourceCredentials::StoredKey { profile } => {
            if let Ok(Some(started)) = vault.rotation_started_at(profile) {
                if now - started >= rotation_unfinished_after() {
                    out.push(Notice::rotation_unfinished(profile, started));
                }
            }
        }
        _ => {}
    }
    out
}

/// The notice a failed refresh of `profile` calls for, if any: a login only the user can do,
/// or the [`FAILURES_BEFORE_NOTICE`]th remote failure in a row.
pub fn after_failure(profile: &str, failure: &Failure, failures: u32) -> Option<Notice> {
    match &failure.login {
        Some(login) => Some(Notice::login_needed(profile, login)),
        None if failure.kind == ErrorKind::Remote && failures >= FAILURES_BEFORE_NOTICE => {
            Some(Notice::refresh_failing(profile, failures))
        }
        None => None,
    }
}

fn rotation_unfinished_after() -> Duration {
    crate::knobs::knob(crate::knobs::ENV_ROTATION_UNFINISHED_AFTER_MS)
        .unwrap_or(ROTATION_UNFINISHED_AFTER)
}

/// The agent's notices: which causes were shown when, and the worker that shows them.
pub struct Notices {
    config: ConfigSource,
    shared: Arc<Shared>,
    queue: Mutex<Option<mpsc::Sender<Notice>>>,
}

struct Shared {
    /// Unix time each cause was last let through.
    shown: Mutex<HashMap<(Cause, String), i64>>,
    failure_logged: AtomicBool,
}

impl Notices {
    pub fn new(config: ConfigSource) -> Notices {
        Notices {
            config,
            shared: Arc::new(Shared {
                shown: Mutex::new(HashMap::new()),
                failure_logged: AtomicBool::new(false),
            }),
            queue: Mutex::new(None),
        }
    }

    /// Whether notices are on (`[agent] notify`); an unreadable file leaves them on. Reads
    /// the configuration file: call it off the runtime, or only when a notice is due.
    pub fn enabled(&self) -> bool {
        enabled_in(&self.config)
    }

    /// Shows `notice` unless its cause was shown within [`REPEAT_AFTER`]. Never waits: the
    /// worker thread does the rest.
    pub fn show(&self, notice: Notice) {
        if !self.shared.first_in_window(&notice, unix_now()) {
            return;
        }
        let mut queue = self.queue.lock().expect("lock");
        if queue.is_none() {
            *queue = self.start_worker();
        }
        if let Some(tx) = queue.as_ref() {
            let _ = tx.send(notice);
        }
    }

    fn start_worker(&self) -> Option<mpsc::Sender<Notice>> {
        let (tx, rx) = mpsc::channel::<Notice>();
        let shared = self.shared.clone();
        let config = self.config.clone();
        let started = std::thread::Builder::new()
            .name("notices".into())
            .spawn(move || {
                for notice in rx {
                    if !enabled_in(&config) {
                        // Not shown, so not counted: turning notices on shows the next one.
                        shared.forget(&notice);
                        crate::debug!("notice for profile {} not shown: [agent] notify = false", notice.profile);
                        continue;
                    }
                    match crate::platform::desktop_notice::show(&notice.title, &notice.body) {
                        Ok(()) => crate::debug!("notice shown: {}", notice.title),
                        Err(e) => {
                            if !shared.failure_logged.swap(true, Ordering::Relaxed) {
                                crate::agent_log!("cannot show desktop notices ({e}); the agent goes on without them (this is said once; `[agent] notify = false` stops the attempts)");
                            }
                        }
                    }
                }
            });
        match started {
            Ok(_) => Some(tx),
            Err(e) => {
                crate::agent_log!("cannot start the thread that shows desktop notices: {e}");
                None
            }
        }
    }
}

fn enabled_in(config: &ConfigSource) -> bool {
    config.load().map_or(true, |c| c.agent.notify)
}

impl Shared {
    /// True (and the cause marked as shown now) when the cause was not shown in the last hour.
    fn first_in_window(&self, notice: &Notice, now: i64) -> bool {
        let mut shown = self.shown.lock().expect("lock");
        let key = (notice.cause, notice.profile.clone());
        let window = REPEAT_AFTER.as_secs() as i64;
        if shown.get(&key).is_some_and(|&at| now - at < window) {
            return false;
        }
        // Old marks go, so the map stays as small as the causes of the last hour.
        shown.retain(|_, at| now - *at < window);
        shown.insert(key, now);
        true
    }

    fn forget(&self, notice: &Notice) {
        self.shown
            .lock()
            .expect("lock")
            .remove(&(notice.cause, notice.profile.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        Shared {
            shown: Mutex::new(HashMap::new()),
            failure_logged: AtomicBool::new(false),
        }
    }

    #[test]
    fn one_notice_per_cause_and_profile_per_hour() {
        let s = shared();
        let login = LoginNeeded::sso("corp");
        let a = Notice::login_needed("corp", &login);
        assert!(s.first_in_window(&a, 1000));
        assert!(!s.first_in_window(&a, 1001));
        assert!(!s.first_in_window(&a, 1000 + 3599));
        // Another kind, another profile: each has its own hour.
        assert!(s.first_in_window(&Notice::refresh_failing("corp", 3), 1002));
        assert!(s.first_in_window(
            &Notice::login_needed("other", &LoginNeeded::sso("other")),
            1003
        ));
        assert!(s.first_in_window(&a, 1000 + 3600));
    }

    #[test]
    fn a_forgotten_notice_may_be_shown_again_at_once() {
        let s = shared();
        let a = Notice::refresh_failing("corp", 3);
        assert!(s.first_in_window(&a, 10));
        s.forget(&a);
        assert!(s.first_in_window(&a, 11));
    }

    #[test]
    fn a_login_notice_names_the_profile_in_use_and_the_command() {
        let n = Notice::login_needed("corp-deploy", &LoginNeeded::sso("corp-sso"));
        assert_eq!(n.profile, "corp-sso");
        assert_eq!(n.title, "alicloud-vault: log in for profile corp-sso");
        assert_eq!(
            n.body,
            "The login of profile corp-sso (used by profile corp-deploy) has expired, so programs using it get no new credentials. Run: alicloud-vault sso login corp-sso"
        );
    }

    #[test]
    fn control_characters_in_a_profile_name_never_reach_the_desktop() {
        let n = Notice::refresh_failing("evil\u{1b}[2J\nname", 3);
        assert!(!n.title.chars().any(char::is_control), "{:?}", n.title);
        assert!(!n.body.chars().any(char::is_control), "{:?}", n.body);
    }
}
