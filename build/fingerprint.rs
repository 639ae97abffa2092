//! The build fingerprint (JIXIAO_SOURCE_HASH): one hash over everything the binary is built
//! from, so that a cache or a shard written by a build with other code, rules, reference data
//! or dependency versions is never taken for this build's. Shared by `build.rs` and the test
//! that checks every file compiled into the binary lies under one of [`ROOTS`].

use std::path::{Path, PathBuf};

/// What the binary is built from, relative to the package root: the code, the vocabulary, the
/// build scripts, the reference data compiled in (`data/divisions`, `data/jieba`), and the
/// dependency versions and features (`Cargo.lock`, `Cargo.toml`).
pub const ROOTS: &[&str] = &["src", "rules", "build", "data", "Cargo.toml", "Cargo.lock"];

/// Every file under `dir` (or `dir` itself when it is a file), in no particular order.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        if dir.is_file() {
            files.push(dir.to_path_buf());
        }
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else {
            files.push(p);
        }
    }
}

/// FNV-1a (64 bits) over each file's path below `root` and its bytes, in path order: no
/// dependency, and stable across builds of the same sources wherever the package lies.
pub fn fingerprint(root: &Path) -> u64 {
    let mut files = Vec::new();
    for r in ROOTS {
        walk(&root.join(r), &mut files);
    }
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        let name = f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        for b in name.as_bytes().iter().chain(bytes.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
