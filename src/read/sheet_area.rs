//! What `calamine` will allocate for a workbook, measured before it opens it.
//!
//! calamine lays every sheet out densely (each row × column between a sheet's first and last
//! cell) and reserves what a file declares (an `.xls` DIMENSIONS record, an `.xlsx` shared
//! string count). A 40 KB `.xls` with one cell moved far away asked it for 1.9 GB, and a
//! 100 KB `.xlsx` with one cell at `XFD1048576` for 24 GB, which killed the whole run. So the
//! cells a file asks for are counted here first, from its records or its sheets' cell
//! references, and a file that asks for more than [`MAX_AREA`] is refused as `too_large`.
//! What a file declares is only reserved, not touched, so it is refused only past what its
//! format allows (a BIFF8 sheet's 65,536 × 256 cells, a string per four bytes of the
//! shared-strings part), where the reservation itself would abort the process.
//! Other containers (`.ods`, `.xlsb`) are left to calamine.

use std::io::{Cursor, Read};

use crate::error::{ReadError, Reason};
use crate::limits::Limits;

/// The most cells a workbook may ask for, over all its sheets: a report's forms hold a few
/// thousand, and a million dense cells are ~100 MB in calamine.
pub const MAX_AREA: u64 = 1_000_000;

/// Refuses a workbook whose sheets would take more than [`MAX_AREA`] cells once laid out.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let area = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        biff_stream(bytes).map_or(Ok(0), |s| biff_area(&s))
    } else if bytes.starts_with(b"PK") {
        xlsx_area(bytes, limits)
    } else {
        Ok(0)
    }
    .map_err(|why| ReadError::new(Reason::TooLarge, why))?;
    if area > MAX_AREA {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!(
                "the sheets span {area} cells (rows × columns from each sheet's first cell to \
                 its last); at most {MAX_AREA}"
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

fn u16_at(data: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
    Some(u64::from(u16::from_le_bytes(b)))
}

fn u32_at(data: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(u64::from(u32::from_le_bytes(b)))
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
                let (r0, r1, c0, c1) = match len {
                    10 => (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                    _ => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u16_at(data, 8),
                        u16_at(data, 10),
                    ),
                };
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (r0, r1, c0, c1) {
                    let rows = r1.saturating_sub(r0).saturating_add(1);
                    let cols = c1.saturating_sub(c0.min(c1)).saturating_add(1);
                    if rows > 65_536 || cols > 256 {
                        return Err(format!(
                            "a sheet declares {rows} × {cols} cells, more than a sheet holds"
                        ));
                    }
                }
            }
            // Number, Label, BoolErr, RK, LabelSst, Formula: row and column first.
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    sheet.row(r);
                    sheet.col(c);
                }
            }
            // MulRk: a row, its first column, then six bytes a cell.
            0x00BD => {
                if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                    let n = (len.saturating_sub(6) / 6).max(1) as u64;
                    sheet.row(r);
                    sheet.col(c);
                    sheet.col(c + n - 1);
                }
            }
            _ => {}
        }
        rest = rest.get(4 + len..).unwrap_or_default();
    }
    Ok(total.saturating_add(sheet.area()))
}

/// The cells an `.xlsx` asks for: each worksheet's rectangle of cells that hold something;
/// an error for shared strings declaring more strings than their part can hold (calamine
/// reserves them). Parts are read within the part limit; a package calamine cannot open
/// counts nothing (it says why).
fn xlsx_area(bytes: &[u8], limits: &Limits) -> Result<u64, String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(0);
    };
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let name = part.name().to_string();
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        if !sheet && name != "xl/sharedStrings.xml" {
            continue;
        }
        let mut xml = Vec::new();
        if part.take(limits.part_bytes).read_to_end(&mut xml).is_err() {
            continue;
        }
        if sheet {
            total = total.saturating_add(sheet_refs(&xml).area());
            continue;
        }
        let declared = declared_strings(&xml);
        if declared > xml.len() as u64 / 4 {
            return Err(format!(
                "the shared strings declare {declared} strings in {} bytes",
                xml.len()
            ));
        }
    }
    Ok(total)
}

/// The bounds of a worksheet's cells that hold something (`<c r="B7" t="s"><v>0</v></c>`):
/// calamine leaves out empty cells (`<c r="XFD9" s="1"/>`, which Gnumeric writes out to the
/// last column for a style), so they do not count.
fn sheet_refs(xml: &[u8]) -> Bounds {
    let mut b = Bounds::default();
    for at in memchr::memmem::find_iter(xml, b" r=") {
        // The element this attribute is on: a cell (`c`, or `x:c` with a prefix).
        let before = xml.get(at.saturating_sub(32)..at).unwrap_or_default();
        let name = memchr::memrchr(b'<', before)
            .and_then(|lt| before.get(lt + 1..))
            .unwrap_or_default();
        let name = name
            .split(|c| c.is_ascii_whitespace())
            .next()
            .unwrap_or_default();
        if name != b"c" && !name.ends_with(b":c") {
            continue;
        }
        // A start tag that closes itself holds nothing.
        let after = xml.get(at..).unwrap_or_default();
        if memchr::memchr(b'>', after)
            .and_then(|gt| after.get(gt.checked_sub(1)?))
            .is_none_or(|&c| c == b'/')
        {
            continue;
        }
        let value = xml.get(at + 4..).unwrap_or_default();
        let value = value.get(..value.len().min(16)).unwrap_or_default();
        let letters = value.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let digits = value
            .get(letters..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if letters == 0 || digits == 0 {
            continue;
        }
        let row = value
            .get(letters..letters + digits)
            .unwrap_or_default()
            .iter()
            .fold(0u64, |n, d| {
                n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
            });
        let col = value
            .get(..letters)
            .unwrap_or_default()
            .iter()
            .fold(0u64, |n, c| {
                n.saturating_mul(26)
                    .saturating_add(u64::from(c.to_ascii_uppercase() - b'A' + 1))
            });
        b.row(row);
        b.col(col);
    }
    b
}

/// The `uniqueCount` a shared-strings part declares in its opening tag.
fn declared_strings(xml: &[u8]) -> u64 {
    let head = xml.get(..xml.len().min(2048)).unwrap_or_default();
    let Some(at) = memchr::memmem::find(head, b"uniqueCount=") else {
        return 0;
    };
    head.get(at + 13..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0u64, |n, d| {
            n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
        })
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

    #[test]
    fn worksheet_references_give_the_rectangle() {
        let xml = br#"<sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="D2"><v>1</v></c></row><row r="5"><x:c r="c5"><v>2</v></x:c></row></sheetData>"#;
        assert_eq!(sheet_refs(xml).area(), 4 * 3);
        let far = br#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
        assert_eq!(sheet_refs(far).area(), 1_048_576 * 16_384);
        // Empty styled cells out to the last column, and rows, are nothing calamine keeps.
        let styled =
            br#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row><row r="1048576"/>"#;
        assert_eq!(sheet_refs(styled).area(), 1);
        assert_eq!(
            declared_strings(br#"<sst xmlns="x" count="9" uniqueCount="4000000000">"#),
            4_000_000_000
        );
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
        assert!(xlsx(r#"<c r="A1"><v>1</v></c>"#, sst).is_ok());
        let far = xlsx(
            r#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>"#,
            sst,
        );
        assert_eq!(far.map_err(|e| e.reason), Err(Reason::TooLarge));
        let lying = xlsx(
            "",
            r#"<sst uniqueCount="4000000000"><si><t>x</t></si></sst>"#,
        );
        assert_eq!(lying.map_err(|e| e.reason), Err(Reason::TooLarge));
    }
}
