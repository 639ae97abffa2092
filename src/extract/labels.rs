//! Values written after a label: `实施单位 | 永德县明朗中学` (a cell, then the next cell),
//! `部门:临沧市永德县明朗中学` (one cell or line), `项目名称 委托业务项目 主管部门 …` (a
//! space-separated dump). The labels and what they name are data (`rules/unit_labels.tsv`,
//! and the callers' own words); this module only finds what follows them.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::Document;
use crate::normalize::text::{fold_widths, is_han, squash};
use crate::rules::forms::{form_labels, identity_words, FormLabel, IdentityWord};
pub use crate::rules::forms::{UNIT_LABELS, UNIT_SUFFIXES};

/// A label as written: ASCII or full-width brackets alike.
fn label_pattern(label: &str) -> String {
    label
        .chars()
        .map(|c| match c {
            '(' | '（' => "[（(]".to_string(),
            ')' | '）' => "[）)]".to_string(),
            c => regex::escape(&c.to_string()),
        })
        .collect()
}

/// A matcher for a set of labels: the label at the start of a text or after a separator,
/// an optional `(公章)` / `(盖章)`, a colon or white space, then the value up to the next
/// space, bar or clause mark.
pub struct Labels {
    /// (label as written in the rules, squashed with ASCII brackets).
    labels: Vec<(&'static str, String)>,
    inline: Regex,
    /// A label alone, preceded by white space: where a value that runs over spaces ends.
    next_label: Regex,
    /// The labels' first characters: a short cell starting with none of them is no label.
    first: BTreeSet<char>,
}

/// What a label may be followed by to ask for the unit's seal.
static SEAL_NOTES: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_labels(FormLabel::SealNote));

/// A label or cell with full-width brackets made ASCII (`部门（单位）` → `部门(单位)`).
fn ascii_brackets(s: &str) -> String {
    s.replace('（', "(").replace('）', ")")
}

impl Labels {
    pub fn new(labels: &[&'static str]) -> Labels {
        let mut sorted: Vec<&'static str> = labels.to_vec();
        // Longest first, so 部门(单位)名称 wins over 部门.
        sorted.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
        let alternation = sorted
            .iter()
            .map(|l| label_pattern(l))
            .collect::<Vec<_>>()
            .join("|");
        // The pattern starts with the labels themselves, so the regex engine can look for
        // them with its literal prefilter; what stands before a label is checked in code.
        let inline = Regex::new(&format!(
            r"({alternation})(?:\s*[（(](?:公章|盖章)[）)])?[\s:：|｜]+([^\s|｜:：，,。；;]+)"
        ))
        .expect("label patterns are escaped");
        let stops = FORM_WORDS
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        let next_label = Regex::new(&format!(
            r"\s(?:{alternation}|{stops}|[^\s:：|｜]{{1,12}}[:：])"
        ))
        .expect("label patterns are escaped");
        let first: BTreeSet<char> = sorted.iter().filter_map(|l| l.chars().next()).collect();
        Labels {
            next_label,
            labels: sorted
                .into_iter()
                .map(|l| (l, ascii_brackets(&squash(l))))
                .collect(),
            inline,
            first,
        }
    }

    /// The label a squashed cell is, without its `(公章)` and colon.
    fn cell_label(&self, cell: &str) -> Option<&'static str> {
        let bare = cell.trim_end_matches([':', '：']);
        let bare = SEAL_NOTES
            .iter()
            .fold(bare, |b, s| b.strip_suffix(s).unwrap_or(b));
        let bare = ascii_brackets(bare.trim_end_matches([':', '：']));
        self.labels
            .iter()
            .find(|(_, norm)| *norm == bare)
            .map(|(l, _)| *l)
    }

