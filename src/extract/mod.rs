//! Extraction: one [`Document`] in, the rows it contributes out. Pure; no I/O.

use crate::document::Document;
use crate::record::{ReportRow, Text};
use crate::write::dataset::DocRows;

/// Extracts every row one document contributes to the dataset.
pub fn extract(_doc: &Document, report_id: &str, source_path: &str) -> DocRows {
    DocRows {
        report: ReportRow {
            report_id: Text::new(report_id),
            source_path: Text::new(source_path),
            ..ReportRow::default()
        },
        ..DocRows::default()
    }
}
