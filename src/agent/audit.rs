//! The audit log: one JSON line per credential handed out (time, profile, channel, client
//! process), appended to a 0600 file in the state directory. `agent log` prints it.

use crate::message::AGENT_PREFIX;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// How a credential left the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// `exec` or `export` through the control socket.
    Exec,
    /// The credentials URI of `exec --server`.
    Uri,
    /// The ECS metadata emulation.
    Metadata,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Exec => "exec",
            Channel::Uri => "uri",
            Channel::Metadata => "metadata",
        }
    }
}

/// One audit line. Holds no secret: only the last four characters of the AccessKeyId.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditRecord {
    pub time: String,
    pub profile: String,
    pub channel: Channel,
    pub access_key_id: String,
    pub pid: Option<u32>,
    pub exe: Option<PathBuf>,
    /// The client's address, for the HTTP endpoints.
    pub peer: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(
        "cannot open the audit log {path}: {source}. Check that the state directory is writable"
    )]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the audit log {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An open audit log. Records are written by a worker thread, so that handing out a
/// credential never waits for the file or for the walk over `/proc` that finds an HTTP
/// client's pid: the worker takes all records queued at once, looks their sockets up in one
/// pass, and appends the lines in one write (an HTTP request waits for that, see
/// [`AuditLog::record_written`]). [`AuditLog::flush`] waits until every record
/// queued before it is on disk (`agent log` asks the agent for it).
pub struct AuditLog {
    path: PathBuf,
    queue: Option<mpsc::Sender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
}

/// Who received a credential, as far as the server knows at the time.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub pid: Option<u32>,
    /// The inode of the client's TCP socket, to find its pid.
    pub socket_inode: Option<u64>,
    /// The client's address, for the HTTP endpoints.
    pub peer: Option<String>,
}

enum Job {
    /// A record, the client socket whose pid to look up, and whom to tell once it is written.
    Record(
        AuditRecord,
        Option<u64>,
        Option<tokio::sync::oneshot::Sender<()>>,
    ),
    Flush(mpsc::Sender<()>),
}

/// Most records one write takes (the queue itself is not bounded: a record is queued per
/// credential handed out to a new client, which the client's own connection rate bounds).
const BATCH: usize = 1024;

