//! The one grid assembler: a header of known column words, then rows cut out of a stream of
//! cells by what each cell can mean.
//!
//! - The header is a run of cells that name indicator columns (`rules/indicator_columns.tsv`);
//!   a column word broken over two or three cells (`年度`+`指标值`, `偏差原因`+`分析及`+`改进措施`)
//!   is joined when the join names a column. It must name the 三级指标 column and one column
//!   of values; it fixes how many value cells a row can hold.
//! - A level word (`rules/level1.txt`, `rules/level2.txt`, also broken over two cells:
//!   `数量`+`指标`) is a row of its own: the extractor carries it down to the rows after it.
//!   A bare `(50)` after a level word is that level's points, not a cell of a row.
//! - Any other text cell opens a row when no row is open, when the open row already holds as
//!   many values as the header has value columns, or when it holds two values or more and the
//!   cell after it is a figure (a name is followed by its values; a note or a worded target
//!   is not). Figures are values of the open row.
//!
//! The rows keep only cells with text, so the table is marked `spaced`: the extractor aligns
//! each row's values to the columns by what they can mean, and leaves out what fits no
//! alignment. Nothing here guesses a value.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::Cell;
use crate::normalize::numbers::is_unit_word;
use crate::normalize::text::squash;
use crate::recover::lines::{self, Line};
use crate::rules::{column_of, is_level1, is_level2, IndicatorColumn as Col, INDICATOR_COLUMNS};

/// Columns that are not values: the levels and the name.
const NOT_VALUES: [Col; 3] = [Col::Level1, Col::Level2, Col::Name];

/// The longest cell a header's column word is (in characters).
const MAX_HEADER_CELL: usize = 24;

/// A cell this long (in characters) is prose: it ends the table.
const MAX_CELL: usize = 120;

/// Points written on their own after a level word: `(50)`, `（30分）`.
static POINTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[(（]\d{1,3}(\.\d+)?分?[)）]$").expect("static regex"));

/// A heading of the report's text after the table: `三、`, `（二）`.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")
        .expect("static regex")
});

/// The indicator column a header cell names, if it is short enough to be a header cell.
fn column(cell: &str) -> Option<Col> {
    if cell.chars().count() > MAX_HEADER_CELL {
        return None;
    }
    column_of(&INDICATOR_COLUMNS, cell).map(|r| r.column)
}

/// A level word, its points removed: `产出指标(50分)`, `数量指标`, `效 益 指 标`.
fn is_level(cell: &str) -> bool {
    let t = squash(cell);
    let core = t
        .find(['(', '（'])
        .map_or(t.as_str(), |i| t.get(..i).unwrap_or(""));
    is_level1(core) || is_level2(core)
}

/// A cell holding a figure: a number, maybe after an operator (`15`, `≥48次`, `95.5%`). A
/// numbered name (`1、肥料利用率`, `2.群众满意度`, `3）…`) is not one.
fn is_figure(cell: &str) -> bool {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let t = cell.trim_start_matches([
        '≥', '≤', '≧', '≦', '>', '<', '=', '＞', '＜', '＝', '+', '-', '≈', '约',
    ]);
    if !t.chars().next().is_some_and(digit) {
        return false;
    }
    let mut after = t.chars().skip_while(|c| digit(*c));
    match after.next() {
        Some('、' | ')' | '）') => false,
        Some('.' | '．') => after.next().is_some_and(digit),
        _ => true,
    }
}

/// The end of a table's rows: its total row or the text after it.
fn ends_rows(cell: &str) -> bool {
    cell.starts_with("总分")
        || cell.starts_with("合计")
        || cell.starts_with("其他需要说明")
        || HEADING.is_match(cell)
        || cell.chars().count() > MAX_CELL
}

