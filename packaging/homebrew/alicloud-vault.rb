# Homebrew formula for alicloud-vault: builds the release's source tarball with cargo.
# The release workflow stamps the tarball's sha256 in (packaging/check --stamp) and attaches this
# file to the release, for a tap to take; the copy in the repository has a placeholder.
class AlicloudVault < Formula
  desc "Keeps Alibaba Cloud AccessKeys in the OS keystore and hands out STS sessions"
  homepage "https://github.com/alicloud-vault/alicloud-vault"
  url "https://github.com/alicloud-vault/alicloud-vault/releases/download/v0.1.0/alicloud-vault-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license any_of: ["MIT", "Apache-2.0"]
  head "https://github.com/alicloud-vault/alicloud-vault.git", branch: "main"

  depends_on "rust" => :build

  def install
    system "cargo", "install", *std_cargo_args

    bash_completion.install "completions/alicloud-vault.bash" => "alicloud-vault"
    zsh_completion.install "completions/_alicloud-vault"
    fish_completion.install "completions/alicloud-vault.fish"
    man1.install Dir["man/*.1"]
    # The launchd agent (docs/agent.md says how to load it).
    pkgshare.install "service/com.github.alicloud-vault.agent.plist"
    doc.install "README.md", "CHANGELOG.md", *Dir["docs/*.md"]
  end

  test do
    assert_equal "alicloud-vault #{version}", shell_output("#{bin}/alicloud-vault --version").strip

    # The file keystore in the test's own folder: store a key without asking STS, read it back.
    ENV["ALICLOUD_VAULT_FILE_DIR"] = (testpath/"keys").to_s
    ENV["ALICLOUD_VAULT_FILE_PASSPHRASE"] = "brew-test"
    pipe_output("#{bin}/alicloud-vault --backend file add brew --stdin --no-verify",
                "LTAI5tBrewTestKey0001\nBrewTestSecret0123456789abcdef\n", 0)
    assert_match "brew", shell_output("#{bin}/alicloud-vault --backend file list --credentials")
    assert_match "ALIBABA_CLOUD_ACCESS_KEY_ID='LTAI5tBrewTestKey0001'",
                 shell_output("#{bin}/alicloud-vault --backend file export brew --no-session")

    assert_path_exists man1/"alicloud-vault-exec.1"
  end
end
