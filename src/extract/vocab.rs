//! The label vocabulary of `rules/fields.tsv`: which words before an amount mean which report
//! column. Kept as data so rules change without code; a test runs every example through the
//! extractor.

use std::sync::LazyLock;

use crate::fields::Field;
use crate::rules::amounts::LABELS;

/// One automaton over every keyword: labels and sentences are scanned once, not once per
/// keyword (this lookup runs for every amount of every report).
static KEYWORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(LABELS.iter().map(|e| e.keyword.as_str()))
        .expect("keywords build an automaton")
});

/// The field whose keyword occurs last (closest to the amount) in `label`, and where it ends;
/// of two keywords ending at the same place, the longer.
pub fn field_in(label: &str) -> Option<Hit> {
    let mut best: Option<Hit> = None;
    for m in KEYWORDS.find_overlapping_iter(label) {
        let Some(e) = LABELS.get(m.pattern().as_usize()) else {
            continue;
        };
        let hit = Hit {
            field: e.field,
            start: m.start(),
            end: m.end(),
        };
        if best.is_none_or(|b| hit.end > b.end || (hit.end == b.end && hit.start < b.start)) {
            best = Some(hit);
        }
    }
    best
}

/// Where a keyword stands in a text (byte offsets) and the field it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_well_formed_and_matches_its_example() {
        assert!(LABELS.len() > 10);
        for e in LABELS.iter() {
            assert!(
                e.example.contains(&e.keyword),
                "{} not in {}",
                e.keyword,
                e.example
            );
        }
    }

    #[test]
    fn nearest_keyword_wins() {
        assert_eq!(
            field_in("基本支出中：人员经费").map(|h| h.field),
            Some(Field::ExpPersonnel)
        );
        assert_eq!(
            field_in("2023年支出合计").map(|h| h.field),
            Some(Field::ExpTotal)
        );
        assert_eq!(field_in("工资福利"), None);
    }
}

#[cfg(test)]
mod rule_file_tests {
    use crate::fields::{Field, RANKED};
    use crate::rules::amounts::{Label, LABEL_FILE};

    /// Amount kinds that become a budget or an actual column by the sentence they stand in.
    const KINDS: &[Field] = &[Field::ThreePublic, Field::Reception, Field::Vehicle];

    /// Every line of rules/fields.tsv names a ranked report field (fields::RANKED) or one of
    /// the 三公 kinds; another field of the registry fails here with its line.
    #[test]
    fn every_fields_rule_names_a_report_column() {
        let rows = crate::rules::table::<Label>(&LABEL_FILE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), super::LABELS.len());
        for (line, r) in rows {
            let known = RANKED.contains(&r.field) || KINDS.contains(&r.field);
            assert!(
                known,
                "{}:{line}: {:?} feeds no report column",
                LABEL_FILE.path, r.field
            );
        }
    }
}
