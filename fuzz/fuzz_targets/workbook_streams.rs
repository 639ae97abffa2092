//! Structure-aware workbook fuzzing: valid containers whose parts are the fuzzer's bytes, so
//! calamine's record and XML walking and our sheet-to-table reading are exercised rather than
//! the container's parser.
//!
//! Input: the first byte picks the container. Even: an `.xls` compound file whose `Workbook`
//! stream is the rest. Odd: an `.xlsx` zip with a fixed workbook part, whose shared strings
//! are the part after a 4-byte little-endian length and whose one sheet is the rest. Panics
//! inside calamine unwind to `read::workbook`'s catch (see `common/calamine.rs`).
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

#[path = "common/calamine.rs"]
mod calamine;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn xls(stream: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))?;
    cfb.create_stream("/Workbook")?.write_all(stream)?;
    cfb.flush()?;
    Ok(cfb.into_inner().into_inner())
}

fn xlsx(strings: &[u8], sheet: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/sharedStrings.xml", strings),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        w.start_file(name, opts)?;
        w.write_all(body)?;
    }
    Ok(w.finish()?.into_inner())
}

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
    if let Ok((doc, _)) = jixiao::read::workbook::read_with(&file, &limits) {
        let _ = jixiao::check::apply(jixiao::extract::extract(&doc, "0", "fuzz.xls"));
    }
});
