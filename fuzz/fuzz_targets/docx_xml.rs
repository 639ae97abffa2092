//! Structure-aware .docx fuzzing: a valid package whose main part is the fuzzer's bytes
//! (mutated WordprocessingML), so the XML walker, not the zip layer, is exercised.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fuzz_target!(|xml: &[u8]| {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    if w.start_file("_rels/.rels", opts).is_err() || w.write_all(RELS.as_bytes()).is_err() {
        return;
    }
    if w.start_file("word/document.xml", opts).is_err() || w.write_all(xml).is_err() {
        return;
    }
    let Ok(cursor) = w.finish() else { return };
    let read = jixiao::read::docx::read(cursor.get_ref(), &jixiao::limits::Limits::DEFAULT);
    if let Some(doc) = read.as_ref().ok().and_then(|r| r.document()) {
        let _ = jixiao::check::apply(jixiao::extract::extract(doc, "0", "fuzz.docx"));
    }
});
