//! Fingerprints the sources, rules and data this binary is built from (JIXIAO_SOURCE_HASH), so
//! a cache written by a build with other rules or code is never reused; and builds the keyword
//! segmenter's dictionary (`build/segmenter.rs`).

use std::path::Path;

#[path = "build/segmenter.rs"]
mod segmenter;

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
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

fn main() {
    let mut files = Vec::new();
    for d in ["src", "rules", "build", "data/jieba"] {
        walk(Path::new(d), &mut files);
        println!("cargo:rerun-if-changed={d}");
    }
    files.sort();
    // FNV-1a, 64 bits: no dependency, stable across builds of the same sources.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        for b in f.to_string_lossy().as_bytes().iter().chain(bytes.iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=JIXIAO_SOURCE_HASH={h:016x}");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    segmenter::build(Path::new(&root), &Path::new(&out).join("segmenter.bin"));
}
