//! `calamine`'s `.xls` parser indexes unchecked record fields and can panic on a damaged
//! record. `read::workbook` contains those panics and refuses the file as malformed, so in a
//! fuzz target they must unwind to that catch instead of aborting. A panic anywhere else, in
//! jixiao or any other crate, still aborts the run as a crash.

/// Lets a panic raised inside calamine unwind; every other panic aborts as before.
pub fn contain_parser_panics() {
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
