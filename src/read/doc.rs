//! Word 97–2003 binary documents (`.doc`, and WPS `.wps`, the same format) → [`Document`].
//!
//! Follows [MS-DOC] §2.4.1 "Retrieving Text": the FIB at the start of the `WordDocument`
//! stream names the table stream (`0Table`/`1Table`) and the main text's length (`ccpText`);
//! the piece table (the Clx's PlcPcd) maps character positions to where each run of text is
//! stored, 8-bit ("compressed", Windows-1252) or UTF-16. Only the piece table gives the order
//! (fast-saved files keep text out of order). After the main text come the other stories, in
//! the FIB's order; footnotes, endnotes and text boxes are report text (a form's contact
//! block often sits in text boxes) and follow the body as their own paragraphs and tables;
//! headers and footers, macros and comments are not read.
//!
//! Character properties (the CHPX pages reached through PlcBteChpx) say which text is a tracked
//! deletion (`sprmCFRMarkDel`): it is not read, as in a `.docx` read as accepted. Paragraph
//! properties (PAPX pages through PlcBtePapx) say which paragraphs are in a table and which
//! 0x07 mark ends a row (`sprmPFTtp`); without them a second 0x07 in a row ends it.
//!
//! Special characters: 0x0D ends a paragraph, 0x0B is a line break, 0x0C a page or section
//! break, 0x07 ends a cell (or a row); fields (0x13 instructions 0x14 result 0x15) keep their
//! result and drop their instructions; object anchors and hyphenation marks are dropped.
//! Vertical merges come from each row's table definition (`sprmTDefTable`), as `restart` and
//! `continue` cells like a `.docx`'s. Limits: nested tables are flattened into their outer
//! cell, and horizontally merged cells come out as the cells Word writes beside them.

use std::io::{Cursor, Read};
use std::sync::LazyLock;

use encoding_rs::WINDOWS_1252;

use crate::document::{Block, Cell, Document, Paragraph, Table, VMerge};
use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::{Format, Reading};

/// `wIdent` of a Word 97 and later FIB.
const WORD97: u16 = 0xA5EC;
/// `wIdent`s of Word 6.0/95: the Western editions' and the East Asian editions' (Chinese,
/// Japanese, Korean Word 95 write 0x8098, 0x8099, 0xA697 or 0xA699; antiword lists them too).
const WORD6: [u16; 5] = [0xA5DC, 0x8098, 0x8099, 0xA697, 0xA699];
/// The lowest `nFib` of Word 97.
const NFIB_WORD97: u16 = 0x00C0;
/// FibRgFcLcb97 pair indices (fc, lcb).
const PAIR_BTE_CHPX: usize = 12;
const PAIR_BTE_PAPX: usize = 13;
const PAIR_CLX: usize = 33;
/// FKP pages are 512 bytes.
const PAGE: usize = 512;

fn malformed(what: impl Into<String>) -> ReadError {
    ReadError::new(Reason::Malformed, what.into())
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Reads one stream of the compound file, within the size limit.
fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, ReadError> {
    let s = file
        .open_stream(name)
        .map_err(|e| malformed(format!("no readable {name} stream: {e}")))?;
    let mut out = Vec::new();
    s.take(limits.part_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| malformed(format!("{name} stream cannot be read: {e}")))?;
    if out.len() as u64 > limits.part_bytes {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!(
                "{name} stream past the limit of {} bytes",
                limits.part_bytes
            ),
        ));
    }
    Ok(out)
}

/// What the FIB says.
struct Fib {
    table: &'static str,
    ccp_text: u32,
    /// The lengths of the stories after the main text, in their order in the text:
    /// footnotes, headers, macros, comments, endnotes, text boxes, header text boxes.
    ccp_stories: [u32; 7],
    clx: (u32, u32),
    chpx: (u32, u32),
    papx: (u32, u32),
}

