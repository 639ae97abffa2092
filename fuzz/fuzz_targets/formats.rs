//! Every reader behind format sniffing (.doc, workbooks, web pages, zips, text) on arbitrary
//! bytes: a bad file is refused with a reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = jixiao::source::load_bytes(bytes, "fuzz.bin");
});
