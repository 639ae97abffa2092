//! A scoring rubric (部门整体支出绩效评价指标表 / 得分表) as PDF-to-text leaves it: the cells of
//! each row run on over line breaks, in column order, with no row ends:
//!
//! ```text
//! 一级指标 得分 二级指标 得分 三级指标 得分 评价标准 指标说明 得分 投入
//! 16 预算配置
//! 16 在职人员控制率
//! 8 以100%为标准…计8分; 本单位…比率为95.10%.
//! 8 三公经费 变动率 …
//! ```
//!
//! or with each heading's points in brackets (`部门决 策(25 分) 目标任务(15 分) 相关性(5 分)⏎5
//! 明确性(5 分)⏎5 …`). Unlike the 自评表 (`stream`, `spaced`), a rubric has no 年度指标值 /
//! 实际完成值 columns, so nothing but names and points marks where a row starts. The header
//! says which cells a row has; a row is rebuilt only where the cells read as that header
//! says, in order:
//! - a *pair* is a name (words of Chinese only, a space inside allowed: `三公经费 变动率`)
//!   with its points, in brackets or as the number after it;
//! - a row starts with one to three pairs: the last is the 三级指标 and its 分值, the ones
//!   before it the 一级 and 二级 headings (one: 二级; two: both), carried down to later rows;
//! - its 得分 is the next number when the header has no text columns; else the first number
//!   after the text columns that is no more than the 分值 and followed by the next row's pair
//!   (a number inside the text, `年初预算为1922.76`, is never taken: it is glued to words, or
//!   above the 分值, or no pair follows it). A last row whose 得分 was cut off keeps it empty.
//!
//! A score above its 分值, or more than three pairs in a run, means the cells were not read as
//! the header says: the block gives no rows at all. The lines stay paragraphs for the prose
//! rules either way; the rebuilt rows are a table beside them (`一级指标 二级指标 三级指标 分值
//! 得分`).

use std::sync::LazyLock;

use regex::Regex;

use crate::document::Cell;
use crate::normalize::text::{fold_widths, is_han};
use crate::recover::stream::is_points;
use crate::rules::{IndicatorColumn as Col, INDICATOR_COLUMNS, RUBRIC_COLUMNS as TEXT_COLUMNS};

/// Where a rubric header can start: 一级指标, a space allowed between any two characters.
static LEVEL1_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"一\s*级\s*指\s*标").expect("static regex"));

/// Points in brackets after a name: `相关性(5 分)`, `产出指标 (50分)`.
static BRACKET_POINTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(\d{1,3}(?:\.\d+)?)\s*分\s*[)）]").expect("static regex")
});

/// Marks bracketed points inside a word once [`BRACKET_POINTS`] has been applied.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// A run holds at most 一级, 二级 and 三级: more pairs in a row are a misreading.
const MAX_RUN: usize = 3;
/// Lines read after a header at most: a rubric is a page or two, and a bound keeps a text
/// of many header lines linear.
const MAX_LINES: usize = 400;
/// Words in one name at most (`三公经费 变动率`, `部门决 策`).
const MAX_NAME_WORDS: usize = 3;

/// What a header cell of a rubric holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Level1,
    Level2,
    Name,
    /// 分值 / 权重 (`false`) or 得分 (`true`).
    Points(bool),
    Text,
}

/// The column a header word names (the whole word, as the header writes it); `Err` for a
/// 自评表 column (target or actual), which means the table is not a rubric.
fn column(word: &str) -> Result<Option<Column>, ()> {
    if TEXT_COLUMNS.contains(&word) {
        return Ok(Some(Column::Text));
    }
    let rule = INDICATOR_COLUMNS
        .iter()
        .find(|r| r.aliases.iter().any(|a| a == word));
    Ok(match rule.map(|r| r.column) {
        Some(Col::Level1) => Some(Column::Level1),
        Some(Col::Level2) => Some(Column::Level2),
        Some(Col::Name) => Some(Column::Name),
        Some(Col::Weight) => Some(Column::Points(false)),
        Some(Col::Score) => Some(Column::Points(true)),
        Some(Col::Note) => Some(Column::Text),
        Some(_) => return Err(()),
        None => None,
    })
}

