//! The standard tables at the end of a report, recognised by header words, not position:
//! the self-evaluation table (年初预算数 | 全年预算数 | 全年执行数 … and the 绩效指标 block)
//! and the basic-data table (经费控制情况 with prior-year / budget / actual columns).

use rust_decimal::Decimal;

use crate::document::{Cell, Table};
use crate::extract::Candidate;
use crate::normalize::numbers::scan;

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// The first number of a cell (`99.7%` → 99.7), when the cell is just that number.
fn number(cell: Option<&Cell>) -> Option<Decimal> {
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
    } else if header.contains("分值") || header.contains("得分") {
        "score"
    } else {
        return None;
    })
}

/// The values of a row under the header's value columns: by position when the row has the
/// header's shape, else the row's numbers in order (flattened and `|` layouts drop the
/// empty leading cells).
fn row_values(
    row: &[Cell],
    cols: &[(usize, &'static str)],
    header_len: usize,
) -> Vec<(&'static str, Decimal)> {
    if row.len() == header_len {
        return cols
            .iter()
            .filter_map(|&(i, f)| number(row.get(i)).map(|v| (f, v)))
            .collect();
    }
    let nums: Vec<Decimal> = row.iter().filter_map(|c| number(Some(c))).collect();
    cols.iter().zip(nums).map(|(&(_, f), v)| (f, v)).collect()
}

/// Self-evaluation table figures: the budget columns of the 年度资金总额 row, the executed
/// column of 基本支出 / 项目支出 rows, and the 总分.
pub fn self_evaluation(t: &Table, out: &mut Vec<Candidate>) {
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
            for &(f, v) in &values {
                if f == "score" {
                    continue;
                }
                out.push(Candidate {
                    field: f,
                    value: v,
                    rank: 3,
                    order: ri,
                });
                if f == "budget_executed" {
                    // The year's executed total stands for the total spending when the
                    // prose states none.
                    out.push(Candidate {
                        field: "exp_total",
                        value: v,
                        rank: 0,
                        order: ri,
                    });
                }
            }
        } else if let Some(field) = ["基本支出", "项目支出"]
            .iter()
            .zip(["exp_basic", "exp_project"])
            .find(|(w, _)| label.starts_with(**w))
            .map(|(_, f)| f)
        {
            // A split row under the same columns: its executed figure is the spending.
            if let Some(&(_, v)) = values.iter().find(|(f, _)| *f == "budget_executed") {
                out.push(Candidate {
                    field,
                    value: v,
                    rank: 3,
                    order: ri,
                });
            }
        }
    }
    for (ri, row) in t.rows.iter().enumerate() {
        let first = row.first().map(|c| squash(&c.text)).unwrap_or_default();
        if first == "总分" || first == "合计得分" || first == "自评得分" {
            let nums: Vec<Decimal> = row.iter().skip(1).filter_map(|c| number(Some(c))).collect();
            let score = match nums.as_slice() {
                [s] => Some(*s),
                [_, s, ..] => Some(*s),
                _ => None,
            };
            if let Some(s) = score {
                out.push(Candidate {
                    field: "self_score",
                    value: s,
                    rank: 3,
                    order: ri,
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

/// The 绩效指标 rows of a table whose header row names 一级指标 and 三级指标.
pub fn indicators(t: &Table) -> Vec<IndicatorCells> {
    let mut out = Vec::new();
    let mut cols: Option<[Option<usize>; 8]> = None;
    let mut header_len = 0;
    let (mut level1, mut weight1, mut level2) = (String::new(), None, String::new());
    for (ri, row) in t.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts.iter().any(|t| t.contains("一级指标"))
            && texts.iter().any(|t| t.contains("三级指标"))
        {
            let find = |words: &[&str]| {
                texts
                    .iter()
                    .position(|t| words.iter().any(|w| t.contains(w)))
            };
            cols = Some([
                find(&["一级指标"]),
                find(&["二级指标"]),
                find(&["三级指标"]),
                find(&["年度指标值", "指标值", "目标值"]),
                find(&["实际完成值", "完成值", "实际值"]),
                find(&["分值", "权重"]),
                find(&["得分"]),
                find(&["偏差原因", "原因分析", "备注"]),
            ]);
            header_len = texts.len();
            continue;
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
            level1 = name;
            weight1 = w;
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

/// Basic-data table: 三公经费 and its parts under the current year's 预算数 / 决算数 columns.
pub fn basic_data(t: &Table, out: &mut Vec<Candidate>) {
    let mut budget_col = None;
    let mut actual_col = None;
    for (ri, row) in t.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        if texts.iter().any(|t| t.contains("决算数")) && texts.iter().any(|t| t.contains("预算数"))
        {
            budget_col = texts.iter().rposition(|t| t.contains("预算数"));
            actual_col = texts.iter().rposition(|t| t.contains("决算数"));
            continue;
        }
        let (Some(b), Some(a)) = (budget_col, actual_col) else {
            continue;
        };
        let label = texts.first().cloned().unwrap_or_default();
        let fields: &[(&str, &str)] = if label.starts_with("三公经费") {
            &[("three_public_budget", "b"), ("three_public_actual", "a")]
        } else if label.contains("公务接待") {
            &[("reception_actual", "a")]
        } else if label.contains("公务用车") {
            &[("vehicle_actual", "a")]
        } else if label == "公用经费" {
            &[("exp_public", "a")]
        } else if label.trim_end_matches(['：', ':']) == "项目支出" {
            &[("exp_project", "a")]
        } else {
            &[]
        };
        for (field, which) in fields {
            let col = if *which == "b" { b } else { a };
            if let Some(v) = number(row.get(col)) {
                // Below prose: this table's rows are defined differently across provinces.
                out.push(Candidate {
                    field,
                    value: v,
                    rank: 0,
                    order: ri,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
