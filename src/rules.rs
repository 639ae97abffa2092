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

/// Column-header words of the standard tables (`rules/table_headers.txt`): a short line
/// holding them is a header when a flattened or space-aligned table is rebuilt.
pub static TABLE_HEADERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(include_str!("../rules/table_headers.txt")));

static LEVEL1: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(include_str!("../rules/level1.txt")));

/// Whether a cell names a 一级指标 heading (`产出指标`, `投入`), weights already removed.
pub fn is_level1(name: &str) -> bool {
    let core = name.trim_end_matches("指标");
    LEVEL1.contains(&core)
}

static LEVEL2: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| entries(include_str!("../rules/level2.txt")));

/// A 二级指标 heading: one of the template's categories followed by 指标 (`rules/level2.txt`).
pub fn is_level2(name: &str) -> bool {
    name.strip_suffix("指标")
        .is_some_and(|core| LEVEL2.contains(&core))
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

/// One data line of a rules table, its cells in the order the caller asked for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<&'static str>,
    /// The line number in the file, for messages.
    pub line: usize,
}

/// A rules table: its first line that is not a comment names the columns (tab-separated);
/// each later line is a row of as many non-empty cells. Returns, for each row, the cells of
/// the columns `wanted`, found by name, so columns may be added or reordered in the file.
/// The first problem (`file:line: why`) is returned instead: every file's test calls this, so
/// a broken rule fails a test rather than being skipped.
pub fn table(file: &str, text: &'static str, wanted: &[&str]) -> Result<Vec<Row>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let (hn, header) = lines
        .next()
        .ok_or_else(|| format!("{file}: no header line"))?;
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    let at: Vec<usize> = wanted
        .iter()
        .map(|w| {
            names
                .iter()
                .position(|n| n == w)
                .ok_or_else(|| format!("{file}:{hn}: no column named {w:?} in the header"))
        })
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for (n, line) in lines {
        let cells: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        if cells.len() != names.len() || cells.iter().any(|c| c.is_empty()) {
            return Err(format!(
                "{file}:{n}: malformed line {line:?} ({} columns: {})",
                names.len(),
                names.join(", ")
            ));
        }
        out.push(Row {
            cells: at.iter().filter_map(|&i| cells.get(i).copied()).collect(),
            line: n,
        });
    }
    Ok(out)
}

/// The cell after `key` in the rows whose leading cells are `key`, in the file's order:
/// the words of one kind in a table read as (kind…, word, …).
pub fn words(rows: &[Row], key: &[&str]) -> Vec<&'static str> {
    rows.iter()
        .filter(|r| r.cells.get(..key.len()) == Some(key))
        .filter_map(|r| r.cells.get(key.len()).copied())
        .collect()
}

/// The lines of a column file (`column`, `aliases` split at `|`, `example`) in order.
pub fn columns(file: &str, text: &'static str) -> Result<Vec<ColumnRule>, String> {
    table(file, text, &["column", "aliases", "example"])?
        .into_iter()
        .map(|r| match r.cells.as_slice() {
            [column, aliases, example] if aliases.split('|').all(|a| !a.is_empty()) => {
                Ok(ColumnRule {
                    column,
                    aliases: aliases.split('|').collect(),
                    example,
                    line: r.line,
                })
            }
            _ => Err(format!("{file}:{}: an empty alias", r.line)),
        })
        .collect()
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
        let r = columns(
            "t",
            "# c\ncolumn\taliases\texample\na\tx|yz\tyz1\nb\ty\ty\n",
        )
        .unwrap_or_default();
        assert_eq!(r.len(), 2);
        assert_eq!(column_of(&r, "yz").map(|c| c.column), Some("a"));
        assert_eq!(column_of(&r, "y").map(|c| c.column), Some("b"));
        assert_eq!(column_of(&r, "q"), None);
        let head = "column\taliases\texample\n";
        assert_eq!(
            columns("t", &*format!("{head}a\tx\n").leak()),
            Err("t:2: malformed line \"a\\tx\" (3 columns: column, aliases, example)".to_string())
        );
        assert!(columns("t", &*format!("{head}a\tx||y\tx\n").leak()).is_err());
        // Columns are found by name, in any order; a missing one is named.
        let t = table(
            "t",
            "example\tcolumn\tx\ne1\tc1\tx1\n",
            &["column", "example"],
        );
        assert_eq!(t.map(|r| r[0].cells.clone()), Ok(vec!["c1", "e1"]));
        let t = table("t", "k\tw\tx\na\tw1\tx\nb\tw2\tx\na\tw3\tx\n", &["k", "w"]);
        assert_eq!(words(&t.unwrap_or_default(), &["a"]), vec!["w1", "w3"]);
        assert_eq!(
            table("t", "a\tb\n", &["c"]),
            Err("t:1: no column named \"c\" in the header".to_string())
        );
    }
}
