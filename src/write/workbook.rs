//! `DIR/<year>/jixiao-<year>.xlsx`: a year's tables as one workbook for researchers who work in
//! spreadsheets, built from the year's finished CSVs and the same schema as
//! `datapackage.json`.
//!
//! Sheets 报告, 金额, 指标, 核查, 覆盖 (when there is coverage) and 字段说明 (every column: name,
//! Chinese title, type, unit, description). Cells are typed by the schema: numbers as numbers
//! (money shown with two decimals, the exact value kept), dates as dates, everything else —
//! ids and codes included — as text, never as a formula. Header row frozen, autofilter on,
//! column widths measured in display units (a Chinese character is two). Rows are streamed
//! (constant memory); a table longer than a sheet continues on `金额 (2)` and so on. The
//! document properties carry a fixed date, so the same CSVs give the same bytes.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use crate::error::{Context, Result};
use crate::write::schema::{TableSchema, COVERAGE, YEAR_FILES};

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

/// Display width of a text: two units for a wide (CJK) character, one otherwise.
fn width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 })
        .sum()
}

/// The workbook's zip compression level (1 fastest … 9 smallest; the writer's default is 6).
const ZIP_LEVEL: u8 = 1;

/// Writes the workbook of the year folder `dir` (whose CSVs are complete).
pub fn write(dir: &Path, year: &str) -> Result<()> {
    let mut book = Workbook::new();
    // Deflate is half the workbook's time at the default level 6; level 1 halves that for a
    // file about half as large again (measured: see ZIP_LEVEL).
    book.set_zip_compression_level(ZIP_LEVEL);
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("jixiao {year}"))
            .set_creation_datetime(&fixed),
    );
    let header = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for table in YEAR_FILES {
        let path = dir.join(table.file);
        if !path.exists() {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let records = reader.records();
        let mut part = 0u32;
        let mut row: u32 = 0;
        let mut widths: Vec<f64> = table.columns.iter().map(|c| width(c.name)).collect();
        let mut sheet = None;
        let mut seen = 0usize;
        for record in records {
            let record = record.with_context(|| format!("reading {}", path.display()))?;
            if sheet.is_none() || row > SHEET_ROWS {
                if let Some(s) = sheet.take() {
                    finish(s, table, row, &widths)?;
                }
                part += 1;
                sheet = Some(new_sheet(&mut book, table, part, &header)?);
                row = 1;
            }
            let Some(s) = sheet.as_deref_mut() else {
                continue;
            };
            for (c, (col, value)) in table.columns.iter().zip(record.iter()).enumerate() {
                let c16 = c as u16;
                if seen < WIDTH_ROWS {
                    if let Some(w) = widths.get_mut(c) {
                        *w = w.max(width(value));
                    }
                }
                if value.is_empty() {
                    continue;
                }
                let number = || value.parse::<f64>().ok().filter(|n| n.is_finite());
                match col.kind {
                    "number" | "integer" => match number() {
                        Some(n) if col.unit == "万元" => {
                            s.write_number_with_format(row, c16, n, &money)
                        }
                        Some(n) => s.write_number(row, c16, n),
                        None => s.write_string(row, c16, value),
                    },
                    "date" => match ExcelDateTime::parse_from_str(value) {
                        Ok(d) => s.write_datetime_with_format(row, c16, &d, &date),
                        Err(_) => s.write_string(row, c16, value),
                    },
                    _ => s.write_string(row, c16, value),
                }?;
            }
            row += 1;
            seen += 1;
        }
        match sheet {
            Some(s) => finish(s, table, row, &widths)?,
            None if table.file != COVERAGE.file => {
                // An empty table still gets its sheet with the header.
                let s = new_sheet(&mut book, table, 1, &header)?;
                finish(s, table, 1, &widths)?;
            }
            None => {}
        }
    }
    dictionary(&mut book, &header)?;
    let path = dir.join(file_name(year));
    book.save(&path)?;
    Ok(())
}

/// A new streamed sheet for `table` (its `part`-th: `金额 (2)` after `金额`) with the header row.
fn new_sheet<'b>(
    book: &'b mut Workbook,
    table: &TableSchema,
    part: u32,
    header: &Format,
) -> Result<&'b mut rust_xlsxwriter::Worksheet> {
    let s = book.add_worksheet_with_constant_memory()?;
    let name = if part == 1 {
        sheet_name(table).to_string()
    } else {
        format!("{} ({part})", sheet_name(table))
    };
    s.set_name(name)?;
    for (c, col) in table.columns.iter().enumerate() {
        s.write_string_with_format(0, c as u16, col.name, header)?;
    }
    Ok(s)
}

/// Freezes the header, turns the autofilter on and sizes the columns of a finished sheet.
fn finish(
    s: &mut rust_xlsxwriter::Worksheet,
    table: &TableSchema,
    rows: u32,
    widths: &[f64],
) -> Result<()> {
    s.set_freeze_panes(1, 0)?;
    let last = table.columns.len().saturating_sub(1) as u16;
    s.autofilter(0, 0, rows.saturating_sub(1).max(1), last)?;
    for (c, w) in widths.iter().enumerate() {
        s.set_column_width(c as u16, (w + 2.0).min(MAX_WIDTH))?;
    }
    Ok(())
}

/// The 字段说明 sheet: every column of every table.
fn dictionary(book: &mut Workbook, header: &Format) -> Result<()> {
    let s = book.add_worksheet();
    s.set_name("字段说明")?;
    let head = ["表", "字段", "中文名", "类型", "单位", "说明"];
    for (c, h) in head.iter().enumerate() {
        s.write_string_with_format(0, c as u16, *h, header)?;
    }
    let mut row = 1u32;
    for table in YEAR_FILES {
        for col in table.columns {
            for (c, v) in [
                sheet_name(table),
                col.name,
                col.zh,
                col.kind,
                col.unit,
                col.en,
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
    for (c, w) in [6.0, 22.0, 30.0, 10.0, 8.0, 80.0].iter().enumerate() {
        s.set_column_width(c as u16, *w)?;
    }
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
    fn same_csvs_give_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("checks.csv"),
            "\u{feff}report_id,fiscal_year,township,check,severity,message,location\r\nr1,2023,北山镇,x,error,=1+1,p1\r\n",
        )
        .unwrap();
        write(dir.path(), "2023").unwrap();
        let a = std::fs::read(dir.path().join("jixiao-2023.xlsx")).unwrap();
        write(dir.path(), "2023").unwrap();
        let b = std::fs::read(dir.path().join("jixiao-2023.xlsx")).unwrap();
        assert!(a.len() > 1000);
        assert_eq!(a, b);
    }
}