/// The header at the start of `cells`: its cells (joined where a word was broken) and how
/// many cells it took.
fn header(cells: &[(String, usize)]) -> Option<(Vec<(String, Col)>, usize)> {
    let mut cols: Vec<(String, Col)> = Vec::new();
    let mut i = 0;
    while let Some((text, _)) = cells.get(i) {
        let one = squash(text);
        // The cell alone, or joined with the one or two after it, names a column.
        let found = (1..=3).find_map(|n| {
            let joined: String = cells
                .get(i..i + n)?
                .iter()
                .map(|(t, _)| squash(t))
                .collect();
            Some((column(&joined)?, joined, n))
        });
        let Some((col, joined, n)) = found else { break };
        if n > 1 && column(&one).is_some() && column(&one) != Some(col) {
            break;
        }
        let seen = cols.iter().any(|(_, c)| *c == col);
        match cols.last_mut() {
            // A column named twice in a row is one header cell broken over lines.
            Some((prev, prev_col)) if *prev_col == col => prev.push_str(&joined),
            _ if seen => break,
            _ => cols.push((joined, col)),
        }
        i += n;
    }
    let named = |c: Col| cols.iter().any(|(_, col)| *col == c);
    let values = cols.iter().filter(|(_, c)| !NOT_VALUES.contains(c)).count();
    (named(Col::Name) && values >= 2).then_some((cols, i))
}

/// A table of indicator rows written one cell per line, starting at line `start` with its
/// header's first cell (a 一级指标 or 二级指标 column word, or the 三级指标 one of a form
/// without level columns): the table's rows and the first
/// line after it (only the header when no row could be cut). `None` when no such table
/// starts there, or when the run is a `|` table
/// whose padded row ends already delimit its rows (the `|` reader's dialect).
pub fn table_at(lines: &[&str], start: usize) -> Option<(Vec<Vec<Cell>>, usize)> {
    let first = lines.get(start)?;
    if first.len() > 3 * MAX_HEADER_CELL {
        return None;
    }
    let Some(Line::Cell(t)) = lines::read(first) else {
        return None;
    };
    if !matches!(
        column(&squash(t)),
        Some(Col::Level1 | Col::Level2 | Col::Name)
    ) {
        return None;
    }
    let cells: Vec<(String, usize)> = lines::cells(lines, start)
        .map(|(t, after)| (t.to_string(), after))
        .collect();
    let (cols, used) = header(&cells)?;
    let header_end = cells.get(used.checked_sub(1)?)?.1;
    if padded_rows(lines, start, header_end) {
        return None;
    }
    let width = cols.iter().filter(|(_, c)| !NOT_VALUES.contains(c)).count();
    let has_unit_column = cols.iter().any(|(_, c)| *c == Col::TargetUnit);
    let mut rows: Vec<Vec<Cell>> = vec![cols.iter().map(|(t, _)| Cell::text(t)).collect()];
    let mut open: Vec<String> = Vec::new();
    let mut i = used;
    let name_at = cols.iter().position(|(_, c)| *c == Col::Name).unwrap_or(0);
    // A row with a value in every column is read by position: the level cells it lacks are
    // empty (the extractor carries them down).
    let flush = |rows: &mut Vec<Vec<Cell>>, open: &mut Vec<String>| {
        if open.len() == width + 1 && name_at + 1 + width == cols.len() {
            open.splice(0..0, std::iter::repeat_n(String::new(), name_at));
        }
        if !open.is_empty() {
            rows.push(open.drain(..).map(Cell::text).collect());
        }
    };
    while let Some((text, _)) = cells.get(i) {
        let next = cells.get(i + 1).map(|(t, _)| t.as_str());
        // A numbered heading followed by a figure is a row's name (`一、示范区建立` / `≧2万亩`);
        // a section heading is followed by text.
        let named_row = HEADING.is_match(text) && next.is_some_and(is_figure);
        if ends_rows(text) && !named_row {
            break;
        }
        // A level word, maybe broken over two cells (`数量`+`指标`), and its points.
        let broken = next.is_some_and(|n| {
            let joined = squash(&format!("{text}{n}"));
            is_level1(&joined) || is_level2(&joined)
        });
        if broken || is_level(text) {
            let level = match next.filter(|_| broken) {
                Some(n) => format!("{text}{n}"),
                None => text.clone(),
            };
            flush(&mut rows, &mut open);
            rows.push(vec![Cell::text(level)]);
            i += if broken { 2 } else { 1 };
            if cells
                .get(i)
                .is_some_and(|(p, _)| POINTS.is_match(&squash(p)))
            {
                i += 1;
            }
            continue;
        }
        let figure = is_figure(text);
        let values = open.len().saturating_sub(1);
        // A name is followed by its values; a note or a worded value by a name or a level.
        // A unit cell (`%`, `人次`) under a 度量单位 column is a value of the open row.
        let unit = has_unit_column && is_unit_word(text);
        let opens = !figure
            && (open.is_empty()
                || values >= width
                || (!unit && values >= 2 && next.is_some_and(|n| is_figure(n) || is_level(n))));
        if opens {
            flush(&mut rows, &mut open);
        }
        // A figure before any name belongs to no row.
        if !open.is_empty() || !figure {
            open.push(text.clone());
        }
        i += 1;
    }
    // A row cut short by the end of the text is not a row: its last cell may be cut too.
    let cut = i == cells.len()
        && lines
            .iter()
            .skip(cells.last().map_or(0, |c| c.1))
            .all(|l| l.trim().is_empty());
    let notes = cols.iter().filter(|(_, c)| *c == Col::Note).count();
    if cut && open.len() < width - notes + 1 {
        open.clear();
    }
    flush(&mut rows, &mut open);
    let end = i
        .checked_sub(1)
        .and_then(|k| cells.get(k))
        .map_or(header_end, |c| c.1);
    // A header with no row after it is still the table: the extractor says it gave nothing.
    Some((rows, end))
}

