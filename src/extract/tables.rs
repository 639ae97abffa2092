//! The standard tables at the end of a report, recognised by header words, not position:
//! the self-evaluation table (年初预算数 | 全年预算数 | 全年执行数 … and the 绩效指标 block)
//! and the basic-data table (经费控制情况 with prior-year / budget / actual columns).

use std::sync::LazyLock;

use rust_decimal::Decimal;

use crate::document::{Cell, Table};
use crate::extract::Candidate;
use crate::normalize::numbers::scan;
use crate::normalize::text::squash;

/// The number of a cell (`99.7%` → 99.7, `127人` → 127), when the cell is just that number.
pub(crate) fn number(cell: Option<&Cell>) -> Option<Decimal> {
    let text = squash(&cell?.text);
    let ms = scan(&text);
    match ms.as_slice() {
        [m] if m.start == 0 && text.chars().count() <= m.end + 1 => Some(m.value),
        _ => None,
    }
}

/// The report field a self-evaluation column header names.
fn budget_column(header: &str) -> Option<&'static str> {
    Some(if header.contains("年初预算") {
        "budget_initial"
    } else if header.contains("全年预算") || header.contains("调整预算") {
        "budget_full_year"
    } else if header.contains("执行数") || header.contains("全年执行") {
        "budget_executed"
    } else if header.contains("执行率") {
        "execution_rate"
    } else if header.contains("分值") {
        "budget_weight"
    } else if header.contains("得分") {
        "budget_score"
    } else {
        return None;
    })
}

/// A figure read from a table grid cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The report field it feeds, if any.
    pub field: Option<&'static str>,
    /// The row's label (`三公经费`, `年度资金总额`).
    pub label: String,
    /// `actual`, `budget` or `prior_actual`, from the column header. Only money columns
    /// have a period, so a figure with one is an amount (万元) for amounts.csv.
    pub period: Option<&'static str>,
    pub value: Decimal,
    pub raw: String,
    pub rank: u8,
    pub rule: &'static str,
    pub location: String,
}

impl Figure {
    /// The candidate this figure proposes for its field.
    pub fn candidate(&self, order: usize) -> Option<Candidate> {
        Some(Candidate {
            field: self.field?,
            value: self.value,
            rank: self.rank,
            order,
            location: self.location.clone(),
            rule: self.rule,
        })
    }
}

fn cell_loc(t: &Table, row: usize, col: usize) -> String {
    format!("t{}:r{}c{}", t.index, row + 1, col + 1)
}

