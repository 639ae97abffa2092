//! Reading the vocabulary files of `rules/` (compiled in with `include_str!`): one entry a
//! line, `#` starts a comment line, blank lines are skipped.

use std::sync::LazyLock;

/// The path of the indicator-column file, for messages.
pub const INDICATOR_COLUMN_FILE: &str = "rules/indicator_columns.tsv";

/// The columns of the 绩效指标 block (`rules/indicator_columns.tsv`), in the file's order.
/// A malformed file gives no columns; its test names the line.
pub static INDICATOR_COLUMNS: LazyLock<Vec<ColumnRule>> = LazyLock::new(|| {
    columns(
        INDICATOR_COLUMN_FILE,
        include_str!("../rules/indicator_columns.tsv"),
    )
    .unwrap_or_default()
});

/// The path of the budget-column file, for messages.
pub const BUDGET_COLUMN_FILE: &str = "rules/budget_columns.tsv";

/// The columns of the self-evaluation form's budget block (`rules/budget_columns.tsv`).
pub static BUDGET_COLUMNS: LazyLock<Vec<ColumnRule>> = LazyLock::new(|| {
    columns(
        BUDGET_COLUMN_FILE,
        include_str!("../rules/budget_columns.tsv"),
    )
    .unwrap_or_default()
});

static LEVEL1: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(include_str!("../rules/level1.txt")));

/// Whether a cell names a 一级指标 heading (`产出指标`, `投入`), weights already removed.
pub fn is_level1(name: &str) -> bool {
    let core = name.trim_end_matches("指标");
    LEVEL1.contains(&core)
}

/// The entries of a rules file, trimmed.
pub fn entries(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// One line of a column file (`column<TAB>alias|alias<TAB>example header`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRule {
    pub column: &'static str,
    pub aliases: Vec<&'static str>,
    pub example: &'static str,
    /// The line number in the file, for messages.
    pub line: usize,
}

/// The lines of a column file in order, or the first malformed one (`file:line: why`): the
/// tests of each file call this, so a broken rule fails a test instead of being skipped.
pub fn columns(file: &str, text: &'static str) -> Result<Vec<ColumnRule>, String> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            [column, aliases, example]
                if !column.is_empty()
                    && !example.is_empty()
                    && aliases.split('|').all(|a| !a.is_empty()) =>
            {
                out.push(ColumnRule {
                    column,
                    aliases: aliases.split('|').collect(),
                    example,
                    line: n + 1,
                });
            }
            _ => return Err(format!("{file}:{}: malformed line {line:?}", n + 1)),
        }
    }
    Ok(out)
}

/// The column a header cell names: the first rule with an alias the cell contains.
pub fn column_of<'a>(rules: &'a [ColumnRule], header: &str) -> Option<&'a ColumnRule> {
    rules
        .iter()
        .find(|r| r.aliases.iter().any(|a| header.contains(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blanks_are_skipped() {
        assert_eq!(entries("# c\n a \n\nb\t1\n"), vec!["a", "b\t1"]);
    }

    #[test]
    fn column_files_parse_in_order_and_reject_malformed_lines() {
        let r = columns("t", "# c\na\tx|yz\tyz1\nb\ty\ty\n").unwrap_or_default();
        assert_eq!(r.len(), 2);
        assert_eq!(column_of(&r, "yz").map(|c| c.column), Some("a"));
        assert_eq!(column_of(&r, "y").map(|c| c.column), Some("b"));
        assert_eq!(column_of(&r, "q"), None);
        assert_eq!(
            columns("t", "a\tx\n"),
            Err("t:1: malformed line \"a\\tx\"".to_string())
        );
        assert!(columns("t", "a\tx||y\tx\n").is_err());
    }
}
