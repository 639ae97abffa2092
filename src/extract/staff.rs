//! Headcounts: 编制数, 实有人数, 离退休人数 as totals (never a sub-category such as
//! `其中行政编制37人`), from prose, from form layouts (label and number in separate
//! paragraphs) and from basic-data tables whose header names the column.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::{tables, Candidate, Prepared};
use crate::normalize::numbers::scan;
use crate::normalize::text::squash;

/// (field, pattern): the number is capture 1. Spaces are removed before matching.
static RULES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let r = |s: &str| Regex::new(s).expect("static regex");
    vec![
        (
            "staff_authorized",
            r(
                r"(?:核定编制|人员编制|编制人数|编制数|编制)(?:数|人数)?(?:为|是|共|有|：|:)*(\d{1,6})(?:人|名|个)",
            ),
        ),
        (
            "staff_actual",
            r(
                r"(?:实有在职人员|实有人数|实际在职人数|在职人数|实有人员|实际人数|实有在职|在职人员|实有)(?:数|人数)?(?:为|是|共|有|：|:)*(\d{1,6})(?:人|名)",
            ),
        ),
        (
            "retirees",
            r(r"离退休(?:人员|人数|干部)?(?:为|是|共|有|：|:)*(\d{1,6})(?:人|名)"),
        ),
    ]
});

/// Words right before 编制 that make it a sub-category, not the total.
const SUB: &[&str] = &[
    "行政",
    "事业",
    "工勤",
    "参公",
    "全额",
    "差额",
    "其中",
    "机关",
    "公务员",
];

/// Headcount candidates from a squashed text.
fn from_text(text: &str, rank: u8, order: usize, location: &str, out: &mut Vec<Candidate>) {
    for (field, re) in RULES.iter() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(num)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let before = text.get(..all.start()).unwrap_or("");
            if SUB.iter().any(|s| before.ends_with(s)) {
                continue;
            }
            // A total stated inside brackets after `其中` is a part.
            let open = before.rfind(['（', '(']);
            let close = before.rfind(['）', ')']);
            if open.is_some() && (close.is_none() || close < open) {
                continue;
            }
            // Through the scanner, so full-width digits (`１１４人`) read too.
            if let Some(value) = headcount(num.as_str()) {
                out.push(Candidate {
                    field,
                    value,
                    rank,
                    order,
                    location: location.to_string(),
                    rule: "staff total (编制/实有/离退休)",
                });
            }
        }
    }
}

/// A whole, non-negative count read by the number scanner.
fn headcount(digits: &str) -> Option<Decimal> {
    scan(digits).first().map(|m| m.value).filter(is_count)
}

fn is_count(v: &Decimal) -> bool {
    v.is_integer() && !v.is_sign_negative()
}

pub fn candidates(prepared: &Prepared<'_>) -> Vec<Candidate> {
    let (doc, paras) = (prepared.doc, &prepared.paras);
    let mut out = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        let loc = format!("p{}", i + 1);
        from_text(p, 1, i, &loc, &mut out);
        // Form layout: a label paragraph, then a paragraph holding only the number.
        if let Some(next) = paras.get(i + 1) {
            if next.chars().all(|c| c.is_ascii_digit())
                && !next.is_empty()
                && p.chars().count() <= 8
            {
                from_text(&format!("{p}{next}人"), 1, i, &loc, &mut out);
            }
        }
    }
    for t in doc.tables() {
        for (ri, row) in t.rows.iter().enumerate() {
            let header: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
            let Some(values) = t.rows.get(ri + 1) else {
                continue;
            };
            for (ci, h) in header.iter().enumerate() {
                let field = if h.contains("编制数") || h == "编制人数" {
                    "staff_authorized"
                } else if h.contains("实际在职人数") || h.contains("实有人数") {
                    "staff_actual"
                } else {
                    continue;
                };
                if let Some(value) = tables::number(values.get(ci)).filter(is_count) {
                    out.push(Candidate {
                        field,
                        value,
                        rank: 2,
                        order: ri,
                        location: format!("t{}:r{}c{}", t.index, ri + 2, ci + 1),
                        rule: "header-named table column",
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::parse;

    fn get(text: &str) -> Vec<(&'static str, String)> {
        let doc = parse(text).unwrap();
        candidates(&Prepared::new(&doc))
            .into_iter()
            .map(|c| (c.field, c.value.to_string()))
            .collect()
    }

    #[test]
    fn totals_not_sub_categories() {
        let got = get("编制人数为 107人（其中行政编制37人，事业编制 64人）。年末实有人数102人");
        assert_eq!(
            got,
            vec![
                ("staff_authorized", "107".into()),
                ("staff_actual", "102".into())
            ]
        );
        assert_eq!(
            get("编制共 117 人，年末实有在职人 员 113 人")[1],
            ("staff_actual", "113".into())
        );
        assert_eq!(get("离退休人数14人"), vec![("retirees", "14".into())]);
        assert_eq!(
            get("编制数１１４人"),
            vec![("staff_authorized", "114".into())]
        );
        assert_eq!(
            get("行政事业总编制为249个，其中行政编13个"),
            vec![("staff_authorized", "249".into())]
        );
    }

    #[test]
    fn form_layout_and_tables() {
        assert_eq!(get("人员编制\n128\n实有人数\n185").len(), 2);
        let got = get("\t编制数\n\t2023年实际在职人数\n\n\t114\n\t127\n");
        assert_eq!(
            got,
            vec![
                ("staff_authorized", "114".into()),
                ("staff_actual", "127".into())
            ]
        );
    }
}
