//! The 绩效指标 block: one row per 三级指标, with its levels carried down through merged cells.
//!
//! The header row says which columns the table has (`rules/indicator_columns.tsv`), in which
//! order. A data row with as many cells as the header is read by position. A shorter row
//! (dumps drop merged cells: the leading 一级/二级 cells of a group's later rows, and empty
//! trailing cells) is aligned by what its cells can mean: it may lack leading level cells,
//! never a cell in the middle, and the alignment must put a name where the name goes, points
//! (a plain number up to 100) under 分值/得分, and a score no higher than its weight. A row
//! that fits no alignment, or fits two that read differently, is left out: never guessed.

use rust_decimal::Decimal;

use crate::document::{Cell, Table};
use crate::extract::tables::number_in;
use crate::normalize::numbers::{is_unit_word, scan};
use crate::normalize::text::{has_digit, split_points, squash};
use crate::rules::{column_of, is_level1, is_level2, INDICATOR_COLUMNS};

/// One indicator row as read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorCells {
    pub level1: String,
    pub level1_weight: Option<Decimal>,
    pub level2: String,
    pub name: String,
    pub target: String,
    pub actual: String,
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    pub note: String,
    pub row: usize,
}

/// What a column of the 绩效指标 block holds.
pub use crate::rules::IndicatorColumn as Col;

/// The column one header cell names.
fn classify(cell: &str) -> Option<Col> {
    column_of(&INDICATOR_COLUMNS, cell).map(|r| r.column)
}

/// The header: each cell's column by position, and the columns in reading order.
#[derive(Debug, Clone, PartialEq)]
struct Header {
    by_position: Vec<Option<Col>>,
    order: Vec<Col>,
}

impl Header {
    /// Reads a header row (cells squashed). `None` unless it names 三级指标.
    fn read(cells: &[String]) -> Option<Header> {
        // The block's header starts at its 绩效指标 cell, or else at its first level column:
        // cells before it belong to the goal block a dump glued on (`实际完成情况`).
        let level = cells
            .iter()
            .position(|c| c.contains("一级") || c.contains("二级") || c.contains("三级"))?;
        let start = cells
            .get(..level)
            .and_then(|before| before.iter().rposition(|c| c.contains("绩效指标")))
            .unwrap_or(level);
        let mut by_position: Vec<Option<Col>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i < start { None } else { classify(c) })
            .collect();
        if !by_position.contains(&Some(Col::Name)) {
            return None;
        }
        // A form without level columns (`三级指标 | 年度指标值 | 实际完成值 | …`) is a header only
        // with a value column: a cell that merely mentions 三级指标 is not one.
        let levels = by_position
            .iter()
            .any(|c| matches!(c, Some(Col::Level1 | Col::Level2)));
        let values = by_position
            .iter()
            .any(|c| matches!(c, Some(Col::Target | Col::Actual)));
        if !levels && !values {
            return None;
        }
        // A split target: the 指标值 cell beside 指标性质 / 度量单位 is its value, and the
        // group sits where the target's own header cell stands.
        let split = by_position
            .iter()
            .any(|c| matches!(c, Some(Col::TargetOp | Col::TargetUnit)));
        // With one target cell only (`指标性质 | 指标值 | 度量单位`, no 年度指标值 over them), that
        // cell is the value itself.
        let targets = by_position
            .iter()
            .filter(|c| **c == Some(Col::Target))
            .count();
        let mut order: Vec<(usize, Col)> = Vec::new();
        let mut seen: Vec<Col> = Vec::new();
        let mut group_at = None;
        for (i, c) in by_position.iter_mut().enumerate() {
            let Some(col) = *c else { continue };
            if split && col == Col::Target {
                if group_at.is_none() && targets > 1 {
                    group_at = Some(i);
                    *c = None; // the group's header spans its sub-columns
                } else {
                    *c = Some(Col::TargetValue);
                }
                continue;
            }
            if seen.contains(&col) {
                *c = None; // a second 得分 (`得分计算方法`) is not another score
                continue;
            }
            seen.push(col);
            if !matches!(
                col,
                Col::Level1 | Col::Level2 | Col::Name | Col::TargetOp | Col::TargetUnit
            ) {
                order.push((i, col));
            }
        }
        if split {
            let at = group_at.unwrap_or(usize::MAX);
            for (i, c) in by_position.iter().enumerate() {
                if let Some(col @ (Col::TargetOp | Col::TargetValue | Col::TargetUnit)) = *c {
                    // Sub-columns keep their own order, placed at the group's position.
                    order.push((at.min(i), col));
                }
            }
        }
        order.sort_by_key(|&(i, c)| (i, sub_rank(c)));
        let mut cols = vec![Col::Level1, Col::Level2, Col::Name];
        cols.extend(order.into_iter().map(|(_, c)| c));
        Some(Header {
            by_position,
            order: cols,
        })
    }
}

