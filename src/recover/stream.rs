//! A whole form flattened into one line, every cell separated by one space (text taken from a
//! `.docx` by a document host): `… 项目资金 (万元) 年初预算数 全年预算数 … 年度资金总额: 0 0 0 10
//! 0 0 其中:本年财政拨款 90 89.974 89.974 … 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值
//! 得分 … 产出指标(50分) 数量指标 基建工程委托业务项目数量 ≥50个 50 8 8 质量指标 …`.
//!
//! Such a line holds no row ends, and a cell with a space inside reads as two cells, so rows
//! are rebuilt only where the vocabulary and the numbers settle them:
//! - the budget block: a header run of budget column words (`rules/budget_columns.tsv`), then
//!   rows of a label naming funds (`rules/budget_rows.txt`) followed by its figures;
//! - the indicator block: a header run starting 一级指标 二级指标 三级指标; level-1 headings
//!   (`rules/level1.txt`, with their points) and level-2 headings (`rules/level2.txt`) split the rest into
//!   groups, and a group is read only when its words fall into rows of exactly the header's
//!   cells with numbers under 分值 and 得分. A group that does not (a cell with a space, a note
//!   filled in) yields no rows: it is never guessed.
//!
//! Everything else on the line stays text.

use crate::document::Cell;
use crate::normalize::numbers::scan;
use crate::normalize::text::{fold_width, squash};
use crate::recover::spaced;
use crate::rules::columns::BUDGET_ROWS;
use crate::rules::{
    column_of, is_level1, is_level2, IndicatorColumn as Col, BUDGET_COLUMNS, INDICATOR_COLUMNS,
};

/// Fewer words than this are a sentence, not a flattened form.
const MIN_WORDS: usize = 20;
/// A word longer than this (in characters) is prose: it ends a block.
const MAX_CELL: usize = 60;

/// One piece of a flattened line, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    /// Rows of a table; `spaced` when empty cells left no trace (the budget block).
    Table {
        rows: Vec<Vec<Cell>>,
        spaced: bool,
    },
}

/// The pieces of `line`, or `None` when it holds no block this module rebuilds.
pub fn split(line: &str) -> Option<Vec<Piece>> {
    if line.contains(['|', '｜', '\t']) {
        return None;
    }
    let words = spaced::tokens(line);
    if words.len() < MIN_WORDS {
        return None;
    }
    let indicators = indicator_header(&words);
    let budget = budget_header(&words, indicators.unwrap_or(words.len()));
    if indicators.is_none() && budget.is_none() {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 0;
    if let Some((label, start, end)) = budget {
        text(&mut out, words.get(at..label));
        let (rows, next) = budget_rows(&words, label, start, end);
        out.push(Piece::Table { rows, spaced: true });
        at = next;
    }
    if let Some(start) = indicators.filter(|&s| s >= at) {
        text(&mut out, words.get(at..start));
        let (rows, next) = indicator_rows(&words, start);
        if rows.len() > 1 {
            out.push(Piece::Table {
                rows,
                spaced: false,
            });
            at = next;
        } else {
            at = start;
        }
    }
    text(&mut out, words.get(at..));
    Some(out)
}

fn text(out: &mut Vec<Piece>, words: Option<&[&str]>) {
    if let Some(w) = words.filter(|w| !w.is_empty()) {
        out.push(Piece::Text(w.join(" ")));
    }
}

fn cells(words: &[&str]) -> Vec<Cell> {
    words.iter().map(|w| Cell::text(*w)).collect()
}

/// A figure cell: one number filling the word (`89.974`, `100%`, `10分`), or a dash.
fn is_figure(word: &str) -> bool {
    let t = squash(word);
    if matches!(t.as_str(), "—" | "-" | "——" | "/" | "－") {
        return true;
    }
    let ms = scan(&t);
    matches!(ms.as_slice(), [m] if m.start == 0 && t.chars().count() <= m.end + 2)
}

/// A plain number (points under 分值 / 得分).
pub(crate) fn is_points(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .map(fold_width)
            .all(|c| c.is_ascii_digit() || c == '.')
        && word.chars().count() <= 6
}

/// Where the indicator header run starts: `一级指标 二级指标 三级指标`.
fn indicator_header(words: &[&str]) -> Option<usize> {
    words.windows(3).position(|w| {
        matches!(w, [a, b, c] if a.contains("一级指标") && b.contains("二级指标") && c.contains("三级指标"))
    })
}

/// The budget block's header: (label word, first column word, end of the run), for the
/// first run of three or more budget column words before `limit`.
fn budget_header(words: &[&str], limit: usize) -> Option<(usize, usize, usize)> {
    let is_col = |w: &str| w.chars().count() <= 16 && column_of(&BUDGET_COLUMNS, w).is_some();
    let mut i = 0;
    while i < limit {
        let run = words
            .get(i..limit)
            .unwrap_or_default()
            .iter()
            .take_while(|w| is_col(w))
            .count();
        if run >= 3 {
            // The header's first cell: the words before the run that name the funds and their
            // unit (`项目资金 (万元)`).
            let unit = |w: &&str| w.starts_with(['(', '（']) && w.contains('元');
            let mut label = i;
            if label > 0 && words.get(label - 1).is_some_and(unit) {
                label -= 1;
            }
            if label > 0 && words.get(label - 1).is_some_and(|w| w.contains("资金")) {
                label -= 1;
            }
            return Some((label, i, i + run));
        }
        i += run.max(1);
    }
    None
}

/// The budget block's rows: the header (its label cell, then the column words) and each
/// fund row (label, figures); ends at the first word that is neither.
fn budget_rows(words: &[&str], label: usize, start: usize, end: usize) -> (Vec<Vec<Cell>>, usize) {
    let width = end - start;
    let mut header = vec![Cell::text(
        words.get(label..start).unwrap_or_default().concat(),
    )];
    header.extend(cells(words.get(start..end).unwrap_or_default()));
    let mut rows = vec![header];
    let mut i = end;
    while let Some(w) = words.get(i) {
        if is_figure(w) || !BUDGET_ROWS.iter().any(|k| w.contains(k)) {
            break;
        }
        let figures = words
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take(width)
            .take_while(|w| is_figure(w))
            .count();
        rows.push(cells(words.get(i..i + 1 + figures).unwrap_or_default()));
        i += 1 + figures;
    }
    (rows, i)
}

/// Which header cells are data columns of a row group (from 三级指标 on, before a trailing
/// note column) and which of those must hold points.
struct Layout {
    header: usize,
    levels: usize,
    data: usize,
    points: Vec<usize>,
}

fn layout(header: &[&str]) -> Option<Layout> {
    let names: Vec<Option<Col>> = header
        .iter()
        .map(|w| column_of(&INDICATOR_COLUMNS, &squash(w)).map(|r| r.column))
        .collect();
    let levels = names.iter().position(|n| *n == Some(Col::Name))?;
    let notes = names
        .iter()
        .rev()
        .take_while(|n| **n == Some(Col::Note))
        .count();
    let data = names.len().checked_sub(levels + notes)?;
    let points: Vec<usize> = names
        .get(levels..levels + data)?
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n, Some(Col::Weight | Col::Score)))
        .map(|(i, _)| i)
        .collect();
    (levels == 2 && !points.is_empty()).then_some(Layout {
        header: header.len(),
        levels,
        data,
        points,
    })
}

