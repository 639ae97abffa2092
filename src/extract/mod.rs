//! Extraction: one [`Document`] in, the rows it contributes and the facts behind them out.
//! Pure; no I/O. Knows nothing of checks or writers: the checks stage reads the [`Facts`].
//!
//! Each rule module proposes [`Candidate`]s for report fields; [`resolve`] keeps, per field,
//! the one from the most authoritative place ([`Rank`]), and the first stated among equals.

pub mod amounts;
pub mod budget;
pub mod forms;
pub mod identity;
pub mod indicators;
pub mod keywords;
pub mod kind;
pub mod labels;
pub mod script;
pub mod segmenter;
pub mod staff;
pub mod tables;
pub mod titles;
pub mod vocab;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::divisions;
use crate::document::{Block, Document, Location};
use crate::facts::{resolve, Candidate, DocRows, Extracted, Facts, Points, Rank, StatedShare};
use crate::fields::Field;
use crate::fields::ReportRow;
use crate::findings::Check;
use crate::normalize::numbers::scan;
use crate::normalize::text::{fold_width, has_digit, squash};
use crate::record::{AmountRow, IndicatorRow, Num, Text};
use crate::rules::forms::{form_words, FormWord};

/// A document as the rules read it: its top-level paragraphs squashed once (identity, staff
/// and the paragraph rules all read them; squashing per rule was a tenth of extraction).
pub struct Prepared<'d> {
    pub doc: &'d Document,
    /// `doc.paragraphs()`, in order, through [`squash`].
    pub paras: Vec<String>,
    /// Every `label | value` of [`labels::ALL`], in document order (kind, unit and year
    /// rules all read them; one pass instead of one per rule).
    pub labelled: Vec<(&'static str, String)>,
    /// The block index (in `doc.blocks`) of each of `paras`.
    pub para_blocks: Vec<usize>,
    /// The titles in the head of the document (kind, unit, year and project name read them).
    pub titles: Vec<titles::Title>,
}

impl<'d> Prepared<'d> {
    pub fn new(doc: &'d Document) -> Self {
        let raw: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        let paras: Vec<String> = doc.paragraphs().map(|p| squash(&p.text)).collect();
        Prepared {
            doc,
            titles: titles::titles(doc, &paras),
            paras,
            labelled: labels::ALL.find(doc, &raw),
            para_blocks: doc
                .blocks
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, Block::Paragraph(_)))
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The values written after any of `labels`, in document order.
    pub fn values_of<'a>(&'a self, labels: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.labelled
            .iter()
            .filter(move |(l, _)| labels.contains(l))
            .map(|(_, v)| v.as_str())
    }
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:([一二三四五六七八九十]+)\s*[、．.]|[（(]([一二三四五六七八九十]+)[）)]|(\d{1,2})\s*[、．.](?:\D|$)|[（(](\d{1,2})[）)])")
        .expect("static regex")
});
/// The words of one kind of `rules/form_words.tsv` as a regex alternation, in the file's order
/// (the first that matches at a place wins, so a longer word is written before its prefix).
fn alternation(kind: FormWord) -> String {
    form_words(kind)
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}
/// A grade in prose after a grade label (`评价等级为“优秀”`).
static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})(?:为|是|：|:)?[“\x22(（]?({})",
        alternation(FormWord::GradeLabel),
        alternation(FormWord::Grade)
    ))
    .expect("grade words are escaped")
});
/// The words a self-evaluation score is written after.
static SCORE_LABELS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_words(FormWord::ScoreLabel));
/// `自评得分为92.5分`, or `自评总分(分)97.6` with the unit in the label.
static PROSE_SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})(?:(?:为|是|：|:)?(\d{{1,3}}(?:\.\d{{1,2}})?)分|(?:\(分\)|（分）)(\d{{1,3}}(?:\.\d{{1,2}})?))",
        alternation(FormWord::ScoreLabel)
    ))
    .expect("score labels are escaped")
});
/// Whether the score at byte `at` is one indicator's (`1.覆盖率,年初目标值≥90%,实际完成值95%,
/// 自评得分10分`): its sentence states a target or an achieved value, a figure within a few
/// characters of the word. A sentence that only names the procedure (`对照…各项指标值进行打分，
/// 自评得分100分`) states the report's score.
fn is_item_score(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let sentence = before
        .rfind(['。', '；', ';'])
        .and_then(|i| before.get(i..))
        .unwrap_or(before);
    ["目标值", "完成值", "指标值"].iter().any(|w| {
        sentence.match_indices(w).any(|(i, _)| {
            sentence
                .get(i + w.len()..)
                .unwrap_or("")
                .chars()
                .take(4)
                .any(|c| c.is_ascii_digit() || "≥≤><=＞＜＝".contains(c))
        })
    })
}

