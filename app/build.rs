//! Lists the notice's language files (`notices/*.txt`) for `notice_text`: adding a language is
//! adding a file there, with no list to edit.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("notices");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("app/notices/")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .map(|path| {
            println!("cargo:rerun-if-changed={}", path.display());
            let code = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a language file named by its code")
                .to_owned();
            (code, path.display().to_string())
        })
        .collect();
    files.sort();
    let mut out = String::from("/// Each notice language file: its code and its text.\n");
    out.push_str("pub const FILES: &[(&str, &str)] = &[\n");
    for (code, path) in files {
        out.push_str(&format!("    ({code:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("notices.rs");
    std::fs::write(target, out).expect("write notices.rs");
}
