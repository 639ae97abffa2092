//! Extraction: one [`Document`] in, the rows it contributes out. Pure; no I/O.
//!
//! Each rule module proposes [`Candidate`]s for report fields; [`resolve`] keeps, per field,
//! the one from the most authoritative place (self-evaluation table over prose over the
//! basic-data table), and the first stated among equals.

pub mod amounts;
pub mod identity;
pub mod staff;
pub mod tables;
pub mod vocab;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::document::{Block, Document, Location};
use crate::normalize::numbers::scan;
use crate::record::{AmountRow, IndicatorRow, Num, ReportRow, Text};
use crate::write::dataset::DocRows;

/// A proposed value for a report field.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub field: &'static str,
    pub value: Decimal,
    /// Authority of the place it came from: 3 self-evaluation table, 2 header-named table
    /// column, 1 prose, 0 basic-data rows.
    pub rank: u8,
    /// Position in the document, for "first stated wins" among equals.
    pub order: usize,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:([一二三四五六七八九十]+)\s*[、．.]|[（(]([一二三四五六七八九十]+)[）)]|(\d{1,2})\s*[、．.](?:\D|$)|[（(](\d{1,2})[）)])")
        .expect("static regex")
});
static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:评价等级|自评等级|等级)(?:为|是|：|:)?[“\x22]?(优秀|良好|中等|中|合格|差)")
        .expect("static regex")
});
static PROSE_SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:自评得分|自评总分|综合得分|评价得分|总得分|自评分)(?:为|是|：|:)?(\d{1,3}(?:\.\d{1,2})?)分").expect("static regex")
});
static NO_GOV_FUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:无|没有|未发生|未安排)[^。；，]{0,8}政府性基金|政府性基金[^。；]{0,12}(?:为0|为零|无支出)").expect("static regex")
});

/// The heading level of a paragraph (`一、` 1, `（一）` 2, `1.` 3, `(1)` 4).
fn heading_level(text: &str) -> Option<usize> {
    let c = HEADING.captures(text)?;
    (1..=4).find(|&i| c.get(i).is_some())
}

fn heading_text(text: &str) -> String {
    let t = text.trim();
    let cut = t.find(['。', '：', ':']).unwrap_or(t.len());
    t.get(..cut).unwrap_or(t).chars().take(40).collect()
}

/// Extracts every row one document contributes to the dataset.
pub fn extract(doc: &Document, report_id: &str, source_path: &str) -> DocRows {
    let id = identity::identify(doc);
    let mut cands: Vec<Candidate> = staff::candidates(doc);
    let mut amount_rows: Vec<(String, amounts::Found, Location, &'static str)> = Vec::new();
    let mut sections: Vec<(usize, String)> = Vec::new();
    let mut grade = None;
    let mut gov_fund_none = false;
    for (order, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Paragraph(p) => {
                if let Some(level) = heading_level(&p.text) {
                    sections.retain(|(l, _)| *l < level);
                    sections.push((level, heading_text(&p.text)));
                }
                let squashed: String = p.text.chars().filter(|c| !c.is_whitespace()).collect();
                if grade.is_none() {
                    grade = GRADE
                        .captures(&squashed)
                        .and_then(|c| c.get(1))
                        .map(|m| m.as_str().to_string());
                }
                if let Some(s) = PROSE_SCORE.captures(&squashed).and_then(|c| c.get(1)) {
                    if let Ok(v) = s.as_str().parse::<Decimal>() {
                        cands.push(Candidate {
                            field: "self_score",
                            value: v,
                            rank: 1,
                            order,
                        });
                    }
                }
                gov_fund_none |= NO_GOV_FUND.is_match(&squashed);
                let found = amounts::find(&p.text, false);
                cands.extend(amounts::candidates(&found, 1, order));
                let section = sections
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" > ");
                for f in found {
                    let loc = Location::Para {
                        para: p.index,
                        start: f.start,
                        end: f.end,
                    };
                    amount_rows.push((section.clone(), f, loc, "prose"));
                }
            }
            Block::Table(t) => {
                tables::self_evaluation(t, &mut cands);
                tables::basic_data(t, &mut cands);
                let wan_table = t
                    .rows
                    .iter()
                    .take(3)
                    .flatten()
                    .any(|c| c.text.contains("万元"));
                for (ri, row) in t.rows.iter().enumerate() {
                    for (ci, c) in row.iter().enumerate() {
                        // Cells with a label and an amount (`其中：基本支出：2998.29`).
                        let found = amounts::find(
                            &c.text,
                            wan_table && c.text.chars().any(|ch| !ch.is_ascii_digit() && ch != '.'),
                        );
                        cands.extend(amounts::candidates(&found, 3, order));
                        for f in found {
                            let loc = Location::Cell {
                                table: t.index,
                                row: ri + 1,
                                col: ci + 1,
                            };
                            amount_rows.push(("表格".to_string(), f, loc, "table"));
                        }
                    }
                }
            }
        }
    }
    if gov_fund_none && !cands.iter().any(|c| c.field == "gov_fund_exp") {
        cands.push(Candidate {
            field: "gov_fund_exp",
            value: Decimal::ZERO,
            rank: 1,
            order: usize::MAX,
        });
    }
    let chosen = resolve(&cands);
    let township = id.township.clone().map(Text);
    let indicator_rows = indicator_rows(doc, report_id, id.fiscal_year, &township);
    let amounts: Vec<AmountRow> = amount_rows
        .into_iter()
        .map(|(section, f, loc, source)| AmountRow {
            report_id: Text::new(report_id),
            fiscal_year: id.fiscal_year,
            township: township.clone(),
            section: Text(section),
            label: Text(f.label),
            field: f
                .field
                .filter(|fl| chosen.get(fl) == Some(&f.value_wan))
                .map(Text::new),
            period: None,
            value_wan: Num(f.value_wan),
            raw: Text(f.raw),
            unit: Text::new(f.unit),
            qualifier: Text::new(f.qualifier),
            source: Text::new(source),
            location: Text(loc.to_string()),
        })
        .collect();
    let get = |f: &str| chosen.get(f).copied().map(Num);
    let report = ReportRow {
        report_id: Text::new(report_id),
        source_path: Text::new(source_path),
        unit_name: id.unit_name.map(Text),
        county: id.county.map(Text),
        township,
        fiscal_year: id.fiscal_year,
        report_date: id.report_date.map(Text),
        staff_authorized: get("staff_authorized"),
        staff_actual: get("staff_actual"),
        retirees: get("retirees"),
        income_total: get("income_total"),
        exp_total: get("exp_total"),
        exp_basic: get("exp_basic"),
        exp_project: get("exp_project"),
        exp_personnel: get("exp_personnel"),
        exp_public: get("exp_public"),
        three_public_budget: get("three_public_budget"),
        three_public_actual: get("three_public_actual"),
        reception_actual: get("reception_actual"),
        vehicle_actual: get("vehicle_actual"),
        gov_fund_exp: get("gov_fund_exp"),
        budget_initial: get("budget_initial"),
        budget_full_year: get("budget_full_year"),
        budget_executed: get("budget_executed"),
        execution_rate: get("execution_rate"),
        self_score: get("self_score"),
        grade: grade.map(Text),
        keywords: None,
        indicator_count: indicator_rows.len(),
        check_count: 0,
    };
    DocRows {
        report,
        amounts,
        indicators: indicator_rows,
        checks: Vec::new(),
    }
}

