//! A workbook sheet's data rows as SpreadsheetML, rendered from the year's CSV rows in chunks
//! that are rendered and compressed side by side, then joined into one zip entry.
//!
//! Why not rust_xlsxwriter for the rows: its cells go through a per-row table and a format
//! lookup each, on the one thread that owns the workbook, and its zip deflates each sheet on
//! one thread at the end: on 10,000 Word-style reports that cost a quarter of the run. Here a
//! row is a few appends, and a sheet is cut into chunks of whole rows, each deflated alone
//! and ended on a byte boundary (a sync flush), so the chunks of every sheet of every year
//! are rendered and compressed on all cores at once and their deflate streams concatenated
//! (as pigz does). The XML is byte for byte what rust_xlsxwriter's constant-memory sheets
//! write (inline strings, its escapes, `xml:space`, ryu numbers, a cell's style from its
//! column), which the tests check against it.
//!
//! The cells are the CSV's: each writer applies its own escaping, so the text is read back
//! as written ([`unguard`]: a string cell never runs as a formula, the CSV's `'` guard would
//! only show) and typed by its column in the schema.

use std::borrow::Cow;

use rust_xlsxwriter::ExcelDateTime;

use crate::error::{Result, RunError};
use crate::normalize::text::display_width;
use crate::record::unguard;
use crate::write::schema::TableSchema;

/// The most UTF-16 code units a cell holds (Excel's limit; longer text is refused).
const CELL_UNITS: usize = 32_767;

/// A text as it fits in a cell: whole, or cut to Excel's limit and ended with `…` (the CSV
/// keeps it whole). A text cell is the only thing a document can make too large for a sheet,
/// and one document must not cost the night its workbooks.
pub fn fit(text: &str) -> Cow<'_, str> {
    if text.len() <= CELL_UNITS || text.encode_utf16().count() <= CELL_UNITS {
        return Cow::Borrowed(text);
    }
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > CELL_UNITS - 1
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}…", text.get(..end).unwrap_or_default()))
}

/// Excel's column letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Date,
    Text,
}

/// A column as its cells are written: kind, `<c r="H` before the row number, and the
/// closing quote with its style (` s="3"`, the column's format index in the workbook, none
/// for 0), so a cell takes its column's format as it does when rust_xlsxwriter writes it
/// without one.
struct Column {
    kind: Kind,
    open: Vec<u8>,
    style: Vec<u8>,
}

/// A table's columns as the rows need them.
pub struct Columns {
    cols: Vec<Column>,
}

impl Columns {
    pub fn new(table: &TableSchema, styles: &[u32]) -> Columns {
        let cols = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| Column {
                kind: match c.kind {
                    "number" | "integer" => Kind::Number,
                    "date" => Kind::Date,
                    _ => Kind::Text,
                },
                open: format!("<c r=\"{}", column_name(i)).into_bytes(),
                style: match styles.get(i).copied().unwrap_or(0) {
                    0 => b"\"".to_vec(),
                    s => format!("\" s=\"{s}\"").into_bytes(),
                },
            })
            .collect();
        Columns { cols }
    }
}

/// Appends the rows of `csv` (whole CSV records as this crate writes them), the first as
/// sheet row `first` (1-based, as in the XML), each cell typed by its column. A record with
/// no value writes no row, as rust_xlsxwriter writes none.
pub fn render(out: &mut Vec<u8>, cols: &Columns, first: u32, csv: &str) -> Result<()> {
    let mut row = first;
    let mut number = ryu::Buffer::new();
    let mut digits = [0u8; 10];
    for record in crate::write::dataset::records(csv) {
        let r = decimal(row, &mut digits);
        let mut open = false;
        for (col, raw) in cols.cols.iter().zip(&record) {
            let value = unguard(raw);
            if value.is_empty() {
                continue;
            }
            if !open {
                out.extend_from_slice(b"<row r=\"");
                out.extend_from_slice(r);
                out.extend_from_slice(b"\">");
                open = true;
            }
            let serial = match col.kind {
                Kind::Number => value.parse::<f64>().ok().filter(|n| n.is_finite()),
                Kind::Date => ExcelDateTime::parse_from_str(value)
                    .ok()
                    .map(|d| d.to_excel()),
                Kind::Text => None,
            };
            out.extend_from_slice(&col.open);
            out.extend_from_slice(r);
            out.extend_from_slice(&col.style);
            match serial {
                Some(n) => {
                    out.extend_from_slice(b"><v>");
                    out.extend_from_slice(number.format_finite(n).as_bytes());
                    out.extend_from_slice(b"</v></c>");
                }
                None => {
                    let text = fit(value);
                    out.extend_from_slice(b" t=\"inlineStr\"><is><t");
                    if text.starts_with(['\t', '\n', ' ']) || text.ends_with(['\t', '\n', ' ']) {
                        out.extend_from_slice(b" xml:space=\"preserve\"");
                    }
                    out.push(b'>');
                    escape(out, &text);
                    out.extend_from_slice(b"</t></is></c>");
                }
            }
        }
        if open {
            out.extend_from_slice(b"</row>");
        }
        row = row
            .checked_add(1)
            .ok_or_else(|| RunError::Invalid("a sheet has too many rows".into()))?;
    }
    Ok(())
}

/// `n` in decimal digits, in `buf`.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

