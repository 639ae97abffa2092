//! The gate: whether a document is a performance self-evaluation (a 部门整体 or 项目 report,
//! form or 自评表 with actual values) and so worth extracting, or something else a township's
//! site publishes beside them — a budget (预算公开), final accounts (决算), a notice, a tender,
//! a target-setting form (绩效目标表, 申报表), a blank template.
//!
//! A pure function of one [`Document`], between reading and extraction; it knows the domain's
//! words (`rules/gate_words.tsv`) but nothing of fields or rows. What it reads:
//! - title lines: short lines that are not sentences nor numbered headings; the title word
//!   that ends last on a line is what the line names (关于开展绩效自评工作的**通知**);
//! - the tables: a self-evaluation form has actual-value columns (执行数, 完成值, 得分) beside
//!   form headers (得分, 分值, 指标); filled, they are a report, all blank a template;
//! - the prose: a stated self-evaluation result (自评得分为95分), amounts, and placeholders
//!   (xxxx, XX) that mark a template.
//!
//! It never silently drops a real report: any self-evaluation title, filled form or stated
//! result keeps the document; when that evidence sits under another title (a 决算 disclosure
//! that carries its 自评表), or when only self-evaluation words and no title are found, the
//! document is kept with a reason for a `weak_evidence` check.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Cell, Document, Table};
use crate::normalize::simplified::simplified;
use crate::normalize::text::{has_digit, squash};
use crate::rules::titles::{gate_words, GateWord};

/// Why a document is not extracted: the `reason` column of `skipped.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A budget, final accounts, a notice, a tender, a policy text, anything else.
    NotAReport,
    /// A target-setting or application form (绩效目标表, 申报表): targets, no actual values.
    TargetsOnly,
    /// A blank form or a report template (xxxx placeholders, no values).
    EmptyTemplate,
}

impl SkipReason {
    const ALL: [SkipReason; 3] = [
        SkipReason::NotAReport,
        SkipReason::TargetsOnly,
        SkipReason::EmptyTemplate,
    ];

    /// Whether `code` is one of the reasons' codes (a cache line is checked against them).
    pub fn is_code(code: &str) -> bool {
        SkipReason::ALL.iter().any(|r| r.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            SkipReason::NotAReport => "not_a_report",
            SkipReason::TargetsOnly => "targets_only",
            SkipReason::EmptyTemplate => "empty_template",
        }
    }
}

/// A document the gate turned away, with what it saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub reason: SkipReason,
    /// The document's title line as written (its first non-empty line when it has none).
    pub title: String,
    /// What decided: the title word, or what was missing.
    pub evidence: String,
}

/// The gate's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A self-evaluation; `weak` says why the evidence was thin (a `weak_evidence` check).
    Keep {
        weak: Option<String>,
    },
    Skip(Skip),
}

static REPORT: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Report));
static OTHER: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Other));
static TARGETS: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Targets));
static TEMPLATE: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Template));
static ACTUAL: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Actual));
static TARGET: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Target));
static FORM: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Form));
static MENTION: LazyLock<Vec<&'static str>> = LazyLock::new(|| gate_words(GateWord::Mention));

/// What a title line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Report,
    Other,
    Targets,
    Template,
}

/// A numbered heading (`十四、`, `（二）`, `3.`, `第五部分`): a table of contents or a section, never
/// the document's own title.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?:\D|$))")
        .unwrap_or_else(|e| panic!("{e}"))
});

/// A line naming an attached file (附件9：…绩效评价报告.pdf, 附件：《…报告》, 3.…自评表.xlsx):
/// what a notice carries, not its own title.
static ATTACHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:附件[\d:：、.．]*|\d+[、.．])(?:《.*》|.*\.(?i:pdf|docx?|xlsx?|wps|et|zip|rar))$",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// A stated self-evaluation result: a score that is a value, not a grade band (`90分以上`).
static RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:自评|评价|综合|总)得分|自评总分)(?:\(分\))?(?:为|是|:)?(\d+(?:\.\d+)?)分?(以上|以下|及以上|至|-|~|—|－|\(含)?|评价等级(?:为|:)(?:优|良|中|差)")
        .unwrap_or_else(|e| panic!("{e}"))
});