fn sub_rank(c: Col) -> u8 {
    match c {
        Col::TargetOp => 0,
        Col::TargetValue => 1,
        Col::TargetUnit => 2,
        _ => 3,
    }
}

/// A cell that can hold points: empty, or a plain number (or `N分`) from 0 to 100.
fn is_points(text: &str) -> bool {
    if text.is_empty() || text == "—" || text == "-" || text == "/" {
        return true;
    }
    let ms = scan(text);
    match ms.as_slice() {
        [m] => {
            m.start == 0
                && m.end == text.chars().count()
                && (m.unit.is_empty() || m.unit == "分")
                && m.value >= Decimal::ZERO
                && m.value <= Decimal::from(100)
        }
        _ => false,
    }
}

/// A cell that is nothing but a number (`95%`, `10`, `≥200`).
fn is_number(text: &str) -> bool {
    let ms = scan(text);
    matches!(ms.as_slice(), [m] if m.start == 0 && m.end == text.chars().count())
}

/// Whether mapping `cells` onto `order` from column `skip` on reads as an indicator row:
/// the name's column among them, and every cell fitting its column.
fn fits(cells: &[String], order: &[Col], skip: usize) -> bool {
    order
        .get(skip..skip + cells.len())
        .is_some_and(|cols| cols.contains(&Col::Name) && fits_cols(cells, cols))
}

/// The columns a short row's cells stand in: the one alignment that fits, preferring one
/// that reaches the score column (cells are lost on the left, not before the score).
fn align(cells: &[String], order: &[Col]) -> Option<usize> {
    let fitting: Vec<usize> = (0..3).filter(|&s| fits(cells, order, s)).collect();
    // A known 一级指标 heading in the first cell is where level 1 stands.
    let heading = cells.first().is_some_and(|c| is_level1(&split_points(c).0));
    if heading && fitting.first() == Some(&0) {
        return Some(0);
    }
    let score_at = order.iter().position(|c| *c == Col::Score);
    let reaching: Vec<usize> = fitting
        .iter()
        .copied()
        .filter(|&s| score_at.is_none_or(|k| s + cells.len() > k))
        .collect();
    match (reaching.as_slice(), fitting.as_slice()) {
        ([s], _) => Some(*s),
        ([], [s]) => Some(*s),
        _ => None,
    }
}

/// A cell that is only a comparison (`=`, `﹦`, `≥`, `不低于`), as 指标性质 cells hold.
fn is_operator(text: &str) -> bool {
    const SIGNS: &str = "=＝﹦═≥≤≧≦><＞＜";
    if text.is_empty() {
        return false;
    }
    if text.chars().all(|c| SIGNS.contains(c)) {
        return true;
    }
    let probe = format!("{text}1");
    matches!(scan(&probe).as_slice(), [m] if m.start == 0 && m.end == probe.chars().count() && !m.qualifier.is_empty())
}

/// What a cell holds, for aligning a row whose empty cells left no trace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A plain number up to 100 (`10`, `8分`): what 分值 and 得分 hold.
    Points,
    /// A number with a unit, a percentage or an operator (`5.5亩`, `≥95%`).
    Quantity,
    Text,
}

fn kind(text: &str) -> Kind {
    if is_points(text) {
        Kind::Points
    } else if is_number(text) {
        Kind::Quantity
    } else {
        Kind::Text
    }
}

/// How well a cell sits in a column: points under 分值/得分 and quantities under targets
/// are what forms write; text can stand anywhere a word can.
fn affinity(k: Kind, text: &str, col: Col, prefer_weight: bool) -> u32 {
    match (k, col) {
        // In a dump that keeps no empty cells, a lone points cell is the weight rather than
        // the score: the form prints 分值 with the targets, 得分 is what an unfilled form
        // leaves empty. A grid's row that lost cells keeps the tie (left out).
        (Kind::Points, Col::Weight) if prefer_weight => 3,
        (Kind::Points, Col::Weight) => 2,
        (Kind::Points, Col::Score | Col::TargetValue) => 2,
        (Kind::Text, Col::TargetOp) if is_operator(text) => 2,
        (Kind::Text, Col::TargetUnit) if is_unit_word(text) => 2,
        (Kind::Quantity, Col::Target | Col::TargetValue | Col::Actual) => 2,
        (Kind::Text, Col::Target | Col::Actual | Col::Name) => 1,
        (Kind::Text, Col::Level2) if text.ends_with("指标") => 1,
        _ => 0,
    }
}