/// Appends `text` escaped as rust_xlsxwriter escapes cell text: `&`, `<`, `>`; control
/// characters other than TAB and LF (and U+FFFE, U+FFFF) as Excel's `_xHHHH_`; and a literal
/// `_xHHHH_` in the text with its `_` escaped (`_x005F_xHHHH_`), so it reads back as written.
fn escape(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, c) in text.char_indices() {
        let esc: Option<Cow<'static, str>> = match c {
            '&' => Some("&amp;".into()),
            '<' => Some("&lt;".into()),
            '>' => Some("&gt;".into()),
            '\t' | '\n' => None,
            '\0'..='\x1f' | '\u{fffe}' | '\u{ffff}' => Some(format!("_x{:04X}_", c as u32).into()),
            '_' if is_escape_like(bytes.get(i..).unwrap_or_default()) => Some("_x005F_".into()),
            _ => None,
        };
        if let Some(e) = esc {
            out.extend_from_slice(bytes.get(from..i).unwrap_or_default());
            out.extend_from_slice(e.as_bytes());
            from = i + c.len_utf8();
        }
    }
    out.extend_from_slice(bytes.get(from..).unwrap_or_default());
}

/// Whether `at` starts with `_xHHHH_` (four hex digits).
fn is_escape_like(at: &[u8]) -> bool {
    at.len() >= 7
        && at.get(..2) == Some(b"_x")
        && at
            .get(2..6)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
        && at.get(6) == Some(&b'_')
}

/// The display widths of the columns over `csv`'s records (the text as the sheet shows it).
pub fn widths(widths: &mut [f64], csv: &str) {
    for record in crate::write::dataset::records(csv) {
        for (w, v) in widths.iter_mut().zip(&record) {
            *w = w.max(display_width(unguard(v)) as f64);
        }
    }
}

/// The byte offsets where `csv`'s records end (after each record's line end), found without
/// parsing fields: a line end outside quotes ends a record (RFC 4180: quotes pair up).
pub fn record_ends(csv: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = csv.as_bytes();
    let mut at = 0;
    let mut quoted = false;
    std::iter::from_fn(move || {
        while let Some(i) = memchr::memchr2(b'"', b'\n', bytes.get(at..)?) {
            let pos = at + i;
            at = pos + 1;
            if bytes.get(pos) == Some(&b'"') {
                quoted = !quoted;
            } else if !quoted {
                return Some(at);
            }
        }
        // A last record without a line end.
        (at < bytes.len()).then(|| {
            at = bytes.len();
            at
        })
    })
}

/// Raw deflate of one chunk, ended on a byte boundary without closing the stream (a sync
/// flush), so chunks compressed apart can be joined; [`END`] closes the joined stream.
pub fn deflate_chunk(data: &[u8], level: u32) -> Result<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut z = Compress::new(Compression::new(level), false);
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    loop {
        let consumed = z.total_in() as usize;
        let input = data.get(consumed..).unwrap_or_default();
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        let status = z
            .compress_vec(input, &mut out, FlushCompress::Sync)
            .map_err(|e| RunError::Invalid(format!("compressing a sheet: {e}")))?;
        // Done when every byte is in and the flush left room to spare (it is complete).
        if z.total_in() as usize == data.len()
            && out.len() < out.capacity()
            && status != Status::BufError
        {
            return Ok(out);
        }
    }
}

/// The last block of a deflate stream: final, fixed Huffman codes, no data.
pub const END: [u8; 2] = [0x03, 0x00];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::schema::CHECKS;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .iter()
            .map(|&c| column_name(c))
            .collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn row_numbers_are_plain_decimals() {
        let mut buf = [0u8; 10];
        for n in [0, 7, 10, 1_048_576, u32::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn text_is_escaped_as_excel_reads_it_back() {
        let mut out = Vec::new();
        escape(&mut out, "a<b>&c\u{1}\t_x0041_ _xZZ_ 北");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&lt;b&gt;&amp;c_x0001_\t_x005F_x0041_ _xZZ_ 北"
        );
    }

    #[test]
    fn record_ends_skip_line_ends_inside_quotes() {
        let csv = "a,b\r\n\"x\r\ny\",\"\"\"\"\r\nlast";
        let ends: Vec<usize> = record_ends(csv).collect();
        assert_eq!(ends, [5, 18, 22]);
        assert_eq!(record_ends("").count(), 0);
    }

    #[test]
    fn rows_are_typed_unguarded_and_empty_records_write_nothing() {
        let cols = Columns::new(&CHECKS, &[0, 0, 0, 0, 0, 0, 0]);
        let mut out = Vec::new();
        render(
            &mut out,
            &cols,
            2,
            "r1,2023,,a,error,'=1+1, p\r\n,,,,,,\r\nr2,x,,,,,\r\n",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>r1</t></is></c><c r=\"B2\"><v>2023.0</v></c>\
<c r=\"D2\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"E2\" t=\"inlineStr\"><is><t>error</t></is></c>\
<c r=\"F2\" t=\"inlineStr\"><is><t>=1+1</t></is></c><c r=\"G2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> p</t></is></c></row>\
<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>r2</t></is></c><c r=\"B4\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
        );
    }

    #[test]
    fn chunks_deflated_apart_join_into_one_stream() {
        let a = "<row r=\"2\">北山镇</row>".repeat(5000);
        let b = "<row r=\"3\">南山镇</row>".repeat(3000);
        let mut joined = deflate_chunk(a.as_bytes(), 1).unwrap();
        joined.extend(deflate_chunk(b.as_bytes(), 1).unwrap());
        joined.extend(deflate_chunk(b"", 1).unwrap());
        joined.extend(END);
        let mut back = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::DeflateDecoder::new(joined.as_slice()),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, a + &b);
    }
}