/// Whether a paragraph ends in a score label, so its score may open the next line
/// (`自评得分` / `90 分，存在的问题`).
fn ends_in_score_label(text: &str) -> bool {
    let t = text.trim_end_matches(['为', '是', '：', ':']);
    SCORE_LABELS.iter().any(|l| t.ends_with(l))
}
static SCORE_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:\.\d{1,2})?)分").expect("static regex"));
/// Totals as numbered list items: `1、收入：792.22万元`, `2、支出：799.12万元`.
static LISTED_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．](?:本年|全年|年度)?(收入|支出)(?:合计|总计|总额)?[:：](\d+(?:\.\d+)?)万元")
        .expect("static regex")
});
/// `金额单位：万元`: bare amounts of the document are 万元.
static WAN_DECLARED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单位[:：]万元").expect("static regex"));
static NO_GOV_FUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:无|没有|未发生|未安排)[^。；，]{0,8}政府性基金|政府性基金[^。；]{0,12}(?:为0|为零|无支出)").expect("static regex")
});

/// The heading level of a paragraph (`附件3` and `一、` 1, `（一）` 2, `1.` 3, `(1)` 4).
fn heading_level(text: &str) -> Option<usize> {
    if text.trim_start().starts_with("附件") && text.chars().count() <= 12 {
        return Some(1);
    }
    let c = HEADING.captures(text)?;
    (1..=4).find(|&i| c.get(i).is_some())
}

/// A heading's title: up to its first full stop or colon, spaces around it trimmed.
fn heading_text(text: &str) -> String {
    let t = text.trim();
    let cut = t.find(['。', '：', ':']).unwrap_or(t.len());
    t.get(..cut)
        .unwrap_or(t)
        .trim_end()
        .chars()
        .take(40)
        .collect()
}

/// One amount on its way to amounts.csv.
struct AmountSeen {
    section: String,
    label: String,
    feeds: Option<Field>,
    period: Option<&'static str>,
    value_wan: Decimal,
    raw: String,
    unit: &'static str,
    qualifier: &'static str,
    source: &'static str,
    location: String,
}

impl AmountSeen {
    /// An amount the label scanner found in prose or a cell.
    fn found(
        f: amounts::Found,
        section: &str,
        feeds: Option<Field>,
        source: &'static str,
        location: String,
    ) -> Self {
        AmountSeen {
            section: section.to_string(),
            label: f.label,
            feeds,
            period: None,
            value_wan: f.value_wan,
            raw: f.raw,
            unit: f.unit,
            qualifier: f.qualifier,
            source,
            location,
        }
    }
}

/// What one document yields before it is shaped into rows.
struct Reading {
    candidates: Vec<Candidate>,
    amounts: Vec<AmountSeen>,
    shares: Vec<StatedShare>,
    grade: Option<String>,
    period_end_years: Vec<(i32, String)>,
    /// An explicit `无…政府性基金` was read.
    gov_fund_none: bool,
    /// A whole-unit report (its funds are the unit's spending).
    whole: bool,
    /// Budget statements in prose, settled once the document is read.
    budget: Vec<budget::Located>,
    /// What the budget rule knows of the document so far.
    budget_ctx: budget::Context,
}

static PERIOD_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:截至|截止|截止到)((?:19|20)\d{2})年12月31日").expect("static regex")
});

