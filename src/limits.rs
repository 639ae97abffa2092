//! Every size limit the readers enforce, in one place, so tests can probe each one at and
//! just over its value. Limits are checked while reading (counting bytes as they inflate,
//! cells as they are added, depth as elements open), never after something was allocated.
//! There is no limit on the number of documents in a run: memory does not grow with it.

use crate::document::Document;
use crate::error::{ReadError, Reason};

/// Largest input file read at all (bytes on disk).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest inflated size of one zip part we read.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries a `.docx` zip may list.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Deepest XML element nesting accepted in a document part.
pub const MAX_XML_DEPTH: usize = 512;
/// Most cells in one document's tables.
pub const MAX_TABLE_CELLS: usize = 200_000;
/// Longest paragraph, cell or text line, in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// Most blocks (paragraphs and tables, nested tables included) in one document, counted by
/// the `.docx` and text readers as they add them. Two million paragraphs (a 250 MB part in
/// a 1 MB `.docx`) took 1 GB to read and extract; refused at this count, 0.57 GB.
pub const MAX_BLOCKS: usize = 200_000;
/// Most text in one document, its paragraphs and cells together, in bytes of UTF-8: some
/// 5.6 million Chinese characters, thousands of pages. A 4 MB line of amounts takes 250 MB
/// to extract; a 61 MB hard-wrapped dump took 1 GB and 22 s before this limit.
pub const MAX_DOC_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// Most elements (start tags) in one web page, counted before html5ever parses it: its
/// tree takes some 200 bytes an element and its time grows with elements × depth. A 64 MiB
/// page of 6.7 million elements nested 500 deep took 1.4 GB and 57 s to read; real report
/// pages hold tens of thousands.
pub const MAX_HTML_ELEMENTS: usize = 500_000;
/// Seconds one document's extraction may take: 4 MiB of number-dense text extracts in
/// about a second here, so a document over this is a defect, recorded as `too_slow`.
pub const MAX_DOC_SECONDS: u64 = 60;

/// The limits one read runs under; [`Limits::DEFAULT`] everywhere but in tests that probe
/// a limit at and just over its value without building files of that size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub file_bytes: u64,
    pub part_bytes: u64,
    pub zip_entries: usize,
    pub xml_depth: usize,
    pub table_cells: usize,
    pub text_bytes: usize,
    pub blocks: usize,
    pub doc_text_bytes: usize,
    pub html_elements: usize,
    /// Seconds one document may take to extract (every step is linear; this is the second
    /// line of defence against a stalled night).
    pub doc_seconds: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        file_bytes: MAX_FILE_BYTES,
        part_bytes: MAX_PART_BYTES,
        zip_entries: MAX_ZIP_ENTRIES,
        xml_depth: MAX_XML_DEPTH,
        table_cells: MAX_TABLE_CELLS,
        text_bytes: MAX_TEXT_BYTES,
        blocks: MAX_BLOCKS,
        doc_text_bytes: MAX_DOC_TEXT_BYTES,
        html_elements: MAX_HTML_ELEMENTS,
        doc_seconds: MAX_DOC_SECONDS,
    };

    /// The error for a document whose tables hold more cells than allowed.
    pub fn too_many_cells(&self) -> ReadError {
        ReadError::new(
            Reason::TooLarge,
            format!("more than {} table cells", self.table_cells),
        )
    }

    /// Refuses a document read whole that holds more blocks or more text than allowed: the
    /// readers bound what they inflate and each paragraph, this bounds what the later
    /// stages are handed.
    pub fn check_document(&self, doc: &Document) -> Result<(), ReadError> {
        let (blocks, text) = doc.size();
        if blocks > self.blocks {
            return Err(self.too_many_blocks());
        }
        if text > self.doc_text_bytes {
            return Err(ReadError::new(
                Reason::TooLarge,
                format!(
                    "{text} bytes of text, more than the limit of {} for one document",
                    self.doc_text_bytes
                ),
            ));
        }
        Ok(())
    }

    /// The error for a document of more paragraphs and tables than allowed.
    pub fn too_many_blocks(&self) -> ReadError {
        ReadError::new(
            Reason::TooLarge,
            format!("more than {} paragraphs and tables", self.blocks),
        )
    }

    /// The error for a paragraph, cell or line longer than allowed.
    pub fn text_too_long(&self, what: &str, len: usize) -> ReadError {
        ReadError::new(
            Reason::TooLarge,
            format!(
                "{what} is {len} bytes, longer than the limit of {}",
                self.text_bytes
            ),
        )
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
