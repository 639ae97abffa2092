//! Tables saved as columns separated by runs of spaces (web pages dumped to text):
//! `全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分` over `年度资金总额: 8.408 8.408 10 100.00% 10`.
//!
//! Prose dumped from PDFs is also full of spaces, so a block starts only at a header line
//! whose every token is short and at least three of them are column words of the standard
//! tables (`rules/table_headers.txt`). The lines under it are its rows while they look like
//! rows (short tokens: a line of prose ends the block); blank lines inside the block are
//! skipped when a row follows. An empty cell leaves no trace in such a dump, so the table is marked
//! [`Table::spaced`](crate::document::Table::spaced) for the rules to align with gaps.
//!
//! A flattened form often glues the header line to what stands around it:
//! `10% 经费控制情况 2017年决算数 2018年预算数 2018年决算数 三公经费 29.08 63.46 44.29`. The
//! header ends at its last column word; numbers before it end the line above (a row of their
//! own), and what follows it is a row per label with its numbers.

use crate::document::Cell;
use crate::fields::Field;
use crate::normalize::text::{display_width, fold_width, has_digit};
use crate::rules::{column_of, BUDGET_COLUMNS};

/// The longest token of a header line, in characters (`未完成原因及拟采取的改进措施`).
const HEADER_TOKEN: usize = 16;
/// The longest token of a row, in characters: longer ones are prose, and end the block.
const ROW_TOKEN: usize = 40;