    /// Every (label, value) in document order: table cells first by table, then lines. A
    /// label cell followed by an empty cell gives an empty value (the form left it blank).
    pub fn find(&self, doc: &Document, paras: &[&str]) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for t in doc.tables() {
            let lone: Vec<String> = t
                .rows
                .iter()
                .filter_map(|row| {
                    let mut cells = row.iter().filter(|c| !c.text.trim().is_empty());
                    let first = cells.next()?;
                    cells.next().is_none().then(|| first.text.clone())
                })
                .collect();
            self.stacked_into(&lone, &mut out);
            for row in &t.rows {
                for (i, c) in row.iter().enumerate() {
                    let label = self
                        .may_be_label_cell(&c.text)
                        .then(|| self.cell_label(&squash(&c.text)))
                        .flatten();
                    if let Some(l) = label {
                        let value = row.get(i + 1).map(|n| squash(&n.text)).unwrap_or_default();
                        out.push((l, value));
                    } else {
                        self.inline_into(&c.text, &mut out);
                    }
                }
            }
        }
        self.stacked_into(paras, &mut out);
        for p in paras {
            self.inline_into(p, &mut out);
        }
        out
    }

    /// A label standing alone on its line (or in a row of its own), its value on the next
    /// line that is not blank or a lone bar: a form dumped one cell per line
    /// (`实施单位 |⏎|⏎东河县交通运输局 |`). A label followed straight by another label is
    /// left blank.
    fn stacked_into<S: AsRef<str>>(&self, lines: &[S], out: &mut Vec<(&'static str, String)>) {
        let bare = |l: &str| squash(l).trim_matches(['|', '｜']).to_string();
        let filled: Vec<String> = lines
            .iter()
            .map(|l| bare(l.as_ref()))
            .filter(|l| !l.is_empty())
            .collect();
        for pair in filled.windows(2) {
            let [label, value] = pair else { continue };
            if label.len() > 64 || !self.may_be_label_cell(label) {
                continue;
            }
            if let Some(l) = self.cell_label(label) {
                let value = if self.may_be_label_cell(value) && self.cell_label(value).is_some() {
                    String::new()
                } else {
                    value.clone()
                };
                out.push((l, value));
            }
        }
    }

    /// A name written with spaces in it (`东财预(2023)12号 防汛物资储备经费`): the text up to
    /// the next label, bar or line end, trimmed.
    fn run_to_next_label<'t>(&self, rest: &'t str) -> &'t str {
        let end = rest
            .find(['|', '｜', '。', '；', ';', '，', ','])
            .unwrap_or(rest.len());
        let end = self
            .next_label
            .find(rest.get(..end).unwrap_or(rest))
            .map_or(end, |m| m.start());
        rest.get(..end).unwrap_or(rest).trim()
    }

    /// Whether a cell can be a label alone: short, and starting like one.
    fn may_be_label_cell(&self, text: &str) -> bool {
        text.len() <= 64
            && text
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| self.first.contains(&c))
    }

    fn inline_into(&self, text: &str, out: &mut Vec<(&'static str, String)>) {
        for c in self.inline.captures_iter(text) {
            let (Some(l), Some(v)) = (c.get(1), c.get(2)) else {
                continue;
            };
            // A label starts the text or follows a separator: `部门` in `财政部门：` is none.
            let before = text.get(..l.start()).and_then(|b| b.chars().next_back());
            if before.is_some_and(|c| !(c.is_whitespace() || "|｜，,。；;".contains(c))) {
                continue;
            }
            // `实施单位 (盖章) |`: a seal note is no value.
            if SEAL_NOTES.contains(&v.as_str()) {
                continue;
            }
            let written = ascii_brackets(&squash(l.as_str()));
            if let Some((label, _)) = self.labels.iter().find(|(_, norm)| *norm == written) {
                let value = if PROJECT_NAMES.contains(label) {
                    self.run_to_next_label(text.get(v.start()..).unwrap_or_default())
                } else {
                    v.as_str()
                };
                // Widths folded, as a cell's value is by `squash`.
                out.push((label, fold_widths(value).into_owned()));
            }
        }
    }
}

/// Other words a form's labels open with: where a value that runs over spaces ends.
static FORM_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_labels(FormLabel::Other));

/// The labels a form names its project or fund after: the project form's 项目名称, the
/// transfer-payment form's 转移支付(项目)名称, a special fund's 专项(资金)名称.
pub static PROJECT_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_labels(FormLabel::ProjectName));
/// 评价年度: the year evaluated, written as a form field.
pub static YEAR_EVALUATED: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| form_labels(FormLabel::YearEvaluated));

/// Every label the rules read, found in one pass over a document ([`Labels::find`]).
pub static ALL: LazyLock<Labels> = LazyLock::new(|| {
    let mut labels: Vec<&'static str> = UNIT_LABELS.iter().map(|l| l.label.as_str()).collect();
    labels.extend(PROJECT_NAMES.iter());
    labels.extend(YEAR_EVALUATED.iter());
    Labels::new(&labels)
});

/// How a unit's name ends, longest first (so `…委员会办公室` is tried before `…委员会`).
pub fn unit_suffixes_longest_first() -> Vec<&'static str> {
    let mut v = UNIT_SUFFIXES.clone();
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v
}

/// Words of a report's title that no unit name holds (`部门整体支出绩效自评报告(政数局`).
static TITLE_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| identity_words(IdentityWord::TitleWord));

/// A labelled value as a unit name, when it reads as one: a leading budget code
/// (`219001-`, `[155]`) dropped, Chinese characters only, no title words, ending like a unit
/// (a `…网站` is a site, not a 站).
pub fn unit_like(value: &str) -> Option<String> {
    let v = squash(value);
    let v = without_code(&v);
    let v = v.trim_start_matches(|c: char| c.is_ascii_digit());
    let v = v.trim_start_matches(['-', '－', '—']);
    let n = v.chars().count();
    let plain = v.chars().all(|c| is_han(c) || "()（）".contains(c));
    let ok = (3..=40).contains(&n)
        && plain
        && balanced(v)
        && !TITLE_WORDS.iter().any(|w| v.contains(w))
        && !v.ends_with("网站")
        && UNIT_SUFFIXES.iter().any(|s| v.ends_with(s));
    ok.then(|| v.to_string())
}

