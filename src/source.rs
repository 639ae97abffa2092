//! One input file into the document model: its bytes read (files past the size limit are
//! refused before they are read) and hashed, read by the reader its content names
//! ([`crate::read::read`]), its layouts recovered ([`crate::recover`]). Finding inputs is
//! `discover`'s.
//!
//! A file's extension only decides which files a folder walk picks up; what a file *is*
//! comes from its first bytes (zip, OLE, PDF, BOM, text). Every failure is a [`ReadError`]
//! with a reason code, never a panic.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::ocr::Provenance;
use crate::read::{self, Format, Note};
use crate::recover;

/// One input file: where it is and how it is named in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// `source_path`: the path below the folder argument it was found under, `/`-separated
    /// (`txt/000.txt` for `corpus/txt/000.txt` found under `corpus`), so hosts that mount
    /// an archive at different places agree; below the folder's own name too when there are
    /// several PATH arguments; a file given as an argument keeps the path as given. Unique
    /// in a run, and printable ([`crate::discover`]).
    pub source_path: String,
}

/// A file read into the document model.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub format: Format,
    /// The text encoding (`.txt`) or `"UTF-8"` for `.docx` XML.
    pub encoding: &'static str,
    pub sha256: [u8; 32],
    pub doc: Document,
    /// What the reader left out of `doc` or doubted and says so (a PDF past its page limit,
    /// scanned pages not read, numbers the OCR engine was unsure of): a check for each
    /// report's checks.csv, with where it applies.
    pub notes: Vec<Note>,
    /// The blocks of `doc` read by OCR.
    pub ocr: Provenance,
}

impl Loaded {
    /// `report_id`: `r` and the first 16 hex digits of the SHA-256 of the file's bytes. The
    /// letter first keeps spreadsheets from reading an id as a number: 16 digits lose the
    /// last one to floating point, and digits with one `e` become scientific notation (about
    /// one id in 780 has one of these shapes).
    pub fn report_id(&self) -> String {
        report_id(&self.sha256)
    }
}

/// [`Loaded::report_id`] of a digest.
pub fn report_id(sha256: &[u8; 32]) -> String {
    format!("r{}", hex(sha256.get(..8).unwrap_or_default()))
}

/// The SHA-256 of a file's bytes: the cache's content key and the source of `report_id`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Reads, sniffs and parses one file.
pub fn load(input: &Input) -> Result<Loaded, ReadError> {
    load_with(input, &Limits::DEFAULT)
}

/// [`load`] under the given limits.
pub fn load_with(input: &Input, limits: &Limits) -> Result<Loaded, ReadError> {
    let bytes = read_bounded(&input.path, limits)?;
    load_bytes_with(&bytes, &input.source_path, limits)
}

/// Reads a file whole, refusing one past the size limit from its metadata and while reading.
pub fn read_bounded(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::new(Reason::Io, format!("cannot read: {e}"));
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    // Opening a FIFO waits for a writer, for good: open without waiting, then refuse
    // anything but a regular file (a FIFO named x.docx hung the run past Ctrl-C).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NONBLOCK);
    let file = open.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::new(
            Reason::Io,
            "not a regular file (a pipe, socket or device): reading it could block the run",
        ));
    }
    let len = meta.len();
    if len > limits.file_bytes {
        return Err(too_large_file(len, limits));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read one byte past the limit so a file that grew since stat is still caught.
    file.take(limits.file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_large_file(bytes.len() as u64, limits));
    }
    Ok(bytes)
}

fn too_large_file(len: u64, limits: &Limits) -> ReadError {
    ReadError::new(
        Reason::TooLarge,
        format!(
            "file is {len} bytes, past the limit of {} bytes",
            limits.file_bytes
        ),
    )
}

/// Recognises the format of `bytes` and reads it. `name` is used only to word messages.
pub fn load_bytes(bytes: &[u8], name: &str) -> Result<Loaded, ReadError> {
    load_bytes_with(bytes, name, &Limits::DEFAULT)
}

/// [`load_bytes`] under the given limits.
pub fn load_bytes_with(bytes: &[u8], name: &str, limits: &Limits) -> Result<Loaded, ReadError> {
    load_digested(bytes, digest(bytes), name, limits)
}

/// [`load_bytes_with`] for bytes whose [`digest`] the caller already has (the pipeline hashes
/// each file once, for its cache, before reading it). A reading that holds more than the
/// limits allow one document is refused here, whatever its format.
pub fn load_digested(
    bytes: &[u8],
    sha256: [u8; 32],
    name: &str,
    limits: &Limits,
) -> Result<Loaded, ReadError> {
    let reading = read::read(bytes, name, limits)?;
    let recovered = recover::recover(reading.content, reading.format, limits)?;
    limits.check_document(&recovered.doc)?;
    let mut notes = reading.notes;
    notes.extend(recovered.notes);
    Ok(Loaded {
        format: reading.format,
        encoding: reading.encoding,
        sha256,
        doc: recovered.doc,
        notes,
        ocr: recovered.ocr,
    })
}

#[cfg(test)]
mod tests {
    /// No id reads as a number in a spreadsheet: digits, an optional `.`, an optional
    /// exponent. 100,000 ids from distinct inputs.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let fifo = dir.path().join("x.docx");
        let path = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap_or_default();
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        let e = super::read_bounded(&fifo, &crate::limits::Limits::DEFAULT);
        assert!(e.is_err_and(|e| e.message.contains("not a regular file")));
    }

    #[test]
    fn no_report_id_looks_like_a_number() {
        let number = regex::Regex::new(r"^[0-9]*\.?[0-9]*([eE][+-]?[0-9]+)?$").unwrap();
        for i in 0u32..100_000 {
            let id = super::report_id(&super::digest(&i.to_le_bytes()));
            assert!(!number.is_match(&id), "{id}");
        }
        // The pattern does catch the shapes it is there for.
        assert!(number.is_match("1234567890123456") && number.is_match("830e3123"));
    }

    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        // A PDF named .docx goes to the PDF engine (malformed here, or missing on a machine
        // without poppler), never to the zip reader.
        let e = load_bytes(b"%PDF-1.4 ...", "a.docx").unwrap_err();
        assert!(
            matches!(e.reason, Reason::Malformed | Reason::PdfEngineMissing),
            "{e}"
        );
        let mut ole = crate::read::OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 600]);
        assert_eq!(
            load_bytes(&ole, "a.doc").unwrap_err().reason,
            Reason::Malformed
        );
        // An OLE file is what its streams say, whatever its name.
        let ole_with = |stream: &str| {
            let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
            file.create_stream(stream).unwrap();
            file.flush().unwrap();
            file.into_inner().into_inner()
        };
        let reason =
            |stream: &str, name: &str| load_bytes(&ole_with(stream), name).err().map(|e| e.reason);
        assert_eq!(reason("EncryptionInfo", "a.docx"), Some(Reason::Encrypted));
        assert_eq!(reason("Other", "a.doc"), Some(Reason::UnsupportedFormat));
        assert_eq!(reason("Workbook", "a.doc"), Some(Reason::Malformed));
        assert_eq!(load_bytes(b"", "a.txt").unwrap_err().reason, Reason::Empty);
        let t = load_bytes("一、基本情况\n".as_bytes(), "a.docx").unwrap();
        assert_eq!(t.format, Format::Txt);
        assert_eq!(t.report_id().len(), 17);
        assert!(t.report_id().starts_with('r'));
    }
}
