//! Tokenizer and assembler for indicator rows flattened into one line by a document host:
//! `指标7:建立预防接种证 221人 221人 2 2 指标8:适龄儿童疫苗接种率 100.00% 97.30% 2 1.9 …`, with
//! no row ends and the header words scattered earlier on the line.
//!
//! The line is cut at its `指标N:` marks. A piece is a row only when it is a name followed by
//! exactly four words — target, actual, then two plain numbers for points and score (the
//! score no higher than the points) — in the order the line's own header words give; a level
//! word cut from the next row may trail the score. Any other piece (values detached from
//! their names, a name cut by the page) is left out: never guessed. The line stays text for
//! the other rules; the rows are added beside it.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::document::Cell;
use crate::normalize::text::squash;
use crate::recover::stream::is_points;
use crate::rules::{column_of, is_level1, is_level2, IndicatorColumn as Col, INDICATOR_COLUMNS};

/// The mark that opens a row: `指标7:`, `指标 12：`.
static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"指标\s*\d{1,3}\s*[:：]").expect("static regex"));

/// Fewer marked rows than this on a line are a sentence that names indicators, not a table.
const MIN_ROWS: usize = 2;

/// The columns a flattened row holds, in this order.
const ORDER: [Col; 5] = [Col::Name, Col::Target, Col::Actual, Col::Weight, Col::Score];

/// The level columns, named on the line or not.
const LEVELS: [Col; 2] = [Col::Level1, Col::Level2];

/// A level word, with or without its 指标 (`生态效益`).
fn is_level(word: &str) -> bool {
    let w = squash(word);
    let full = if w.ends_with("指标") {
        w.clone()
    } else {
        format!("{w}指标")
    };
    is_level1(&full) || is_level2(&full)
}

/// Points: a plain number up to 100.
fn points(word: &str) -> Option<Decimal> {
    let v: Decimal = word.parse().ok().filter(|_| is_points(word))?;
    (v <= Decimal::from(100)).then_some(v)
}

/// The line's header words for the five columns, in [`ORDER`]: the first word naming each
/// column. `None` unless every column is named.
fn header(line: &str) -> Option<Vec<String>> {
    let mut found: Vec<(usize, Col, String)> = Vec::new();
    for (at, word) in line.split_whitespace().enumerate() {
        let w = squash(word);
        if w.chars().count() > 8 {
            continue;
        }
        let Some(col) = column_of(&INDICATOR_COLUMNS, &w).map(|r| r.column) else {
            continue;
        };
        if (ORDER.contains(&col) || LEVELS.contains(&col))
            && !found.iter().any(|(_, c, _)| *c == col)
        {
            found.push((at, col, w));
        }
    }
    // The words may stand anywhere (a host scatters them); the rows keep the template's order.
    // Level columns the line names lead the header; their cells stay empty (never written).
    let word = |col: &Col| {
        found
            .iter()
            .find(|(_, c, _)| c == col)
            .map(|(_, _, w)| w.clone())
    };
    let levels = LEVELS.iter().filter_map(&word);
    let cols: Option<Vec<String>> = ORDER.iter().map(word).collect();
    Some(levels.chain(cols?).collect())
}

/// One marked piece as a row, when it is a name and exactly four values that fit.
fn row(piece: &str) -> Option<Vec<String>> {
    let mut words: Vec<&str> = piece.split_whitespace().collect();
    // A mark written apart from its name (`指标3: 培训人次`).
    if words.len() > 1 && words.first().is_some_and(|w| w.ends_with([':', '：'])) {
        let name = words.drain(..2).collect::<String>();
        return row_of(name, &words);
    }
    let name = (*words.first()?).to_string();
    row_of(name, words.get(1..)?)
}

fn row_of(name: String, values: &[&str]) -> Option<Vec<String>> {
    let values = match values {
        [v @ .., last] if values.len() == 5 && is_level(last) => v,
        v => v,
    };
    let [target, actual, weight, score] = values else {
        return None;
    };
    let (w, s) = (points(weight)?, points(score)?);
    if s > w {
        return None;
    }
    Some(
        [name.as_str(), target, actual, weight, score]
            .iter()
            .map(|t| t.to_string())
            .collect(),
    )
}

/// The rows of a flattened indicator run on line `start`, its header first; the line is left
/// to be read as text (the end returned is `start`).
pub fn table_at(lines: &[&str], start: usize) -> Option<(Vec<Vec<Cell>>, usize)> {
    let line = lines.get(start)?;
    let marks: Vec<usize> = MARK.find_iter(line).map(|m| m.start()).collect();
    if marks.len() < MIN_ROWS {
        return None;
    }
    let head = header(line)?;
    let levels = head.len() - ORDER.len();
    let mut rows: Vec<Vec<Cell>> = vec![head.into_iter().map(Cell::text).collect()];
    for (k, &at) in marks.iter().enumerate() {
        let end = marks.get(k + 1).copied().unwrap_or(line.len());
        if let Some(r) = line.get(at..end).and_then(row) {
            let empty = std::iter::repeat_n(String::new(), levels);
            rows.push(empty.chain(r).map(Cell::text).collect());
        }
    }
    (rows.len() > MIN_ROWS).then_some((rows, start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Vec<Vec<String>> {
        let end = table_at(&[line], 0).map_or(0, |(_, end)| end);
        assert_eq!(end, 0, "the line stays text");
        crate::recover::assembled(table_at, line)
    }

    #[test]
    fn marked_rows_of_four_values_are_read() {
        // Invented: header words early on the line, a detached piece, a cut level word.
        let line = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 指标1:培训 分值 得分 120人次 5 5 \
                    指标3:培训人次 120人次 135人次 5 5 指标4:宣传册发放 2000份 2300份 5 4.5 \
                    指标5:群众满意度 ≥90% 93% 10 10 生态效益";
        assert_eq!(
            run(line),
            vec![
                vec![
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分"
                ],
                vec!["", "", "指标3:培训人次", "120人次", "135人次", "5", "5"],
                vec!["", "", "指标4:宣传册发放", "2000份", "2300份", "5", "4.5"],
                vec!["", "", "指标5:群众满意度", "≥90%", "93%", "10", "10"],
            ]
        );
    }

    #[test]
    fn without_the_header_words_or_with_a_score_above_its_points_nothing_is_read() {
        let bare = "指标1: 巡河 48次 52次 15 15 指标2:保洁 95% 97% 10 9 指标3:清淤 3处 3处 5 5";
        assert_eq!(run(bare), Vec::<Vec<String>>::new());
        let over =
            "三级指标 指标值 完成值 分值 得分 指标1: 巡河 48次 52次 15 16 指标2:保洁 95% 97% 10 19";
        assert_eq!(run(over), Vec::<Vec<String>>::new());
        let with_header =
            "三级指标 指标值 完成值 分值 得分 指标1: 巡河 48次 52次 15 15 指标2:保洁 95% 97% 10 9";
        assert_eq!(run(with_header).len(), 3);
    }
}
