//! The `recover` stage, between reading and extraction: paragraphs and tables out of text
//! that holds them without saying where cells begin and end (text dumps whose writers put
//! one cell on a line, a PDF's text, forms flattened by a document host). [`recover`] turns
//! every reader's [`crate::read::Reading`] into the one [`Document`] extraction reads.
//!
//! The layouts of a dump's lines are read by [`dump`] (TAB cells, and the layouts below:
//! [`pipes`], [`rubric`], [`spaced`], [`stream`], [`wrapped`]); a PDF's or a dump's table
//! whose cells came one paragraph each is put together again by [`flat`].
//!
//! Two layers. Tokenizers ([`lines`]) turn a dump's lines into a stream of cells, each in its
//! writer's convention for cell ends, empty cells and row ends. One assembler ([`grid`]) reads
//! every such stream the same way: a run of known column words (`rules/indicator_columns.tsv`)
//! is the header and says what each column means (the budget block's columns, [`budget`],
//! likewise); level words open groups; the cells after
//! them are cut into rows by what each cell can mean. Indicator rows flattened into one line
//! by a document host (`指标N:` runs, [`runs`]) are read by their marks. The format readers know none of this
//! vocabulary: the layout of a text file's lines ([`dump`]) asks [`table_at`] at each line
//! whether a table starts there.

pub mod budget;
pub mod dump;
pub mod flat;
pub mod grid;
pub mod lines;
pub mod pipes;
pub mod rubric;
pub mod runs;
pub mod spaced;
pub mod stream;
pub mod wrapped;

use crate::document::{Block, Cell, Document, Table};
use crate::error::ReadError;
use crate::limits::Limits;
use crate::read::ocr::Provenance;
use crate::read::{Content, Format, Note, Piece, Run};

/// The document of a reading's content, with its layouts recovered. Invisible characters
/// are out of every document, whatever its format (a dump's are taken out before its tables
/// are found).
pub fn recover(content: Content, format: Format, limits: &Limits) -> Result<Recovered, ReadError> {
    let mut out = Recovered::default();
    out.doc = match content {
        Content::Document(doc) => flat_if(doc, format),
        Content::Text(text) => flat_if(dump::parse_recovering(&text, limits, table_at)?, format),
        Content::Pages(runs) => {
            let (doc, ocr) = runs_of_pages(runs, limits)?;
            out.ocr = ocr;
            doc
        }
    };
    out.notes = crate::read::ocr::doubts(&mut out.doc);
    out.doc.strip_invisible();
    Ok(out)
}

/// What the recover stage gives: the document, which of its blocks were read by OCR, and the
/// checks its OCR doubts call for (`ocr_doubtful`, where each stands).
#[derive(Debug, Clone, Default)]
pub struct Recovered {
    pub doc: Document,
    pub ocr: Provenance,
    pub notes: Vec<Note>,
}

/// A dump's or a PDF's flattened tables put together again ([`flat`]).
fn flat_if(doc: Document, format: Format) -> Document {
    if matches!(format, Format::Pdf | Format::Txt | Format::Image(_)) {
        flat::rebuild(doc)
    } else {
        doc
    }
}

/// A PDF's document from its runs of pages: each run laid out and its flattened tables
/// rebuilt on its own, its blocks numbered on from the run before; the blocks of runs read by
/// OCR are remembered.
fn runs_of_pages(runs: Vec<Run>, limits: &Limits) -> Result<(Document, Provenance), ReadError> {
    let mut blocks = Vec::new();
    let mut provenance = Provenance::default();
    let (mut paragraphs, mut tables) = (0, 0);
    for run in runs {
        let doc = flat::rebuild(pages(run.pieces, limits)?);
        let (mut last_paragraph, mut run_tables) = (0, 0);
        for mut block in doc.blocks {
            match &mut block {
                Block::Paragraph(p) => {
                    last_paragraph = last_paragraph.max(p.index);
                    p.index += paragraphs;
                    if run.ocr {
                        provenance.paragraphs.push(p.index);
                    }
                }
                Block::Table(t) => {
                    run_tables = run_tables.max(t.index);
                    t.index += tables;
                    if run.ocr {
                        provenance.tables.push(t.index);
                    }
                }
            }
            blocks.push(block);
        }
        paragraphs += last_paragraph;
        tables += run_tables;
    }
    Ok((Document { blocks }, provenance))
}

/// A PDF's document: its text chunks laid out as dumps, its ruled tables as they are;
/// paragraphs and tables numbered in order.
fn pages(pieces: Vec<Piece>, limits: &Limits) -> Result<Document, ReadError> {
    let mut blocks = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => blocks.extend(dump::parse_with(&t, limits)?.blocks),
            Piece::Table(rows) => blocks.push(Block::Table(Table {
                index: 0,
                rows,
                spaced: false,
            })),
        }
    }
    let (mut paras, mut tables) = (0, 0);
    for b in &mut blocks {
        match b {
            Block::Paragraph(p) => {
                paras += 1;
                p.index = paras;
            }
            Block::Table(t) => {
                tables += 1;
                t.index = tables;
            }
        }
    }
    Ok(Document { blocks })
}

/// The rows of a table an assembler found, and the first line after it.
pub type Assembled = Option<(Vec<Vec<Cell>>, usize)>;

/// A table that starts at line `start`, in any dialect this stage knows, and the first line
/// after it (`start` itself when the line stays to be read as text too).
pub fn table_at(lines: &[&str], start: usize) -> Assembled {
    grid::table_at(lines, start)
        .or_else(|| budget::table_at(lines, start))
        .or_else(|| runs::table_at(lines, start))
}

/// The rows an assembler gives for `text` from its first line, as strings: what each
/// assembler's tests compare.
#[cfg(test)]
pub(crate) fn assembled(table_at: fn(&[&str], usize) -> Assembled, text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let (rows, _) = table_at(&lines, 0).unwrap_or_default();
    crate::document::texts(&rows)
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect()
}