/// An amount with its unit, or a rate: what a filled report has and a template lacks.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d(?:\.\d+)?(?:万元|亿元|元|%)").unwrap_or_else(|e| panic!("{e}"))
});

/// A unit speaking of itself (我单位, 我局): how a report without a title reads, and a
/// notice or a news item about self-evaluation work does not.
static FIRST_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"我(?:单位|部门|局|镇|乡|委|院|中心|办|所|站|校|街道)")
        .unwrap_or_else(|e| panic!("{e}"))
});

/// What a notice says to those it is sent to (通知如下, 请各单位): it asks for self-
/// evaluations, it is not one.
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"通知如下|特此通知|请各|各有关单位|现将有关事项").unwrap_or_else(|e| panic!("{e}"))
});

/// Placeholders of a template (`xxxx年`, `XX镇`, `××`, `某某`); `****` is a masked name in
/// published reports, not a placeholder.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[xX×]{2,}|某某").unwrap_or_else(|e| panic!("{e}")));

/// Amounts a filled report shows at least (a template shows fewer).
const AMOUNTS: usize = 3;
/// Placeholders that make a document without values a template.
const PLACEHOLDERS: usize = 2;
/// Longest title line, in characters (spaces removed).
const TITLE_CHARS: usize = 80;

/// One line of the document, spaces removed, widths folded and traditional characters made
/// simplified, with the line as written.
struct Line<'d> {
    text: String,
    written: &'d str,
    /// A paragraph's line, or a table cell alone in its row (a form's title row); a cell
    /// beside others is a label (预算执行情况), never the title.
    alone: bool,
}

/// Every line in reading order: paragraphs' lines and table cells' lines (nested tables too).
fn lines(doc: &Document) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        block_lines(b, &mut out);
    }
    out
}

fn block_lines<'d>(b: &'d Block, out: &mut Vec<Line<'d>>) {
    match b {
        Block::Paragraph(p) => text_lines(&p.text, true, out),
        Block::Table(t) => {
            for row in &t.rows {
                let alone = row.iter().filter(|c| !c.text.trim().is_empty()).count() == 1;
                for c in row {
                    text_lines(&c.text, alone, out);
                    for nested in &c.tables {
                        block_lines(nested, out);
                    }
                }
            }
        }
    }
}

fn text_lines<'d>(text: &'d str, alone: bool, out: &mut Vec<Line<'d>>) {
    for l in text.lines() {
        let squashed = squash(l);
        if !squashed.is_empty() {
            let text = match simplified(&squashed) {
                Cow::Borrowed(_) => squashed,
                Cow::Owned(converted) => converted,
            };
            out.push(Line {
                text,
                written: l.trim(),
                alone,
            });
        }
    }
}

/// Whether a line can be a title: alone on its line, short, not a sentence, not a site's
/// breadcrumb trail (首页 > 政务 > 信息公开年度报告) nor a link to an attachment, without
/// amounts.
fn is_title_shaped(line: &Line) -> bool {
    line.alone
        && !AMOUNT.is_match(&line.text)
        && !ATTACHED.is_match(&line.text)
        && line.text.chars().count() <= TITLE_CHARS
        && !line
            .text
            .contains(['。', '，', ',', '；', ';', '！', '？', '>', '›', '»'])
}

/// What a title-shaped line names. A numbered heading names a part of the document (a 决算's
/// contents list its 自评表, a report has its （三）绩效目标 section), never the document.
fn title_of(line: &Line) -> Option<(Class, &'static str)> {
    if NUMBERED.is_match(&line.text) {
        return None;
    }
    classify(&line.text)
}