/// Reads one paragraph; `squashed` is its text through [`squash`].
fn read_paragraph(
    p: &crate::document::Paragraph,
    squashed: &str,
    next: &str,
    block: usize,
    section: &str,
    r: &mut Reading,
) {
    let ploc = format!("p{}", p.index);
    if r.grade.is_none() {
        r.grade = GRADE
            .captures(squashed)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_string());
    }
    let stated = PROSE_SCORE
        .captures_iter(squashed)
        .find(|c| c.get(0).is_none_or(|m| !is_item_score(squashed, m.start())))
        .and_then(|c| c.get(1).or(c.get(2)))
        .map(|m| m.as_str())
        .or_else(|| {
            // The score opens the next line.
            ends_in_score_label(squashed).then_some(())?;
            SCORE_AT_START.captures(next)?.get(1).map(|m| m.as_str())
        });
    if let Some(v) = stated
        .and_then(|s| s.parse::<Decimal>().ok())
        .filter(|v| *v <= Decimal::ONE_HUNDRED)
    {
        r.candidates.push(Candidate {
            field: Field::SelfScore,
            value: v,
            rank: Rank::Prose,
            block,
            location: ploc.clone(),
            rule: "自评得分 in prose",
        });
    }
    if let Some(c) = LISTED_TOTAL.captures(squashed) {
        let field = match c.get(1).map(|m| m.as_str()) {
            Some("收入") => Field::IncomeTotal,
            _ => Field::ExpTotal,
        };
        if let Some(v) = c.get(2).and_then(|m| m.as_str().parse::<Decimal>().ok()) {
            r.candidates.push(Candidate {
                field,
                value: v,
                rank: Rank::Prose,
                block,
                location: ploc.clone(),
                rule: "numbered 收入/支出 item",
            });
        }
    }
    for c in PERIOD_END.captures_iter(squashed) {
        if let Some(y) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
            r.period_end_years.push((y, ploc.clone()));
        }
    }
    r.gov_fund_none |= NO_GOV_FUND.is_match(squashed);
    r.budget_ctx.wan_declared |= WAN_DECLARED.is_match(squashed);
    let mentions = scan(&p.text);
    let found = amounts::find_in(&p.text, &mentions, false);
    let locate = |f: &amounts::Found| {
        Location::Para {
            para: p.index,
            start: f.start,
            end: f.end,
        }
        .to_string()
    };
    // Under a heading about individual projects (`项目支出绩效情况`, `…专项资金`), an amount
    // is a project's, not the unit's: it is listed, but feeds no report column.
    let project_scope = section
        .split(" > ")
        .any(|h| h.contains("项目") && (h.contains("绩效") || h.contains("专项")));
    if !project_scope {
        r.candidates
            .extend(amounts::candidates(&found, Rank::Prose, block, locate));
    }
    // In a project report every section is about its project; in a whole-unit report a
    // project section's budget is not the unit's.
    if !(project_scope && r.whole) {
        let about_execution = squashed.contains("执行情况");
        r.budget.extend(
            budget::statements(&p.text, &mentions, &r.budget_ctx)
                .into_iter()
                .map(|statement| budget::Located {
                    statement,
                    block,
                    para: p.index,
                    about_execution,
                }),
        );
    }
    for f in found {
        let location = locate(&f);
        if let (Some(field), Some((percent, base)), false) = (f.field, f.share, project_scope) {
            r.shares.push(StatedShare {
                field,
                amount: f.value_wan,
                percent,
                base,
                location: location.clone(),
            });
        }
        let feeds = f.field.filter(|_| !project_scope);
        r.amounts
            .push(AmountSeen::found(f, section, feeds, "prose", location));
    }
}