fn fib(wd: &[u8]) -> Result<Fib, ReadError> {
    let ident = u16_at(wd, 0).ok_or_else(|| malformed("WordDocument stream too short"))?;
    let nfib = u16_at(wd, 2).unwrap_or(0);
    if WORD6.contains(&ident) || (ident == WORD97 && nfib < NFIB_WORD97) {
        return Err(ReadError::new(
            Reason::LegacyDoc,
            format!("Word 6.0/95 or older document (nFib {nfib:#06x}): save it as .docx or as Word 97-2003"),
        ));
    }
    if ident != WORD97 {
        return Err(malformed(format!("not a Word FIB (wIdent {ident:#06x})")));
    }
    let flags = u16_at(wd, 0x0A).unwrap_or(0);
    if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
        return Err(ReadError::new(
            Reason::Encrypted,
            "encrypted or obfuscated Word document: needs its password",
        ));
    }
    let table = if flags & 0x0200 != 0 {
        "1Table"
    } else {
        "0Table"
    };
    // FibBase (32 bytes), csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcb.
    let csw = usize::from(u16_at(wd, 32).ok_or_else(|| malformed("FIB cut short"))?);
    let lw = 32 + 2 + csw * 2;
    let cslw = usize::from(u16_at(wd, lw).ok_or_else(|| malformed("FIB cut short"))?);
    let rglw = lw + 2;
    let ccp_text = u32_at(wd, rglw + 12).ok_or_else(|| malformed("FIB cut short"))?;
    let fclcb = rglw + cslw * 4 + 2;
    let pair = |i: usize| -> Option<(u32, u32)> {
        Some((u32_at(wd, fclcb + i * 8)?, u32_at(wd, fclcb + i * 8 + 4)?))
    };
    let clx = pair(PAIR_CLX).ok_or_else(|| malformed("FIB has no piece table entry"))?;
    // FibRgLw97: ccpText at 12, then ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx,
    // ccpHdrTxbx; a FIB cut short has none of them.
    let ccp_stories = [16, 20, 24, 28, 32, 36, 40].map(|o| u32_at(wd, rglw + o).unwrap_or(0));
    Ok(Fib {
        table,
        ccp_text,
        ccp_stories,
        clx,
        chpx: pair(PAIR_BTE_CHPX).unwrap_or((0, 0)),
        papx: pair(PAIR_BTE_PAPX).unwrap_or((0, 0)),
    })
}

/// One piece: character positions `[cp, cp_end)` stored from byte `fc`, 8-bit or UTF-16.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

fn pieces(table: &[u8], (fc, lcb): (u32, u32)) -> Result<Vec<Piece>, ReadError> {
    let clx = table
        .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
        .ok_or_else(|| malformed("piece table outside the table stream"))?;
    let mut at = 0usize;
    loop {
        match clx.get(at) {
            Some(1) => {
                let cb = usize::from(u16_at(clx, at + 1).ok_or_else(|| malformed("Prc cut"))?);
                at += 3 + cb;
            }
            Some(2) => {
                let len = u32_at(clx, at + 1).ok_or_else(|| malformed("Pcdt cut"))? as usize;
                let plc = clx
                    .get(at + 5..at + 5 + len)
                    .ok_or_else(|| malformed("PlcPcd cut"))?;
                if len < 4 || (len - 4) % 12 != 0 {
                    return Err(malformed("PlcPcd of a wrong size"));
                }
                let n = (len - 4) / 12;
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    let cp = u32_at(plc, i * 4).unwrap_or(0);
                    let cp_end = u32_at(plc, i * 4 + 4).unwrap_or(0);
                    let raw = u32_at(plc, (n + 1) * 4 + i * 8 + 2).unwrap_or(0);
                    let compressed = raw & 0x4000_0000 != 0;
                    let fc = raw & 0x3FFF_FFFF;
                    out.push(Piece {
                        cp,
                        cp_end,
                        fc: if compressed { fc / 2 } else { fc },
                        compressed,
                    });
                }
                return Ok(out);
            }
            _ => return Err(malformed("no piece table in the Clx")),
        }
    }
}

/// Property runs from one kind of FKP pages: byte ranges `[fc, fc_end)` of the text stream
/// and the sprm list (grpprl) that applies to them, sorted by `fc`.
struct Runs {
    runs: Vec<(u32, u32, Vec<u8>)>,
}