/// The values of a row under the header's value columns, with their cell index: by
/// position when the row has the header's shape, else the row's numbers in order
/// (flattened and `|` layouts drop the empty leading cells).
fn row_values(
    row: &[Cell],
    cols: &[(usize, &'static str)],
    header_len: usize,
) -> Vec<(&'static str, Decimal, usize)> {
    if row.len() == header_len {
        return cols
            .iter()
            .filter_map(|&(i, f)| number(row.get(i)).map(|v| (f, v, i)))
            .collect();
    }
    let nums = row
        .iter()
        .enumerate()
        .filter_map(|(i, c)| number(Some(c)).map(|v| (v, i)));
    cols.iter()
        .zip(nums)
        .map(|(&(_, f), (v, i))| (f, v, i))
        .collect()
}

fn raw(row: &[Cell], i: usize) -> String {
    row.get(i)
        .map(|c| c.text.trim().to_string())
        .unwrap_or_default()
}

/// Self-evaluation table figures: the budget columns of the 年度资金总额 row, the executed
/// column of 基本支出 / 项目支出 rows, and the 总分. `extra` gets the fallback reading of
/// 全年执行数 as the total spending.
pub fn self_evaluation(t: &Table, out: &mut Vec<Figure>, extra: &mut Vec<Candidate>) {
    let mut cols: Vec<(usize, &'static str)> = Vec::new();
    let mut header_len = 0;
    for (ri, row) in t.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts.iter().any(|t| t.contains("年初预算数")) {
            cols = texts
                .iter()
                .enumerate()
                .filter_map(|(i, t)| budget_column(t).map(|f| (i, f)))
                .collect();
            header_len = texts.len();
            continue;
        }
        if cols.is_empty() {
            continue;
        }
        if texts
            .iter()
            .any(|t| t.contains("年度总体目标") || t.contains("一级指标") || t.contains("绩效指标"))
        {
            cols.clear(); // the budget block has ended
            continue;
        }
        let label = texts
            .iter()
            .find(|t| {
                !t.is_empty()
                    && !t
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == '%')
            })
            .cloned()
            .unwrap_or_default();
        let values = row_values(row, &cols, header_len);
        if label.contains("资金总额") || label.contains("年度资金") {
            for &(f, v, i) in &values {
                let period = match f {
                    "budget_initial" | "budget_full_year" => Some("budget"),
                    "budget_executed" => Some("actual"),
                    _ => None,
                };
                if f == "budget_weight" {
                    continue;
                }
                let location = cell_loc(t, ri, i);
                if f == "budget_executed" {
                    // The year's executed total stands for the total spending when the
                    // prose states none.
                    extra.push(Candidate {
                        field: "exp_total",
                        value: v,
                        rank: 0,
                        order: ri,
                        location: location.clone(),
                        rule: "self-evaluation 全年执行数 (fallback for the total)",
                    });
                }
                out.push(Figure {
                    field: Some(f),
                    label: label.clone(),
                    period,
                    value: v,
                    raw: raw(row, i),
                    rank: 3,
                    rule: "self-evaluation table column",
                    location,
                });
            }
        } else if let Some(field) = ["基本支出", "项目支出"]
            .iter()
            .zip(["exp_basic", "exp_project"])
            .find(|(w, _)| label.starts_with(**w))
            .map(|(_, f)| f)
        {
            // A split row under the same columns: its executed figure is the spending.
            for &(f, v, i) in &values {
                let (field, period) = match f {
                    "budget_executed" => (Some(field), Some("actual")),
                    "budget_initial" | "budget_full_year" => (None, Some("budget")),
                    _ => continue,
                };
                out.push(Figure {
                    field,
                    label: label.clone(),
                    period,
                    value: v,
                    raw: raw(row, i),
                    rank: 3,
                    rule: "self-evaluation split row",
                    location: cell_loc(t, ri, i),
                });
            }
        }
    }
    for (ri, row) in t.rows.iter().enumerate() {
        let first = row.first().map(|c| squash(&c.text)).unwrap_or_default();
        if first == "总分" || first == "合计得分" || first == "自评得分" {
            let nums: Vec<(Decimal, usize)> = row
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(i, c)| number(Some(c)).map(|v| (v, i)))
                .collect();
            let score = match nums.as_slice() {
                [s] => Some(*s),
                [_, s, ..] => Some(*s),
                _ => None,
            };
            if let Some((v, i)) = score {
                out.push(Figure {
                    field: Some("self_score"),
                    label: first.clone(),
                    period: None,
                    value: v,
                    raw: raw(row, i),
                    rank: 3,
                    rule: "总分 row",
                    location: cell_loc(t, ri, i),
                });
            }
        }
    }
}

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

/// Splits `产出指标(50分)` into `产出指标` and 50.
fn split_weight(s: &str) -> (String, Option<Decimal>) {
    let text = squash(s);
    if let Some(open) = text.find(['(', '（']) {
        let inner = text.get(open..).unwrap_or("");
        if let Some(m) = scan(inner).into_iter().find(|m| m.unit == "分") {
            return (text.get(..open).unwrap_or("").to_string(), Some(m.value));
        }
    }
    (text, None)
}

