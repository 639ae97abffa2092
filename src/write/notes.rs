//! The Chinese 说明 of every column, for the workbook's 字段说明 sheet: researchers read the
//! workbook in Chinese, while `schema.rs` keeps the English descriptions that
//! `datapackage.json` and the README carry. The notes live in `data/column_notes_zh.tsv`
//! (table, column, note; table `*` for a column that means the same in every table).

use crate::record::Column;
use crate::write::schema::TableSchema;

const NOTES: &str = include_str!("../../data/column_notes_zh.tsv");

/// The note of `column` in `table`: its table's own line, else the `*` line; empty when
/// there is none (a test keeps every column covered).
pub fn note(table: &TableSchema, column: &Column) -> &'static str {
    let lines = || {
        NOTES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                Some((f.next()?, f.next()?, f.next()?))
            })
    };
    let find = |t: &str| {
        lines()
            .find(|(lt, lc, _)| *lt == t && *lc == column.name)
            .map(|(_, _, n)| n)
    };
    find(table.file).or_else(|| find("*")).unwrap_or_default()
}

/// A Frictionless type in Chinese.
pub fn kind(column: &Column) -> &'static str {
    match column.kind {
        "integer" => "整数",
        "number" => "数值",
        "date" => "日期",
        _ => "文本",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::schema::YEAR_FILES;

    #[test]
    fn every_column_has_a_chinese_note_and_every_note_a_column() {
        for t in YEAR_FILES {
            for c in t.columns {
                let n = note(t, c);
                assert!(
                    n.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                    "{} {}: {n:?}",
                    t.file,
                    c.name
                );
            }
        }
        for l in NOTES.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = l.split('\t').collect();
            let [table, column, _] = f.as_slice() else {
                panic!("not three fields: {l}");
            };
            assert!(
                YEAR_FILES
                    .iter()
                    .any(|t| (*table == "*" || t.file == *table)
                        && t.columns.iter().any(|c| c.name == *column)),
                "no such column: {l}"
            );
        }
    }

    #[test]
    fn a_tables_own_note_comes_before_the_shared_one() {
        use crate::write::schema::{COVERAGE, REPORTS};
        let code = |t: &TableSchema| {
            let c = t.columns.iter().find(|c| c.name == "division_code");
            c.map(|c| note(t, c)).unwrap_or_default()
        };
        assert!(code(&COVERAGE).starts_with("乡镇级单位的 9 位"));
        assert!(code(&REPORTS).starts_with("乡镇级单位 9 位、县级单位 6 位"));
    }
}
