//! The strict reader of the files of `rules/`, shared by the library and `build.rs` (which
//! includes this file by path to fail the build on a malformed line, so it names nothing of
//! the crate).
//!
//! - A table (`.tsv`): tab-separated, `#` opens a comment line, blank lines are skipped, the
//!   first other line names the columns, and every later line has as many cells, none empty
//!   and none with white space around it. Cells are taken as written: no quoting, so a `"` is
//!   a word like any other.
//! - A list (`.txt`): one entry a line, `#` comment lines and blank lines skipped; an entry
//!   has no white space around it and appears once.
//!
//! Every problem is `file:line: why`.

use csv::{ReaderBuilder, StringRecord};
use serde::de::DeserializeOwned;

/// The header and the data lines of a table, each with its line number, checked for shape.
pub fn records(path: &str, text: &str) -> Result<(StringRecord, Vec<(u64, StringRecord)>), String> {
    let mut reader = ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .flexible(false)
        .quoting(false)
        .from_reader(text.as_bytes());
    // The line a record starts on: `csv` places a record where the one before it ended, so
    // the blank and comment lines between them are skipped here.
    let line_at = |byte: u64| {
        let start = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        let before = text.get(..start).unwrap_or("");
        let skipped = text
            .get(start..)
            .unwrap_or("")
            .lines()
            .take_while(|l| l.trim().is_empty() || l.starts_with('#'))
            .count();
        (before.matches('\n').count() + skipped + 1) as u64
    };
    let at = |e: csv::Error| match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos: Some(pos),
            expected_len,
            len,
        } => format!(
            "{path}:{}: {len} cells where the header has {expected_len}",
            line_at(pos.byte())
        ),
        _ => {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            format!("{path}:{line}: {e}")
        }
    };
    let header = reader.headers().map_err(at)?.clone();
    if header.is_empty() || header.iter().all(str::is_empty) {
        return Err(format!("{path}: no header line"));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(at)?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if let Some(cell) = record.iter().find(|c| c.is_empty() || c.trim() != *c) {
            return Err(format!(
                "{path}:{line}: an empty cell or white space around one ({cell:?}) in {:?}",
                record.iter().collect::<Vec<_>>().join("\t")
            ));
        }
        out.push((line, record));
    }
    Ok((header, out))
}

/// The data lines of a table as `T` (its columns found by name, so columns may be added or
/// reordered), each with its line number.
pub fn table<T: DeserializeOwned>(path: &str, text: &str) -> Result<Vec<(u64, T)>, String> {
    let (header, lines) = records(path, text)?;
    lines
        .into_iter()
        .map(|(line, r)| {
            r.deserialize(Some(&header))
                .map(|row| (line, row))
                .map_err(|e| format!("{path}:{line}: {}", e.kind_message()))
        })
        .collect()
}

/// The entries of a list, in the file's order.
pub fn list<'a>(path: &str, text: &'a str) -> Result<Vec<&'a str>, String> {
    let mut out: Vec<&'a str> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if raw.trim() != raw {
            return Err(format!("{path}:{line}: white space around {raw:?}"));
        }
        if out.contains(&raw) {
            return Err(format!("{path}:{line}: {raw:?} is listed twice"));
        }
        out.push(raw);
    }
    Ok(out)
}

/// The message of a deserializing error without the position `csv` adds (the caller names
/// the line).
trait KindMessage {
    fn kind_message(&self) -> String;
}

impl KindMessage for csv::Error {
    fn kind_message(&self) -> String {
        match self.kind() {
            csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                Some(i) => format!("column {}: {}", i + 1, err.kind()),
                None => err.kind().to_string(),
            },
            _ => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Row {
        word: String,
        kind: u8,
    }

    #[test]
    fn tables_are_read_by_column_name_with_their_line_numbers() {
        let text = "# a comment\nkind\tword\textra\n\n1\t年初\tx\n# another\n2\t\"全年\tx\n";
        let rows: Vec<(u64, Row)> = table("t.tsv", text).unwrap_or_default();
        let words: Vec<(u64, &str)> = rows.iter().map(|(l, r)| (*l, r.word.as_str())).collect();
        assert_eq!(words, vec![(4, "年初"), (6, "\"全年")]);
    }

    #[test]
    fn a_malformed_table_line_is_named_with_file_and_line() {
        let head = "# c\nkind\tword\n";
        let err = |body: &str| table::<Row>("r.tsv", &format!("{head}{body}")).err();
        // A cell missing, a cell too many, an empty cell, white space, a value of the wrong type.
        assert!(err("1\t执行\n1\n").is_some_and(|e| e.starts_with("r.tsv:4:")));
        assert!(err("1\t执行\t多\n").is_some_and(|e| e.starts_with("r.tsv:3:")));
        assert!(err("1\t\n").is_some_and(|e| e.starts_with("r.tsv:3:")));
        assert!(err("1\t执行 \n").is_some_and(|e| e.starts_with("r.tsv:3:")));
        assert_eq!(
            err("1\t执行\nx\t到位\n"),
            Some("r.tsv:4: column 1: invalid digit found in string".to_string())
        );
        // A column the struct needs and the header lacks.
        assert!(table::<Row>("r.tsv", "kind\tx\n1\ty\n").is_err());
        assert!(table::<Row>("r.tsv", "# only a comment\n").is_err());
    }

    #[test]
    fn lists_reject_duplicates_and_white_space() {
        assert_eq!(
            list("l.txt", "# c\n资金\n\n拨款\n"),
            Ok(vec!["资金", "拨款"])
        );
        assert_eq!(
            list("l.txt", "资金\n拨款\n资金\n"),
            Err("l.txt:3: \"资金\" is listed twice".to_string())
        );
        assert!(list("l.txt", "资金\n 拨款\n").is_err_and(|e| e.starts_with("l.txt:2:")));
        assert!(list("l.txt", "资金\t\n").is_err_and(|e| e.starts_with("l.txt:1:")));
    }
}
