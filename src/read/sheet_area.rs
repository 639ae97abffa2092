//! What `calamine` will allocate for a workbook, measured before it opens it.
//!
//! calamine lays every sheet out densely (each row × column between a sheet's first and last
//! cell), expands an `.ods` file's repeated rows and columns, and reserves what a file
//! declares (an `.xls` DIMENSIONS record, an `.xlsx` shared string count). A 40 KB `.xls`
//! with one cell moved far away asked it for 1.9 GB, a 100 KB `.xlsx` with one cell at
//! `XFD1048576` for 24 GB and an 837-byte `.ods` repeating one cell for 60 M cells, which
//! killed the whole run. So the cells a file asks for are counted here first, and a file that
//! asks for more than [`MAX_AREA`] is refused as `too_large`. Sizes a file states are claims:
//! - `.xls`: the cell records are walked and their rectangle counted; a DIMENSIONS record is
//!   worked out as calamine works it out (its first row after its last wraps around to four
//!   billion rows) and refused past what a BIFF8 sheet holds (65,536 × 256), where the
//!   reservation itself would abort the process.
//! - `.xlsx`: each worksheet is read as XML (a streaming quick-xml pass with calamine's own
//!   settings), placing every cell as calamine places it: by its `r` reference, or after the
//!   cell before it when it has none, whatever the attributes' order or spacing. Every part
//!   is inflated through a reader that stops at the part limit and at a run of text (or
//!   whitespace) longer than the text limit, which calamine would hold in one buffer.
//! - `.ods`: `content.xml` is read the same way and its repeats counted as calamine expands
//!   them: each row's cells up to its last one holding something, then the rectangle from
//!   the first such row to the last, repeats included.

use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{ReadError, Reason};
use crate::limits::Limits;

/// The most cells a workbook may ask for, over all its sheets: a report's forms hold a few
/// thousand, and a million dense cells are ~100 MB in calamine.
pub const MAX_AREA: u64 = 1_000_000;

/// Refuses a workbook whose sheets would take more than [`MAX_AREA`] cells once laid out.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let area = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        biff_stream(bytes)
            .map_or(Ok(0), |s| biff_area(&s))
            .map_err(|why| ReadError::new(Reason::TooLarge, why))?
    } else if bytes.starts_with(b"PK") {
        zip_area(bytes, limits)?
    } else {
        0
    };
    if area > MAX_AREA {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!(
                "the sheets span {area} cells (rows × columns from each sheet's first cell to \
                 its last, repeats expanded); at most {MAX_AREA}"
            ),
        ));
    }
    Ok(())
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of an OLE file; `None` when there is none
/// (calamine then says why).
fn biff_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))?;
    let mut out = Vec::new();
    file.open_stream(name).ok()?.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The bounds of one sheet's cells.
#[derive(Default)]
struct Bounds {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Bounds {
    fn row(&mut self, r: u64) {
        self.rows = Some(self.rows.map_or((r, r), |(a, b)| (a.min(r), b.max(r))));
    }

    fn col(&mut self, c: u64) {
        self.cols = Some(self.cols.map_or((c, c), |(a, b)| (a.min(c), b.max(c))));
    }

