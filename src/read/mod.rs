//! Readers: one module per format, each with one signature, [`Reader`]: bytes and limits in,
//! a [`Reading`] out. [`read`] is the one dispatcher: it recognises a file's format by its
//! first bytes (zip, OLE, PDF, markup, text), never by its name, and hands it to its reader.
//!
//! Readers know formats, not the domain: a format that marks its paragraphs and tables
//! gives them; text whose tables nothing marks (a `.txt` dump, a PDF's text between its
//! ruled tables) is handed on as text, for the `recover` stage to lay out.

pub mod doc;
pub mod docx;
pub mod html;
mod html_depth;
pub mod ocr;
pub mod pdf;
pub mod sheet_area;
pub mod text;
pub mod tool;
pub mod workbook;
mod xmlns;

use crate::document::{Cell, Document};
use crate::error::{ReadError, Reason};
use crate::findings::Check;
use crate::limits::Limits;

/// The format a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Doc,
    Docx,
    Html,
    Pdf,
    Txt,
    /// A workbook: `xls` (also WPS `.et`), `xlsx`, `xlsb` or `ods`, as calamine read it.
    Workbook(&'static str),
    /// An image read by OCR: `png`, `jpeg` or `tiff`.
    Image(&'static str),
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Doc => "doc",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Workbook(kind) | Format::Image(kind) => kind,
            Format::Txt => "txt",
        }
    }
}

/// What a reader gives.
#[derive(Debug, Clone)]
pub struct Reading {
    pub format: Format,
    /// The text encoding (`.txt`, `.html`), else the package's (`"UTF-8"` for XML parts,
    /// `"UTF-16LE"` for OLE files).
    pub encoding: &'static str,
    pub content: Content,
    /// What the reader left out or doubted and says so (a PDF past its page limit, scanned
    /// pages not read): a check for each report's checks.csv.
    pub notes: Vec<Note>,
}

/// A check a reading calls for: `(check, message, location)`, the location empty for the
/// whole document.
pub type Note = (Check, String, String);

/// Pages of a PDF read alike: from their text layer, or by OCR.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub ocr: bool,
    pub pieces: Vec<Piece>,
}

/// A file's content as its format holds it.
#[derive(Debug, Clone)]
pub enum Content {
    /// Paragraphs and tables the format marks itself (Word, web pages, workbooks).
    Document(Document),
    /// A text file's text: where its tables are is for the recover stage to find.
    Text(String),
    /// A PDF's text between the tables drawn with rules, and those tables, in reading order,
    /// in runs of pages read alike (an image read by OCR is one page).
    Pages(Vec<Run>),
}

/// A piece of a PDF's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Lines laid out and joined into paragraphs, tables aligned by spaces still inside.
    Text(String),
    /// A table drawn with rules, its cells as the rules cut them.
    Table(Vec<Vec<Cell>>),
}

impl Reading {
    /// A reading of a format that marks its own blocks.
    fn marked(format: Format, encoding: &'static str, doc: Document) -> Reading {
        Reading {
            format,
            encoding,
            content: Content::Document(doc),
            notes: Vec::new(),
        }
    }

    /// The document of a format that marks its own blocks; `None` for text that the recover
    /// stage lays out.
    pub fn document(&self) -> Option<&Document> {
        match &self.content {
            Content::Document(doc) => Some(doc),
            Content::Text(_) | Content::Pages(_) => None,
        }
    }
}

/// Every reader's signature.
pub type Reader = fn(&[u8], &Limits) -> Result<Reading, ReadError>;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
pub(crate) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The reader of a format that says what it is in its first bytes; `None` for anything
/// else, which is read as text.
fn marked_reader(bytes: &[u8]) -> Result<Option<Reader>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::new(Reason::Empty, "file is empty (0 bytes)"));
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        // A zip is a Word or an Excel/OpenDocument package by its parts.
        return Ok(Some(if workbook::is_workbook_zip(bytes) {
            workbook::read
        } else {
            docx::read
        }));
    }
    if bytes.starts_with(OLE_MAGIC) {
        return ole_reader(bytes).map(Some);
    }
    if bytes.starts_with(b"\xDB\xA5") || bytes.starts_with(b"\x31\xBE\x00\x00") {
        return Err(ReadError::new(
            Reason::LegacyDoc,
            "Word 2.0 or Word for DOS document: save it as .docx or as Word 97-2003",
        ));
    }
    if memchr::memmem::find(bytes.get(..1024).unwrap_or(bytes), b"%PDF-").is_some() {
        return Ok(Some(pdf::read));
    }
    if ocr::raster::image_kind(bytes).is_some() {
        return Ok(Some(pdf::read_image));
    }
    Ok(html::is_html(bytes).then_some(html::read as Reader))
}

/// Recognises the format of `bytes` and reads it. `name` is used only to word messages.
pub fn read(bytes: &[u8], name: &str, limits: &Limits) -> Result<Reading, ReadError> {
    if let Some(reader) = marked_reader(bytes)? {
        return reader(bytes, limits);
    }
    text::read(bytes, limits).map_err(|e| {
        if e.reason == Reason::UnreadableText && name.to_ascii_lowercase().ends_with(".docx") {
            ReadError::new(
                Reason::UnsupportedFormat,
                "named .docx but is neither a zip nor text",
            )
        } else {
            e
        }
    })
}

/// An OLE file's reader, by its streams: `WordDocument` → Word (`.doc`, `.wps`),
/// `Workbook`/`Book` → Excel (`.xls`, `.et`); an `EncryptionInfo`/`EncryptedPackage` stream
/// is an encrypted OOXML package.
fn ole_reader(bytes: &[u8]) -> Result<Reader, ReadError> {
    let file =
        cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(|e| doc::ole_error(&e))?;
    if file.exists("EncryptionInfo") || file.exists("EncryptedPackage") {
        Err(ReadError::new(
            Reason::Encrypted,
            "encrypted Office document (OLE with an EncryptionInfo stream): needs its password",
        ))
    } else if file.exists("WordDocument") {
        Ok(doc::read)
    } else if file.exists("Workbook") || file.exists("Book") {
        Ok(workbook::read)
    } else {
        Err(ReadError::new(
            Reason::UnsupportedFormat,
            "OLE compound file with neither a WordDocument nor a Workbook stream",
        ))
    }
}
