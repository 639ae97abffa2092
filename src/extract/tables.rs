//! The standard tables at the end of a report, recognised by header words, not position:
//! the self-evaluation table (年初预算数 | 全年预算数 | 全年执行数 …) and the basic-data table (经费控制情况 with prior-year / budget / actual columns).

use std::sync::LazyLock;

use rust_decimal::Decimal;

use crate::document::{Cell, Location, Table};
use crate::extract::amounts::{self, Bare};
use crate::facts::{Candidate, Rank};
use crate::fields::Field;
use crate::normalize::numbers::scan;
use crate::normalize::text::squash;
use crate::rules::forms::{form_words, FormWord, GRADES};
use crate::rules::BUDGET_COLUMNS;

/// The number of a cell (`99.7%` → 99.7, `127人` → 127), when the cell is just that number.
pub(crate) fn number(cell: Option<&Cell>) -> Option<Decimal> {
    number_in(&cell?.text)
}

/// [`number`] of a cell's text.
pub(crate) fn number_in(text: &str) -> Option<Decimal> {
    let text = squash(text);
    let ms = scan(&text);
    match ms.as_slice() {
        [m] if m.start == 0 && text.chars().count() <= m.end + 1 => Some(m.value),
        _ => None,
    }
}

/// The report field (or `budget_score` / `budget_weight`) a self-evaluation column header
/// names.
fn budget_column(header: &str) -> Option<Field> {
    crate::rules::column_of(&BUDGET_COLUMNS, header).map(|r| r.column)
}

/// A money cell in 万元: `150万` / `150万元` are 万元 whatever the header says; a bare
/// number is 万元 unless the table's amounts are in 元 (`项目资金（元）`). An approximate
/// amount (`约36万`) is not a budget figure.
pub(crate) fn money(cell: &str, yuan: bool) -> Option<Decimal> {
    let text = squash(cell);
    let ms = scan(&text);
    let [m] = ms.as_slice() else { return None };
    if m.start != 0 || text.chars().count() > m.end + 2 || !m.qualifier.is_empty() {
        return None;
    }
    let bare = if yuan { Bare::Yuan } else { Bare::Wan };
    amounts::money(m, bare).map(|(v, _)| v)
}

static FUNDS_TOTAL: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_words(FormWord::FundsTotal));
static FUNDS_TOTAL_ALONE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_words(FormWord::FundsTotalAlone));
static SCORE_TOTAL: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_words(FormWord::ScoreTotal));
static YUAN: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_words(FormWord::Yuan));

/// Whether a header (or the rows just above it) says the table's amounts are in 元.
fn in_yuan(rows: &[Vec<Cell>]) -> bool {
    rows.iter().flatten().any(|c| {
        let t = squash(&c.text);
        YUAN.iter().any(|w| t.contains(w))
    })
}

/// A figure read from a table grid cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The report field it feeds, if any.
    pub field: Option<Field>,
    /// The row's label (`三公经费`, `年度资金总额`).
    pub label: String,
    /// `actual`, `budget` or `prior_actual`, from the column header. Only money columns
    /// have a period, so a figure with one is an amount (万元) for amounts.csv.
    pub period: Option<&'static str>,
    pub value: Decimal,
    pub raw: String,
    pub rank: Rank,
    pub rule: &'static str,
    pub location: String,
}

impl Figure {
    /// The candidate this figure proposes for its field.
    pub fn candidate(&self, block: usize) -> Option<Candidate> {
        Some(Candidate {
            field: self.field?,
            value: self.value,
            rank: self.rank,
            block,
            location: self.location.clone(),
            rule: self.rule,
        })
    }
}

fn raw(row: &[Cell], i: usize) -> String {
    row.get(i)
        .map(|c| c.text.trim().to_string())
        .unwrap_or_default()
}

/// The budget block's header: each value column's field, in order.
struct BudgetHeader {
    cols: Vec<Field>,
    /// Cells in the header row (a row of the same length is read by position).
    len: usize,
    /// Index of each value column in a same-length row.
    at: Vec<usize>,
    yuan: bool,
    /// A row label written after the header (`… | 得分 | 年度资金总额`): the next row,
    /// which has no label of its own, is that row.
    pending: Option<String>,
}