/// Column aliases of the 绩效指标 block (`rules/indicator_columns.tsv`), in the order
/// level1, level2, name, target, actual, weight, score, note.
static INDICATOR_COLUMNS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    crate::rules::entries(include_str!("../../rules/indicator_columns.tsv"))
        .into_iter()
        .filter_map(|l| l.split('\t').nth(1))
        .map(|aliases| aliases.split('|').collect())
        .collect()
});

static LEVEL1: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::rules::entries(include_str!("../../rules/level1.txt")));

/// Whether a cell names a 一级指标 heading (`产出指标`, `投入`).
fn is_level1(name: &str) -> bool {
    let core = name.trim_end_matches("指标");
    LEVEL1.contains(&core)
}

/// Which cell of a header row holds each indicator column.
fn indicator_columns(header: &[String]) -> [Option<usize>; 8] {
    let mut cols = [None; 8];
    for (slot, aliases) in cols.iter_mut().zip(INDICATOR_COLUMNS.iter()) {
        *slot = aliases
            .iter()
            .find_map(|a| header.iter().position(|h| h.contains(a)));
    }
    cols
}

/// The 绩效指标 rows of a table whose header row names 一级指标 and 三级指标.
pub fn indicators(t: &Table) -> Vec<IndicatorCells> {
    let mut out = Vec::new();
    let mut cols: Option<[Option<usize>; 8]> = None;
    let mut header_len = 0;
    let (mut level1, mut weight1, mut level2) = (String::new(), None, String::new());
    let mut skip_next = false;
    for (ri, row) in t.rows.iter().enumerate() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts.iter().any(|t| t.contains("一级")) {
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
            if joined.iter().any(|t| t.contains("三级指标")) {
                skip_next = joined != texts;
                cols = Some(indicator_columns(&joined));
                header_len = joined.len();
                continue;
            }
        }
        let Some(c) = cols else { continue };
        if texts
            .first()
            .is_some_and(|t| t.contains("总分") || t.contains("合计"))
        {
            cols = None;
            continue;
        }
        // Rows shorter than the header lost their leading merged cells: align on the right.
        let shift = header_len.saturating_sub(texts.len());
        let get = |i: Option<usize>| -> String {
            i.and_then(|i| i.checked_sub(shift))
                .and_then(|i| row.get(i))
                .map(|c| c.text.trim().to_string())
                .unwrap_or_default()
        };
        let l1 = get(c[0]);
        if !l1.trim().is_empty() {
            let (name, w) = split_weight(&l1);
            if name.contains("一级指标") {
                continue; // a header repeated after a page break
            }
            // Only a known 一级指标 heading starts a new level-1 group; anything else in
            // that column (a shifted cell of a ragged row) is not taken for one.
            if is_level1(&name) {
                level1 = name;
                weight1 = w;
            }
        }
        let l2 = squash(&get(c[1]));
        if !l2.is_empty() {
            level2 = l2;
        }
        let name = squash(&get(c[2]));
        if name.is_empty() || level1.is_empty() {
            continue;
        }
        let num = |i: Option<usize>| {
            number(
                i.and_then(|i| i.checked_sub(shift))
                    .and_then(|i| row.get(i)),
            )
        };
        out.push(IndicatorCells {
            level1: level1.clone(),
            level1_weight: weight1,
            level2: level2.clone(),
            name,
            target: get(c[3]),
            actual: get(c[4]),
            weight: num(c[5]),
            score: num(c[6]),
            note: get(c[7]),
            row: ri,
        });
    }
    out
}

/// The period a basic-data column header names: the latest year's 决算数 is `actual`, an
/// earlier one `prior_actual`, a 预算数 `budget`.
fn periods(header: &[String]) -> Vec<Option<&'static str>> {
    let year = |h: &String| -> Option<u32> {
        let digits: String = h.chars().filter(|c| c.is_ascii_digit()).take(4).collect();
        digits.parse().ok().filter(|_| digits.len() == 4)
    };
    let latest = header
        .iter()
        .filter(|h| h.contains("决算"))
        .filter_map(year)
        .max();
    header
        .iter()
        .map(|h| {
            if h.contains("预算数") {
                Some("budget")
            } else if h.contains("决算数") {
                Some(if year(h).is_some() && year(h) < latest {
                    "prior_actual"
                } else {
                    "actual"
                })
            } else {
                None
            }
        })
        .collect()
}

