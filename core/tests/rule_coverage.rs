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

/// One test function: its name and what its body asserts (comments left out).
struct TestFn {
    name: String,
    assertions: String,
}

/// The test functions of `text` (`#[test]` or `#[wasm_bindgen_test]`), each with the text of
/// its assertion macros — `assert!`, `assert_eq!`, `assert_ne!`, `matches!` and
/// `unreachable!`/`panic!` messages — so a rule is counted as tested only where a test is
/// named for it or says it when it fails, never for a comment.
fn test_fns(text: &str) -> Vec<TestFn> {
    let code: String = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (at, _) in code
        .match_indices("#[test]")
        .chain(code.match_indices("#[wasm_bindgen_test]"))
    {
        let rest = &code[at..];
        let Some(fn_at) = rest.find("fn ") else {
            continue;
        };
        let name: String = rest[fn_at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = rest.find('{') else { continue };
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &rest[open..end];
        let mut assertions = String::new();
        for mac in [
            "assert!(",
            "assert_eq!(",
            "assert_ne!(",
            "panic!(",
            "unreachable!(",
        ] {
            for (start, _) in body.match_indices(mac) {
                let call = &body[start..];
                let mut depth = 0usize;
                for (i, c) in call.char_indices() {
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                assertions.push_str(&call[..=i]);
                                assertions.push('\n');
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        found.push(TestFn { name, assertions });
    }
    found
}

#[test]
fn every_rule_is_cited_in_code_and_pinned_by_a_test_named_for_it_or_saying_it() {
    let code = sources("src");
    let tests = test_fns(&sources("tests"));
    assert!(tests.len() > 50, "found only {} tests", tests.len());
    let uncited: Vec<String> = (1..=30)
        .flat_map(|n| {
            let mut missing = Vec::new();
            if !cites(&code, n) {
                missing.push(format!("R{n} in core/src"));
            }
            let tested = tests
                .iter()
                .any(|test| cites(&format!("{}_", test.name), n) || cites(&test.assertions, n));
            if !tested {
                missing.push(format!(
                    "R{n}: no test in core/tests named for it or saying it"
                ));
            }
            missing
        })
        .collect();
    assert_eq!(uncited, Vec::<String>::new());
}

#[test]
fn a_comment_alone_does_not_count_as_a_test_of_a_rule() {
    let text = "#[test]\nfn some_check() {\n    // R7: an offsite visit\n    assert_eq!(1, 1);\n}\n\
                #[test]\nfn r8_contact_made() {\n    assert_eq!(made(), 1);\n}\n\
                #[test]\nfn another() {\n    assert!(false, \"R12 breaks\");\n}\n";
    let tests = test_fns(text);
    let tested = |n| {
        tests
            .iter()
            .any(|t| cites(&format!("{}_", t.name), n) || cites(&t.assertions, n))
    };
    assert_eq!(tests.len(), 3);
    assert!(!tested(7), "R7 only in a comment");
    assert!(tested(8), "R8 in a test's name");
    assert!(tested(12), "R12 in an assertion's message");
}