impl BudgetHeader {
    /// A header names 执行数 and at least one other budget column.
    fn read(texts: &[String], above: &[Vec<Cell>]) -> Option<BudgetHeader> {
        let mut seen = Vec::new();
        let mut at = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if let Some(f) = budget_column(t).filter(|f| !seen.contains(f)) {
                seen.push(f);
                at.push(i);
            }
        }
        let amounts = seen.iter().filter(|f| is_amount(**f)).count();
        if !seen.contains(&Field::BudgetExecuted) || amounts < 2 {
            return None;
        }
        let last = at.last().copied().unwrap_or(0);
        let pending = texts
            .get(last + 1..)
            .unwrap_or_default()
            .iter()
            .find(|t| is_total_label(t))
            .cloned();
        Some(BudgetHeader {
            cols: seen,
            len: texts.len(),
            at,
            yuan: in_yuan(above),
            pending,
        })
    }

    /// The row's values by field with their cell index. Same length as the header: by
    /// position. Else the value cells after the label, aligned on the 执行率 cell (amounts
    /// before it right-aligned, since the executed amount is the one never left out), one to
    /// one when there are as many as columns, or onto the amount columns when no rate is
    /// written and nothing but the rate could be missing. Anything else reads nothing.
    fn values(
        &self,
        row: &[Cell],
        texts: &[String],
        label_at: usize,
    ) -> Vec<(Field, Decimal, usize)> {
        let read = |f: Field, i: usize| -> Option<(Field, Decimal, usize)> {
            let t = texts.get(i)?;
            let v = if is_amount(f) {
                money(t, self.yuan)?
            } else {
                number(row.get(i))?
            };
            Some((f, v, i))
        };
        if row.len() == self.len {
            return self
                .cols
                .iter()
                .zip(&self.at)
                .filter_map(|(f, &i)| read(*f, i))
                .collect();
        }
        // The value cells: after the label, up to the first text cell.
        let cells: Vec<usize> = (label_at + 1..texts.len())
            .take_while(|&i| texts.get(i).is_some_and(|t| is_value_cell(t)))
            .collect();
        let rate_col = self.cols.iter().position(|f| *f == Field::ExecutionRate);
        let rate_cell = cells
            .iter()
            .position(|&i| texts.get(i).is_some_and(|t| t.contains('%')));
        let pairs: Vec<(Field, usize)> = match (rate_col, rate_cell) {
            (Some(rc), Some(ri)) => {
                let before_cols = self.cols.get(..rc).unwrap_or_default();
                let before_cells = cells.get(..ri).unwrap_or_default();
                if before_cells.len() > before_cols.len() {
                    return Vec::new();
                }
                let skip = before_cols.len() - before_cells.len();
                let mut v: Vec<(Field, usize)> = before_cols
                    .iter()
                    .skip(skip)
                    .copied()
                    .zip(before_cells.iter().copied())
                    .collect();
                v.extend(
                    self.cols
                        .get(rc..)
                        .unwrap_or_default()
                        .iter()
                        .copied()
                        .zip(cells.get(ri..).unwrap_or_default().iter().copied()),
                );
                v
            }
            _ if cells.len() == self.cols.len() => self
                .cols
                .iter()
                .copied()
                .zip(cells.iter().copied())
                .collect(),
            // No rate written, and besides the amounts the header has only the rate (or the
            // reason): as many values as amount columns are those amounts, in order. With a
            // 分值 or 得分 column a missing amount could be either, so nothing is read.
            (_, None)
                if self.cols.iter().all(|f| {
                    is_amount(*f) || matches!(f, Field::ExecutionRate | Field::BudgetNote)
                }) && cells.len() == self.cols.iter().filter(|f| is_amount(**f)).count() =>
            {
                self.cols
                    .iter()
                    .copied()
                    .filter(|f| is_amount(*f))
                    .zip(cells.iter().copied())
                    .collect()
            }
            _ => return Vec::new(),
        };
        pairs.into_iter().filter_map(|(f, i)| read(f, i)).collect()
    }
}