/// Whether `pending` can still grow into a header word.
fn is_header_prefix(pending: &str) -> bool {
    INDICATOR_COLUMNS
        .iter()
        .flat_map(|r| r.aliases.iter().map(String::as_str))
        .chain(TEXT_COLUMNS.iter().copied())
        .any(|w| w.starts_with(pending))
}

/// One word after the header.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A plain number.
    Num(String),
    /// Chinese words only: part of a name. `joined` when one space (on the same line) sets
    /// it off from the word before: a name broken by a space (`三公经费 变动率`), where a run
    /// of spaces is a gap between columns.
    Name { text: String, joined: bool },
    /// Points in brackets, ending the name before them.
    Points(String),
    /// Anything else: text of a text column.
    Text,
}

fn is_name(word: &str) -> bool {
    word.chars().any(is_han)
        && word
            .chars()
            .all(|c| is_han(c) || matches!(c, '、' | '★' | '·'))
}

/// The words of one line, bracketed points split off the name they follow.
fn tokens(line: &str, at: usize, out: &mut Vec<(Tok, usize)>) {
    let marked = BRACKET_POINTS.replace_all(line, format!("  {OPEN}$1{CLOSE}  ").as_str());
    let mut end = None;
    for word in marked.split_whitespace() {
        // Where the word starts: the first search from the last word's end finds it.
        let from = end.unwrap_or(0);
        let start = marked
            .get(from..)
            .and_then(|rest| rest.find(word))
            .map_or(from, |i| from + i);
        let joined = end.is_some_and(|e| {
            marked
                .get(e..start)
                .is_some_and(|gap| gap.chars().count() == 1)
        });
        end = Some(start + word.len());
        let tok = if let Some(p) = word.strip_prefix(OPEN).and_then(|w| w.strip_suffix(CLOSE)) {
            Tok::Points(p.to_string())
        } else if is_points(word) {
            Tok::Num(word.to_string())
        } else if is_name(word) {
            Tok::Name {
                text: word.to_string(),
                joined,
            }
        } else {
            Tok::Text
        };
        out.push((tok, at));
    }
}

/// A name with its points.
#[derive(Debug, Clone, PartialEq)]
struct Pair {
    name: String,
    points: String,
    bracketed: bool,
}

impl Pair {
    /// The heading as written, its bracketed points kept for the level-1 weight.
    fn heading(&self) -> String {
        if self.bracketed {
            format!("{}({}分)", self.name, self.points)
        } else {
            self.name.clone()
        }
    }
}

/// The pair starting at `k`, and the token after it.
fn pair(toks: &[(Tok, usize)], k: usize) -> Option<(Pair, usize)> {
    let mut names = Vec::new();
    let mut j = k;
    while let Some((Tok::Name { text, joined }, _)) = toks.get(j) {
        if !names.is_empty() && !joined {
            break; // a column gap: the next name is another cell
        }
        names.push(text.as_str());
        j += 1;
    }
    if names.is_empty() || names.len() > MAX_NAME_WORDS {
        return None;
    }
    let (points, bracketed) = match toks.get(j) {
        Some((Tok::Points(p), _)) => (p.clone(), true),
        Some((Tok::Num(n), _)) => (n.clone(), false),
        _ => return None,
    };
    let name = names.join(" ");
    Some((
        Pair {
            name,
            points,
            bracketed,
        },
        j + 1,
    ))
}

/// A number of points: ASCII or full-width digits.
fn value(s: &str) -> Option<f64> {
    fold_widths(s)
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=100.0).contains(v))
}

