
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'alicloud-vault' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'alicloud-vault'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'alicloud-vault' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a long-term AccessKey for a profile in the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show profiles, stored keys and cached sessions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'Show profiles, stored keys and cached sessions')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored key and its cached sessions')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored key and its cached sessions')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a profile''s session in its environment')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a profile''s session for other tools')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached sessions (of one profile, or all)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a profile''s stored AccessKey with a new one made through RAM, then delete the old one')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open the web console signed in with a profile''s STS session')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Connect other tools to alicloud-vault')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The background agent that holds sessions and serves the local credential endpoints')
            [CompletionResult]::new('metadata', 'metadata', [CompletionResultType]::ParameterValue, 'The ECS instance-metadata emulation on 100.100.100.200')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out')
            [CompletionResult]::new('oauth', 'oauth', [CompletionResultType]::ParameterValue, 'OAuth: log in in the browser through Alibaba Cloud''s official-cli application, log out')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy every item from one keystore backend to another, each read back before anything is deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;add' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Read the key from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or the ALIBABACLOUD_, ALICLOUD_ and plain tiers)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read two lines from standard input: the AccessKey id, then the secret')
            [CompletionResult]::new('--import-aliyun', '--import-aliyun', [CompletionResultType]::ParameterName, 'Move the key of the aliyun CLI''s AK profile PROFILE (or the refresh token of its OAuth profile) into the keystore, then offer to blank it in ~/.aliyun/config.json')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --import-aliyun: blank the keys or tokens in the aliyun CLI''s file without asking')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without checking the key with STS GetCallerIdentity')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;list' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Only profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Only profiles that have a stored key')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Only cached sessions, with the time they have left')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;ls' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Only profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Only profiles that have a stored key')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Only cached sessions, with the time they have left')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;remove' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Keep the key; only drop the profile''s cached sessions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;rm' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Keep the key; only drop the profile''s cached sessions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;exec' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for the child''s region variables [default: the profile''s region]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Hand out the long-term key itself (no STS session)')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Hand out the long-term key itself (no STS session)')
            [CompletionResult]::new('--force-nested', '--force-nested', [CompletionResultType]::ParameterName, 'Run even when already inside an alicloud-vault exec')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Give the child a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI) that stays fresh, instead of keys')
            [CompletionResult]::new('--ecs-server', '--ecs-server', [CompletionResultType]::ParameterName, 'Serve the ECS metadata endpoint ([metadata] address) for the life of the child, instead of keys')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'With --server: a URI that containers reach, on [agent] container_address')
            [CompletionResult]::new('--no-agent', '--no-agent', [CompletionResultType]::ParameterName, 'Neither use nor start the agent: read the keystore and call STS from this process')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;export' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: env (shell lines for eval), json, aliyun-external (the aliyun CLI''s External mode), credentials-uri-json (what a credentials URI serves), ini (~/.alibabacloud/credentials), or shell-uri / fish-uri (a credentials URI for the current shell, served by the agent until that shell exits; needs --shell-pid)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region to include [default: the profile''s region]')
            [CompletionResult]::new('--shell-pid', '--shell-pid', [CompletionResultType]::ParameterName, 'shell-uri, fish-uri: the shell the URI follows, revoked when it exits ($$ in bash and zsh, $fish_pid in fish)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Export the long-term key itself (no STS session)')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Export the long-term key itself (no STS session)')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'shell-uri, fish-uri: a URI for containers, on [agent] container_address')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;clear' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;completion' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;rotate' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--verify-timeout', '--verify-timeout', [CompletionResultType]::ParameterName, 'How long to wait for STS to accept the new key, e.g. 30s, 2m [default: 1m]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;login' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--destination', '--destination', [CompletionResultType]::ParameterName, 'The console page to open [default: https://home.console.aliyun.com/]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser (it works once, within 30 s)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;setup' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('aliyun-cli', 'aliyun-cli', [CompletionResultType]::ParameterValue, 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;setup;aliyun-cli' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the aliyun CLI profile to write')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region the aliyun profile starts with [default: defaults.region, else cn-hangzhou]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;setup;help' {
            [CompletionResult]::new('aliyun-cli', 'aliyun-cli', [CompletionResultType]::ParameterValue, 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;setup;help;aliyun-cli' {
            break
        }
        'alicloud-vault;setup;help;help' {
            break
        }
        'alicloud-vault;agent' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the agent in the foreground until stopped')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the agent in the background (logs to agent.log in the state directory)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running agent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show whether an agent runs, and what it serves')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log: every credential handed out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;agent;run' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;agent;start' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;agent;stop' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;agent;status' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;agent;log' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the raw JSON lines')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;agent;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the agent in the foreground until stopped')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the agent in the background (logs to agent.log in the state directory)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running agent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show whether an agent runs, and what it serves')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log: every credential handed out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;agent;help;run' {
            break
        }
        'alicloud-vault;agent;help;start' {
            break
        }
        'alicloud-vault;agent;help;stop' {
            break
        }
        'alicloud-vault;agent;help;status' {
            break
        }
        'alicloud-vault;agent;help;log' {
            break
        }
        'alicloud-vault;agent;help;help' {
            break
        }
        'alicloud-vault;metadata' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the running agent''s metadata endpoint serve PROFILE')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Print the one privileged setup step (the address on the loopback interface); --apply runs it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;metadata;use' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;metadata;setup' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Run the step (needs root) instead of only printing it [default: ask on a terminal, as root]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;metadata;help' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the running agent''s metadata endpoint serve PROFILE')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Print the one privileged setup step (the address on the loopback interface); --apply runs it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;metadata;help;use' {
            break
        }
        'alicloud-vault;metadata;help;setup' {
            break
        }
        'alicloud-vault;metadata;help;help' {
            break
        }
        'alicloud-vault;sso' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the accounts and access configurations your CloudSSO user may use')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;sso;login' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the address and code instead of opening a browser')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;sso;list' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;sso;logout' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;sso;configure' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put this before each new profile''s name (`<prefix><account>-<access configuration>`)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Add the new profiles to the configuration file instead of printing them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;sso;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the accounts and access configurations your CloudSSO user may use')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;sso;help;login' {
            break
        }
        'alicloud-vault;sso;help;list' {
            break
        }
        'alicloud-vault;sso;help;logout' {
            break
        }
        'alicloud-vault;sso;help;configure' {
            break
        }
        'alicloud-vault;sso;help;help' {
            break
        }
        'alicloud-vault;oauth' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget OAuth logins (all, or one profile''s) and the sessions made from them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;oauth;login' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the sign-in in the browser, e.g. 90s, 5m')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in address on stderr instead of opening a browser')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;oauth;logout' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;oauth;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget OAuth logins (all, or one profile''s) and the sessions made from them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;oauth;help;login' {
            break
        }
        'alicloud-vault;oauth;help;logout' {
            break
        }
        'alicloud-vault;oauth;help;help' {
            break
        }
        'alicloud-vault;migrate' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend; also ALICLOUD_VAULT_BACKEND [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file; also ALICLOUD_VAULT_CONFIG [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The backend to copy from')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The backend to copy to')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours (also when NO_COLOR is set)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be copied (and deleted); write and delete nothing')
            [CompletionResult]::new('--delete-source', '--delete-source', [CompletionResultType]::ParameterName, 'Delete the items from the source once every one was copied and read back from the target')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace items the target holds with other contents (without it, such a conflict stops the migration before anything is written)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a long-term AccessKey for a profile in the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show profiles, stored keys and cached sessions')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored key and its cached sessions')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a profile''s session in its environment')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a profile''s session for other tools')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached sessions (of one profile, or all)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a profile''s stored AccessKey with a new one made through RAM, then delete the old one')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open the web console signed in with a profile''s STS session')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Connect other tools to alicloud-vault')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'The background agent that holds sessions and serves the local credential endpoints')
            [CompletionResult]::new('metadata', 'metadata', [CompletionResultType]::ParameterValue, 'The ECS instance-metadata emulation on 100.100.100.200')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'CloudSSO: log in in the browser, list what you may use, configure profiles for it, log out')
            [CompletionResult]::new('oauth', 'oauth', [CompletionResultType]::ParameterValue, 'OAuth: log in in the browser through Alibaba Cloud''s official-cli application, log out')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy every item from one keystore backend to another, each read back before anything is deleted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;help;add' {
            break
        }
        'alicloud-vault;help;list' {
            break
        }
        'alicloud-vault;help;remove' {
            break
        }
        'alicloud-vault;help;exec' {
            break
        }
        'alicloud-vault;help;export' {
            break
        }
        'alicloud-vault;help;clear' {
            break
        }
        'alicloud-vault;help;completion' {
            break
        }
        'alicloud-vault;help;rotate' {
            break
        }
        'alicloud-vault;help;login' {
            break
        }
        'alicloud-vault;help;setup' {
            [CompletionResult]::new('aliyun-cli', 'aliyun-cli', [CompletionResultType]::ParameterValue, 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials')
            break
        }
        'alicloud-vault;help;setup;aliyun-cli' {
            break
        }
        'alicloud-vault;help;agent' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run the agent in the foreground until stopped')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the agent in the background (logs to agent.log in the state directory)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running agent')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show whether an agent runs, and what it serves')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log: every credential handed out')
            break
        }
        'alicloud-vault;help;agent;run' {
            break
        }
        'alicloud-vault;help;agent;start' {
            break
        }
        'alicloud-vault;help;agent;stop' {
            break
        }
        'alicloud-vault;help;agent;status' {
            break
        }
        'alicloud-vault;help;agent;log' {
            break
        }
        'alicloud-vault;help;metadata' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the running agent''s metadata endpoint serve PROFILE')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Print the one privileged setup step (the address on the loopback interface); --apply runs it')
            break
        }
        'alicloud-vault;help;metadata;use' {
            break
        }
        'alicloud-vault;help;metadata;setup' {
            break
        }
        'alicloud-vault;help;sso' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to CloudSSO (device authorization in the browser); the token goes to the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the accounts and access configurations your CloudSSO user may use')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget CloudSSO logins (all, or one profile''s sign-in URL) and the sessions made from them')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'A profile for every account and access configuration you may use: printed as TOML, or added to the configuration file with --write (existing profiles are left alone)')
            break
        }
        'alicloud-vault;help;sso;login' {
            break
        }
        'alicloud-vault;help;sso;list' {
            break
        }
        'alicloud-vault;help;sso;logout' {
            break
        }
        'alicloud-vault;help;sso;configure' {
            break
        }
        'alicloud-vault;help;oauth' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in in the browser (authorization code with PKCE); the refresh token goes to the keystore')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget OAuth logins (all, or one profile''s) and the sessions made from them')
            break
        }
        'alicloud-vault;help;oauth;login' {
            break
        }
        'alicloud-vault;help;oauth;logout' {
            break
        }
        'alicloud-vault;help;migrate' {
            break
        }
        'alicloud-vault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
