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
use crate::read::{Content, Format, Piece};

/// The document of a reading's content, with its layouts recovered. Invisible characters
/// are out of every document, whatever its format (a dump's are taken out before its tables
/// are found).
pub fn recover(content: Content, format: Format, limits: &Limits) -> Result<Document, ReadError> {
    let mut doc = match content {
        Content::Document(doc) => doc,
        Content::Text(text) => dump::parse_recovering(&text, limits, table_at)?,
        Content::Pages(pieces) => pages(pieces, limits)?,
    };
    if matches!(format, Format::Pdf | Format::Txt) {
        doc = flat::rebuild(doc);
    }
    doc.strip_invisible();
    Ok(doc)
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
