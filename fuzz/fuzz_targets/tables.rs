//! Table classification and indicator extraction on arbitrary grids: the fuzzer's bytes are
//! read as TAB-cell text, so any grid shape (ragged rows, empty cells, odd headers) reaches
//! the table rules and the whole extraction.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(doc) = jixiao::recover::dump::parse(text) {
        let doc = jixiao::recover::flat::rebuild(doc);
        for t in doc.tables() {
            for row in jixiao::extract::indicators::indicators(t) {
                assert!(!row.name.is_empty());
            }
        }
        let _ = jixiao::check::apply(jixiao::extract::extract(&doc, "0", "fuzz.txt"));
    }
});
