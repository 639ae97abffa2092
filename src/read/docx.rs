//! `.docx` reader: zip + quick-xml, one pass over the main document part.
//!
//! It finds the main part through `_rels/.rels`, inflates it whole through a counting reader
//! (a bomb is stopped at its declared size and the part limit, while inflating), and tokenizes
//! it in place, turning `w:p`/`w:tbl` into [`Document`] blocks.
//! Elements are matched by namespace, not prefix, so Strict OOXML reads like Transitional
//! (`xmlns.rs` keeps the scopes).
//! Text is read as if tracked changes were accepted: `w:ins` counts, `w:del`/`w:moveFrom`
//! never do; `mc:Fallback` copies of alternate content are skipped so a text box is read once.
//! It must not panic or allocate without bound on any input.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::xmlns::{Ns, Scopes};
use crate::document::{Block, Cell, Document, Paragraph, Table, VMerge};
use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::{Format, Reading};

/// Reads a `.docx` from its bytes.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    Ok(Reading::marked(
        Format::Docx,
        "UTF-8",
        document(bytes, limits)?,
    ))
}

fn document(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut zip = open_zip(bytes, limits)?;
    let main = main_part_name(&mut zip, limits)?;
    let entry = zip.by_name(&main).map_err(|e| zip_entry_error(&main, e))?;
    let xml = inflate_part(entry, &main, limits)?;
    parse_document(&xml, &main, limits)
}

fn open_zip<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<ZipArchive<Cursor<&'a [u8]>>, ReadError> {
    let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
        ZipError::InvalidArchive(m)
            if ["EOCD", "central directory", "end of central"]
                .iter()
                .any(|w| m.contains(w)) =>
        {
            ReadError::new(
                Reason::Truncated,
                format!("zip is cut off: {m} (the file ends before its directory)"),
            )
        }
        ZipError::Io(e) => ReadError::new(Reason::Truncated, format!("zip is cut off: {e}")),
        other => ReadError::new(
            Reason::UnsupportedFormat,
            format!("not a readable zip: {other}"),
        ),
    })?;
    if zip.len() > limits.zip_entries {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!(
                "zip lists {} entries, more than the limit of {}",
                zip.len(),
                limits.zip_entries
            ),
        ));
    }
    Ok(zip)
}

fn zip_entry_error(name: &str, e: ZipError) -> ReadError {
    match e {
        ZipError::FileNotFound => ReadError::new(
            Reason::UnsupportedFormat,
            format!("zip has no part {name}, so it holds no Word document"),
        ),
        ZipError::UnsupportedArchive(m) if m.to_lowercase().contains("encrypt") => {
            ReadError::new(Reason::Encrypted, format!("{name} is encrypted: {m}"))
        }
        other => ReadError::new(Reason::Truncated, format!("cannot open {name}: {other}")),
    }
}

fn too_large_part(name: &str, limits: &Limits) -> ReadError {
    ReadError::new(
        Reason::TooLarge,
        format!(
            "{name} inflates past the limit of {} bytes",
            limits.part_bytes
        ),
    )
}

