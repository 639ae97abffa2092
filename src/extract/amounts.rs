//! Money mentions in prose and table cells → amounts.csv rows and report-field candidates.
//!
//! A mention's label is the clause written before it (back to the last `，：；、` or the
//! previous amount). A label holding a vocabulary keyword feeds that field; a label of only
//! connecting words (`支出决算为`) inherits the sentence's subject; any other label (a
//! sub-category such as `工资福利支出`) feeds nothing. Budgets, last year's figures and
//! changes (`比上年减少`) are never taken for the year's spending.

use std::sync::LazyLock;

use rust_decimal::Decimal;

use crate::extract::vocab;
use crate::facts::{Candidate, Rank};
use crate::fields::Field;
use crate::normalize::numbers::{scan, Mention};
use crate::normalize::text::{fold_width, is_digit, squash};
use crate::rules::amounts::{amount_words, AmountWord};

/// One money amount found in a text.
#[derive(Debug, Clone)]
pub struct Found {
    pub label: String,
    pub field: Option<Field>,
    pub value_wan: Decimal,
    pub raw: String,
    pub unit: &'static str,
    pub qualifier: &'static str,
    /// Character range in the text.
    pub start: usize,
    pub end: usize,
    /// A share stated right after the amount (`占本年支出82.58%`): the percentage and what
    /// it is a share of (`exp_total` or `income_total`).
    pub share: Option<(Decimal, Field)>,
}

const BOUNDARY: &[char] = &[
    '，', ',', '。', '；', ';', '：', ':', '、', '（', '(', '\n', '）', ')',
];
const SENTENCE: &[char] = &['。', '；', ';', '\n'];
/// The most of a sentence read before an amount (and of a clause after it), in characters.
const SENTENCE_WINDOW: usize = 400;
/// Budget words (`rules/amount_words.tsv`); the nearer of these and [`ACTUAL`] before an
/// amount wins.
static BUDGET: LazyLock<Vec<&'static str>> = LazyLock::new(|| amount_words(AmountWord::Budget));
/// Words that say a figure was actually spent.
static ACTUAL: LazyLock<Vec<&'static str>> = LazyLock::new(|| amount_words(AmountWord::Actual));
/// Budget words that make the amount before them a budget (`未超过119万元的控制线`).
static BUDGET_AFTER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| amount_words(AmountWord::BudgetAfter));
/// Execution phrases that hold a budget word and are none (`完成预算的98%`).
static EXECUTION: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| amount_words(AmountWord::Execution));
/// A clause holding one of these compares years or changes (`比上年减少`).
static NOT_THIS_YEAR: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| amount_words(AmountWord::NotThisYear));
/// Words that say nothing of their own between a keyword and its amount, in order.
static FILLERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| amount_words(AmountWord::Filler));

/// Scans `text` for money; `bare_is_wan` reads bare numbers as 万元 (a table whose header
/// says 万元).
pub fn find(text: &str, bare_is_wan: bool) -> Vec<Found> {
    find_in(text, &scan(text), bare_is_wan)
}

