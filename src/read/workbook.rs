//! Workbooks (`.xls`, `.xlsx`, `.xlsb`, `.ods`; WPS `.et` is `.xls`) → [`Document`], read
//! with `calamine`.
//!
//! Each visible sheet becomes its name as a heading paragraph and its grid as table blocks,
//! except rows that are lines of text (one cell, merged across the sheet or long), which are
//! paragraphs between the tables, as a reader sees them; hidden
//! sheets are skipped (a 自评表 workbook hides its lookup sheets, which are no report text).
//! Merged regions are carried as in a `.docx`: the top-left cell spans the region's columns,
//! and each row below it holds one `continue` cell. Numbers are written as a person reads
//! them: the shortest form that reads back as the same number, with binary noise past ten
//! decimals rounded away (`5.11`, never `5.1099999999`); integers without `.0`; dates as
//! `YYYY-MM-DD`. Fully empty rows are left out; empty cells stay, so rows keep the grid's width.

use std::io::{Cursor, Read};

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, SheetVisible, Sheets};

use crate::document::{Block, Cell, Document, Paragraph, Table, VMerge};
use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::{Format, Reading};

/// Whether a zip package is a workbook, by the part names of its central directory: an
/// `xl/workbook` part (in a package with no `word/document.xml`), or an OpenDocument
/// spreadsheet's `mimetype`. Never by searching the bytes: a `.docx` whose text names
/// `xl/workbook.xml`, or that embeds an Excel chart's workbook stored uncompressed (as Word
/// stores it), holds those bytes and is a document. A zip that does not open is left to the
/// document reader, which says why.
pub fn is_workbook_zip(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let has = |zip: &zip::ZipArchive<_>, n: &str| zip.index_for_name(n).is_some();
    if has(&zip, "word/document.xml") {
        return false;
    }
    if has(&zip, "xl/workbook.xml") || has(&zip, "xl/workbook.bin") {
        return true;
    }
    let Ok(mimetype) = zip.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::new();
    std::io::Read::take(mimetype, 64)
        .read_to_end(&mut head)
        .is_ok()
        && head.starts_with(b"application/vnd.oasis.opendocument.spreadsheet")
}

fn error(e: &calamine::Error) -> ReadError {
    let text = e.to_string();
    if text.contains("password") || text.contains("Password") || text.contains("ncrypt") {
        ReadError::new(
            Reason::Encrypted,
            format!("encrypted workbook: needs its password ({text})"),
        )
    } else {
        ReadError::new(Reason::Malformed, format!("unreadable workbook: {text}"))
    }
}

/// Reads a workbook's visible sheets; its format names the workbook's kind (`xls`, `xlsx`,
/// `xlsb`, `ods`).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    let (doc, kind) = sheets(bytes, limits)?;
    // An OLE workbook's strings are UTF-16; a zip package's parts are XML in UTF-8.
    let encoding = if bytes.starts_with(crate::read::OLE_MAGIC) {
        "UTF-16LE"
    } else {
        "UTF-8"
    };
    Ok(Reading::marked(Format::Workbook(kind), encoding, doc))
}

/// The document of a workbook's visible sheets, and the workbook's kind.
///
/// `calamine`'s `.xls` parser indexes and subtracts on record fields it has not checked (a
/// `MulRk` whose last column precedes its first, a `BoundSheet8` offset past the stream's end,
/// a `Lbl` shorter than its header), so a damaged workbook can panic inside it. That panic is
/// contained here and the file refused as malformed with the parser's message, instead of
/// being reported by the pipeline's last-resort catch as a jixiao bug.
fn sheets(bytes: &[u8], limits: &Limits) -> Result<(Document, &'static str), ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes, limits)))
        .unwrap_or_else(|payload| {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(ReadError::new(
                Reason::Malformed,
                format!("unreadable workbook: a damaged record stopped the parser ({why})"),
            ))
        })
}

