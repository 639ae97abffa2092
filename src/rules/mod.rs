//! The vocabulary of `rules/`, the only place the words the extractor reads by live.
//!
//! Every file is compiled in (`include_str!`) and read here, strictly ([`read`]): a table
//! with the `csv` crate into a serde struct whose columns are typed (a field is a [`Field`],
//! a kind one of its family's enum, so a misspelling is an error), a list as one entry a
//! line without duplicates. A malformed line is an error naming file and line: `build.rs`
//! reads every file's shape and fails the build on one, and `every_rules_file_reads_strictly`
//! reads every file into its types. At run time each value is read once, lazily; a file that
//! did not read gives no rules there, which the build and the tests make impossible for the
//! files compiled in.
//!
//! One module per rule family: [`columns`] (table columns and level words), [`amounts`]
//! (what the words before an amount say), [`forms`] (form labels and unit names), [`titles`]
//! (what a title or heading says), [`staff`] (headcounts), [`lists`] (word lists of the
//! keyword segmenter and of division names), [`not_fields`] (template labels that feed no
//! field).

use serde::{Deserialize, Deserializer};

use crate::fields::Field;

/// A file of `rules/` compiled in: its path (for messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub path: &'static str,
    pub text: &'static str,
}

/// The [`Source`] of `rules/<name>`.
macro_rules! source {
    ($name:literal) => {
        $crate::rules::Source {
            path: concat!("rules/", $name),
            text: include_str!(concat!("../../rules/", $name)),
        }
    };
}

pub mod amounts;
pub mod columns;
pub mod forms;
pub mod lists;
pub mod not_fields;
mod read;
pub mod staff;
pub mod titles;

pub use columns::{
    column_of, is_level1, is_level2, ColumnRule, IndicatorColumn, BUDGET_COLUMNS,
    INDICATOR_COLUMNS, RUBRIC_COLUMNS, TABLE_HEADERS,
};

/// A table's lines as `T`, each with its line number (see [`read::table`]).
pub fn table<T: serde::de::DeserializeOwned>(src: &Source) -> Result<Vec<(u64, T)>, String> {
    read::table(src.path, src.text)
}

/// A list's entries, in the file's order (see [`read::list`]).
pub fn list(src: &Source) -> Result<Vec<&'static str>, String> {
    read::list(src.path, src.text)
}

/// What a run uses of a file read once: its rules, or none when it did not read (which
/// `every_rules_file_reads_strictly` and the build rule out for the files compiled in).
fn loaded<T>(read: Result<Vec<T>, String>) -> Vec<T> {
    read.unwrap_or_default()
}

/// A `kind<TAB>word` line of a word table (other columns, such as an example, are read by
/// the family's tests).
#[derive(Debug, Clone, Deserialize)]
pub struct Word<K> {
    pub kind: K,
    pub word: String,
}

/// The lines of a word table, without their line numbers.
fn words<K: serde::de::DeserializeOwned>(src: &Source) -> Result<Vec<Word<K>>, String> {
    Ok(table(src)?.into_iter().map(|(_, w)| w).collect())
}

/// The words of one kind, in the file's order.
fn of<K: PartialEq>(words: &'static [Word<K>], kind: K) -> Vec<&'static str> {
    words
        .iter()
        .filter(|w| w.kind == kind)
        .map(|w| w.word.as_str())
        .collect()
}

/// A field column of a rules table names a field of the registry by its name.
impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        let name = String::deserialize(d)?;
        Field::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field {name:?}")))
    }
}

/// Every file of `rules/`, read strictly into its types: the first problem of each family.
#[cfg(test)]
fn check_all() -> Vec<String> {
    [
        columns::check(),
        amounts::check(),
        forms::check(),
        titles::check(),
        staff::check(),
        lists::check(),
        not_fields::check(),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test the brief of `rules/` rests on: a malformed line anywhere fails here with its
    /// file and line, never silently giving no rules.
    #[test]
    fn every_rules_file_reads_strictly() {
        let problems = check_all();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every file in `rules/` is read by one of the families above (a new file needs a reader
    /// and its place in `check_all`).
    #[test]
    fn every_file_of_rules_has_a_reader() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let code: String = [
            "columns",
            "amounts",
            "forms",
            "titles",
            "staff",
            "lists",
            "not_fields",
        ]
        .iter()
        .map(|m| {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/rules/{m}.rs"));
            std::fs::read_to_string(path).unwrap_or_default()
        })
        .collect();
        let files = std::fs::read_dir(&dir)
            .map(|d| d.flatten().count())
            .unwrap_or(0);
        assert!(files > 10, "{} lists no rules files", dir.display());
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            assert!(
                code.contains(&format!("source!(\"{name}\")")),
                "rules/{name} is read by no module of src/rules"
            );
        }
    }

    #[test]
    fn a_field_column_names_a_registered_field() {
        #[derive(Deserialize)]
        struct Line {
            field: Field,
        }
        let ok = read::table::<Line>("f.tsv", "field\nexp_total\nbudget_weight\n");
        let fields: Vec<Field> = ok
            .unwrap_or_default()
            .into_iter()
            .map(|(_, l)| l.field)
            .collect();
        assert_eq!(fields, vec![Field::ExpTotal, Field::BudgetWeight]);
        let bad = read::table::<Line>("f.tsv", "field\nexp_total\nexp_totl\n").err();
        assert_eq!(bad, Some("f.tsv:3: unknown field \"exp_totl\"".to_string()));
    }
}
