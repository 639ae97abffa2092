//! Headcount vocabulary (`rules/staff_words.tsv`): the labels, suffixes and units a count of
//! each headcount field is read by, and the words that make a count no headcount.

use std::sync::LazyLock;

use serde::{Deserialize, Deserializer};

use super::{loaded, table, Source};
use crate::fields::Field;

/// `rules/staff_words.tsv`.
pub const STAFF_WORD_FILE: Source = source!("staff_words.tsv");

/// The part of a count pattern a word is (the `part` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffPart {
    /// The label a count follows (`核定编制`).
    Label,
    /// A word between the label and the count (`人数`).
    Suffix,
    /// The unit after the count (`人`, `名`).
    Unit,
    /// Right before 编制: a sub-category of the establishment (`行政编制`), not the total.
    Sub,
    /// Right before a count: a change over the year (`本年退休3人`), not a headcount.
    Flow,
}

/// A line of `rules/staff_words.tsv`; `field` is `None` for `any` (a word of every field).
#[derive(Debug, Clone, Deserialize)]
pub struct StaffWord {
    #[serde(deserialize_with = "field_or_any")]
    pub field: Option<Field>,
    pub part: StaffPart,
    pub word: String,
    pub example: String,
}

/// `any`, or a field of the registry.
fn field_or_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Field>, D::Error> {
    let name = String::deserialize(d)?;
    if name == "any" {
        return Ok(None);
    }
    Field::from_name(&name)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown field {name:?}")))
}

static STAFF_WORDS: LazyLock<Vec<StaffWord>> = LazyLock::new(|| {
    loaded(table::<StaffWord>(&STAFF_WORD_FILE).map(|ls| ls.into_iter().map(|(_, l)| l).collect()))
});

/// The words of one field (`None`: of every field) and part, in the file's order.
pub fn staff_words(field: Option<Field>, part: StaffPart) -> Vec<&'static str> {
    STAFF_WORDS
        .iter()
        .filter(|w| w.field == field && w.part == part)
        .map(|w| w.word.as_str())
        .collect()
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    table::<StaffWord>(&STAFF_WORD_FILE).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_by_field_and_part() {
        assert!(staff_words(Some(Field::StaffAuthorized), StaffPart::Label).contains(&"核定编制"));
        assert!(!staff_words(None, StaffPart::Sub).is_empty());
        let src = Source {
            path: "s.tsv",
            text: "field\tpart\tword\texample\nany\tflow\t调出\t调出1人\nstaff\tlabel\t在编\t在编3人\n",
        };
        let err = table::<StaffWord>(&src).err().unwrap_or_default();
        assert!(
            err.starts_with("s.tsv:3:") && err.contains("staff"),
            "{err}"
        );
    }
}