/// The rubric's columns after 三级指标, from the header that starts at 一级指标 in `line`;
/// and the byte where the header ends.
fn header(line: &str) -> Option<(Vec<Column>, usize)> {
    let start = LEVEL1_HEADER.find(line)?.start();
    let rest = line.get(start..)?;
    let mut cols = Vec::new();
    let mut pending = String::new();
    let (mut end, mut offset) = (0, 0);
    for word in rest.split_whitespace() {
        offset += rest.get(offset..)?.find(word)? + word.len();
        pending.push_str(word);
        match column(&pending).ok()? {
            Some(c) => {
                cols.push(c);
                pending.clear();
                end = offset;
            }
            None if is_header_prefix(&pending) => {}
            None => break,
        }
    }
    // A 自评表 column further on (`年度指标值` after a broken header) is not a rubric either.
    if rest
        .get(end..)?
        .split_whitespace()
        .any(|w| column(w).is_err())
    {
        return None;
    }
    let name = cols.iter().position(|c| *c == Column::Name)?;
    if !cols.contains(&Column::Level1) {
        return None;
    }
    let post = cols.get(name + 1..)?.to_vec();
    if !post.iter().any(|c| matches!(c, Column::Points(_))) {
        return None;
    }
    Some((post, start + end))
}

/// A cheap test before [`block`]: a line that may hold a rubric header.
pub fn may_start(line: &str) -> bool {
    line.contains('级') && LEVEL1_HEADER.is_match(line)
}

/// The rubric whose header is on `lines[start]`: its rows (header first) and the first line
/// after the last one they were read from; `None` when the line holds no rubric or its cells
/// do not read as its header says.
pub fn block(lines: &[&str], start: usize) -> Option<(Vec<Vec<Cell>>, usize)> {
    let first = lines.get(start)?;
    let (post, after) = header(first)?;
    let mut toks = Vec::new();
    tokens(first.get(after..)?, start, &mut toks);
    for (i, line) in lines.iter().enumerate().skip(start + 1).take(MAX_LINES) {
        tokens(line, i, &mut toks);
    }
    let points_cols = post
        .iter()
        .filter(|c| matches!(c, Column::Points(_)))
        .count();
    let has_text = post.contains(&Column::Text);
    let mut rows = vec![["一级指标", "二级指标", "三级指标", "分值", "得分"]
        .iter()
        .map(|w| Cell::text(*w))
        .collect::<Vec<_>>()];
    let (mut level1, mut level2) = (String::new(), String::new());
    let mut k = 0;
    let mut last = start;
    loop {
        let mut run = Vec::new();
        while let Some((p, next)) = pair(&toks, k) {
            run.push(p);
            k = next;
            if run.len() > MAX_RUN {
                return None;
            }
        }
        let Some(ind) = run.pop() else { break };
        if let Some(line) = toks.get(k.saturating_sub(1)).map(|t| t.1) {
            last = line;
        }
        match run.as_slice() {
            [l1, l2] => (level1, level2) = (l1.heading(), l2.name.clone()),
            [l2] => level2 = l2.name.clone(),
            _ => {}
        }
        // Where the pair's own number stands: 分值 unless the header's only points column
        // after the name is 得分.
        let (weight, mut score) = match (ind.bracketed, post.first()) {
            (true, _) => (Some(ind.points.clone()), None),
            (false, Some(Column::Points(true))) if points_cols == 1 => {
                (None, Some(ind.points.clone()))
            }
            (false, Some(Column::Points(_))) => (Some(ind.points.clone()), None),
            (false, _) => return None,
        };
        let wants_score = score.is_none() && (points_cols >= 2 || ind.bracketed);
        if wants_score {
            if has_text {
                // Past the text columns: a number no higher than the weight, then the next
                // row's pair (or the end).
                let found = (k..toks.len()).find(|&j| match toks.get(j) {
                    Some((Tok::Num(n), _)) => {
                        fits(n, weight.as_deref())
                            && (j + 1 == toks.len() || pair(&toks, j + 1).is_some())
                    }
                    _ => false,
                });
                match found {
                    Some(j) => {
                        score = toks.get(j).map(|t| num(&t.0));
                        last = toks.get(j).map_or(last, |t| t.1);
                        k = j + 1;
                    }
                    None => k = toks.len(),
                }
            } else if let Some((Tok::Num(n), line)) = toks.get(k) {
                score = Some(n.clone());
                last = *line;
                k += 1;
            }
        }
        if weight.as_deref().is_some_and(|w| value(w).is_none())
            || score
                .as_deref()
                .is_some_and(|s| !fits(s, weight.as_deref()))
        {
            return None;
        }
        rows.push(
            [
                level1.clone(),
                level2.clone(),
                ind.name,
                weight.unwrap_or_default(),
                score.unwrap_or_default(),
            ]
            .into_iter()
            .map(Cell::text)
            .collect(),
        );
    }
    (rows.len() > 2).then_some((rows, last + 1))
}

