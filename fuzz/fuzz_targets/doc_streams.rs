//! Structure-aware .doc fuzzing: a valid OLE compound file whose `WordDocument`, table and
//! `Data` streams are the fuzzer's bytes, so our FIB, piece-table, FKP and sprm walking is
//! exercised rather than the container's parser.
//!
//! Input: the `WordDocument` stream and the table stream, each after a 4-byte little-endian
//! length, then the `Data` stream (the rest). The table stream is named `1Table` or `0Table`
//! as the (mutated) FIB's fWhichTblStm says, as Word does.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

/// The next length-prefixed part of `bytes`, and what follows it.
fn part(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let rest = bytes.get(4..)?;
    let len = len.min(rest.len());
    Some(rest.split_at(len))
}

fn compound(word: &[u8], table: &[u8], data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))?;
    let which = word.get(0x0B).is_some_and(|b| b & 0x02 != 0);
    let table_name = if which { "/1Table" } else { "/0Table" };
    for (name, bytes) in [
        ("/WordDocument", word),
        (table_name, table),
        ("/Data", data),
    ] {
        cfb.create_stream(name)?.write_all(bytes)?;
    }
    cfb.flush()?;
    Ok(cfb.into_inner().into_inner())
}

fuzz_target!(|bytes: &[u8]| {
    let Some((word, rest)) = part(bytes) else {
        return;
    };
    let Some((table, data)) = part(rest) else {
        return;
    };
    let Ok(file) = compound(word, table, data) else {
        return;
    };
    let read = jixiao::read::doc::read(&file, &jixiao::limits::Limits::DEFAULT);
    if let Some(doc) = read.as_ref().ok().and_then(|r| r.document()) {
        let _ = jixiao::check::apply(jixiao::extract::extract(doc, "0", "fuzz.doc"));
    }
});
