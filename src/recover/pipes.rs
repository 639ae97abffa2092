//! Tables saved as `|`-separated lines (web pages and PDFs dumped to text), with their rows
//! put back together.
//!
//! Such dumps write each cell as `text |` and pad every row with bare `|` up to the table's
//! grid width, so a padded row carries the same number of separators as every other. A cell
//! whose text had a line break ends the line early, and the row goes on over the next lines:
//! `预算资金 (万元) |` then `年初预算数 | … | 得分 | |||||||`. The padding run (`||`) marks
//! where a row ends, and the grid width (the commonest separator count of a padded stretch)
//! says which lines before it belong to that row. A stretch whose count does not add up is
//! left one row per line: never joined by guess.

use crate::document::Cell;

/// The separators a dump uses (ASCII and full-width bar).
const BARS: [char; 2] = ['|', '｜'];

fn bars(line: &str) -> usize {
    line.matches(BARS).count()
}

/// A line that ends with padding: two bars with nothing but spaces between.
fn padded(line: &str) -> bool {
    let t = line.trim_end();
    let Some(before) = t.strip_suffix(BARS) else {
        return false;
    };
    before.trim_end().ends_with(BARS)
}

/// The cells of one line: each `text |` is a cell; text after the last bar is one more.
fn cells_of(line: &str) -> impl Iterator<Item = Cell> + '_ {
    let mut parts: Vec<&str> = line.split(BARS).collect();
    if parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    parts.into_iter().map(|p| Cell::text(p.trim()))
}

/// A line that belongs to a pipe table block.
pub fn is_pipe_line(line: &str) -> bool {
    !line.starts_with('\t') && line.contains(BARS)
}

/// Whether the block writes each row between bars, `| a | b |` (Markdown and many converters):
/// every line opens and closes with a bar. Such a line is one row, and an empty cell at its
/// end is a cell, not padding.
fn framed(lines: &[&str]) -> bool {
    lines.iter().all(|l| {
        let t = l.trim();
        t.len() > 1 && t.starts_with(BARS) && t.ends_with(BARS)
    })
}

/// A Markdown rule line under a header (`|---|:--:|`): no cell.
fn is_rule(line: &str) -> bool {
    line.chars().all(|c| BARS.contains(&c) || " -:".contains(c))
}

/// The cells between the first and the last bar of a framed line.
fn framed_cells(line: &str) -> Vec<Cell> {
    let t = line.trim();
    let inner = t
        .strip_prefix(BARS)
        .and_then(|t| t.strip_suffix(BARS))
        .unwrap_or(t);
    inner.split(BARS).map(|p| Cell::text(p.trim())).collect()
}

/// The rows of a block of consecutive pipe lines, trailing empty cells dropped and empty
/// rows left out; a framed block keeps every cell.
pub fn rows(lines: &[&str]) -> Vec<Vec<Cell>> {
    if framed(lines) {
        return lines
            .iter()
            .filter(|l| !is_rule(l))
            .map(|l| framed_cells(l))
            .filter(|r| r.iter().any(|c| !c.text.is_empty()))
            .collect();
    }
    let groups = group(lines);
    groups
        .into_iter()
        .filter_map(|g| {
            let mut row: Vec<Cell> = lines.get(g)?.iter().flat_map(|l| cells_of(l)).collect();
            while row.last().is_some_and(|c| c.text.is_empty()) {
                row.pop();
            }
            (!row.is_empty()).then_some(row)
        })
        .collect()
}