impl Runs {
    /// `papx`: the pages hold paragraph properties (a BX of 13 bytes, a size byte counted in
    /// words, and an istd before the sprms) rather than character ones.
    /// `data` is the `Data` stream, where a paragraph's properties too large for its page
    /// are kept (`sprmPHugePapx`).
    fn read(wd: &[u8], table: &[u8], data: &[u8], (fc, lcb): (u32, u32), papx: bool) -> Runs {
        let mut runs = Vec::new();
        let plc = table
            .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
            .unwrap_or_default();
        let n = plc.len().saturating_sub(4) / 8;
        for i in 0..n {
            let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4) else {
                continue;
            };
            let Some(page) = (pn as usize & 0x3F_FFFF)
                .checked_mul(PAGE)
                .and_then(|s| wd.get(s..s + PAGE))
            else {
                continue;
            };
            let crun = usize::from(page.get(PAGE - 1).copied().unwrap_or(0));
            let bx = if papx { 13 } else { 1 };
            for r in 0..crun {
                let (Some(start), Some(end)) = (u32_at(page, r * 4), u32_at(page, r * 4 + 4))
                else {
                    continue;
                };
                let off = usize::from(page.get((crun + 1) * 4 + r * bx).copied().unwrap_or(0)) * 2;
                let grpprl = if off == 0 {
                    Vec::new()
                } else if papx {
                    let cb = usize::from(page.get(off).copied().unwrap_or(0));
                    let (len, from) = if cb == 0 {
                        (
                            usize::from(page.get(off + 1).copied().unwrap_or(0)) * 2,
                            off + 2,
                        )
                    } else {
                        ((cb * 2).saturating_sub(1), off + 1)
                    };
                    // Skip the istd.
                    let g = page.get(from + 2..from + len).unwrap_or_default();
                    huge(g, data).unwrap_or(g).to_vec()
                } else {
                    let cb = usize::from(page.get(off).copied().unwrap_or(0));
                    page.get(off + 1..off + 1 + cb).unwrap_or_default().to_vec()
                };
                runs.push((start, end, grpprl));
            }
        }
        runs.sort_by_key(|r| r.0);
        Runs { runs }
    }

    /// The sprms in force at byte `fc` of the text.
    fn at(&self, fc: u32) -> Option<&[u8]> {
        let i = self.runs.partition_point(|r| r.0 <= fc).checked_sub(1)?;
        let (start, end, g) = self.runs.get(i)?;
        (fc >= *start && fc < *end).then_some(g.as_slice())
    }

    fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// The properties a `sprmPHugePapx` points to in the `Data` stream (a size, then the sprms).
fn huge<'d>(grpprl: &[u8], data: &'d [u8]) -> Option<&'d [u8]> {
    let off = u32_at(sprm(grpprl, SPRM_P_HUGE_PAPX)?, 0)? as usize;
    let cb = usize::from(u16_at(data, off)?);
    data.get(off + 2..off + 2 + cb)
}

/// The operand of `sprm` in a grpprl, if present (the last one wins).
fn sprm(grpprl: &[u8], wanted: u16) -> Option<&[u8]> {
    let mut at = 0usize;
    let mut found = None;
    while let Some(op) = u16_at(grpprl, at) {
        let len = match op >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => {
                // Variable: a size byte (sprmTDefTable and sprmPChgTabs have their own forms).
                if op == 0xD608 {
                    usize::from(u16_at(grpprl, at + 2).unwrap_or(0)).saturating_add(1)
                } else {
                    usize::from(grpprl.get(at + 2).copied().unwrap_or(0)) + 1
                }
            }
        };
        if op == wanted {
            found = grpprl.get(at + 2..at + 2 + len);
        }
        at += 2 + len;
    }
    found
}

fn flag(grpprl: Option<&[u8]>, wanted: u16) -> bool {
    grpprl
        .and_then(|g| sprm(g, wanted))
        .and_then(|o| o.first())
        .is_some_and(|&b| b != 0)
}

const SPRM_C_DELETED: u16 = 0x0800;
const SPRM_P_IN_TABLE: u16 = 0x2416;
const SPRM_P_TTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_INNER_TTP: u16 = 0x244C;
const SPRM_P_HUGE_PAPX: u16 = 0x6646;
const SPRM_T_DEF_TABLE: u16 = 0xD608;

/// Why an OLE compound file cannot be opened: `truncated` when it refers to sectors past its
/// end (a download cut short), else `malformed`.
pub fn ole_error(e: &std::io::Error) -> ReadError {
    let text = e.to_string();
    if text.contains("sector count is only") {
        ReadError::new(
            Reason::Truncated,
            format!("OLE compound file ends before its last sector: {text}"),
        )
    } else {
        malformed(format!("unreadable OLE compound file: {text}"))
    }
}

/// Reads a `.doc` compound file.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    Ok(Reading::marked(
        Format::Doc,
        "UTF-16LE",
        document(bytes, limits)?,
    ))
}

