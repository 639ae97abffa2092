//! Consistency checks a careful auditor makes on one report's figures → checks.csv rows.
//!
//! `error` where stated figures contradict each other (a sum, a share, the same figure
//! stated twice); `warning` for facts worth a look that are not contradictions (actual above
//! budget, staff above the establishment, a score above its weight, a year that disagrees
//! with the text). Rounding within 0.01 万元, or 0.1 percentage point for a share, is not a
//! finding. Checks never change a value; they only report.

use rust_decimal::Decimal;

use crate::facts::{Candidate, DocRows, Extracted, Facts, Rank};
use crate::fields::Field;
use crate::findings::Check;
use crate::normalize::numbers::fmt_decimal;
use crate::record::{CheckRow, Text};

/// One finding, before it gets the report's identity columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: Check,
    pub message: String,
    pub location: String,
}

/// Money tolerance: 0.01 万元 (plus a hair for decimal noise).
fn money_eps() -> Decimal {
    Decimal::new(10001, 6)
}

/// Share tolerance: 0.1 percentage point.
fn share_eps() -> Decimal {
    Decimal::new(1001, 4)
}

/// A field's Chinese title in messages, from the field registry (the same words as the
/// dictionary and the workbook's headers).
fn name(field: Field) -> &'static str {
    field.column().map_or(field.name(), |c| c.zh)
}

fn n(d: Decimal) -> String {
    fmt_decimal(d)
}

/// The checks stage: runs every check on a document's facts and adds checks.csv rows (and
/// the report's `check_count`) to its rows.
pub fn apply(extracted: Extracted) -> DocRows {
    let Extracted { mut rows, facts } = extracted;
    let report = &rows.report;
    rows.checks = run(&facts)
        .into_iter()
        .map(|f| CheckRow {
            report_id: report.report_id.clone(),
            fiscal_year: report.fiscal_year,
            township: report.township.clone(),
            check: Text::new(f.check.name()),
            severity: Text::new(f.check.severity().name()),
            message: Text(f.message),
            location: Text(f.location),
        })
        .collect();
    rows.report.check_count = rows.checks.len();
    rows
}

/// Adds the gate's `weak_evidence` warning to a kept report: the document was extracted,
/// but what says it is a self-evaluation was thin (`why`).
pub fn weak_evidence(rows: &mut DocRows, why: &str) {
    warn(rows, Check::WeakEvidence, why);
}

/// Adds a `warning` of the stages before extraction to a report's checks: the gate's
/// `weak_evidence`, a reader's `pages_cut`.
pub fn warn(rows: &mut DocRows, check: Check, message: &str) {
    warn_at(rows, check, message, "");
}

/// [`warn`] about one place (a reader's `ocr_doubtful`: the cell left empty).
pub fn warn_at(rows: &mut DocRows, check: Check, message: &str, location: &str) {
    let report = &rows.report;
    rows.checks.push(CheckRow {
        report_id: report.report_id.clone(),
        fiscal_year: report.fiscal_year,
        township: report.township.clone(),
        check: Text::new(check.name()),
        severity: Text::new(check.severity().name()),
        message: Text::new(message),
        location: Text::new(location),
    });
    rows.report.check_count = rows.checks.len();
}

/// Runs every check.
pub fn run(f: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    for (check, message) in f.division.iter().chain(&f.identity) {
        out.push(Finding {
            check: *check,
            message: message.clone(),
            location: String::new(),
        });
    }
    parts_sum(
        f,
        Check::ExpBasicPlusProject,
        Field::ExpTotal,
        &[Field::ExpBasic, Field::ExpProject],
        &mut out,
    );
    parts_sum(
        f,
        Check::ExpPersonnelPlusPublic,
        Field::ExpBasic,
        &[Field::ExpPersonnel, Field::ExpPublic],
        &mut out,
    );
    three_public_parts(f, &mut out);
    shares(f, &mut out);
    stated_twice(f, &mut out);
    above(
        f,
        Check::ThreePublicOverBudget,
        Field::ThreePublicActual,
        Field::ThreePublicBudget,
        &mut out,
    );
    above(
        f,
        Check::ExecutedOverBudget,
        Field::BudgetExecuted,
        Field::BudgetFullYear,
        &mut out,
    );
    above(
        f,
        Check::StaffOverEstablishment,
        Field::StaffActual,
        Field::StaffAuthorized,
        &mut out,
    );
    rate_mismatch(f, &mut out);
    indicator_scores(f, &mut out);
    unassembled(f, &mut out);
    fiscal_year(f, &mut out);
    out
}