/// [`find`] over the numbers [`scan`] found in `text`, for a caller that reads them for
/// other rules too (a paragraph's budget statements): scanning is the costly half.
pub fn find_in(text: &str, mentions: &[Mention], bare_is_wan: bool) -> Vec<Found> {
    if mentions.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    // The paragraph's topic: a keyword it opens with (`基本支出主要用于…`).
    let opening: String = chars.iter().take(6).collect();
    let topic = vocab::field_in(&opening).map(|h| h.field);
    // The next percentage after each mention, found in one backward pass (a search from
    // every mention made number-dense text quadratic).
    let mut next_pct = vec![None; mentions.len()];
    let mut seen = None;
    for (i, m) in mentions.iter().enumerate().rev() {
        next_pct[i] = seen;
        if m.unit == "%" {
            seen = Some(i);
        }
    }
    let mut out = Vec::new();
    let mut prev_end = 0usize;
    // The last clause and sentence boundaries before the current mention, advanced as the
    // mentions go (each character is looked at once).
    let (mut scanned, mut last_boundary, mut last_sentence) = (0usize, 0usize, 0usize);
    for (mi, m) in mentions.iter().enumerate() {
        let bare = if bare_is_wan {
            Bare::Wan
        } else {
            Bare::Unknown
        };
        let money = money(m, bare).filter(|_| !is_phone(&chars, m) && !is_numbering(&chars, m));
        let Some((value_wan, unit)) = money else {
            // Only a quantity with a unit ends a label; a bare numeral (`三公`) is a word in it.
            if !m.is_date_part() && !m.unit.is_empty() {
                prev_end = m.end;
            }
            continue;
        };
        while scanned < m.start.min(chars.len()) {
            let c = chars.get(scanned).copied().unwrap_or(' ');
            if BOUNDARY.contains(&c) {
                last_boundary = scanned + 1;
            }
            if SENTENCE.contains(&c) {
                last_sentence = scanned + 1;
            }
            scanned += 1;
        }
        let clause_start = last_boundary.max(prev_end);
        // A run-on "sentence" of thousands of characters (a table flattened into one line)
        // is read as its last SENTENCE_WINDOW characters: enough for any real sentence.
        let sentence_start = last_sentence.max(m.start.saturating_sub(SENTENCE_WINDOW));
        let clause: String = chars
            .get(clause_start..m.start)
            .unwrap_or_default()
            .iter()
            .collect();
        let sentence: String = chars
            .get(sentence_start..m.start)
            .unwrap_or_default()
            .iter()
            .collect();
        let after_end = next_of(&chars, m.end, BOUNDARY, SENTENCE_WINDOW);
        let after: String = chars
            .get(m.end..after_end)
            .unwrap_or_default()
            .iter()
            .collect();
        let label = clean_label(&clause);
        let field = field_for(&label, &clause, &sentence, &after, topic)
            .or_else(|| total_before_parts(&label, &chars, m.end, &sentence, &after))
            // An explicit zero feeds only a field its own label names (or the label before
            // its colon, `项目支出总额：0`): under a subject taken from the sentence it is
            // usually a part (`公务用车购置费…，支出决算为0万元`).
            .filter(|_| {
                !value_wan.is_zero() || label.is_empty() || vocab::field_in(&label).is_some()
            });
        let share = next_pct[mi]
            .and_then(|p| mentions.get(p))
            .and_then(|pct| stated_share(&chars, m.end, pct));
        out.push(Found {
            label,
            field,
            value_wan,
            raw: m.text.clone(),
            unit,
            qualifier: m.qualifier,
            start: m.start,
            end: m.end,
            share,
        });
        prev_end = m.end;
    }
    out
}

/// Whether a bare number is (part of) a telephone number, which a contact cell of a form
/// (`联系人及联系方式 | 李某18885350127`) puts under the table's 万元: a mobile number (11
/// digits from 1), an area code (a number written with a leading zero, `0851`), or the
/// 7–8 digits after one (`0851-33592345`, `(0851)33592345`).
fn is_phone(chars: &[char], m: &Mention) -> bool {
    if !m.unit.is_empty() || !m.qualifier.is_empty() {
        return false;
    }
    let digits: Vec<char> = m.text.chars().map(fold_width).collect();
    if !digits.iter().all(char::is_ascii_digit) {
        return false;
    }
    let leading_zero = digits.len() > 1 && digits.first() == Some(&'0');
    let mobile = digits.len() == 11 && digits.first() == Some(&'1');
    // The local number: separators, then 3–4 digits from 0 right before it.
    let before = chars.get(..m.start).unwrap_or_default();
    let sep = before
        .iter()
        .rev()
        .take_while(|c| matches!(c, '-' | '—' | '－' | ')' | '）' | ' '))
        .count();
    let code = before
        .iter()
        .rev()
        .skip(sep)
        .take_while(|c| is_digit(**c))
        .count();
    let code_start = before.len().saturating_sub(sep + code);
    let local = (7..=8).contains(&digits.len())
        && sep > 0
        && (3..=4).contains(&code)
        && before.get(code_start).map(|c| fold_width(*c)) == Some('0');
    leading_zero || mobile || local
}

/// Whether a bare number numbers a part of the document (`附件3`, `附表1`): a heading a 万元
/// table's first cell can hold.
fn is_numbering(chars: &[char], m: &Mention) -> bool {
    let before = chars
        .get(m.start.saturating_sub(2)..m.start)
        .unwrap_or_default();
    m.unit.is_empty()
        && m.qualifier.is_empty()
        && [['附', '件'], ['附', '表'], ['附', '录']]
            .iter()
            .any(|w| before == w)
}

/// `，占本年支出82.58%` right after an amount: the share and its base.
fn stated_share(chars: &[char], end: usize, pct: &Mention) -> Option<(Decimal, Field)> {
    if pct.start < end || pct.start - end > 12 {
        return None;
    }
    let between: String = chars.get(end..pct.start)?.iter().collect();
    if !between.contains('占') || between.contains(['。', '；']) {
        return None;
    }
    let base = if between.contains("收入") {
        Field::IncomeTotal
    } else {
        Field::ExpTotal
    };
    if between.contains("基本支出") || between.contains("项目支出") || between.contains("预算")
    {
        return None; // a share of something other than the total
    }
    Some((pct.value, base))
}

