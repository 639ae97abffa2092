//! Table columns and level words: the 绩效指标 block's columns
//! (`rules/indicator_columns.tsv`), the budget block's (`rules/budget_columns.tsv`), the
//! header words of flattened tables (`rules/table_headers.txt`), a rubric's text columns
//! (`rules/rubric_columns.txt`), the budget block's row words (`rules/budget_rows.txt`) and
//! the 一级 / 二级 headings (`rules/level1.txt`, `rules/level2.txt`).

use std::sync::LazyLock;

use serde::Deserialize;

use super::{list, loaded, table, Source};
use crate::fields::Field;

/// What a column of the 绩效指标 block holds (the `column` of `rules/indicator_columns.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorColumn {
    Level1,
    Level2,
    Name,
    Target,
    /// 指标性质: the operator of a target split over three cells (`≥ | 95 | %`).
    TargetOp,
    /// 指标值 under a split target: no header names it, a split target's 指标值 becomes it.
    #[serde(skip_deserializing)]
    TargetValue,
    /// 度量单位 / 计量单位 of a split target.
    TargetUnit,
    Actual,
    Weight,
    Score,
    Note,
}

/// One line of a column file: the column, the words a header cell names it by, and an
/// example header (its test reads it back as the column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRule<C> {
    pub column: C,
    pub aliases: Vec<String>,
    pub example: String,
    /// The line number in the file, for messages.
    pub line: u64,
}

/// A column file's line as written (`column<TAB>alias|alias<TAB>example`).
#[derive(Deserialize)]
struct ColumnLine<C> {
    column: C,
    aliases: String,
    example: String,
}

/// The lines of a column file in order; an empty alias (`a||b`) is malformed.
pub fn columns<C: serde::de::DeserializeOwned>(src: &Source) -> Result<Vec<ColumnRule<C>>, String> {
    table::<ColumnLine<C>>(src)?
        .into_iter()
        .map(|(line, l)| {
            let aliases: Vec<String> = l.aliases.split('|').map(str::to_string).collect();
            if aliases.iter().any(String::is_empty) {
                return Err(format!("{}:{line}: an empty alias", src.path));
            }
            Ok(ColumnRule {
                column: l.column,
                aliases,
                example: l.example,
                line,
            })
        })
        .collect()
}

/// `rules/indicator_columns.tsv`.
pub const INDICATOR_COLUMN_FILE: Source = source!("indicator_columns.tsv");
/// `rules/budget_columns.tsv`.
pub const BUDGET_COLUMN_FILE: Source = source!("budget_columns.tsv");
const TABLE_HEADER_FILE: Source = source!("table_headers.txt");
const RUBRIC_COLUMN_FILE: Source = source!("rubric_columns.txt");
const BUDGET_ROW_FILE: Source = source!("budget_rows.txt");
const LEVEL1_FILE: Source = source!("level1.txt");
const LEVEL2_FILE: Source = source!("level2.txt");

/// The columns of the 绩效指标 block, in the file's order.
pub static INDICATOR_COLUMNS: LazyLock<Vec<ColumnRule<IndicatorColumn>>> =
    LazyLock::new(|| loaded(columns(&INDICATOR_COLUMN_FILE)));

/// The columns of the self-evaluation form's budget block: report fields, or the figures
/// beside them (`budget_score`, `budget_weight`, `budget_note`).
pub static BUDGET_COLUMNS: LazyLock<Vec<ColumnRule<Field>>> =
    LazyLock::new(|| loaded(columns(&BUDGET_COLUMN_FILE)));

/// Column-header words of the standard tables: a short line holding them is a header when a
/// flattened or space-aligned table is rebuilt.
pub static TABLE_HEADERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&TABLE_HEADER_FILE)));

/// Text columns between a 三级指标 and its final 得分 in a rubric.
pub static RUBRIC_COLUMNS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&RUBRIC_COLUMN_FILE)));

/// Words of the budget block's row labels (资金, 拨款, 结转 …).
pub static BUDGET_ROWS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&BUDGET_ROW_FILE)));

static LEVEL1: LazyLock<Vec<&'static str>> = LazyLock::new(|| loaded(list(&LEVEL1_FILE)));
static LEVEL2: LazyLock<Vec<&'static str>> = LazyLock::new(|| loaded(list(&LEVEL2_FILE)));

/// Whether a cell names a 一级指标 heading (`产出指标`, `投入`), weights already removed.
pub fn is_level1(name: &str) -> bool {
    let core = name.trim_end_matches("指标");
    LEVEL1.contains(&core)
}

/// A 二级指标 heading: one of the template's categories followed by 指标.
pub fn is_level2(name: &str) -> bool {
    name.strip_suffix("指标")
        .is_some_and(|core| LEVEL2.contains(&core))
}

/// The column a header cell names: the first rule with an alias the cell contains.
pub fn column_of<'a, C>(rules: &'a [ColumnRule<C>], header: &str) -> Option<&'a ColumnRule<C>> {
    rules
        .iter()
        .find(|r| r.aliases.iter().any(|a| header.contains(a.as_str())))
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    columns::<IndicatorColumn>(&INDICATOR_COLUMN_FILE)?;
    columns::<Field>(&BUDGET_COLUMN_FILE)?;
    for f in [
        &TABLE_HEADER_FILE,
        &RUBRIC_COLUMN_FILE,
        &BUDGET_ROW_FILE,
        &LEVEL1_FILE,
        &LEVEL2_FILE,
    ] {
        list(f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &'static str) -> Source {
        Source {
            path: "t.tsv",
            text,
        }
    }

    #[test]
    fn column_files_parse_in_order_and_reject_malformed_lines() {
        let head = "# c\ncolumn\taliases\texample\n";
        let r = columns::<IndicatorColumn>(&src(
            "column\taliases\texample\nname\t三级|名称\t三级指标\nweight\t分值\t分值\n",
        ))
        .unwrap_or_default();
        assert_eq!(r.len(), 2);
        assert_eq!(
            column_of(&r, "三级指标").map(|c| c.column),
            Some(IndicatorColumn::Name)
        );
        assert_eq!(
            column_of(&r, "分值(分)").map(|c| c.column),
            Some(IndicatorColumn::Weight)
        );
        assert_eq!(column_of(&r, "得分"), None);
        let bad = |body: &str| {
            let text: &'static str = format!("{head}{body}").leak();
            columns::<IndicatorColumn>(&src(text)).err()
        };
        assert!(bad("name\t三级\n").is_some_and(|e| e.starts_with("t.tsv:3:")));
        assert_eq!(
            bad("name\t三级||名称\tx\n"),
            Some("t.tsv:3: an empty alias".to_string())
        );
        // A column the enum does not know, or a field the registry does not.
        assert!(bad("level3\t四级\t四级\n").is_some_and(|e| e.starts_with("t.tsv:3:")));
        let text: &'static str = format!("{head}budget_total\t总额\t总额\n").leak();
        assert!(columns::<Field>(&src(text)).is_err_and(|e| e.contains("budget_total")));
    }

    #[test]
    fn level_words_are_read_whole() {
        assert!(is_level1("产出指标") && is_level1("投入"));
        assert!(is_level2("数量指标") && !is_level2("达成预期指标") && !is_level2("数量"));
    }
}