fn read_sheets(bytes: &[u8], limits: &Limits) -> Result<(Document, &'static str), ReadError> {
    super::sheet_area::check(bytes, limits)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| error(&e))?;
    let kind = match book {
        Sheets::Xls(_) => "xls",
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let sheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let mut blocks = Vec::new();
    let (mut paras, mut tables, mut cells) = (0usize, 0usize, 0usize);
    for (name, visible) in sheets {
        if !visible {
            continue;
        }
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(error(&e)),
        };
        let merges = merges(&mut book, &name);
        let rows = grid(&range, &merges, limits, &mut cells)?;
        if rows.is_empty() {
            continue;
        }
        paras += 1;
        blocks.push(Block::Paragraph(Paragraph {
            index: paras,
            text: name,
        }));
        let mut table: Vec<Vec<Cell>> = Vec::new();
        let mut end_table = |table: &mut Vec<Vec<Cell>>, blocks: &mut Vec<Block>| {
            if !table.is_empty() {
                tables += 1;
                blocks.push(Block::Table(Table {
                    index: tables,
                    rows: std::mem::take(table),
                    spaced: false,
                }));
            }
        };
        for row in rows {
            match text_line(&row) {
                Some(text) => {
                    end_table(&mut table, &mut blocks);
                    paras += 1;
                    blocks.push(Block::Paragraph(Paragraph { index: paras, text }));
                }
                None => table.push(row),
            }
        }
        end_table(&mut table, &mut blocks);
    }
    if blocks.is_empty() {
        return Err(ReadError::new(
            Reason::Empty,
            "the workbook has no visible sheet with text",
        ));
    }
    Ok((Document { blocks }, kind))
}

/// A row that is a line of text, not a table row: one cell, merged across columns or long
/// (a report typed into a sheet, one paragraph a row, or a form's title above its grid).
fn text_line(row: &[Cell]) -> Option<String> {
    let mut used = row
        .iter()
        .filter(|c| !c.text.is_empty() || c.v_merge != VMerge::None);
    match (used.next(), used.next()) {
        (Some(c), None)
            if c.v_merge == VMerge::None
                && (c.col_span > 1 || c.text.chars().count() >= TEXT_LINE) =>
        {
            Some(c.text.clone())
        }
        _ => None,
    }
}

/// A lone cell this long (in characters) is a paragraph even when it is not merged across.
const TEXT_LINE: usize = 40;

/// The merged regions of a sheet (none where the format's reader does not give them).
fn merges(book: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xls(x) => x.worksheet_merge_cells(name).unwrap_or_default(),
        Sheets::Xlsx(x) => x
            .worksheet_merge_cells(name)
            .and_then(Result::ok)
            .unwrap_or_default(),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    }
}

/// What a merged region means for one grid position.
enum Merge {
    /// The region's top-left cell: its column span and whether it spans rows.
    Head(u32, bool),
    /// The first column of a row below the head: a `continue` cell of that span.
    Below(u32),
    /// Any other covered position: no cell.
    Covered,
}

/// The merged regions of a sheet by the rows they cover (within the sheet's used rows), so a
/// cell looks only at the few regions on its own row, not at every region of the sheet.
struct Merges<'m> {
    by_row: std::collections::HashMap<u32, Vec<&'m Dimensions>>,
}

impl<'m> Merges<'m> {
    /// Each (row, region) pair costs an entry: more of them than the table-cell limit (many
    /// tall regions in a damaged or hostile file) refuse the sheet as too large.
    fn new(
        merges: &'m [Dimensions],
        rows: std::ops::RangeInclusive<u32>,
        limits: &Limits,
    ) -> Result<Self, ReadError> {
        let mut by_row: std::collections::HashMap<u32, Vec<&'m Dimensions>> = Default::default();
        let mut entries = 0usize;
        for m in merges {
            let first = m.start.0.max(*rows.start());
            let last = m.end.0.min(*rows.end());
            for r in first..=last {
                entries += 1;
                if entries > limits.table_cells {
                    return Err(limits.too_many_cells());
                }
                by_row.entry(r).or_default().push(m);
            }
        }
        Ok(Merges { by_row })
    }