/// What a number without a unit is, where the context says: a table whose header says
/// 万元 (`Wan`) or 元 (`Yuan`); elsewhere (`Unknown`) it is no amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bare {
    Unknown,
    Wan,
    Yuan,
}

/// The mention as 万元 with the unit it was written in, when it is money. A bare number
/// takes the unit of `bare`; `864.2万` is 864.2 万元 (the scanner multiplied the 万 out).
pub(crate) fn money(m: &Mention, bare: Bare) -> Option<(Decimal, &'static str)> {
    let t = &m.text;
    let scaled = ['万', '萬', '亿', '億'].iter().any(|c| t.contains(*c));
    if m.unit == "元" {
        let unit = if t.contains('亿') || t.contains('億') {
            "亿元"
        } else if scaled {
            "万元"
        } else {
            "元"
        };
        return Some((m.value / Decimal::from(10_000), unit));
    }
    if !m.unit.is_empty() || !m.qualifier.is_empty() {
        return None;
    }
    match bare {
        Bare::Unknown => None,
        Bare::Wan if scaled => Some((m.value / Decimal::from(10_000), "万元")),
        Bare::Wan => Some((m.value, "万元")),
        Bare::Yuan => Some((
            m.value / Decimal::from(10_000),
            if scaled { "万元" } else { "元" },
        )),
    }
}

/// The first character of `set` from `start` on, looking at most `window` characters ahead.
fn next_of(chars: &[char], start: usize, set: &[char], window: usize) -> usize {
    let end = chars.len().min(start.saturating_add(window));
    chars
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .position(|c| set.contains(c))
        .map_or(end, |p| p + start)
}