fn document(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| ole_error(&e))?;
    let wd = stream(&mut file, "WordDocument", limits)?;
    let fib = fib(&wd)?;
    let table = stream(&mut file, fib.table, limits)?;
    let pieces = pieces(&table, fib.clx)?;
    let covered = pieces
        .iter()
        .filter(|p| p.cp_end > p.cp)
        .map(|p| p.cp_end)
        .max()
        .unwrap_or(0);
    if covered < fib.ccp_text {
        return Err(malformed(format!(
            "the piece table covers {covered} of the {} characters of text",
            fib.ccp_text
        )));
    }
    let data = if file.exists("Data") {
        stream(&mut file, "Data", limits)?
    } else {
        Vec::new()
    };
    let chpx = Runs::read(&wd, &table, &data, fib.chpx, false);
    let papx = Runs::read(&wd, &table, &data, fib.papx, true);
    let mut b = Builder::new(limits, !papx.is_empty());
    let text = Text {
        wd: &wd,
        pieces: &pieces,
        chpx: &chpx,
        papx: &papx,
    };
    text.read(0..fib.ccp_text, &mut b)?;
    // The stories after the main text that are report text, each after the one before:
    // footnotes, endnotes and text boxes (which antiword and catdoc print too). Headers and
    // footers, macros and comments are not.
    let mut start = fib.ccp_text;
    for (i, &len) in fib.ccp_stories.iter().enumerate() {
        let end = start.saturating_add(len);
        if matches!(i, STORY_FOOTNOTES | STORY_ENDNOTES | STORY_TEXT_BOXES) && len > 0 {
            b.end_story()?;
            text.read(start..end, &mut b)?;
        }
        start = end;
    }
    b.finish()
}

/// Positions of the stories in [`Fib::ccp_stories`] that are read.
const STORY_FOOTNOTES: usize = 0;
const STORY_ENDNOTES: usize = 4;
const STORY_TEXT_BOXES: usize = 5;

/// The text stream with what is needed to read a range of it.
struct Text<'a> {
    wd: &'a [u8],
    pieces: &'a [Piece],
    chpx: &'a Runs,
    papx: &'a Runs,
}

impl Text<'_> {
    /// Feeds the characters `[range)` to the builder, tracked deletions left out. Positions
    /// no piece covers are skipped (a story the piece table leaves out is not read).
    fn read(&self, range: std::ops::Range<u32>, b: &mut Builder<'_>) -> Result<(), ReadError> {
        let (wd, chpx, papx) = (self.wd, self.chpx, self.papx);
        for p in self.pieces {
            let end = p.cp_end.min(range.end);
            let mut cp = p.cp.max(range.start);
            while cp < end {
                let k = cp - p.cp;
                let (fc, ch) = if p.compressed {
                    let fc = p.fc.saturating_add(k);
                    let byte = wd
                        .get(fc as usize)
                        .copied()
                        .ok_or_else(|| malformed("a piece points past the WordDocument stream"))?;
                    (fc, cp1252(byte))
                } else {
                    let fc = p.fc.saturating_add(k.saturating_mul(2));
                    let unit = u16_at(wd, fc as usize)
                        .ok_or_else(|| malformed("a piece points past the WordDocument stream"))?;
                    (fc, char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'))
                };
                cp += 1;
                if flag(chpx.at(fc), SPRM_C_DELETED) {
                    continue;
                }
                let para = || papx.at(fc);
                b.push(ch, para)?;
            }
        }
        Ok(())
    }
}

/// A byte of an 8-bit piece: Windows-1252 (whose 0x80–0x9F are the [MS-DOC] exceptions),
/// from a table decoded once rather than a decoder call per character.
fn cp1252(byte: u8) -> char {
    static HIGH: LazyLock<Vec<char>> = LazyLock::new(|| {
        (0x80..=0xFFu8)
            .map(|b| {
                let one = [b];
                let (s, _) = WINDOWS_1252.decode_without_bom_handling(&one);
                s.chars().next().unwrap_or('\u{FFFD}')
            })
            .collect()
    });
    if byte < 0x80 {
        char::from(byte)
    } else {
        HIGH.get(usize::from(byte - 0x80))
            .copied()
            .unwrap_or('\u{FFFD}')
    }
}

