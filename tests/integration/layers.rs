//! The library's layers (docs/architecture.md, "Layers") hold: a module uses only modules of
//! lower layers, and the modules of the bottom row only each other. Read from the source:
//! every `crate::NAME` in a file of module M must name M itself or a module below M.

use crate::common::repo_root;
use std::path::Path;

/// The layers, lowest first; a module may use the modules of lower layers. Within a row only
/// the bottom one may use its own members. Exported macros (`note!`, `debug!`, `sayln!`, `outln!`, ...) are
/// `message`'s.
const LAYERS: &[&[&str]] = &[
    &[
        "session",
        "secret",
        "display",
        "message",
        "dirs",
        "runtime",
        "exit_codes",
        "diagnostics",
        "duration",
        "knobs",
        "color",
        "browser",
        "platform",
        "atomic_file",
        "hardening",
    ],
    &["aliyun", "keystore", "environment"],
    &["config"],
    &["credentials"],
    &["agent"],
    &["broker"],
    &[
        "console",
        "sso_login",
        "oauth_login",
        "keys",
        "serve",
        "rotation",
        "export",
    ],
    &["completion"],
    &["cli"],
];

const MACROS: &[&str] = &[
    "note",
    "warn",
    "debug",
    "agent_log",
    "say",
    "sayln",
    "out",
    "outln",
];

fn layer_of(module: &str) -> Option<usize> {
    let module = if MACROS.contains(&module) {
        "message"
    } else {
        module
    };
    LAYERS.iter().position(|row| row.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`src/agent/state.rs` -> `agent`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// Every `crate::NAME` a text names outside `//` comments, with its line number (from 1);
/// a group (`crate::{a::X, b}`, over several lines too) names each of its members.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (at, m) in code.match_indices("crate::") {
        if code[..at].ends_with('$') {
            continue; // `$crate::` in a macro names the crate, not a module
        }
        let rest = &code[at + m.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The members at the group's own depth: the first name of each.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_ascii_alphanumeric() || c == '_') => {
                        start = false;
                        found.push((line_at(at), ident(&group[i..])));
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.push((line_at(at), name));
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_of_the_library_uses_one_above_it() {
    let src = repo_root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = module_of(relative);
        // The binary (main.rs, cmd/) sits on top and uses the whole library.
        if module == "main" || module == "cmd" || module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            unplaced.push(module);
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in crate_paths(&text) {
            if used == module || (MACROS.contains(&used.as_str()) && module == "message") {
                continue;
            }
            match layer_of(&used) {
                Some(l) if l < own || (l == 0 && own == 0) => {}
                Some(_) => upward.push(format!(
                    "{}:{line}: {module} uses crate::{used}",
                    relative.display()
                )),
                None => unplaced.push(used),
            }
        }
    }
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "modules missing from LAYERS (place them, and in docs/architecture.md): {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "imports against the layers of docs/architecture.md:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_scan_sees_every_form_of_a_use() {
    let names =
        |text: &str| -> Vec<String> { crate_paths(text).into_iter().map(|(_, n)| n).collect() };
    assert_eq!(
        names("use crate::broker::Broker; // crate::agent"),
        ["broker"]
    );
    assert_eq!(
        names("        $crate::message::note(x)"),
        Vec::<String>::new()
    );
    assert_eq!(
        names("use crate::{\n    agent::client::{A, B},\n    keys,\n};\nlet x = crate::cli::X;"),
        ["agent", "keys", "cli"]
    );
    assert_eq!(crate_paths("a\nb crate::serve::x")[0].0, 2);
    assert!(layer_of("broker") > layer_of("credentials"));
    assert_eq!(layer_of("warn"), layer_of("message"));
}
