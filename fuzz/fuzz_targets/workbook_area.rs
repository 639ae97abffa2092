//! The workbook size check (`read::sheet_area`) against calamine itself: whatever sheet the
//! fuzzer writes, a workbook the check lets through must not lay out more than
//! `sheet_area::MAX_AREA` cells in calamine. A check that undercounts fails the assertion
//! here (or passes libFuzzer's RSS limit), where in a run it would be an allocation that
//! takes the run down.
//!
//! Input: the first byte picks the container (mod 3): an `.xls` whose `Workbook` stream is
//! the rest, an `.xlsx` whose one sheet is the rest, or an `.ods` whose `content.xml` is the
//! rest. Panics inside calamine unwind (see `common/calamine.rs`) and are caught here.
#![no_main]
use std::io::Cursor;

use calamine::Reader;
use jixiao::read::sheet_area::{check, MAX_AREA};
use libfuzzer_sys::fuzz_target;

#[path = "common/calamine.rs"]
mod panics;

#[path = "common/containers.rs"]
mod containers;

/// The cells calamine lays out for every sheet of `file` (0 when it refuses the file).
fn laid_out(file: &[u8]) -> u64 {
    let Ok(mut book) = calamine::open_workbook_auto_from_rs(Cursor::new(file)) else {
        return 0;
    };
    book.worksheets()
        .iter()
        .map(|(_, range)| {
            let (rows, columns) = range.get_size();
            rows as u64 * columns as u64
        })
        .sum()
}

fuzz_target!(init: panics::contain_parser_panics(), |bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let file = match pick % 3 {
        0 => containers::xls(rest).ok(),
        1 => containers::xlsx(b"<sst/>", rest).ok(),
        _ => containers::ods(rest).ok(),
    };
    let Some(file) = file else {
        return;
    };
    if check(&file, &jixiao::limits::Limits::DEFAULT).is_err() {
        return;
    }
    let cells = std::panic::catch_unwind(|| laid_out(&file)).unwrap_or(0);
    assert!(
        cells <= MAX_AREA,
        "the size check let through a workbook of {cells} cells"
    );
});