fn read_table(t: &crate::document::Table, block: usize, section: &str, r: &mut Reading) {
    let mut figures = Vec::new();
    let grade = tables::self_evaluation(t, block, r.whole, &mut figures, &mut r.candidates);
    r.grade = r.grade.take().or(grade);
    tables::basic_data(t, &mut figures);
    for f in figures {
        r.candidates.extend(f.candidate(block));
        if f.period.is_some() {
            r.amounts.push(AmountSeen {
                section: section.to_string(),
                label: f.label,
                feeds: f.field,
                period: f.period,
                value_wan: f.value,
                raw: f.raw,
                unit: "万元",
                qualifier: "",
                source: "table",
                location: f.location,
            });
        }
    }
    // A table whose header says 万元 gives bare numbers that unit.
    let wan_table = t
        .rows
        .iter()
        .take(3)
        .flatten()
        .any(|c| c.text.contains("万元"));
    label_pairs(t, block, wan_table, r);
    // Cells holding a label and an amount (`其中：基本支出：2998.29`).
    for (ri, row) in t.rows.iter().enumerate() {
        for (ci, c) in row.iter().enumerate() {
            let labelled = c
                .text
                .chars()
                .map(fold_width)
                .any(|ch| !ch.is_ascii_digit() && ch != '.' && !ch.is_whitespace());
            let found = amounts::find(&c.text, wan_table && labelled);
            let location = Location::cell(t, ri, ci);
            r.candidates.extend(amounts::candidates(
                &found,
                Rank::SelfEvaluation,
                block,
                |_| location.clone(),
            ));
            for f in found {
                let feeds = f.field;
                r.amounts.push(AmountSeen::found(
                    f,
                    section,
                    feeds,
                    "table",
                    location.clone(),
                ));
            }
        }
    }
}

/// Labels of the unit's own score and grade in a form (`自评分值 | 100`, `自评等级 | 优`).
/// `自评得分` is not one: it also heads the budget block's score column.
static SCORE_CELLS: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_words(FormWord::ScoreCell));
static GRADE_CELLS: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_words(FormWord::GradeCell));

/// `label | value` pairs in a row: the self-evaluation score and grade, and money after a
/// vocabulary label when the pair stands alone (`基本支出总额 | 864.2万 | 项目支出总额 | 0`;
/// a label followed by several numbers is a budget row, read by its header).
fn label_pairs(t: &crate::document::Table, block: usize, wan_table: bool, r: &mut Reading) {
    for (ri, row) in t.rows.iter().enumerate() {
        for (ci, pair) in row.windows(2).enumerate() {
            let [label_cell, value_cell] = pair else {
                continue;
            };
            // Every rule below needs a short label without digits: most cells stop here,
            // before anything is squashed or allocated.
            let lt = label_cell.text.as_str();
            if lt.is_empty() || lt.len() > 64 || has_digit(lt) {
                continue;
            }
            let label = squashed(lt);
            let location = || Location::cell(t, ri, ci + 1);
            if SCORE_CELLS.contains(&label.as_ref()) {
                let num = tables::number_in(&value_cell.text);
                if let Some(v) = num.filter(|v| *v <= Decimal::ONE_HUNDRED) {
                    r.candidates.push(Candidate {
                        field: Field::SelfScore,
                        value: v,
                        rank: Rank::SelfEvaluation,
                        block,
                        location: location(),
                        rule: "自评分值 cell",
                    });
                }
            }
            if GRADE_CELLS.contains(&label.as_ref()) && r.grade.is_none() {
                let value = squash(&value_cell.text);
                if crate::rules::forms::GRADES.contains(&value.as_str()) {
                    r.grade = Some(value);
                }
            }
            // A short value with digits after a label of the vocabulary.
            let vt = value_cell.text.as_str();
            let is_pair = vt.len() <= 32 && has_digit(vt) && vocab::field_in(&label).is_some();
            if !is_pair {
                continue;
            }
            let num = tables::number_in(&value_cell.text);
            let alone = row.get(ci + 2).is_none_or(|after| {
                tables::number_in(&after.text).is_none() && !after.text.trim().is_empty()
            });
            if alone && num.is_some() {
                let value = squash(vt);
                let bare_is_wan = wan_table || value.contains('万') || num == Some(Decimal::ZERO);
                let found = amounts::find(&format!("{label}：{value}"), bare_is_wan);
                let at = location();
                r.candidates.extend(amounts::candidates(
                    &found,
                    Rank::SelfEvaluation,
                    block,
                    |_| at.clone(),
                ));
            }
        }
    }
}

/// `text` without white space, borrowed when it has none.
fn squashed(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_whitespace) {
        squash(text).into()
    } else {
        text.into()
    }
}

