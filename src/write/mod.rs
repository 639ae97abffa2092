//! Writing the dataset: per-year CSVs under temporary names, renamed into place at the end,
//! with `manifest.json` written last so a dataset with a manifest is always whole.

pub mod bounds;
pub mod commit;
pub mod dataset;
pub mod lock;
pub mod manifest;
pub mod notes;
pub mod report;
pub mod schema;
pub mod sheet_rows;
pub mod workbook;
pub mod zip_out;
