//! The build fingerprint covers everything compiled into the binary: a cache or a shard from
//! a build with another division list, rule file or dependency set is never reused (a changed
//! township code once kept the old fingerprint, and a cached run kept the stale codes).

use std::path::{Path, PathBuf};

use super::root;

#[path = "../../build/fingerprint.rs"]
mod fingerprint;

/// The string literal that directly follows each `marker` in `text` (a computed path, such as
/// the segmenter's `concat!(env!("OUT_DIR"), …)`, is not a file of the package).
fn quoted_after<'a>(text: &'a str, marker: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(marker).filter_map(move |(i, _)| {
        let rest = text.get(i + marker.len()..)?.strip_prefix('"')?;
        rest.get(..rest.find('"')?)
    })
}

/// Every file `src/` compiles in (`include_str!`, `include_bytes!`, resolved from the file
/// naming it; `source!("…")`, a file of `rules/`) and every file `build/` reads
/// (`root.join("…")`) to make what it compiles in.
fn embedded_files() -> Vec<PathBuf> {
    let mut sources = Vec::new();
    let mut stack = vec![root().join("src"), root().join("build")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                sources.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for src in sources {
        let text = std::fs::read_to_string(&src).unwrap();
        let dir = src.parent().unwrap();
        for marker in ["include_str!(", "include_bytes!("] {
            for rel in quoted_after(&text, marker) {
                files.push(dir.join(rel).canonicalize().unwrap());
            }
        }
        for name in quoted_after(&text, "source!(") {
            files.push(root().join("rules").join(name).canonicalize().unwrap());
        }
        for rel in quoted_after(&text, "root.join(") {
            files.push(root().join(rel).canonicalize().unwrap());
        }
    }
    files.sort();
    files.dedup();
    files
}

#[test]
fn every_embedded_file_lies_under_a_fingerprint_root() {
    let files = embedded_files();
    // The division list, the jieba dictionaries and the rule files at least.
    assert!(files.len() >= 20, "{files:?}");
    assert!(files
        .iter()
        .any(|f| f.ends_with("data/divisions/streets.csv")));
    assert!(files.iter().any(|f| f.ends_with("data/jieba/dict.txt.gz")));
    let base = root().canonicalize().unwrap();
    for f in &files {
        let rel = f.strip_prefix(&base).unwrap();
        assert!(
            fingerprint::ROOTS.iter().any(|r| rel.starts_with(r)),
            "{} is compiled in but not fingerprinted",
            rel.display()
        );
    }
}

/// Copies `from` (a file or a folder) to `to`.
fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn changing_any_embedded_file_changes_the_fingerprint() {
    let copy = tempfile::tempdir().unwrap();
    for r in fingerprint::ROOTS {
        copy_tree(&root().join(r), &copy.path().join(r));
    }
    let base = fingerprint::fingerprint(copy.path());
    assert_eq!(base, fingerprint::fingerprint(copy.path()), "not stable");
    let here = root().canonicalize().unwrap();
    let mut changed = vec![PathBuf::from("Cargo.lock")];
    changed.extend(
        embedded_files()
            .iter()
            .map(|f| f.strip_prefix(&here).unwrap().to_path_buf()),
    );
    for rel in changed {
        let path = copy.path().join(&rel);
        let bytes = std::fs::read(&path).unwrap();
        let mut edited = bytes.clone();
        // One byte changed in the middle (a township's code digit, a rule's word).
        let mid = edited.len() / 2;
        edited[mid] ^= 1;
        std::fs::write(&path, &edited).unwrap();
        assert_ne!(
            fingerprint::fingerprint(copy.path()),
            base,
            "{} changed and the fingerprint did not",
            rel.display()
        );
        std::fs::write(&path, &bytes).unwrap();
    }
}