/// Where the report sits on the division list, from its identity texts and the folders of
/// its source path; a name the list does not hold is a `division_unknown` check.
fn locate(prepared: &Prepared<'_>, id: &identity::Identity, source_path: &str) -> divisions::Place {
    let folders: Vec<&str> = std::path::Path::new(source_path)
        .parent()
        .map(|p| p.iter().filter_map(|c| c.to_str()).collect())
        .unwrap_or_default();
    let texts = identity::identity_texts(prepared, id.unit_name.as_deref());
    let mut place = divisions::place(&texts, &folders);
    if place.code.is_none() && place.check.is_none() {
        let written: Vec<&str> = [id.county.as_deref(), id.township.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !written.is_empty() {
            place.check = Some((
                Check::DivisionUnknown,
                format!(
                    "{}不在全国区划代码表中（{}），可能已更名或撤并",
                    written.join(""),
                    divisions::EDITION
                ),
            ));
        }
    }
    place
}

/// A value as `inspect` shows it: field, value, where, and by which rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub field: Field,
    pub value: String,
    pub location: String,
    pub rule: &'static str,
}

/// Extracts every row one document contributes to the dataset, checks aside.
pub fn extract(doc: &Document, report_id: &str, source_path: &str) -> Extracted {
    extract_within(doc, report_id, source_path, None)
        .unwrap_or_default()
        .0
}

/// [`extract`] under a deadline: extraction looks at the clock between blocks and before
/// the keywords, and gives up with `too_slow` once past it (every step is linear, so this
/// only guards against a defect; the run goes on with the next file).
pub fn extract_by(
    doc: &Document,
    report_id: &str,
    source_path: &str,
    deadline: std::time::Instant,
) -> Result<Extracted, crate::error::ReadError> {
    extract_traced(doc, report_id, source_path, Some(deadline)).map(|(rows, _)| rows)
}

/// [`extract_by`], with the trace of every chosen value (for `inspect`); without a deadline
/// when it is `None`.
pub fn extract_traced(
    doc: &Document,
    report_id: &str,
    source_path: &str,
    deadline: Option<std::time::Instant>,
) -> Result<(Extracted, Vec<Trace>), crate::error::ReadError> {
    extract_within(doc, report_id, source_path, deadline)
        .ok_or_else(|| crate::error::ReadError::too_slow("extraction"))
}

