//! What a title says: whether a document is a self-evaluation (`rules/gate_words.tsv`, read by
//! the gate) and of which kind, with which project (`rules/kind_words.tsv`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::{loaded, of, words, Source, Word};

/// `rules/gate_words.tsv`.
pub const GATE_WORD_FILE: Source = source!("gate_words.tsv");
const KIND_WORD_FILE: Source = source!("kind_words.tsv");

/// The kinds of `rules/gate_words.tsv` (its header comment says what each means).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateWord {
    Report,
    Other,
    Template,
    Targets,
    Actual,
    Target,
    Form,
    Mention,
}

/// A line of `rules/gate_words.tsv`: its example is classed as its kind by the gate's test.
#[derive(Debug, Clone, Deserialize)]
pub struct GateWordLine {
    pub kind: GateWord,
    pub word: String,
    pub example: String,
}

static GATE_WORDS: LazyLock<Vec<Word<GateWord>>> = LazyLock::new(|| loaded(words(&GATE_WORD_FILE)));

/// The gate's words of one kind, in the file's order.
pub fn gate_words(kind: GateWord) -> Vec<&'static str> {
    of(&GATE_WORDS, kind)
}

/// The kinds of `rules/kind_words.tsv` (its header comment says what each means).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindWord {
    Whole,
    Project,
    Fund,
    UnitWord,
    Generic,
    NotAName,
    ListHeading,
}

static KIND_WORDS: LazyLock<Vec<Word<KindWord>>> = LazyLock::new(|| loaded(words(&KIND_WORD_FILE)));

/// The report-kind words of one kind, in the file's order.
pub fn kind_words(kind: KindWord) -> Vec<&'static str> {
    of(&KIND_WORDS, kind)
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    super::table::<GateWordLine>(&GATE_WORD_FILE)?;
    words::<KindWord>(&KIND_WORD_FILE)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_word_kind_is_written() {
        for k in [
            KindWord::Whole,
            KindWord::Project,
            KindWord::Fund,
            KindWord::UnitWord,
            KindWord::Generic,
            KindWord::NotAName,
            KindWord::ListHeading,
        ] {
            assert!(!kind_words(k).is_empty(), "{k:?}");
        }
        assert!(gate_words(GateWord::Report).contains(&"自评报告"));
    }

    #[test]
    fn a_gate_word_of_no_known_kind_is_an_error() {
        let src = Source {
            path: "g.tsv",
            text: "kind\tword\texample\nreport\t自评报告\t某某自评报告\nmemo\t备忘\t备忘录\n",
        };
        let err = super::super::table::<GateWordLine>(&src)
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("g.tsv:3:") && err.contains("memo"), "{err}");
    }
}
