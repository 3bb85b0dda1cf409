//! The configuration parser: any text gives a `Config` or a `ConfigError`, never a panic.
#![no_main]

use alicloud_vault::config::Config;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = Config::parse(Path::new("config.toml"), text) {
            // Every profile that parsed can be asked for its chain without a panic.
            for name in config.profile_names() {
                let _ = config.chain(&name);
            }
        }
    }
});
