//! Every reader behind format sniffing (.doc, workbooks, web pages, zips, text) on arbitrary
//! bytes: a bad file is refused with a reason, never a panic.
//!
//! One exception is allowed through: a panic raised inside `calamine`, whose `.xls` parser
//! indexes unchecked record fields. `read::workbook` contains those panics and refuses the file
//! as malformed (its unit test `a_parser_panic_on_a_damaged_record_is_a_malformed_file`), so
//! here they unwind to that catch instead of aborting. A panic anywhere else, in jixiao or any
//! other crate, still aborts the run as a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common/calamine.rs"]
mod calamine;

fuzz_target!(init: calamine::contain_parser_panics(), |bytes: &[u8]| {
    let _ = jixiao::source::load_bytes(bytes, "fuzz.bin");
});