/// Per field, the candidate of highest rank, first stated among equals.
pub fn resolve(cands: &[Candidate]) -> BTreeMap<&'static str, Decimal> {
    let mut best: BTreeMap<&'static str, &Candidate> = BTreeMap::new();
    for c in cands {
        let better = best.get(c.field).is_none_or(|b| {
            (c.rank, std::cmp::Reverse(c.order)) > (b.rank, std::cmp::Reverse(b.order))
        });
        if better {
            best.insert(c.field, c);
        }
    }
    best.into_iter().map(|(f, c)| (f, c.value)).collect()
}

/// A target/actual cell as operator, value and unit when it is one number (money in 万元).
fn parse_value(raw: &str) -> (String, Option<Num>, String) {
    let text: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let ms = scan(&text);
    match ms.as_slice() {
        [m] if m.start == 0 && m.end == text.chars().count() => {
            let op = match m.qualifier {
                q @ ("≥" | "≤" | ">" | "<") => q,
                _ => "",
            };
            if m.unit == "元" {
                let wan = m.text.contains('万');
                let v = if wan {
                    m.value / Decimal::from(10_000)
                } else {
                    m.value
                };
                (
                    op.to_string(),
                    Some(Num(v)),
                    if wan { "万元" } else { "元" }.to_string(),
                )
            } else {
                (op.to_string(), Some(Num(m.value)), m.unit.to_string())
            }
        }
        _ => (String::new(), None, String::new()),
    }
}

fn indicator_rows(
    doc: &Document,
    report_id: &str,
    year: Option<i32>,
    township: &Option<Text>,
) -> Vec<IndicatorRow> {
    let mut out = Vec::new();
    for t in doc.tables() {
        for r in tables::indicators(t) {
            let (t_op, t_val, t_unit) = parse_value(&r.target);
            let (a_op, a_val, a_unit) = parse_value(&r.actual);
            out.push(IndicatorRow {
                report_id: Text::new(report_id),
                fiscal_year: year,
                township: township.clone(),
                level1: Text(r.level1),
                level1_weight: r.level1_weight.map(Num),
                level2: Text(r.level2),
                name: Text(r.name),
                target_raw: Text(r.target),
                target_op: Text(t_op),
                target_value: t_val,
                target_unit: Text(t_unit),
                actual_raw: Text(r.actual),
                actual_op: Text(a_op),
                actual_value: a_val,
                actual_unit: Text(a_unit),
                weight: r.weight.map(Num),
                score: r.score.map(Num),
                note: Text(r.note),
                location: Text(format!("t{}:r{}", t.index, r.row + 1)),
            });
        }
    }
    out
}