/// The main document part named by `_rels/.rels`, or `word/document.xml` when the package
/// has no relationships part at all (some generators omit it).
fn main_part_name(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<String, ReadError> {
    let rels = match read_small_part(zip, "_rels/.rels", limits)? {
        Some(r) => r,
        None => return fallback_main(zip),
    };
    let mut reader = Reader::from_reader(rels.as_slice());
    let mut scopes = Scopes::default();
    let mut depth = 0usize;
    loop {
        let ev = reader.read_event().map_err(|e| {
            ReadError::new(
                Reason::MalformedXml,
                format!("_rels/.rels does not parse: {e}"),
            )
        })?;
        let relationship = match &ev {
            Event::Start(e) => {
                depth += 1;
                Some((e, scopes.start(e, depth)))
            }
            Event::Empty(e) => Some((e, scopes.empty(e, depth + 1))),
            Event::End(_) => {
                scopes.close(depth);
                depth = depth.saturating_sub(1);
                None
            }
            Event::Eof => break,
            _ => None,
        };
        if let Some((e, (Ns::Relationships, b"Relationship"))) = relationship {
            if attr(e, b"Type")
                .unwrap_or_default()
                .ends_with("/officeDocument")
            {
                let target = attr(e, b"Target").unwrap_or_default();
                return resolve_target(zip, &target);
            }
        }
    }
    fallback_main(zip)
}

fn fallback_main(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<String, ReadError> {
    let name = "word/document.xml";
    if zip.index_for_name(name).is_some() {
        Ok(name.to_string())
    } else {
        Err(ReadError::new(
            Reason::UnsupportedFormat,
            "zip has no main document part (no officeDocument relationship, no word/document.xml)",
        ))
    }
}

/// Normalises a relationship target (`/word/document2.xml`, `./word/x.xml`) to an entry name,
/// matching case-insensitively as Office does.
fn resolve_target(zip: &mut ZipArchive<Cursor<&[u8]>>, target: &str) -> Result<String, ReadError> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let want = parts.join("/");
    if zip.index_for_name(&want).is_some() {
        return Ok(want);
    }
    let found = zip
        .file_names()
        .find(|n| n.eq_ignore_ascii_case(&want))
        .map(str::to_string);
    found.ok_or_else(|| {
        ReadError::new(
            Reason::UnsupportedFormat,
            format!("the main document part {want} named by _rels/.rels is not in the zip"),
        )
    })
}

/// Reads a small part (relationships) whole, bounded by the part limit.
fn read_small_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>, ReadError> {
    match zip.by_name(name) {
        Ok(entry) => inflate_part(entry, name, limits).map(Some),
        Err(ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(zip_entry_error(name, e)),
    }
}

/// Inflates a part whole, so the XML is tokenized in place (a fifth faster than through a
/// buffered reader). Memory is bounded by the size the zip declares, itself bounded by the
/// part limit: a part that inflates past its declared size is corrupt or a bomb and is
/// stopped there, while inflating.
fn inflate_part<R: Read>(
    entry: zip::read::ZipFile<'_, R>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, ReadError> {
    let declared = entry.size();
    if declared > limits.part_bytes {
        return Err(too_large_part(name, limits));
    }
    let mut out = Vec::with_capacity(declared.min(16 << 20) as usize);
    LimitedRead {
        inner: entry,
        left: declared,
    }
    .read_to_end(&mut out)
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            ReadError::new(
                Reason::TooLarge,
                format!("{name} inflates past the {declared} bytes its zip entry declares (a corrupt zip or a bomb)"),
            )
        } else {
            ReadError::new(
                Reason::Truncated,
                format!("compressed data of {name} is corrupt or cut off: {e}"),
            )
        }
    })?;
    Ok(out)
}

fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A reader that fails with `FileTooLarge` once more than `left` bytes have come through:
/// the inflation limit is enforced while inflating.
struct LimitedRead<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for LimitedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "inflated size limit reached",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// What a WordprocessingML element means to the reader.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Document,
    P,
    Tbl,
    Tr,
    Tc,
    T,
    Tab,
    Break,
    NoBreakHyphen,
    GridSpan,
    VMerge,
    /// Content never read: deletions, field codes, properties, fallbacks.
    Skip,
    Other,
}

fn classify(ns: Ns, local: &[u8]) -> Tag {
    match ns {
        Ns::Word => match local {
            b"document" => Tag::Document,
            b"p" => Tag::P,
            b"tbl" => Tag::Tbl,
            b"tr" => Tag::Tr,
            b"tc" => Tag::Tc,
            b"t" => Tag::T,
            b"tab" => Tag::Tab,
            b"br" | b"cr" => Tag::Break,
            b"noBreakHyphen" => Tag::NoBreakHyphen,
            b"gridSpan" => Tag::GridSpan,
            b"vMerge" => Tag::VMerge,
            b"del" | b"moveFrom" | b"delText" | b"instrText" | b"delInstrText" | b"pPr"
            | b"rPr" | b"sectPr" | b"tblPr" | b"tblGrid" | b"footnoteReference" => Tag::Skip,
            _ => Tag::Other,
        },
        Ns::Compat if local == b"Fallback" => Tag::Skip,
        _ => Tag::Other,
    }
}

