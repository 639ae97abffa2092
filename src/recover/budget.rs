//! The budget block of a self-evaluation form (资金情况 / 项目资金 / 预算执行情况) written one
//! cell per line, assembled from the same cell stream as the indicator grid ([`lines`]).
//!
//! - The header is a run of cells naming budget columns (`rules/budget_columns.tsv`): a word
//!   broken over two or three cells (`年初`+`预算数`) is joined when the join names a column,
//!   and a parenthesised note right after a column word (`得分` / `(20分*执行率)`) belongs to
//!   it. The run must name 执行数 and one more amount column, as a grid's header must.
//! - Up to two short cells before the header are the block's title (`项目资金` / `(万元)`):
//!   the extractor reads the money unit there.
//! - After the header, a text cell opens a row (`年度资金总额`, `其中:当年财政拨款`) and the
//!   figures after it are its values; the block ends at the goals or indicators part (a cell
//!   naming 目标 or 指标), at a long cell, or where the one-cell run ends.
//!
//! Rows keep only the cells with text; the extractor aligns a short row's values by the
//! 执行率 cell and reads nothing from a row it cannot align.

use crate::document::Cell;
use crate::fields::Field;
use crate::normalize::text::squash;
use crate::recover::lines::{self, Line};
use crate::rules::{column_of, BUDGET_COLUMNS, TABLE_HEADERS};

/// The longest cell that can be a header's column word or a title cell (in characters).
const MAX_HEADER_CELL: usize = 20;

/// A cell this long ends the block: prose, not a row label.
const MAX_LABEL: usize = 30;

/// How many cells ahead a header may start (after a title of up to two cells), and how many
/// cells a header and its rows can take: bounds the look-ahead made at every line.
const TITLE_CELLS: usize = 2;
const MAX_CELLS: usize = 64;

/// The budget column a short cell names.
fn column(cell: &str) -> Option<Field> {
    (cell.chars().count() <= MAX_HEADER_CELL)
        .then(|| column_of(&BUDGET_COLUMNS, cell).map(|r| r.column))
        .flatten()
}

/// A value cell: a figure, a percentage or a dash for nothing.
fn is_value(cell: &str) -> bool {
    let t = cell.trim_start_matches(['-', '－']);
    t.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        || ["—", "-", "/", "——", "－"].contains(&cell)
}

/// Whether a cell is the first piece of a column word broken over lines (`年初`, `全年`):
/// a column word of the rules starts with it. A title (`资金情况(万元)`) or a note is not.
fn starts_a_word(cell: &str) -> bool {
    BUDGET_COLUMNS
        .iter()
        .flat_map(|r| r.aliases.iter().map(String::as_str))
        .chain(TABLE_HEADERS.iter().copied())
        .any(|w| w.len() > cell.len() && w.starts_with(cell))
}

/// Most cells one column word is broken over.
const WORD_CELLS: usize = 3;

/// The column word that starts at cell `i`, written in one to [`WORD_CELLS`] cells: its
/// column, the joined text and how many cells it took.
fn column_at(cells: &[(String, usize)], i: usize) -> Option<(Field, String, usize)> {
    let (text, _) = cells.get(i)?;
    (1..=WORD_CELLS).find_map(|n| {
        if n > 1 && !starts_a_word(text) {
            return None;
        }
        let joined: String = cells
            .get(i..i + n)?
            .iter()
            .map(|(t, _)| t.as_str())
            .collect();
        Some((column(&joined)?, joined, n))
    })
}

/// The header at the start of `cells`: its column cells and how many cells it took.
fn header(cells: &[(String, usize)]) -> Option<(Vec<String>, usize)> {
    let mut cols: Vec<(String, Field)> = Vec::new();
    let mut i = 0;
    while let Some((text, _)) = cells.get(i) {
        let found = column_at(cells, i);
        // A note on the column before it: `得分` / `(20分*执行率)`.
        if let Some((prev, _)) = cols
            .last_mut()
            .filter(|_| text.starts_with(['(', '（']) && text.chars().count() <= MAX_HEADER_CELL)
        {
            prev.push_str(text);
            i += 1;
            continue;
        }
        let Some((col, joined, n)) = found else { break };
        if cols.iter().any(|(_, c)| *c == col) {
            break;
        }
        cols.push((joined, col));
        i += n;
    }
    let named = |c: Field| cols.iter().any(|(_, col)| *col == c);
    let amounts = [Field::BudgetInitial, Field::BudgetFullYear]
        .into_iter()
        .filter(|c| named(*c))
        .count();
    (named(Field::BudgetExecuted) && amounts >= 1)
        .then(|| (cols.into_iter().map(|(t, _)| t).collect(), i))
}

/// A cell of the block's title: it names money (`项目资金`, `预算执行情况(万元)`) or is a
/// note in brackets (`(万元)`, `(20分)`). The value of the form's row above (a 主管部门's name)
/// is not.
fn is_title(cell: &str) -> bool {
    cell.starts_with(['(', '（']) || ["资金", "预算", "元"].iter().any(|w| cell.contains(w))
}

/// A cell that ends the block: the goals or indicators part, or prose.
fn ends_block(cell: &str) -> bool {
    cell.contains("目标") || cell.contains("指标") || cell.chars().count() > MAX_LABEL
}