/// The columns of a row from a space-separated table, where an empty cell left no trace:
/// level cells may be missing at the start and any cell after the name may be missing.
/// Every assignment that keeps the cells in order and fits what each column holds is
/// weighed by [`affinity`]; the best one is taken when no other is as good.
fn align_with_gaps(cells: &[String], order: &[Col], prefer_weight: bool) -> Option<Vec<Col>> {
    let name_at = order.iter().position(|c| *c == Col::Name)?;
    let kinds: Vec<Kind> = cells.iter().map(|c| kind(c)).collect();
    let mut best: Option<(u32, Vec<Col>)> = None;
    let mut tied = false;
    // The cells before the name fill the level columns right before it, without gaps.
    for levels in 0..=name_at.min(cells.len().saturating_sub(1)) {
        let mut chosen: Vec<Col> = order
            .get(name_at - levels..=name_at)
            .unwrap_or_default()
            .to_vec();
        let rest = cells.get(levels + 1..).unwrap_or_default();
        let after: Vec<Col> = order.get(name_at + 1..).unwrap_or_default().to_vec();
        // Every way of placing the remaining cells, in order, among the later columns.
        let mut picks: Vec<usize> = (0..rest.len()).collect();
        if rest.len() > after.len() {
            continue;
        }
        loop {
            chosen.truncate(levels + 1);
            chosen.extend(picks.iter().filter_map(|&p| after.get(p).copied()));
            if fits_cols(cells, &chosen) {
                let score: u32 = cells
                    .iter()
                    .zip(&kinds)
                    .zip(&chosen)
                    .map(|((t, k), c)| affinity(*k, t, *c, prefer_weight))
                    .sum();
                match &best {
                    Some((b, _)) if score < *b => {}
                    Some((b, _)) if score == *b => tied = true,
                    _ => {
                        best = Some((score, chosen.clone()));
                        tied = false;
                    }
                }
            }
            // The next combination of rest.len() columns out of after.len().
            let Some(i) = (0..picks.len())
                .rev()
                .find(|&i| picks[i] < after.len() - picks.len() + i)
            else {
                break;
            };
            picks[i] += 1;
            for j in i + 1..picks.len() {
                picks[j] = picks[j - 1] + 1;
            }
        }
    }
    best.filter(|_| !tied).map(|(_, cols)| cols)
}

/// Whether `cells` read as an indicator row under these columns (one per cell): a level
/// where a level goes, a name that is no number, points (a score no higher than its
/// weight) under 分值/得分, no number in a note, an operator cell without digits.
fn fits_cols(cells: &[String], cols: &[Col]) -> bool {
    let mut weight = None;
    cells.iter().zip(cols).all(|(text, col)| match col {
        Col::Level1 => {
            let (name, w) = split_points(text);
            text.is_empty() || is_level1(&name) || (name.is_empty() && w.is_some())
        }
        Col::Level2 => !text.is_empty() && !is_number(text),
        Col::Name => !text.is_empty() && !is_number(text) && text != "—",
        Col::Weight => {
            weight = number_in(text);
            is_points(text)
        }
        Col::Score => {
            is_points(text)
                && match (weight, number_in(text)) {
                    (Some(w), Some(s)) => s <= w,
                    _ => true,
                }
        }
        Col::Note | Col::TargetUnit => !is_number(text),
        Col::TargetOp => !has_digit(text),
        _ => true,
    })
}

/// A row that ends the block (`总分`, `合计`, `其他需要说明事项`).
fn ends_block(cells: &[String]) -> bool {
    cells
        .iter()
        .any(|t| t.starts_with("总分") || t.starts_with("合计") || t.starts_with("其他需要说明"))
}

/// The levels and points carried from row to row.
#[derive(Default)]
struct Carry {
    /// A 一级指标 cell has been read (a heading, or bare points when the words are missing):
    /// rows before it are not taken for indicators when the table has a level-1 column.
    seen: bool,
    level1: String,
    weight1: Option<Decimal>,
    level2: String,
}

/// The 绩效指标 rows of a table whose header row names 三级指标.
pub fn indicators(t: &Table) -> Vec<IndicatorCells> {
    read(t).rows
}

/// What the indicator block of a table gave.
pub struct Read {
    pub rows: Vec<IndicatorCells>,
    /// Rows of the block (0-based) with two cells or more that no alignment could read:
    /// left out, never guessed, and shown by `inspect`.
    pub left_out: Vec<usize>,
    /// The row (0-based) of the block's first header, when the table has one.
    pub header: Option<usize>,
}

