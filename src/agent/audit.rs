//! The audit log: one JSON line per credential handed out (time, profile, channel, client
//! process), appended to a 0600 file in the state directory. `agent log` prints it.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The state directory (`$XDG_STATE_HOME/alicloud-vault` on Linux).
pub fn state_dir() -> PathBuf {
    let dirs = directories::ProjectDirs::from("", "", "alicloud-vault");
    match dirs {
        Some(d) => d
            .state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf(),
        None => std::env::temp_dir().join(format!(
            "alicloud-vault-state-{}",
            nix::unistd::getuid().as_raw()
        )),
    }
}

/// The audit log's path.
pub fn audit_path() -> PathBuf {
    state_dir().join("audit.log")
}

/// An open audit log.
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<std::fs::File>,
}

/// Opens (creating) a file for appending, mode 0600, in a 0700 directory.
pub fn open_append_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

impl AuditLog {
    pub fn open(path: &Path) -> Result<AuditLog, AuditError> {
        let file = open_append_private(path).map_err(|source| AuditError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record; a full disk costs the line, not the request.
    pub fn record(
        &self,
        profile: &str,
        channel: Channel,
        access_key_id: &str,
        pid: Option<u32>,
        exe: Option<PathBuf>,
        peer: Option<String>,
    ) {
        let rec = AuditRecord {
            time: crate::credentials::session::format_alibaba_time(time::OffsetDateTime::now_utc()),
            profile: profile.to_string(),
            channel,
            access_key_id: crate::secret::key_id_hint(access_key_id),
            pid,
            exe,
            peer,
        };
        let mut line = serde_json::to_vec(&rec).expect("an audit record serializes");
        line.push(b'\n');
        let mut f = self.file.lock().expect("lock");
        if let Err(e) = f.write_all(&line) {
            eprintln!(
                "alicloud-vault agent: cannot write the audit log {}: {e}",
                self.path.display()
            );
        }
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
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("state/audit.log");
        let log = AuditLog::open(&p).unwrap();
        log.record(
            "prod",
            Channel::Uri,
            "STS.abcdefgh1234",
            Some(42),
            None,
            Some("127.0.0.1:5555".into()),
        );
        log.record("prod", Channel::Exec, "STS.abcdefgh5678", None, None, None);
        let recs = read(&p).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].access_key_id, "****1234");
        assert_eq!(recs[1].channel, Channel::Exec);
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(format_record(&recs[0]).contains("uri"));
    }
}