/// A budget block written one cell per line, starting at line `start` with its title or its
/// header's first cell: the header row (title first) and the rows, and the first line after
/// it. `None` when no budget header starts within the first cells.
pub fn table_at(lines: &[&str], start: usize) -> Option<(Vec<Vec<Cell>>, usize)> {
    let first = lines.get(start)?;
    if first.len() > 3 * MAX_HEADER_CELL {
        return None;
    }
    let Some(Line::Cell(_)) = lines::read(first) else {
        return None;
    };
    let mut ahead = lines::cells(lines, start)
        .take(MAX_CELLS)
        .map(|(t, after)| (squash(t), after));
    // Every line is asked: the cells a header can open in (after its title cells, a column
    // word) are squashed and read first, the rest only when one does.
    let mut cells: Vec<(String, usize)> = ahead.by_ref().take(TITLE_CELLS + WORD_CELLS).collect();
    if !(0..=TITLE_CELLS).any(|t| column_at(&cells, t).is_some()) {
        return None;
    }
    cells.extend(ahead);
    let (title, cols, used) = (0..=TITLE_CELLS).find_map(|t| {
        let before = cells.get(..t)?;
        let title_ok = before.iter().all(|(c, _)| {
            c.chars().count() <= MAX_HEADER_CELL && column(c).is_none() && is_title(c)
        });
        let (cols, n) = header(cells.get(t..)?).filter(|_| title_ok)?;
        let title: String = before.iter().map(|(c, _)| c.as_str()).collect();
        Some((title, cols, t + n))
    })?;
    let width = cols.len();
    let mut rows: Vec<Vec<Cell>> =
        vec![std::iter::once(title).chain(cols).map(Cell::text).collect()];
    let mut end = cells.get(used.checked_sub(1)?)?.1;
    let mut open: Vec<String> = Vec::new();
    for (text, after) in cells.iter().skip(used) {
        if is_value(text) {
            if open.is_empty() || open.len() > width {
                break; // values with no label, or more than the columns hold
            }
            open.push(text.clone());
        } else {
            if ends_block(text) {
                break;
            }
            if !open.is_empty() {
                rows.push(open.drain(..).map(Cell::text).collect());
            }
            open.push(text.clone());
        }
        end = *after;
    }
    if !open.is_empty() && open.len() <= width + 1 {
        rows.push(open.into_iter().map(Cell::text).collect());
    }
    Some((rows, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assemble(text: &str) -> Vec<Vec<String>> {
        crate::recover::assembled(table_at, text)
    }

    #[test]
    fn blank_line_cells_with_broken_column_words_and_a_title() {
        // Invented: column words broken over two lines, a lone space for an empty cell.
        let text = "专项资金\n\n(万元)\n\n \n\n年初\n\n预算数\n\n全年\n\n预算数\n\n全年\n\n执行数\n\n分值\n\n执行率\n\n得分\n\n资金总额\n\n66.5\n\n70\n\n63.84\n\n10\n\n91.2%\n\n9\n\n其中:财政拨款\n\n66.5\n\n70\n\n63.84\n\n年度总体目标\n\n完成道路养护\n";
        assert_eq!(
            assemble(text),
            vec![
                vec![
                    "专项资金(万元)",
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "分值",
                    "执行率",
                    "得分"
                ],
                vec!["资金总额", "66.5", "70", "63.84", "10", "91.2%", "9"],
                vec!["其中:财政拨款", "66.5", "70", "63.84"],
            ]
        );
    }

    #[test]
    fn bar_lines_between_cells_and_a_note_on_the_score_column() {
        // Invented: lone `|` lines between cells, `||||` row ends, the score's formula below it.
        let text = "资金执行情况(万元)\n|\n预算数(A)\n|\n执行数(B)\n|\n执行率(B/A)\n|\n得分\n(10分*执行率)\n||||\n年度资金总额\n|\n120\n|\n108\n|\n90%\n|\n9\n|||||\n年度绩效目标\n|\n一级指标\n";
        assert_eq!(
            assemble(text),
            vec![
                vec![
                    "资金执行情况(万元)",
                    "预算数(A)",
                    "执行数(B)",
                    "执行率(B/A)",
                    "得分(10分*执行率)"
                ],
                vec!["年度资金总额", "120", "108", "90%", "9"],
            ]
        );
    }

    #[test]
    fn no_block_without_an_executed_column_or_in_prose() {
        assert!(
            assemble("项目资金\n年初预算数\n全年预算数\n分值\n资金总额\n5\n5\n10\n").is_empty()
        );
        assert!(assemble("本年度预算执行数为120万元，执行率90%。\n").is_empty());
        // The value of the row above is no title.
        let lines = [
            "主管部门",
            "|",
            "东坪县水务局",
            "|",
            "资金情况(万元)",
            "全年预算数(A)",
            "全年执行数(B)",
            "总额",
            "5",
            "5",
        ];
        assert!(table_at(&lines, 2).is_none());
        let rows = table_at(&lines, 4)
            .map(|(rows, _)| rows)
            .unwrap_or_default();
        assert_eq!(
            rows.first()
                .and_then(|r| r.first())
                .map(|c| c.text.as_str()),
            Some("资金情况(万元)")
        );
        // A title of more than two cells is prose before the block, not its title.
        let lines = [
            "我单位",
            "项目资金",
            "(万元)",
            "全年预算数",
            "全年执行数",
            "资金总额",
            "5",
            "5",
        ];
        assert!(table_at(&lines, 0).is_none());
        assert!(table_at(&lines, 1).is_some());
    }
}