/// The extraction itself; `None` when `deadline` passed before it was done.
fn extract_within(
    doc: &Document,
    report_id: &str,
    source_path: &str,
    deadline: Option<std::time::Instant>,
) -> Option<(Extracted, Vec<Trace>)> {
    let late = || deadline.is_some_and(|d| std::time::Instant::now() > d);
    // The rules read a traditional copy as simplified; indicator cells stay as written.
    let matching = script::for_matching(doc);
    let prepared = Prepared::new(&matching);
    let (kind, project_name) = kind::kind(&prepared);
    let id = identity::identify(&prepared, kind);
    let mut unsettled = id.checks.clone();
    if kind.is_none() {
        unsettled.push((
            Check::KindUnsettled,
            "文中未写明是部门整体支出还是项目支出的评价，report_kind 留空".to_string(),
        ));
    }
    let place = locate(&prepared, &id, source_path);
    let mut r = Reading {
        candidates: staff::candidates(&prepared),
        amounts: Vec::new(),
        shares: Vec::new(),
        grade: None,
        period_end_years: Vec::new(),
        gov_fund_none: false,
        whole: kind != Some(kind::Kind::Project),
        budget: Vec::new(),
        budget_ctx: budget::Context {
            fiscal_year: id.fiscal_year,
            whole: kind != Some(kind::Kind::Project),
            wan_declared: false,
        },
    };
    let mut sections: Vec<(usize, String)> = Vec::new();
    // The heading path, rebuilt only when a heading changes it.
    let mut section = String::new();
    let mut squashed = prepared.paras.iter().peekable();
    for (block, b) in matching.blocks.iter().enumerate() {
        if late() {
            return None;
        }
        if let Block::Paragraph(p) = b {
            if let Some(level) = heading_level(&p.text) {
                sections.retain(|(l, _)| *l < level);
                sections.push((level, heading_text(&p.text)));
                section = sections
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" > ");
            }
        }
        match b {
            Block::Paragraph(p) => {
                let text = squashed.next().map_or("", String::as_str);
                let next = squashed.peek().map_or("", |s| s.as_str());
                read_paragraph(p, text, next, block, &section, &mut r)
            }
            Block::Table(t) => read_table(t, block, &section, &mut r),
        }
    }
    if r.gov_fund_none && !r.candidates.iter().any(|c| c.field == Field::GovFundExp) {
        r.candidates.push(Candidate {
            field: Field::GovFundExp,
            value: Decimal::ZERO,
            rank: Rank::Prose,
            block: usize::MAX,
            location: String::new(),
            rule: "explicit 无…政府性基金 (0)",
        });
    }
    for (f, block, para) in budget::settle(&r.budget) {
        r.candidates.push(Candidate {
            field: f.field,
            value: f.value,
            rank: Rank::Prose,
            block,
            location: Location::Para {
                para,
                start: f.start,
                end: f.end,
            }
            .to_string(),
            rule: f.rule,
        });
    }
    let chosen = resolve(&r.candidates);
    // The list's names where it settles them, else the names as written.
    let township = place
        .township
        .clone()
        .or_else(|| id.township.clone())
        .map(Text);
    let county = place.county.clone().or_else(|| {
        // A county the list placed is written only when the document names it.
        place.code.is_none().then(|| id.county.clone()).flatten()
    });
    let (indicators, unassembled) =
        indicator_rows(doc, &matching, report_id, id.fiscal_year, &township);
    let amounts: Vec<AmountRow> = r
        .amounts
        .into_iter()
        .map(|a| AmountRow {
            report_id: Text::new(report_id),
            fiscal_year: id.fiscal_year,
            township: township.clone(),
            section: Text(a.section),
            label: Text(a.label),
            // The field column names the report column this very amount fed.
            field: a
                .feeds
                .filter(|f| chosen.get(f).is_some_and(|c| c.location == a.location))
                .map(|f| Text::new(f.name())),
            period: a.period.map(Text::new),
            value_wan: Num(a.value_wan),
            raw: Text(a.raw),
            unit: Text::new(a.unit),
            qualifier: Text::new(a.qualifier),
            source: Text::new(a.source),
            location: Text(a.location),
        })
        .collect();
    if late() {
        return None;
    }
    let topic_words = keywords::keywords(doc, id.unit_name.as_deref());
    let mut report = ReportRow {
        report_id: Text::new(report_id),
        source_path: Text::new(source_path),
        report_kind: Text::new(kind.map_or("", kind::Kind::as_str)),
        unit_name: id.unit_name.map(Text),
        project_name: project_name.map(Text),
        province: place.province.map(Text),
        prefecture: place.prefecture.map(Text),
        county: county.map(Text),
        township,
        division_code: place.code.map(Text),
        fiscal_year: id.fiscal_year,
        report_date: id.report_date.map(Text),
        grade: r.grade.map(Text),
        keywords: topic_words.map(Text),
        indicator_count: indicators.len(),
        // Read from a text layer unless the reader says otherwise (pipeline.rs, from the
        // blocks read by OCR).
        text_source: Text::new("text"),
        ..ReportRow::default()
    };
    // Every figure: the chosen candidate of its field (fields::RANKED).
    report.set_ranked(|f| chosen.get(&f).map(|c| Num(c.value)));
    let trace = chosen
        .values()
        .map(|c| Trace {
            field: c.field,
            value: crate::normalize::numbers::fmt_decimal(c.value),
            location: c.location.clone(),
            rule: c.rule,
        })
        .collect();
    // Last, so the facts take the chosen values and every candidate by move, not a copy.
    let facts = Facts {
        chosen,
        candidates: r.candidates,
        shares: r.shares,
        indicators: indicators
            .iter()
            .map(|i| Points {
                name: i.name.0.clone(),
                weight: i.weight.map(|n| n.0),
                score: i.score.map(|n| n.0),
                location: i.location.0.clone(),
            })
            .collect(),
        fiscal_year: id.fiscal_year,
        report_year: report
            .report_date
            .as_ref()
            .and_then(|d| d.as_str().get(..4))
            .and_then(|y| y.parse().ok()),
        period_end_years: r.period_end_years,
        division: place.check,
        unassembled,
        identity: unsettled,
    };
    Some((
        Extracted {
            rows: DocRows {
                report,
                amounts,
                indicators,
                checks: Vec::new(),
            },
            facts,
        },
        trace,
    ))
}