/// Splits the block into row ranges of line indices.
fn group(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    // Stretches ending at a padded line, and the separators each carries.
    let mut stretches = Vec::new();
    let mut start = 0;
    for (i, l) in lines.iter().enumerate() {
        if padded(l) {
            stretches.push(start..i + 1);
            start = i + 1;
        }
    }
    let sum = |r: &std::ops::Range<usize>| {
        lines
            .get(r.clone())
            .map_or(0, |ls| ls.iter().map(|l| bars(l)).sum::<usize>())
    };
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for s in &stretches {
        *counts.entry(sum(s)).or_default() += 1;
    }
    let width = counts
        .iter()
        .max_by_key(|(w, n)| (**n, **w))
        .map(|(w, _)| *w);
    let mut out = Vec::new();
    let singles = |r: std::ops::Range<usize>, out: &mut Vec<std::ops::Range<usize>>| {
        out.extend(r.map(|i| i..i + 1));
    };
    for s in stretches {
        let total = sum(&s);
        match width {
            Some(w) if total <= w => out.push(s),
            Some(w) => {
                // The row is the shortest tail that makes up the width; lines before it
                // are rows of their own.
                let mut acc = 0;
                let mut cut = None;
                for k in s.clone().rev() {
                    acc += lines.get(k).map_or(0, |l| bars(l));
                    if acc == w {
                        cut = Some(k);
                        break;
                    }
                    if acc > w {
                        break;
                    }
                }
                match cut {
                    Some(k) => {
                        singles(s.start..k, &mut out);
                        out.push(k..s.end);
                    }
                    None => singles(s, &mut out),
                }
            }
            None => singles(s, &mut out),
        }
    }
    singles(start..lines.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[&str]) -> Vec<Vec<String>> {
        rows(lines)
            .into_iter()
            .map(|r| r.into_iter().map(|c| c.text).collect())
            .collect()
    }

    #[test]
    fn a_row_broken_over_lines_is_joined_up_to_the_grid_width() {
        let lines = [
            "自评表 | |||||",
            "资金 (万元) |",
            "年初预算数 | 执行数 | 得分 | ||",
            "总额 | 10 | 9 | 1 | ||",
        ];
        assert_eq!(
            texts(&lines),
            vec![
                vec!["自评表"],
                vec!["资金 (万元)", "年初预算数", "执行数", "得分"],
                vec!["总额", "10", "9", "1"],
            ]
        );
    }

    #[test]
    fn framed_rows_keep_their_empty_cells() {
        // Invented: a converter's Markdown table, empty 全年 and 执行率 cells, a rule line.
        let lines = [
            "| 项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 执行率 |",
            "|---|---|:-:|---|---|",
            "| 年度资金总额 | 80 |  | 76 |  |",
        ];
        assert_eq!(
            texts(&lines),
            vec![
                vec![
                    "项目资金",
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "执行率"
                ],
                vec!["年度资金总额", "80", "", "76", ""],
            ]
        );
        // One line not framed: the dump's `text |` convention reads the block.
        assert_eq!(
            texts(&["| 总额 | 10 |", "执行数 | 9 | ||"]),
            vec![vec!["", "总额", "10", "执行数", "9"]]
        );
    }

    #[test]
    fn one_cell_a_line_with_padding_lines() {
        let lines = [
            "发文单位: | 某某局 | 发布日期: |",
            "项目名称 |",
            "维护费 |",
            "|||",
            "主管部门 |",
            "|",
            "|||",
            "实施单位 |",
            "某局 |",
            "|||",
            "备注 |",
        ];
        // Width 5: the metadata line before the first row is a row of its own, and the
        // unpadded tail stays one row per line.
        assert_eq!(
            texts(&lines),
            vec![
                vec!["发文单位:", "某某局", "发布日期:"],
                vec!["项目名称", "维护费"],
                vec!["主管部门"],
                vec!["实施单位", "某局"],
                vec!["备注"],
            ]
        );
    }

    #[test]
    fn without_padding_every_line_is_a_row() {
        let lines = ["| 质量指标 | 合格率 | 10 |", "| 时效指标 | 及时率 | 5 |"];
        assert_eq!(
            texts(&lines),
            vec![
                vec!["质量指标", "合格率", "10"],
                vec!["时效指标", "及时率", "5"]
            ]
        );
    }

    #[test]
    fn padding_is_told_from_an_empty_cell() {
        assert!(padded("a | b | |||"));
        assert!(padded("|||"));
        assert!(!padded("a | b |"));
        assert!(!padded("|"));
    }
}