    /// The cells of the rectangle from the first cell to the last.
    fn area(&self) -> u64 {
        let span = |b: Option<(u64, u64)>| b.map_or(0, |(a, z)| z - a + 1);
        match (self.rows, self.cols) {
            (None, None) => 0,
            (_, None) => span(self.rows),
            _ => span(self.rows).saturating_mul(span(self.cols)),
        }
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
    Some(u32::from(u16::from_le_bytes(b)))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The rows × columns calamine reserves for a DIMENSIONS record, worked out as it works
/// them out (in 32-bit arithmetic, so a first row after the last wraps around); `None` for a
/// record it refuses.
fn declared_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let (rf, rl, cf, cl) = match data.len() {
        10 => (
            u16_at(data, 0)?,
            u16_at(data, 2)?,
            u16_at(data, 4)?,
            u16_at(data, 6)?,
        ),
        14 => (
            u32_at(data, 0)?,
            u32_at(data, 4)?,
            u16_at(data, 8)?,
            u16_at(data, 10)?,
        ),
        _ => return None,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return Some((1, 1));
    }
    let span = |first: u32, last: u32| (last - 1).wrapping_sub(first).wrapping_add(1);
    Some((span(rf, rl), span(cf, cl)))
}

/// The cells a BIFF stream asks for: each sheet's cell rectangle (every substream from a BOF
/// record on, the globals included, so never less than calamine lays out); an error for a
/// DIMENSIONS record larger than a sheet can be (calamine reserves it).
fn biff_area(stream: &[u8]) -> Result<u64, String> {
    let (mut total, mut sheet) = (0u64, Bounds::default());
    let mut rest = stream;
    while let (Some(typ), Some(len)) = (u16_at(rest, 0), u16_at(rest, 2)) {
        let len = len as usize;
        let data = rest.get(4..4 + len).unwrap_or_default();
        match typ {
            // BOF of BIFF8/5, 4, 3, 2: a new substream.
            0x0809 | 0x0409 | 0x0209 | 0x0009 => {
                total = total.saturating_add(sheet.area());
                sheet = Bounds::default();
            }
            0x0200 => {
                if let Some((rows, cols)) = declared_dimensions(data) {
                    if rows > 65_536 || cols > 256 {
                        return Err(format!(
                            "a sheet's DIMENSIONS record works out to {rows} × {cols} cells, \
                             more than a sheet holds"
                        ));
                    }
                }
            }
            // Number, Label, BoolErr, RK, LabelSst, Formula: row and column first.
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    sheet.row(r.into());
                    sheet.col(c.into());
                }
            }
            // MulRk: a row, its first column, then six bytes a cell.
            0x00BD => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    let n = (len.saturating_sub(6) / 6).max(1) as u64;
                    sheet.row(r.into());
                    sheet.col(c.into());
                    sheet.col(u64::from(c) + n - 1);
                }
            }
            _ => {}
        }
        rest = rest.get(4 + len..).unwrap_or_default();
    }
    Ok(total.saturating_add(sheet.area()))
}

/// The cells a zip workbook asks for, over every XML part calamine may read: worksheets
/// (whatever their names), shared strings, an OpenDocument `content.xml`. A package the zip
/// crate cannot open counts nothing (calamine says why).
fn zip_area(bytes: &[u8], limits: &Limits) -> Result<u64, ReadError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(0);
    };
    if zip.len() > limits.zip_entries {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!(
                "zip lists {} entries, more than the limit of {}",
                zip.len(),
                limits.zip_entries
            ),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let name = part.name().to_string();
        let mut reader = BufReader::new(Guard {
            inner: part,
            left: limits.part_bytes,
            run: 0,
            max_run: limits.text_bytes,
            seen: 0,
        });
        let area = part_area(&mut reader).map_err(|e| {
            guard_error(&name, &e, limits).unwrap_or_else(|| {
                ReadError::new(
                    Reason::MalformedXml,
                    format!("{name} does not parse as XML: {e}"),
                )
            })
        })?;
        let seen = reader.get_ref().seen;
        let area = match area {
            Part::Cells(n) => n,
            Part::Strings(declared) if declared > seen / 4 => {
                return Err(ReadError::new(
                    Reason::TooLarge,
                    format!("{name} declares {declared} strings in {seen} bytes"),
                ))
            }
            Part::Strings(_) => 0,
        };
        total = total.saturating_add(area);
    }
    Ok(total)
}