/// The report field a basic-data row feeds in the given period.
fn basic_field(label: &str, period: &str) -> Option<&'static str> {
    let label = label.trim_end_matches(['：', ':']);
    Some(match (period, label) {
        ("budget", l) if l.starts_with("三公经费") => "three_public_budget",
        ("actual", l) if l.starts_with("三公经费") => "three_public_actual",
        ("actual", l) if l.contains("公务接待") => "reception_actual",
        ("actual", l) if l.contains("公务用车") => "vehicle_actual",
        ("actual", "公用经费") => "exp_public",
        ("actual", "项目支出") => "exp_project",
        _ => return None,
    })
}

/// Basic-data table (经费控制情况): every figure under a 决算数 / 预算数 column with its
/// period; 三公经费 and its parts, 公用经费 and 项目支出 feed fields below prose, because
/// provinces define these rows differently (县级专项资金, 一般商品和服务支出).
pub fn basic_data(t: &Table, out: &mut Vec<Figure>) {
    let mut cols: Vec<Option<&'static str>> = Vec::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts.iter().any(|t| t.contains("决算数")) && texts.iter().any(|t| t.contains("预算数"))
        {
            cols = periods(&texts);
            continue;
        }
        if texts
            .iter()
            .any(|t| t.contains("楼堂馆所") || t.contains("编制数"))
        {
            cols.clear();
        }
        if cols.is_empty() {
            continue;
        }
        let label = texts.first().cloned().unwrap_or_default();
        for (i, period) in cols.iter().enumerate() {
            let Some(period) = *period else { continue };
            let Some(v) = number(row.get(i)) else {
                continue;
            };
            out.push(Figure {
                field: basic_field(&label, period),
                label: label.clone(),
                period: Some(period),
                value: v,
                raw: raw(row, i),
                rank: 0,
                rule: "basic-data table",
                location: cell_loc(t, ri, i),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_data_columns_have_periods() {
        let h: Vec<String> = [
            "经费控制情况（万元）",
            "2022年决算数",
            "2023年预算数",
            "2023年决算数",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            periods(&h),
            vec![None, Some("prior_actual"), Some("budget"), Some("actual")]
        );
        assert_eq!(
            basic_field("三公经费：", "budget"),
            Some("three_public_budget")
        );
        assert_eq!(basic_field("1、业务工作经费", "actual"), None);
    }

    #[test]
    fn every_indicator_column_rule_matches_its_example() {
        let text = include_str!("../../rules/indicator_columns.tsv");
        let rules: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(rules.len(), 8);
        for (i, line) in rules.iter().enumerate() {
            let example = line.split('\t').nth(2).unwrap_or_default().to_string();
            let mut header = vec![String::new(); 8];
            header[i] = squash(&example);
            assert_eq!(indicator_columns(&header)[i], Some(i), "{line}");
        }
    }

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            index: 1,
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::text(*c)).collect())
                .collect(),
        }
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
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.level1.as_str(), r.level2.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("产出指标", "数量指标", "改厕"),
                ("产出指标", "数量指标", "耕地恢复"),
                ("产出指标", "质量指标", "合格率")
            ]
        );
        assert_eq!(rows[0].level1_weight, Some(Decimal::from(50)));
        assert_eq!(rows[1].target, "700亩");
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

    #[test]
    fn weights_move_out_of_level1() {
        assert_eq!(
            split_weight("产出指标\n\n(40分)"),
            ("产出指标".into(), Some(Decimal::from(40)))
        );
        assert_eq!(
            split_weight("社会\n效益\n指标"),
            ("社会效益指标".into(), None)
        );
    }
}
