//! The README's tour, as written, in one bash session against the STS emulator. Only what needs
//! a person is replaced: the key is piped to `add` (`--stdin`) instead of typed, the subshell gets
//! one command on its standard input, and `remove` gets `--force` (there is no terminal to confirm
//! on). `aliyun` and `terraform` are small scripts on PATH that print the key id they were given:
//! this test is about what alicloud-vault hands out, the real clients have their own tests.

use crate::common::{TestEnv, ACCOUNT, BIN};
use emulator::state::Trusted;
use emulator::Emulator;

/// The first ```sh block under "## A short tour".
fn tour_block() -> String {
    let readme = std::fs::read_to_string(crate::common::repo_root().join("README.md")).unwrap();
    let start = readme.find("## A short tour").expect("README has a tour");
    let rest = &readme[start..];
    let open = rest.find("```sh\n").expect("the tour has a sh block") + "```sh\n".len();
    let close = rest[open..].find("```").expect("the block ends");
    rest[open..open + close].to_string()
}

/// Replaces the one line that starts with `command` (it must be there exactly once).
fn replace_line(script: &str, command: &str, with: &str) -> String {
    let hits = script
        .lines()
        .filter(|l| l.trim_start().starts_with(command))
        .count();
    assert_eq!(hits, 1, "the tour should have one `{command}` line");
    script
        .lines()
        .map(|l| {
            if l.trim_start().starts_with(command) {
                with.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_tour_works_in_one_shell_session() {
    let emu = Emulator::start();
    let (id, secret) = emu.add_user(ACCOUNT, "jonsmith");
    let arn = emu.add_role(
        ACCOUNT,
        "admin",
        3600,
        vec![Trusted::Account(ACCOUNT.into())],
    );
    let tour = tour_block();
    assert!(tour.contains(&arn), "the tour's role_arn is {arn}: {tour}");

    let mut script = replace_line(
        &tour,
        "alicloud-vault add jonsmith",
        &format!("printf '%s\\n%s\\n' '{id}' '{secret}' | alicloud-vault add jonsmith --stdin"),
    );
    // The subshell line is the one `exec prod-admin` without a command.
    let subshell = script
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("alicloud-vault exec prod-admin ")
                && !l.contains(" -- ")
        })
        .expect("the tour starts a subshell")
        .to_string();
    assert!(subshell.contains("subshell"), "{subshell}");
    script = script.replace(
        &subshell,
        "echo 'echo \"in the subshell: $ALICLOUD_VAULT $ALIBABA_CLOUD_ACCESS_KEY_ID\"' | alicloud-vault exec prod-admin",
    );
    // After the eval, the shell must still be usable: the issue this test was written for.
    let eval = "eval \"$(alicloud-vault export prod-admin)\"";
    assert!(script.contains(eval), "the tour evals export: {script}");
    script = script.replace(
        eval,
        &format!(
            "{eval}\n\
             echo \"after eval: ${{ALICLOUD_VAULT-unset}} $ALIBABA_CLOUD_ACCESS_KEY_ID ${{ALICLOUD_VAULT_FILE_PASSPHRASE:+passphrase-kept}}\"\n\
             alicloud-vault list\n\
             alicloud-vault exec prod-admin -- sh -c 'echo \"exec after eval: $ALICLOUD_VAULT\"'"
        ),
    );
    script = replace_line(
        &script,
        "alicloud-vault remove jonsmith",
        "alicloud-vault remove jonsmith --force",
    );

    let mut env = TestEnv::new();
    let shims = env.path().join("shims");
    std::fs::create_dir_all(&shims).unwrap();
    for tool in ["aliyun", "terraform"] {
        let p = shims.join(tool);
        std::fs::write(
            &p,
            format!("#!/bin/sh\necho \"{tool} $*: $ALIBABA_CLOUD_ACCESS_KEY_ID\"\n"),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    // The tour writes ~/.config/alicloud-vault/config.toml: nothing may point elsewhere.
    env.remove_var("ALICLOUD_VAULT_CONFIG");
    env.remove_var("XDG_CONFIG_HOME");
    env.set_var("ALICLOUD_VAULT_STS_ENDPOINT", &emu.base_url());
    env.set_var("SHELL", "/bin/sh");
    env.set_var(
        "PATH",
        &format!(
            "{}:{}:{}",
            shims.display(),
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    );
    let r = env.shell(&format!(
        "exec bash -c {}",
        shell_quote(&format!("set -euo pipefail\n{script}\n"))
    ));
    assert_eq!(
        r.code, 0,
        "script:\n{script}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );

    let out = &r.stdout;
    let line = |prefix: &str| {
        out.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{out}\nstderr:\n{}", r.stderr))
            .to_string()
    };
    // Every tool got an STS session of the role, not the long-term key.
    for prefix in [
        "aliyun ecs DescribeRegions: STS.",
        "terraform plan: STS.",
        "in the subshell: prod-admin STS.",
    ] {
        line(prefix);
    }
    assert!(
        !out.contains(&id),
        "the long-term key reached a tool:\n{out}"
    );
    let after = line("after eval: ");
    assert!(after.starts_with("after eval: unset STS."), "{after}");
    assert!(after.ends_with(" passphrase-kept"), "{after}");
    line("exec after eval: prod-admin");
    assert!(
        out.lines().filter(|l| l.starts_with("prod-admin ")).count() >= 2,
        "list shows prod-admin before and after the eval:\n{out}"
    );
    assert_eq!(emu.calls("AssumeRole"), 1, "one session for the whole tour");
    assert!(
        r.stderr.contains("Deleted the key of profile jonsmith"),
        "{}",
        r.stderr
    );
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