/// The refusal behind an XML error that is the [`Guard`] stopping the part.
fn guard_error(name: &str, e: &quick_xml::Error, limits: &Limits) -> Option<ReadError> {
    let quick_xml::Error::Io(io) = e else {
        return None;
    };
    let why = match io.kind() {
        std::io::ErrorKind::FileTooLarge => {
            format!(
                "{name} inflates past the limit of {} bytes",
                limits.part_bytes
            )
        }
        std::io::ErrorKind::InvalidData => format!(
            "{name} holds a run of more than {} bytes between its tags",
            limits.text_bytes
        ),
        _ => return None,
    };
    Some(ReadError::new(Reason::TooLarge, why))
}

/// What one part asks calamine for.
enum Part {
    Cells(u64),
    /// The strings a shared-strings part declares (calamine reserves them).
    Strings(u64),
}

/// Reads one part to its end: a worksheet's cells from its `sheetData` on, an OpenDocument
/// content's cells from its first table on, or the strings a shared-strings part declares;
/// a part that is no XML (a picture) is not read.
fn part_area<R: BufRead>(input: &mut R) -> Result<Part, quick_xml::Error> {
    let head = input
        .fill_buf()?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF));
    if head.is_some_and(|b| b != b'<') {
        return Ok(Part::Cells(0));
    }
    let mut xml = Reader::from_reader(input);
    // calamine's settings, so the cells seen here are the cells it sees.
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.expand_empty_elements = true;
    let (mut buf, mut strings) = (Vec::new(), None);
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                // calamine reads a sheet's cells from its `sheetData`, whatever encloses it.
                b"sheetData" => return worksheet_area(&mut xml).map(Part::Cells),
                b"sst" => strings = Some(uint(attr(&e, b"uniqueCount"))),
                b"table" => return ods_area(&mut xml).map(Part::Cells),
                _ => {}
            },
            Event::Eof => return Ok(strings.map_or(Part::Cells(0), Part::Strings)),
            _ => {}
        }
    }
}

/// An attribute's raw value, by local name.
fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<Vec<u8>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

/// A decimal number's value (saturating); 0 when there is none.
fn uint(v: Option<Vec<u8>>) -> u64 {
    v.unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0u64, |n, d| {
            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        })
}

/// A cell reference (`B7`, `xfd1048576`) as calamine reads it: 0-based row and column.
fn cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = r.get(letters..)?;
    if letters == 0 || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = r.get(..letters)?.iter().fold(0u64, |n, c| {
        n.saturating_mul(26)
            .saturating_add(u64::from(c.to_ascii_uppercase() - b'A' + 1))
    });
    Some((uint(Some(digits.to_vec())).checked_sub(1)?, col - 1))
}

/// The rectangle of a worksheet's cells that hold something, each placed as calamine
/// places it: at its `r` reference, else one column after the cell before it, on the row
/// its `<row r>` names or the one after the row before. A cell with nothing inside
/// (`<c r="XFD9" s="1"/>`, which Gnumeric writes out to the last column for a style) is
/// left out by calamine, so it does not count.
fn worksheet_area<R: BufRead>(xml: &mut Reader<R>) -> Result<u64, quick_xml::Error> {
    let mut bounds = Bounds::default();
    let (mut row, mut col) = (0u64, 0u64);
    // The position of the cell being read, and whether something is inside it.
    let mut cell: Option<((u64, u64), bool)> = None;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) => match (e.local_name().as_ref(), &mut cell) {
                (_, Some((_, inside))) => *inside = true,
                (b"row", None) => {
                    if let Some(r) = uint(attr(&e, b"r")).checked_sub(1) {
                        row = r;
                    }
                }
                (b"c", None) => {
                    let at = attr(&e, b"r").and_then(|r| cell_ref(&r));
                    if let Some((_, c)) = at {
                        col = c;
                    }
                    cell = Some((at.unwrap_or((row, col)), false));
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"c" => {
                    if let Some(((r, c), true)) = cell {
                        bounds.row(r);
                        bounds.col(c);
                    }
                    cell = None;
                    col = col.saturating_add(1);
                }
                b"row" if cell.is_none() => {
                    row = row.saturating_add(1);
                    col = 0;
                }
                _ => {}
            },
            Event::Eof => return Ok(bounds.area()),
            _ => {}
        }
    }
}

