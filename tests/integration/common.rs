//! `TestEnv`: a private world for one test (config, key files, aliyun config, runtime dir)
//! and a builder that runs the real `alicloud-vault` binary in it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_alicloud-vault");

/// A test's own directories and environment.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub backend: String,
    vars: Vec<(String, String)>,
    /// What runs every command of this world unless a command names its own wrapper.
    wrapper: Vec<String>,
}

/// What a finished command printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stdout
    }
}

/// A unique name for items in shared stores (the keyring of the test session).
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestEnv {
    /// A world on the `file` backend with a test passphrase and fast KDF.
    pub fn new() -> TestEnv {
        TestEnv::with_backend("file")
    }

    pub fn with_backend(backend: &str) -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path();
        for d in ["home", "config", "data", "state", "runtime", "keys"] {
            std::fs::create_dir_all(p.join(d)).unwrap();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(p.join("runtime"), std::fs::Permissions::from_mode(0o700))
                .unwrap();
        }
        let s = |x: &Path| x.to_string_lossy().into_owned();
        let vars = vec![
            ("HOME".into(), s(&p.join("home"))),
            ("XDG_CONFIG_HOME".into(), s(&p.join("config"))),
            ("XDG_DATA_HOME".into(), s(&p.join("data"))),
            ("XDG_STATE_HOME".into(), s(&p.join("state"))),
            ("XDG_RUNTIME_DIR".into(), s(&p.join("runtime"))),
            ("ALICLOUD_VAULT_CONFIG".into(), s(&p.join("config.toml"))),
            (
                "ALIBABA_CLOUD_CONFIG_FILE".into(),
                s(&p.join("aliyun.json")),
            ),
            ("ALICLOUD_VAULT_FILE_DIR".into(), s(&p.join("keys"))),
            (
                "ALICLOUD_VAULT_FILE_PASSPHRASE".into(),
                "test passphrase".into(),
            ),
            ("ALICLOUD_VAULT_FILE_KDF".into(), "test".into()),
            ("ALICLOUD_VAULT_RETRY_BASE_MS".into(), "10".into()),
            ("ALICLOUD_VAULT_BACKEND".into(), backend.into()),
            // Tests start agents themselves, by pid; autostart has tests of its own.
            ("ALICLOUD_VAULT_AUTOSTART".into(), "0".into()),
        ];
        TestEnv {
            dir,
            backend: backend.to_string(),
            vars,
            wrapper: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.path().join("config.toml")
    }

    pub fn keys_dir(&self) -> PathBuf {
        self.path().join("keys")
    }

    /// Sets (or replaces) a variable for every command of this world.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.retain(|(n, _)| n != name);
        self.vars.push((name.into(), value.into()));
    }

    pub fn remove_var(&mut self, name: &str) {
        self.vars.retain(|(n, _)| n != name);
    }

    /// Runs every later command of this world under `wrapper` (e.g. `keyctl session NAME`).
    pub fn set_wrapper(&mut self, wrapper: &[&str]) {
        self.wrapper = wrapper.iter().map(|w| w.to_string()).collect();
    }

    pub fn write_config(&self, toml: &str) {
        std::fs::write(self.config_path(), toml).unwrap();
    }

    /// Writes `toml` as the configuration and asserts that `exec x -- true` refuses it: exit
    /// code 1 and `expect` in the message.
    pub fn assert_config_refused(&self, toml: &str, expect: &str) {
        self.write_config(toml);
        let r = self.run(&["exec", "x", "--", "true"]);
        assert_eq!(r.code, 1, "{toml}: {r:?}");
        assert!(r.stderr.contains(expect), "{toml}: {}", r.stderr);
    }

    /// The command with a clean environment: only PATH, the D-Bus session and this world's variables.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_under(&[], args)
    }

    /// Like [`TestEnv::cmd`], run by `wrapper` (a program and its arguments before ours, such
    /// as `keyctl session NAME`).
    pub fn cmd_under(&self, wrapper: &[&str], args: &[&str]) -> Command {
        self.cmd_of(BIN, wrapper, args)
    }

    /// Like [`TestEnv::cmd_under`], for another build of alicloud-vault at `bin` (a static
    /// release build, say).
    pub fn cmd_of(&self, bin: &str, wrapper: &[&str], args: &[&str]) -> Command {
        let own: Vec<&str> = self.wrapper.iter().map(String::as_str).collect();
        let wrapper = if wrapper.is_empty() {
            &own[..]
        } else {
            wrapper
        };
        let mut c = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut c = Command::new(program);
                c.args(rest).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        c.args(args).env_clear();
        for k in ["PATH", "DBUS_SESSION_BUS_ADDRESS", "LANG"] {
            if let Some(v) = std::env::var_os(k) {
                c.env(k, v);
            }
        }
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.stdin(Stdio::null());
        c
    }

    /// Runs the binary to completion.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("run alicloud-vault"))
    }

    /// `exec PROFILE -- sh -c 'echo $ALIBABA_CLOUD_ACCESS_KEY_ID'`: the key id a child gets.
    pub fn exec_key_id(&self, profile: &str) -> Run {
        self.exec_key_id_by(BIN, profile)
    }

    /// [`TestEnv::exec_key_id`], run by the build at `bin`.
    pub fn exec_key_id_by(&self, bin: &str, profile: &str) -> Run {
        let exec = [
            "exec",
            profile,
            "--",
            "sh",
            "-c",
            "echo $ALIBABA_CLOUD_ACCESS_KEY_ID",
        ];
        Run::from(
            self.cmd_of(bin, &[], &exec)
                .output()
                .expect("run alicloud-vault"),
        )
    }

    /// Runs the binary with `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        self.run_stdin_under(&[], args, input)
    }

    /// Runs the binary under `wrapper` (see [`TestEnv::cmd_under`]) with `input` on stdin.
    pub fn run_stdin_under(&self, wrapper: &[&str], args: &[&str], input: &str) -> Run {
        let c = self.cmd_under(wrapper, args);
        feed(c, input)
    }

    /// Runs with extra variables for this one command.
    pub fn run_with(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let mut c = self.cmd(args);
        for (k, v) in extra {
            c.env(k, v);
        }
        Run::from(c.output().expect("run alicloud-vault"))
    }

    /// Stores a key without verification; panics on failure.
    pub fn add_key(&self, profile: &str, id: &str, secret: &str) {
        self.run_stdin(
            &["add", profile, "--stdin", "--no-verify"],
            &format!("{id}\n{secret}\n"),
        )
        .ok();
    }

    /// Like [`TestEnv::run_stdin`], with extra variables.
    pub fn run_stdin_with(&self, args: &[&str], input: &str, extra: &[(&str, &str)]) -> Run {
        let mut c = self.cmd(args);
        for (k, v) in extra {
            c.env(k, v);
        }
        feed(c, input)
    }

    /// Like [`TestEnv::run_stdin`], as on a machine without a D-Bus session.
    pub fn run_stdin_without_dbus(&self, args: &[&str], input: &str) -> Run {
        let mut c = self.cmd(args);
        c.env_remove("DBUS_SESSION_BUS_ADDRESS");
        feed(c, input)
    }
    /// Runs `sh -c script` with this world's variables (for pipelines around the binary).
    pub fn shell(&self, script: &str) -> Run {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script).env_clear();
        for k in ["PATH", "DBUS_SESSION_BUS_ADDRESS", "LANG"] {
            if let Some(v) = std::env::var_os(k) {
                c.env(k, v);
            }
        }
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c.stdin(Stdio::null());
        Run::from(c.output().expect("run sh"))
    }
}

