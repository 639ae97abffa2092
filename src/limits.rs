//! Every size limit the readers enforce, in one place, so tests can probe each one at and
//! just over its value. Limits are checked while reading (counting bytes as they inflate,
//! cells as they are added), never after something has been allocated.

/// Largest input file read at all (bytes on disk).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest inflated size of one zip part we read.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries a `.docx` zip may list.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Deepest XML element nesting accepted in a document part.
pub const MAX_XML_DEPTH: usize = 512;
/// Most cells in one table.
pub const MAX_TABLE_CELLS: usize = 200_000;
/// Most characters in one paragraph, cell or text line.
pub const MAX_TEXT_CHARS: usize = 4 * 1024 * 1024;
