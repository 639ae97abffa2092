//! The one document model every reader returns and every extractor reads.
//!
//! A [`Document`] is blocks in reading order: paragraphs and tables. Extractors never learn
//! whether a block came from a `.docx` or a `.txt`; that is what lets one set of rules serve
//! both and lets tests compare the two readings of one report.
//!
//! Locations are 1-based and count top-level paragraphs (`p12`) and tables in order of
//! appearance, nested tables included (`t2`); a cell is `t2:r5c3` (row 5, the 3rd cell of
//! that row as written, which is what both `.docx` and text dumps preserve).

use std::borrow::Cow;

use serde::Serialize;

use crate::normalize::text::without_invisible;

/// A document as a person reads it: paragraphs and tables, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A paragraph's text with its 1-based number among top-level paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    #[serde(serialize_with = "ser_para_loc", rename = "location")]
    pub index: usize,
    pub text: String,
}

/// A table: rows of cells as written (a merged cell keeps its span, it is not repeated).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    #[serde(serialize_with = "ser_table_loc", rename = "location")]
    pub index: usize,
    pub rows: Vec<Vec<Cell>>,
    /// Recovered from columns separated by spaces: an empty cell left no trace, so a row's
    /// cells may skip columns (the rules align them with gaps allowed).
    #[serde(skip)]
    pub spaced: bool,
}

impl Table {
    /// A table of plain cells from text rows (for tests and generated fixtures).
    pub fn of_texts(index: usize, rows: &[&[&str]]) -> Table {
        Table {
            index,
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::text(*c)).collect())
                .collect(),
            spaced: false,
        }
    }
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The cell's text; paragraphs and line breaks inside the cell are `\n`.
    pub text: String,
    /// How many grid columns the cell covers (`w:gridSpan`), at least 1.
    pub col_span: u32,
    pub v_merge: VMerge,
    /// Tables nested inside this cell.
    pub tables: Vec<Block>,
}

/// Vertical merge state of a cell (`w:vMerge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum VMerge {
    #[default]
    None,
    /// The first cell of a vertically merged run.
    Restart,
    /// A cell that continues the merged cell above it (its text is empty in Word).
    Continue,
}

impl Cell {
    /// A plain cell with no span or merge.
    pub fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            col_span: 1,
            v_merge: VMerge::None,
            tables: Vec::new(),
        }
    }
}

/// The texts of rows of cells, for tests that compare grids.
#[cfg(test)]
pub fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<&str>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

/// Where a value came from, printable as in the output's `location` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// Paragraph number, and a character range `[start, end)` (0-based, printed 1-based).
    Para {
        para: usize,
        start: usize,
        end: usize,
    },
    /// Table, row and cell, all 1-based.
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
}

impl Location {
    /// The cell at 0-based `row` and `col` of table `t`, as written (`t2:r5c3`).
    pub fn cell(t: &Table, row: usize, col: usize) -> String {
        Location::Cell {
            table: t.index,
            row: row + 1,
            col: col + 1,
        }
        .to_string()
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Location::Para { para, start, end } => write!(f, "p{para}:{}-{}", start + 1, end),
            Location::Cell { table, row, col } => write!(f, "t{table}:r{row}c{col}"),
        }
    }
}

fn ser_para_loc<S: serde::Serializer>(i: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("p{i}"))
}

fn ser_table_loc<S: serde::Serializer>(i: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("t{i}"))
}

impl Document {
    /// Every paragraph's and cell's text without invisible format characters
    /// ([`without_invisible`]): what a reader sees, whichever format the text came in.
    pub fn strip_invisible(&mut self) {
        strip_blocks(&mut self.blocks);
    }

    /// How many blocks (nested tables included) and bytes of text the document holds.
    pub fn size(&self) -> (usize, usize) {
        fn walk(blocks: &[Block], size: &mut (usize, usize)) {
            for b in blocks {
                size.0 += 1;
                match b {
                    Block::Paragraph(p) => size.1 += p.text.len(),
                    Block::Table(t) => {
                        for cell in t.rows.iter().flatten() {
                            size.1 += cell.text.len();
                            walk(&cell.tables, size);
                        }
                    }
                }
            }
        }
        let mut size = (0, 0);
        walk(&self.blocks, &mut size);
        size
    }

    /// Top-level paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// Every table, nested ones included, in order of appearance.
    pub fn tables(&self) -> Vec<&Table> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Table>) {
            for b in blocks {
                if let Block::Table(t) = b {
                    out.push(t);
                    for row in &t.rows {
                        for c in row {
                            walk(&c.tables, out);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }
}

fn strip_blocks(blocks: &mut [Block]) {
    let strip = |text: &mut String| {
        if let Cow::Owned(clean) = without_invisible(text) {
            *text = clean;
        }
    };
    for block in blocks {
        match block {
            Block::Paragraph(p) => strip(&mut p.text),
            Block::Table(t) => {
                for cell in t.rows.iter_mut().flatten() {
                    strip(&mut cell.text);
                    strip_blocks(&mut cell.tables);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_print_one_based() {
        let p = Location::Para {
            para: 12,
            start: 33,
            end: 45,
        };
        assert_eq!(p.to_string(), "p12:34-45");
        let c = Location::Cell {
            table: 2,
            row: 5,
            col: 3,
        };
        assert_eq!(c.to_string(), "t2:r5c3");
    }

    #[test]
    fn size_counts_nested_blocks_and_all_text() {
        let mut outer = Table::of_texts(1, &[&["基本", "支出"]]);
        if let Some(cell) = outer.rows.first_mut().and_then(|r| r.first_mut()) {
            cell.tables
                .push(Block::Table(Table::of_texts(2, &[&["万元"]])));
        }
        let doc = Document {
            blocks: vec![
                Block::Paragraph(Paragraph {
                    index: 1,
                    text: "abc".into(),
                }),
                Block::Table(outer),
            ],
        };
        // A paragraph, a table and the table in its cell; 3 + 6 + 6 + 6 bytes.
        assert_eq!(doc.size(), (3, 21));
    }

    #[test]
    fn json_shape_matches_spec() {
        let doc = Document {
            blocks: vec![
                Block::Paragraph(Paragraph {
                    index: 1,
                    text: "a".into(),
                }),
                Block::Table(Table {
                    index: 1,
                    rows: vec![vec![Cell::text("x")]],
                    spaced: false,
                }),
            ],
        };
        let j = serde_json::to_string(&doc.blocks).unwrap_or_default();
        assert_eq!(
            j,
            r#"[{"type":"paragraph","location":"p1","text":"a"},{"type":"table","location":"t1","rows":[[{"text":"x","col_span":1,"v_merge":"none","tables":[]}]]}]"#
        );
    }
}