/// One `.ods` table's count: the cells calamine pushes row by row (each row's cells up to
/// its last one holding something, repeats expanded), and the rectangle it lays them out in
/// (from the first such row to the last, row repeats included).
#[derive(Default)]
struct OdsTable {
    pushed: u64,
    /// Rows seen so far, repeats included.
    rows: u64,
    /// From the first row holding something to the end of the last one.
    span: Option<(u64, u64)>,
    /// The first and last column holding something, over all rows.
    cols: Option<(u64, u64)>,
}

impl OdsTable {
    fn row(&mut self, repeats: u64, cells: Option<(u64, u64)>) {
        if let Some((first, end)) = cells {
            self.pushed = self.pushed.saturating_add(end);
            let start = self.span.map_or(self.rows, |s| s.0);
            self.span = Some((start, self.rows.saturating_add(repeats)));
            self.cols = Some(
                self.cols
                    .map_or((first, end), |(a, b)| (a.min(first), b.max(end))),
            );
        }
        self.rows = self.rows.saturating_add(repeats);
    }

    fn area(&self) -> u64 {
        let (Some((r0, r1)), Some((c0, c1))) = (self.span, self.cols) else {
            return self.pushed;
        };
        self.pushed
            .saturating_add((r1 - r0).saturating_mul(c1 - c0))
    }
}

/// The row being read: its repeats, the column reached, and the columns from its first cell
/// holding something to the end of its last.
type OdsRow = (u64, u64, Option<(u64, u64)>);

/// The cells an OpenDocument spreadsheet's tables ask for (see [`OdsTable`]).
fn ods_area<R: BufRead>(xml: &mut Reader<R>) -> Result<u64, quick_xml::Error> {
    let (mut total, mut table) = (0u64, OdsTable::default());
    let mut row: Option<OdsRow> = None;
    // The cell being read: its repeats and whether it holds something.
    let mut cell: Option<(u64, bool)> = None;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) => match (e.local_name().as_ref(), &mut cell) {
                (_, Some((_, inside))) => *inside = true,
                (b"table", None) => {
                    total = total.saturating_add(std::mem::take(&mut table).area());
                }
                (b"table-row", None) => {
                    row = Some((uint(attr(&e, b"number-rows-repeated")).max(1), 0, None));
                }
                (b"table-cell" | b"covered-table-cell", None) => {
                    let repeats = uint(attr(&e, b"number-columns-repeated")).max(1);
                    cell = Some((repeats, attr(&e, b"value-type").is_some()));
                }
                _ => {}
            },
            Event::End(e) => match (e.local_name().as_ref(), cell) {
                (b"table-cell" | b"covered-table-cell", Some((repeats, full))) => {
                    if let Some((_, at, cells)) = &mut row {
                        let end = at.saturating_add(repeats);
                        if full {
                            *cells = Some(cells.map_or((*at, end), |(a, _)| (a, end)));
                        }
                        *at = end;
                    }
                    cell = None;
                }
                (b"table-row", None) => {
                    if let Some((repeats, _, cells)) = row.take() {
                        table.row(repeats, cells);
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(total.saturating_add(table.area())),
            _ => {}
        }
    }
}

