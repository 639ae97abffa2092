//! `jixiao diff OLD NEW`: what changed between two datasets, night to night.
//!
//! Reports are matched by what they are: the unit (its division code where known, else its
//! name), the fiscal year, the report kind and the project. The source path only breaks
//! ties between several reports of one identity, so an archive copied or a file renamed
//! diffs as unchanged. The CSV lists reports added or removed, and for reports in both,
//! every report field whose value changed. `report_id` (a hash of the file's bytes) and
//! `source_path` identify rather than describe, so they are not compared.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Context, Result, RunError};

use crate::fields::Field;
use crate::record::{Change, ChangeKind};
use crate::write::schema;

use crate::record::ReportValues as Row;

/// What a report is: unit (division code, else unit name), fiscal year, kind, project.
type Identity = (String, String, String, String);

/// Every reports.csv row of a dataset, grouped by identity, each group in source-path order.
fn reports(dir: &Path) -> Result<BTreeMap<Identity, Vec<Row>>> {
    if let Some(note) = crate::write::commit::settle(dir, &crate::write::manifest::unix_seconds())?
    {
        eprintln!("jixiao: warning: {note}");
    }
    if !dir.join("manifest.json").exists() {
        return Err(RunError::Invalid(format!(
            "{} holds no finished dataset (no manifest.json)",
            dir.display()
        )));
    }
    let mut out: BTreeMap<Identity, Vec<Row>> = BTreeMap::new();
    for e in std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .flatten()
    {
        let path = e.path().join(schema::REPORTS.file);
        if !path.exists() {
            continue;
        }
        let mut r =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        let headers: Vec<String> = r
            .headers()?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        for rec in r.records() {
            let rec = rec.with_context(|| format!("reading {}", path.display()))?;
            let row: Row = headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect();
            let get = |k: &str| row.get(k).cloned().unwrap_or_default();
            let unit = [get(Field::DivisionCode.name()), get(Field::UnitName.name())]
                .into_iter()
                .find(|u| !u.is_empty())
                .unwrap_or_default();
            let key = (
                unit,
                get(Field::FiscalYear.name()),
                get(Field::ReportKind.name()),
                get(Field::ProjectName.name()),
            );
            out.entry(key).or_default().push(row);
        }
    }
    for rows in out.values_mut() {
        rows.sort_by(|a, b| {
            a.get(Field::SourcePath.name())
                .cmp(&b.get(Field::SourcePath.name()))
        });
    }
    Ok(out)
}

/// Pairs the old and new reports of one identity: same source path first; then, when one
/// of each is left, those two (a renamed file). Returns the pairs and the unpaired rows.
fn pair<'a>(
    old: &'a [Row],
    new: &'a [Row],
) -> (Vec<(&'a Row, &'a Row)>, Vec<&'a Row>, Vec<&'a Row>) {
    let path = |r: &Row| r.get(Field::SourcePath.name()).cloned().unwrap_or_default();
    let mut left: Vec<&Row> = old.iter().collect();
    let mut right: Vec<&Row> = new.iter().collect();
    let mut pairs = Vec::new();
    left.retain(|o| match right.iter().position(|n| path(n) == path(o)) {
        Some(i) => {
            pairs.push((*o, right.remove(i)));
            false
        }
        None => true,
    });
    if let ([o], [n]) = (left.as_slice(), right.as_slice()) {
        pairs.push((o, n));
        return (pairs, Vec::new(), Vec::new());
    }
    (pairs, left, right)
}

/// The changes from `old` to `new`: per identity, changed fields, then removed and added
/// reports.
pub fn changes(old: &Path, new: &Path) -> Result<Vec<Change>> {
    let (a, b) = (reports(old)?, reports(new)?);
    let mut out = Vec::new();
    let whole = |kind, row: &Row| Change {
        kind,
        row: row.clone(),
        field: String::new(),
        old: String::new(),
        new: String::new(),
    };
    let skip = [Field::ReportId.name(), Field::SourcePath.name()];
    let empty = Vec::new();
    let keys: std::collections::BTreeSet<&Identity> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (pairs, removed, added) =
            pair(a.get(key).unwrap_or(&empty), b.get(key).unwrap_or(&empty));
        for (row, new_row) in pairs {
            for c in schema::REPORTS
                .columns
                .iter()
                .filter(|c| !skip.contains(&c.name))
            {
                let (o, n) = (
                    row.get(c.name).cloned().unwrap_or_default(),
                    new_row.get(c.name).cloned().unwrap_or_default(),
                );
                if o != n {
                    out.push(Change {
                        kind: ChangeKind::Changed,
                        row: new_row.clone(),
                        field: c.name.to_string(),
                        old: o,
                        new: n,
                    });
                }
            }
        }
        out.extend(removed.into_iter().map(|r| whole(ChangeKind::Removed, r)));
        out.extend(added.into_iter().map(|r| whole(ChangeKind::Added, r)));
    }
    Ok(out)
}

/// The changes as CSV (header included; only the header when nothing changed).
pub fn to_csv(changes: &[Change]) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "change",
        Field::UnitName.name(),
        Field::Township.name(),
        Field::FiscalYear.name(),
        "field",
        "old",
        "new",
        Field::SourcePath.name(),
    ])?;
    for c in changes {
        // Values come from the datasets with the formula guard already applied.
        w.write_record([
            c.kind.code(),
            c.get(Field::UnitName.name()),
            c.get(Field::Township.name()),
            c.get(Field::FiscalYear.name()),
            &c.field,
            &c.old,
            &c.new,
            c.get(Field::SourcePath.name()),
        ])?;
    }
    let bytes = w.into_inner()?;
    Ok(String::from_utf8(bytes)?)
}

/// `jixiao: 2 reports added, 1 removed, 3 changed (5 fields)`, or `jixiao: no change`.
pub fn summary(changes: &[Change]) -> String {
    let n = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let mut changed: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Changed)
        .map(|c| c.get(Field::ReportId.name()))
        .collect();
    changed.dedup();
    if changes.is_empty() {
        return "jixiao: no change".into();
    }
    format!(
        "jixiao: {} added, {} removed, {} changed ({} {})",
        crate::words::count(n(ChangeKind::Added), "report", "reports"),
        n(ChangeKind::Removed),
        changed.len(),
        n(ChangeKind::Changed),
        if n(ChangeKind::Changed) == 1 {
            "field"
        } else {
            "fields"
        }
    )
}
