//! add / list / remove / exec / export on the file backend: the round trips and the refusals.

use crate::common::{TestEnv, BIN};
use std::collections::BTreeSet;

const ID: &str = "LTAI5tTestKeyForVault01";
const SECRET: &str = "TestSecretValue0123456789abcdef";

fn files_in(dir: &std::path::Path) -> BTreeSet<(String, Vec<u8>)> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            out.insert((
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn add_list_export_remove_round_trip() {
    let env = TestEnv::new();
    let r = env.run_stdin(
        &["add", "dev", "--stdin", "--no-verify"],
        &format!("{ID}\n{SECRET}\n"),
    );
    r.ok();
    assert!(
        r.stderr
            .contains("Stored key ****lt01 for profile dev in the file keystore"),
        "{}",
        r.stderr
    );

    assert_eq!(env.run(&["list", "--credentials"]).ok(), "dev\n");
    let table = env.run(&["list"]).ok().to_string();
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["dev", "stored", "key", "-"]),
        "{table}"
    );

    let json: serde_json::Value = serde_json::from_str(
        env.run(&["export", "dev", "--format", "json", "--no-session"])
            .ok(),
    )
    .unwrap();
    assert_eq!(json["AccessKeyId"], ID);
    assert_eq!(json["AccessKeySecret"], SECRET);
    assert!(json.get("SecurityToken").is_none());

    let r = env.run(&["remove", "dev", "--force"]);
    r.ok();
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "");
    // dev was a stored key only: now it is no profile at all.
    let r = env.run(&["export", "dev", "--no-session"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown profile `dev`"), "{}", r.stderr);
    // A configured profile without a key is a keystore answer (exit 2).
    env.write_config("[profile.dev]\n");
    let r = env.run(&["export", "dev", "--no-session"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no key is stored for profile dev"),
        "{}",
        r.stderr
    );
}

#[test]
fn add_env_takes_the_most_specific_tier() {
    let env = TestEnv::new();
    let r = env.run_with(
        &["add", "tiers", "--env", "--no-verify"],
        &[
            ("ACCESS_KEY_ID", "LTAI5tPlainTierKey0001"),
            ("ACCESS_KEY_SECRET", "plain-secret-0123456789"),
            ("ALICLOUD_ACCESS_KEY_ID", "LTAI5tAlicloudTier0001"),
            ("ALIBABACLOUD_ACCESS_KEY_ID", "LTAI5tAlibabacloudT001"),
            ("ALIBABACLOUD_ACCESS_KEY_SECRET", "alibabacloud-secret-0123"),
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tAlibabaCloudT001"),
        ],
    );
    r.ok();
    let json: serde_json::Value = serde_json::from_str(
        env.run(&["export", "tiers", "--format", "json", "--no-session"])
            .ok(),
    )
    .unwrap();
    assert_eq!(json["AccessKeyId"], "LTAI5tAlibabaCloudT001");
    assert_eq!(json["AccessKeySecret"], "alibabacloud-secret-0123");
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let env = TestEnv::new();
    env.add_key("keep", ID, SECRET);
    let before = files_in(&env.keys_dir());
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["add", "bad name", "--stdin", "--no-verify"],
            "LTAI5tAnotherKey00001\nsecretsecretsecret0001\n",
            "invalid profile name `bad name`",
        ),
        (
            &["add", "short", "--stdin", "--no-verify"],
            "LTAI\nsecretsecretsecret0001\n",
            "16 to 64 letters and digits",
        ),
        (
            &["add", "empty", "--stdin", "--no-verify"],
            "LTAI5tAnotherKey00001\n\n",
            "the AccessKey secret is empty",
        ),
        (
            &["add", "sts", "--stdin", "--no-verify"],
            "STS.NTdivWd4drUxehU3\nsecretsecretsecret0001\n",
            "temporary STS AccessKey ID",
        ),
        (
            &["add", "keep", "--stdin", "--no-verify"],
            "LTAI5tAnotherKey00001\nhas spaces in the secret\n",
            "printable characters without spaces",
        ),
    ];
    for (args, input, message) in cases {
        let r = env.run_stdin(args, input);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(
            !r.stderr.contains("secretsecret") && !r.stderr.contains("has spaces"),
            "secret echoed: {}",
            r.stderr
        );
    }
    let r = env.run(&["remove", "keep"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("add --force"), "{}", r.stderr);
    assert_eq!(
        files_in(&env.keys_dir()),
        before,
        "a refused command changed the keystore"
    );
    assert_eq!(env.run(&["list", "--credentials"]).ok(), "keep\n");
}

#[test]
fn no_prompt_without_a_terminal() {
    let env = TestEnv::new();
    let r = env.run(&["add", "dev", "--no-verify"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no terminal to prompt on"),
        "{}",
        r.stderr
    );
}

#[test]
fn exec_passes_arguments_and_the_exit_code_through() {
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    let r = env.run(&[
        "exec",
        "dev",
        "--no-session",
        "--",
        "printf",
        "[%s]",
        "",
        "$HOME",
        "a b",
    ]);
    assert_eq!(r.ok(), "[][$HOME][a b]");
    assert_eq!(r.stderr, "", "--no-session prints no notice");
    let r = env.run(&["exec", "dev", "--no-session", "--", "sh", "-c", "exit 7"]);
    assert_eq!(r.code, 7);
    let r = env.run(&["exec", "dev", "--no-session", "--", "/nonexistent/program"]);
    assert_eq!(r.code, 127);
}

#[cfg(unix)]
#[test]
fn exec_child_killed_by_a_signal_looks_killed_by_that_signal() {
    use std::os::unix::process::ExitStatusExt;
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    let status = env
        .cmd(&[
            "exec",
            "dev",
            "--no-session",
            "--",
            "sh",
            "-c",
            "kill -TERM $$",
        ])
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(15));
}

/// A program started with stdin and stdout closed gets them open on /dev/null, and so does
/// the program `exec` runs: otherwise the first file or socket opened would become fd 0 or 1
/// (and be read from, written to, or handed to the child as its stdout).
#[cfg(target_os = "linux")]
#[test]
fn closed_standard_streams_are_opened_on_dev_null_before_anything_else() {
    use std::os::unix::process::CommandExt;
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    let mut c = env.cmd(&[
        "exec",
        "dev",
        "--no-session",
        "--",
        "sh",
        "-c",
        "a=$(readlink /proc/$$/fd/0); b=$(readlink /proc/$$/fd/1); echo \"stdin=$a stdout=$b\" >&2",
    ]);
    c.stderr(std::process::Stdio::piped());
    // SAFETY: between fork and exec the child only closes two descriptors.
    unsafe {
        c.pre_exec(|| {
            libc::close(0);
            libc::close(1);
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.trim_end(), "stdin=/dev/null stdout=/dev/null");
}

/// Output whose reader has gone (`alicloud-vault list | head -0`) ends the command as it
/// ends `cat`: killed by SIGPIPE, with nothing on stderr (it was a panic and an abort).
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_the_command_by_sigpipe_without_a_word() {
    use std::os::unix::process::ExitStatusExt;
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    for args in [&["list"][..], &["export", "dev", "--no-session"]] {
        let (read, write) = nix::unistd::pipe().unwrap();
        drop(read);
        let out = env
            .cmd(args)
            .stdout(std::process::Stdio::from(write))
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "{args:?}: {:?}",
            out.status
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn exec_without_a_role_hands_out_the_key_with_one_notice() {
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    let r = env.run_with(
        &["exec", "dev", "--", "sh", "-c", "echo $ALIBABA_CLOUD_ACCESS_KEY_ID ${ALIBABA_CLOUD_SECURITY_TOKEN-unset} ${ALICLOUD_VAULT_FILE_PASSPHRASE-unset}"],
        &[("ALIBABA_CLOUD_SECURITY_TOKEN", "stale-token")],
    );
    assert_eq!(r.ok(), format!("{ID} unset unset\n"));
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("handing out its long-term key"),
        "{}",
        r.stderr
    );
}

#[test]
fn nested_exec_is_refused_unless_forced() {
    let env = TestEnv::new();
    env.add_key("dev", ID, SECRET);
    let r = env.run(&[
        "exec", "dev", "-n", "--", BIN, "exec", "dev", "-n", "--", "true",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("already inside `alicloud-vault exec` (or a shell that took `export --format shell-uri`) for profile dev"),
        "{}",
        r.stderr
    );
    // The child never sees the vault's passphrase, so the nested call brings its own.
    let r = env.run(&[
        "exec",
        "dev",
        "-n",
        "--",
        "env",
        "ALICLOUD_VAULT_FILE_PASSPHRASE=test passphrase",
        BIN,
        "exec",
        "dev",
        "-n",
        "--force-nested",
        "--",
        "true",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn usage_errors_exit_1() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["frobnicate"]).code, 1);
    assert_eq!(
        env.run(&["exec", "dev", "--duration", "5m", "--", "true"])
            .code,
        1
    );
    assert_eq!(env.run(&["--version"]).code, 0);
}

#[test]
fn completions_in_the_repository_are_current() {
    let env = TestEnv::new();
    for (shell, file) in [
        ("bash", "alicloud-vault.bash"),
        ("zsh", "_alicloud-vault"),
        ("fish", "alicloud-vault.fish"),
        ("powershell", "_alicloud-vault.ps1"),
        ("elvish", "alicloud-vault.elv"),
    ] {
        let generated = env.run(&["completion", shell]).ok().to_string();
        let path = crate::common::repo_root().join("completions").join(file);
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            generated == stored,
            "{} is stale: run `bash scripts/update-completions`",
            path.display()
        );
    }
}

#[test]
fn man_pages_in_the_repository_are_current() {
    let env = TestEnv::new();
    let out = env.path().join("man");
    env.run(&["man-pages", out.to_str().unwrap()]).ok();
    let generated = files_in(&out);
    let stored = files_in(&crate::common::repo_root().join("man"));
    let names = |pages: &BTreeSet<(String, Vec<u8>)>| -> Vec<String> {
        pages.iter().map(|(name, _)| name.clone()).collect()
    };
    assert_eq!(
        names(&generated),
        names(&stored),
        "man/ has other pages than the CLI: run `bash scripts/update-completions`"
    );
    for ((name, new), (_, old)) in generated.iter().zip(&stored) {
        assert!(
            new == old,
            "man/{name} is stale: run `bash scripts/update-completions`"
        );
    }
}

/// Every command a user can type has its page, and the page says which release it documents;
/// the hidden generator itself shows up nowhere a user looks.
#[test]
fn man_pages_cover_every_subcommand_and_the_generator_stays_hidden() {
    use clap::CommandFactory;
    fn paths(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{prefix}-{}", sub.get_name());
            paths(sub, &path, out);
            out.push(path);
        }
    }
    let mut expected = vec!["alicloud-vault".to_string()];
    // Subcommands are built when used (`defer`): build them all, as the page writer does.
    let mut cli = alicloud_vault::cli::Cli::command();
    cli.build();
    paths(&cli, "alicloud-vault", &mut expected);
    assert!(expected.contains(&"alicloud-vault-agent-start".to_string()));

    let env = TestEnv::new();
    let out = env.path().join("man");
    env.run(&["man-pages", out.to_str().unwrap()]).ok();
    let version = env!("CARGO_PKG_VERSION");
    for name in &expected {
        let page = std::fs::read_to_string(out.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("no page {name}.1: {e}"));
        assert!(
            page.contains(&format!(".TH {name} 1 "))
                && page.contains(&format!("alicloud-vault {version}")),
            "{name}.1 has no title naming alicloud-vault {version}"
        );
    }
    assert_eq!(files_in(&out).len(), expected.len(), "pages for no command");

    assert!(!env.run(&["--help"]).ok().contains("man-pages"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = env.run(&["completion", shell]).ok().to_string();
        assert!(!script.contains("man-pages"), "{shell} completes man-pages");
    }
    let page = std::fs::read_to_string(out.join("alicloud-vault.1")).unwrap();
    assert!(!page.contains("man\\-pages"));
}
