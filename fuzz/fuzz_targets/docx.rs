//! The .docx reader (and sniffing) on arbitrary bytes: an error or a document, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = jixiao::read::docx::read(bytes, &jixiao::limits::Limits::DEFAULT);
    let _ = jixiao::source::load_bytes(bytes, "fuzz.docx");
});