/// The label as written, without spaces and the year in front (`2023年支出合计` keeps its
/// words; `为` and similar connecting words are dropped at the end).
fn clean_label(clause: &str) -> String {
    let mut s = squash(clause);
    loop {
        let before = s.len();
        for f in ["为", "是", "达到", "达", "约", "共计", "共", "：", ":"] {
            if let Some(x) = s.strip_suffix(f) {
                s = x.to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Whether a label says nothing of its own (`支出决算`, `为`), so the sentence's subject holds.
fn is_connective(label: &str) -> bool {
    let mut rest = label.to_string();
    let mut changed = true;
    while changed && !rest.is_empty() {
        changed = false;
        rest = rest.trim_start_matches(is_digit).to_string();
        for f in FILLERS.iter().chain(BUDGET.iter()) {
            if let Some(x) = rest.strip_prefix(f) {
                rest = x.to_string();
                changed = true;
            }
        }
    }
    rest.is_empty()
}

/// The subject a sentence is about: its last specific keyword (`三公`) rather than a generic
/// total word that follows it (`三公经费，共支出…`).
fn sentence_subject(sentence: &str) -> Option<Field> {
    let hit = vocab::field_in(sentence)?;
    if hit.field != Field::ExpTotal {
        return Some(hit.field);
    }
    match vocab::field_in(sentence.get(..hit.start).unwrap_or("")) {
        Some(g) if g.field != Field::ExpTotal => Some(g.field),
        _ => Some(hit.field),
    }
}

/// Whether `hit`, the keyword found in `label`, is a generic total word with nothing before it
/// but a year or connecting words (`2023年共支出`).
fn is_bare_total(label: &str, hit: vocab::Hit) -> bool {
    hit.field == Field::ExpTotal && is_connective(label.get(..hit.start).unwrap_or(""))
}

/// Whether the nearest budget word before the amount is nearer than the nearest word of
/// actual spending (`预算为5万元，支出决算为4.99万元`), or a budget word follows it
/// (`未超过119万元的控制线`). `完成预算的` is an execution phrase, neither.
fn is_budget(sentence: &str, after: &str) -> bool {
    // An execution phrase is blanked out, its length kept: positions stay as written.
    let s = EXECUTION.iter().fold(sentence.to_string(), |s, w| {
        s.replace(w, &"　".repeat(w.chars().count()))
    });
    let last = |words: &[&str]| {
        words
            .iter()
            .filter_map(|w| s.rfind(w).map(|p| p + w.len()))
            .max()
    };
    let after_budget = BUDGET_AFTER.iter().any(|w| after.contains(w));
    after_budget || last(&BUDGET) > last(&ACTUAL)
}

/// The report field an amount feeds, from its label, the sentence it stands in, what follows
/// it, and the paragraph's `topic` (the keyword it opens with).
fn field_for(
    label: &str,
    clause: &str,
    sentence: &str,
    after: &str,
    topic: Option<Field>,
) -> Option<Field> {
    let subject = match vocab::field_in(label) {
        Some(hit) => {
            // Words after the keyword that name something else (`项目支出中的工资`) end it.
            if !is_connective(label.get(hit.end..).unwrap_or("")) {
                return None;
            }
            if is_bare_total(label, hit) {
                // A bare `共支出` is the part the sentence (`三公经费，共支出…`) or else the
                // paragraph (`基本支出主要用于…。2023年共支出1650万元`) is about.
                let before = sentence
                    .get(..sentence.len().saturating_sub(label.len()))
                    .unwrap_or("");
                [sentence_subject(before), topic]
                    .into_iter()
                    .flatten()
                    .find(|f| *f != Field::ExpTotal)
                    .unwrap_or(hit.field)
            } else {
                hit.field
            }
        }
        None if is_connective(label) => sentence_subject(sentence)?,
        None => {
            // The label after the number: `4244.04万元的总支出`.
            let after = after.strip_prefix('的')?;
            vocab::field_in(after)
                .filter(|h| h.end == after.len())
                .map(|h| h.field)?
        }
    };
    let budget = subject != Field::GovFundExp && is_budget(sentence, after);
    let other_year = NOT_THIS_YEAR.iter().any(|w| clause.contains(w));
    if other_year {
        return None;
    }
    match (subject, budget) {
        (Field::ThreePublic, true) => Some(Field::ThreePublicBudget),
        (Field::ThreePublic, false) => Some(Field::ThreePublicActual),
        (Field::Reception, false) => Some(Field::ReceptionActual),
        (Field::Vehicle, false) => Some(Field::VehicleActual),
        (_, true) => None,
        (f, false) => Some(f),
    }
}

/// A bare `支出X万元` (`2023年支出198.4万元`, `实际支出157.7万元`) right before `其中基本支出…`
/// / `其中项目支出…`: the total the parts are of.
fn total_before_parts(
    label: &str,
    chars: &[char],
    end: usize,
    sentence: &str,
    after: &str,
) -> Option<Field> {
    let budget_word = BUDGET.iter().any(|w| label.contains(w));
    if !label.ends_with("支出")
        || !is_connective(label)
        || budget_word
        || is_budget(sentence, after)
    {
        return None;
    }
    let next: String = chars
        .get(end..chars.len().min(end + 16))
        .unwrap_or_default()
        .iter()
        .collect();
    let next = squash(&next);
    let rest = next
        .trim_start_matches(['，', ',', '。', '；', ';', '：', ':'])
        .strip_prefix("其中")?
        .trim_start_matches(['：', ':', '，', ',']);
    (rest.starts_with("基本支出") || rest.starts_with("项目支出")).then_some(Field::ExpTotal)
}

/// Candidates for report fields from amounts found in one place; `locate` names where
/// each amount stands.
pub fn candidates(
    found: &[Found],
    rank: Rank,
    block: usize,
    locate: impl Fn(&Found) -> String,
) -> Vec<Candidate> {
    found
        .iter()
        .filter_map(|f| {
            f.field.map(|field| Candidate {
                field,
                value: f.value_wan,
                rank,
                block,
                location: locate(f),
                rule: "amount label (rules/fields.tsv)",
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(Option<Field>, String)> {
        find(text, false)
            .into_iter()
            .map(|f| (f.field, crate::normalize::numbers::fmt_decimal(f.value_wan)))
            .collect()
    }

    /// Every example in rules/fields.tsv, run through the extractor, feeds its rule's field.
    #[test]
    fn every_vocabulary_example_feeds_its_field() {
        for e in crate::rules::amounts::LABELS.iter() {
            let want = match e.field {
                Field::ThreePublic => Field::ThreePublicActual,
                Field::Reception => Field::ReceptionActual,
                Field::Vehicle => Field::VehicleActual,
                f => f,
            };
            let got = find(&e.example, false);
            assert_eq!(
                got.first().and_then(|f| f.field),
                Some(want),
                "{}",
                e.example
            );
        }
    }

    #[test]
    fn labels_feed_fields_and_sub_categories_do_not() {
        let got = fields("2023年共支出4244.04万元。其中：基本支出1650万元，项目支出2594.04万元。基本支出中：工资福利支出1213.36万元");
        assert_eq!(got[0], (Some(Field::ExpTotal), "4244.04".into()));
        assert_eq!(got[1], (Some(Field::ExpBasic), "1650".into()));
        assert_eq!(got[2], (Some(Field::ExpProject), "2594.04".into()));
        assert_eq!(got[3], (None, "1213.36".into()));
    }

    #[test]
    fn budget_and_actual_are_told_apart() {
        let got = fields("公务接待费支出预算为5万元，支出决算为4.99万元，完成预算的100%");
        assert_eq!(
            got,
            vec![
                (None, "5".into()),
                (Some(Field::ReceptionActual), "4.99".into())
            ]
        );
        let got = fields("严格控制三公经费，共支出97.06万元，未超过119万元的控制线。");
        assert_eq!(got[0], (Some(Field::ThreePublicActual), "97.06".into()));
        assert_eq!(got[1], (Some(Field::ThreePublicBudget), "119".into()));
    }

    #[test]
    fn quoted_three_public_budget_and_total() {
        let got = fields("2024年“三公经费”预算控制数为30万元，为公务接待费30万元。");
        assert_eq!(got[0], (Some(Field::ThreePublicBudget), "30".into()));
        assert_eq!(got[1].0, None);
        let got = fields("2024年“三公“经费总额为18.25万元，为公务接待费18.25万元。");
        assert_eq!(got[0], (Some(Field::ThreePublicActual), "18.25".into()));
        assert_eq!(got[1], (Some(Field::ReceptionActual), "18.25".into()));
    }

    #[test]
    fn a_bare_total_in_a_paragraph_about_a_part_is_that_part() {
        let got =
            fields("基本支出主要用于发放人员工资、公务接待等日常支出。2023年共支出1650万元。");
        assert_eq!(got[0], (Some(Field::ExpBasic), "1650".into()));
        let got = fields("2023年共支出4244.04万元。");
        assert_eq!(got[0], (Some(Field::ExpTotal), "4244.04".into()));
        let got = find(
            "2023年支出合计3619.44万元，其中：基本支出2998.29万元",
            false,
        );
        assert_eq!(
            (got[0].label.as_str(), got[0].field),
            ("2023年支出合计", Some(Field::ExpTotal))
        );
    }

    #[test]
    fn telephone_and_attachment_numbers_are_not_money() {
        for text in [
            "李某18885350127",
            "电话：0851-33592345",
            "联系电话：０７３９—２８２２１３１",
            "电话（0851）33592345",
        ] {
            assert!(find(text, true).is_empty(), "{text}");
        }
        assert!(find("附件3：部门整体支出绩效评价基础数据表", true).is_empty());
        assert!(find("附表1 单位：万元", true).is_empty());
        // Amounts of the same lengths stay amounts.
        assert_eq!(fields("支出合计：18885350.27元").len(), 1);
        assert_eq!(find("收入合计 33592345", true).len(), 1);
        assert_eq!(find("基本支出 0.5", true).len(), 1);
    }

    #[test]
    fn label_after_the_number_and_yuan_amounts() {
        assert_eq!(
            fields("完成4244.04万元的总支出")[0].0,
            Some(Field::ExpTotal)
        );
        assert_eq!(
            fields("公务接待费9800元")[0],
            (Some(Field::ReceptionActual), "0.98".into())
        );
        assert_eq!(fields("比上年减少5万元")[0].0, None);
    }

    #[test]
    fn explicit_zeros_are_amounts_of_their_own_label() {
        let got = fields("2022年支出76.4万元，其中基本支出76.4万元，项目支出0万元。");
        assert_eq!(got[2], (Some(Field::ExpProject), "0".into()));
        let got = fields("公务用车购置费支出预算为0万元，支出决算为0万元。");
        assert_eq!(got, vec![(None, "0".into()), (None, "0".into())]);
    }

    #[test]
    fn a_bare_spending_before_its_parts_is_the_total() {
        let got = fields("2021年支出265.3万元，其中基本支出200.3万元，项目支出65万元。");
        assert_eq!(got[0], (Some(Field::ExpTotal), "265.3".into()));
        let got = fields("财政安排资金共88万元，实际支出86.2万元。其中：基本支出80万元");
        assert_eq!(got[1], (Some(Field::ExpTotal), "86.2".into()));
        // Without the parts after it, a bare 支出 says nothing of the total.
        assert_eq!(fields("2021年支出265.3万元。")[0].0, None);
        assert_eq!(
            fields("预算支出265.3万元，其中基本支出200.3万元")[0].0,
            None
        );
    }
}
