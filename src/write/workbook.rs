//! `DIR/<year>/jixiao-<year>.xlsx`: a year's tables as one workbook for researchers who work in
//! spreadsheets, written at commit from the year's finished CSVs, with the same schema as
//! `datapackage.json`.
//!
//! Sheets 报告, 金额, 指标, 核查, 覆盖 (when there is coverage) and 字段说明 (every column:
//! Chinese title, CSV column name, type, unit, description in Chinese). The data sheets' header
//! row holds the registry's Chinese titles, since the workbook is read by people; the CSVs keep
//! the English names, on which pandas and R code keys, and 字段说明 maps one to the other.
//! Cells are typed by the schema: numbers as numbers (money shown with thousands separators and
//! two decimals, the exact value kept), dates as dates, everything else — ids and codes
//! included — as text, never as a formula, and text columns marked as text on purpose (no
//! "number stored as text" triangle on a division code). Header row frozen, autofilter on,
//! printed landscape, one page wide, the header row on every page; column widths measured in
//! display units (a Chinese character is two) over each sheet's first rows. A table longer
//! than a sheet continues on `金额 (2)` and so on, after the four tables' first sheets. The
//! document properties carry a fixed date, so the same rows give the same bytes.
//!
//! Who writes what: rust_xlsxwriter writes the workbook around the rows (styles, sheet
//! settings, header rows, 字段说明) into memory; [`sheet_rows`] renders the data rows in
//! chunks on every core and deflates each chunk apart; the sheets' XML is then the
//! skeleton's with the rows spliced in before `</sheetData>`, and the zip is written here
//! ([`zip_out`]). Nothing of the workbook is done while the documents are read: a year whose
//! rows did not change since the last run keeps its workbook and never gets here
//! ([`crate::write::dataset`]).

use std::path::Path;

use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, IgnoreError, Workbook, Worksheet};

use crate::error::{Context, Result, RunError};
use crate::normalize::text::display_width;
use crate::write::notes;
use crate::write::schema::{
    TableSchema, AMOUNTS, CHECKS, COVERAGE, INDICATORS, REPORTS, YEAR_FILES,
};
use crate::write::sheet_rows::{self, Columns};
use crate::write::zip_out::{self, ZipOut};

/// Data rows per sheet (Excel's limit of 1,048,576 rows, less the header).
const SHEET_ROWS: usize = 1_048_575;
/// Widest column, in character units.
const MAX_WIDTH: f64 = 60.0;
/// Rows looked at to size the columns.
const WIDTH_ROWS: usize = 200;
/// CSV bytes per chunk of rows rendered and deflated as one task.
const CHUNK_BYTES: usize = 1 << 20;
/// The workbook's deflate level (1 fastest … 9 smallest): the default 6 took twice the time
/// for a file a third smaller.
const ZIP_LEVEL: u32 = 1;

/// The sheet name of a table.
fn sheet_name(t: &TableSchema) -> &'static str {
    match t.file {
        "reports.csv" => "报告",
        "amounts.csv" => "金额",
        "indicators.csv" => "指标",
        "checks.csv" => "核查",
        "coverage.csv" => "覆盖",
        _ => "表",
    }
}

/// The file name of a year's workbook.
pub fn file_name(year: &str) -> String {
    format!("jixiao-{year}.xlsx")
}

/// The tables with a sheet even when empty, in sheet order (coverage gets one when it has rows).
const ROW_TABLES: [&TableSchema; 4] = [&REPORTS, &AMOUNTS, &INDICATORS, &CHECKS];

/// One table's CSV as read back from the year's folder: its records after the header, and
/// where each ends.
struct TableText {
    table: &'static TableSchema,
    text: String,
    /// Byte offset of the records' start (after the BOM and the header).
    start: usize,
    /// Byte offsets where each record ends.
    ends: Vec<usize>,
}