/// A budget amount column (not the rate, the weight or the score).
fn is_amount(f: Field) -> bool {
    matches!(
        f,
        Field::BudgetInitial | Field::BudgetFullYear | Field::BudgetExecuted
    )
}

/// A cell of the value part of a budget row: a number, a percentage, a dash or empty.
fn is_value_cell(t: &str) -> bool {
    t.is_empty() || ["—", "-", "/", "——"].contains(&t) || number_in(t).is_some()
}

/// The label of the budget block's total row (`年度资金总额`, `部门整体支出总额`, `总额`).
pub(crate) fn is_total_label(t: &str) -> bool {
    let alone = squash(t);
    let alone = alone.trim_end_matches([':', '：']);
    FUNDS_TOTAL.iter().any(|w| t.contains(w)) || FUNDS_TOTAL_ALONE.contains(&alone)
}

/// Self-evaluation table figures: the budget columns of the 年度资金总额 row, the executed
/// column of 基本支出 / 项目支出 rows, and the 总分; returns the grade written in the 总分 row
/// (`总分 | 100 | 96 | 优`). `extra` gets the fallback reading of 全年执行数 as the total
/// spending (`whole`: only a whole-unit report's funds are its spending), at the table's
/// `block`.
pub fn self_evaluation(
    t: &Table,
    block: usize,
    whole: bool,
    out: &mut Vec<Figure>,
    extra: &mut Vec<Candidate>,
) -> Option<String> {
    let mut header: Option<BudgetHeader> = None;
    for (ri, row) in t.rows.iter().enumerate() {
        let texts: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
        let above = t.rows.get(ri.saturating_sub(2)..=ri).unwrap_or_default();
        if let Some(h) = BudgetHeader::read(&texts, above) {
            header = Some(h);
            continue;
        }
        let Some(h) = header.as_mut() else { continue };
        if texts
            .iter()
            .any(|t| t.contains("年度总体目标") || t.contains("一级指标") || t.contains("绩效指标"))
        {
            header = None; // the budget block has ended
            continue;
        }
        let label_at = texts
            .iter()
            .position(|t| !t.is_empty() && !is_value_cell(t));
        if let Some(i) = label_at.filter(|&i| {
            texts
                .iter()
                .enumerate()
                .all(|(j, t)| j == i || t.is_empty())
        }) {
            // A label alone on its row (`年度资金总额 |` with its values on the next line,
            // as a pipe dump writes a cell that spans two lines): the next row is its row.
            h.pending = texts.get(i).cloned();
            continue;
        }
        let pending = h.pending.take();
        let (label, label_at) = match (label_at, pending) {
            (Some(0), _) | (Some(_), None) => {
                let i = label_at.unwrap_or(0);
                (texts.get(i).cloned().unwrap_or_default(), i)
            }
            // A row of values whose label ended the line above.
            (_, Some(p)) => (
                p,
                texts
                    .iter()
                    .position(|t| !t.is_empty())
                    .unwrap_or(0)
                    .saturating_sub(1),
            ),
            (None, None) => continue,
        };
        let values = h.values(row, &texts, label_at);
        if is_total_label(&label) {
            for &(f, v, i) in &values {
                let period = match f {
                    Field::BudgetInitial | Field::BudgetFullYear => Some("budget"),
                    Field::BudgetExecuted => Some("actual"),
                    _ => None,
                };
                if f == Field::BudgetWeight || f == Field::BudgetNote {
                    continue;
                }
                let location = Location::cell(t, ri, i);
                if f == Field::BudgetExecuted {
                    if label.contains("支出总额") {
                        // 部门整体支出总额: the row is the unit's spending itself.
                        out.push(Figure {
                            field: Some(Field::ExpTotal),
                            label: label.clone(),
                            period: None,
                            value: v,
                            raw: raw(row, i),
                            rank: Rank::SelfEvaluation,
                            rule: "self-evaluation 支出总额 row",
                            location: location.clone(),
                        });
                    } else if whole && !over_budget(&values, v) {
                        // The year's executed total stands for the total spending when the
                        // prose states none; not when it runs over the year's budget, which
                        // the checks flag as doubtful (carried-over funds, a slip).
                        extra.push(Candidate {
                            field: Field::ExpTotal,
                            value: v,
                            rank: Rank::BasicData,
                            block,
                            location: location.clone(),
                            rule: "self-evaluation 全年执行数 (fallback for the total)",
                        });
                    }
                }
                out.push(Figure {
                    field: Some(f),
                    label: label.clone(),
                    period,
                    value: v,
                    raw: raw(row, i),
                    rank: Rank::SelfEvaluation,
                    rule: "self-evaluation table column",
                    location,
                });
            }
        } else if let Some(field) = ["基本支出", "项目支出"]
            .iter()
            .zip([Field::ExpBasic, Field::ExpProject])
            .find(|(w, _)| label.starts_with(**w))
            .map(|(_, f)| f)
        {
            // A split row under the same columns: its executed figure is the spending.
            for &(f, v, i) in &values {
                let (field, period) = match f {
                    Field::BudgetExecuted => (Some(field), Some("actual")),
                    Field::BudgetInitial | Field::BudgetFullYear => (None, Some("budget")),
                    _ => continue,
                };
                out.push(Figure {
                    field,
                    label: label.clone(),
                    period,
                    value: v,
                    raw: raw(row, i),
                    rank: Rank::SelfEvaluation,
                    rule: "self-evaluation split row",
                    location: Location::cell(t, ri, i),
                });
            }
        }
    }
    let mut grade = None;
    for (ri, row) in t.rows.iter().enumerate() {
        let Some((k, label)) = total_cell(row) else {
            continue;
        };
        if grade.is_none() {
            grade = row
                .iter()
                .skip(k + 1)
                .map(|c| squash(&c.text))
                .find(|c| GRADES.contains(&c.as_str()));
        }
        // The numbers right after the label: the maximum then the score, or the score. Empty
        // cells between them are the grid's, not the form's (a sheet's unmerged label columns).
        let nums: Vec<(Decimal, usize)> = row
            .iter()
            .enumerate()
            .skip(k + 1)
            .filter(|(_, c)| !c.text.trim().is_empty())
            .map_while(|(i, c)| number(Some(c)).map(|v| (v, i)))
            .collect();
        let score = match nums.as_slice() {
            [s] => Some(*s),
            [_, s, ..] => Some(*s),
            _ => None,
        };
        if let Some((v, i)) = score {
            out.push(Figure {
                field: Some(Field::SelfScore),
                label,
                period: None,
                value: v,
                raw: raw(row, i),
                rank: Rank::SelfEvaluation,
                rule: "总分 row",
                location: Location::cell(t, ri, i),
            });
        }
    }
    grade
}

