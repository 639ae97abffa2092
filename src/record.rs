//! The output schema: one `#[derive(Serialize)]` struct per CSV, column order = field order.
//!
//! Text columns are [`Text`], which applies the spreadsheet formula guard when written;
//! money and counts are [`Num`], exact decimals printed plainly (never floats, never
//! exponents). `None` is an empty cell: not found.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::normalize::numbers::fmt_decimal;

/// A text cell. Written with a leading `'` when it would start with `=`, `+`, `-` or `@`, so
/// no spreadsheet runs it as a formula.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(pub String);

impl Text {
    pub fn new(s: impl Into<String>) -> Self {
        Text(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a spreadsheet could take `s` for a formula: its first character after any
/// leading whitespace is `=`, `+`, `-` or `@` (Excel skips a leading TAB or space before
/// `=`). Leading `'` are looked through too, so that a text that already starts with `'`
/// before such a character is itself guarded, and [`unguard`] can tell the two apart.
fn formula_like(s: &str) -> bool {
    s.trim_start_matches('\'')
        .trim_start()
        .starts_with(['=', '+', '-', '@'])
}

/// The formula guard of SPEC.md: a `'` before a formula-like text.
pub fn guard(s: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The text as written, from a guarded cell (for the workbook, whose string cells never run
/// as formulas): the inverse of [`guard`].
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => s,
    }
}

/// Longest text cell written, in characters: Excel's own limit for a cell (it cuts a longer
/// one when the file opens). No real report's cell comes near it; a hostile one would
/// otherwise be written in full on every row that repeats it.
pub const MAX_CELL_CHARS: usize = 32_767;

thread_local! {
    /// Cells cut to [`MAX_CELL_CHARS`] on this thread since [`take_cut_cells`] last looked:
    /// the rendering of one document asks, to say so in a check.
    static CUT_CELLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many cells were cut on this thread since the last call, and starts counting again.
pub fn take_cut_cells() -> usize {
    CUT_CELLS.with(|c| c.replace(0))
}

/// `s`, or its first [`MAX_CELL_CHARS`] characters (counted in [`CUT_CELLS`]).
fn within_cell(s: &str) -> &str {
    if s.len() <= MAX_CELL_CHARS {
        return s;
    }
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => {
            CUT_CELLS.with(|c| c.set(c.get() + 1));
            s.get(..at).unwrap_or(s)
        }
        None => s,
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&guard(within_cell(&self.0)))
    }
}

/// An exact decimal cell (`1213.36`, `107`), trailing zeros dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fmt_decimal(self.0))
    }
}

/// One column of an output table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// Frictionless type: `string`, `integer`, `number`, `date`.
    pub kind: &'static str,
    pub unit: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// One row of `amounts.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AmountRow {
    pub report_id: Text,
    pub fiscal_year: Option<i32>,
    pub township: Option<Text>,
    pub section: Text,
    pub label: Text,
    pub field: Option<Text>,
    pub period: Option<Text>,
    pub value_wan: Num,
    pub raw: Text,
    pub unit: Text,
    pub qualifier: Text,
    pub source: Text,
    pub location: Text,
}

/// One row of `indicators.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorRow {
    pub report_id: Text,
    pub fiscal_year: Option<i32>,
    pub township: Option<Text>,
    pub level1: Text,
    pub level1_weight: Option<Num>,
    pub level2: Text,
    pub name: Text,
    pub target_raw: Text,
    pub target_op: Text,
    pub target_value: Option<Num>,
    pub target_unit: Text,
    pub actual_raw: Text,
    pub actual_op: Text,
    pub actual_value: Option<Num>,
    pub actual_unit: Text,
    pub weight: Option<Num>,
    pub score: Option<Num>,
    pub note: Text,
    pub location: Text,
}

/// One row of `checks.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckRow {
    pub report_id: Text,
    pub fiscal_year: Option<i32>,
    pub township: Option<Text>,
    pub check: Text,
    pub severity: Text,
    pub message: Text,
    pub location: Text,
}

/// One row of `coverage.csv`: a township-level unit of a county that has a report this year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CoverageRow {
    pub division_code: Text,
    pub province: Text,
    pub prefecture: Text,
    pub county: Text,
    pub township: Text,
    /// 整体 reports found for the township (0: missing).
    pub reports: usize,
}

/// One row of `skipped.csv`: a file that was read but is not a self-evaluation (the gate).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SkippedRow {
    pub path: Text,
    pub reason: Text,
    pub title: Text,
    pub evidence: Text,
}

/// One row of `errors.csv`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorRow {
    pub path: Text,
    pub reason: Text,
    pub message: Text,
}

/// A reports.csv row read back by column name (what `diff` compares).
pub type ReportValues = std::collections::BTreeMap<String, String>;

/// One line of the diff: a report added or removed, or one field of a report changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The report's row (the new one for a change, the old one for a removal).
    pub row: ReportValues,
    /// For a change: the column, its old and its new value.
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    /// The `change` column.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

impl Change {
    /// A value of the report's row (empty when the column is not there).
    pub fn get(&self, column: &str) -> &str {
        self.row.get(column).map(String::as_str).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_prefixes_formula_starts_only() {
        for s in ["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)"] {
            assert_eq!(guard(s), format!("'{s}"));
        }
        assert_eq!(guard("北山镇"), "北山镇");
        assert_eq!(guard(""), "");
        // Whitespace before the formula character does not hide it.
        for s in ["\t=1+1", " =cmd", "\r\n@SUM(A1)", "\u{3000}-1"] {
            assert_eq!(guard(s), format!("'{s}"));
        }
        // Every text comes back as written, a text that starts with ' included.
        for s in ["=1", "'=1", "''+x", "'plain", "plain", "\t-2", ""] {
            assert_eq!(unguard(&guard(s)), s);
        }
    }

    #[test]
    fn cells_past_the_cap_are_cut_and_counted() {
        let csv = |t: &Text| {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            w.serialize([t]).unwrap();
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        };
        take_cut_cells();
        let at = Text::new("支".repeat(MAX_CELL_CHARS));
        assert_eq!(csv(&at).trim_end().chars().count(), MAX_CELL_CHARS);
        assert_eq!(take_cut_cells(), 0);
        let over = Text::new("支".repeat(MAX_CELL_CHARS + 5));
        assert_eq!(csv(&over).trim_end().chars().count(), MAX_CELL_CHARS);
        assert_eq!(take_cut_cells(), 1);
        assert_eq!(take_cut_cells(), 0);
    }
}