impl TableText {
    fn read(dir: &Path, table: &'static TableSchema) -> Result<TableText> {
        let path = dir.join(table.file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body = text.get(bom..).unwrap_or_default();
        let mut ends = sheet_rows::record_ends(body).map(|e| e + bom);
        let start = ends.next().unwrap_or(text.len());
        let ends = ends.collect();
        Ok(TableText {
            table,
            text,
            start,
            ends,
        })
    }

    /// Where record `i` starts (the end of the text past the last).
    fn offset(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            None => self.start,
            Some(prev) => self.ends.get(prev).copied().unwrap_or(self.text.len()),
        }
    }

    /// The text of records `from..to`.
    fn records(&self, from: usize, to: usize) -> &str {
        self.text
            .get(self.offset(from)..self.offset(to))
            .unwrap_or_default()
    }
}

/// One sheet of the workbook: a table's records `from..to`.
struct Sheet<'t> {
    table: &'t TableText,
    /// 1 for the table's first sheet, 2 for `金额 (2)` …
    part: usize,
    from: usize,
    to: usize,
    widths: Vec<f64>,
}

impl Sheet<'_> {
    fn rows(&self) -> usize {
        self.to - self.from
    }
    fn name(&self) -> String {
        match self.part {
            1 => sheet_name(self.table.table).to_string(),
            n => format!("{} ({n})", sheet_name(self.table.table)),
        }
    }
}

/// The sheets of the tables: each table's parts of at most `per_sheet` rows (the four row
/// tables' first parts first, then the further parts, then coverage when it has rows), each
/// sized by its first [`WIDTH_ROWS`] rows from the part before it.
fn sheets(tables: &[TableText], per_sheet: usize) -> Vec<Sheet<'_>> {
    let mut first = Vec::new();
    let mut more = Vec::new();
    for t in tables {
        let n = t.ends.len();
        let is_coverage = t.table.file == COVERAGE.file;
        if is_coverage && n == 0 {
            continue;
        }
        let mut widths: Vec<f64> = t.table.columns.iter().map(|c| width(c.zh)).collect();
        let mut from = 0;
        let mut part = 1;
        loop {
            let to = (from + per_sheet).min(n);
            sheet_rows::widths(&mut widths, t.records(from, to.min(from + WIDTH_ROWS)));
            let sheet = Sheet {
                table: t,
                part,
                from,
                to,
                widths: widths.clone(),
            };
            if part == 1 && !is_coverage {
                first.push(sheet);
            } else {
                more.push(sheet);
            }
            if to >= n {
                break;
            }
            (from, part) = (to, part + 1);
        }
    }
    more.sort_by_key(|s| s.table.table.file == COVERAGE.file);
    first.extend(more);
    first
}

/// Display width of a text in column units ([`display_width`]).
fn width(text: &str) -> f64 {
    display_width(text) as f64
}

/// Writes `dir/jixiao-<year>.xlsx` from the year's CSVs in `dir` (the four tables and
/// coverage.csv), spooling rust_xlsxwriter's sheets in `scratch`. Returns the file's size.
pub fn write(dir: &Path, year: &str, scratch: &Path) -> Result<u64> {
    write_with(dir, year, scratch, SHEET_ROWS)
}

fn write_with(dir: &Path, year: &str, scratch: &Path, per_sheet: usize) -> Result<u64> {
    let path = dir.join(file_name(year));
    let tables: Vec<TableText> = ROW_TABLES
        .into_par_iter()
        .chain([&COVERAGE].into_par_iter())
        .map(|t| TableText::read(dir, t))
        .collect::<Result<_>>()?;
    let sheets = sheets(&tables, per_sheet);
    let skeleton = spooling(&format!("writing {}", path.display()), || {
        skeleton(&sheets, year, scratch)
    })?;
    assemble(&path, &skeleton, &sheets).with_context(|| format!("writing {}", path.display()))?;
    Ok(std::fs::metadata(&path)?.len())
}

