# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_alicloud_vault_global_optspecs
    string join \n backend= config= debug no-color h/help V/version
end

function __fish_alicloud_vault_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_alicloud_vault_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_alicloud_vault_using_subcommand
    set -l cmd (__fish_alicloud_vault_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -s V -l version -d 'Print version'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "add" -d 'Store a long-term AccessKey for a profile in the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "list" -d 'Show profiles, stored keys and cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "ls" -d 'Show profiles, stored keys and cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "remove" -d 'Delete a profile\'s stored key and its cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "rm" -d 'Delete a profile\'s stored key and its cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "exec" -d 'Run a command with a profile\'s session in its environment'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "export" -d 'Print a profile\'s session for other tools'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "clear" -d 'Drop cached sessions (of one profile, or all)'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "rotate" -d 'Replace a profile\'s stored AccessKey with a new one made through RAM, then delete the old one'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "login" -d 'Open the web console signed in with a profile\'s STS session'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "setup" -d 'Connect other tools to alicloud-vault'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "agent" -d 'The background agent that holds sessions and serves the local credential endpoints'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "metadata" -d 'The ECS instance-metadata emulation on 100.100.100.200'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "sso" -d 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "oauth" -d 'OAuth: log in in the browser through Alibaba Cloud\'s official-cli application, log out'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "migrate" -d 'Copy every item from one keystore backend to another, each read back before anything is deleted'
complete -c alicloud-vault -n "__fish_alicloud_vault_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l env -d 'Read the key from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or the ALIBABACLOUD_, ALICLOUD_ and plain tiers)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l stdin -d 'Read two lines from standard input: the AccessKey id, then the secret'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l import-aliyun -d 'Move the key of the aliyun CLI\'s AK profile PROFILE (or the refresh token of its OAuth profile) into the keystore, then offer to blank it in ~/.aliyun/config.json'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l yes -d 'With --import-aliyun: blank the keys or tokens in the aliyun CLI\'s file without asking'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -l no-verify -d 'Store without checking the key with STS GetCallerIdentity'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand add" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l profiles -d 'Only profile names'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l credentials -d 'Only profiles that have a stored key'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l sessions -d 'Only cached sessions, with the time they have left'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -l json -d 'Print JSON'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand list" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l profiles -d 'Only profile names'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l credentials -d 'Only profiles that have a stored key'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l sessions -d 'Only cached sessions, with the time they have left'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -l json -d 'Print JSON'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand ls" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -l sessions-only -d 'Keep the key; only drop the profile\'s cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -s f -l force -d 'Do not ask for confirmation'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand remove" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -l sessions-only -d 'Keep the key; only drop the profile\'s cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -s f -l force -d 'Do not ask for confirmation'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rm" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -s d -l duration -d 'Session length, e.g. 15m, 1h, 12h [default: the profile\'s duration, else 1h]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l region -d 'Region for the child\'s region variables [default: the profile\'s region]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -s n -l no-session -d 'Hand out the long-term key itself (no STS session)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l force-nested -d 'Run even when already inside an alicloud-vault exec'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l server -d 'Give the child a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI) that stays fresh, instead of keys'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l ecs-server -d 'Serve the ECS metadata endpoint ([metadata] address) for the life of the child, instead of keys'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l container -d 'With --server: a URI that containers reach, on [agent] container_address'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -l no-agent -d 'Neither use nor start the agent: read the keystore and call STS from this process'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand exec" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l format -d 'Output format: env (shell lines for eval), json, aliyun-external (the aliyun CLI\'s External mode), credentials-uri-json (what a credentials URI serves), ini (~/.alibabacloud/credentials), or shell-uri / fish-uri (a credentials URI for the current shell, served by the agent until that shell exits; needs --shell-pid)' -r -f -a "env\t'`export NAME=value` lines for a POSIX shell'
json\t'One JSON object with the credentials and expiry'
aliyun-external\t'The JSON that the aliyun CLI\'s `External` mode reads'
credentials-uri-json\t'The JSON a credentials URI serves'
ini\t'An INI section for ~/.alibabacloud/credentials'
shell-uri\t'Shell lines (bash, zsh) that point the shell at a credentials URI that stays fresh'
fish-uri\t'The same for fish'"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -s d -l duration -d 'Session length, e.g. 15m, 1h' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l region -d 'Region to include [default: the profile\'s region]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l shell-pid -d 'shell-uri, fish-uri: the shell the URI follows, revoked when it exits ($$ in bash and zsh, $fish_pid in fish)' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -s n -l no-session -d 'Export the long-term key itself (no STS session)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -l container -d 'shell-uri, fish-uri: a URI for containers, on [agent] container_address'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand export" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand clear" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand clear" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand clear" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand clear" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand clear" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand completion" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand completion" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand completion" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand completion" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand completion" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -l verify-timeout -d 'How long to wait for STS to accept the new key, e.g. 30s, 2m [default: 1m]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand rotate" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l destination -d 'The console page to open [default: https://home.console.aliyun.com/]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -l stdout -d 'Print the sign-in URL instead of opening a browser (it works once, within 30 s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand login" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -f -a "aliyun-cli" -d 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and not __fish_seen_subcommand_from aliyun-cli help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l name -d 'Name of the aliyun CLI profile to write' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l region -d 'Region the aliyun profile starts with [default: defaults.region, else cn-hangzhou]' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from aliyun-cli" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "aliyun-cli" -d 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand setup; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "run" -d 'Run the agent in the foreground until stopped'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "start" -d 'Start the agent in the background (logs to agent.log in the state directory)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "stop" -d 'Stop the running agent'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "status" -d 'Show whether an agent runs, and what it serves'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "log" -d 'Show the audit log: every credential handed out'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and not __fish_seen_subcommand_from run start stop status log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from run" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from run" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from run" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from run" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from start" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from start" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from start" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from start" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from stop" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from stop" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from stop" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from stop" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -l json -d 'Print JSON'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -s n -l lines -d 'Only the last N lines' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -l json -d 'Print the raw JSON lines'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run the agent in the foreground until stopped'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the agent in the background (logs to agent.log in the state directory)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the running agent'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show whether an agent runs, and what it serves'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "log" -d 'Show the audit log: every credential handed out'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -f -a "use" -d 'Make the running agent\'s metadata endpoint serve PROFILE'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -f -a "setup" -d 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and not __fish_seen_subcommand_from use setup help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from use" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from use" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from use" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from use" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -l apply -d 'Run the step (needs root) instead of only printing it [default: ask on a terminal, as root]'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make the running agent\'s metadata endpoint serve PROFILE'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand metadata; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -f -a "login" -d 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -f -a "list" -d 'Show the accounts and access configurations your CloudSSO user may use'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -f -a "logout" -d 'Forget CloudSSO logins (all, or one profile\'s sign-in URL) and the sessions made from them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -f -a "configure" -d 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and not __fish_seen_subcommand_from login list logout configure help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -l no-browser -d 'Print the address and code instead of opening a browser'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -l json -d 'Print JSON'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from logout" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from logout" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from logout" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from logout" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l prefix -d 'Put this before each new profile\'s name (`<prefix><account>-<access configuration>`)' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -l write -d 'Add the new profiles to the configuration file instead of printing them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from configure" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "login" -d 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the accounts and access configurations your CloudSSO user may use'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Forget CloudSSO logins (all, or one profile\'s sign-in URL) and the sessions made from them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "configure" -d 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -f -a "login" -d 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -f -a "logout" -d 'Forget OAuth logins (all, or one profile\'s) and the sessions made from them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and not __fish_seen_subcommand_from login logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l timeout -d 'How long to wait for the sign-in in the browser, e.g. 90s, 5m' -r
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l no-browser -d 'Print the sign-in address on stderr instead of opening a browser'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from logout" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from logout" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from logout" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from logout" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from help" -f -a "login" -d 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Forget OAuth logins (all, or one profile\'s) and the sessions made from them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand oauth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l backend -d 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l config -d 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]' -r -F
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l from -d 'The backend to copy from' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l to -d 'The backend to copy to' -r -f -a "secret-service\t''
keyutils\t''
keychain\t''
wincred\t''
file\t''
pass\t''"
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l debug -d 'Explain what happens on stderr (never prints a secret)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l no-color -d 'Plain output without colours (also when NO_COLOR is set)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l dry-run -d 'Print what would be copied (and deleted); write and delete nothing'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l delete-source -d 'Delete the items from the source once every one was copied and read back from the target'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -l force -d 'Replace items the target holds with other contents (without it, such a conflict stops the migration before anything is written)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand migrate" -s h -l help -d 'Print help'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "add" -d 'Store a long-term AccessKey for a profile in the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "list" -d 'Show profiles, stored keys and cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "remove" -d 'Delete a profile\'s stored key and its cached sessions'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "exec" -d 'Run a command with a profile\'s session in its environment'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "export" -d 'Print a profile\'s session for other tools'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "clear" -d 'Drop cached sessions (of one profile, or all)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "completion" -d 'Print a shell completion script'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "rotate" -d 'Replace a profile\'s stored AccessKey with a new one made through RAM, then delete the old one'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "login" -d 'Open the web console signed in with a profile\'s STS session'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "setup" -d 'Connect other tools to alicloud-vault'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "agent" -d 'The background agent that holds sessions and serves the local credential endpoints'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "metadata" -d 'The ECS instance-metadata emulation on 100.100.100.200'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "sso" -d 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "oauth" -d 'OAuth: log in in the browser through Alibaba Cloud\'s official-cli application, log out'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "migrate" -d 'Copy every item from one keystore backend to another, each read back before anything is deleted'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and not __fish_seen_subcommand_from add list remove exec export clear completion rotate login setup agent metadata sso oauth migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from setup" -f -a "aliyun-cli" -d 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "run" -d 'Run the agent in the foreground until stopped'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "start" -d 'Start the agent in the background (logs to agent.log in the state directory)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "stop" -d 'Stop the running agent'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "status" -d 'Show whether an agent runs, and what it serves'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from agent" -f -a "log" -d 'Show the audit log: every credential handed out'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from metadata" -f -a "use" -d 'Make the running agent\'s metadata endpoint serve PROFILE'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from metadata" -f -a "setup" -d 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "login" -d 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "list" -d 'Show the accounts and access configurations your CloudSSO user may use'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "logout" -d 'Forget CloudSSO logins (all, or one profile\'s sign-in URL) and the sessions made from them'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "configure" -d 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from oauth" -f -a "login" -d 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
complete -c alicloud-vault -n "__fish_alicloud_vault_using_subcommand help; and __fish_seen_subcommand_from oauth" -f -a "logout" -d 'Forget OAuth logins (all, or one profile\'s) and the sessions made from them'

# Profile names (alicloud-vault __complete-profiles: the configuration and the keystore's item
# names; it never asks for a passphrase).
complete -c alicloud-vault -n "__fish_seen_subcommand_from exec export login remove rm rotate clear use configure logout; or __fish_seen_subcommand_from sso; and __fish_seen_subcommand_from list" -f -a "(alicloud-vault __complete-profiles 2>/dev/null)" -d profile
