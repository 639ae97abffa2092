//! Rebuilding tables that text extraction flattened to one cell a line (PDF-to-text and
//! web-page dumps: `编制数` / `实际在职人数` / `控制率` / `46` / `50` / `108.70%`).
//!
//! A block of header lines (each naming a column: `rules/table_headers.txt`) fixes the
//! column count N; after it, a label line followed by exactly N number lines is a row, and
//! N number lines alone are a row without a label. A label with some but not N numbers is
//! ambiguous (which columns are empty?) and is left as paragraphs: never guess a column.

use crate::document::{Block, Cell, Document, Paragraph, Table};
use crate::normalize::text::squash;

/// A line that can be a cell of a flattened table.
fn is_short(p: &str) -> bool {
    let s = squash(p);
    !s.is_empty() && s.chars().count() <= 30 && !s.contains('。')
}

fn is_header(p: &str) -> bool {
    let s = squash(p);
    s.chars().count() <= 16 && crate::rules::TABLE_HEADERS.iter().any(|w| s.contains(w))
}

/// A cell holding only a number (`874.20`, `108.70%`, `-`).
fn is_number(p: &str) -> bool {
    let s = squash(p);
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | '％' | '-' | ','))
        && s.chars().any(|c| c.is_ascii_digit())
}

/// A unit line inside a header (`(万元`, `(人)`), which belongs to the header, not a column.
fn is_unit_note(p: &str) -> bool {
    let s = squash(p);
    s.chars().count() <= 5 && (s.contains("万元") || s.contains('人')) && s.starts_with(['(', '（'])
}

/// Replaces flattened tables in `doc` with tables; paragraphs keep their numbers.
pub fn rebuild(doc: Document) -> Document {
    let blocks = doc.blocks;
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        match table_at(&blocks, i) {
            Some((table, next)) => {
                out.push(Block::Table(table));
                i = next;
            }
            None => {
                if let Some(b) = blocks.get(i) {
                    out.push(b.clone());
                }
                i += 1;
            }
        }
    }
    // Tables are numbered in order of appearance.
    let mut n = 0;
    for b in &mut out {
        if let Block::Table(t) = b {
            n += 1;
            t.index = n;
        }
    }
    Document { blocks: out }
}

fn para(blocks: &[Block], i: usize) -> Option<&Paragraph> {
    match blocks.get(i) {
        Some(Block::Paragraph(p)) if is_short(&p.text) => Some(p),
        _ => None,
    }
}

/// A column word broken over two lines (`年初` / `预算数`): the join, when it is one of
/// `rules/table_headers.txt`'s words exactly and the first line names no column alone.
fn broken_header(blocks: &[Block], k: usize) -> Option<String> {
    let (first, second) = (para(blocks, k)?, para(blocks, k + 1)?);
    if is_header(&first.text) {
        return None;
    }
    let joined = squash(&first.text) + &squash(&second.text);
    crate::rules::TABLE_HEADERS
        .iter()
        .any(|w| *w == joined)
        .then_some(joined)
}

/// A flattened table starting at block `i` (its title line, then its header lines).
fn table_at(blocks: &[Block], i: usize) -> Option<(Table, usize)> {
    let title = para(blocks, i)?;
    if is_header(&title.text) || is_number(&title.text) {
        return None;
    }
    let mut k = i + 1;
    let mut headers = Vec::new();
    let mut title_text = title.text.trim().to_string();
    while let Some(p) = para(blocks, k) {
        if let Some(joined) = broken_header(blocks, k) {
            headers.push(joined);
            k += 2;
            continue;
        }
        if is_header(&p.text) {
            headers.push(p.text.trim().to_string());
        } else if is_unit_note(&p.text) && headers.len() <= 1 {
            title_text.push_str(p.text.trim());
        } else {
            break;
        }
        k += 1;
    }
    if headers.len() < 2 {
        return None;
    }
    let n = headers.len();
    let mut rows = vec![std::iter::once(title_text)
        .chain(headers)
        .map(Cell::text)
        .collect::<Vec<_>>()];
    loop {
        let start = k;
        let label = match para(blocks, k) {
            Some(p) if is_header(&p.text) => break, // the next table's header
            Some(p) if is_number(&p.text) => String::new(),
            Some(p) => {
                if para(blocks, k + 1).is_some_and(|next| is_header(&next.text)) {
                    break; // the title of the next table
                }
                k += 1;
                p.text.trim().to_string()
            }
            None => break,
        };
        let mut values = Vec::new();
        while values.len() < n {
            match para(blocks, k) {
                Some(p) if is_number(&p.text) => {
                    values.push(p.text.trim().to_string());
                    k += 1;
                }
                _ => break,
            }
        }
        if values.len() == n || (values.is_empty() && !label.is_empty()) {
            rows.push(
                std::iter::once(label)
                    .chain(values)
                    .map(Cell::text)
                    .collect(),
            );
        } else {
            k = start; // ambiguous: leave these lines as paragraphs
            break;
        }
    }
    (rows.len() > 1).then_some((
        Table {
            index: 0,
            rows,
            spaced: false,
        },
        k,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    fn grid(text: &str) -> Vec<Vec<String>> {
        let doc = rebuild(parse(text).unwrap());
        doc.tables()
            .first()
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.text.clone()).collect())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn rebuilds_header_and_rows() {
        let g = grid("财政供养人员情况(人\n编制数\n2023 年实际在职人数\n控制率\n46\n50\n108.70%\n");
        assert_eq!(
            g[0],
            vec![
                "财政供养人员情况(人",
                "编制数",
                "2023 年实际在职人数",
                "控制率"
            ]
        );
        assert_eq!(g[1], vec!["", "46", "50", "108.70%"]);
        let g = grid("经费控制情况(万元\n2022 年决算数\n2023 年预算数\n2023 年决算数\n三公经费:\n0\n0\n0\n1、业务工作经费\n公用经费\n118.31\n85.76\n193.42\n");
        assert_eq!(g.len(), 4);
        assert_eq!(g[3], vec!["公用经费", "118.31", "85.76", "193.42"]);
    }

    #[test]
    fn a_title_before_headers_starts_the_next_table() {
        let doc = rebuild(parse("人员(人\n编制数\n控制率\n46\n100%\n经费(万元\n2022年决算数\n2023年决算数\n公用经费\n1\n2\n").unwrap());
        assert_eq!(doc.tables().len(), 2);
    }

    #[test]
    fn column_words_broken_over_two_lines_are_joined() {
        let g = grid("专项资金\n(万元)\n年初\n预算数\n全年\n预算数\n全年\n执行数\n执行率\n资金总额\n80\n95.5\n90\n94.24%\n");
        assert_eq!(
            g,
            vec![
                vec![
                    "专项资金(万元)",
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "执行率"
                ],
                vec!["资金总额", "80", "95.5", "90", "94.24%"],
            ]
        );
        // Two lines whose join names no column stay apart: `实际` + `得分` is not a word.
        let g = grid("考核情况\n实际\n得分\n分值\n执行率\n合计\n9\n10\n90%\n");
        assert_ne!(
            g.first().and_then(|r| r.get(1)).map(String::as_str),
            Some("实际得分")
        );
    }

    #[test]
    fn partial_rows_are_not_guessed() {
        let g = grid(
            "经费控制情况(万元\n2022 年决算数\n2023 年预算数\n2023 年决算数\n项目支出\n20\n20\n",
        );
        assert!(
            g.is_empty(),
            "a label with 2 of 3 numbers is not a row: {g:?}"
        );
    }
}
