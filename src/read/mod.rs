//! Readers: one module per format, each returning the same [`crate::document::Document`].

pub mod doc;
pub mod docx;
pub mod flat;
pub mod html;
mod html_depth;
pub mod pdf;
pub mod pipes;
pub mod rubric;
pub mod sheet_area;
pub mod spaced;
pub mod stream;
pub mod text;
pub mod workbook;
pub mod wrapped;
mod xmlns;