/// Opens (creating) a file for appending, mode 0600, in a 0700 directory. (On Windows the
/// state directory under `%LOCALAPPDATA%` inherits an ACL for the user alone.)
pub fn open_append_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl AuditLog {
    pub fn open(path: &Path) -> Result<AuditLog, AuditError> {
        let open_error = |source| AuditError::Open {
            path: path.to_path_buf(),
            source,
        };
        let file = open_append_private(path).map_err(open_error)?;
        let (queue, jobs) = mpsc::channel();
        let worker_path = path.to_path_buf();
        let worker = std::thread::Builder::new()
            .name("audit".into())
            .stack_size(256 * 1024)
            .spawn(move || write_records(file, &worker_path, jobs))
            .map_err(open_error)?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            queue: Some(queue),
            worker: Some(worker),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues one record; never blocks. A full disk costs the line, not the request.
    pub fn record(&self, profile: &str, channel: Channel, access_key_id: &str, client: Client) {
        self.queue(profile, channel, access_key_id, client, None);
    }

    /// Queues one record and returns what completes once it is written. An HTTP server awaits
    /// it before it answers: the client's socket is looked up while the client still holds it
    /// (a one-shot client closes it as soon as it has its answer).
    pub fn record_written(
        &self,
        profile: &str,
        channel: Channel,
        access_key_id: &str,
        client: Client,
    ) -> tokio::sync::oneshot::Receiver<()> {
        let (done, written) = tokio::sync::oneshot::channel();
        self.queue(profile, channel, access_key_id, client, Some(done));
        written
    }

    fn queue(
        &self,
        profile: &str,
        channel: Channel,
        access_key_id: &str,
        client: Client,
        done: Option<tokio::sync::oneshot::Sender<()>>,
    ) {
        let rec = AuditRecord {
            time: crate::session::format_alibaba_time(time::OffsetDateTime::now_utc()),
            profile: profile.to_string(),
            channel,
            access_key_id: crate::secret::key_id_hint(access_key_id),
            pid: client.pid,
            exe: None,
            peer: client.peer,
        };
        if let Some(q) = &self.queue {
            let _ = q.send(Job::Record(rec, client.socket_inode, done));
        }
    }

    /// Waits (at most `timeout`) until every record queued so far is written.
    pub fn flush(&self, timeout: std::time::Duration) {
        let (done, wait) = mpsc::channel();
        if let Some(q) = &self.queue {
            if q.send(Job::Flush(done)).is_ok() {
                let _ = wait.recv_timeout(timeout);
            }
        }
    }
}

impl Drop for AuditLog {
    /// Writes what is queued before the agent exits.
    fn drop(&mut self) {
        drop(self.queue.take());
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// The worker: batches of queued records, pids found in one pass, one write per batch.
fn write_records(mut file: std::fs::File, path: &Path, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match jobs.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let wanted: HashSet<u64> = batch
            .iter()
            .filter_map(|j| match j {
                Job::Record(r, inode, _) if r.pid.is_none() => *inode,
                _ => None,
            })
            .collect();
        let pids = super::peer::pids_of_sockets(&wanted);
        let mut lines = Vec::new();
        let mut flushes = Vec::new();
        let mut written = Vec::new();
        for job in batch {
            match job {
                Job::Record(mut rec, inode, done) => {
                    written.extend(done);
                    rec.pid = rec
                        .pid
                        .or_else(|| inode.and_then(|i| pids.get(&i).copied()));
                    rec.exe = rec.pid.and_then(super::socket::executable_of);
                    serde_json::to_writer(&mut lines, &rec).expect("an audit record serializes");
                    lines.push(b'\n');
                }
                Job::Flush(done) => flushes.push(done),
            }
        }
        if let Err(e) = file.write_all(&lines) {
            crate::agent_log!("cannot write the audit log {}: {e}", path.display());
        }
        for done in flushes {
            let _ = done.send(());
        }
        for done in written {
            let _ = done.send(());
        }
    }
}

/// At most this many lines about refused peers and requests per [`REFUSAL_WINDOW`]; the rest
/// are counted, and the count is written once the window ends. A flood of refused connections
/// (another user, a browser, a scanner) must not fill the disk through `agent.log`.
pub const REFUSAL_LINES: u32 = 10;
pub const REFUSAL_WINDOW: std::time::Duration = std::time::Duration::from_secs(10);

/// The rate limit of refusal lines: a fixed window, started by the first refusal after a
/// quiet time.
#[derive(Debug, Default)]
pub struct RefusalLimit {
    started: Option<std::time::Instant>,
    logged: u32,
    suppressed: u64,
}

impl RefusalLimit {
    /// Whether a refusal at `now` gets its line; the summary of the window that ended before
    /// it, if any.
    pub fn refusal(&mut self, now: std::time::Instant) -> (bool, Option<String>) {
        let summary = self.tick(now);
        self.started.get_or_insert(now);
        if self.logged < REFUSAL_LINES {
            self.logged += 1;
            (true, summary)
        } else {
            self.suppressed += 1;
            (false, summary)
        }
    }

    /// Ends the window if it is over: the line that counts what was not logged, if anything.
    pub fn tick(&mut self, now: std::time::Instant) -> Option<String> {
        let started = self.started?;
        if now.duration_since(started) < REFUSAL_WINDOW {
            return None;
        }
        let suppressed = std::mem::take(&mut self.suppressed);
        self.started = None;
        self.logged = 0;
        (suppressed > 0).then(|| {
            format!(
                "{AGENT_PREFIX} refusals not logged: {suppressed} in the last {} s (at most {REFUSAL_LINES} lines are written per {} s; docs/agent.md describes the checks)",
                now.duration_since(started).as_secs(),
                REFUSAL_WINDOW.as_secs()
            )
        })
    }
}

static REFUSALS: std::sync::Mutex<RefusalLimit> = std::sync::Mutex::new(RefusalLimit {
    started: None,
    logged: 0,
    suppressed: 0,
});

/// Writes a line about a refused peer or request to the agent's log (stderr), within the
/// rate limit. `line` is only formatted when it is written.
pub fn refused(line: impl FnOnce() -> String) {
    let (write, summary) = REFUSALS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .refusal(std::time::Instant::now());
    if let Some(s) = summary {
        crate::sayln!("{s}");
    }
    if write {
        crate::sayln!("{}", line());
    }
}

/// Called every second by the agent: writes the count of the refusals not logged once their
/// window is over, even if no refusal follows.
pub fn refusals_tick() {
    let summary = REFUSALS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .tick(std::time::Instant::now());
    if let Some(s) = summary {
        crate::sayln!("{s}");
    }
}

/// Reads every record of an audit log (lines that do not parse are skipped).
pub fn read(path: &Path) -> Result<Vec<AuditRecord>, AuditError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(AuditError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

/// One record as a line for people.
pub fn format_record(r: &AuditRecord) -> String {
    let client = match (&r.pid, &r.exe) {
        (Some(pid), Some(exe)) => format!("pid {pid} {}", exe.display()),
        (Some(pid), None) => format!("pid {pid}"),
        _ => "unknown client".to_string(),
    };
    let peer = r
        .peer
        .as_deref()
        .map(|p| format!(" from {p}"))
        .unwrap_or_default();
    format!(
        "{}  {:<8}  {}  {}  {}{}",
        r.time,
        r.channel.name(),
        r.profile,
        r.access_key_id,
        client,
        peer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_appended_to_a_private_file_and_read_back() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("state/audit.log");
        let log = AuditLog::open(&p).unwrap();
        log.record(
            "prod",
            Channel::Uri,
            "STS.abcdefgh1234",
            Client {
                pid: Some(std::process::id()),
                socket_inode: None,
                peer: Some("127.0.0.1:5555".into()),
            },
        );
        log.record("prod", Channel::Exec, "STS.abcdefgh5678", Client::default());
        log.flush(std::time::Duration::from_secs(5));
        let recs = read(&p).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].access_key_id, "****1234");
        assert_eq!(recs[1].channel, Channel::Exec);
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&p).unwrap().permissions())
                & 0o777,
            0o600
        );
        assert!(format_record(&recs[0]).contains("uri"));
        assert_eq!(
            recs[0].exe.as_deref(),
            std::env::current_exe().ok().as_deref(),
            "the worker finds the executable of a known pid"
        );
        drop(log);
    }

    #[test]
    fn refusal_lines_are_limited_per_window_and_the_rest_is_counted() {
        let t0 = std::time::Instant::now();
        let mut limit = RefusalLimit::default();
        let written = (0..25)
            .filter(|n| {
                let (write, summary) = limit.refusal(t0 + std::time::Duration::from_millis(*n));
                assert!(summary.is_none(), "the window is not over");
                write
            })
            .count();
        assert_eq!(written, REFUSAL_LINES as usize);
        assert_eq!(limit.tick(t0 + REFUSAL_WINDOW / 2), None);
        let summary = limit.tick(t0 + REFUSAL_WINDOW).expect("a summary");
        assert!(
            summary.contains("not logged: 15 in the last 10 s"),
            "{summary}"
        );
        assert_eq!(limit.tick(t0 + REFUSAL_WINDOW * 3), None, "said once");
        // A new window after a quiet time: lines again.
        assert_eq!(limit.refusal(t0 + REFUSAL_WINDOW * 4), (true, None));
    }

    #[test]
    fn records_queued_when_the_log_closes_are_written() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("audit.log");
        let log = AuditLog::open(&p).unwrap();
        for n in 0..50 {
            log.record(
                "dev",
                Channel::Metadata,
                &format!("STS.key{n:04}"),
                Client::default(),
            );
        }
        drop(log);
        let recs = read(&p).unwrap();
        assert_eq!(recs.len(), 50);
        assert_eq!(recs[49].access_key_id, "****0049");
    }
}
