//! Budget execution outside a grid: `budget_initial`, `budget_full_year`, `budget_executed`
//! and `execution_rate` where a report writes them in a sentence or an inline label–value run
//! (`本年度专项资金预算安排48.6万元，实际支付45.9万元，资金执行率为94.44%`,
//! `计划安排资金(万元)299.4 实际到位资金(万元)299.4 实际支出(万元)299.4`).
//!
//! What an amount is comes from the words written before it (`rules/budget_words.tsv`): the
//! word ending last wins, so `预算下达54万元` is an allocation, `预算支出60万元` spending. A
//! sentence is a budget statement only when it pairs a budget with something measured against
//! it (an executed amount, a rate, the 年初 part or an addition): a budget alone may be any
//! fund's. Precision guards, each leaving the sentence out: another year written in it, a
//! project's or fund's money in a whole-unit report, two different amounts of one role.
//! Across the document, statements that disagree on a field leave it empty.

use std::sync::LazyLock;

use rust_decimal::Decimal;

use crate::extract::amounts::{money, Bare};
use crate::fields::Field;
use crate::normalize::numbers::Mention;
use crate::normalize::text::{fold_width, squash};

use crate::rules::amounts::Role;
use crate::rules::amounts::BUDGET_WORDS;

static AUTOMATON: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(BUDGET_WORDS.iter().map(|w| w.word.as_str()))
        .expect("budget words build an automaton")
});

/// The role of the words before an amount (`span`, spaces removed): `Other` when any such word
/// is written, else the role of the word ending last (the longest of those ending together),
/// words inside a masked word ignored. `Sub` when the span says 其中 and its word is no
/// 年初/addition word.
pub fn role_of(span: &str) -> Option<Role> {
    let hits: Vec<(Role, usize, usize)> = AUTOMATON
        .find_overlapping_iter(span)
        .filter_map(|m| {
            let w = BUDGET_WORDS.get(m.pattern().as_usize())?;
            Some((w.role, m.start(), m.end()))
        })
        .collect();
    let masked = |s: usize, e: usize| {
        hits.iter()
            .any(|&(r, ms, me)| r == Role::Mask && ms <= s && e <= me)
    };
    let live: Vec<(Role, usize, usize)> = hits
        .iter()
        .copied()
        .filter(|&(r, s, e)| r != Role::Mask && !masked(s, e))
        .collect();
    if live.iter().any(|h| h.0 == Role::Other) {
        return Some(Role::Other);
    }
    let sub = live.iter().any(|h| h.0 == Role::Sub);
    let last = live
        .iter()
        .filter(|h| h.0 != Role::Sub)
        .max_by_key(|&&(_, s, e)| (e, std::cmp::Reverse(s)))
        .map(|h| h.0)?;
    match last {
        Role::Initial | Role::Added => Some(last),
        _ if sub => Some(Role::Sub),
        _ => Some(last),
    }
}

/// One field read from a sentence: its value (万元, or percent for the rate), its character
/// range in the paragraph, and the rule that read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub field: Field,
    pub value: Decimal,
    pub start: usize,
    pub end: usize,
    pub rule: &'static str,
}

/// What one sentence states about the budget.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    pub found: Vec<Found>,
    /// A budget is paired with what is measured against it; otherwise only an executed
    /// amount, usable to complete a paired statement of the same document.
    pub paired: bool,
}

/// What the caller knows of the document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub fiscal_year: Option<i32>,
    /// A whole-unit (整体) report: a project's or fund's budget is not the unit's.
    pub whole: bool,
    /// The document declared its amounts in 万元 (`金额单位：万元`) before this paragraph.
    pub wan_declared: bool,
}

/// One amount or rate of a sentence with its role.
struct Piece {
    role: Role,
    value: Decimal,
    start: usize,
    end: usize,
    /// The words before it, spaces removed.
    span: String,
}

const SENTENCE_END: &[char] = &['。', '；', ';', '\n', '！', '!'];

/// The budget statements of one paragraph, one per sentence that makes one; `mentions` are
/// the numbers `normalize::numbers::scan` finds in `text` (the paragraph's amounts read them
/// too, and scanning is most of the cost).
pub fn statements(text: &str, mentions: &[Mention], ctx: &Context) -> Vec<Statement> {
    if mentions.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut mi = 0usize;
    for end in (0..=chars.len())
        .filter(|&i| i == chars.len() || chars.get(i).is_some_and(|c| SENTENCE_END.contains(c)))
    {
        let first = mi;
        while mentions.get(mi).is_some_and(|m| m.start < end) {
            mi += 1;
        }
        let ms = mentions.get(first..mi).unwrap_or_default();
        if !ms.is_empty() {
            if let Some(s) = sentence(&chars, start, ms, ctx) {
                out.push(s);
            }
        }
        start = end + 1;
    }
    out
}

