//! Fingerprints everything this binary is built from (JIXIAO_SOURCE_HASH, `build/fingerprint.rs`),
//! so a cache or shard written by a build with other code, rules, data or dependencies is never
//! reused; and builds the keyword segmenter's dictionary (`build/segmenter.rs`).

use std::path::Path;

#[path = "build/fingerprint.rs"]
mod fingerprint;
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
}
