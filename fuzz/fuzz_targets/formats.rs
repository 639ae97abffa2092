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

fn contain_workbook_parser_panics() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_calamine = info
            .location()
            .is_some_and(|l| l.file().contains("/calamine-"));
        if !in_calamine {
            abort(info);
        }
    }));
}

fuzz_target!(init: contain_workbook_parser_panics(), |bytes: &[u8]| {
    let _ = jixiao::source::load_bytes(bytes, "fuzz.bin");
});