/// A year written in the sentence (`2022年`, `2022年度`).
fn year_of(m: &Mention) -> Option<i32> {
    let y: i32 = m.value.to_string().parse().ok()?;
    (m.unit == "年" && (1949..=2100).contains(&y)).then_some(y)
}

/// The amount or rate of a mention, with its role, when it has one.
fn piece(chars: &[char], from: usize, m: &Mention, ctx: &Context) -> Option<Piece> {
    let span = squash(
        &chars
            .get(from..m.start)
            .unwrap_or_default()
            .iter()
            .collect::<String>(),
    );
    let role = role_of(&span)?;
    let value = if m.unit == "%" {
        if !matches!(role, Role::Rate | Role::WeakRate) {
            return None;
        }
        m.value
    } else {
        // A bare number is money when its label says the unit (`实际支出(万元)299.4`) or the
        // document declared 万元.
        let bare = if span.ends_with("(万元)") || span.ends_with("（万元）") {
            Bare::Wan
        } else if span.ends_with("(元)") || span.ends_with("（元）") {
            Bare::Yuan
        } else if ctx.wan_declared {
            Bare::Wan
        } else {
            Bare::Unknown
        };
        if matches!(role, Role::Rate | Role::WeakRate | Role::NotRate) {
            return None;
        }
        // Budgets are written in figures; a figure run into a numeral (`299.4二、`, a glued
        // heading) is not read as one number.
        let figures = m
            .text
            .chars()
            .map(fold_width)
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '万' | '元' | ' '));
        if !figures {
            return None;
        }
        money(m, bare)?.0
    };
    Some(Piece {
        role,
        value,
        start: m.start,
        end: m.end,
        span,
    })
}

/// The one value of a role in a sentence: none when absent or when two differ.
fn only(pieces: &[Piece], role: Role) -> Option<&Piece> {
    let mut of = pieces.iter().filter(|p| p.role == role);
    let first = of.next()?;
    of.all(|p| p.value == first.value).then_some(first)
}