/// The vertical merges a row's table definition (`sprmTDefTable` in its row-end properties)
/// gives its cells: the TC80 of each cell says whether it starts a merged run (`restart`) or
/// continues the one above (`continue`), as `w:vMerge` does in a `.docx`.
fn vertical_merges(grpprl: &[u8], row: &mut [Cell]) {
    let Some(op) = sprm(grpprl, SPRM_T_DEF_TABLE) else {
        return;
    };
    let itc = usize::from(op.get(2).copied().unwrap_or(0));
    let tcs = 3 + (itc + 1) * 2;
    for (i, cell) in row.iter_mut().enumerate().take(itc) {
        let Some(tcgrf) = u16_at(op, tcs + i * 20) else {
            break;
        };
        cell.v_merge = match (tcgrf >> 5) & 3 {
            3 => VMerge::Restart,
            1 | 2 if cell.text.is_empty() => VMerge::Continue,
            _ => VMerge::None,
        };
    }
}

/// Assembles paragraphs, cells and rows from the character stream.
struct Builder<'a> {
    limits: &'a Limits,
    has_papx: bool,
    blocks: Vec<Block>,
    text: String,
    /// Open fields: whether each is still in its instructions (before 0x14).
    fields: Vec<bool>,
    row: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    cell: String,
    /// The last character was a cell mark (without paragraph properties: a second one ends
    /// the row).
    after_cell: bool,
    paras: usize,
    tables: usize,
    cells: usize,
}

impl<'a> Builder<'a> {
    fn new(limits: &'a Limits, has_papx: bool) -> Self {
        Builder {
            limits,
            has_papx,
            blocks: Vec::new(),
            text: String::new(),
            fields: Vec::new(),
            row: Vec::new(),
            rows: Vec::new(),
            cell: String::new(),
            after_cell: false,
            paras: 0,
            tables: 0,
            cells: 0,
        }
    }

