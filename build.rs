//! Fingerprints everything this binary is built from (JIXIAO_SOURCE_HASH, `build/fingerprint.rs`),
//! so a cache or shard written by a build with other code, rules, data or dependencies is never
//! reused; builds the keyword segmenter's dictionary (`build/segmenter.rs`); and fails the
//! build on a malformed line of `rules/` (read by the library's own strict reader).

use std::path::Path;

#[path = "build/fingerprint.rs"]
mod fingerprint;
#[path = "src/rules/read.rs"]
mod rules_read;
#[path = "build/segmenter.rs"]
mod segmenter;

fn main() {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    for r in fingerprint::ROOTS {
        println!("cargo:rerun-if-changed={r}");
    }
    let h = fingerprint::fingerprint(Path::new(&root));
    println!("cargo:rustc-env=JIXIAO_SOURCE_HASH={h:016x}");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    segmenter::build(Path::new(&root), &Path::new(&out).join("segmenter.bin"));
    check_rules(&Path::new(&root).join("rules"));
}

/// Every table and list of `rules/` read for its shape (the types of its cells are checked by
/// the library's tests): a malformed line stops the build with its file and line.
fn check_rules(dir: &Path) {
    let entries = std::fs::read_dir(dir).expect("rules/ is readable");
    for e in entries.flatten() {
        let path = e.path();
        let name = format!("rules/{}", e.file_name().to_string_lossy());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{name}: {err}"));
        let read = match path.extension().and_then(|x| x.to_str()) {
            Some("tsv") => rules_read::table::<Vec<String>>(&name, &text).map(|_| ()),
            Some("txt") => rules_read::list(&name, &text).map(|_| ()),
            _ => Err(format!(
                "{name}: a rules file is a .tsv table or a .txt list"
            )),
        };
        if let Err(problem) = read {
            panic!("{problem}");
        }
    }
}