/// What a title line names and by which word: the word that ends last (the head of a
/// Chinese title is at its end), the longer on a tie.
fn classify(line: &str) -> Option<(Class, &'static str)> {
    let mut best: Option<(usize, usize, Class, &'static str)> = None;
    for (class, words) in [
        (Class::Report, &*REPORT),
        (Class::Other, &*OTHER),
        (Class::Targets, &*TARGETS),
        (Class::Template, &*TEMPLATE),
    ] {
        for w in words {
            if let Some(at) = line.rfind(w) {
                let key = (at + w.len(), w.len());
                if best.is_none_or(|(end, len, _, _)| key > (end, len)) {
                    best = Some((key.0, key.1, class, w));
                }
            }
        }
    }
    best.map(|(_, _, class, w)| (class, w))
}

/// How a table's actual-value columns are filled, if it has any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A form header and an actual-value column with a figure below it.
    Filled,
    /// Actual-value columns with nothing below them.
    Blank,
    /// Target columns and no actual-value column.
    TargetsOnly,
}

/// The grid columns each cell of a row covers.
fn spans(row: &[Cell]) -> Vec<(u32, u32)> {
    let mut at = 0;
    row.iter()
        .map(|c| {
            let span = (at, at + c.col_span.max(1));
            at = span.1;
            span
        })
        .collect()
}

/// A table cell as [`form`] reads it, squashed and matched once: the cells below a header
/// are looked at again for each header.
struct FormCell {
    /// The grid columns it covers.
    span: (u32, u32),
    /// An actual-value header (执行数, 完成值, …).
    actual: bool,
    digit: bool,
}

/// What a table is as a self-evaluation form, if it is one.
fn form(t: &Table) -> Option<Form> {
    let mut cells: Vec<Vec<FormCell>> = Vec::with_capacity(t.rows.len());
    let mut form_header = false;
    let mut target = false;
    for row in &t.rows {
        let mut seen = Vec::with_capacity(row.len());
        for (c, span) in row.iter().zip(spans(row)) {
            let text = squash(&c.text);
            let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
            form_header |= has(&FORM);
            target |= has(&TARGET);
            seen.push(FormCell {
                span,
                actual: has(&ACTUAL),
                digit: has_digit(&c.text),
            });
        }
        cells.push(seen);
    }
    let actual: Vec<(usize, (u32, u32))> = cells
        .iter()
        .enumerate()
        .flat_map(|(r, row)| row.iter().filter(|c| c.actual).map(move |c| (r, c.span)))
        .collect();
    if actual.is_empty() {
        return target.then_some(Form::TargetsOnly);
    }
    // A figure in a later row under an actual-value header (a table recovered from spaced
    // text may skip columns: any figure below counts there).
    let filled = actual.iter().any(|&(r, (from, to))| {
        cells.iter().skip(r + 1).any(|row| {
            row.iter().any(|c| {
                let (a, b) = c.span;
                (t.spaced || (a < to && from < b)) && !c.actual && c.digit
            })
        })
    });
    let below = actual.iter().any(|&(r, _)| t.rows.len() > r + 1);
    match (filled, form_header) {
        (true, true) => Some(Form::Filled),
        (false, _) if below => Some(Form::Blank),
        _ => None,
    }
}

