//! `jixiao diff OLD NEW`: what changed between two datasets, night to night.
//!
//! Reports are matched by unit and fiscal year (and source path, when one unit has several
//! reports for a year). The CSV lists reports added or removed, and for reports in both,
//! every report field whose value changed. `report_id` (a hash of the file's bytes) and
//! `source_path` identify rather than describe, so they are not compared.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use crate::write::schema;

type Row = BTreeMap<String, String>;

/// Every reports.csv row of a dataset, keyed by (unit or path, fiscal year, source path).
fn reports(dir: &Path) -> Result<BTreeMap<(String, String, String), Row>> {
    anyhow::ensure!(
        dir.join("manifest.json").exists(),
        "{} holds no finished dataset (no manifest.json)",
        dir.display()
    );
    let mut out = BTreeMap::new();
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
            let unit = Some(get("unit_name"))
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| get("source_path"));
            out.insert((unit, get("fiscal_year"), get("source_path")), row);
        }
    }
    Ok(out)
}

/// The changes from `old` to `new` as CSV (header included; only the header when nothing
/// changed).
pub fn diff(old: &Path, new: &Path) -> Result<String> {
    let (a, b) = (reports(old)?, reports(new)?);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record([
        "change",
        "unit_name",
        "township",
        "fiscal_year",
        "field",
        "old",
        "new",
        "source_path",
    ])?;
    let mut line = |change: &str, row: &Row, field: &str, old: &str, new: &str| -> Result<()> {
        let get = |k: &str| row.get(k).map(String::as_str).unwrap_or_default();
        let cells = [
            change,
            get("unit_name"),
            get("township"),
            get("fiscal_year"),
            field,
            old,
            new,
            get("source_path"),
        ];
        // Values come from the datasets with the formula guard already applied.
        w.write_record(cells)?;
        Ok(())
    };
    let skip = ["report_id", "source_path"];
    for (key, row) in &a {
        match b.get(key) {
            None => line("removed", row, "", "", "")?,
            Some(new_row) => {
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
                        line("changed", new_row, c.name, &o, &n)?;
                    }
                }
            }
        }
    }
    for (key, row) in &b {
        if !a.contains_key(key) {
            line("added", row, "", "", "")?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    Ok(String::from_utf8(bytes)?)
}