fn sentence(chars: &[char], start: usize, ms: &[Mention], ctx: &Context) -> Option<Statement> {
    if let Some(fy) = ctx.fiscal_year {
        // A year with a month after it is a date (a signature, a deadline), not whose
        // budget it is.
        let dated = |i: usize| {
            ms.get(i + 1)
                .is_some_and(|n| n.unit == "月" && ms.get(i).is_some_and(|m| n.start <= m.end + 1))
        };
        let other_year = ms
            .iter()
            .enumerate()
            .any(|(i, m)| year_of(m).is_some_and(|y| y != fy) && !dated(i));
        if other_year {
            return None; // another year's budget
        }
    }
    // A sentence that writes units on its amounts says nothing of a bare number in it (a
    // figure cut short, a count): the declared 万元 holds for runs of bare figures.
    let units_written = ms.iter().any(|m| m.unit == "元");
    let ctx = &Context {
        wan_declared: ctx.wan_declared && !units_written,
        ..*ctx
    };
    let mut pieces = Vec::new();
    let mut from = start;
    for m in ms {
        if let Some(p) = piece(chars, from, m, ctx) {
            pieces.push(p);
            from = m.end;
        } else if !m.is_date_part()
            && (!m.unit.is_empty() || m.text.chars().map(fold_width).any(|c| c.is_ascii_digit()))
        {
            // A figure or a quantity ends a label; a bare numeral (`三公`) and a year are
            // words in it.
            from = m.end;
        }
    }
    let last = ms.last().map_or(start, |m| m.end);
    let whole_text: String = chars.get(start..last).unwrap_or_default().iter().collect();
    let executed_word = whole_text.contains('执');
    // A rate of payment counts only where no 执行 word is written.
    pieces.retain(|p| p.role != Role::WeakRate || !executed_word);
    for p in &mut pieces {
        if p.role == Role::WeakRate {
            p.role = Role::Rate;
        }
    }
    let budget = only(&pieces, Role::Budget);
    let initial = only(&pieces, Role::Initial);
    let added = only(&pieces, Role::Added);
    let executed = only(&pieces, Role::Executed);
    let rate = only(&pieces, Role::Rate);
    if ctx.whole
        && [budget, initial]
            .iter()
            .flatten()
            .any(|p| p.span.contains("项目") || p.span.contains("专项"))
    {
        return None; // a project's or a fund's budget, not the unit's
    }
    // The budget of one kind of spending (`“三公”经费预算`, in a 整体 report `因公出国(境)费
    // 支出预算为0万元`), or a zero budget (a kind that had none), is not the year's budget.
    let of_a_kind = |p: &Piece| {
        crate::extract::vocab::field_in(&p.span).is_some()
            || (ctx.whole && p.span.replace("经费", "").contains('费'))
    };
    if [budget, initial].iter().flatten().any(|p| of_a_kind(p))
        || budget.is_some_and(|p| p.value.is_zero())
    {
        return None;
    }
    let found = |field, p: &Piece, rule| Found {
        field,
        value: p.value,
        start: p.start,
        end: p.end,
        rule,
    };
    let mut out = Statement::default();
    // A budget is paired with what is measured against it; the 年初 budget also with an
    // addition or the total.
    let measured = executed.is_some() || rate.is_some();
    out.paired = (budget.is_some() && measured)
        || (initial.is_some() && (measured || added.is_some() || budget.is_some()));
    if !out.paired {
        // An executed amount alone, kept to complete a paired statement.
        if let (Some(e), None, None) = (executed, budget, initial) {
            out.found
                .push(found(Field::BudgetExecuted, e, "执行 amount in prose"));
            return Some(out);
        }
        return None;
    }
    if let Some(p) = initial {
        out.found
            .push(found(Field::BudgetInitial, p, "年初 budget in prose"));
    }
    match (budget, initial, added) {
        // `预算X，追加Y`: whether X holds the addition is not said.
        (Some(_), None, Some(_)) => {}
        (Some(p), _, _) => out
            .found
            .push(found(Field::BudgetFullYear, p, "budget in prose")),
        (None, Some(i), Some(a)) => out.found.push(Found {
            field: Field::BudgetFullYear,
            value: i.value + a.value,
            start: i.start,
            end: a.end,
            rule: "年初 budget + addition in prose",
        }),
        _ => {}
    }
    if let Some(p) = executed {
        out.found
            .push(found(Field::BudgetExecuted, p, "执行 amount in prose"));
    }
    if let Some(p) = rate {
        out.found
            .push(found(Field::ExecutionRate, p, "执行率 in prose"));
    }
    Some(out)
}

/// A statement with where it stands: the paragraph's block and index, and whether the
/// paragraph speaks of execution (`执行情况`, so an executed amount alone may complete).
#[derive(Debug, Clone)]
pub struct Located {
    pub statement: Statement,
    pub block: usize,
    pub para: usize,
    pub about_execution: bool,
}