/// [`indicators`], with the rows it left out.
pub fn read(t: &Table) -> Read {
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    let mut header: Option<Header> = None;
    let mut carry = Carry::default();
    let mut skip_next = false;
    let mut first_header = None;
    for (ri, row) in t.rows.iter().enumerate() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts
            .iter()
            .any(|t| t.contains("一级") || t.contains("二级指标") || t.contains("三级指标"))
        {
            // A header split over two rows: join each cell with the one below it.
            let joined: Vec<String> = match t.rows.get(ri + 1) {
                Some(next) if !texts.iter().any(|t| t.contains("三级指标")) => texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        format!(
                            "{t}{}",
                            next.get(i).map(|c| squash(&c.text)).unwrap_or_default()
                        )
                    })
                    .collect(),
                _ => texts.clone(),
            };
            if let Some(h) = Header::read(&joined).map(|h| with_row_above(h, t, ri, &joined)) {
                skip_next = joined != texts;
                first_header = first_header.or(Some(ri));
                // Cells after the header's last named column are a data row glued to it.
                let last = h.by_position.iter().rposition(Option::is_some).unwrap_or(0);
                let tail: Vec<String> = joined.get(last + 1..).unwrap_or_default().to_vec();
                header = Some(h);
                if let Some(h) = &header {
                    if let Some(r) = read_row(&tail, None, t.spaced, h, &mut carry, ri) {
                        out.push(r);
                    }
                }
                continue;
            }
        }
        let Some(h) = &header else { continue };
        if ends_block(&texts) {
            header = None;
            continue;
        }
        if sub_heading(&t.rows, ri, &carry) {
            carry.level2 = texts.first().cloned().unwrap_or_default();
            continue;
        }
        if let Some(r) = read_row(&texts, Some(row.len()), t.spaced, h, &mut carry, ri) {
            out.push(r);
        } else if texts.iter().filter(|t| !t.is_empty()).count() >= 2 {
            left_out.push(ri);
        }
    }
    Read {
        rows: out,
        left_out,
        header: first_header,
    }
}

/// A header whose value columns stand in the row above it (`绩效指标 | 年度指标值 | 实际完成值
/// | 分值 | 得分` over `一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位`, a
/// merged two-row header as a dump writes it, one row after the other): the two rows read
/// as one, as a dump that glues them writes them. Only when the row above names a value
/// column the header lacks and no level column of its own; [`Header::read`] then starts the
/// joined header at the row above's 绩效指标 cell, so a row above without one adds nothing.
fn with_row_above(h: Header, t: &Table, ri: usize, texts: &[String]) -> Header {
    if h.order.contains(&Col::Actual) {
        return h;
    }
    let Some(above) = ri.checked_sub(1).and_then(|k| t.rows.get(k)) else {
        return h;
    };
    let above: Vec<String> = above.iter().map(|c| squash(&c.text)).collect();
    let cols: Vec<Col> = above.iter().filter_map(|c| classify(c)).collect();
    if !cols.contains(&Col::Actual)
        || cols
            .iter()
            .any(|c| matches!(c, Col::Level1 | Col::Level2 | Col::Name))
    {
        return h;
    }
    let both: Vec<String> = above.into_iter().chain(texts.iter().cloned()).collect();
    Header::read(&both).unwrap_or(h)
}

/// Whether row `ri` is a lone heading the templates use at both levels (`成本指标`: a 一级 of
/// the 2021 template, a 二级 under 产出 before it) standing as a 二级: it comes inside a 产出
/// group, and the next lone heading after it is not one of its own subcategories
/// (`经济成本指标` under a 一级 `成本指标`).
fn sub_heading(rows: &[Vec<Cell>], ri: usize, carry: &Carry) -> bool {
    let lone = |row: &Vec<Cell>| {
        let mut texts = row.iter().filter(|c| !c.text.trim().is_empty());
        match (texts.next(), texts.next()) {
            (Some(only), None) => Some(split_points(&only.text).0),
            _ => None,
        }
    };
    let Some(word) = rows.get(ri).and_then(lone) else {
        return false;
    };
    // Only 产出 groups hold a 二级 that is also a 一级 (成本) in the national templates.
    if !(is_level1(&word) && is_level2(&word) && carry.level1.starts_with("产出")) {
        return false;
    }
    let core = word.trim_end_matches("指标");
    let next = rows
        .iter()
        .skip(ri + 1)
        .filter_map(lone)
        .find(|w| is_level1(w) || is_level2(w));
    !next.is_some_and(|w| w != word && w.contains(core))
}