fn get(f: &Facts, field: Field) -> Option<&Candidate> {
    f.chosen.get(&field)
}

/// `total` should equal the sum of `parts` when all are stated.
fn parts_sum(f: &Facts, check: Check, total: Field, parts: &[Field], out: &mut Vec<Finding>) {
    let Some(t) = get(f, total) else { return };
    let ps: Option<Vec<&Candidate>> = parts.iter().map(|p| get(f, *p)).collect();
    let Some(ps) = ps else { return };
    let sum: Decimal = ps.iter().map(|c| c.value).sum();
    if (sum - t.value).abs() > money_eps() {
        let terms: Vec<String> = ps
            .iter()
            .map(|c| format!("{} {}", name(c.field), n(c.value)))
            .collect();
        out.push(Finding {
            check,
            message: format!(
                "{} = {} 万元，但{}为 {} 万元",
                terms.join(" + "),
                n(sum),
                name(total),
                n(t.value)
            ),
            location: std::iter::once(&t.location)
                .chain(ps.iter().map(|c| &c.location))
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
}

/// The stated parts of the three public expenses cannot exceed their total.
fn three_public_parts(f: &Facts, out: &mut Vec<Finding>) {
    let Some(t) = get(f, Field::ThreePublicActual) else {
        return;
    };
    let parts: Vec<&Candidate> = [Field::ReceptionActual, Field::VehicleActual]
        .iter()
        .filter_map(|p| get(f, *p))
        .collect();
    if parts.is_empty() {
        return;
    }
    let sum: Decimal = parts.iter().map(|c| c.value).sum();
    if sum - t.value > money_eps() {
        out.push(Finding {
            check: Check::ThreePublicParts,
            message: format!(
                "“三公”经费各项合计 {} 万元，超过其总额 {} 万元",
                n(sum),
                n(t.value)
            ),
            location: std::iter::once(&t.location)
                .chain(parts.iter().map(|c| &c.location))
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        });
    }
}

/// A stated share (`占本年支出82.58%`) against the figures it describes.
fn shares(f: &Facts, out: &mut Vec<Finding>) {
    for s in &f.shares {
        let Some(base) = get(f, s.base) else { continue };
        if base.value.is_zero() {
            continue;
        }
        let Some(computed) = (s.amount * Decimal::from(100)).checked_div(base.value) else {
            continue;
        };
        if (computed - s.percent).abs() > share_eps() {
            out.push(Finding {
                check: Check::StatedShare,
                message: format!(
                    "{} {} 万元写为占{} {} 万元的 {}%，按数字计算为 {}%",
                    name(s.field),
                    n(s.amount),
                    name(s.base),
                    n(base.value),
                    n(s.percent),
                    n(computed.round_dp(2))
                ),
                location: format!("{} {}", s.location, base.location),
            });
        }
    }
}

/// The same field stated with different values (fallback readings aside). The candidates
/// are grouped by field once, and each new value is looked up among the values already
/// reported in an ordered set, so a document stating thousands of amounts costs
/// n log n comparisons, not one per pair (800,000 characters of amounts took 18 s).
fn stated_twice(f: &Facts, out: &mut Vec<Finding>) {
    let mut by_field: std::collections::HashMap<Field, Vec<&Candidate>> = Default::default();
    for c in f.candidates.iter().filter(|c| c.rank > Rank::BasicData) {
        by_field.entry(c.field).or_default().push(c);
    }
    for (field, chosen) in &f.chosen {
        let mut seen: Vec<&Candidate> = Vec::new();
        let mut values = std::collections::BTreeSet::new();
        let eps = money_eps();
        for c in by_field.get(field).into_iter().flatten() {
            let near = match (c.value.checked_sub(eps), c.value.checked_add(eps)) {
                (Some(lo), Some(hi)) => values.range(lo..=hi).next().is_some(),
                _ => values.contains(&c.value),
            };
            if (c.value - chosen.value).abs() > eps && !near {
                values.insert(c.value);
                seen.push(c);
            }
        }
        for c in seen {
            out.push(Finding {
                check: Check::StatedTwice,
                message: format!(
                    "{}写有 {} 和 {} 两个数；报告取 {}（依规则 {}）",
                    name(*field),
                    n(chosen.value),
                    n(c.value),
                    n(chosen.value),
                    chosen.rule
                ),
                location: format!("{} {}", chosen.location, c.location),
            });
        }
    }
}

/// `field` above `limit`: worth a look, not a contradiction.
fn above(f: &Facts, check: Check, field: Field, limit: Field, out: &mut Vec<Finding>) {
    let (Some(a), Some(b)) = (get(f, field), get(f, limit)) else {
        return;
    };
    if a.value - b.value > money_eps() {
        out.push(Finding {
            check,
            message: format!(
                "{} {} 高于{} {}",
                name(field),
                n(a.value),
                name(limit),
                n(b.value)
            ),
            location: format!("{} {}", a.location, b.location),
        });
    }
}

/// A stated execution rate that executed / budget (the full-year budget, else the 年初 one)
/// does not give, beyond the rounding of the rate as written (`50%` stands for 49.5–50.5)
/// and a share's tolerance. The rate is kept as written; this only says so.
fn rate_mismatch(f: &Facts, out: &mut Vec<Finding>) {
    let (Some(rate), Some(exec)) = (get(f, Field::ExecutionRate), get(f, Field::BudgetExecuted))
    else {
        return;
    };
    let Some(budget) = get(f, Field::BudgetFullYear).or_else(|| get(f, Field::BudgetInitial))
    else {
        return;
    };
    if budget.value.is_zero() {
        return;
    }
    let given = exec.value * Decimal::ONE_HUNDRED / budget.value;
    let rounding = Decimal::new(5, rate.value.scale().saturating_add(1).min(28));
    if (given - rate.value).abs() > rounding + share_eps() {
        out.push(Finding {
            check: Check::RateMismatch,
            message: format!(
                "{} {}% 不等于{} {} / {} {} = {}%",
                name(Field::ExecutionRate),
                n(rate.value),
                name(Field::BudgetExecuted),
                n(exec.value),
                name(budget.field),
                n(budget.value),
                n(given.round_dp(2))
            ),
            location: format!("{} {} {}", rate.location, exec.location, budget.location),
        });
    }
}

/// Each indicator's score within its weight; scores plus the budget score equal the 总分.
fn indicator_scores(f: &Facts, out: &mut Vec<Finding>) {
    for p in &f.indicators {
        if let (Some(w), Some(s)) = (p.weight, p.score) {
            if s > w {
                out.push(Finding {
                    check: Check::IndicatorScoreAboveWeight,
                    message: format!("指标“{}”得分 {}，超过其分值 {}", p.name, n(s), n(w)),
                    location: p.location.clone(),
                });
            }
        }
    }
    let (Some(total), Some(budget)) = (get(f, Field::SelfScore), get(f, Field::BudgetScore)) else {
        return;
    };
    let scores: Option<Vec<Decimal>> = f.indicators.iter().map(|p| p.score).collect();
    let Some(scores) = scores.filter(|s| !s.is_empty()) else {
        return;
    };
    let sum: Decimal = scores.iter().copied().sum::<Decimal>() + budget.value;
    if (sum - total.value).abs() > money_eps() {
        out.push(Finding {
            check: Check::IndicatorScoresVsTotal,
            message: format!(
                "各指标得分（{} 行）加预算执行得分 {} 合计 {}，而写明的总分为 {}",
                scores.len(),
                n(budget.value),
                n(sum),
                n(total.value)
            ),
            location: format!("{} {}", total.location, budget.location),
        });
    }
}

/// An indicator table whose header was found and from which no row could be read: the
/// rows are in the file and missing from the output, which must not pass in silence.
fn unassembled(f: &Facts, out: &mut Vec<Finding>) {
    if let Some(location) = &f.unassembled {
        out.push(Finding {
            check: Check::TableUnassembled,
            message: "找到了绩效指标表的表头，但表中没有一行能读出（inspect 可列出这些行）"
                .to_string(),
            location: location.clone(),
        });
    }
}

/// The fiscal year against the report's date and its `截至…12月31日` statements.
fn fiscal_year(f: &Facts, out: &mut Vec<Finding>) {
    let Some(fy) = f.fiscal_year else { return };
    if let Some(ry) = f.report_year.filter(|ry| *ry < fy) {
        out.push(Finding {
            check: Check::FiscalYearVsText,
            message: format!("报告日期在 {ry} 年，早于所评价的 {fy} 年度结束"),
            location: String::new(),
        });
    }
    for (y, loc) in f.period_end_years.iter().filter(|(y, _)| *y != fy) {
        out.push(Finding {
            check: Check::FiscalYearVsText,
            message: format!("文中写到截至 {y}-12-31 的年度，而报告评价的是 {fy} 年度"),
            location: loc.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::facts::{Points, StatedShare};

    fn c(field: Field, value: &str, rank: Rank) -> Candidate {
        Candidate {
            field,
            value: value.parse().unwrap_or_default(),
            rank,
            block: 0,
            location: format!("p:{field}"),
            rule: "test",
        }
    }

    fn facts(cands: &[Candidate]) -> Facts {
        let mut chosen = BTreeMap::new();
        for k in cands {
            chosen.entry(k.field).or_insert_with(|| k.clone());
        }
        Facts {
            chosen,
            candidates: cands.to_vec(),
            ..Facts::default()
        }
    }

    #[test]
    fn many_values_of_one_field_are_compared_in_n_log_n() {
        // 60,000 distinct statements of one figure: all pairs are 1.8 billion comparisons
        // (minutes); grouped and ordered, a fraction of a second.
        let cands: Vec<Candidate> = (0..60_000)
            .map(|i| c(Field::ExpTotal, &format!("{}.5", i * 3), Rank::Prose))
            .collect();
        let started = std::time::Instant::now();
        let found = run(&facts(&cands));
        assert_eq!(found.len(), 59_999);
        assert!(
            started.elapsed().as_secs_f64() < 5.0,
            "{:?}",
            started.elapsed()
        );
        // Values within the rounding of one already reported are reported once.
        let close = [
            c(Field::ExpTotal, "1", Rank::Prose),
            c(Field::ExpTotal, "2", Rank::Prose),
            c(Field::ExpTotal, "2.005", Rank::Prose),
            c(Field::ExpTotal, "1.995", Rank::Prose),
        ];
        assert_eq!(run(&facts(&close)).len(), 1);
    }

    fn checks(f: &Facts) -> Vec<(&'static str, &'static str)> {
        run(f)
            .into_iter()
            .map(|x| (x.check.name(), x.check.severity().name()))
            .collect()
    }

    #[test]
    fn basic_plus_project_versus_total() {
        let bad = facts(&[
            c(Field::ExpTotal, "100", Rank::Prose),
            c(Field::ExpBasic, "60", Rank::Prose),
            c(Field::ExpProject, "30", Rank::Prose),
        ]);
        assert_eq!(checks(&bad), vec![("exp_basic_plus_project", "error")]);
        // Messages name figures by their registry titles, never by column names.
        let msg = run(&bad).into_iter().map(|x| x.message).collect::<String>();
        assert!(
            msg.contains("基本支出") && msg.contains("支出合计") && !msg.contains("exp_"),
            "{msg}"
        );
        let ok = facts(&[
            c(Field::ExpTotal, "100", Rank::Prose),
            c(Field::ExpBasic, "60.005", Rank::Prose),
            c(Field::ExpProject, "40", Rank::Prose),
        ]);
        assert!(checks(&ok).is_empty());
    }

    /// Messages are for the people reading checks.csv: Chinese, with the check's code as the
    /// machine key (SPEC: "The `message` of every check is in Chinese").
    #[test]
    fn messages_are_in_chinese() {
        let mut f = facts(&[
            c(Field::ExpTotal, "100", Rank::Prose),
            c(Field::ExpBasic, "60", Rank::Prose),
            c(Field::ExpProject, "30", Rank::Prose),
            c(Field::ThreePublicActual, "12", Rank::Prose),
            c(Field::ThreePublicBudget, "10", Rank::Prose),
            c(Field::ReceptionActual, "13", Rank::Prose),
            c(Field::StaffActual, "127", Rank::Prose),
            c(Field::StaffAuthorized, "114", Rank::Prose),
            c(Field::ExpTotal, "90", Rank::Prose),
        ]);
        f.fiscal_year = Some(2023);
        f.report_year = Some(2022);
        f.unassembled = Some("t1".into());
        let found = run(&f);
        assert!(found.len() >= 6, "{found:?}");
        for x in &found {
            // The rule a value was chosen by is named by its key.
            let text = x.message.split("依规则").next().unwrap_or_default();
            let english = text
                .split(|ch: char| !ch.is_ascii_alphabetic())
                .find(|w| w.len() > 2 && *w != "inspect");
            assert!(english.is_none(), "{}: {}", x.check, x.message);
        }
        assert!(found
            .iter()
            .any(|x| x.message == "实有人数 127 高于编制数 114"));
    }

    #[test]
    fn personnel_plus_public_versus_basic() {
        let bad = facts(&[
            c(Field::ExpBasic, "2998.29", Rank::Prose),
            c(Field::ExpPersonnel, "2295.62", Rank::Prose),
            c(Field::ExpPublic, "600", Rank::Prose),
        ]);
        assert_eq!(checks(&bad), vec![("exp_personnel_plus_public", "error")]);
        let ok = facts(&[
            c(Field::ExpBasic, "2998.29", Rank::Prose),
            c(Field::ExpPersonnel, "2295.62", Rank::Prose),
            c(Field::ExpPublic, "702.68", Rank::Prose),
        ]);
        assert!(
            checks(&ok).is_empty(),
            "0.01 万元 of rounding is not a finding"
        );
    }

    #[test]
    fn three_public_parts_and_budget() {
        let bad = facts(&[
            c(Field::ThreePublicActual, "10", Rank::Prose),
            c(Field::ReceptionActual, "8", Rank::Prose),
            c(Field::VehicleActual, "5", Rank::Prose),
        ]);
        assert_eq!(checks(&bad), vec![("three_public_parts", "error")]);
        let over = facts(&[
            c(Field::ThreePublicActual, "12", Rank::Prose),
            c(Field::ThreePublicBudget, "10", Rank::Prose),
        ]);
        assert_eq!(checks(&over), vec![("three_public_over_budget", "warning")]);
        let ok = facts(&[
            c(Field::ThreePublicActual, "9.73", Rank::Prose),
            c(Field::ThreePublicBudget, "11", Rank::Prose),
            c(Field::ReceptionActual, "4.99", Rank::Prose),
            c(Field::VehicleActual, "4.74", Rank::Prose),
        ]);
        assert!(checks(&ok).is_empty());
    }

    #[test]
    fn stated_shares() {
        let mut f = facts(&[
            c(Field::ExpTotal, "3619.44", Rank::Prose),
            c(Field::ExpBasic, "2998.29", Rank::Prose),
        ]);
        f.shares.push(StatedShare {
            field: Field::ExpBasic,
            amount: "2998.29".parse().unwrap(),
            percent: "82.58".parse().unwrap(),
            base: Field::ExpTotal,
            location: "p9".into(),
        });
        assert_eq!(checks(&f), vec![("stated_share", "error")]);
        f.shares[0].percent = "82.84".parse().unwrap();
        assert!(checks(&f).is_empty());
    }

    #[test]
    fn stated_twice_ignores_fallbacks() {
        let f = facts(&[
            c(Field::ExpTotal, "4902.47", Rank::SelfEvaluation),
            c(Field::ExpTotal, "3997.92", Rank::Prose),
        ]);
        assert_eq!(checks(&f), vec![("stated_twice", "error")]);
        let f = facts(&[
            c(Field::ExpPublic, "702.68", Rank::Prose),
            c(Field::ExpPublic, "449.49", Rank::BasicData),
        ]);
        assert!(checks(&f).is_empty());
        let f = facts(&[
            c(Field::ExpTotal, "100", Rank::Prose),
            c(Field::ExpTotal, "100.00", Rank::SelfEvaluation),
        ]);
        assert!(checks(&f).is_empty());
    }

    #[test]
    fn staff_and_execution_warnings() {
        let f = facts(&[
            c(Field::StaffActual, "127", Rank::Prose),
            c(Field::StaffAuthorized, "114", Rank::Prose),
        ]);
        assert_eq!(checks(&f), vec![("staff_over_establishment", "warning")]);
        let f = facts(&[
            c(Field::StaffActual, "80", Rank::Prose),
            c(Field::StaffAuthorized, "83", Rank::Prose),
        ]);
        assert!(checks(&f).is_empty());
        let f = facts(&[
            c(Field::BudgetExecuted, "101", Rank::SelfEvaluation),
            c(Field::BudgetFullYear, "100", Rank::SelfEvaluation),
        ]);
        assert_eq!(checks(&f), vec![("executed_over_budget", "warning")]);
    }

    #[test]
    fn a_rate_the_amounts_do_not_give() {
        // 21.3 / 42.6 = 50%; a rate written 50 stands for 49.5–50.5.
        let ok = |rate: &str, exec: &str| {
            checks(&facts(&[
                c(Field::ExecutionRate, rate, Rank::Prose),
                c(Field::BudgetExecuted, exec, Rank::Prose),
                c(Field::BudgetFullYear, "42.6", Rank::Prose),
            ]))
            .is_empty()
        };
        assert!(ok("50", "21.3"));
        assert!(ok("50", "21.1"));
        assert!(ok("50.00", "21.3"));
        assert!(!ok("50.00", "21.1"));
        assert!(!ok("99.25", "35.8"));
        // The 年初 budget when no full-year one is stated.
        let f = facts(&[
            c(Field::ExecutionRate, "90", Rank::Prose),
            c(Field::BudgetExecuted, "9", Rank::Prose),
            c(Field::BudgetInitial, "12", Rank::Prose),
        ]);
        assert_eq!(checks(&f), vec![("rate_mismatch", "warning")]);
    }

    #[test]
    fn indicator_points() {
        let p = |s: &str, w: &str| Points {
            name: "x".into(),
            weight: w.parse().ok(),
            score: s.parse().ok(),
            location: "t2:r9".into(),
        };
        let mut f = facts(&[
            c(Field::SelfScore, "98", Rank::SelfEvaluation),
            c(Field::BudgetScore, "10", Rank::SelfEvaluation),
        ]);
        f.indicators = vec![p("50", "50"), p("38", "40")];
        assert!(checks(&f).is_empty());
        f.indicators = vec![p("50", "50"), p("36", "40")];
        assert_eq!(checks(&f), vec![("indicator_scores_vs_total", "error")]);
        f.indicators = vec![p("52", "50"), p("36", "40")];
        assert_eq!(
            checks(&f),
            vec![("indicator_score_above_weight", "warning")]
        );
    }

    #[test]
    fn a_header_without_rows_is_said() {
        let mut f = facts(&[]);
        assert!(checks(&f).is_empty());
        f.unassembled = Some("t3:r1".into());
        assert_eq!(checks(&f), vec![("table_unassembled", "warning")]);
    }

    #[test]
    fn fiscal_year_against_dates() {
        let mut f = facts(&[]);
        f.fiscal_year = Some(2023);
        f.report_year = Some(2024);
        f.period_end_years = vec![(2023, "p3".into())];
        assert!(checks(&f).is_empty());
        f.period_end_years = vec![(2022, "p3".into())];
        assert_eq!(checks(&f), vec![("fiscal_year_vs_text", "warning")]);
        f.period_end_years.clear();
        f.report_year = Some(2022);
        assert_eq!(checks(&f), vec![("fiscal_year_vs_text", "warning")]);
    }
}
