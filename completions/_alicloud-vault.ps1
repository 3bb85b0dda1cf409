
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
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
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
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Connect other tools to alicloud-vault')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;add' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Read the key from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or the ALIBABACLOUD_, ALICLOUD_ and plain tiers)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read two lines from standard input: the AccessKey id, then the secret')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Store without checking the key with STS GetCallerIdentity')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;list' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Only profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Only profiles that have a stored key')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Only cached sessions, with the time they have left')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;ls' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Only profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Only profiles that have a stored key')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Only cached sessions, with the time they have left')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;remove' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Keep the key; only drop the profile''s cached sessions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;rm' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Keep the key; only drop the profile''s cached sessions')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;exec' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h, 12h [default: the profile''s duration, else 1h]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region for the child''s region variables [default: the profile''s region]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Hand out the long-term key itself (no STS session)')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Hand out the long-term key itself (no STS session)')
            [CompletionResult]::new('--force-nested', '--force-nested', [CompletionResultType]::ParameterName, 'Run even when already inside an alicloud-vault exec')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Session length, e.g. 15m, 1h')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region to include [default: the profile''s region]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Export the long-term key itself (no STS session)')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Export the long-term key itself (no STS session)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'alicloud-vault;clear' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;completion' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'alicloud-vault;setup' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('aliyun-cli', 'aliyun-cli', [CompletionResultType]::ParameterValue, 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'alicloud-vault;setup;aliyun-cli' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the aliyun CLI profile to write')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region the aliyun profile starts with [default: defaults.region, else cn-hangzhou]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Keystore backend [default: secret-service when a Secret Service answers, else file]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: ~/.config/alicloud-vault/config.toml]')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Explain what happens on stderr (never prints a secret)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colours')
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
        'alicloud-vault;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Store a long-term AccessKey for a profile in the keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show profiles, stored keys and cached sessions')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a profile''s stored key and its cached sessions')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a profile''s session in its environment')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a profile''s session for other tools')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Drop cached sessions (of one profile, or all)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Connect other tools to alicloud-vault')
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
        'alicloud-vault;help;setup' {
            [CompletionResult]::new('aliyun-cli', 'aliyun-cli', [CompletionResultType]::ParameterValue, 'Add an `External` profile to ~/.aliyun/config.json that asks alicloud-vault for credentials')
            break
        }
        'alicloud-vault;help;setup;aliyun-cli' {
            break
        }
        'alicloud-vault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
