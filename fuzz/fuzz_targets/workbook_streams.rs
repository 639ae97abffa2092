//! Structure-aware workbook fuzzing: valid containers whose parts are the fuzzer's bytes, so
//! calamine's record and XML walking and our sheet-to-table reading are exercised rather than
//! the container's parser.
//!
//! Input: the first byte picks the container. Even: an `.xls` compound file whose `Workbook`
//! stream is the rest. Odd: an `.xlsx` zip with a fixed workbook part, whose shared strings
//! are the part after a 4-byte little-endian length and whose one sheet is the rest. Panics
//! inside calamine unwind to `read::workbook`'s catch (see `common/calamine.rs`).
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common/calamine.rs"]
mod calamine;

#[path = "common/containers.rs"]
mod containers;
use containers::{xls, xlsx};

fuzz_target!(init: calamine::contain_parser_panics(), |bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let file = if pick % 2 == 0 {
        xls(rest).ok()
    } else {
        let len = rest
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u32::from_le_bytes(b) as usize);
        let rest = rest.get(4..).unwrap_or_default();
        let (strings, sheet) = rest.split_at(len.min(rest.len()));
        xlsx(strings, sheet).ok()
    };
    let Some(file) = file else {
        return;
    };
    let limits = jixiao::limits::Limits::DEFAULT;
    let read = jixiao::read::workbook::read(&file, &limits);
    if let Some(doc) = read.as_ref().ok().and_then(|r| r.document()) {
        let _ = jixiao::check::apply(jixiao::extract::extract(doc, "0", "fuzz.xls"));
    }
});