/// A fingerprint of everything that decides what a file yields: the sources and rule files
/// the binary was built from (`build.rs`). A cache from other rules or code is not reused.
pub fn rules_hash() -> String {
    env!("JIXIAO_SOURCE_HASH").to_string()
}

/// A target/actual cell as operator, value and unit when it is one number (money in 万元).
fn parse_value(raw: &str) -> (String, Option<Num>, String) {
    let text = squash(raw);
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

/// The indicator rows of every table, and where the first indicator header stands when no
/// row came out of any (a table found and not assembled: said, never silent). The rows are
/// read in `matching` (the copy the rules read, see [`script`]) and keep `doc`'s words.
fn indicator_rows(
    doc: &Document,
    matching: &Document,
    report_id: &str,
    year: Option<i32>,
    township: &Option<Text>,
) -> (Vec<IndicatorRow>, Option<String>) {
    let mut out = Vec::new();
    let mut header = None;
    let copies = matching.tables();
    for (k, t) in doc.tables().into_iter().enumerate() {
        let copy = copies.get(k).copied().unwrap_or(t);
        let written = if std::ptr::eq(copy, t) {
            HashMap::new()
        } else {
            script::as_written(t, copy)
        };
        let shown = |s: String| written.get(&s).cloned().unwrap_or(s);
        let mut read = indicators::read(copy);
        for r in &mut read.rows {
            for text in [
                &mut r.level1,
                &mut r.level2,
                &mut r.name,
                &mut r.target,
                &mut r.actual,
                &mut r.note,
            ] {
                *text = shown(std::mem::take(text));
            }
        }
        if let (None, Some(ri)) = (&header, read.header) {
            header = Some(format!("t{}:r{}", t.index, ri + 1));
        }
        for r in read.rows {
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
    let unassembled = header.filter(|_| out.is_empty());
    (out, unassembled)
}

#[cfg(test)]
mod template_labels;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::numbers::fmt_decimal;

    fn report(text: &str) -> ReportRow {
        let doc = crate::recover::dump::parse(text).unwrap();
        extract(&doc, "r", "x.txt").rows.report
    }

    #[test]
    fn heading_titles_end_at_their_colon() {
        assert_eq!(
            super::heading_level("1、收入 : 本年收入792.22万元"),
            Some(3)
        );
        assert_eq!(
            super::heading_text(" 1、收入 : 本年收入792.22万元"),
            "1、收入"
        );
        assert_eq!(
            super::heading_text("（一）部门概况。本单位……"),
            "（一）部门概况"
        );
    }

    #[test]
    fn a_document_past_its_deadline_is_too_slow() {
        let doc = crate::recover::dump::parse("某某镇人民政府\n2023年度部门整体支出绩效自评报告")
            .unwrap();
        let past = std::time::Instant::now();
        let e = extract_by(&doc, "r", "x.txt", past).unwrap_err();
        assert_eq!(e.reason.code(), "too_slow");
        let later = past + std::time::Duration::from_secs(60);
        assert!(extract_by(&doc, "r", "x.txt", later).is_ok());
    }

    #[test]
    fn scores_as_people_write_them() {
        let n = |r: &ReportRow| r.self_score.map(|n| fmt_decimal(n.0));
        assert_eq!(
            n(&report("经评价，综合评分为88.5分，等级为良好。")).as_deref(),
            Some("88.5")
        );
        assert_eq!(
            n(&report("自评总分(分)92部门联系人张三")).as_deref(),
            Some("92")
        );
        // The score on the line after its label.
        assert_eq!(
            n(&report(
                "本单位开展了绩效自评，自评得分\n95 分，存在的问题如下。"
            ))
            .as_deref(),
            Some("95")
        );
        // An evaluator's 评价分值 is not the unit's own score; nor is a count of points.
        assert_eq!(n(&report("评价分值:86.2分")), None);
        // `评价分N分` is the total; one indicator's 自评得分 is not.
        let r = report("(一)自评得分\n经综合评价，本项目评价分87分，评定等级为(良)。\n1.入学率,年初目标值≥95%,实际完成值97%,自评得分15分;");
        assert_eq!(n(&r).as_deref(), Some("87"));
        assert_eq!(r.grade.as_ref().map(Text::as_str), Some("良"));
        let r = report("1.绿化面积,年初目标值≥30亩,实际完成值32亩,自评得分20分;\n三、评价结论\n经评价，评价分76.5分，绩效等级为（中）。");
        assert_eq!(n(&r).as_deref(), Some("76.5"));
        assert_eq!(r.grade.as_ref().map(Text::as_str), Some("中"));
        // A sentence naming the procedure, no figure after 指标值, states the report's score.
        let r = report("按照批复的各项绩效指标值逐项打分，本项目自评得分为92分。");
        assert_eq!(n(&r).as_deref(), Some("92"));
        let r = report("对照完成值评分，自评得分88.5分。");
        assert_eq!(n(&r).as_deref(), Some("88.5"));
    }

    #[test]
    fn score_and_grade_cells() {
        let r = report("自评方式 | 单位自评 | 自评分值 | 93 |\n自评等级 | 优 | 抽查 | 1 |");
        assert_eq!(
            r.self_score.map(|n| fmt_decimal(n.0)).as_deref(),
            Some("93")
        );
        assert_eq!(r.grade.as_ref().map(Text::as_str), Some("优"));
    }

    /// Every score and grade word of rules/form_words.tsv reads its example: a label cell
    /// beside a score or grade cell, a prose label before a score or grade.
    #[test]
    fn every_score_and_grade_word_reads_its_example() {
        use crate::rules::forms::{FormWordLine, FORM_WORD_FILE};
        let file = FORM_WORD_FILE.path;
        let rows =
            crate::rules::table::<FormWordLine>(&FORM_WORD_FILE).unwrap_or_else(|e| panic!("{e}"));
        let score = |r: &ReportRow| r.self_score.map(|n| fmt_decimal(n.0));
        for (line, w) in rows {
            let example = w.example.as_str();
            match w.kind {
                FormWord::ScoreCell => {
                    let r = report(&format!("自评方式 | 单位自评 | {example} | 91.5 |"));
                    assert_eq!(score(&r).as_deref(), Some("91.5"), "{file}:{line}");
                }
                FormWord::GradeCell => {
                    let r = report(&format!("{example} | 良 | 抽查 | 1 |"));
                    assert_eq!(
                        r.grade.as_ref().map(Text::as_str),
                        Some("良"),
                        "{file}:{line}"
                    );
                }
                FormWord::ScoreLabel => {
                    let r = report(example);
                    assert!(score(&r).is_some(), "{file}:{line}: {example}");
                }
                FormWord::GradeLabel => {
                    let r = report(example);
                    assert!(r.grade.is_some(), "{file}:{line}: {example}");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn totals_as_numbered_items() {
        let r = report("一、收支情况\n1、收入：1022.5万元，比上年增加12万元。\n2、支出：1019.75万元。其中：人员经费800万元。");
        assert_eq!(
            r.income_total.map(|n| fmt_decimal(n.0)).as_deref(),
            Some("1022.5")
        );
        assert_eq!(
            r.exp_total.map(|n| fmt_decimal(n.0)).as_deref(),
            Some("1019.75")
        );
    }

    #[test]
    fn label_and_amount_in_neighbouring_cells() {
        let r = report(
            "基本支出总额 | 512.3万 | 项目支出总额 | 0 |\n预算执行情况(万元) | 预算数 | 执行数 |",
        );
        assert_eq!(
            r.exp_basic.map(|n| fmt_decimal(n.0)).as_deref(),
            Some("512.3")
        );
        assert_eq!(
            r.exp_project.map(|n| fmt_decimal(n.0)).as_deref(),
            Some("0")
        );
    }
}