/// A value without the budget code it opens with in square brackets (`[155]濉溪县民政局`,
/// `【312】…`).
fn without_code(v: &str) -> &str {
    let Some(rest) = v.strip_prefix(['[', '【']) else {
        return v;
    };
    match rest.find([']', '】']) {
        Some(end)
            if rest
                .get(..end)
                .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())) =>
        {
            rest.get(end..)
                .map_or(v, |r| r.trim_start_matches([']', '】']))
        }
        _ => v,
    }
}

/// Whether every bracket a name opens is closed: `部门（单株洲市…` is a label cut by a line
/// break and glued to the name beside it, not a name.
pub fn balanced(name: &str) -> bool {
    let open = name.chars().filter(|c| matches!(c, '(' | '（')).count();
    let close = name.chars().filter(|c| matches!(c, ')' | '）')).count();
    open == close
}

/// Whether a name carries words of a report title, so it is not a unit.
pub fn has_title_words(name: &str) -> bool {
    TITLE_WORDS.iter().any(|w| name.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;
    use crate::rules::forms::{UnitLabel, UNIT_LABEL_FILE};

    fn found(text: &str, labels: &[&'static str]) -> Vec<(&'static str, String)> {
        let doc = parse(text).unwrap();
        let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        Labels::new(labels).find(&doc, &paras)
    }

    #[test]
    fn values_after_labels_in_cells_lines_and_dumps() {
        let labels = &["实施单位", "主管部门", "部门", "部门(单位)名称"];
        assert_eq!(
            found("主管部门 | 县教育局 | 实施单位 | 某某中学 |\n", labels),
            vec![
                ("主管部门", "县教育局".into()),
                ("实施单位", "某某中学".into())
            ]
        );
        assert_eq!(
            found(
                "项目名称 危桥改造 主管部门 县交通运输局 实施单位 318001-某某镇人民政府 资金",
                labels
            ),
            vec![
                ("主管部门", "县交通运输局".into()),
                ("实施单位", "318001-某某镇人民政府".into())
            ]
        );
        assert_eq!(
            found(
                "部门（单位）名称：某某县林业局\n部门整体支出绩效自评表",
                labels
            ),
            vec![("部门(单位)名称", "某某县林业局".into())]
        );
        // A blank value cell is an empty value; words that merely begin with a label are not it.
        assert_eq!(
            found("实施单位 | |\n部门整体支出情况", labels),
            vec![("实施单位", "".into())]
        );
    }

    #[test]
    fn unit_like_values() {
        assert_eq!(
            unit_like("219001-池州市贵池区棠溪镇人民政府").as_deref(),
            Some("池州市贵池区棠溪镇人民政府")
        );
        assert_eq!(
            unit_like("永德县明朗中学").as_deref(),
            Some("永德县明朗中学")
        );
        assert_eq!(unit_like("财务科"), None);
        assert_eq!(unit_like("万元"), None);
        assert_eq!(unit_like("部门整体支出绩效自评报告(政数局"), None);
        assert_eq!(unit_like("部门（单株洲市芦淞区白关镇人民政府"), None);
        assert!(unit_like("中共某县委员会（县人民政府）办公室").is_some());
    }

    #[test]
    fn every_unit_label_example_is_found() {
        let labels: Vec<&'static str> = UNIT_LABELS.iter().map(|l| l.label.as_str()).collect();
        let file = UNIT_LABEL_FILE.path;
        let rows =
            crate::rules::table::<UnitLabel>(&UNIT_LABEL_FILE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), UNIT_LABELS.len());
        for (line, r) in rows {
            let got = found(&r.example, &labels);
            assert!(
                got.iter()
                    .any(|(l, v)| *l == r.label && unit_like(v).is_some()),
                "{file}:{line}: {:?} gives {got:?}",
                r.example
            );
        }
    }

    #[test]
    fn stacked_labels_and_names_running_over_spaces() {
        let labels = &["实施单位", "主管部门", "项目名称"];
        assert_eq!(
            found(
                "实施单位 (盖章) |\n|\n东河县交通运输局 |\n主管部门\n\n实施单位\n",
                labels
            ),
            vec![
                ("实施单位", "东河县交通运输局".into()),
                ("主管部门", "".into())
            ]
        );
        assert_eq!(
            found(
                "项目名称 南财(2024)3号 河道保洁经费 主管部门 南岭县水利局",
                labels
            ),
            vec![
                ("项目名称", "南财(2024)3号 河道保洁经费".into()),
                ("主管部门", "南岭县水利局".into())
            ]
        );
        assert_eq!(
            found("项目名称 百岁老人津贴 是否为专项资金: 是", labels),
            vec![("项目名称", "百岁老人津贴".into())]
        );
    }

    #[test]
    fn bracketed_budget_codes_are_dropped() {
        assert_eq!(
            unit_like("[155]濉溪县民政局").as_deref(),
            Some("濉溪县民政局")
        );
        assert_eq!(
            unit_like("【312】东河县卫生健康局").as_deref(),
            Some("东河县卫生健康局")
        );
        assert_eq!(unit_like("[附件]东河县卫生健康局"), None);
    }
}
