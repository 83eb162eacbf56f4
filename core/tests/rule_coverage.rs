//! Every rule of the catalogue (R1–R30) is cited where `core` computes it and where its tests
//! pin it down. Native only: it reads the crate's own files.
#![cfg(not(target_arch = "wasm32"))]

use std::{fs, path::Path};

fn sources(folder: &str) -> String {
    let mut text = String::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(
                fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
        } else if path.extension().is_some_and(|ext| ext == "rs")
            && path
                .file_name()
                .is_some_and(|name| name != "rule_coverage.rs")
        {
            text.push_str(&fs::read_to_string(&path).unwrap());
            text.push('\n');
        }
    }
    text
}

/// Whether `text` cites rule `n` as `R{n}` or `r{n}_` (test names), not as a prefix of
/// another id (R1 inside R13).
fn cites(text: &str, n: u8) -> bool {
    [format!("R{n}"), format!("r{n}_")].iter().any(|id| {
        text.match_indices(id.as_str()).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + id.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && (id.ends_with('_') || !after.is_some_and(|c| c.is_ascii_digit()))
        })
    })
}

#[test]
fn every_rule_is_cited_in_code_and_in_tests() {
    let code = sources("src");
    let tests = sources("tests");
    let uncited: Vec<String> = (1..=30)
        .flat_map(|n| {
            let mut missing = Vec::new();
            if !cites(&code, n) {
                missing.push(format!("R{n} in core/src"));
            }
            if !cites(&tests, n) {
                missing.push(format!("R{n} in core/tests"));
            }
            missing
        })
        .collect();
    assert_eq!(uncited, Vec::<String>::new());
}