/// Reads one data row (cells squashed); `len` is its cell count in the grid, `None` for
/// cells cut out of another row.
fn read_row(
    texts: &[String],
    len: Option<usize>,
    spaced: bool,
    h: &Header,
    carry: &mut Carry,
    ri: usize,
) -> Option<IndicatorCells> {
    let mut cells: Vec<(Col, &String)> = Vec::new();
    if len == Some(h.by_position.len()) {
        for (c, t) in h.by_position.iter().zip(texts) {
            if let Some(c) = c {
                cells.push((*c, t));
            }
        }
    } else {
        let first = texts.iter().position(|t| !t.is_empty())?;
        let last = texts.iter().rposition(|t| !t.is_empty())?;
        let trimmed = texts.get(first..=last)?;
        // A lone level cell (`时效指标` over empty cells) opens its group. Where empty cells
        // left no trace, a lone cell is nothing else: it would align as a name.
        let lone_level = |carry: &mut Carry| {
            if let [only] = trimmed {
                let (name, w) = split_points(only);
                if is_level1(&name) {
                    (carry.level1, carry.weight1, carry.seen) = (name, w, true);
                    carry.level2.clear();
                } else if name.ends_with("指标") {
                    carry.level2 = name;
                }
            }
        };
        if let [l1, l2] = trimmed {
            // A row of two level words (`效益指标(30分) | 经济效益指标`) opens both groups.
            let (name1, w) = split_points(l1);
            let name2 = split_points(l2).0;
            if is_level1(&name1) && is_level2(&name2) && !is_level1(&name2) {
                (carry.level1, carry.weight1, carry.seen) = (name1, w, true);
                carry.level2 = name2;
                return None;
            }
        }
        let cols = if spaced || trimmed.len() == 1 {
            if trimmed.len() == 1 {
                lone_level(carry);
                return None;
            }
            align_with_gaps(trimmed, &h.order, true)
        } else {
            // Cells dropped in the middle of a row (a 其中 row with only its target and
            // actual) are aligned by what each cell can mean, as in a spaced table.
            align(trimmed, &h.order)
                .map(|skip| h.order.iter().skip(skip).copied().collect())
                .or_else(|| align_with_gaps(trimmed, &h.order, false))
        };
        let Some(cols) = cols else {
            lone_level(carry);
            return None;
        };
        cells.extend(cols.into_iter().zip(trimmed));
    }
    let get = |col: Col| -> String {
        cells
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, t)| t.to_string())
            .unwrap_or_default()
    };
    let has = |col: Col| cells.iter().any(|(c, _)| *c == col);
    if has(Col::Level1) {
        let l1 = get(Col::Level1);
        let (name, w) = split_points(&l1);
        if name.contains("一级指标") {
            return None; // a header repeated after a page break
        }
        // Only a known 一级指标 heading (or bare points) starts a level-1 group.
        if is_level1(&name) || (name.is_empty() && w.is_some()) {
            (carry.level1, carry.weight1, carry.seen) = (name, w, true);
        }
    }
    let l2 = get(Col::Level2);
    if !l2.is_empty() {
        carry.level2 = l2;
    }
    let name = get(Col::Name);
    let levelled = carry.seen || !h.by_position.contains(&Some(Col::Level1));
    if name.is_empty() || is_number(&name) || !levelled {
        return None;
    }
    let target = if has(Col::Target) {
        get(Col::Target)
    } else {
        [Col::TargetOp, Col::TargetValue, Col::TargetUnit]
            .iter()
            .map(|c| get(*c))
            .collect()
    };
    let points = |col: Col| number_in(&get(col)).filter(|_| is_points(&get(col)));
    let row = IndicatorCells {
        level1: carry.level1.clone(),
        level1_weight: carry.weight1,
        level2: carry.level2.clone(),
        name,
        target,
        actual: get(Col::Actual),
        weight: points(Col::Weight),
        score: points(Col::Score),
        note: get(Col::Note),
        row: ri,
    };
    let empty = row.target.is_empty()
        && row.actual.is_empty()
        && row.weight.is_none()
        && row.score.is_none();
    (!empty).then_some(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::of_texts(1, rows)
    }

    fn names(rows: &[IndicatorCells]) -> Vec<(&str, &str, &str, &str, &str)> {
        rows.iter()
            .map(|r| {
                (
                    r.level1.as_str(),
                    r.level2.as_str(),
                    r.name.as_str(),
                    r.target.as_str(),
                    r.actual.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn every_indicator_column_rule_matches_its_example() {
        use crate::rules::columns::{columns, INDICATOR_COLUMN_FILE};
        let file = INDICATOR_COLUMN_FILE.path;
        let rules = columns::<Col>(&INDICATOR_COLUMN_FILE).unwrap_or_else(|e| panic!("{e}"));
        for r in &rules {
            assert_eq!(
                classify(&squash(&r.example)),
                Some(r.column),
                "{file}:{}",
                r.line
            );
        }
    }

    #[test]
    fn a_form_without_level_columns() {
        // Invented: a county form that lists its indicators without 一级/二级 columns.
        let rows = indicators(&table(&[
            &["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["指标1:新建村道里程", "≥12公里", "12.4公里", "20", "20"],
            &["指标2:群众满意度", "≥90%", "93%", "10", "9"],
        ]));
        assert_eq!(
            names(&rows),
            vec![
                ("", "", "指标1:新建村道里程", "≥12公里", "12.4公里"),
                ("", "", "指标2:群众满意度", "≥90%", "93%"),
            ]
        );
        // A cell that only mentions 三级指标 opens no indicator block.
        assert!(indicators(&table(&[
            &["三级指标完成情况说明", "见附件"],
            &["道路养护", "完成"],
        ]))
        .is_empty());
    }

    #[test]
    fn indicator_rows_carry_levels_down_and_skip_repeated_headers() {
        let t = table(&[
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指\n标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因",
            ],
            &[
                "产出指标\n(50分)",
                "数量指标",
                "改厕",
                "90座",
                "92座",
                "2",
                "2",
                "",
            ],
            &["", "", "耕地恢复", "700亩", "789.67亩", "4", "4", ""],
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因",
            ],
            &["", "质量指标", "合格率", "≥95%", "100%", "1", "1", ""],
            &["总分", "100", "98"],
        ]);
        let rows = indicators(&t);
        assert_eq!(
            names(&rows),
            vec![
                ("产出指标", "数量指标", "改厕", "90座", "92座"),
                ("产出指标", "数量指标", "耕地恢复", "700亩", "789.67亩"),
                ("产出指标", "质量指标", "合格率", "≥95%", "100%")
            ]
        );
        assert_eq!(rows[0].level1_weight, Some(Decimal::from(50)));
    }

    #[test]
    fn header_split_over_two_rows() {
        let t = table(&[
            &["一级", "二级", "三级", "年度", "实际", "分", "得"],
            &["指标", "指标", "指标", "指标值", "完成值", "值", "分"],
            &[
                "效益指标",
                "社会效益指标",
                "群众满意度",
                "≥95%",
                "98%",
                "10",
                "10",
            ],
        ]);
        let rows = indicators(&t);
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].actual.as_str(), rows[0].score),
            ("98%", Some(Decimal::from(10)))
        );
    }

    /// Dumped rows lose their merged leading cells and their empty trailing ones; a header
    /// with a spanning first cell (`绩效指标`) has one cell more than any data row.
    #[test]
    fn short_rows_are_aligned_by_what_their_cells_can_mean() {
        let t = table(&[
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "完成值",
                "分值",
                "得分",
                "偏差原因",
            ],
            &[
                "效益指标",
                "生态效益指标",
                "河道保洁",
                "≥90%",
                "93%",
                "10",
                "9",
            ],
            &["绿化率", "≥40%", "41%", "5", "5"],
            &["社会效益指标", "就业人数", "20人", "22人", "5", "5"],
            &[
                "满意度指标",
                "服务对象满意度",
                "村民满意度",
                "≥85%",
                "90%",
                "10",
                "10",
                "无",
            ],
        ]);
        assert_eq!(
            names(&indicators(&t)),
            vec![
                ("效益指标", "生态效益指标", "河道保洁", "≥90%", "93%"),
                ("效益指标", "生态效益指标", "绿化率", "≥40%", "41%"),
                ("效益指标", "社会效益指标", "就业人数", "20人", "22人"),
                ("满意度指标", "服务对象满意度", "村民满意度", "≥85%", "90%")
            ]
        );
    }

    /// Without a 分值 column, a text-only row reaches the score column only one way.
    #[test]
    fn rows_without_weights_reach_the_score() {
        let t = table(&[
            &[
                "年度绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "目标值(A)",
                "实际完成值(B)",
                "得分",
            ],
            &[
                "效益指标",
                "可持续影响指标",
                "长效管护机制",
                "建立",
                "已建立",
                "10",
            ],
            &["群众知晓度", "较高", "高", "10"],
            &["时效指标", "完成时间", "6月底前", "5月", "5"],
        ]);
        let rows = indicators(&t);
        assert_eq!(
            names(&rows),
            vec![
                (
                    "效益指标",
                    "可持续影响指标",
                    "长效管护机制",
                    "建立",
                    "已建立"
                ),
                ("效益指标", "可持续影响指标", "群众知晓度", "较高", "高"),
                ("效益指标", "时效指标", "完成时间", "6月底前", "5月")
            ]
        );
        assert!(rows.iter().all(|r| r.weight.is_none()));
    }

    /// 指标性质 | 指标值 | 度量单位 under 年度指标值: the target is the three cells as one.
    #[test]
    fn a_target_split_over_three_cells_is_joined() {
        let t = table(&[
            &[
                "绩效指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
            ],
            &[
                "产出指标",
                "数量指标",
                "发放户数",
                "≥",
                "120",
                "户",
                "126",
                "10",
                "10",
            ],
            &["质量指标", "发放准确率", "=", "100", "%", "100%", "10", "9"],
        ]);
        let rows = indicators(&t);
        assert_eq!(
            names(&rows),
            vec![
                ("产出指标", "数量指标", "发放户数", "≥120户", "126"),
                ("产出指标", "质量指标", "发放准确率", "=100%", "100%")
            ]
        );
        assert_eq!(rows[1].score, Some(Decimal::from(9)));
    }

    /// A row that two alignments read differently is left out, and a total row ends the block.
    #[test]
    fn ambiguous_rows_are_left_out() {
        let t = table(&[
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
                "完成值",
                "分值",
                "得分",
                "说明",
            ],
            &[
                "产出指标",
                "数量指标",
                "培训人次",
                "≥300",
                "320",
                "10",
                "10",
            ],
            &["培训合格率", "≥90%", "95%"],
            // 群众评价 | 较高 | 高 | 10: a name, target, actual and weight, or a level-2 cell,
            // name, target and actual? Neither reaches the score: left out.
            &["群众评价", "较高", "高", "10"],
            &["总分", "100", "96"],
            &["产出指标", "数量指标", "不是指标", "1", "1", "1", "1"],
        ]);
        let rows = indicators(&t);
        let got: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(got, vec!["培训人次", "培训合格率"]);
    }

    /// Space-separated rows lost their empty cells: a parent row with only its points, and
    /// breakdown rows with only target and actual, each placed where its cells fit best.
    #[test]
    fn spaced_rows_align_with_gaps() {
        let mut t = table(&[
            &[
                "二级指标",
                "三级指标",
                "分值",
                "年度指标值",
                "全年实际值",
                "得分",
                "偏差原因",
            ],
            &["数量指标", "▲发放农机补贴", "20", "18"],
            &["拖拉机补贴台数", "12台", "12台"],
            &["收割机补贴台数", "≥5台", "6台"],
            &["质量指标", "补贴资金兑付准确率", "10", "100%", "100%", "10"],
        ]);
        t.spaced = true;
        let rows = indicators(&t);
        type Read<'a> = (
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            Option<Decimal>,
            Option<Decimal>,
        );
        let got: Vec<Read> = rows
            .iter()
            .map(|r| {
                (
                    r.level2.as_str(),
                    r.name.as_str(),
                    r.target.as_str(),
                    r.actual.as_str(),
                    r.weight,
                    r.score,
                )
            })
            .collect();
        let n = |v: i64| Some(Decimal::from(v));
        assert_eq!(
            got,
            vec![
                ("数量指标", "▲发放农机补贴", "", "", n(20), n(18)),
                ("数量指标", "拖拉机补贴台数", "12台", "12台", None, None),
                ("数量指标", "收割机补贴台数", "≥5台", "6台", None, None),
                (
                    "质量指标",
                    "补贴资金兑付准确率",
                    "100%",
                    "100%",
                    n(10),
                    n(10)
                ),
            ]
        );
        // The same rows from a grid, where no cell can be missing in the middle, read the
        // 18 as the target.
        t.spaced = false;
        let grid = indicators(&t);
        assert_eq!(grid.first().map(|r| r.target.as_str()), Some("18"));
    }

    /// A pipe dump that drops empty cells: lone level rows and a row of two level words open
    /// their groups, and 其中 rows with only target and actual align by what they hold.
    #[test]
    fn grid_rows_with_dropped_cells_and_level_rows() {
        let t = table(&[
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "年度指标值",
                "全年实际值",
                "得分",
            ],
            &[
                "产出指标(60分)",
                "数量指标",
                "★新建水窖",
                "20",
                "16口",
                "16口",
                "20",
            ],
            &["其中山区水窖", "9口", "9口"],
            &["时效指标", "", ""],
            &["完工及时率", "10", "100%", "100%", "10"],
            &["效 益 指 标 (20分)", "生态效益 指标"],
            &["水土流失治理面积", "20", "≥3公顷", "3.2公顷", "18"],
        ]);
        let rows = indicators(&t);
        let got: Vec<(&str, &str, &str, &str, Option<Decimal>)> = rows
            .iter()
            .map(|r| {
                (
                    r.level1.as_str(),
                    r.level2.as_str(),
                    r.name.as_str(),
                    r.target.as_str(),
                    r.weight,
                )
            })
            .collect();
        let n = |v: i64| Some(Decimal::from(v));
        assert_eq!(
            got,
            vec![
                ("产出指标", "数量指标", "★新建水窖", "16口", n(20)),
                ("产出指标", "数量指标", "其中山区水窖", "9口", None),
                ("产出指标", "时效指标", "完工及时率", "100%", n(10)),
                (
                    "效益指标",
                    "生态效益指标",
                    "水土流失治理面积",
                    "≥3公顷",
                    n(20)
                ),
            ]
        );
    }

    /// A two-row header written one row after the other: value columns above, levels and
    /// the split target below.
    #[test]
    fn value_columns_in_the_row_above_the_level_header() {
        let t = table(&[
            &[
                "绩效指标",
                "年度指标值",
                "实际完成值",
                "权重",
                "得分",
                "偏差原因",
            ],
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
            ],
            &[
                "产出指标",
                "数量指标",
                "改造危房户数",
                "≥",
                "45",
                "户",
                "47",
                "15",
                "15",
            ],
            &["时效指标", "竣工及时率", "=", "100", "%", "96%", "10", "8"],
        ]);
        let rows = indicators(&t);
        let got: Vec<(&str, &str, &str, &str, Option<Decimal>)> = rows
            .iter()
            .map(|r| {
                (
                    r.level2.as_str(),
                    r.name.as_str(),
                    r.target.as_str(),
                    r.actual.as_str(),
                    r.score,
                )
            })
            .collect();
        let n = |v: i64| Some(Decimal::from(v));
        assert_eq!(
            got,
            vec![
                ("数量指标", "改造危房户数", "≥45户", "47", n(15)),
                ("时效指标", "竣工及时率", "=100%", "96%", n(8)),
            ]
        );
        // A row above with no 绩效指标 cell opening the block is not part of the header.
        let t = table(&[
            &["产出指标", "数量指标", "实际完成值"],
            &["一级指标", "二级指标", "三级指标", "年度指标值", "分值"],
            &["产出指标", "数量指标", "培训场次", "4场", "10"],
        ]);
        assert_eq!(indicators(&t).first().map(|r| r.actual.as_str()), Some(""));
    }

    /// `指标性质 | 指标值 | 度量单位` with no 年度指标值 over them, on an unfilled form: the one
    /// target cell is the value, and a lone points cell is the weight (得分 is left empty).
    #[test]
    fn a_split_target_without_its_group_header_on_an_unfilled_form() {
        let mut t = table(&[
            &[
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "完成值",
                "权重",
                "得分",
            ],
            &["产出指标"],
            &["质量指标"],
            &["道路验收合格率", "≥", "98", "%", "40"],
            &["时效指标"],
            &["开工及时率", "﹦", "100", "%", "20"],
        ]);
        t.spaced = true;
        type Row = (String, String, String, Option<Decimal>, Option<Decimal>);
        let got: Vec<Row> = indicators(&t)
            .into_iter()
            .map(|r| (r.level2, r.name, r.target, r.weight, r.score))
            .collect();
        let row = |a: &str, b: &str, c: &str, w: i64| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                Some(Decimal::from(w)),
                None,
            )
        };
        assert_eq!(
            got,
            vec![
                row("质量指标", "道路验收合格率", "≥98%", 40),
                row("时效指标", "开工及时率", "﹦100%", 20),
            ]
        );
        assert!(is_operator("≧") && is_operator("不低于") && !is_operator("正向"));
    }

    #[test]
    fn weights_move_out_of_level1() {
        assert_eq!(
            split_points("产出指标\n\n(40分)"),
            ("产出指标".into(), Some(Decimal::from(40)))
        );
        assert_eq!(
            split_points("社会\n效益\n指标"),
            ("社会效益指标".into(), None)
        );
        assert_eq!(
            split_points("（50分）"),
            ("".into(), Some(Decimal::from(50)))
        );
    }
}
