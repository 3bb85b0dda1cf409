//! CLI snapshot tests: every directory under `tests/snapshots/` is one case. `cmd.toml` says
//! what to run, `stdout`, `stderr` and `status` hold what the real binary must print and
//! return, so that wording and layout are reviewed in diffs. `UPDATE_SNAPSHOTS=1` rewrites the
//! expected files from what the binary does now (review the diff before committing).
//!
//! `cmd.toml`:
//!
//! ```toml
//! args = ["exec", "prod-admn", "--", "true"]   # the command line after `alicloud-vault`
//! config = """[profile.dev]"""                   # the configuration file (`{emu}`: the emulator's URL)
//! keys = [["dev", "LTAI...", "secret"]]          # stored first, with `add --stdin --no-verify`
//! emulator = true                                # an STS emulator: alice's key stored as `base`,
//!                                                # role `admin` of account 1234567890123456
//! before = [["exec", "admin", "--", "true"]]     # commands that must succeed first
//! stdin = "..."                                  # standard input
//! env = { NAME = "value" }                       # more variables; unset = ["NAME"] removes
//!                                                # some (after `before`)
//! mask = ["SigninToken=[^&]+"]                   # what varies in this case becomes `$MASKED`
//! ```
//!
//! With `emulator = true` and no `config`, the configuration is `common::admin_world`'s.
//!
//! Only what must vary is normalised: the test's temporary directory (`$TMP`), the emulator's
//! URL (`$EMU`) and key id (`$KEY_ID`), UTC timestamps (`$TIME`) and the time left on a session
//! (`$LEFT`, in cases with `mask_time_left = true`).

use crate::common::{admin_world, TestEnv};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    #[serde(default)]
    config: Option<String>,
    #[serde(default)]
    keys: Vec<[String; 3]>,
    #[serde(default)]
    emulator: bool,
    #[serde(default)]
    before: Vec<Vec<String>>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    unset: Vec<String>,
    #[serde(default)]
    mask_time_left: bool,
    /// Regular expressions for what varies from run to run in this case (a random token):
    /// each match becomes `$MASKED`.
    #[serde(default)]
    mask: Vec<String>,
}

struct Outcome {
    stdout: String,
    stderr: String,
    status: String,
}

fn snapshots_dir() -> PathBuf {
    crate::common::repo_root().join("tests/snapshots")
}

fn normalise(text: &str, replacements: &[(String, &str)], case: &Case) -> String {
    let mut out = text.to_string();
    for (from, to) in replacements {
        if !from.is_empty() {
            out = out.replace(from.as_str(), to);
        }
    }
    let time = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    out = time.replace_all(&out, "$$TIME").into_owned();
    if case.mask_time_left {
        let left = regex::Regex::new(r"\b(\d+h \d+m|\d+m \d+s|\d+s)\b").unwrap();
        out = left.replace_all(&out, "$$LEFT").into_owned();
    }
    for m in &case.mask {
        let re = regex::Regex::new(m).expect("a valid mask");
        out = re.replace_all(&out, "$$MASKED").into_owned();
    }
    out
}

fn run_case(dir: &Path) -> Outcome {
    let text = std::fs::read_to_string(dir.join("cmd.toml")).expect("cmd.toml");
    let case: Case =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.join("cmd.toml").display()));
    let mut env = TestEnv::new();
    let emu = case.emulator.then(emulator::Emulator::start);
    let mut replacements: Vec<(String, &str)> = Vec::new();
    if let Some(emu) = &emu {
        let world = admin_world(&env, emu, "", "");
        replacements.push((world.key_id, "$KEY_ID"));
        replacements.push((emu.base_url(), "$EMU"));
    }
    let url = emu.as_ref().map(|e| e.base_url()).unwrap_or_default();
    if let Some(config) = &case.config {
        env.write_config(&config.replace("{emu}", &url));
    }
    for [profile, id, secret] in &case.keys {
        env.add_key(profile, id, secret);
    }
    for (k, v) in &case.env {
        let v = v
            .replace("{tmp}", &env.path().to_string_lossy())
            .replace("{emu}", &url);
        env.set_var(k, &v);
    }
    for args in &case.before {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&args).ok();
    }
    for k in &case.unset {
        env.remove_var(k);
    }
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let run = match &case.stdin {
        Some(input) => env.run_stdin(&args, input),
        None => env.run(&args),
    };
    // The canonical path too: temp dirs may be reached through a symlink.
    let tmp = env.path().to_string_lossy().into_owned();
    let canonical = std::fs::canonicalize(env.path())
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    replacements.push((tmp, "$TMP"));
    replacements.push((canonical, "$TMP"));
    Outcome {
        stdout: normalise(&run.stdout, &replacements, &case),
        stderr: normalise(&run.stderr, &replacements, &case),
        status: format!("{}\n", run.code),
    }
}

#[test]
fn cli_output_matches_the_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(snapshots_dir())
        .expect("tests/snapshots")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("cmd.toml").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no snapshot cases found");
    let mut failures = Vec::new();
    for dir in &cases {
        let got = run_case(dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        for (file, text) in [
            ("stdout", &got.stdout),
            ("stderr", &got.stderr),
            ("status", &got.status),
        ] {
            let path = dir.join(file);
            let want = std::fs::read_to_string(&path).ok();
            if want.as_ref() == Some(text) {
                continue;
            }
            let want = want.unwrap_or_default();
            if update {
                std::fs::write(&path, text).unwrap();
            } else {
                failures.push(format!(
                    "--- {name}/{file} (expected)\n{want}\n+++ {name}/{file} (got)\n{text}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ (UPDATE_SNAPSHOTS=1 rewrites them; review the diff):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
