//! The words of forms and of units: form words that are not column headers
//! (`rules/form_words.tsv`), the labels a unit's name is written after
//! (`rules/unit_labels.tsv`) and how a unit's name ends (`rules/unit_suffixes.txt`), the
//! other labels of a project form (`rules/form_labels.tsv`) and the words that place a
//! unit's name (`rules/identity_words.tsv`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::{list, loaded, of, table, words, Source, Word};

/// `rules/form_words.tsv`.
pub const FORM_WORD_FILE: Source = source!("form_words.tsv");
/// `rules/unit_labels.tsv`.
pub const UNIT_LABEL_FILE: Source = source!("unit_labels.tsv");
const UNIT_SUFFIX_FILE: Source = source!("unit_suffixes.txt");
const FORM_LABEL_FILE: Source = source!("form_labels.tsv");
const IDENTITY_WORD_FILE: Source = source!("identity_words.tsv");

/// The kinds of `rules/form_words.tsv` (its header comment says what each marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormWord {
    FundsTotal,
    FundsTotalAlone,
    ScoreTotal,
    Grade,
    Yuan,
    ScoreCell,
    GradeCell,
    ScoreLabel,
    GradeLabel,
}

/// A line of `rules/form_words.tsv`: its example is read back as its kind by the test.
#[derive(Debug, Clone, Deserialize)]
pub struct FormWordLine {
    pub kind: FormWord,
    pub word: String,
    pub example: String,
}

static FORM_WORDS: LazyLock<Vec<Word<FormWord>>> = LazyLock::new(|| loaded(words(&FORM_WORD_FILE)));

/// The form's words of one kind, in the file's order.
pub fn form_words(kind: FormWord) -> Vec<&'static str> {
    of(&FORM_WORDS, kind)
}

/// Grade words as forms write them, longest first: read by extraction, and by OCR to mend
/// a grade cell's doubtful character.
pub static GRADES: LazyLock<Vec<&'static str>> = LazyLock::new(|| form_words(FormWord::Grade));

/// The role a unit label gives the name after it (the `role` of `rules/unit_labels.tsv`),
/// in the order a form's roles are preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitRole {
    /// A project form's 实施单位 and its synonyms: its unit_name.
    Implementing,
    /// The reporting unit of any report (单位名称, 填报单位).
    Unit,
    /// A project form's 主管部门: used when neither is written.
    Supervising,
    /// The page's publisher: a last resort.
    Publisher,
}

/// A line of `rules/unit_labels.tsv`.
#[derive(Debug, Clone, Deserialize)]
pub struct UnitLabel {
    pub role: UnitRole,
    pub label: String,
    pub example: String,
}

/// The unit-name labels, in the file's order.
pub static UNIT_LABELS: LazyLock<Vec<UnitLabel>> = LazyLock::new(|| {
    loaded(table::<UnitLabel>(&UNIT_LABEL_FILE).map(|ls| ls.into_iter().map(|(_, l)| l).collect()))
});

/// How a unit's name ends, in the file's order.
pub static UNIT_SUFFIXES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&UNIT_SUFFIX_FILE)));

/// The kinds of `rules/form_labels.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormLabel {
    ProjectName,
    YearEvaluated,
    SealNote,
    Other,
}

static FORM_LABELS: LazyLock<Vec<Word<FormLabel>>> =
    LazyLock::new(|| loaded(words(&FORM_LABEL_FILE)));

/// A project form's labels of one kind, in the file's order.
pub fn form_labels(kind: FormLabel) -> Vec<&'static str> {
    of(&FORM_LABELS, kind)
}

/// The kinds of `rules/identity_words.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityWord {
    TitleWord,
    SubjectOf,
    RoleWord,
    AfterUnit,
    PageDate,
    BeforeName,
}

static IDENTITY_WORDS: LazyLock<Vec<Word<IdentityWord>>> =
    LazyLock::new(|| loaded(words(&IDENTITY_WORD_FILE)));

/// The identity words of one kind, in the file's order.
pub fn identity_words(kind: IdentityWord) -> Vec<&'static str> {
    of(&IDENTITY_WORDS, kind)
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    table::<FormWordLine>(&FORM_WORD_FILE)?;
    table::<UnitLabel>(&UNIT_LABEL_FILE)?;
    list(&UNIT_SUFFIX_FILE)?;
    words::<FormLabel>(&FORM_LABEL_FILE)?;
    words::<IdentityWord>(&IDENTITY_WORD_FILE)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_the_word_files_is_written() {
        for k in [
            FormLabel::ProjectName,
            FormLabel::YearEvaluated,
            FormLabel::SealNote,
            FormLabel::Other,
        ] {
            assert!(!form_labels(k).is_empty(), "{k:?}");
        }
        for k in [
            IdentityWord::TitleWord,
            IdentityWord::SubjectOf,
            IdentityWord::RoleWord,
            IdentityWord::AfterUnit,
            IdentityWord::PageDate,
            IdentityWord::BeforeName,
        ] {
            assert!(!identity_words(k).is_empty(), "{k:?}");
        }
        assert!(UNIT_LABELS.iter().any(|l| l.role == UnitRole::Publisher));
    }

    #[test]
    fn a_unit_label_of_no_known_role_is_an_error() {
        let src = Source {
            path: "u.tsv",
            text: "role\tlabel\texample\nunit\t单位名称\t单位名称：某县财政局\nowner\t所有人\t所有人：某\n",
        };
        let err = table::<UnitLabel>(&src).err().unwrap_or_default();
        assert!(
            err.starts_with("u.tsv:3:") && err.contains("owner"),
            "{err}"
        );
    }
}
