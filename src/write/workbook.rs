//! `DIR/<year>/jixiao-<year>.xlsx`: a year's tables as one workbook for researchers who work in
//! spreadsheets, filled row by row as the year's CSV rows are written and saved at commit,
//! with the same schema as `datapackage.json`.
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
//! display units (a Chinese character is two). Rows are streamed to
//! temporary files in the run's scratch folder (constant memory), on the thread that writes
//! the CSVs while the workers extract, so only the zip is left for the commit. A table longer
//! than a sheet continues on `金额 (2)` and so on, after the sheets already open. The document
//! properties carry a fixed date, so the same rows give the same bytes.

use std::borrow::Cow;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, IgnoreError, Workbook, Worksheet};

use crate::error::{Context, Result, RunError};
use crate::normalize::text::display_width;
use crate::record::unguard;
use crate::write::dataset::records;
use crate::write::notes;
use crate::write::schema::{
    TableSchema, AMOUNTS, CHECKS, COVERAGE, INDICATORS, REPORTS, YEAR_FILES,
};

/// Data rows per sheet (Excel's limit of 1,048,576 rows, less the header).
const SHEET_ROWS: u32 = 1_048_575;
/// Widest column, in character units.
const MAX_WIDTH: f64 = 60.0;
/// Rows looked at to size the columns.
const WIDTH_ROWS: usize = 200;

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

/// Display width of a text in column units ([`display_width`]).
fn width(text: &str) -> f64 {
    display_width(text) as f64
}

/// The widths of a table's header row.
fn header_widths(table: &TableSchema) -> Vec<f64> {
    table.columns.iter().map(|c| width(c.zh)).collect()
}

/// The workbook's zip compression level (1 fastest … 9 smallest; the writer's default is 6).
const ZIP_LEVEL: u8 = 1;

/// The tables that get rows during the run, in sheet order (coverage comes at commit).
const ROW_TABLES: [&TableSchema; 4] = [&REPORTS, &AMOUNTS, &INDICATORS, &CHECKS];

/// One table's sheet being filled.
struct Sheet {
    table: &'static TableSchema,
    /// The worksheet's index in the workbook.
    index: usize,
    /// 1 for the first sheet of the table, 2 for `金额 (2)` …
    part: u32,
    /// The next row to write.
    row: u32,
    /// Rows written so far, over all parts (the first [`WIDTH_ROWS`] size the columns).
    seen: usize,
    widths: Vec<f64>,
}

/// A year's workbook while its rows are written.
pub struct YearBook {
    book: Workbook,
    sheets: Vec<Sheet>,
    header: Format,
    /// Data rows per sheet ([`SHEET_ROWS`], fewer in tests).
    sheet_rows: u32,
}

impl YearBook {
    /// A workbook for `year` whose row sheets spool to temporary files in `scratch`, with a
    /// header row on each table's sheet (an empty table still gets its sheet).
    pub fn new(scratch: &Path, year: &str) -> Result<Self> {
        let mut book = Workbook::new();
        book.set_tempdir(scratch)?;
        // Deflate is half the workbook's time at the default level 6; level 1 halves that for
        // a file about half as large again.
        book.set_zip_compression_level(ZIP_LEVEL);
        let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
        book.set_properties(
            &DocProperties::new()
                .set_title(format!("jixiao {year}"))
                .set_creation_datetime(&fixed),
        );
        let mut this = YearBook {
            book,
            sheets: Vec::new(),
            header: Format::new().set_bold(),
            sheet_rows: SHEET_ROWS,
        };
        for table in ROW_TABLES {
            this.open(table, 1, header_widths(table))?;
        }
        Ok(this)
    }

    /// Adds the `part`-th sheet of `table` (`金额 (2)` after `金额`) with its header row and
    /// its column formats: cells written without a format take their column's.
    fn open(&mut self, table: &'static TableSchema, part: u32, widths: Vec<f64>) -> Result<()> {
        let index = self.sheets.len();
        let s = self.book.add_worksheet_with_constant_memory()?;
        let name = if part == 1 {
            sheet_name(table).to_string()
        } else {
            format!("{} ({part})", sheet_name(table))
        };
        s.set_name(name)?;
        let money = Format::new().set_num_format("#,##0.00");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (c, col) in table.columns.iter().enumerate() {
            let c = c as u16;
            if col.unit == "万元" {
                s.set_column_format(c, &money)?;
            } else if col.kind == "date" {
                s.set_column_format(c, &date)?;
            }
            s.write_string_with_format(0, c, col.zh, &self.header)?;
        }
        self.sheets.push(Sheet {
            table,
            index,
            part,
            row: 1,
            seen: 0,
            widths,
        });
        Ok(())
    }