/// The 总分 cell of a row: anywhere for 总分 / 合计得分 / 自评总分 (a dump may glue the row to
/// the one before), first only for 自评得分 (elsewhere it heads a budget column).
fn total_cell(row: &[Cell]) -> Option<(usize, String)> {
    row.iter().enumerate().find_map(|(i, c)| {
        let t = squash(&c.text);
        let bare = t.trim_end_matches([':', '：']);
        let total = SCORE_TOTAL.contains(&bare) || (i == 0 && t == "自评得分");
        total.then_some((i, t))
    })
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
fn basic_field(label: &str, period: &str) -> Option<Field> {
    let label = label.trim_end_matches(['：', ':']);
    Some(match (period, label) {
        ("budget", l) if l.starts_with("三公经费") => Field::ThreePublicBudget,
        ("actual", l) if l.starts_with("三公经费") => Field::ThreePublicActual,
        ("actual", l) if l.contains("公务接待") => Field::ReceptionActual,
        ("actual", l) if l.contains("公务用车") => Field::VehicleActual,
        ("actual", "公用经费") => Field::ExpPublic,
        ("actual", "项目支出") => Field::ExpProject,
        _ => return None,
    })
}

/// Whether a row of a table read from space-separated text fills the header's columns: its
/// label, then a number under every other column, then nothing or another label (`其中:…`).
/// An empty cell leaves no trace in such text, so a shorter row cannot be placed.
fn fills_columns(row: &[Cell], columns: usize) -> bool {
    let numbers = row.get(1..columns).unwrap_or_default();
    numbers.len() + 1 == columns
        && numbers.iter().all(|c| number(Some(c)).is_some())
        && number(row.get(columns)).is_none()
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
        if cols.is_empty() || (t.spaced && !fills_columns(row, cols.len())) {
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
                rank: Rank::BasicData,
                rule: "basic-data table",
                location: Location::cell(t, ri, i),
            });
        }
    }
}

