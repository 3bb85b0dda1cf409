
use builtin;
use str;

set edit:completion:arg-completer[alicloud-vault] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'alicloud-vault'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'alicloud-vault'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Store a long-term AccessKey for a profile in the keystore'
            cand list 'Show profiles, stored keys and cached sessions'
            cand ls 'Show profiles, stored keys and cached sessions'
            cand remove 'Delete a profile''s stored key and its cached sessions'
            cand rm 'Delete a profile''s stored key and its cached sessions'
            cand exec 'Run a command with a profile''s session in its environment'
            cand export 'Print a profile''s session for other tools'
            cand clear 'Drop cached sessions (of one profile, or all)'
            cand completion 'Print a shell completion script'
            cand rotate 'Replace a profile''s stored AccessKey with a new one made through RAM, then delete the old one'
            cand login 'Open the web console signed in with a profile''s STS session'
            cand setup 'Connect other tools to alicloud-vault'
            cand agent 'The background agent that holds sessions and serves the local credential endpoints'
            cand metadata 'The ECS instance-metadata emulation on 100.100.100.200'
            cand sso 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out'
            cand oauth 'OAuth: log in in the browser through Alibaba Cloud''s official-cli application, log out'
            cand migrate 'Copy every item from one keystore backend to another, each read back before anything is deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;add'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --env 'Read the key from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or the ALIBABACLOUD_, ALICLOUD_ and plain tiers)'
            cand --stdin 'Read two lines from standard input: the AccessKey id, then the secret'
            cand --import-aliyun 'Move the key of the aliyun CLI''s AK profile PROFILE (or the refresh token of its OAuth profile) into the keystore, then offer to blank it in ~/.aliyun/config.json'
            cand --yes 'With --import-aliyun: blank the keys or tokens in the aliyun CLI''s file without asking'
            cand --no-verify 'Store without checking the key with STS GetCallerIdentity'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;list'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --profiles 'Only profile names'
            cand --credentials 'Only profiles that have a stored key'
            cand --sessions 'Only cached sessions, with the time they have left'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;ls'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --profiles 'Only profile names'
            cand --credentials 'Only profiles that have a stored key'
            cand --sessions 'Only cached sessions, with the time they have left'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;remove'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --sessions-only 'Keep the key; only drop the profile''s cached sessions'
            cand -f 'Do not ask for confirmation'
            cand --force 'Do not ask for confirmation'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;rm'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --sessions-only 'Keep the key; only drop the profile''s cached sessions'
            cand -f 'Do not ask for confirmation'
            cand --force 'Do not ask for confirmation'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;exec'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand -d 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]'
            cand --duration 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]'
            cand --region 'Region for the child''s region variables [default: the profile''s region]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -n 'Hand out the long-term key itself (no STS session)'
            cand --no-session 'Hand out the long-term key itself (no STS session)'
            cand --force-nested 'Run even when already inside an alicloud-vault exec'
            cand --server 'Give the child a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI) that stays fresh, instead of keys'
            cand --ecs-server 'Serve the ECS metadata endpoint ([metadata] address) for the life of the child, instead of keys'
            cand --container 'With --server: a URI that containers reach, on [agent] container_address'
            cand --no-agent 'Neither use nor start the agent: read the keystore and call STS from this process'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;export'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --format 'Output format: env (shell lines for eval), json, aliyun-external (the aliyun CLI''s External mode), credentials-uri-json (what a credentials URI serves), ini (~/.alibabacloud/credentials), or shell-uri / fish-uri (a credentials URI for the current shell, served by the agent until that shell exits; needs --shell-pid)'
            cand -d 'Session length, e.g. 15m, 1h'
            cand --duration 'Session length, e.g. 15m, 1h'
            cand --region 'Region to include [default: the profile''s region]'
            cand --shell-pid 'shell-uri, fish-uri: the shell the URI follows, revoked when it exits ($$ in bash and zsh, $fish_pid in fish)'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -n 'Export the long-term key itself (no STS session)'
            cand --no-session 'Export the long-term key itself (no STS session)'
            cand --container 'shell-uri, fish-uri: a URI for containers, on [agent] container_address'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;clear'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;completion'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;rotate'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --verify-timeout 'How long to wait for STS to accept the new key, e.g. 30s, 2m [default: 1m]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;login'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --destination 'The console page to open [default: https://home.console.aliyun.com/]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --stdout 'Print the sign-in URL instead of opening a browser (it works once, within 30 s)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;setup'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand aliyun-cli 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;setup;aliyun-cli'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --name 'Name of the aliyun CLI profile to write'
            cand --region 'Region the aliyun profile starts with [default: defaults.region, else cn-hangzhou]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;setup;help'= {
            cand aliyun-cli 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;setup;help;aliyun-cli'= {
        }
        &'alicloud-vault;setup;help;help'= {
        }
        &'alicloud-vault;agent'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand run 'Run the agent in the foreground until stopped'
            cand start 'Start the agent in the background (logs to agent.log in the state directory)'
            cand stop 'Stop the running agent'
            cand status 'Show whether an agent runs, and what it serves'
            cand log 'Show the audit log: every credential handed out'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;agent;run'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;agent;start'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;agent;stop'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;agent;status'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;agent;log'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand -n 'Only the last N lines'
            cand --lines 'Only the last N lines'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --json 'Print the raw JSON lines'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;agent;help'= {
            cand run 'Run the agent in the foreground until stopped'
            cand start 'Start the agent in the background (logs to agent.log in the state directory)'
            cand stop 'Stop the running agent'
            cand status 'Show whether an agent runs, and what it serves'
            cand log 'Show the audit log: every credential handed out'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;agent;help;run'= {
        }
        &'alicloud-vault;agent;help;start'= {
        }
        &'alicloud-vault;agent;help;stop'= {
        }
        &'alicloud-vault;agent;help;status'= {
        }
        &'alicloud-vault;agent;help;log'= {
        }
        &'alicloud-vault;agent;help;help'= {
        }
        &'alicloud-vault;metadata'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand use 'Make the running agent''s metadata endpoint serve PROFILE'
            cand setup 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;metadata;use'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;metadata;setup'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --apply 'Run the step (needs root) instead of only printing it [default: ask on a terminal, as root]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;metadata;help'= {
            cand use 'Make the running agent''s metadata endpoint serve PROFILE'
            cand setup 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;metadata;help;use'= {
        }
        &'alicloud-vault;metadata;help;setup'= {
        }
        &'alicloud-vault;metadata;help;help'= {
        }
        &'alicloud-vault;sso'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand login 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
            cand list 'Show the accounts and access configurations your CloudSSO user may use'
            cand logout 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them'
            cand configure 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;sso;login'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --no-browser 'Print the address and code instead of opening a browser'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;sso;list'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;sso;logout'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;sso;configure'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --prefix 'Put this before each new profile''s name (`<prefix><account>-<access configuration>`)'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --write 'Add the new profiles to the configuration file instead of printing them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;sso;help'= {
            cand login 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
            cand list 'Show the accounts and access configurations your CloudSSO user may use'
            cand logout 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them'
            cand configure 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;sso;help;login'= {
        }
        &'alicloud-vault;sso;help;list'= {
        }
        &'alicloud-vault;sso;help;logout'= {
        }
        &'alicloud-vault;sso;help;configure'= {
        }
        &'alicloud-vault;sso;help;help'= {
        }
        &'alicloud-vault;oauth'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand login 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
            cand logout 'Forget OAuth logins (all, or one profile''s) and the sessions made from them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;oauth;login'= {
            cand --timeout 'How long to wait for the sign-in in the browser, e.g. 90s, 5m'
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --no-browser 'Print the sign-in address on stderr instead of opening a browser'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;oauth;logout'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;oauth;help'= {
            cand login 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
            cand logout 'Forget OAuth logins (all, or one profile''s) and the sessions made from them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;oauth;help;login'= {
        }
        &'alicloud-vault;oauth;help;logout'= {
        }
        &'alicloud-vault;oauth;help;help'= {
        }
        &'alicloud-vault;migrate'= {
            cand --backend 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]'
            cand --config 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]'
            cand --from 'The backend to copy from'
            cand --to 'The backend to copy to'
            cand --debug 'Explain what happens on stderr (never prints a secret)'
            cand --no-color 'Plain output without colours (also when NO_COLOR is set)'
            cand --dry-run 'Print what would be copied (and deleted); write and delete nothing'
            cand --delete-source 'Delete the items from the source once every one was copied and read back from the target'
            cand --force 'Replace items the target holds with other contents (without it, such a conflict stops the migration before anything is written)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'alicloud-vault;help'= {
            cand add 'Store a long-term AccessKey for a profile in the keystore'
            cand list 'Show profiles, stored keys and cached sessions'
            cand remove 'Delete a profile''s stored key and its cached sessions'
            cand exec 'Run a command with a profile''s session in its environment'
            cand export 'Print a profile''s session for other tools'
            cand clear 'Drop cached sessions (of one profile, or all)'
            cand completion 'Print a shell completion script'
            cand rotate 'Replace a profile''s stored AccessKey with a new one made through RAM, then delete the old one'
            cand login 'Open the web console signed in with a profile''s STS session'
            cand setup 'Connect other tools to alicloud-vault'
            cand agent 'The background agent that holds sessions and serves the local credential endpoints'
            cand metadata 'The ECS instance-metadata emulation on 100.100.100.200'
            cand sso 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out'
            cand oauth 'OAuth: log in in the browser through Alibaba Cloud''s official-cli application, log out'
            cand migrate 'Copy every item from one keystore backend to another, each read back before anything is deleted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'alicloud-vault;help;add'= {
        }
        &'alicloud-vault;help;list'= {
        }
        &'alicloud-vault;help;remove'= {
        }
        &'alicloud-vault;help;exec'= {
        }
        &'alicloud-vault;help;export'= {
        }
        &'alicloud-vault;help;clear'= {
        }
        &'alicloud-vault;help;completion'= {
        }
        &'alicloud-vault;help;rotate'= {
        }
        &'alicloud-vault;help;login'= {
        }
        &'alicloud-vault;help;setup'= {
            cand aliyun-cli 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials'
        }
        &'alicloud-vault;help;setup;aliyun-cli'= {
        }
        &'alicloud-vault;help;agent'= {
            cand run 'Run the agent in the foreground until stopped'
            cand start 'Start the agent in the background (logs to agent.log in the state directory)'
            cand stop 'Stop the running agent'
            cand status 'Show whether an agent runs, and what it serves'
            cand log 'Show the audit log: every credential handed out'
        }
        &'alicloud-vault;help;agent;run'= {
        }
        &'alicloud-vault;help;agent;start'= {
        }
        &'alicloud-vault;help;agent;stop'= {
        }
        &'alicloud-vault;help;agent;status'= {
        }
        &'alicloud-vault;help;agent;log'= {
        }
        &'alicloud-vault;help;metadata'= {
            cand use 'Make the running agent''s metadata endpoint serve PROFILE'
            cand setup 'Print the one privileged setup step (the address on the loopback interface); --apply runs it'
        }
        &'alicloud-vault;help;metadata;use'= {
        }
        &'alicloud-vault;help;metadata;setup'= {
        }
        &'alicloud-vault;help;sso'= {
            cand login 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore'
            cand list 'Show the accounts and access configurations your CloudSSO user may use'
            cand logout 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them'
            cand configure 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)'
        }
        &'alicloud-vault;help;sso;login'= {
        }
        &'alicloud-vault;help;sso;list'= {
        }
        &'alicloud-vault;help;sso;logout'= {
        }
        &'alicloud-vault;help;sso;configure'= {
        }
        &'alicloud-vault;help;oauth'= {
            cand login 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore'
            cand logout 'Forget OAuth logins (all, or one profile''s) and the sessions made from them'
        }
        &'alicloud-vault;help;oauth;login'= {
        }
        &'alicloud-vault;help;oauth;logout'= {
        }
        &'alicloud-vault;help;migrate'= {
        }
        &'alicloud-vault;help;help'= {
        }
    ]
    $completions[$command]
}
