//! No file of the repository cites documents a clone does not have (the product contract and
//! the protocol notes the project started from live outside it). Wire facts are cited as
//! "docs/protocols.md, SECTION"; product rules as the docs/ file that states them.
//!
//! The needles are assembled from parts, so this file does not match itself.

use std::path::Path;
use std::process::Command;

/// Substrings that always mean an outside citation.
fn plain_needles() -> Vec<String> {
    let spec = ["SP", "EC"].concat();
    let protocols = ["PROTO", "COLS"].concat();
    vec![
        ["..", "/shared"].concat(),
        ["/work", "/shared"].concat(),
        format!("{spec}.md"),
        format!("{protocols}.md"),
        format!("{spec} section"),
    ]
}

/// The first outside citation in `line`, if any: a plain needle, or the word SPEC/PROTOCOLS
/// followed by a section number (`N`, ` N`, ` §N`).
fn outside_citation(line: &str) -> Option<String> {
    for needle in plain_needles() {
        if line.contains(&needle) {
            return Some(needle);
        }
    }
    for word in [["SP", "EC"].concat(), ["PROTO", "COLS"].concat()] {
        for (at, _) in line.match_indices(&word) {
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = line[at + word.len()..].trim_start_matches([' ', '§']);
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return Some(word);
            }
        }
    }
    None
}

/// The repository's files (tracked, plus untracked ones that are not ignored), relative paths.
fn repository_files(root: &Path) -> Vec<String> {
    let out = Command::new("git")
        .args([
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ])
        .current_dir(root)
        .output()
        .expect("run git ls-files (git must be installed to run this test)");
    assert!(
        out.status.success(),
        "git ls-files failed in {}: {}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("git ls-files prints UTF-8 paths")
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_matcher_flags_outside_citations_and_nothing_else() {
    let spec = ["SP", "EC"].concat();
    let protocols = ["PROTO", "COLS"].concat();
    for bad in [
        format!("// exit codes ({spec} section 3)"),
        format!("// ({spec} 12: at most 10 ms"),
        format!("//! STS ({protocols}.md 1)."),
        format!("// the order of {protocols} 9.8"),
        format!("see {protocols} §2"),
        format!("see ../{}/notes", ["sha", "red"].concat()),
        format!(
            "the contract is /work/{}/{spec}.md",
            ["sha", "red"].concat()
        ),
    ] {
        assert!(outside_citation(&bad).is_some(), "not flagged: {bad}");
    }
    for good in [
        "// exit codes (docs/usage.md, Exit codes)",
        "//! STS (docs/protocols.md, STS over RPC).",
        "version = \"0.9.12+spec-1.1.0\"",
        "fn accepts_the_forms_of_the_spec() {",
        "let spec = HashMap::from([(attribute, SERVICE)]);",
        "# Print an optspec for argparse",
    ] {
        assert_eq!(outside_citation(good), None, "flagged: {good}");
    }
}

#[test]
fn no_file_cites_a_document_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = repository_files(root);
    assert!(
        files.iter().any(|f| f == "src/lib.rs") && files.iter().any(|f| f == "docs/protocols.md"),
        "git ls-files in {} did not list the sources; is this a git checkout?",
        root.display()
    );
    let mut found = Vec::new();
    for file in &files {
        // Third-party clients installed for the tests are not ours.
        if file.starts_with("tests/clients/") {
            continue;
        }
        let Ok(bytes) = std::fs::read(root.join(file)) else {
            continue; // deleted in the work tree but still in the index
        };
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            if let Some(needle) = outside_citation(line) {
                found.push(format!("{file}:{}: {needle}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines cite documents that are not in the repository; cite the docs/ file that \
         states the fact instead (wire facts: \"docs/protocols.md, SECTION\"; exit codes: \
         docs/usage.md), adding the fact there if it is missing:\n{}",
        found.join("\n")
    );
}