    /// Writes the rows of `table` given as CSV text (as appended to its CSV file).
    pub fn append(&mut self, table: &'static TableSchema, csv: &str) -> Result<()> {
        spooling("writing the workbook's rows", || {
            self.append_rows(table, csv)
        })
    }

    fn append_rows(&mut self, table: &'static TableSchema, csv: &str) -> Result<()> {
        // The table's last sheet, found once; a new part opens when it is full.
        let mut at = self.sheets.iter().rposition(|s| s.table.file == table.file);
        for record in records(csv) {
            let last = at.and_then(|i| self.sheets.get(i));
            if last.is_none_or(|s| s.row > self.sheet_rows) {
                let (part, widths) = match last {
                    Some(full) => (full.part + 1, full.widths.clone()),
                    None => (1, header_widths(table)),
                };
                self.open(table, part, widths)?;
                at = Some(self.sheets.len() - 1);
            }
            let sheet = at
                .and_then(|i| self.sheets.get_mut(i))
                .context("the table's sheet is open")?;
            let s = self.book.worksheet_from_index(sheet.index)?;
            write_row(s, sheet, &record)?;
        }
        Ok(())
    }

    /// Adds the coverage sheet (when it has rows) and 字段说明, and saves the workbook as
    /// `dir/jixiao-<year>.xlsx`.
    pub fn save(self, dir: &Path, year: &str, coverage: &str) -> Result<()> {
        let path = dir.join(file_name(year));
        spooling(&format!("writing {}", path.display()), || {
            self.save_to(&path, coverage)
        })
    }

    fn save_to(mut self, path: &Path, coverage: &str) -> Result<()> {
        if !coverage.is_empty() {
            self.append_rows(&COVERAGE, coverage)?;
        }
        for sheet in &self.sheets {
            let s = self.book.worksheet_from_index(sheet.index)?;
            s.set_freeze_panes(1, 0)?;
            let last = sheet.table.columns.len().saturating_sub(1) as u16;
            s.autofilter(0, 0, sheet.row.saturating_sub(1).max(1), last)?;
            for (c, w) in sheet.widths.iter().enumerate() {
                s.set_column_width(c as u16, (w + 2.0).min(MAX_WIDTH))?;
            }
            // Codes and ids are text on purpose: no green triangle on every one of them.
            let last_row = sheet.row.saturating_sub(1).max(1);
            for (c, col) in sheet.table.columns.iter().enumerate() {
                if col.kind == "string" {
                    s.ignore_error_range(
                        1,
                        c as u16,
                        last_row,
                        c as u16,
                        IgnoreError::NumberStoredAsText,
                    )?;
                }
            }
            print_ready(s)?;
        }
        dictionary(&mut self.book, &self.header)?;
        self.book
            .save(path)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
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

/// The most UTF-16 code units a cell holds (Excel's limit; longer text is refused).
const CELL_UNITS: usize = 32_767;

/// A text as it fits in a cell: whole, or cut to Excel's limit and ended with `…` (the CSV
/// keeps it whole). A text cell is the only thing a document can make too large for a sheet,
/// and one document must not cost the night its workbooks.
fn fit(text: &str) -> Cow<'_, str> {
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

/// Writes one record on the sheet's next row, each cell typed by its column.
fn write_row(s: &mut Worksheet, sheet: &mut Sheet, record: &[std::borrow::Cow<str>]) -> Result<()> {
    let row = sheet.row;
    for (c, (col, value)) in sheet.table.columns.iter().zip(record).enumerate() {
        // The text as written: a string cell never runs as a formula, so the CSV's guard
        // would only be a stray `'` here.
        let (c16, value) = (c as u16, unguard(value.as_ref()));
        if sheet.seen < WIDTH_ROWS {
            if let Some(w) = sheet.widths.get_mut(c) {
                *w = w.max(width(value));
            }
        }
        if value.is_empty() {
            continue;
        }
        let number = || value.parse::<f64>().ok().filter(|n| n.is_finite());
        match col.kind {
            "number" | "integer" => match number() {
                Some(n) => s.write_number(row, c16, n),
                None => s.write_string(row, c16, fit(value)),
            },
            "date" => match ExcelDateTime::parse_from_str(value) {
                Ok(d) => s.write_datetime(row, c16, &d),
                Err(_) => s.write_string(row, c16, fit(value)),
            },
            _ => s.write_string(row, c16, fit(value)),
        }?;
    }
    sheet.row += 1;
    sheet.seen += 1;
    Ok(())
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

    #[test]
    fn chinese_is_twice_as_wide() {
        assert_eq!(width("abc"), 3.0);
        assert_eq!(width("北山镇"), 6.0);
    }

    #[test]
    fn same_rows_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let save = |name: &str| {
            let mut book = YearBook::new(dir.path(), "2023").unwrap();
            book.append(&CHECKS, "r1,2023,北山镇,x,error,=1+1,p1\r\n")
                .unwrap();
            let out = dir.path().join(name);
            std::fs::create_dir(&out).unwrap();
            book.save(&out, "2023", "").unwrap();
            std::fs::read(out.join("jixiao-2023.xlsx")).unwrap()
        };
        let (a, b) = (save("a"), save("b"));
        assert!(a.len() > 1000);
        assert_eq!(a, b);
    }

    #[test]
    fn cells_hold_the_text_as_written_without_the_csv_guard() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = YearBook::new(dir.path(), "2023").unwrap();
        // As the CSV holds them: two guarded texts and one that starts with ' by itself.
        book.append(
            &CHECKS,
            "r1,2023,,a,error,'=1+1,'\t-x\r\nr1,2023,,b,error,'plain,p\r\n",
        )
        .unwrap();
        book.save(dir.path(), "2023", "").unwrap();
        let file = std::fs::File::open(dir.path().join("jixiao-2023.xlsx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        for i in 0..zip.len() {
            std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut xml).unwrap();
        }
        assert!(xml.contains(">=1+1<") && !xml.contains("'=1+1"));
        assert!(xml.contains(">\t-x<") || xml.contains(">&#9;-x<") || xml.contains(">_x0009_-x<"));
        assert!(xml.contains(">'plain<"));
    }