/// The workbook with every sheet's header row, formats, widths, filter and print set up for
/// its rows, but none of the rows (they are spliced in by [`assemble`]).
fn skeleton(sheets: &[Sheet<'_>], year: &str, scratch: &Path) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_tempdir(scratch)?;
    book.set_zip_compression_level(ZIP_LEVEL as u8);
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("jixiao {year}"))
            .set_creation_datetime(&fixed),
    );
    let header = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let s = book.add_worksheet_with_constant_memory()?;
        s.set_name(sheet.name())?;
        let table = sheet.table.table;
        for (c, col) in table.columns.iter().enumerate() {
            let c = c as u16;
            if col.unit == "万元" {
                s.set_column_format(c, &money)?;
            } else if col.kind == "date" {
                s.set_column_format(c, &date)?;
            }
            s.write_string_with_format(0, c, col.zh, &header)?;
        }
        s.set_freeze_panes(1, 0)?;
        let last_row = sheet.rows().max(1) as u32;
        let last_col = table.columns.len().saturating_sub(1) as u16;
        s.autofilter(0, 0, last_row, last_col)?;
        for (c, w) in sheet.widths.iter().enumerate() {
            s.set_column_width(c as u16, (w + 2.0).min(MAX_WIDTH))?;
        }
        // Codes and ids are text on purpose: no green triangle on every one of them.
        for (c, col) in table.columns.iter().enumerate() {
            if col.kind == "string" {
                let c = c as u16;
                s.ignore_error_range(1, c, last_row, c, IgnoreError::NumberStoredAsText)?;
            }
        }
        print_ready(s)?;
    }
    dictionary(&mut book, &header)?;
    Ok(book.save_to_buffer()?)
}

/// The zip entry of the `i`-th sheet (rust_xlsxwriter numbers them in sheet order).
fn sheet_entry(i: usize) -> String {
    format!("xl/worksheets/sheet{}.xml", i + 1)
}

/// One chunk of a sheet's rows: which sheet, its records and its first row number.
struct Chunk<'s> {
    sheet: usize,
    csv: &'s str,
    first: u32,
}

/// Writes the workbook to `path`: the skeleton's parts as they are, each sheet with rows
/// rebuilt around its rows, rendered and deflated chunk by chunk on every core.
fn assemble(path: &Path, skeleton: &[u8], sheets: &[Sheet<'_>]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(skeleton))
        .map_err(|e| RunError::Invalid(format!("reading the workbook's parts: {e}")))?;
    // Each sheet's skeleton XML, and each column's style as its <cols> sets it.
    let mut xml = Vec::with_capacity(sheets.len());
    for i in 0..sheets.len() {
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut zip
                .by_name(&sheet_entry(i))
                .map_err(|e| RunError::Invalid(format!("the workbook lacks a sheet: {e}")))?,
            &mut text,
        )?;
        xml.push(text);
    }
    let columns: Vec<Columns> = sheets
        .iter()
        .zip(&xml)
        .map(|(s, x)| {
            Columns::new(
                s.table.table,
                &column_styles(x, s.table.table.columns.len()),
            )
        })
        .collect();
    let mut chunks = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let mut from = s.from;
        while from < s.to {
            let mut to = from + 1;
            while to < s.to && s.table.offset(to + 1) - s.table.offset(from) <= CHUNK_BYTES {
                to += 1;
            }
            chunks.push(Chunk {
                sheet: i,
                csv: s.table.records(from, to),
                first: u32::try_from(from - s.from + 2).unwrap_or(u32::MAX),
            });
            from = to;
        }
    }
    let deflated: Vec<(usize, Vec<u8>, crc32fast::Hasher, u64)> = chunks
        .par_iter()
        .map(|c| {
            let cols = columns.get(c.sheet).context("a chunk's sheet")?;
            let mut rows = Vec::with_capacity(c.csv.len() * 4);
            sheet_rows::render(&mut rows, cols, c.first, c.csv)?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(&rows);
            Ok((
                c.sheet,
                sheet_rows::deflate_chunk(&rows, ZIP_LEVEL)?,
                crc,
                rows.len() as u64,
            ))
        })
        .collect::<Result<_>>()?;
    let mut out = ZipOut::create(path)?;
    for e in 0..zip.len() {
        let mut entry = zip
            .by_index_raw(e)
            .map_err(|e| RunError::Invalid(format!("reading the workbook's parts: {e}")))?;
        let name = entry.name().to_string();
        let sheet = (0..sheets.len()).find(|&i| sheet_entry(i) == name);
        let meta = zip_out::Meta::of(&entry);
        match sheet.filter(|&i| sheets.get(i).is_some_and(|s| s.rows() > 0)) {
            Some(i) => {
                let text = xml.get(i).context("a sheet's XML")?;
                let s = sheets.get(i).context("a sheet")?;
                let (head, tail) = splice_points(text, s)?;
                let mut parts = vec![(
                    sheet_rows::deflate_chunk(head.as_bytes(), ZIP_LEVEL)?,
                    crc(head.as_bytes()),
                    head.len() as u64,
                )];
                parts.extend(
                    deflated
                        .iter()
                        .filter(|d| d.0 == i)
                        .map(|d| (d.1.clone(), d.2.clone(), d.3)),
                );
                let mut last = sheet_rows::deflate_chunk(tail.as_bytes(), ZIP_LEVEL)?;
                last.extend(sheet_rows::END);
                parts.push((last, crc(tail.as_bytes()), tail.len() as u64));
                out.deflated(&name, &meta, parts)?;
            }
            None => {
                let (crc, size) = (entry.crc32(), entry.size());
                let mut raw = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut raw)?;
                out.raw(&name, &meta, crc, size, &raw)?;
            }
        }
    }
    out.finish()
}