/// A part's bytes as they inflate, stopped (with an error the caller turns into a reason)
/// past the part limit, or at a run between tags longer than the text limit: calamine would
/// hold such a run (a 3 GB sheet of whitespace, a 1.5 GB shared string) in one buffer.
struct Guard<R> {
    inner: R,
    left: u64,
    /// Bytes since the last `<` or `>`.
    run: usize,
    max_run: usize,
    seen: u64,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        self.seen += n as u64;
        if self.seen > self.left {
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        let mut from = 0;
        for at in memchr::memchr2_iter(b'<', b'>', chunk) {
            self.run += at - from;
            if self.run > self.max_run {
                return Err(std::io::ErrorKind::InvalidData.into());
            }
            self.run = 0;
            from = at + 1;
        }
        self.run += n - from;
        if self.run > self.max_run {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        Ok(n)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 6]);
        record(typ, &d)
    }

    #[test]
    fn a_sheet_counts_the_rectangle_of_its_cells() {
        let mut s = record(0x0809, &[0; 16]);
        s.extend(cell(0x0203, 0, 0));
        s.extend(cell(0x00FD, 9, 4));
        assert_eq!(biff_area(&s), Ok(10 * 5));
        // One cell moved to the last row and column of a BIFF8 sheet.
        s.extend(cell(0x027E, 65535, 255));
        assert_eq!(biff_area(&s), Ok(65536 * 256));
        // Two sheets add up; a truncated record ends the walk.
        let mut two = record(0x0809, &[0; 16]);
        two.extend(cell(0x0203, 0, 0));
        two.extend(cell(0x0203, 1, 1));
        two.extend(record(0x0809, &[0; 16]));
        two.extend(cell(0x0203, 2, 2));
        two.extend([0x03, 0x02, 0xFF]);
        assert_eq!(biff_area(&two), Ok(4 + 1));
    }

    #[test]
    fn a_declared_dimension_is_refused_only_past_a_sheet() {
        let dims = |rows: u32, cols: u16| {
            let mut d = 0u32.to_le_bytes().to_vec();
            d.extend(rows.to_le_bytes());
            d.extend(0u16.to_le_bytes());
            d.extend(cols.to_le_bytes());
            d.extend([0, 0]);
            biff_area(&record(0x0200, &d))
        };
        // A whole styled sheet is only reserved.
        assert_eq!(dims(65535, 255), Ok(0));
        assert!(dims(4_000_000_000, 200).is_err());
    }

    /// What one XML part asks for.
    fn part(xml: &str) -> u64 {
        match part_area(&mut xml.as_bytes()) {
            Ok(Part::Cells(n) | Part::Strings(n)) => n,
            Err(_) => panic!("{xml} does not parse"),
        }
    }

    fn sheet(data: &str) -> u64 {
        part(&format!(
            "<worksheet><sheetData>{data}</sheetData></worksheet>"
        ))
    }

    #[test]
    fn worksheet_references_give_the_rectangle() {
        let xml = r#"<row r="2"><c r="B2" t="s"><v>0</v></c><c r="D2"><v>1</v></c></row><row r="5"><x:c r="c5"><v>2</v></x:c></row>"#;
        assert_eq!(sheet(xml), 4 * 3);
        let far = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
        assert_eq!(sheet(far), 1_048_576 * 16_384);
        // Empty styled cells out to the last column, and rows, are nothing calamine keeps.
        let styled =
            r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row><row r="1048576"/>"#;
        assert_eq!(sheet(styled), 1);
        assert_eq!(
            part(r#"<sst xmlns="x" count="9" uniqueCount="4000000000"><si/></sst>"#),
            4_000_000_000
        );
    }

    #[test]
    fn a_far_cell_is_found_whatever_its_attributes_look_like() {
        let one = r#"<row r="1"><c r="A1"><v>1</v></c></row>"#;
        for far in [
            "<c\tr=\"XFD1048576\"><v>1</v></c>",
            "<c\n  r = 'XFD1048576' ><v>1</v></c>",
            &format!(
                r#"<c s="1" t="n" {}="y" r="XFD1048576"><v>1</v></c>"#,
                "x".repeat(200)
            ),
        ] {
            assert_eq!(
                sheet(&format!("{one}<row>{far}</row>")),
                1_048_576 * 16_384,
                "{far}"
            );
        }
        // No `r` at all: each cell follows the one before, each row the row before.
        let cells = "<c><v>1</v></c>".repeat(300);
        let rows = format!("<row>{cells}</row>").repeat(4);
        assert_eq!(sheet(&rows), 4 * 300);
        // A reference moves the cells after it.
        assert_eq!(
            sheet(r#"<row><c r="C1"><v>1</v></c><c><v>1</v></c></row>"#),
            2
        );
    }

    #[test]
    fn ods_repeats_are_counted_as_calamine_expands_them() {
        let doc = |rows: &str| {
            part(&format!(
                "<office:document-content><office:body><office:spreadsheet><table:table>{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
            ))
        };
        let full = |n: u64| {
            format!(
                r#"<table:table-cell table:number-columns-repeated="{n}" office:value-type="float"><text:p>1</text:p></table:table-cell>"#
            )
        };
        // 837 bytes asking for 60 M cells.
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="60000">{}</table:table-row>"#,
            full(1000)
        );
        assert!(doc(&rows) >= 60_000_000);
        // LibreOffice's trailing empty cells and rows are never laid out.
        let rows = format!(
            r#"<table:table-row>{}<table:table-cell table:number-columns-repeated="16000"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            full(3)
        );
        assert_eq!(doc(&rows), 3 + 3);
    }

    #[test]
    fn a_long_run_between_tags_or_a_large_part_stops_the_pass() {
        let limits = Limits {
            text_bytes: 100,
            part_bytes: 10_000,
            ..Limits::DEFAULT
        };
        let pass = |xml: &str| {
            let mut r = BufReader::new(Guard {
                inner: xml.as_bytes(),
                left: limits.part_bytes,
                run: 0,
                max_run: limits.text_bytes,
                seen: 0,
            });
            match part_area(&mut r) {
                Err(e) => guard_error("p", &e, &limits).map(|e| e.message),
                _ => None,
            }
        };
        let ws = |inner: &str| format!("<worksheet><sheetData>{inner}</sheetData></worksheet>");
        assert_eq!(pass(&ws(&" ".repeat(100))), None);
        assert!(pass(&ws(&" ".repeat(101))).is_some_and(|m| m.contains("run")));
        let many = "<c><v>1</v></c>".repeat(1000);
        assert!(pass(&ws(&many)).is_some_and(|m| m.contains("inflates")));
    }

    #[test]
    fn a_first_row_after_the_last_wraps_as_in_calamine() {
        let dims = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            d
        };
        assert_eq!(declared_dimensions(&dims(0, 10, 0, 4)), Some((10, 4)));
        assert_eq!(declared_dimensions(&dims(0, 0, 0, 0)), Some((1, 1)));
        let backwards = dims(20, 10, 0, 4);
        assert!(declared_dimensions(&backwards).is_some_and(|(r, _)| r > 4_000_000_000));
        assert!(biff_area(&record(0x0200, &backwards)).is_err());
        // A first column past the last is read from column 0.
        assert_eq!(declared_dimensions(&dims(0, 1, 9, 4)), Some((1, 4)));
    }

    #[test]
    fn files_that_ask_too_much_are_refused_before_calamine() {
        let xlsx = |sheet: &str, strings: &str| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let opts = zip::write::SimpleFileOptions::default();
            for (name, body) in [
                ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", strings),
            ] {
                w.start_file(name, opts).unwrap();
                std::io::Write::write_all(&mut w, body.as_bytes()).unwrap();
            }
            check(&w.finish().unwrap().into_inner(), &Limits::DEFAULT)
        };
        let sst = r#"<sst uniqueCount="1"><si><t>x</t></si></sst>"#;
        let ws = |cells: &str| {
            format!("<worksheet><sheetData><row>{cells}</row></sheetData></worksheet>")
        };
        assert!(xlsx(&ws(r#"<c r="A1"><v>1</v></c>"#), sst).is_ok());
        let far = xlsx(
            &ws(r#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>"#),
            sst,
        );
        assert_eq!(far.map_err(|e| e.reason), Err(Reason::TooLarge));
        let lying = xlsx(
            "<worksheet/>",
            r#"<sst uniqueCount="4000000000"><si><t>x</t></si></sst>"#,
        );
        assert_eq!(lying.map_err(|e| e.reason), Err(Reason::TooLarge));
    }
}