/// Open containers while streaming; each maps to one open XML element.
enum Frame {
    Para(String),
    Table(Table),
    Row(Vec<Cell>),
    Cell { cell: Cell, lines: Vec<String> },
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    blocks: Vec<Block>,
    paragraphs: usize,
    tables: usize,
    cells: usize,
}

impl Builder<'_> {
    fn para_mut(&mut self) -> Option<&mut String> {
        self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Para(s) => Some(s),
            _ => None,
        })
    }

    fn cell_mut(&mut self) -> Option<(&mut Cell, &mut Vec<String>)> {
        self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Cell { cell, lines } => Some((cell, lines)),
            _ => None,
        })
    }

    fn push_text(&mut self, s: &str) -> Result<(), ReadError> {
        let limits = self.limits;
        if let Some(p) = self.para_mut() {
            if p.len() + s.len() > limits.text_bytes {
                return Err(limits.text_too_long("a paragraph", p.len() + s.len()));
            }
            p.push_str(s);
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag) -> Result<(), ReadError> {
        match tag {
            Tag::P => {
                // Refused as the blocks come, not once two million are held.
                if self.blocks.len() >= self.limits.blocks {
                    return Err(self.limits.too_many_blocks());
                }
                self.stack.push(Frame::Para(String::new()))
            }
            Tag::Tbl => {
                self.tables += 1;
                self.stack.push(Frame::Table(Table {
                    index: self.tables,
                    rows: Vec::new(),
                    spaced: false,
                }));
            }
            Tag::Tr => self.stack.push(Frame::Row(Vec::new())),
            Tag::Tc => {
                self.cells += 1;
                if self.cells > self.limits.table_cells {
                    return Err(self.limits.too_many_cells());
                }
                self.stack.push(Frame::Cell {
                    cell: Cell::text(""),
                    lines: Vec::new(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: Tag) {
        match tag {
            Tag::P => {
                if let Some(Frame::Para(text)) = self.stack.pop() {
                    self.finish_para(text);
                }
            }
            Tag::Tc => {
                if let Some(Frame::Cell { mut cell, lines }) = self.stack.pop() {
                    let mut text = lines.join("\n");
                    text.truncate(text.trim_end_matches('\n').len());
                    cell.text = text;
                    if let Some(Frame::Row(row)) = self.stack.last_mut() {
                        row.push(cell);
                    }
                }
            }
            Tag::Tr => {
                if let Some(Frame::Row(row)) = self.stack.pop() {
                    if let Some(Frame::Table(t)) = self.stack.last_mut() {
                        t.rows.push(row);
                    }
                }
            }
            Tag::Tbl => {
                if let Some(Frame::Table(t)) = self.stack.pop() {
                    match self.cell_mut() {
                        Some((cell, _)) => cell.tables.push(Block::Table(t)),
                        None => self.blocks.push(Block::Table(t)),
                    }
                }
            }
            _ => {}
        }
    }

    /// A finished paragraph goes to the nearest enclosing cell, else to the body (text-box
    /// paragraphs therefore land where their anchor stands).
    fn finish_para(&mut self, text: String) {
        if let Some((_, lines)) = self.cell_mut() {
            lines.push(text);
        } else if !text.trim().is_empty() {
            self.paragraphs += 1;
            self.blocks.push(Block::Paragraph(Paragraph {
                index: self.paragraphs,
                text,
            }));
        }
    }

    fn cell_property(&mut self, tag: Tag, e: &BytesStart<'_>) {
        // Properties of a cell come before its paragraphs; one inside a paragraph belongs to
        // something else (never seen, but never trusted either).
        if matches!(self.stack.last(), Some(Frame::Para(_))) {
            return;
        }
        let val = attr(e, b"val");
        if let Some((cell, _)) = self.cell_mut() {
            match tag {
                Tag::GridSpan => {
                    cell.col_span = val
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .filter(|&n| (1..=1000).contains(&n))
                        .unwrap_or(1)
                }
                Tag::VMerge => {
                    cell.v_merge = match val.as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    }
                }
                _ => {}
            }
        }
    }
}

fn parse_document(input: &[u8], part: &str, limits: &Limits) -> Result<Document, ReadError> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().check_end_names = true;
    let mut b = Builder {
        limits,
        stack: Vec::new(),
        blocks: Vec::new(),
        paragraphs: 0,
        tables: 0,
        cells: 0,
    };
    let mut scopes = Scopes::default();
    // The tag of every open element outside skipped content, so an end needs no resolving.
    let mut open: Vec<Tag> = Vec::new();
    let mut depth = 0usize;
    let mut skip_at: Option<usize> = None; // depth of the element being skipped
    let mut in_t = false;
    let mut saw_document = false;
    let malformed = |e: &dyn std::fmt::Display| {
        ReadError::new(Reason::MalformedXml, format!("{part} does not parse: {e}"))
    };
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(malformed(&e)),
        };
        match ev {
            Event::Start(e) => {
                depth += 1;
                if depth > limits.xml_depth {
                    return Err(ReadError::new(
                        Reason::TooLarge,
                        format!("{part} nests elements deeper than {}", limits.xml_depth),
                    ));
                }
                if skip_at.is_some() {
                    continue;
                }
                let (ns, local) = scopes.start(&e, depth);
                let tag = classify(ns, local);
                open.push(tag);
                if depth == 1 {
                    if tag != Tag::Document {
                        return Err(ReadError::new(
                            Reason::UnsupportedFormat,
                            format!("{part} is not a WordprocessingML document"),
                        ));
                    }
                    saw_document = true;
                }
                match tag {
                    Tag::Skip => skip_at = Some(depth),
                    Tag::T => in_t = true,
                    Tag::GridSpan | Tag::VMerge => b.cell_property(tag, &e),
                    _ => b.start(tag)?,
                }
            }
            Event::Empty(e) => {
                if skip_at.is_some() {
                    continue;
                }
                let (ns, local) = scopes.empty(&e, depth + 1);
                match classify(ns, local) {
                    Tag::Tab => b.push_text("\t")?,
                    Tag::Break => b.push_text("\n")?,
                    Tag::NoBreakHyphen => b.push_text("-")?,
                    t @ (Tag::GridSpan | Tag::VMerge) => b.cell_property(t, &e),
                    // An empty <w:p/> or <w:tc/> still opens and closes a container.
                    t @ (Tag::P | Tag::Tc | Tag::Tr | Tag::Tbl) => {
                        b.start(t)?;
                        b.end(t);
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                if skip_at.is_some_and(|d| d < depth) {
                    depth -= 1;
                    continue;
                }
                skip_at = None;
                scopes.close(depth);
                match open.pop() {
                    Some(Tag::T) => in_t = false,
                    Some(tag) => b.end(tag),
                    None => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if in_t && skip_at.is_none() => {
                let s = t.unescape().map_err(|e| malformed(&e))?;
                b.push_text(&s)?;
            }
            Event::CData(t) if in_t && skip_at.is_none() => {
                b.push_text(&String::from_utf8_lossy(&t))?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(ReadError::new(
            Reason::MalformedXml,
            format!("{part} ends inside an open element (cut off?)"),
        ));
    }
    if !saw_document {
        return Err(ReadError::new(
            Reason::UnsupportedFormat,
            format!("{part} holds no WordprocessingML document"),
        ));
    }
    Ok(Document { blocks: b.blocks })
}