/// Whether an executed amount `v` is above the full-year budget stated in the same row.
fn over_budget(values: &[(Field, Decimal, usize)], v: Decimal) -> bool {
    values
        .iter()
        .any(|&(f, budget, _)| f == Field::BudgetFullYear && v > budget)
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
            Some(Field::ThreePublicBudget)
        );
        assert_eq!(basic_field("1、业务工作经费", "actual"), None);
    }

    fn grid(rows: &[&[&str]]) -> Table {
        Table::of_texts(1, rows)
    }

    #[test]
    fn spaced_basic_data_rows_must_fill_the_columns() {
        let mut t = grid(&[
            &[
                "经费控制情况",
                "2017年决算数",
                "2018年预算数",
                "2018年决算数",
            ],
            &["三公经费", "29.08", "63.46", "44.29"],
            &[
                "1、公务用车经费",
                "11.86",
                "41.46",
                "39.30",
                "其中:公车购置",
                "29.46",
            ],
            // One number short: which column is empty cannot be told.
            &["3、公务接待", "17.22", "4.99"],
        ]);
        t.spaced = true;
        let mut out = Vec::new();
        basic_data(&t, &mut out);
        let got: Vec<(Field, String)> = out
            .iter()
            .filter_map(|f| Some((f.field?, f.value.normalize().to_string())))
            .collect();
        assert_eq!(
            got,
            vec![
                (Field::ThreePublicBudget, "63.46".to_string()),
                (Field::ThreePublicActual, "44.29".to_string()),
                (Field::VehicleActual, "39.3".to_string()),
            ]
        );
        // Read from a real grid, the short row's cells stand where they are.
        t.spaced = false;
        let mut out = Vec::new();
        basic_data(&t, &mut out);
        assert!(out.iter().any(|f| f.label == "3、公务接待"));
    }

    fn budget(rows: &[&[&str]]) -> Vec<(Field, String)> {
        let mut out = Vec::new();
        self_evaluation(&grid(rows), 0, true, &mut out, &mut Vec::new());
        out.into_iter()
            .filter_map(|f| Some((f.field?, f.value.normalize().to_string())))
            .collect()
    }

    /// Every line of rules/form_words.tsv is well formed, of a known kind, and its example is
    /// read as that kind.
    #[test]
    fn every_form_word_matches_its_example() {
        use crate::rules::forms::{FormWordLine, FORM_WORD_FILE};
        let file = FORM_WORD_FILE.path;
        let rows =
            crate::rules::table::<FormWordLine>(&FORM_WORD_FILE).unwrap_or_else(|e| panic!("{e}"));
        for (line, r) in rows {
            let example = r.example.as_str();
            let cell = [vec![Cell::text(example)]];
            let ok = match r.kind {
                FormWord::FundsTotal | FormWord::FundsTotalAlone => {
                    is_total_label(&squash(example))
                }
                FormWord::ScoreTotal => total_cell(&cell[0]).is_some(),
                FormWord::Grade => GRADES.contains(&squash(example).as_str()),
                FormWord::Yuan => in_yuan(&cell),
                // Read by the extractor's form and prose rules (crate::extract's tests).
                FormWord::ScoreCell
                | FormWord::GradeCell
                | FormWord::ScoreLabel
                | FormWord::GradeLabel => true,
            };
            assert!(ok && example.contains(&r.word), "{file}:{line}");
        }
    }

    /// Every line of rules/budget_columns.tsv is well formed, names a column the budget rule
    /// reads, and its example header is read as that column.
    #[test]
    fn every_budget_column_rule_matches_its_example() {
        use crate::rules::columns::{columns, BUDGET_COLUMN_FILE};
        let file = BUDGET_COLUMN_FILE.path;
        let rules = columns::<Field>(&BUDGET_COLUMN_FILE).unwrap_or_else(|e| panic!("{e}"));
        let known = [Field::BudgetScore, Field::BudgetWeight, Field::BudgetNote];
        for r in &rules {
            assert!(
                crate::fields::RANKED.contains(&r.column) || known.contains(&r.column),
                "{file}:{}: {:?} is no column the budget rule reads",
                r.line,
                r.column
            );
            assert_eq!(
                budget_column(&r.example),
                Some(r.column),
                "{file}:{}",
                r.line
            );
        }
    }

    /// The budget block's header as the provincial template writes it.
    const BUDGET_HEADER: [&str; 7] = [
        "",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ];

    #[test]
    fn budget_columns_by_meaning() {
        // (A)/(B) template without 年初预算数; the score header mentions 执行率.
        assert_eq!(
            budget(&[
                &[
                    "资金情况(万元)",
                    "全年预算数(A)",
                    "全年执行数(B)",
                    "分值",
                    "执行率(B/A)",
                    "得分(10分*执行率)"
                ],
                &["年度资金总额：", "56.4", "50.76", "10", "90%", "9"],
            ]),
            vec![
                (Field::BudgetFullYear, "56.4".into()),
                (Field::BudgetExecuted, "50.76".into()),
                (Field::ExecutionRate, "90".into()),
                (Field::BudgetScore, "9".into()),
            ]
        );
        // A dump dropped the row's empty cells: values aligned on the rate, amounts to the
        // right (the executed amount is never the one left out); 元 in the header above.
        assert_eq!(
            budget(&[
                &["项目资金（元）"],
                &BUDGET_HEADER,
                &["年度资金总额", "120000", "118500", "10", "98.75%", "9.9"],
            ]),
            vec![
                (Field::BudgetFullYear, "12".into()),
                (Field::BudgetExecuted, "11.85".into()),
                (Field::ExecutionRate, "98.75".into()),
                (Field::BudgetScore, "9.9".into()),
            ]
        );
    }

    #[test]
    fn a_dropped_rate_cell_leaves_the_amounts_in_order() {
        // Invented: a dump kept only the cells with text, the rate was left blank.
        assert_eq!(
            budget(&[
                &["资金(万元)", "年初预算数", "全年执行数", "执行率"],
                &["年度资金总额", "64", "61.2"],
            ]),
            vec![
                (Field::BudgetInitial, "64".into()),
                (Field::BudgetExecuted, "61.2".into()),
            ]
        );
        // With a 分值 column, two values could be the amounts or an amount and the weight.
        assert!(budget(&[
            &["资金(万元)", "年初预算数", "全年执行数", "分值", "执行率"],
            &["年度资金总额", "64", "10"],
        ])
        .is_empty());
    }

    #[test]
    fn a_weight_and_a_reason_column_and_a_total_row_named_alone() {
        // Invented, after the Sichuan form: 权重 is the weight, 原因 free text, the total row
        // is `合计` alone; a row named 基本支出总额 inside the block is no total.
        assert_eq!(
            budget(&[
                &[
                    "",
                    "年初预算",
                    "调整后预算数",
                    "预算执行数",
                    "预算执行率",
                    "权重",
                    "得分",
                    "偏差原因"
                ],
                &["合计：", "80", "85.5", "83", "97.08%", "10", "9.7", "12"],
            ]),
            vec![
                (Field::BudgetInitial, "80".into()),
                (Field::BudgetFullYear, "85.5".into()),
                (Field::BudgetExecuted, "83".into()),
                (Field::ExecutionRate, "97.08".into()),
                (Field::BudgetScore, "9.7".into()),
            ]
        );
        assert!(is_total_label("总 额"));
        assert!(!is_total_label("其中：总额以外"));
        assert!(budget(&[
            &[
                "",
                "年初预算",
                "调整后预算数",
                "预算执行数",
                "预算执行率",
                "权重"
            ],
            &["人员总额", "80", "85.5", "83", "97.08%", "10"],
        ])
        .is_empty());
    }
    #[test]
    fn money_cells_in_wan() {
        assert_eq!(money("36万", false), Some(Decimal::from(36)));
        assert_eq!(money("36.5万元", false), Some(Decimal::new(365, 1)));
        assert_eq!(money("365000", true), Some(Decimal::new(365, 1)));
        assert_eq!(money("365000", false), Some(Decimal::from(365_000)));
        assert_eq!(money("约36万", false), None);
    }

    #[test]
    fn total_row_anywhere_and_its_grade() {
        let t = grid(&[&["其他需要说明的问题", "无", "总分", "100", "91.5", "优秀"]]);
        let mut out = Vec::new();
        let grade = self_evaluation(&t, 0, true, &mut out, &mut Vec::new());
        assert_eq!(out.first().map(|f| f.value), Some(Decimal::new(915, 1)));
        assert_eq!(grade.as_deref(), Some("优秀"));
        let t = grid(&[&["总分", "100分"], &["自评等级", "良"]]);
        assert_eq!(
            self_evaluation(&t, 0, true, &mut out, &mut Vec::new()),
            None
        );
        // A sheet's label columns left empty, unmerged: the figures after them still count.
        let t = grid(&[&["总分", "", "", "", "", "100", "88.5"]]);
        let mut out = Vec::new();
        self_evaluation(&t, 0, true, &mut out, &mut Vec::new());
        assert_eq!(out.first().map(|f| f.value), Some(Decimal::new(885, 1)));
    }

    #[test]
    fn executed_total_stands_for_spending_only_within_the_budget() {
        let fallback = |executed: &str| {
            let t = grid(&[
                &BUDGET_HEADER,
                &["年度资金总额", "329.77", "329.77", executed, "10", "", "10"],
            ]);
            let mut extra = Vec::new();
            self_evaluation(&t, 0, true, &mut Vec::new(), &mut extra);
            extra
                .iter()
                .find(|c| c.field == Field::ExpTotal)
                .map(|c| c.value.to_string())
        };
        assert_eq!(fallback("320.5").as_deref(), Some("320.5"));
        assert_eq!(fallback("329.77").as_deref(), Some("329.77"));
        assert_eq!(fallback("338.31"), None);
    }

    #[test]
    fn a_label_alone_on_its_row_labels_the_values_below() {
        let read = |rows: &[&[&str]]| {
            let mut out = Vec::new();
            self_evaluation(&grid(rows), 0, false, &mut out, &mut Vec::new());
            let mut v: Vec<(String, String)> = out
                .iter()
                .filter_map(|f| Some((f.field?.to_string(), f.value.to_string())))
                .collect();
            v.sort();
            v
        };
        let header: &[&str] = &[
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ];
        // The 年初 cell left empty: the amounts before the rate are right-aligned.
        let got = read(&[
            header,
            &["年度资金总额"],
            &["", "57.6", "50.05", "10", "86.89%", "8"],
        ]);
        let want = [
            (Field::BudgetExecuted, "50.05"),
            (Field::BudgetFullYear, "57.6"),
            (Field::BudgetScore, "8"),
            (Field::ExecutionRate, "86.89"),
        ];
        assert_eq!(got, want.map(|(f, v)| (f.to_string(), v.to_string())));
        let got = read(&[
            header,
            &["资金总额"],
            &["", "12", "14.5", "14.5", "10", "100%", "10"],
        ]);
        assert!(
            got.contains(&(Field::BudgetInitial.to_string(), "12".to_string())),
            "{got:?}"
        );
        // A label alone that is not the total's keeps its values out of the budget fields.
        let got = read(&[
            header,
            &["其他资金"],
            &["", "3", "3", "2", "10", "66.67%", "6"],
        ]);
        assert!(got.is_empty(), "{got:?}");
    }
}