fn crc(bytes: &[u8]) -> crc32fast::Hasher {
    let mut h = crc32fast::Hasher::new();
    h.update(bytes);
    h
}

/// A sheet's skeleton XML cut where its rows go (before `</sheetData>`), its dimension set
/// to the rows it will hold, as rust_xlsxwriter sets it from the cells written.
fn splice_points(xml: &str, sheet: &Sheet<'_>) -> Result<(String, String)> {
    let cut = xml
        .find("</sheetData>")
        .context("a sheet without sheetData")?;
    let (head, tail) = xml.split_at(cut);
    let last_col = sheet_rows::column_name(sheet.table.table.columns.len().saturating_sub(1));
    let one = format!("<dimension ref=\"A1:{last_col}1\"/>");
    let all = format!("<dimension ref=\"A1:{last_col}{}\"/>", sheet.rows() + 1);
    if !head.contains(&one) {
        return Err(RunError::Invalid(format!(
            "a sheet's dimension is not {one}"
        )));
    }
    Ok((head.replacen(&one, &all, 1), tail.to_string()))
}

/// Each column's style index as the sheet's `<cols>` sets it (`<col min="8" max="8" …
/// style="3"/>`), 0 where none is set.
fn column_styles(xml: &str, columns: usize) -> Vec<u32> {
    let mut styles = vec![0; columns];
    let attr = |tag: &str, name: &str| -> Option<usize> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag.get(at..)?.split('"').next()?.parse().ok()
    };
    for tag in xml.split("<col ").skip(1) {
        let tag = format!(" {}", tag.split('>').next().unwrap_or_default());
        let tag = tag.as_str();
        if let (Some(min), Some(max), Some(style)) =
            (attr(tag, "min"), attr(tag, "max"), attr(tag, "style"))
        {
            for c in min.saturating_sub(1)..max.min(columns) {
                if let Some(s) = styles.get_mut(c) {
                    *s = style as u32;
                }
            }
        }
    }
    styles
}

/// Runs `f`, turning a panic into an error that says what was being done and why:
/// rust_xlsxwriter's constant-memory sheets panic when their spool file cannot be written (a
/// full disk), and a full disk must end the run with its reason (exit 1, the previous
/// dataset left whole), not with a crash.
fn spooling<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("a write failed");
        Err(RunError::Invalid(format!("{what}: {why}")))
    })
}

