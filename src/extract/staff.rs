//! Headcounts: 编制数, 实有人数, 离退休人数 as totals (never a sub-category such as
//! `其中行政编制37人`), from prose, from form layouts (label and number in separate
//! paragraphs) and from basic-data tables whose header names the column.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::{tables, Prepared};
use crate::facts::{Candidate, Rank};
use crate::fields::Field;
use crate::normalize::numbers::scan;
use crate::normalize::text::squash;
use crate::rules::staff::{staff_words, StaffPart};

/// The headcount fields, in the order their patterns are tried.
const FIELDS: [Field; 3] = [Field::StaffAuthorized, Field::StaffActual, Field::Retirees];

/// (field, pattern) from the word file: `(?:label…)(?:suffix…)?(?:为|是|共|有|：|:)*(N)(?:unit…)`;
/// the number is capture 1. Spaces are removed before matching.
static RULES: LazyLock<Vec<(Field, Regex)>> = LazyLock::new(|| {
    let alt = |ws: Vec<&str>| {
        ws.iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|")
    };
    FIELDS
        .iter()
        .filter_map(|f| {
            let pattern = format!(
                r"(?:{})(?:{})?(?:为|是|共|有|：|:)*(\d{{1,6}})(?:{})",
                alt(staff_words(Some(*f), StaffPart::Label)),
                alt(staff_words(Some(*f), StaffPart::Suffix)),
                alt(staff_words(Some(*f), StaffPart::Unit))
            );
            Regex::new(&pattern).ok().map(|re| (*f, re))
        })
        .collect()
});

/// Words right before 编制 that make it a sub-category, not the total.
static SUB: LazyLock<Vec<&'static str>> = LazyLock::new(|| staff_words(None, StaffPart::Sub));

/// Words right before a count that make it a change over the year, not a headcount
/// (`本年退休3人`, `调出1人`).
static FLOW: LazyLock<Vec<&'static str>> = LazyLock::new(|| staff_words(None, StaffPart::Flow));

/// A sub-category of the establishment (`行政编制9名`): a total only when it is the one
/// category the document states.
struct Part {
    value: Decimal,
    block: usize,
    location: String,
}

/// Headcount candidates from a squashed text; establishment sub-categories go to `parts`.
fn from_text(
    text: &str,
    rank: Rank,
    block: usize,
    location: &str,
    out: &mut Vec<Candidate>,
    parts: &mut Vec<Part>,
) {
    for (field, re) in RULES.iter() {
        for c in re.captures_iter(text) {
            let (Some(all), Some(num)) = (c.get(0), c.get(1)) else {
                continue;
            };
            // Only the words just before a count decide what it is: a bounded window keeps
            // every match's look-back constant, so a long paragraph stays linear.
            let before = tail(text.get(..all.start()).unwrap_or(""), LOOK_BACK);
            let before = before.trim_end_matches([',', '，', '、', ':', '：']);
            if let Some(sub) = SUB.iter().find(|s| before.ends_with(**s)) {
                let head = before.strip_suffix(sub).unwrap_or(before);
                let stated_as_part =
                    *sub == "其中" || head.ends_with("其中") || head.ends_with("含");
                if *field == Field::StaffAuthorized && !stated_as_part {
                    if let Some(value) = headcount(num.as_str()) {
                        parts.push(Part {
                            value,
                            block,
                            location: location.to_string(),
                        });
                    }
                }
                continue;
            }
            if FLOW.iter().any(|s| before.ends_with(s)) {
                continue;
            }
            // 编制在职人员 is the establishment, not the staff in post.
            if *field == Field::StaffActual && before.ends_with("编制") {
                continue;
            }
            // A count inside brackets is a part of the total before them (`编制30人（其中行政
            // 编制20人）`), except the retirees in the breakdown of the unit's own headcount
            // (`实有人数120人（其中在职73人，退休47人）`): there they are stated only once.
            // A breakdown of a sub-unit (`局本级187人（…退休人员8人）`) is not the unit's.
            let open = before.rfind(['（', '(']);
            let close = before.rfind(['）', ')']);
            if let Some(o) = open.filter(|&o| close.is_none_or(|c| c < o)) {
                let head = before.get(..o).unwrap_or("");
                if *field != Field::Retirees || !ends_with_headcount(head) {
                    continue;
                }
            }
            // Through the scanner, so full-width digits (`１１４人`) read too.
            if let Some(value) = headcount(num.as_str()) {
                out.push(Candidate {
                    field: *field,
                    value,
                    rank,
                    block,
                    location: location.to_string(),
                    rule: "staff total (编制/实有/离退休)",
                });
            }
        }
    }
}