    fn at(&self, row: u32, col: u32) -> Option<Merge> {
        let m = self
            .by_row
            .get(&row)?
            .iter()
            .find(|m| (m.start.1..=m.end.1).contains(&col))?;
        let span = m.end.1.saturating_sub(m.start.1).saturating_add(1);
        Some(if (row, col) == m.start {
            Merge::Head(span, m.end.0 > m.start.0)
        } else if col == m.start.1 {
            Merge::Below(span)
        } else {
            Merge::Covered
        })
    }
}

fn grid(
    range: &Range<Data>,
    merges: &[Dimensions],
    limits: &Limits,
    cells: &mut usize,
) -> Result<Vec<Vec<Cell>>, ReadError> {
    let (Some((r0, c0)), Some((r1, _))) = (range.start(), range.end()) else {
        return Ok(Vec::new());
    };
    let merges = Merges::new(merges, r0..=r1, limits)?;
    let mut out = Vec::new();
    for (ri, row) in range.rows().enumerate() {
        let r = r0.saturating_add(u32::try_from(ri).unwrap_or(u32::MAX));
        let mut cells_of_row: Vec<Cell> = Vec::new();
        for (ci, value) in row.iter().enumerate() {
            let c = c0.saturating_add(u32::try_from(ci).unwrap_or(u32::MAX));
            let text = render(value);
            if text.len() > limits.text_bytes {
                return Err(limits.text_too_long("a cell", text.len()));
            }
            let cell = match merges.at(r, c) {
                Some(Merge::Covered) => continue,
                Some(Merge::Below(span)) => Cell {
                    text: String::new(),
                    col_span: span,
                    v_merge: VMerge::Continue,
                    tables: Vec::new(),
                },
                Some(Merge::Head(span, down)) => Cell {
                    text,
                    col_span: span,
                    v_merge: if down { VMerge::Restart } else { VMerge::None },
                    tables: Vec::new(),
                },
                None => Cell::text(text),
            };
            cells_of_row.push(cell);
        }
        if cells_of_row.iter().all(|c| c.text.is_empty()) {
            continue;
        }
        *cells += cells_of_row.len();
        if *cells > limits.table_cells {
            return Err(limits.too_many_cells());
        }
        out.push(cells_of_row);
    }
    Ok(out)
}

