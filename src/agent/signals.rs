//! What stops `agent run`: SIGTERM or SIGINT (Ctrl-C and the console's events on Windows), an
//! `agent stop` on a control connection, or `[agent] exit_after` of idleness.

use super::endpoints::Services;
use super::{state, transport};
use std::sync::Arc;
use std::time::Duration;

/// Waits for the first reason to stop and says which it was on stderr.
pub(super) async fn until_stopped(
    services: Arc<Services>,
    mut signals: transport::StopSignals,
    exit_after: Duration,
) {
    tokio::select! {
        _ = idle_exit(services.clone(), exit_after) => eprintln!(
            "alicloud-vault agent: stopping (no request for {}; [agent] exit_after)",
            crate::config::format_duration(exit_after)
        ),
        name = signals.recv() => eprintln!("alicloud-vault agent: stopping ({name})"),
        _ = services.stop.notified() => eprintln!("alicloud-vault agent: stopping (agent stop)"),
    }
}

/// Resolves once no request came for `exit_after` and no URI or metadata endpoint relies
/// on a session (`[agent] exit_after`).
async fn idle_exit(services: Arc<Services>, exit_after: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        let (last_session, pinned) = services.state.sessions.last_activity();
        let last = last_session.max(
            services
                .last_request
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        let metadata_on = services.metadata.lock().expect("lock").running;
        if !pinned && !metadata_on && state::unix_now() - last >= exit_after.as_secs() as i64 {
            return;
        }
    }
}