    fn push<'g>(&mut self, ch: char, para: impl Fn() -> Option<&'g [u8]>) -> Result<(), ReadError> {
        let in_instructions = self.fields.iter().any(|&i| i);
        match ch {
            '\u{13}' => {
                self.fields.push(true);
                return Ok(());
            }
            '\u{14}' => {
                if let Some(last) = self.fields.last_mut() {
                    *last = false;
                }
                return Ok(());
            }
            '\u{15}' => {
                self.fields.pop();
                return Ok(());
            }
            _ if in_instructions => return Ok(()),
            _ => {}
        }
        let was_after_cell = std::mem::replace(&mut self.after_cell, false);
        match ch {
            '\r' | '\u{0C}' => {
                let g = para();
                let in_table = self.has_papx && flag(g, SPRM_P_IN_TABLE) && ch == '\r';
                if in_table {
                    // A paragraph inside a cell.
                    let t = std::mem::take(&mut self.text);
                    self.cell.push_str(t.trim_end());
                    self.cell.push('\n');
                } else {
                    self.end_table();
                    self.paragraph()?;
                }
            }
            '\u{07}' => {
                let g = para();
                let itap = g
                    .and_then(|g| sprm(g, SPRM_P_ITAP))
                    .and_then(|o| u32_at(o, 0).or_else(|| o.first().map(|&b| u32::from(b))))
                    .unwrap_or(1);
                let row_end = if self.has_papx {
                    flag(g, SPRM_P_TTP) || (itap > 1 && flag(g, SPRM_P_INNER_TTP))
                } else {
                    was_after_cell
                };
                if itap > 1 {
                    // A nested table: its cells go into the outer cell's text.
                    let t = std::mem::take(&mut self.text);
                    self.cell.push_str(t.trim());
                    if !row_end {
                        self.cell.push(' ');
                    }
                } else if row_end {
                    if !self.row.is_empty() {
                        let mut row = std::mem::take(&mut self.row);
                        if let Some(g) = g {
                            vertical_merges(g, &mut row);
                        }
                        self.rows.push(row);
                    }
                    self.text.clear();
                } else {
                    let t = std::mem::take(&mut self.text);
                    self.cell.push_str(t.trim());
                    let text = std::mem::take(&mut self.cell).trim().to_string();
                    self.cells += 1;
                    if self.cells > self.limits.table_cells {
                        return Err(self.limits.too_many_cells());
                    }
                    self.row.push(Cell::text(text));
                    self.after_cell = true;
                }
            }
            '\u{0B}' => self.text.push('\n'),
            '\t' => self.text.push('\t'),
            '\u{A0}' => self.text.push(' '),
            '\u{1E}' => self.text.push('-'),
            '\u{01}' | '\u{02}' | '\u{03}' | '\u{04}' | '\u{05}' | '\u{08}' | '\u{1F}' => {}
            c if c < ' ' => {}
            c => {
                self.text.push(c);
                if self.text.len() > self.limits.text_bytes {
                    return Err(self.limits.text_too_long("a paragraph", self.text.len()));
                }
            }
        }
        Ok(())
    }

    fn paragraph(&mut self) -> Result<(), ReadError> {
        let t = std::mem::take(&mut self.text);
        let t = t.trim();
        if !t.is_empty() {
            self.paras += 1;
            self.blocks.push(Block::Paragraph(Paragraph {
                index: self.paras,
                text: t.to_string(),
            }));
        }
        Ok(())
    }

    fn end_table(&mut self) {
        if !self.row.is_empty() {
            let row = std::mem::take(&mut self.row);
            self.rows.push(row);
        }
        if !self.rows.is_empty() {
            self.tables += 1;
            self.blocks.push(Block::Table(Table {
                index: self.tables,
                rows: std::mem::take(&mut self.rows),
                spaced: false,
            }));
        }
        self.cell.clear();
    }

    /// Ends what the story before left open (a table, a paragraph without its mark, a
    /// field), so that the next story starts on its own.
    fn end_story(&mut self) -> Result<(), ReadError> {
        self.end_table();
        self.paragraph()?;
        self.fields.clear();
        self.after_cell = false;
        Ok(())
    }

    fn finish(mut self) -> Result<Document, ReadError> {
        self.end_table();
        self.paragraph()?;
        if self.blocks.is_empty() {
            return Err(ReadError::new(Reason::Empty, "the document has no text"));
        }
        Ok(Document {
            blocks: self.blocks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprms_are_walked_by_their_operand_sizes() {
        // sprmPFInTable(1), a 2-byte sprm, sprmPFTtp(1).
        let g = [0x16, 0x24, 1, 0x00, 0x4A, 5, 0, 0x17, 0x24, 1];
        assert_eq!(sprm(&g, SPRM_P_IN_TABLE), Some(&[1u8][..]));
        assert_eq!(sprm(&g, SPRM_P_TTP), Some(&[1u8][..]));
        assert!(flag(Some(&g), SPRM_P_TTP));
        assert!(!flag(Some(&g), SPRM_C_DELETED));
        // A cut list ends the walk without a panic.
        assert_eq!(sprm(&g[..8], SPRM_P_TTP), None);
    }

    #[test]
    fn fields_keep_their_result_and_cells_make_rows() {
        let limits = Limits::DEFAULT;
        let mut b = Builder::new(&limits, false);
        for c in "前\u{13} PAGE \u{14}3\u{15}后\r甲\u{07}乙\u{07}\u{07}丙\u{07}丁\u{07}\u{07}正文\r"
            .chars()
        {
            b.push(c, || None).unwrap_or_else(|e| panic!("{e}"));
        }
        let d = b.finish().unwrap_or_else(|e| panic!("{e}"));
        let Some(Block::Paragraph(p)) = d.blocks.first() else {
            panic!()
        };
        assert_eq!(p.text, "前3后");
        let Some(Block::Table(t)) = d.blocks.get(1) else {
            panic!()
        };
        let texts: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts, vec![vec!["甲", "乙"], vec!["丙", "丁"]]);
        assert!(matches!(d.blocks.get(2), Some(Block::Paragraph(p)) if p.text == "正文"));
    }

    #[test]
    fn word6_and_encrypted_fibs_are_refused_with_their_reason() {
        for ident in WORD6 {
            let mut fib6 = vec![0u8; 64];
            fib6[0..2].copy_from_slice(&ident.to_le_bytes());
            fib6[2..4].copy_from_slice(&0x0068u16.to_le_bytes());
            let refused = fib(&fib6).err();
            assert_eq!(refused.as_ref().map(|e| e.reason), Some(Reason::LegacyDoc));
            assert!(refused.is_some_and(|e| e.to_string().contains("nFib 0x0068")));
        }
        let mut other = vec![0u8; 64];
        other[0..2].copy_from_slice(&0x1234u16.to_le_bytes());
        assert_eq!(fib(&other).err().map(|e| e.reason), Some(Reason::Malformed));
        let mut enc = vec![0u8; 64];
        enc[0..2].copy_from_slice(&WORD97.to_le_bytes());
        enc[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        enc[0x0A] = 0x00;
        enc[0x0B] = 0x01;
        assert_eq!(fib(&enc).err().map(|e| e.reason), Some(Reason::Encrypted));
        assert_eq!(fib(&[1]).err().map(|e| e.reason), Some(Reason::Malformed));
    }
}