/// The repository root (for the test clients in tests/clients).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of the test clients' venv; fails with what to run when it is missing.
pub fn python() -> PathBuf {
    let p = repo_root().join("tests/clients/.venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run `bash scripts/setup-test-clients`",
        p.display()
    );
    p
}

/// node, with NODE_PATH pointing at the test clients' node_modules.
pub fn node_modules() -> PathBuf {
    let p = repo_root().join("tests/clients/node_modules");
    assert!(
        p.join("@alicloud/credentials").exists(),
        "{} lacks @alicloud/credentials: run `bash scripts/setup-test-clients`",
        p.display()
    );
    p
}

/// Tests that need root (network namespaces, a client running as `nobody`) call this: it is
/// true as root; otherwise the test fails, unless the run says on purpose that it has no root
/// (`ALICLOUD_VAULT_TEST_NO_ROOT=1`). CI runs as root. No silent skip.
pub fn require_root(what: &str) -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    assert!(
        std::env::var_os("ALICLOUD_VAULT_TEST_NO_ROOT").is_some(),
        "{what} needs root (CI runs as root); set ALICLOUD_VAULT_TEST_NO_ROOT=1 to skip such tests on purpose"
    );
    eprintln!("skipped on purpose (ALICLOUD_VAULT_TEST_NO_ROOT): {what} needs root");
    false
}

/// The account of the RAM user most tests sign with.
pub const ACCOUNT: &str = "1234567890123456";

/// What [`admin_world`] set up.
pub struct AdminWorld {
    /// alice's AccessKey id, stored as profile `base`.
    pub key_id: String,
    /// The ARN of role `admin` in [`ACCOUNT`], assumed by profile `admin`.
    pub admin_arn: String,
}

/// The world most tests start from, in `env` against `emu`: RAM user alice (her key stored
/// as `base`) and profile `admin` assuming role `admin` of her account with it. `defaults`
/// is more TOML for `[defaults]` (which already sets region and `sts_endpoint`), `more` goes
/// after the two profiles; in both, `{emu}` stands for the emulator's URL.
pub fn admin_world(
    env: &TestEnv,
    emu: &emulator::Emulator,
    defaults: &str,
    more: &str,
) -> AdminWorld {
    use emulator::state::Trusted;
    let (key_id, secret) = emu.add_user(ACCOUNT, "alice");
    let admin_arn = emu.add_role(
        ACCOUNT,
        "admin",
        43200,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    let url = emu.base_url();
    env.write_config(&format!(
        "[defaults]\nregion = \"cn-hangzhou\"\nsts_endpoint = \"{url}\"\n{defaults}\n\n\
         [profile.base]\n\n[profile.admin]\nsource_profile = \"base\"\nrole_arn = \"{admin_arn}\"\n{more}\n",
        defaults = defaults.replace("{emu}", &url),
        more = more.replace("{emu}", &url),
    ));
    env.add_key("base", &key_id, &secret);
    AdminWorld { key_id, admin_arn }
}

/// Runs `c` with `input` on its stdin and collects what it printed.
fn feed(mut c: Command, input: &str) -> Run {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn alicloud-vault");
    // The binary may refuse before it reads its input: a closed pipe is not an error here.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    Run::from(child.wait_with_output().unwrap())
}

/// Every file below `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}