fn tables(doc: &Document) -> Vec<&Table> {
    fn walk<'d>(b: &'d Block, out: &mut Vec<&'d Table>) {
        if let Block::Table(t) = b {
            out.push(t);
            for c in t.rows.iter().flatten() {
                for nested in &c.tables {
                    walk(nested, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        walk(b, &mut out);
    }
    out
}

/// Whether the text states a self-evaluation result (a score that is not a grade band).
fn states_result(text: &str) -> bool {
    RESULT
        .captures_iter(text)
        .any(|c| c.get(2).is_none_or(|band| band.as_str().is_empty()))
}

/// Decides whether `doc` is a self-evaluation.
pub fn gate(doc: &Document) -> Verdict {
    let lines = lines(doc);
    let titles: Vec<(&Line, Class, &str)> = lines
        .iter()
        .filter(|l| is_title_shaped(l))
        .filter_map(|l| title_of(l).map(|(c, w)| (l, c, w)))
        .collect();
    let first = titles.first();
    // A self-evaluation's title, or its template's (部门整体支出绩效自评报告(模板)): filled
    // in, that is a report too.
    let report_title = titles.iter().find(|t| {
        t.1 == Class::Report
            || (t.1 == Class::Template && REPORT.iter().any(|w| t.0.text.contains(w)))
    });
    let forms: Vec<Form> = tables(doc).into_iter().filter_map(form).collect();
    let filled = forms.contains(&Form::Filled);
    let blank_form = forms.contains(&Form::Blank);
    let all: String = lines.iter().map(|l| l.text.as_str()).collect();
    let result = states_result(&all);
    let amounts = AMOUNT.find_iter(&all).take(AMOUNTS).count();
    let placeholders = PLACEHOLDER.find_iter(&all).take(PLACEHOLDERS).count();
    let mention = MENTION.iter().find(|w| all.contains(*w));
    let title = first
        .map(|t| t.0.written)
        .or_else(|| lines.first().map(|l| l.written))
        .unwrap_or_default();
    let title: String = title.chars().take(TITLE_CHARS).collect();
    let skip = |reason, evidence: String| {
        Verdict::Skip(Skip {
            reason,
            title: title.clone(),
            evidence,
        })
    };

    // A template shows no values: a title that says it is one (模板), a blank form, or
    // placeholders in a text with self-evaluation words. A filled-in template is a report.
    let values = filled || result || amounts >= AMOUNTS;
    let template = match first {
        Some((_, Class::Template, w)) => Some(format!("title word {w}")),
        _ if blank_form => Some(
            "a self-evaluation form whose actual-value cells (执行数, 完成值, 得分) are all blank"
                .to_string(),
        ),
        _ if placeholders >= PLACEHOLDERS && (report_title.is_some() || mention.is_some()) => {
            Some("placeholders (xxxx, XX) and no amounts".to_string())
        }
        _ => None,
    };
    if let (false, Some(evidence)) = (values, template) {
        return skip(SkipReason::EmptyTemplate, evidence);
    }
    let kept_by = report_title
        .map(|t| format!("标题行“{}”", t.0.written))
        .or_else(|| filled.then(|| "已填写的自评表".to_string()))
        .or_else(|| result.then(|| "写明的自评得分".to_string()));
    if let Some(kept_by) = kept_by {
        let weak = match first {
            Some((l, c, w)) if *c != Class::Report => Some(format!(
                "文件标题“{}”写的是“{w}”；因{kept_by}而保留",
                l.written
            )),
            _ => None,
        };
        return Verdict::Keep { weak };
    }
    // A form flattened into text that no table was rebuilt from: its actual-value and score
    // words with figures beside them.
    let form_text = amounts >= AMOUNTS
        && ACTUAL.iter().any(|w| all.contains(w))
        && FORM.iter().any(|w| all.contains(w));
    let notice = NOTICE.is_match(&all);
    match first {
        Some((_, _, w)) if notice => skip(
            SkipReason::NotAReport,
            format!("a notice (通知如下, 请各单位); title word {w}"),
        ),
        Some((_, Class::Targets, w)) => skip(
            SkipReason::TargetsOnly,
            format!("title word {w}; no actual values"),
        ),
        Some((_, _, w)) => skip(
            SkipReason::NotAReport,
            format!("title word {w}; no self-evaluation title, form or score"),
        ),
        None if forms.contains(&Form::TargetsOnly) && mention.is_none() => skip(
            SkipReason::TargetsOnly,
            "a table of targets (指标值) without actual values".to_string(),
        ),
        None => match mention {
            Some(w) if (FIRST_PERSON.is_match(&all) || blank_form || form_text) && !notice => {
                Verdict::Keep {
                    weak: Some(format!(
                        "没有标题说明文件是什么；文中在单位自述或表格数字旁提到“{w}”"
                    )),
                }
            }
            Some(w) => skip(
                SkipReason::NotAReport,
                format!("no title, form or score; mentions {w} but no unit speaks of its own work"),
            ),
            None => skip(
                SkipReason::NotAReport,
                format!(
                    "no self-evaluation title, form, score or word ({})",
                    MENTION.join(", ")
                ),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Paragraph;

    fn doc(paras: &[&str], tables: &[&[&[&str]]]) -> Document {
        let mut blocks: Vec<Block> = paras
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Block::Paragraph(Paragraph {
                    index: i + 1,
                    text: t.to_string(),
                })
            })
            .collect();
        for (i, rows) in tables.iter().enumerate() {
            blocks.push(Block::Table(Table::of_texts(i + 1, rows)));
        }
        Document { blocks }
    }

    #[test]
    fn reason_codes_are_known() {
        assert!(SkipReason::ALL
            .iter()
            .all(|r| SkipReason::is_code(r.code())));
        assert!(!SkipReason::is_code("kept"));
    }

    fn reason(d: &Document) -> Option<&'static str> {
        match gate(d) {
            Verdict::Skip(s) => Some(s.reason.code()),
            Verdict::Keep { .. } => None,
        }
    }

    fn weak(d: &Document) -> bool {
        matches!(gate(d), Verdict::Keep { weak: Some(_) })
    }

    /// Every line of rules/gate_words.tsv is well formed, of a known kind, and its example
    /// holds its word; every title example is classed as its kind.
    #[test]
    fn every_gate_word_matches_its_example() {
        use crate::rules::titles::{GateWordLine, GATE_WORD_FILE};
        let file = GATE_WORD_FILE.path;
        let rows =
            crate::rules::table::<GateWordLine>(&GATE_WORD_FILE).unwrap_or_else(|e| panic!("{e}"));
        for (line, r) in rows {
            assert!(r.example.contains(&r.word), "{file}:{line}");
            let class = match r.kind {
                GateWord::Report => Some(Class::Report),
                GateWord::Other => Some(Class::Other),
                GateWord::Targets => Some(Class::Targets),
                GateWord::Template => Some(Class::Template),
                GateWord::Actual | GateWord::Target | GateWord::Form | GateWord::Mention => None,
            };
            if let Some(class) = class {
                assert_eq!(
                    classify(&squash(&r.example)).map(|c| c.0),
                    Some(class),
                    "{file}:{line}"
                );
            }
        }
    }

    #[test]
    fn a_self_evaluation_title_keeps_a_report() {
        let d = doc(
            &["XX镇人民政府2023年部门整体支出绩效自评报告", "一、基本情况"],
            &[],
        );
        assert_eq!(gate(&d), Verdict::Keep { weak: None });
        let d = doc(&["南縣婦女聯合會2021年度項目支出績效評價報告"], &[]);
        assert_eq!(gate(&d), Verdict::Keep { weak: None });
    }

    #[test]
    fn the_word_that_ends_last_names_the_line() {
        assert_eq!(
            classify("关于开展2023年度部门整体支出绩效自评工作的通知").map(|c| c.0),
            Some(Class::Other)
        );
        assert_eq!(
            classify("绩效目标自评表(2019年度)").map(|c| c.0),
            Some(Class::Report)
        );
        assert_eq!(
            classify("项目支出绩效目标申报表").map(|c| c.0),
            Some(Class::Targets)
        );
    }

    #[test]
    fn budgets_final_accounts_and_notices_are_not_reports() {
        let d = doc(&["某县财政局2024年部门预算公开", "一、部门主要职责"], &[]);
        assert_eq!(reason(&d), Some("not_a_report"));
        let d = doc(
            &[
                "某县审计局2023年度部门决算",
                "目录",
                "十三、2023年度部门整体支出绩效自评情况",
            ],
            &[],
        );
        assert_eq!(reason(&d), Some("not_a_report"));
        let d = doc(
            &[
                "关于开展2023年度绩效自评工作的通知",
                "各单位：请于5月底前报送自评报告，自评得分90分以上为优。",
            ],
            &[],
        );
        assert_eq!(reason(&d), Some("not_a_report"));
    }

    #[test]
    fn a_text_without_any_domain_word_is_not_a_report() {
        let d = doc(
            &["GNU General Public License", "Version 3, 29 June 2007"],
            &[],
        );
        assert_eq!(reason(&d), Some("not_a_report"));
    }

    #[test]
    fn a_target_form_without_actual_values_is_targets_only() {
        let rows: &[&[&str]] = &[
            &["一级指标", "二级指标", "三级指标", "年度指标值"],
            &["产出指标", "数量指标", "培训人次", "≥100人次"],
        ];
        let d = doc(&["2024年度项目支出绩效目标申报表"], &[rows]);
        assert_eq!(reason(&d), Some("targets_only"));
        let d = doc(&[], &[rows]);
        assert_eq!(reason(&d), Some("targets_only"));
    }

    #[test]
    fn a_filled_form_is_kept_and_a_blank_one_is_a_template() {
        let filled: &[&[&str]] = &[
            &["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["培训人次", "≥100人次", "120人次", "10", "10"],
        ];
        let blank: &[&[&str]] = &[
            &["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            &["指标1：", "", "", "", ""],
        ];
        let title = "项目支出绩效自评表";
        assert_eq!(
            gate(&doc(&[title], &[filled])),
            Verdict::Keep { weak: None }
        );
        assert_eq!(reason(&doc(&[title], &[blank])), Some("empty_template"));
        // A filled form under a final-accounts title: kept, with the reason to check it.
        assert!(weak(&doc(&["2023年度部门决算公开"], &[filled])));
    }

    #[test]
    fn a_template_title_skips_a_blank_but_not_a_filled_in_template() {
        let blank = doc(&["部门整体绩效自评报告模板", "一、部门单位概况"], &[]);
        assert_eq!(reason(&blank), Some("empty_template"));
        let filled = doc(
            &[
                "部门整体支出绩效自评报告(模板)",
                "收入123.4万元，支出120.1万元，执行率97.3%。",
            ],
            &[],
        );
        assert!(weak(&filled));
    }

    #[test]
    fn placeholders_without_values_are_a_template() {
        let d = doc(
            &[
                "xxxx年度部门整体支出绩效自评报告",
                "XX镇内设机构x个，年初预算xxxx万元。",
            ],
            &[],
        );
        assert_eq!(reason(&d), Some("empty_template"));
        // A masked name (****) in a published report is not a placeholder.
        let d = doc(
            &[
                "2024年度****部门整体支出绩效自评报告",
                "部门(单位)名称:****",
                "收入123.4万元，支出120.1万元，执行率97.3%。",
            ],
            &[],
        );
        assert_eq!(gate(&d), Verdict::Keep { weak: None });
    }

    #[test]
    fn a_stated_score_keeps_a_report_under_another_title() {
        let d = doc(
            &[
                "2021年公共文化服务体系建设专项资金决算情况",
                "项目绩效自评综述:根据年初设定的绩效目标，项目绩效自评得分为95分。",
            ],
            &[],
        );
        assert!(weak(&d));
    }

    #[test]
    fn self_evaluation_words_without_a_title_are_kept_as_weak() {
        let d = doc(&["根据要求，我单位开展了绩效自评，情况如下"], &[]);
        assert!(weak(&d));
        // The same words in a news item or a notice, nobody speaking of its own work.
        let d = doc(
            &["财政部近日发布通知，启动中央部门开展项目支出绩效自评工作。"],
            &[],
        );
        assert_eq!(reason(&d), Some("not_a_report"));
    }
}