    /// The sheet's XML: Chinese titles as headers, text columns marked, print-ready.
    #[test]
    fn headers_are_chinese_and_sheets_print_ready() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = YearBook::new(dir.path(), "2023").unwrap();
        book.append(&CHECKS, "r1,2023,北山镇,x,error,m,p1\r\n")
            .unwrap();
        book.save(dir.path(), "2023", "").unwrap();
        let file = std::fs::File::open(dir.path().join("jixiao-2023.xlsx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut read = |name: &str| {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
            xml
        };
        let checks = read("xl/worksheets/sheet4.xml");
        assert!(checks.contains(">严重程度<") && !checks.contains(">severity<"));
        assert!(checks.contains("numberStoredAsText=\"1\""), "{checks}");
        assert!(checks.contains("orientation=\"landscape\""), "{checks}");
        assert!(
            checks.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{checks}"
        );
        assert!(read("xl/workbook.xml").contains("_xlnm.Print_Titles"));
    }

    #[test]
    fn text_past_the_cell_limit_is_cut_to_it() {
        assert_eq!(fit("北山镇"), "北山镇");
        let long = "好".repeat(CELL_UNITS + 10);
        let cut = fit(&long);
        assert_eq!(cut.encode_utf16().count(), CELL_UNITS);
        assert!(cut.ends_with("好…"));
        // A character outside the BMP is two units, and is never split.
        let wide = "𠀀".repeat(CELL_UNITS);
        assert!(fit(&wide).encode_utf16().count() <= CELL_UNITS);
        let dir = tempfile::tempdir().unwrap();
        let mut book = YearBook::new(dir.path(), "2023").unwrap();
        book.append(&CHECKS, &format!("r1,2023,,a,error,{long},p1\r\n"))
            .unwrap();
        book.save(dir.path(), "2023", "").unwrap();
    }

    #[test]
    fn a_full_sheet_continues_on_the_next_part() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = YearBook::new(dir.path(), "2023").unwrap();
        book.sheet_rows = 2;
        book.append(
            &CHECKS,
            "r1,2023,,a,error,m,p1\r\nr1,2023,,b,error,m,p2\r\n",
        )
        .unwrap();
        book.append(&CHECKS, "r2,2023,,c,error,m,p3\r\n").unwrap();
        book.save(dir.path(), "2023", "").unwrap();
        let file = std::fs::File::open(dir.path().join("jixiao-2023.xlsx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut xml)
            .unwrap();
        let names: Vec<&str> = xml
            .split("<sheet name=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(
            names,
            ["报告", "金额", "指标", "核查", "核查 (2)", "字段说明"]
        );
    }
}
