//! What one document may write: at most [`MAX_ROWS`] rows and [`MAX_TABLE_BYTES`] bytes of
//! CSV in each of amounts.csv, indicators.csv and checks.csv, and no text cell longer than
//! [`crate::record::MAX_CELL_CHARS`] characters. A document past a cap keeps the rows that
//! come first and gets one `output_cut` check saying what was left out, so a cut is never
//! silent.
//!
//! Why caps, and why these: a 541 KB `.docx` wrote 320 MB of CSV (and a 177 MB workbook)
//! for one report. The sample and real reports in this repository write at most 100 rows
//! and 8,000 characters into one table, and their longest cell has 259 characters; the
//! caps stand two orders of magnitude above that, so no real report meets them.

use serde::Serialize;

use crate::error::Result;
use crate::fields::ReportRow;
use crate::record::{CheckRow, Text, MAX_CELL_CHARS};

/// Most rows one document writes into one table.
pub const MAX_ROWS: usize = 20_000;
/// Most bytes of CSV one document writes into one table.
pub const MAX_TABLE_BYTES: usize = 8 << 20;

/// One table's rows as CSV, within the caps.
pub struct Bounded {
    pub csv: String,
    /// Rows written.
    pub rows: usize,
    /// Rows left out by the caps.
    pub left_out: usize,
}

/// Renders `rows` (no header) until a cap is met: the rows before the first that would
/// pass [`MAX_TABLE_BYTES`], at most [`MAX_ROWS`].
pub fn csv<T: Serialize>(rows: &[T]) -> Result<Bounded> {
    bounded(rows, MAX_ROWS, MAX_TABLE_BYTES)
}

fn bounded<T: Serialize>(rows: &[T], max_rows: usize, max_bytes: usize) -> Result<Bounded> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let (mut written, mut before) = (0, 0);
    for r in rows.iter().take(max_rows) {
        w.serialize(r)?;
        w.flush()?;
        if w.get_ref().len() > max_bytes {
            break;
        }
        before = w.get_ref().len();
        written += 1;
    }
    let mut bytes = w.into_inner()?;
    bytes.truncate(before);
    Ok(Bounded {
        csv: String::from_utf8(bytes)?,
        rows: written,
        left_out: rows.len() - written,
    })
}

/// The `output_cut` check of a report whose tables left rows out or whose cells were cut;
/// none when nothing was.
pub fn cut_check(
    report: &ReportRow,
    tables: [(&str, &Bounded); 3],
    cells: usize,
) -> Option<CheckRow> {
    let mut parts: Vec<String> = tables
        .iter()
        .filter(|(_, t)| t.left_out > 0)
        .map(|(name, t)| {
            format!(
                "{name} 只写入前{}行，略去{}行（每份报告每张表至多{MAX_ROWS}行、{} MiB）",
                t.rows,
                t.left_out,
                MAX_TABLE_BYTES >> 20
            )
        })
        .collect();
    if cells > 0 {
        parts.push(format!(
            "{cells}个单元格长于{MAX_CELL_CHARS}个字符，只写入前{MAX_CELL_CHARS}个字符"
        ));
    }
    (!parts.is_empty()).then(|| CheckRow {
        report_id: report.report_id.clone(),
        fiscal_year: report.fiscal_year,
        township: report.township.clone(),
        check: Text::new("output_cut"),
        severity: Text::new("warning"),
        message: Text::new(format!("输出已截断：{}", parts.join("；"))),
        location: Text::new(""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_stop_at_the_row_cap() {
        let rows: Vec<[&str; 2]> = vec![["a", "b"]; 5];
        let t = bounded(&rows, 3, 1 << 20).unwrap();
        assert_eq!((t.rows, t.left_out), (3, 2));
        assert_eq!(t.csv, "a,b\r\n".repeat(3));
    }

    #[test]
    fn rows_stop_before_the_byte_cap() {
        let rows: Vec<[&str; 2]> = vec![["a", "b"]; 5];
        // Two rows are 10 bytes; the third would make 15.
        let t = bounded(&rows, 100, 14).unwrap();
        assert_eq!((t.rows, t.left_out), (2, 3));
        assert_eq!(t.csv, "a,b\r\n".repeat(2));
        let all = bounded(&rows, 100, 25).unwrap();
        assert_eq!((all.rows, all.left_out), (5, 0));
    }

    #[test]
    fn a_cut_is_said_and_nothing_cut_is_silent() {
        let report = ReportRow::default();
        let whole = Bounded {
            csv: String::new(),
            rows: 4,
            left_out: 0,
        };
        let cut = Bounded {
            csv: String::new(),
            rows: 4,
            left_out: 7,
        };
        let none = [
            ("amounts.csv", &whole),
            ("indicators.csv", &whole),
            ("checks.csv", &whole),
        ];
        assert!(cut_check(&report, none, 0).is_none());
        let row = cut_check(
            &report,
            [
                ("amounts.csv", &cut),
                ("indicators.csv", &whole),
                ("checks.csv", &whole),
            ],
            2,
        )
        .unwrap();
        assert_eq!(row.check.as_str(), "output_cut");
        assert!(
            row.message
                .as_str()
                .contains("amounts.csv 只写入前4行，略去7行"),
            "{}",
            row.message.as_str()
        );
        assert!(
            row.message.as_str().contains("2个单元格"),
            "{}",
            row.message.as_str()
        );
    }
}