/// Whether the header's cells sit on consecutive lines closed by a `||` padding line: the
/// padded `|` dialect, whose rows the `|` reader already puts together.
fn padded_rows(lines: &[&str], start: usize, header_end: usize) -> bool {
    let consecutive = lines.get(start..header_end).is_some_and(|ls| {
        ls.iter()
            .all(|l| matches!(lines::read(l), Some(Line::Cell(_))))
    });
    consecutive
        && lines.get(header_end).is_some_and(|l| {
            let t = l.trim();
            t.len() >= 2 && t.chars().all(|c| c == '|' || c == '｜')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assemble(text: &str) -> Vec<Vec<String>> {
        crate::recover::assembled(table_at, text)
    }

    #[test]
    fn blank_line_cells_with_wrapped_header_and_level_words() {
        // Invented: a blank line between cells, header and level words broken over lines,
        // a lone space for an empty note, an ellipsis for an unfilled row.
        let text = "一级指标\n\n二级指标\n\n三级指标\n\n年度\n\n指标值\n\n实际\n\n完成值\n\n分值\n\n得分\n\n偏差原因\n\n分析及\n\n改进措施\n\n产出指标\n\n(40)\n\n数量\n\n指标\n\n巡河次数\n\n≥48次\n\n52次\n\n15\n\n15\n\n \n\n河面保洁率\n\n≥95%\n\n97%\n\n10\n\n9\n\n偶有漂浮物\n\n指标3\n\n……\n\n效益指标\n\n生态效益\n\n指标\n\n水质达标率\n\n100%\n\n100%\n\n15\n\n15\n\n三、存在的问题\n";
        assert_eq!(
            assemble(text),
            vec![
                vec![
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施"
                ],
                vec!["产出指标"],
                vec!["数量指标"],
                vec!["巡河次数", "≥48次", "52次", "15", "15"],
                vec!["", "", "河面保洁率", "≥95%", "97%", "10", "9", "偶有漂浮物"],
                vec!["指标3"],
                vec!["效益指标"],
                vec!["生态效益指标"],
                vec!["水质达标率", "100%", "100%", "15", "15"],
            ]
        );
    }

    #[test]
    fn trailing_bar_cells_with_lone_bars_for_empty_cells_and_row_ends() {
        // Invented: 分值 before the targets, a lone `|` both an empty cell and a row end.
        let text = "一级指标 |\n二级指标 |\n三级指标 |\n分值 |\n年度指标值 |\n全年实际值 |\n得分 |\n|\n产出指标(50分) |\n质量指标 |\n验收合格率 |\n20 |\n100% |\n100% |\n20 |\n|\n|\n|\n其中:主体工程 |\n10 |\n≥98% |\n99% |\n10 |\n|\n满意度指标(10分) |\n服务对象满意度指标 |\n村民满意度 |\n10 |\n≥90% |\n|\n8 |\n|\n合计 | 100 |";
        assert_eq!(
            assemble(text),
            vec![
                vec![
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "分值",
                    "年度指标值",
                    "全年实际值",
                    "得分"
                ],
                vec!["产出指标(50分)"],
                vec!["质量指标"],
                vec!["", "", "验收合格率", "20", "100%", "100%", "20"],
                vec!["", "", "其中:主体工程", "10", "≥98%", "99%", "10"],
                vec!["满意度指标(10分)"],
                vec!["服务对象满意度指标"],
                vec!["村民满意度", "10", "≥90%", "8"],
            ]
        );
    }

    #[test]
    fn the_extractor_reads_assembled_rows_with_their_levels() {
        // Invented: cells alternating with lone `|` lines, `||||` row ends, an empty actual.
        let text = "一级指标\n|\n二级指标\n|\n三级指标\n|\n年初目标值(A)\n|\n实际完成值(B)\n|\n分值\n|\n得分\n||||\n产出指标\n|\n时效指标\n|\n按期完工率\n|\n100%\n|\n100%\n|\n10\n|\n10\n||||\n成本指标\n|\n单位造价\n|\n≤800元/米\n|\n760元/米\n|\n5\n|\n4\n||||\n满意度\n|\n指标\n|\n服务对象满意度指标\n|\n商户满意度\n|\n≥85%\n|\n91%\n|\n10\n|\n10\n";
        let lines: Vec<&str> = text.lines().collect();
        let (rows, _) = table_at(&lines, 0).unwrap_or_default();
        let t = crate::document::Table {
            index: 1,
            rows,
            spaced: true,
        };
        let got: Vec<(String, String, String, String, String)> =
            crate::extract::indicators::indicators(&t)
                .into_iter()
                .map(|r| {
                    let n = |d: Option<rust_decimal::Decimal>| {
                        d.map(|d| d.to_string()).unwrap_or_default()
                    };
                    (
                        r.level1,
                        r.level2,
                        r.name,
                        r.target,
                        format!("{}/{}", n(r.weight), n(r.score)),
                    )
                })
                .collect();
        let row = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                d.to_string(),
                e.to_string(),
            )
        };
        assert_eq!(
            got,
            vec![
                row("产出指标", "时效指标", "按期完工率", "100%", "10/10"),
                // 成本 under 产出, with no 成本 subcategory after it, is a 二级.
                row("产出指标", "成本指标", "单位造价", "≤800元/米", "5/4"),
                row(
                    "满意度指标",
                    "服务对象满意度指标",
                    "商户满意度",
                    "≥85%",
                    "10/10"
                ),
            ]
        );
    }

    #[test]
    fn a_form_without_level_columns_starts_at_its_name_column() {
        // Invented: the indicator names numbered, no 一级/二级 columns at all.
        let text = "绩效指标\n\n三级指标\n\n年度目标值\n\n实际完成值\n\n分值\n\n得分\n\n指标1:入户走访\n\n≥600户\n\n655户\n\n5\n\n5\n\n指标2:走访覆盖率\n\n≥95%\n\n93.5%\n\n5\n\n4.5\n\n";
        let lines: Vec<&str> = text.lines().collect();
        let (rows, _) = table_at(&lines, 2).unwrap_or_default();
        assert_eq!(
            crate::document::texts(&rows),
            vec![
                vec!["三级指标", "年度目标值", "实际完成值", "分值", "得分"],
                vec!["指标1:入户走访", "≥600户", "655户", "5", "5"],
                vec!["指标2:走访覆盖率", "≥95%", "93.5%", "5", "4.5"],
            ]
        );
        // A name column word alone, with no value columns after it, starts nothing.
        assert_eq!(assemble("三级指标\n\n说明\n\n"), Vec::<Vec<String>>::new());
    }

    #[test]
    fn numbered_names_are_names_not_figures() {
        for figure in ["15", "≥48次", "≧500亩", "95.5%", "1.5万元", "＝100%"] {
            assert!(is_figure(figure), "{figure}");
        }
        for name in [
            "1、肥料利用率",
            "2.群众满意度",
            "3）道路养护",
            "１．补助发放",
        ] {
            assert!(!is_figure(name), "{name}");
        }
        // Invented: numbered names in a one-cell-per-line indicator table, a group numbered
        // like a section heading among them, then a real section heading that ends the rows.
        let text = "一级指标\n\n二级指标\n\n三级指标\n\n年度指标值\n\n实际完成值\n\n得分\n\n产出指标\n\n数量指标\n\n一、道路工程\n\n≥15公里\n\n15公里\n\n30\n\n1、新建村道\n\n≥12公里\n\n12.4公里\n\n20\n\n2、维修桥梁\n\n≥3座\n\n3座\n\n10\n\n二、存在的问题\n\n个别路段进度滞后\n\n";
        let rows = assemble(text);
        assert!(
            rows.iter()
                .any(|r| r.get(2).is_some_and(|c| c == "一、道路工程")),
            "{rows:?}"
        );
        assert!(
            !rows.iter().flatten().any(|c| c.contains("存在的问题")),
            "{rows:?}"
        );
        assert!(
            rows.contains(&vec![
                String::new(),
                String::new(),
                "1、新建村道".into(),
                "≥12公里".into(),
                "12.4公里".into(),
                "20".into()
            ]),
            "{rows:?}"
        );
    }

    #[test]
    fn a_unit_cell_under_a_unit_column_stays_in_its_row() {
        // Invented: an unfilled form with 指标性质 | 指标值 | 计量单位, cells ending in ` |`.
        let text = "一级指标 |\n二级指标 |\n三级指标 |\n指标性质 |\n指标值 |\n计量单位 |\n完成值 |\n权重 |\n得分 |\n产出指标 |\n数量指标 |\n培训人次 |\n≥ |\n120 |\n人次 |\n30 |\n|\n|\n效益指标 |\n社会效益指标 |\n就业率 |\n≥ |\n85 |\n% |\n20 |\n合计 | 100 |\n";
        let rows = assemble(text);
        assert!(
            rows.contains(&vec![
                "培训人次".into(),
                "≥".into(),
                "120".into(),
                "人次".into(),
                "30".into()
            ]),
            "{rows:?}"
        );
        assert!(
            rows.contains(&vec![
                "就业率".into(),
                "≥".into(),
                "85".into(),
                "%".into(),
                "20".into()
            ]),
            "{rows:?}"
        );
    }

    #[test]
    fn padded_pipe_rows_and_prose_are_not_this_dialect() {
        let padded = "一级指标 |\n二级指标 |\n三级指标 |\n分值 |\n得分 |\n|||||\n产出指标 |";
        assert_eq!(assemble(padded), Vec::<Vec<String>>::new());
        assert_eq!(
            assemble("一级指标分为产出、效益和满意度三类。"),
            Vec::<Vec<String>>::new()
        );
        assert_eq!(
            assemble("一级指标 | 二级指标 | 三级指标 |"),
            Vec::<Vec<String>>::new()
        );
    }
}