/// A cell's value as a person reads it.
fn render(value: &Data) -> String {
    match value {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => date(d.as_f64()),
        Data::DateTime(d) => number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// The shortest decimal that reads back as `f`, with noise past ten decimals rounded away.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{f:.0}");
    }
    let shortest = format!("{f}");
    let decimals = shortest.split('.').nth(1).map_or(0, str::len);
    if decimals <= 10 || shortest.contains('e') {
        return shortest;
    }
    let rounded = format!("{f:.10}");
    rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD`, with the time when it has one.
fn date(serial: f64) -> String {
    if !(1.0..2_958_466.0).contains(&serial) {
        return number(serial);
    }
    // Serial 60 is the 1900-02-29 Excel pretends existed; days count from 1899-12-30 after it.
    let whole = serial.floor();
    let days = if whole < 61.0 { whole + 1.0 } else { whole };
    // Days since 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let z = days as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let secs = ((serial - whole) * 86_400.0).round() as i64;
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(parts: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body, stored) in parts {
            let opts = zip::write::SimpleFileOptions::default().compression_method(if *stored {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            });
            w.start_file(*name, opts).unwrap_or_else(|e| panic!("{e}"));
            std::io::Write::write_all(&mut w, body).unwrap_or_else(|e| panic!("{e}"));
        }
        w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    #[test]
    fn the_zip_kind_comes_from_part_names_not_bytes() {
        let xlsx = zip_of(&[("xl/workbook.xml", b"<workbook/>", false)]);
        assert!(is_workbook_zip(&xlsx));
        let ods = zip_of(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
            true,
        )]);
        assert!(is_workbook_zip(&ods));
        // A document naming the part in its text, and one embedding a workbook stored
        // uncompressed: both hold the bytes `xl/workbook.` and are documents.
        let text = b"<w:document><w:body><w:p><w:r><w:t>xl/workbook.xml</w:t></w:r></w:p></w:body></w:document>";
        assert!(!is_workbook_zip(&zip_of(&[(
            "word/document.xml",
            text,
            true
        )])));
        let embedded = zip_of(&[
            ("word/document.xml", b"<w:document/>", false),
            (
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                &xlsx,
                true,
            ),
        ]);
        assert!(memchr::memmem::find(&embedded, b"xl/workbook.").is_some());
        assert!(!is_workbook_zip(&embedded));
        let odt = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text", true)]);
        assert!(!is_workbook_zip(&odt));
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(5.11), "5.11");
        assert_eq!(number(5.109_999_999_999_999), "5.11");
        assert_eq!(number(120_000.0), "120000");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(89.974), "89.974");
        assert_eq!(number(-3.5), "-3.5");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(date(45_292.0), "2024-01-01");
        assert_eq!(date(1.0), "1900-01-01");
        assert_eq!(date(61.0), "1900-03-01");
        assert_eq!(date(45_292.5), "2024-01-01 12:00:00");
    }

    #[test]
    fn merges_become_spans_and_continues() {
        let m = vec![Dimensions {
            start: (1, 0),
            end: (2, 1),
        }];
        let m = Merges::new(&m, 0..=9, &Limits::DEFAULT).unwrap();
        assert!(matches!(m.at(1, 0), Some(Merge::Head(2, true))));
        assert!(matches!(m.at(1, 1), Some(Merge::Covered)));
        assert!(matches!(m.at(2, 0), Some(Merge::Below(2))));
        assert!(m.at(0, 0).is_none());
    }

    #[test]
    fn tall_regions_past_the_cell_limit_refuse_the_sheet() {
        let tall: Vec<Dimensions> = (0..4)
            .map(|c| Dimensions {
                start: (0, c),
                end: (u32::MAX, c),
            })
            .collect();
        let limits = Limits {
            table_cells: 100,
            ..Limits::DEFAULT
        };
        let e = Merges::new(&tall, 0..=30, &limits).err();
        assert_eq!(e.map(|e| e.reason), Some(Reason::TooLarge));
        assert!(Merges::new(&tall, 0..=9, &limits).is_ok());
    }

    /// A seed workbook whose first `BoundSheet8` record points past the end of its stream:
    /// calamine slices the stream at that offset and panics, in release builds too.
    fn xls_with_sheet_offset_past_the_end() -> Vec<u8> {
        use std::io::{Read, Write};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/xls");
        let path = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "xls"))
            .unwrap_or_else(|| panic!("no .xls in {dir}"));
        let bytes = std::fs::read(&path).unwrap_or_default();
        let mut book = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
        let mut stream = Vec::new();
        book.open_stream("Workbook")
            .unwrap()
            .read_to_end(&mut stream)
            .unwrap();
        let mut at = 0;
        while at + 4 <= stream.len() {
            let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
            if kind == 0x0085 {
                stream[at + 4..at + 8].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
                break;
            }
            at += 4 + len;
        }
        assert!(at + 4 < stream.len(), "no BoundSheet8 record in {path:?}");
        book.create_stream("Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        book.flush().unwrap();
        book.into_inner().into_inner()
    }

    #[test]
    fn a_parser_panic_on_a_damaged_record_is_a_malformed_file() {
        let e = sheets(&xls_with_sheet_offset_past_the_end(), &Limits::DEFAULT).err();
        let e = e.expect("a damaged workbook is refused");
        assert_eq!(e.reason, Reason::Malformed, "{}", e.message);
        assert!(e.message.contains("damaged record"), "{}", e.message);
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        let e = sheets(b"PK\x03\x04 not a workbook", &Limits::DEFAULT).err();
        assert!(e.is_some_and(|e| e.reason == Reason::Malformed));
    }
}
