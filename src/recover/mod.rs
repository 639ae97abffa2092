//! The `recover` stage: tables out of text that holds them without saying where cells begin
//! and end (text dumps whose writers put one cell on a line).
//!
//! Two layers. Tokenizers ([`lines`]) turn a dump's lines into a stream of cells, each in its
//! writer's convention for cell ends, empty cells and row ends. One assembler ([`grid`]) reads
//! every such stream the same way: a run of known column words (`rules/indicator_columns.tsv`)
//! is the header and says what each column means (the budget block's columns, [`budget`],
//! likewise); level words open groups; the cells after
//! them are cut into rows by what each cell can mean. Indicator rows flattened into one line
//! by a document host (`指标N:` runs, [`runs`]) are read by their marks. The format readers know none of this
//! vocabulary: the text reader asks [`table_at`] at each line whether a table starts there.

pub mod budget;
pub mod grid;
pub mod lines;
pub mod runs;

use crate::document::Cell;

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