/// A line's cells, split at spaces. PDF-to-text spacing sets a colon apart (`年度资金总额 :
/// 8.408`, `其中 : 本年财政拨款`): a lone colon stays with the label before it, and so does
/// the word after it unless that is a figure.
pub(crate) fn tokens(line: &str) -> Vec<&str> {
    let base = line.as_ptr() as usize;
    let span = |w: &str| {
        (
            w.as_ptr() as usize - base,
            w.as_ptr() as usize - base + w.len(),
        )
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut glue_next = false;
    for w in line.split_whitespace() {
        let (start, end) = span(w);
        let lone_colon = w.chars().all(|c| matches!(c, ':' | '：'));
        match out.last_mut() {
            Some(last) if lone_colon => {
                last.1 = end;
                glue_next = true;
                continue;
            }
            Some(last) if glue_next && !w.starts_with(|c: char| fold_width(c).is_ascii_digit()) => {
                last.1 = end;
            }
            _ => out.push((start, end)),
        }
        glue_next = false;
    }
    out.iter().filter_map(|&(a, b)| line.get(a..b)).collect()
}

/// A header line: three or more short tokens, at least three naming a column, or two naming
/// the budget block's executed amount and another of its amounts (`全年预算数 全年执行数`: a
/// form that leaves out the columns it does not fill).
pub fn is_header(line: &str) -> bool {
    if line.contains(['|', '｜', '\t']) {
        return false;
    }
    let t = tokens(line);
    if t.len() < 3 || t.iter().any(|w| w.chars().count() > HEADER_TOKEN) {
        return false;
    }
    let named = t
        .iter()
        .filter(|w| crate::rules::TABLE_HEADERS.iter().any(|h| w.contains(h)))
        .count();
    // Two budget columns side by side: `预算数 6.84 执行数 6.84` is a run of labels and
    // values, not a header.
    let budget = |w: &&str| column_of(&BUDGET_COLUMNS, w).map(|r| r.column);
    let amounts = t.windows(2).any(|pair| {
        let cols: Vec<Option<Field>> = pair.iter().map(budget).collect();
        cols.contains(&Some(Field::BudgetExecuted))
            && cols
                .iter()
                .any(|c| matches!(c, Some(Field::BudgetInitial | Field::BudgetFullYear)))
    });
    named >= 3 || (amounts && t.iter().filter_map(budget).count() == 2)
}

/// A line that can be a row of the block: short tokens only (prose ends the block).
fn is_row(line: &str) -> bool {
    let t = tokens(line);
    !t.is_empty()
        && !line.contains(['|', '｜', '\t'])
        && t.iter().all(|w| w.chars().count() <= ROW_TOKEN)
}

/// Whether a token is a number (`29.08`, `95.10%`, `-3`): no label.
fn is_number(token: &str) -> bool {
    let t = token.trim_end_matches(['%', '％']);
    !t.is_empty()
        && has_digit(t)
        && t.chars()
            .map(fold_width)
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
}

/// The rows of a header line: numbers before the header (the line above's end), the header
/// up to its last column word, then each label after it with the numbers that follow it —
/// when every label there has numbers (else the line stays one header row, as glued cells
/// of other shapes are not ours to split).
fn header_rows(line: &str) -> Vec<Vec<&str>> {
    let t = tokens(line);
    let is_column = |w: &&str| crate::rules::TABLE_HEADERS.iter().any(|h| w.contains(h));
    let first = t.iter().position(|w| !is_number(w)).unwrap_or(0);
    let last = t.iter().rposition(is_column).map_or(t.len(), |i| i + 1);
    let (lead, head, tail) = (
        t.get(..first).unwrap_or_default(),
        t.get(first..last).unwrap_or_default(),
        t.get(last..).unwrap_or_default(),
    );
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for &w in tail {
        match groups.last_mut() {
            Some(g) if is_number(w) => g.push(w),
            _ => groups.push(vec![w]),
        }
    }
    let labelled = groups
        .iter()
        .all(|g| g.len() > 1 && g.first().is_some_and(|w| !is_number(w)));
    let mut rows = Vec::new();
    if !lead.is_empty() {
        rows.push(lead.to_vec());
    }
    if labelled {
        rows.push(head.to_vec());
        rows.extend(groups);
    } else {
        rows.push(t.get(first..).unwrap_or_default().to_vec());
    }
    rows
}

/// A line's tokens, each with the display columns it spans (a Chinese character is two).
fn spans(line: &str) -> Vec<(&str, usize, usize)> {
    let base = line.as_ptr() as usize;
    tokens(line)
        .into_iter()
        .map(|w| {
            let at = (w.as_ptr() as usize).saturating_sub(base);
            let start = display_width(line.get(..at).unwrap_or(""));
            (w, start, start + display_width(w))
        })
        .collect()
}

/// A row with fewer tokens than its header has cells, placed under the header by where its
/// tokens stand (a padded dump keeps the columns of the cells it leaves empty): each token
/// lies under exactly one header cell, in the header's order, no two under the same one, and
/// both lines set their cells at least two spaces apart.
/// `None` when any token does not, and the row stays its tokens, for the rules to align by
/// what each can mean.
fn placed<'a>(
    header: &[(&str, usize, usize)],
    row: &[(&'a str, usize, usize)],
) -> Option<Vec<&'a str>> {
    // Only a padded layout says where its columns are: cells one space apart are written
    // one after another, whatever their columns.
    let padded = |line: &[(&str, usize, usize)]| {
        line.windows(2)
            .all(|p| matches!(p, [(_, _, end), (_, start, _)] if start.saturating_sub(*end) >= 2))
    };
    if row.len() < 2 || row.len() >= header.len() || !padded(header) || !padded(row) {
        return None;
    }
    let mut out = vec![""; header.len()];
    let mut last: Option<usize> = None;
    for &(w, a, b) in row {
        let mut under = header
            .iter()
            .enumerate()
            .filter(|(_, &(_, ha, hb))| a < hb && ha < b)
            .map(|(k, _)| k);
        let k = under.next()?;
        if under.next().is_some() || last.is_some_and(|l| k <= l) {
            return None;
        }
        last = Some(k);
        *out.get_mut(k)? = w;
    }
    Some(out)
}

/// The rows of the block whose header is `lines[start]`, and the first line after it.
pub fn block(lines: &[&str], start: usize) -> (Vec<Vec<Cell>>, usize) {
    let mut rows = Vec::new();
    // The header's cells where they stand, when the header line is the header alone.
    let mut header: Vec<(&str, usize, usize)> = Vec::new();
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if line.trim().is_empty() {
            // Blank lines inside the block, when a row follows them.
            let next =
                (i..lines.len()).find(|&k| lines.get(k).is_some_and(|l| !l.trim().is_empty()));
            match next {
                Some(k)
                    if i > start && lines.get(k).is_some_and(|l| is_row(l) && !is_header(l)) =>
                {
                    i = k;
                    continue;
                }
                _ => break,
            }
        }
        // A whole form flattened into one line is a block of its own, not a row.
        if i > start && (!is_row(line) || is_header(line) || super::stream::split(line).is_some()) {
            break;
        }
        if i == start {
            let head = header_rows(line);
            if head.len() == 1 {
                header = spans(line);
            }
            for row in head {
                rows.push(row.into_iter().map(Cell::text).collect());
            }
        } else {
            let row = spans(line);
            let cells =
                placed(&header, &row).unwrap_or_else(|| row.iter().map(|&(w, _, _)| w).collect());
            rows.push(cells.into_iter().map(Cell::text).collect());
        }
        i += 1;
    }
    (rows, i.max(start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::texts;

    #[test]
    fn a_colon_set_apart_stays_with_its_label() {
        assert_eq!(
            tokens("年度资金总额 :  8.408 8.408 10"),
            vec!["年度资金总额 :", "8.408", "8.408", "10"]
        );
        assert_eq!(
            tokens("其中 ： 本年财政拨款 ８.408"),
            vec!["其中 ： 本年财政拨款", "８.408"]
        );
        assert_eq!(tokens(": a  b"), vec![":", "a", "b"]);
        assert_eq!(
            tokens("其中:本年财政拨款 8"),
            vec!["其中:本年财政拨款", "8"]
        );
    }

    #[test]
    fn a_header_of_column_words_starts_a_block() {
        assert!(is_header(
            "全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分"
        ));
        assert!(is_header(
            "二级指标 三级指标 分值 年度指标值 全年实际值 得分"
        ));
        // Prose with spaces (a PDF dump) is no header, nor a pipe row.
        assert!(!is_header(
            "2021 年茂名市发展和改革局整体支出 绩效自评报告 根据 分值 得分"
        ));
        // Two budget amounts side by side are a header; labels between values are not.
        assert!(is_header("资金(万元) 全年预算数 全年执行数"));
        assert!(is_header("年初预算 实际执行数 项目资金合计 40 38.5"));
        assert!(!is_header("预算数 6.84 到位数 6.84 执行数 6.84"));
        assert!(!is_header("全年预算数 全年执行数"));
        assert!(!is_header("年初预算数 | 全年预算数 | 全年执行数 |"));
        assert!(!is_header("分值 得分"));
    }

    #[test]
    fn rows_run_until_prose_and_skip_blank_lines() {
        let lines = [
            "年初预算数 全年执行数 分值 得分",
            "年度资金总额: 120.5 118.2 10 9.8",
            "",
            "  其他资金 0 0",
            "这一行是一段很长的说明文字，不是表格的一行，它讲述了本年度的绩效目标完成情况以及存在的问题和改进的措施",
            "后文",
        ];
        let (rows, next) = block(&lines, 0);
        assert_eq!(
            texts(&rows),
            vec![
                vec!["年初预算数", "全年执行数", "分值", "得分"],
                vec!["年度资金总额:", "120.5", "118.2", "10", "9.8"],
                vec!["其他资金", "0", "0"],
            ]
        );
        assert_eq!(next, 4);
    }

    #[test]
    fn a_flattened_form_after_the_block_is_not_its_row() {
        // Invented: a budget block in space columns, then a whole indicator table flattened
        // into one line by a document host (its cells one space apart).
        let form = format!(
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 {}",
            "产出指标 数量指标 维修水渠长度 ≥3公里 3.2公里 20 20 产出指标 时效指标 完工及时率 100% 100% 10 10 "
                .repeat(2)
        );
        let lines = [
            "资金(万元) 年初预算数 全年预算数 全年执行数 执行率",
            "年度资金总额 30 32 31.5 98.44%",
            "",
            form.as_str(),
        ];
        let (rows, next) = block(&lines, 0);
        assert_eq!(rows.len(), 2, "{:?}", texts(&rows));
        assert_eq!(next, 2);
    }

    #[test]
    fn padded_rows_keep_the_columns_of_their_empty_cells() {
        // Invented: a padded dump whose 全年预算数 and 执行率 cells were left empty, and an
        // indicator row without its levels.
        let lines = [
            "资金（万元）    年初预算数    全年预算数    全年执行数    执行率",
            "年度资金总额    86.5                        80.2",
        ];
        let (rows, _) = block(&lines, 0);
        assert_eq!(
            texts(&rows).get(1),
            Some(&vec!["年度资金总额", "86.5", "", "80.2", ""])
        );
        let lines = [
            "一级指标    二级指标    三级指标      年度指标值    实际完成值    分值    得分",
            "            数量指标    培训农户      ≥300户        312户         10      10",
        ];
        let (rows, _) = block(&lines, 0);
        assert_eq!(
            texts(&rows).get(1),
            Some(&vec![
                "",
                "数量指标",
                "培训农户",
                "≥300户",
                "312户",
                "10",
                "10"
            ])
        );
        // Cells one space apart say nothing of their columns: the row stays its tokens.
        let lines = [
            "二级指标 三级指标 分值 年度指标值 实际完成值",
            "    梨树种植面积 6亩 6亩",
        ];
        let (rows, _) = block(&lines, 0);
        assert_eq!(
            texts(&rows).get(1),
            Some(&vec!["梨树种植面积", "6亩", "6亩"])
        );
        // A token under two header cells places nothing.
        let lines = [
            "项目      年初预算数  全年执行数  执行率",
            "总额      1234567890123456    98%",
        ];
        let (rows, _) = block(&lines, 0);
        assert_eq!(
            texts(&rows).get(1),
            Some(&vec!["总额", "1234567890123456", "98%"])
        );
    }

    #[test]
    fn a_header_glued_to_its_neighbours_is_split() {
        let lines = [
            "10% 经费控制情况 2017年决算数 2018年预算数 2018年决算数 三公经费 29.08 63.46 44.29",
            "公用经费 1 2 3",
        ];
        let (rows, _) = block(&lines, 0);
        assert_eq!(
            texts(&rows),
            vec![
                vec!["10%"],
                vec![
                    "经费控制情况",
                    "2017年决算数",
                    "2018年预算数",
                    "2018年决算数"
                ],
                vec!["三公经费", "29.08", "63.46", "44.29"],
                vec!["公用经费", "1", "2", "3"],
            ]
        );
        // Labels without numbers after the header: one header row, as before.
        let (rows, _) = block(
            &["二级指标 三级指标 分值 得分 产出指标 数量指标 培训人数 100"],
            0,
        );
        assert_eq!(rows.len(), 1);
        // A header on its own line is one row, as before.
        let (rows, _) = block(&["年初预算数 全年执行数 分值 得分"], 0);
        assert_eq!(rows.len(), 1);
        assert!(is_number("95.10%") && is_number("1,234.5") && !is_number("2018年决算数"));
    }
}