/// The indicator block's rows (header first) and the first word after the block.
fn indicator_rows(words: &[&str], start: usize) -> (Vec<Vec<Cell>>, usize) {
    let hlen = words
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|w| {
            w.chars().count() <= 16 && column_of(&INDICATOR_COLUMNS, &squash(w)).is_some()
        })
        .count();
    let header = words.get(start..start + hlen).unwrap_or_default();
    let Some(lay) = layout(header) else {
        return (Vec::new(), start);
    };
    let mut rows = vec![cells(header)];
    let (mut level1, mut level2) = (String::new(), String::new());
    // Whether the form writes points after its level-1 headings: then a heading without
    // them (`成本指标` under 产出指标) is a level 2.
    let mut weighted = false;
    let mut group: Vec<&str> = Vec::new();
    let mut i = start + hlen;
    while let Some(&w) = words.get(i) {
        let stop = w.chars().count() > MAX_CELL || w.contains("总分") || w.contains("合计");
        let (core, points) = crate::normalize::text::split_points(w);
        // A word of both levels (`成本指标`) right after a level-1 heading is its level 2.
        let under_level1 =
            i > start + hlen && words.get(i - 1).is_some_and(|p| *p == level1) && level2.is_empty();
        let level1_word =
            is_level1(&core) && (points.is_some() || !weighted) && !(under_level1 && is_level2(w));
        if stop || level1_word || is_level2(w) {
            flush(&mut rows, &mut group, &lay, &level1, &level2);
        }
        if stop {
            break;
        }
        if level1_word {
            weighted |= points.is_some();
            level1 = w.to_string();
            level2.clear();
        } else if is_level2(w) {
            level2 = w.to_string();
        } else {
            group.push(w);
        }
        i += 1;
    }
    flush(&mut rows, &mut group, &lay, &level1, &level2);
    (rows, i)
}