/// Landscape, as many pages tall as needed but one page wide, the header row on every page:
/// a wide table printed as it comes spreads one report over dozens of pages.
fn print_ready(s: &mut Worksheet) -> Result<()> {
    s.set_landscape();
    s.set_print_fit_to_pages(1, 0);
    s.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The 字段说明 sheet: every column of every table, its Chinese title (the data sheets'
/// header) beside its CSV name.
fn dictionary(book: &mut Workbook, header: &Format) -> Result<()> {
    let s = book.add_worksheet();
    s.set_name("字段说明")?;
    let head = ["表", "表头（中文名）", "CSV 列名", "类型", "单位", "说明"];
    for (c, h) in head.iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, header)?;
    }
    let mut row = 1u32;
    for table in YEAR_FILES {
        for col in table.columns {
            for (c, v) in [
                sheet_name(table),
                col.zh,
                col.name,
                notes::kind(col),
                col.unit,
                notes::note(table, col),
            ]
            .iter()
            .enumerate()
            {
                s.write_string(row, c as u16, *v)?;
            }
            row += 1;
        }
    }
    s.set_freeze_panes(1, 0)?;
    for (c, w) in [6.0, 30.0, 22.0, 8.0, 8.0, 80.0].iter().enumerate() {
        s.set_column_width(c as u16, *w)?;
    }
    print_ready(s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::dataset::CsvFile;

    /// A year folder holding `rows` (CSV text, as appended to each file) for each table.
    fn year(dir: &Path, rows: &[(&TableSchema, &str)]) {
        for t in ROW_TABLES.iter().copied().chain([&COVERAGE]) {
            let mut f = CsvFile::create(&dir.join(t.file), t).unwrap();
            for (_, text) in rows.iter().filter(|(r, _)| r.file == t.file) {
                f.append(text.as_bytes()).unwrap();
            }
            f.finish().unwrap();
        }
    }

    fn book(dir: &Path, per_sheet: usize) -> zip::ZipArchive<std::fs::File> {
        write_with(dir, "2023", dir, per_sheet).unwrap();
        zip::ZipArchive::new(std::fs::File::open(dir.join("jixiao-2023.xlsx")).unwrap()).unwrap()
    }

    fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    }

    #[test]
    fn chinese_is_twice_as_wide() {
        assert_eq!(width("abc"), 3.0);
        assert_eq!(width("北山镇"), 6.0);
    }

    #[test]
    fn same_rows_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let save = |name: &str| {
            let d = dir.path().join(name);
            std::fs::create_dir(&d).unwrap();
            year(&d, &[(&CHECKS, "r1,2023,北山镇,x,error,'=1+1,p1\r\n")]);
            write(&d, "2023", &d).unwrap();
            std::fs::read(d.join("jixiao-2023.xlsx")).unwrap()
        };
        let (a, b) = (save("a"), save("b"));
        assert!(a.len() > 1000);
        assert_eq!(a, b);
    }

    /// The rows spliced into the skeleton are the XML rust_xlsxwriter writes for the same
    /// cells on a constant-memory sheet (the writer this module replaced), chunked or not:
    /// numbers, money and dates typed by their column and styled by it, text escaped, the
    /// CSV guard gone, the dimension and the filter over every row.
    #[test]
    fn sheets_are_what_rust_xlsxwriter_writes_for_the_rows() {
        let reports = crate::fields::COLUMNS.len();
        let mut report = vec![String::new(); reports];
        let at = |name: &str| {
            crate::fields::COLUMNS
                .iter()
                .position(|c| c.name == name)
                .unwrap()
        };
        report[at("report_id")] = "r1".into();
        report[at("fiscal_year")] = "2023".into();
        report[at("report_date")] = "2024-05-21".into();
        report[at("exp_total")] = "4244.04".into();
        report[at("unit_name")] = "北山镇 <&> _x0041_ \u{1}".into();
        let report_csv = {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            w.write_record(&report).unwrap();
            w.write_record(&report).unwrap();
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        };
        let amounts =
            "r1,2023,北山镇,\"a,b\",\"x\r\ny\",exp_total,,4244.04,4244.04万元,万元,,prose,p1\r\n"
                .repeat(3);
        let dir = tempfile::tempdir().unwrap();
        year(dir.path(), &[(&REPORTS, &report_csv), (&AMOUNTS, &amounts)]);
        let mut zip = book(dir.path(), SHEET_ROWS);
        let ours = [
            part(&mut zip, "xl/worksheets/sheet1.xml"),
            part(&mut zip, "xl/worksheets/sheet2.xml"),
        ];
        // The same cells through rust_xlsxwriter, as the workbook was written before.
        let mut wb = Workbook::new();
        wb.set_tempdir(dir.path()).unwrap();
        let header = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (table, csv) in [
            (&REPORTS, report_csv.as_str()),
            (&AMOUNTS, amounts.as_str()),
        ] {
            let s = wb.add_worksheet_with_constant_memory().unwrap();
            for (c, col) in table.columns.iter().enumerate() {
                if col.unit == "万元" {
                    s.set_column_format(c as u16, &money).unwrap();
                } else if col.kind == "date" {
                    s.set_column_format(c as u16, &date).unwrap();
                }
                s.write_string_with_format(0, c as u16, col.zh, &header)
                    .unwrap();
            }
            for (r, rec) in crate::write::dataset::records(csv).enumerate() {
                for (c, (col, v)) in table.columns.iter().zip(&rec).enumerate() {
                    let (row, c, v) = (r as u32 + 1, c as u16, crate::record::unguard(v));
                    if v.is_empty() {
                        continue;
                    }
                    match (col.kind, v.parse::<f64>(), ExcelDateTime::parse_from_str(v)) {
                        ("number" | "integer", Ok(n), _) => s.write_number(row, c, n),
                        ("date", _, Ok(d)) => s.write_datetime(row, c, &d),
                        _ => s.write_string(row, c, v),
                    }
                    .unwrap();
                }
            }
        }
        let theirs = wb.save_to_buffer().unwrap();
        let mut theirs = zip::ZipArchive::new(std::io::Cursor::new(theirs)).unwrap();
        for (i, ours) in ours.iter().enumerate() {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut theirs.by_name(&sheet_entry(i)).unwrap(), &mut xml)
                .unwrap();
            let data = |x: &str| {
                let a = x.find("<sheetData>").unwrap();
                let b = x.find("</sheetData>").unwrap();
                (
                    x[a..b].to_string(),
                    x.contains(&format!(
                        "<dimension ref=\"A1:{}3\"/>",
                        sheet_rows::column_name(if i == 0 { reports - 1 } else { 12 })
                    )),
                )
            };
            assert_eq!(data(ours).0, data(&xml).0);
            assert!(ours.contains("<dimension ref=\"A1:") && data(&xml).1 == (i == 0));
        }
        assert!(
            ours[0].contains("<dimension ref=\"A1:")
                && ours[1].contains("<dimension ref=\"A1:M4\"/>")
        );
        assert!(
            ours[1].contains("<autoFilter ref=\"A1:M4\"/>"),
            "{}",
            ours[1]
        );
    }

    #[test]
    fn cells_hold_the_text_as_written_without_the_csv_guard() {
        let dir = tempfile::tempdir().unwrap();
        // As the CSV holds them: two guarded texts and one that starts with ' by itself.
        year(
            dir.path(),
            &[(
                &CHECKS,
                "r1,2023,,a,error,'=1+1,'\t-x\r\nr1,2023,,b,error,'plain,p\r\n",
            )],
        );
        let mut zip = book(dir.path(), SHEET_ROWS);
        let xml = part(&mut zip, "xl/worksheets/sheet4.xml");
        assert!(xml.contains(">=1+1<") && !xml.contains("'=1+1"), "{xml}");
        assert!(xml.contains(">\t-x<"), "{xml}");
        assert!(xml.contains(">'plain<"));
    }

    /// The sheet's XML: Chinese titles as headers, text columns marked, print-ready.
    #[test]
    fn headers_are_chinese_and_sheets_print_ready() {
        let dir = tempfile::tempdir().unwrap();
        year(dir.path(), &[(&CHECKS, "r1,2023,北山镇,x,error,m,p1\r\n")]);
        let mut zip = book(dir.path(), SHEET_ROWS);
        let checks = part(&mut zip, "xl/worksheets/sheet4.xml");
        assert!(checks.contains(">严重程度<") && !checks.contains(">severity<"));
        assert!(checks.contains("numberStoredAsText=\"1\""), "{checks}");
        assert!(checks.contains("orientation=\"landscape\""), "{checks}");
        assert!(
            checks.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{checks}"
        );
        assert!(part(&mut zip, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
    }

    #[test]
    fn text_past_the_cell_limit_is_cut_to_it() {
        use sheet_rows::fit;
        const CELL_UNITS: usize = 32_767;
        assert_eq!(fit("北山镇"), "北山镇");
        let long = "好".repeat(CELL_UNITS + 10);
        let cut = fit(&long);
        assert_eq!(cut.encode_utf16().count(), CELL_UNITS);
        assert!(cut.ends_with("好…"));
        // A character outside the BMP is two units, and is never split.
        let wide = "𠀀".repeat(CELL_UNITS);
        assert!(fit(&wide).encode_utf16().count() <= CELL_UNITS);
        let dir = tempfile::tempdir().unwrap();
        year(
            dir.path(),
            &[(&CHECKS, &format!("r1,2023,,a,error,{long},p1\r\n"))],
        );
        let mut zip = book(dir.path(), SHEET_ROWS);
        assert!(part(&mut zip, "xl/worksheets/sheet4.xml").contains("好…</t>"));
    }

    /// A sheet cut into many chunks (rows far past one chunk) reads back whole and in order.
    #[test]
    fn chunks_join_into_every_row_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let rows: String = (0..40_000)
            .map(|i| format!("r{i},2023,,c{i},warning,消息 {i}：实有人数高于编制数,p{i}\r\n"))
            .collect();
        assert!(rows.len() > 2 * CHUNK_BYTES);
        year(dir.path(), &[(&CHECKS, &rows)]);
        let mut zip = book(dir.path(), SHEET_ROWS);
        let xml = part(&mut zip, "xl/worksheets/sheet4.xml");
        let ids: Vec<&str> = xml
            .split("<row r=\"")
            .skip(2)
            .map(|r| r.split('"').next().unwrap())
            .collect();
        assert_eq!(ids.len(), 40_000);
        assert!(ids
            .iter()
            .enumerate()
            .all(|(i, r)| *r == (i + 2).to_string()));
        assert!(xml.contains(
            "<c r=\"F40001\" t=\"inlineStr\"><is><t>消息 39999：实有人数高于编制数</t></is></c>"
        ));
    }

    #[test]
    fn a_full_sheet_continues_on_the_next_part() {
        let dir = tempfile::tempdir().unwrap();
        year(
            dir.path(),
            &[(
                &CHECKS,
                "r1,2023,,a,error,m,p1\r\nr1,2023,,b,error,m,p2\r\nr2,2023,,c,error,m,p3\r\n",
            )],
        );
        let mut zip = book(dir.path(), 2);
        let xml = part(&mut zip, "xl/workbook.xml");
        let names: Vec<&str> = xml
            .split("<sheet name=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(
            names,
            ["报告", "金额", "指标", "核查", "核查 (2)", "字段说明"]
        );
        let second = part(&mut zip, "xl/worksheets/sheet5.xml");
        assert!(
            second.contains("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>r2</t>"),
            "{second}"
        );
        assert!(second.contains("<dimension ref=\"A1:G2\"/>"), "{second}");
    }
}