/// The document's budget fields from its statements: a field every paired statement that
/// states it agrees on; an executed amount from an execution paragraph when no paired
/// statement gives one. Each with the block and the paragraph index it was read from.
pub fn settle(all: &[Located]) -> Vec<(Found, usize, usize)> {
    let paired: Vec<&Located> = all.iter().filter(|l| l.statement.paired).collect();
    let mut out = Vec::new();
    for field in [
        Field::BudgetInitial,
        Field::BudgetFullYear,
        Field::BudgetExecuted,
        Field::ExecutionRate,
    ] {
        let from = |ls: &[&Located]| -> Option<(Found, usize, usize)> {
            let mut of = ls.iter().flat_map(|l| {
                l.statement
                    .found
                    .iter()
                    .filter(|f| f.field == field)
                    .map(move |f| (f, l))
            });
            let (first, l) = of.next()?;
            of.all(|(f, _)| f.value == first.value)
                .then(|| (first.clone(), l.block, l.para))
        };
        let got = from(&paired).or_else(|| {
            if field != Field::BudgetExecuted || paired.is_empty() {
                return None;
            }
            let lone: Vec<&Located> = all
                .iter()
                .filter(|l| !l.statement.paired && l.about_execution)
                .collect();
            from(&lone)
        });
        out.extend(got);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::numbers::fmt_decimal;
    use crate::normalize::numbers::scan;

    fn read(text: &str, ctx: Context) -> Vec<(Field, String)> {
        let all: Vec<Located> = text
            .split('\n')
            .enumerate()
            .flat_map(|(i, p)| {
                statements(p, &scan(p), &ctx)
                    .into_iter()
                    .map(move |s| Located {
                        statement: s,
                        block: i,
                        para: i,
                        about_execution: p.contains("执行情况"),
                    })
            })
            .collect();
        settle(&all)
            .into_iter()
            .map(|(f, _, _)| (f.field, fmt_decimal(f.value)))
            .collect()
    }

    fn project(year: i32) -> Context {
        Context {
            fiscal_year: Some(year),
            ..Context::default()
        }
    }

    fn whole(year: i32) -> Context {
        Context {
            fiscal_year: Some(year),
            whole: true,
            ..Context::default()
        }
    }

    fn v(pairs: &[(Field, &str)]) -> Vec<(Field, String)> {
        pairs.iter().map(|(f, x)| (*f, x.to_string())).collect()
    }

    #[test]
    fn the_word_file_reads() {
        assert!(BUDGET_WORDS
            .iter()
            .any(|w| w.role == Role::Rate && w.word == "执行率"));
    }

    #[test]
    fn the_last_word_before_an_amount_decides() {
        assert_eq!(role_of("预算金额"), Some(Role::Budget));
        assert_eq!(role_of(",预算下达"), Some(Role::Received));
        assert_eq!(role_of(",预算支出"), Some(Role::Executed));
        assert_eq!(role_of(",年中追加预算"), Some(Role::Added));
        assert_eq!(role_of("其中年初预算"), Some(Role::Initial));
        assert_eq!(role_of("其中基本支出"), Some(Role::Sub));
        assert_eq!(role_of("下达省级转移支付资金预算"), Some(Role::Budget));
        assert_eq!(role_of(",比上年支出"), Some(Role::Other));
        assert_eq!(role_of("资金到位率"), Some(Role::NotRate));
    }

    #[test]
    fn a_sentence_pairs_budget_executed_and_rate() {
        // Invented variants.
        assert_eq!(
            read(
                "本年度水毁修复资金预算安排36.5万元，实际支付33.2万元，资金执行率为90.96%。",
                project(2022)
            ),
            v(&[
                (Field::BudgetFullYear, "36.5"),
                (Field::BudgetExecuted, "33.2"),
                (Field::ExecutionRate, "90.96")
            ])
        );
        assert_eq!(
            read(
                "2021年度该项目资金预算128万元,支出127.6万元,结余4000元,年度资金使用完成比率99.69 %。",
                project(2021)
            ),
            v(&[
                (Field::BudgetFullYear, "128"),
                (Field::BudgetExecuted, "127.6"),
                (Field::ExecutionRate, "99.69")
            ])
        );
        // 元 converted exactly.
        assert_eq!(
            read(
                "项目预算数为456789元，执行数为400001元，执行率87.57%",
                project(2020)
            ),
            v(&[
                (Field::BudgetFullYear, "45.6789"),
                (Field::BudgetExecuted, "40.0001"),
                (Field::ExecutionRate, "87.57")
            ])
        );
    }

    #[test]
    fn initial_plus_addition_is_the_full_year_budget() {
        assert_eq!(
            read(
                "2021年预算收入88.4万元，其中年初预算70.1万元，调整追加18.3万元。",
                whole(2021)
            ),
            v(&[
                (Field::BudgetInitial, "70.1"),
                (Field::BudgetFullYear, "88.4")
            ])
        );
        assert_eq!(
            read(
                "年初预算112.5万元，年中追加预算20万元，支出130.2万元，预算完成率为98.26%。",
                whole(2019)
            ),
            v(&[
                (Field::BudgetInitial, "112.5"),
                (Field::BudgetFullYear, "132.5"),
                (Field::BudgetExecuted, "130.2"),
                (Field::ExecutionRate, "98.26")
            ])
        );
    }

    #[test]
    fn allocations_and_payment_rates_are_not_execution() {
        // 到位/下达 amounts are no budget; an executed amount elsewhere completes the statement.
        assert_eq!(
            read(
                "本单位专项经费预算金额30.2万元，预算下达30万元，预算执行率99.34%。\n2.资金执行情况：实际执行25.5万元，尚余4.5万元未支付。",
                project(2018)
            ),
            v(&[
                (Field::BudgetFullYear, "30.2"),
                (Field::BudgetExecuted, "25.5"),
                (Field::ExecutionRate, "99.34")
            ])
        );
        // A 拨付率 is not the rate; a 支付率 is only where no 执行 word is written.
        assert_eq!(
            read("项目预算50万元，拨付率100%，执行数45万元。", project(2020)),
            v(&[(Field::BudgetFullYear, "50"), (Field::BudgetExecuted, "45")])
        );
        assert_eq!(
            read("项目预算50万元，实际执行45万元，支付率90%。", project(2020)),
            v(&[(Field::BudgetFullYear, "50"), (Field::BudgetExecuted, "45")])
        );
        assert_eq!(
            read("项目预算50万元，实际支付45万元，支付率90%。", project(2020)),
            v(&[
                (Field::BudgetFullYear, "50"),
                (Field::BudgetExecuted, "45"),
                (Field::ExecutionRate, "90")
            ])
        );
    }

    #[test]
    fn label_value_runs_with_the_unit_in_the_label() {
        assert_eq!(
            read(
                "计划安排资金(万元)87.5实际到位资金(万元)87.5其中:省财政其中:省财政市县财政87.5实际支出(万元)80.25",
                project(2021)
            ),
            v(&[(Field::BudgetFullYear, "87.5"), (Field::BudgetExecuted, "80.25")])
        );
        // A figure glued to the next heading's numeral is left out (and the budget, with
        // nothing measured against it, too).
        assert!(read(
            "计划安排资金(万元)87.5实际支出(万元)80.25二、支出明细情况",
            project(2021)
        )
        .is_empty());
        let declared = Context {
            wan_declared: true,
            ..project(2020)
        };
        assert_eq!(
            read("预算数 9.6 到位数 9.6 执行数 9.1 94.79", declared),
            v(&[
                (Field::BudgetFullYear, "9.6"),
                (Field::BudgetExecuted, "9.1")
            ])
        );
        // A declared unit holds for runs of bare figures, not beside written units.
        assert_eq!(
            read("追加预算7.6万元,年初预算为19.2", declared),
            Vec::<(Field, String)>::new()
        );
        // Without a declared unit a bare number is no amount.
        assert!(read("预算数 9.6 到位数 9.6 执行数 9.1", project(2020)).is_empty());
    }

    #[test]
    fn what_is_left_empty() {
        // A budget alone may be any fund's.
        assert!(read("下达专项资金预算200万元。", project(2021)).is_empty());
        // Another year.
        assert!(read(
            "2020年项目预算80万元，实际支出78万元，执行率97.5%。",
            project(2021)
        )
        .is_empty());
        // A project's budget in a whole-unit report.
        assert!(read(
            "乡村道路项目预算80万元，实际支出78万元，执行率97.5%。",
            whole(2021)
        )
        .is_empty());
        // One kind of spending's budget is not the unit's.
        assert!(read("“三公”经费预算12.4万元，实际支出9.3万元。", whole(2021)).is_empty());
        assert!(read(
            "会议费支出预算为2.5万元，支出决算为2.1万元，完成预算的84%。",
            whole(2021)
        )
        .is_empty());
        assert!(read("培训费支出预算为0万元，支出决算为0万元。", project(2021)).is_empty());
        // A part (其中) is not the budget.
        assert!(read("其中基本支出预算60万元，执行率97.5%。", whole(2021)).is_empty());
        // Two sentences that disagree leave the field empty; the agreeing ones stay.
        assert_eq!(
            read(
                "一号资金预算80万元，执行率97.5%。\n二号资金预算60万元，执行率97.5%。",
                project(2021)
            ),
            v(&[(Field::ExecutionRate, "97.5")])
        );
        // A budget and an addition with no 年初 word: whether the budget holds the
        // addition is not said.
        assert!(read("预算96.3万元，本年追加预算12万元；", whole(2020)).is_empty());
        assert_eq!(
            read(
                "预算96.3万元，追加预算12万元，支出100.5万元，执行率92.8%。",
                whole(2020)
            ),
            v(&[
                (Field::BudgetExecuted, "100.5"),
                (Field::ExecutionRate, "92.8")
            ])
        );
        // A date in the sentence is no other year's budget.
        assert_eq!(
            read(
                "计划安排资金(万元)10实际支出(万元)9.5评价日期2022年3月1日",
                project(2021)
            ),
            v(&[
                (Field::BudgetFullYear, "10"),
                (Field::BudgetExecuted, "9.5")
            ])
        );
        // Spending with no budget stated is no execution.
        assert!(read("资金执行情况：实际支出78万元。", project(2021)).is_empty());
    }
}
