//! What the words written around an amount say it is: the label vocabulary of report fields
//! (`rules/fields.tsv`), the roles of budget-execution words (`rules/budget_words.tsv`) and
//! the budget, actual, year and filler words of prose amounts (`rules/amount_words.tsv`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::{loaded, of, table, words, Source, Word};
use crate::fields::Field;

/// `rules/fields.tsv`.
pub const LABEL_FILE: Source = source!("fields.tsv");
/// `rules/budget_words.tsv`.
pub const BUDGET_WORD_FILE: Source = source!("budget_words.tsv");
const AMOUNT_WORD_FILE: Source = source!("amount_words.tsv");

/// One label keyword: a label holding it feeds `field`; `example` is a sentence the test
/// runs through the extractor.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub field: Field,
    pub keyword: String,
    pub example: String,
}

/// The label vocabulary, in the file's order.
pub static LABELS: LazyLock<Vec<Label>> = LazyLock::new(|| {
    loaded(table::<Label>(&LABEL_FILE).map(|ls| ls.into_iter().map(|(_, l)| l).collect()))
});

/// What a word before an amount says it is (the `role` of `rules/budget_words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The budget set at the start of the year.
    Initial,
    /// An addition during the year.
    Added,
    /// The year's (adjusted) budget.
    Budget,
    /// What was spent of it.
    Executed,
    /// Funds allocated or received: not the budget, not spending.
    Received,
    /// The execution rate.
    Rate,
    /// A payment or spending rate: an execution rate only where no 执行 word is written.
    WeakRate,
    NotRate,
    Other,
    Sub,
    Mask,
}

/// A line of `rules/budget_words.tsv`.
#[derive(Debug, Clone, Deserialize)]
pub struct RoleWord {
    pub role: Role,
    pub word: String,
}

/// The budget-execution words with their roles, in the file's order.
pub static BUDGET_WORDS: LazyLock<Vec<RoleWord>> = LazyLock::new(|| {
    loaded(table::<RoleWord>(&BUDGET_WORD_FILE).map(|ws| ws.into_iter().map(|(_, w)| w).collect()))
});

/// The kinds of `rules/amount_words.tsv` (its header comment says what each means).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountWord {
    Budget,
    Actual,
    BudgetAfter,
    Execution,
    NotThisYear,
    Filler,
}

static AMOUNT_WORDS: LazyLock<Vec<Word<AmountWord>>> =
    LazyLock::new(|| loaded(words(&AMOUNT_WORD_FILE)));

/// The prose-amount words of one kind, in the file's order.
pub fn amount_words(kind: AmountWord) -> Vec<&'static str> {
    of(&AMOUNT_WORDS, kind)
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    table::<Label>(&LABEL_FILE)?;
    table::<RoleWord>(&BUDGET_WORD_FILE)?;
    words::<AmountWord>(&AMOUNT_WORD_FILE)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_amount_word_kind_is_written() {
        for kind in [
            AmountWord::Budget,
            AmountWord::Actual,
            AmountWord::BudgetAfter,
            AmountWord::Execution,
            AmountWord::NotThisYear,
            AmountWord::Filler,
        ] {
            assert!(!amount_words(kind).is_empty(), "{kind:?}");
        }
        // A `"` is a filler word as written: the files are read without quoting.
        assert!(amount_words(AmountWord::Filler).contains(&"\""));
    }

    #[test]
    fn an_unknown_role_is_named_with_its_line() {
        let src = Source {
            path: "b.tsv",
            text: "role\tword\nbudget\t预算\nspent\t支出\n",
        };
        let err = table::<RoleWord>(&src).err().unwrap_or_default();
        assert!(
            err.starts_with("b.tsv:3:") && err.contains("spent"),
            "{err}"
        );
    }
}
