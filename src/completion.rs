//! Profile names in the shells' completion: clap's static scripts complete subcommands and
//! flags; the names come at TAB time from the hidden `alicloud-vault __complete-profiles`,
//! which reads the configuration and the keystore's item names (no passphrase needed). The
//! scripts are clap's, with a small addition per shell; PowerShell and elvish get clap's
//! scripts as they are.

/// The shells `completion` writes scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// The subcommands whose first positional argument is a profile name.
const BASH_HOOK: &str = r#"
# Profile names after the subcommands that take one (alicloud-vault __complete-profiles reads
# the configuration and the keystore's item names, and never asks for a passphrase).
_alicloud_vault_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" i w words=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        case "$w" in
            --) words+=(--) ;;
            --backend|--config|-d|--duration|--region|--format|--destination|--verify-timeout|--prefix|--name) ((i++)) ;;
            -*) ;;
            *) words+=("$w") ;;
        esac
    done
    case "${words[*]}" in
        exec|export|login|remove|rm|rotate|clear|"metadata use"|"sso login"|"sso list"|"sso logout"|"sso configure")
            if [[ "$cur" != -* ]]; then
                COMPREPLY=($(compgen -W "$(alicloud-vault __complete-profiles 2>/dev/null)" -- "$cur"))
                return 0
            fi
            ;;
    esac
    _alicloud__vault "$@"
}
complete -F _alicloud_vault_with_profiles -o bashdefault -o default alicloud-vault
"#;

const ZSH_HELPER: &str = r#"
# Profile names (alicloud-vault __complete-profiles: the configuration and the keystore's item
# names; it never asks for a passphrase).
_alicloud_vault_profiles() {
    local -a names
    names=(${(f)"$(alicloud-vault __complete-profiles 2>/dev/null)"})
    compadd -a names
}
"#;

const FISH_HOOK: &str = r#"
# Profile names (alicloud-vault __complete-profiles: the configuration and the keystore's item
# names; it never asks for a passphrase).
complete -c alicloud-vault -n "__fish_seen_subcommand_from exec export login remove rm rotate clear use configure logout; or __fish_seen_subcommand_from sso; and __fish_seen_subcommand_from list" -f -a "(alicloud-vault __complete-profiles 2>/dev/null)" -d profile
"#;

/// `script` (clap's) with profile-name completion added for `shell`.
pub fn with_profile_names(shell: Shell, script: &str) -> String {
    match shell {
        Shell::Bash => format!("{script}{BASH_HOOK}"),
        Shell::Fish => format!("{script}{FISH_HOOK}"),
        Shell::Zsh => {
            // Every positional named `profile` completes with the helper instead of files.
            let mut out = String::new();
            for line in script.lines() {
                let is_profile =
                    line.starts_with("':profile -- ") || line.starts_with("'::profile -- ");
                match line.strip_suffix(":_default' \\") {
                    Some(head) if is_profile => {
                        out.push_str(head);
                        out.push_str(":_alicloud_vault_profiles' \\");
                    }
                    _ => out.push_str(line),
                }
                out.push('\n');
                if line.starts_with("#compdef") {
                    out.push_str(ZSH_HELPER);
                }
            }
            out
        }
        Shell::Powershell | Shell::Elvish => script.to_string(),
    }
}