/// Bytes before a count that its context is read from (about 80 Chinese characters: a
/// bracket opened further back, or a label further back, is not this count's).
const LOOK_BACK: usize = 240;

/// The last `max` bytes of `s` or fewer, cut at a character boundary.
fn tail(s: &str, max: usize) -> &str {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s.get(start..).unwrap_or("")
}

/// Whether a text ends with the unit's own headcount (`…实有人数120人`, `编制57人`).
fn ends_with_headcount(text: &str) -> bool {
    RULES
        .iter()
        .filter(|(f, _)| *f != Field::Retirees)
        .any(|(_, re)| {
            re.find_iter(text)
                .last()
                .is_some_and(|m| m.end() == text.len())
        })
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
    let mut parts = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        let loc = format!("p{}", i + 1);
        let block = prepared.para_blocks.get(i).copied().unwrap_or(usize::MAX);
        from_text(p, Rank::Prose, block, &loc, &mut out, &mut parts);
        // Form layout: a label paragraph, then a paragraph holding only the number.
        if let Some(next) = paras.get(i + 1) {
            if next.chars().all(|c| c.is_ascii_digit())
                && !next.is_empty()
                && p.chars().count() <= 8
            {
                from_text(
                    &format!("{p}{next}人"),
                    Rank::Prose,
                    block,
                    &loc,
                    &mut out,
                    &mut parts,
                );
            }
        }
    }
    for t in doc.tables() {
        // The table's block (a nested table is placed after every top-level block).
        let block = doc
            .blocks
            .iter()
            .position(|b| matches!(b, crate::document::Block::Table(x) if x.index == t.index))
            .unwrap_or(usize::MAX);
        for (ri, row) in t.rows.iter().enumerate() {
            let header: Vec<String> = row.iter().map(|c| squash(&c.text)).collect();
            let Some(values) = t.rows.get(ri + 1) else {
                continue;
            };
            for (ci, h) in header.iter().enumerate() {
                let field = if h.contains("编制数") || h == "编制人数" {
                    Field::StaffAuthorized
                } else if h.contains("实际在职人数") || h.contains("实有人数") {
                    Field::StaffActual
                } else {
                    continue;
                };
                if let Some(value) = tables::number(values.get(ci)).filter(is_count) {
                    out.push(Candidate {
                        field,
                        value,
                        rank: Rank::HeaderTable,
                        block,
                        location: crate::document::Location::cell(t, ri + 1, ci),
                        rule: "header-named table column",
                    });
                }
            }
        }
    }
    // `局机关有行政编制9名`: one category and no total is the whole establishment; two
    // categories (`行政编制39名，事业编制5名`) without their total settle nothing.
    if let ([part], false) = (
        parts.as_slice(),
        out.iter().any(|c| c.field == Field::StaffAuthorized),
    ) {
        out.push(Candidate {
            field: Field::StaffAuthorized,
            value: part.value,
            rank: Rank::Prose,
            block: part.block,
            location: part.location.clone(),
            rule: "the one 编制 category stated",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    fn get(text: &str) -> Vec<(Field, String)> {
        let doc = parse(text).unwrap();
        candidates(&Prepared::new(&doc))
            .into_iter()
            .map(|c| (c.field, c.value.to_string()))
            .collect()
    }

    /// Every line of rules/staff_words.tsv is well formed and its example reads as the line
    /// says: a label, suffix or unit gives its field the example's count; a `sub` or `flow`
    /// word keeps the example's last count from being a headcount.
    #[test]
    fn every_staff_word_reads_its_example() {
        use crate::rules::staff::{StaffWord, STAFF_WORD_FILE};
        let file = STAFF_WORD_FILE.path;
        let rows =
            crate::rules::table::<StaffWord>(&STAFF_WORD_FILE).unwrap_or_else(|e| panic!("{e}"));
        for (line, r) in rows {
            let example = r.example.as_str();
            assert!(
                example.contains(&r.word),
                "{file}:{line}: {} not in its example",
                r.word
            );
            let last: String = example
                .rsplit(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
                .unwrap_or_default()
                .to_string();
            let got = get(example);
            match r.part {
                StaffPart::Label | StaffPart::Suffix | StaffPart::Unit => {
                    let field = r.field.filter(|f| FIELDS.contains(f));
                    assert!(field.is_some(), "{file}:{line}: field {:?}", r.field);
                    assert!(
                        got.iter().any(|g| Some(g.0) == field && g.1 == last),
                        "{file}:{line}: {example} gives {got:?}"
                    );
                }
                StaffPart::Sub | StaffPart::Flow => assert!(
                    !got.iter().any(|(_, v)| *v == last),
                    "{file}:{line}: {example} gives {got:?}"
                ),
            }
        }
        assert_eq!(RULES.len(), 3);
    }

    #[test]
    fn retirees_stated_only_inside_brackets() {
        assert_eq!(
            get("编制30人，实有人数50人（其中在职28人，退休22人）"),
            vec![
                (Field::StaffAuthorized, "30".into()),
                (Field::StaffActual, "50".into()),
                (Field::Retirees, "22".into())
            ]
        );
        // A 离退休 total before the brackets is stated first and is the one chosen.
        let got = get("离退休人员30人（其中离休2人，退休28人）");
        assert_eq!(got.first(), Some(&(Field::Retirees, "30".into())));
        // Retirees of a sub-unit are not the unit's.
        assert_eq!(
            get("现有人员500人，其中机关80人（在职60人、退休人员20人）"),
            vec![]
        );
    }

    #[test]
    fn totals_not_sub_categories() {
        let got = get("编制人数为 107人（其中行政编制37人，事业编制 64人）。年末实有人数102人");
        assert_eq!(
            got,
            vec![
                (Field::StaffAuthorized, "107".into()),
                (Field::StaffActual, "102".into())
            ]
        );
        assert_eq!(
            get("编制共 117 人，年末实有在职人 员 113 人")[1],
            (Field::StaffActual, "113".into())
        );
        assert_eq!(get("离退休人数14人"), vec![(Field::Retirees, "14".into())]);
        assert_eq!(
            get("编制数１１４人"),
            vec![(Field::StaffAuthorized, "114".into())]
        );
        assert_eq!(
            get("行政事业总编制为249个，其中行政编13个"),
            vec![(Field::StaffAuthorized, "249".into())]
        );
    }

    #[test]
    fn establishment_and_post_as_people_write_them() {
        assert_eq!(
            get("经县编委核定人数52人"),
            vec![(Field::StaffAuthorized, "52".into())]
        );
        assert_eq!(
            get("本单位财政核定编制在职人员为 28 人，年末实有在职人员为 26 人，退休人员 30 人"),
            vec![
                (Field::StaffAuthorized, "28".into()),
                (Field::StaffActual, "26".into()),
                (Field::Retirees, "30".into())
            ]
        );
        assert_eq!(
            get("年末在职在编实有行政人员21人（含工勤人员3人）"),
            vec![(Field::StaffActual, "21".into())]
        );
        assert_eq!(
            get("现在职15人，后勤服务人员2人"),
            vec![(Field::StaffActual, "15".into())]
        );
        // Changes over the year are not headcounts.
        assert_eq!(get("本年退休3人、调入2人"), vec![]);
    }

    #[test]
    fn one_category_is_the_whole_establishment_two_are_not() {
        assert_eq!(
            get("局机关有事业编制14名。其中：主任1名"),
            vec![(Field::StaffAuthorized, "14".into())]
        );
        assert_eq!(get("机关行政编制20名，事业编制6名。"), vec![]);
        assert_eq!(
            get("编制共30人，其中行政编制20人"),
            vec![(Field::StaffAuthorized, "30".into())]
        );
    }

    #[test]
    fn form_layout_and_tables() {
        assert_eq!(get("人员编制\n128\n实有人数\n185").len(), 2);
        let got = get("\t编制数\n\t2023年实际在职人数\n\n\t114\n\t127\n");
        assert_eq!(
            got,
            vec![
                (Field::StaffAuthorized, "114".into()),
                (Field::StaffActual, "127".into())
            ]
        );
    }
}