/// Rows of one group, when its words fill whole rows with points where points go.
fn flush(
    rows: &mut Vec<Vec<Cell>>,
    group: &mut Vec<&str>,
    lay: &Layout,
    level1: &str,
    level2: &str,
) {
    let words = std::mem::take(group);
    if words.is_empty() || words.len() % lay.data != 0 || level1.is_empty() {
        return;
    }
    let fits = words.chunks(lay.data).all(|c| {
        c.first().is_some_and(|n| !is_figure(n))
            && lay
                .points
                .iter()
                .all(|&p| c.get(p).is_some_and(|w| is_points(w)))
    });
    if !fits {
        return;
    }
    for chunk in words.chunks(lay.data) {
        let mut row = vec![Cell::text(level1), Cell::text(level2)];
        row.extend(cells(chunk));
        row.resize_with(lay.header.max(lay.levels + lay.data), || Cell::text(""));
        rows.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::texts;

    const FORM: &str = "附件: 项目支出绩效自评表 (2022年度) 项目名称 某项目 项目资金 (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 20 20 18 10 90% 9 其中:当年财政拨款 20 20 18 上年结转资金 其他资金 年度总体目标 预期目标 实际完成情况 完成目标 已完成 绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) 数量指标 改造户数 ≥50户 52户 20 20 质量指标 验收合格率 100% 100% 15 15 成本指标 总成本 ≤20万元 18万元 15 15 效益指标(30分) 社会效益指标 群众受益 明显 达到预期指标 30 28 满意度指标(20分) 满意度指标 群众满意度 ≥90% 95% 20 20 总分 100 98 优秀";

    #[test]
    fn a_flattened_form_gives_its_budget_and_indicator_rows() {
        let Some(pieces) = split(FORM) else {
            panic!("not split")
        };
        let tables: Vec<(Vec<Vec<&str>>, bool)> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Table { rows, spaced } => Some((texts(rows), *spaced)),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(tables.len(), 2);
        let (budget, spaced) = &tables[0];
        assert!(*spaced);
        assert_eq!(
            budget[0],
            vec![
                "项目资金(万元)",
                "年初预算数",
                "全年预算数",
                "全年执行数",
                "分值",
                "执行率",
                "得分"
            ]
        );
        assert_eq!(
            budget[1],
            vec!["年度资金总额:", "20", "20", "18", "10", "90%", "9"]
        );
        assert_eq!(budget[2], vec!["其中:当年财政拨款", "20", "20", "18"]);
        assert_eq!(budget.len(), 5);
        let (ind, _) = &tables[1];
        assert_eq!(ind.len(), 6);
        assert_eq!(
            ind[3],
            vec![
                "产出指标(50分)",
                "成本指标",
                "总成本",
                "≤20万元",
                "18万元",
                "15",
                "15",
                ""
            ]
        );
        assert_eq!(
            ind[5],
            vec![
                "满意度指标(20分)",
                "满意度指标",
                "群众满意度",
                "≥90%",
                "95%",
                "20",
                "20",
                ""
            ]
        );
        // What is not a table stays text, in order, and nothing is lost.
        let Some(Piece::Text(last)) = pieces.last() else {
            panic!("no trailing text")
        };
        assert_eq!(last, "总分 100 98 优秀");
    }

    #[test]
    fn a_group_that_does_not_fill_whole_rows_is_left_out() {
        // 质量指标's row has a two-word target: its group cannot be cut into rows.
        let line = FORM.replace("验收合格率 100%", "验收合格率 达到 100%");
        let Some(pieces) = split(&line) else {
            panic!("not split")
        };
        let names: Vec<String> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Table { rows, .. } if rows.len() > 1 => rows
                    .get(1..)
                    .map(|r| r.iter().filter_map(|c| c.get(2)).map(|c| c.text.clone())),
                _ => None,
            })
            .flatten()
            .collect();
        assert!(names.contains(&"改造户数".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("验收")), "{names:?}");
    }

    #[test]
    fn a_word_of_both_levels_under_a_level_1_heading_is_its_level_2() {
        // Invented: no points after the level-1 headings, each row restating its levels;
        // 成本指标 is a level 1 of newer templates and a level 2 of older ones.
        let line = format!(
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 {}",
            "产出指标 数量指标 新建公厕 ≥4座 4座 10 10 产出指标 成本指标 每座造价 ≤12万元 11.5万元 10 9 \
             成本指标 经济成本指标 材料费 ≤30万元 28万元 10 10 效益指标 社会效益指标 受益人口 ≥800人 950人 20 20"
        );
        let Some(pieces) = split(&line) else {
            panic!("not split")
        };
        let rows: Vec<Vec<&str>> = pieces
            .iter()
            .find_map(|p| match p {
                Piece::Table { rows, .. } => Some(texts(rows)),
                Piece::Text(_) => None,
            })
            .unwrap_or_default();
        let levels = |name: &str| {
            rows.iter()
                .find(|r| r.get(2) == Some(&name))
                .map(|r| (r[0], r[1]))
        };
        assert_eq!(levels("每座造价"), Some(("产出指标", "成本指标")));
        // Before a level 2 of its own, 成本指标 is the level-1 heading.
        assert_eq!(levels("材料费"), Some(("成本指标", "经济成本指标")));
    }

    #[test]
    fn short_lines_and_prose_are_not_forms() {
        assert_eq!(split("一级指标 二级指标 三级指标 分值 得分"), None);
        let prose = "本单位 全年 预算 执行 情况 良好 ".repeat(10);
        assert_eq!(split(&prose), None);
    }
}