fn num(t: &Tok) -> String {
    match t {
        Tok::Num(n) => n.clone(),
        _ => String::new(),
    }
}

/// A score that fits under its weight (any score up to 100 when the weight is unknown).
fn fits(score: &str, weight: Option<&str>) -> bool {
    match (value(score), weight.map(value)) {
        (Some(s), Some(Some(w))) => s <= w,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::texts;

    fn read(text: &str) -> Option<Vec<Vec<String>>> {
        let lines: Vec<&str> = text.lines().collect();
        let (rows, _) = block(&lines, 0)?;
        Some(
            texts(&rows)
                .into_iter()
                .map(|r| r.into_iter().map(str::to_string).collect())
                .collect(),
        )
    }

    #[test]
    fn bracketed_points_and_scores_on_the_next_line() {
        let rows = read(
            "2019 年度评价得分表 一级 指标 二级指标 三级指标 得分 履职效 能(30 分) 职责履行(20 分) 重点工作完成率(10 分)\n\
             9 重点工作及时率(10 分)\n\
             10 预算管理(10 分) 预算编制准确率(10 分)\n\
             8 附件:",
        )
        .expect("a rubric");
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[1],
            ["履职效 能(30分)", "职责履行", "重点工作完成率", "10", "9"]
        );
        assert_eq!(
            rows[2],
            ["履职效 能(30分)", "职责履行", "重点工作及时率", "10", "10"]
        );
        assert_eq!(
            rows[3],
            ["履职效 能(30分)", "预算管理", "预算编制准确率", "10", "8"]
        );
    }

    #[test]
    fn weights_then_text_columns_then_scores() {
        let rows = read(
            "绩效评价指标表 一级指标 分值 二级指标 分值 三级指标 分值 评分标准 指标解释 得分 产出\n\
             40 数量\n\
             20 培训完成率\n\
             10 完成率≥95%,计10分; 全年培训1200人次,完成率96%.\n\
             10 宣传覆盖 面\n\
             10 覆盖面每低1个百分点扣1分. 覆盖12个村,年初预算为 3580.5 万元\n\
             7 质量\n\
             20 验收合格率\n\
             10 合格率100%计满分;",
        )
        .expect("a rubric");
        assert_eq!(rows[1], ["产出", "数量", "培训完成率", "10", "10"]);
        assert_eq!(rows[2], ["产出", "数量", "宣传覆盖 面", "10", "7"]);
        // The level-2 heading alone opens a new group; the cut-off row keeps an empty score.
        assert_eq!(rows[3], ["产出", "质量", "验收合格率", "10", ""]);
    }

    #[test]
    fn columns_set_apart_by_runs_of_spaces_are_left_to_the_column_reader() {
        // A rubric laid out in columns: each cell is its own column, not a name and points.
        assert!(read(
            "一级指标     二级指标     三级指标        分值   得分\n\
             投入         预算配置     在职人员控制率   10     9\n\
             过程         预算执行     预算完成率       10     10"
        )
        .is_none());
    }

    #[test]
    fn a_score_above_its_weight_gives_no_rows() {
        assert!(read(
            "一级指标 二级指标 三级指标 得分 决策(20 分) 目标(10 分) 相关性(5 分)\n\
             8 明确性(5 分)\n5"
        )
        .is_none());
    }

    #[test]
    fn target_columns_are_not_a_rubric() {
        assert!(read("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标 培训人数 100人 120人 10 10").is_none());
    }

    #[test]
    fn prose_naming_the_levels_is_not_a_rubric() {
        assert!(
            read("按照一级指标、二级指标和三级指标的得分情况,本单位自评得分 92 分。").is_none()
        );
    }
}
