//! What stops `agent run`, and the one signal that says so. Three things ask for a stop:
//! SIGTERM or SIGINT (Ctrl-C and the console's events on Windows), `agent stop` on a control
//! connection, and `[agent] exit_after` of idleness. Each calls [`Stop::request`]; `agent run`
//! and the agent's own loops wait on [`Stop::stopped`]. The first reason wins.

use super::endpoints::Endpoints;
use super::{state, transport};
use std::sync::Arc;
use std::time::Duration;

/// Why the agent stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum StopReason {
    /// A signal or console event, by name (`SIGTERM`, `Ctrl-C`...).
    Signal(&'static str),
    /// `agent stop` on a control connection.
    Request,
    /// No request for `[agent] exit_after`.
    Idle(Duration),
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopReason::Signal(name) => f.write_str(name),
            StopReason::Request => f.write_str("agent stop"),
            StopReason::Idle(after) => write!(
                f,
                "no request for {}; [agent] exit_after",
                crate::config::format_duration(*after)
            ),
        }
    }
}

/// The agent's stop signal: set once, seen by every waiter, whether it began to wait before
/// the stop or after.
pub(super) struct Stop {
    reason: tokio::sync::watch::Sender<Option<StopReason>>,
}

impl Stop {
    pub(super) fn new() -> Stop {
        Stop {
            reason: tokio::sync::watch::Sender::new(None),
        }
    }

    /// Asks the agent to stop; returns false when it was asked already (the first reason stays).
    pub(super) fn request(&self, why: StopReason) -> bool {
        self.reason.send_if_modified(|reason| {
            if reason.is_some() {
                return false;
            }
            *reason = Some(why);
            true
        })
    }

    /// Resolves with the reason once a stop was asked for.
    pub(super) async fn stopped(&self) -> StopReason {
        let mut seen = self.reason.subscribe();
        let reason = seen
            .wait_for(Option::is_some)
            .await
            .expect("the sender lives as long as self");
        reason.clone().expect("waited for a reason")
    }
}

/// Watches for the signals and for idleness, and returns the first reason to stop (said on
/// stderr).
pub(super) async fn until_stopped(
    endpoints: Arc<Endpoints>,
    mut signals: transport::StopSignals,
    exit_after: Duration,
) -> StopReason {
    let watcher = endpoints.clone();
    tokio::spawn(async move {
        tokio::select! {
            name = signals.recv() => {
                watcher.stop.request(StopReason::Signal(name));
            }
            _ = watcher.stop.stopped() => {}
        }
    });
    let watcher = endpoints.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = idle_exit(&watcher, exit_after) => {
                watcher.stop.request(StopReason::Idle(exit_after));
            }
            _ = watcher.stop.stopped() => {}
        }
    });
    let reason = endpoints.stop.stopped().await;
    crate::agent_log!("stopping ({reason})");
    reason
}

/// Resolves once no request came for `exit_after` and no URI or metadata endpoint relies
/// on a session (`[agent] exit_after`).
async fn idle_exit(endpoints: &Endpoints, exit_after: Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        let (last_session, pinned) = endpoints.state.sessions.last_activity();
        let last = last_session.max(
            endpoints
                .last_request
                .load(std::sync::atomic::Ordering::Relaxed),
        );
        let metadata_on = endpoints.metadata.lock().expect("lock").running;
        if !pinned && !metadata_on && state::unix_now() - last >= exit_after.as_secs() as i64 {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_reason_to_stop_wins_and_every_waiter_sees_it() {
        let stop = Arc::new(Stop::new());
        let early = {
            let stop = stop.clone();
            tokio::spawn(async move { stop.stopped().await })
        };
        tokio::task::yield_now().await;
        assert!(!early.is_finished(), "nothing asked for a stop yet");
        assert!(stop.request(StopReason::Request));
        assert!(!stop.request(StopReason::Signal("SIGTERM")));
        assert_eq!(early.await.unwrap(), StopReason::Request);
        // A loop that starts waiting after the stop sees it too.
        assert_eq!(stop.stopped().await, StopReason::Request);
    }

    #[test]
    fn each_reason_reads_as_the_agent_log_says_it() {
        assert_eq!(StopReason::Signal("SIGINT").to_string(), "SIGINT");
        assert_eq!(StopReason::Request.to_string(), "agent stop");
        assert_eq!(
            StopReason::Idle(Duration::from_secs(120)).to_string(),
            format!(
                "no request for {}; [agent] exit_after",
                crate::config::format_duration(Duration::from_secs(120))
            )
        );
    }
}
