//! Per-year CSV writers (UTF-8 BOM, CRLF, RFC 4180) that stream rows as chunks finish and
//! commit the whole dataset with renames at the end.
//!
//! Everything is written below a temporary folder inside DIR; [`DatasetWriter::commit`]
//! moves each year folder and `errors.csv` into place and writes `manifest.json` last. A run
//! that dies before then leaves the previous dataset as it was.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::record::{AmountRow, CheckRow, ErrorRow, IndicatorRow, ReportRow};
use crate::write::schema::{self, TableSchema};

/// The folder name of a fiscal year's dataset.
pub fn year_folder(year: Option<i32>) -> String {
    year.map_or_else(|| "unknown-year".to_string(), |y| y.to_string())
}

/// One CSV being written.
pub struct CsvFile {
    writer: csv::Writer<BufWriter<File>>,
}

impl CsvFile {
    /// Creates `path` with a BOM and the schema's header row.
    pub fn create(path: &Path, table: &TableSchema) -> Result<Self> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut buf = BufWriter::with_capacity(256 * 1024, file);
        buf.write_all(b"\xEF\xBB\xBF")?;
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::CRLF)
            .from_writer(buf);
        writer.write_record(table.header())?;
        Ok(CsvFile { writer })
    }

    pub fn row<T: Serialize>(&mut self, row: &T) -> Result<()> {
        self.writer.serialize(row)?;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        let buf = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        let file = buf
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        file.sync_all()?;
        Ok(())
    }
}

/// The four CSVs of one year.
struct YearFiles {
    reports: CsvFile,
    amounts: CsvFile,
    indicators: CsvFile,
    checks: CsvFile,
    count: usize,
}

/// The rows one document contributes.
#[derive(Debug, Clone, Default)]
pub struct DocRows {
    pub report: ReportRow,
    pub amounts: Vec<AmountRow>,
    pub indicators: Vec<IndicatorRow>,
    pub checks: Vec<CheckRow>,
}

/// Writes a dataset into DIR through a temporary folder.
pub struct DatasetWriter {
    out: PathBuf,
    tmp: PathBuf,
    years: BTreeMap<String, YearFiles>,
}

impl DatasetWriter {
    /// Starts a dataset in `out`. Temporary folders left by runs that were killed are
    /// removed first (one run writes into a DIR at a time).
    pub fn create(out: &Path) -> Result<Self> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        for e in std::fs::read_dir(out)?.flatten() {
            if e.file_name().to_string_lossy().starts_with(".jixiao-tmp-") && e.path().is_dir() {
                std::fs::remove_dir_all(e.path())?;
            }
        }
        let tmp = out.join(format!(".jixiao-tmp-{}", std::process::id()));
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(DatasetWriter {
            out: out.to_path_buf(),
            tmp,
            years: BTreeMap::new(),
        })
    }

    /// Appends one document's rows to its year's files.
    pub fn write(&mut self, rows: &DocRows) -> Result<()> {
        let year = year_folder(rows.report.fiscal_year);
        if !self.years.contains_key(&year) {
            let dir = self.tmp.join(&year);
            std::fs::create_dir_all(&dir)?;
            let files = YearFiles {
                reports: CsvFile::create(&dir.join(schema::REPORTS.file), &schema::REPORTS)?,
                amounts: CsvFile::create(&dir.join(schema::AMOUNTS.file), &schema::AMOUNTS)?,
                indicators: CsvFile::create(
                    &dir.join(schema::INDICATORS.file),
                    &schema::INDICATORS,
                )?,
                checks: CsvFile::create(&dir.join(schema::CHECKS.file), &schema::CHECKS)?,
                count: 0,
            };
            self.years.insert(year.clone(), files);
        }
        let f = self
            .years
            .get_mut(&year)
            .context("year files were just created")?;
        f.reports.row(&rows.report)?;
        for r in &rows.amounts {
            f.amounts.row(r)?;
        }
        for r in &rows.indicators {
            f.indicators.row(r)?;
        }
        for r in &rows.checks {
            f.checks.row(r)?;
        }
        f.count += 1;
        Ok(())
    }

    /// Drops everything written so far; the previous dataset stays as it was.
    pub fn abandon(self) {
        drop(self.years);
        let _ = std::fs::remove_dir_all(&self.tmp);
    }

    /// Reports written per year folder so far.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.years
            .iter()
            .map(|(y, f)| (y.clone(), f.count))
            .collect()
    }

    /// Moves the new dataset into place: year folders, `errors.csv`, then `manifest.json`.
    /// Year folders of an earlier run that this run did not produce are removed.
    pub fn commit(self, errors: &[ErrorRow], manifest: &serde_json::Value) -> Result<()> {
        let years: Vec<String> = self.years.keys().cloned().collect();
        for (year, files) in self.years {
            files.reports.finish()?;
            files.amounts.finish()?;
            files.indicators.finish()?;
            files.checks.finish()?;
            let dp = serde_json::to_string_pretty(&schema::datapackage(&year))?;
            std::fs::write(self.tmp.join(&year).join("datapackage.json"), dp + "\n")?;
        }
        let mut err = CsvFile::create(&self.tmp.join(schema::ERRORS.file), &schema::ERRORS)?;
        for e in errors {
            err.row(e)?;
        }
        err.finish()?;
        // Any manifest of the previous run is removed first: from here until the new one is
        // written, the folder does not claim to hold a whole dataset.
        let manifest_path = self.out.join("manifest.json");
        if manifest_path.exists() {
            std::fs::remove_file(&manifest_path)?;
        }
        remove_stale_years(&self.out, &years)?;
        for year in &years {
            let dest = self.out.join(year);
            if dest.exists() {
                std::fs::remove_dir_all(&dest)
                    .with_context(|| format!("removing the old {}", dest.display()))?;
            }
            std::fs::rename(self.tmp.join(year), &dest)
                .with_context(|| format!("moving {} into place", dest.display()))?;
        }
        std::fs::rename(
            self.tmp.join(schema::ERRORS.file),
            self.out.join(schema::ERRORS.file),
        )?;
        let tmp_manifest = self.tmp.join("manifest.json");
        std::fs::write(
            &tmp_manifest,
            serde_json::to_string_pretty(manifest)? + "\n",
        )?;
        std::fs::rename(&tmp_manifest, &manifest_path)?;
        std::fs::remove_dir_all(&self.tmp)?;
        Ok(())
    }
}

/// Removes year folders (`2023/`, `unknown-year/`) holding a `reports.csv` that the new run
/// does not write, so the folder never mixes two runs.
fn remove_stale_years(out: &Path, keep: &[String]) -> Result<()> {
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_year =
            name == "unknown-year" || (name.len() == 4 && name.chars().all(|c| c.is_ascii_digit()));
        if is_year && !keep.contains(&name) && entry.path().join("reports.csv").exists() {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}
