//! Per-year CSV writers (UTF-8 BOM, CRLF, RFC 4180) that stream rows as files finish, in input
//! order, and commit the whole dataset with renames at the end.
//!
//! Workers render each document's rows to CSV bytes ([`Rendered`]); the writer only appends
//! bytes, so rows from the cache or from shard outputs land byte-identical to fresh ones.
//! Everything is written below a staging folder inside DIR; [`DatasetWriter::finish`] ends
//! with `manifest.json`, and [`commit::swap`] puts the whole in place. A run that dies before
//! then leaves the previous dataset as it was.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Context, Result, RunError};
use serde::{Deserialize, Serialize};

use crate::divisions;
use crate::facts::DocRows;
use crate::record::{self, CoverageRow, ErrorRow, Text};
use crate::write::bounds;
use crate::write::commit;
use crate::write::manifest::{FileEntry, Manifest, YearEntry};
use crate::write::schema::{self, TableSchema};
use crate::write::workbook;

/// The folder name of a fiscal year's dataset.
pub fn year_folder(year: Option<i32>) -> String {
    year.map_or_else(|| "unknown-year".to_string(), |y| y.to_string())
}

/// One document's rows as CSV text, ready to append to its year's files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub year: String,
    pub report_id: String,
    pub reports: String,
    pub amounts: String,
    pub indicators: String,
    pub checks: String,
    /// Row counts of amounts, indicators and checks (merge slices shard files by them).
    pub counts: [usize; 3],
    /// The report columns that hold a value, for the coverage summary (derived from the
    /// report row by [`Rendered::derive`], so caches do not store it).
    #[serde(skip)]
    pub filled: Vec<String>,
    /// The report's division code and whether it is a 整体 report, for coverage.csv
    /// (derived like `filled`).
    #[serde(skip)]
    pub division: Option<(String, bool)>,
}

fn csv_text<T: Serialize>(rows: &[T]) -> Result<String> {
    Ok(String::from_utf8(csv_bytes(rows)?)?)
}

fn csv_bytes<T: Serialize>(rows: &[T]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(w.into_inner()?)
}

/// Writes a whole table file: BOM, header row, `rows`.
pub fn write_table<T: Serialize>(path: &Path, schema: &TableSchema, rows: &[T]) -> Result<()> {
    let mut file = CsvFile::create(path, schema)?;
    file.append(&csv_bytes(rows)?)?;
    file.finish()
}

impl Rendered {
    /// Renders one document's rows within the output caps ([`bounds`]): what a cap left out
    /// is said by an `output_cut` check, and the report row counts the rows written.
    pub fn new(rows: &DocRows) -> Result<Self> {
        record::take_cut_cells();
        let amounts = bounds::csv(&rows.amounts)?;
        let indicators = bounds::csv(&rows.indicators)?;
        let mut checks = bounds::csv(&rows.checks)?;
        let mut reports = csv_text(std::slice::from_ref(&rows.report))?;
        let tables = [
            ("amounts.csv", &amounts),
            ("indicators.csv", &indicators),
            ("checks.csv", &checks),
        ];
        if let Some(cut) = bounds::cut_check(&rows.report, tables, record::take_cut_cells()) {
            checks.csv.push_str(&csv_text(&[cut])?);
            checks.rows += 1;
            let mut report = rows.report.clone();
            report.indicator_count = indicators.rows;
            report.check_count = checks.rows;
            reports = csv_text(&[report])?;
        }
        let mut rendered = Rendered {
            year: year_folder(rows.report.fiscal_year),
            report_id: rows.report.report_id.as_str().to_string(),
            reports,
            counts: [amounts.rows, indicators.rows, checks.rows],
            amounts: amounts.csv,
            indicators: indicators.csv,
            checks: checks.csv,
            ..Rendered::default()
        };
        rendered.derive();
        Ok(rendered)
    }

    /// Sets what is derived from the report row (`filled`, `division`), with one parse of
    /// it: after rendering, and after reading a row back from the cache or a shard.
    pub fn derive(&mut self) {
        let fields = fields(&self.reports);
        let at = |name: &str| {
            schema::REPORTS
                .columns
                .iter()
                .position(|c| c.name == name)
                .and_then(|i| fields.get(i))
                .map_or("", |s| s.as_str())
        };
        let code = at("division_code");
        self.division =
            matches!(code.len(), 6 | 9).then(|| (code.to_string(), at("report_kind") == "整体"));
        self.filled = schema::REPORTS
            .columns
            .iter()
            .zip(&fields)
            .filter(|(_, f)| !f.is_empty())
            .map(|(c, _)| c.name.to_string())
            .collect();
    }
}

/// The fields of one rendered reports.csv row, unquoted.
pub fn fields(report_row: &str) -> Vec<String> {
    records(report_row)
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// The records of CSV text written by this crate, each as its unquoted fields: RFC 4180, so a
/// doubled quote inside quotes is one quote and a CRLF inside quotes belongs to its field.
/// Fields without a doubled quote are borrowed from `text`. (Building a csv reader per
/// document cost a third of a cached run.)
pub fn records(text: &str) -> impl Iterator<Item = Vec<Cow<'_, str>>> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        loop {
            let (field, after) = split_field(rest);
            out.push(field);
            let mut tail = after.chars();
            match tail.next() {
                Some(',') => rest = tail.as_str(),
                Some('\r') => {
                    rest = tail.as_str().strip_prefix('\n').unwrap_or(tail.as_str());
                    break;
                }
                Some('\n') => {
                    rest = tail.as_str();
                    break;
                }
                _ => {
                    rest = "";
                    break;
                }
            }
        }
        Some(out)
    })
}

/// The first field of `text` and what follows it (from its separator on).
fn split_field(text: &str) -> (Cow<'_, str>, &str) {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find([',', '\r', '\n']).unwrap_or(text.len());
        let (field, after) = text.split_at_checked(end).unwrap_or((text, ""));
        return (Cow::Borrowed(field), after);
    };
    let mut owned: Option<String> = None;
    let mut rest = quoted;
    loop {
        let Some(q) = rest.find('"') else {
            // An unclosed quote runs to the end.
            return match owned {
                Some(mut o) => {
                    o.push_str(rest);
                    (Cow::Owned(o), "")
                }
                None => (Cow::Borrowed(rest), ""),
            };
        };
        let (piece, after) = rest.split_at_checked(q).unwrap_or((rest, ""));
        let after = after.strip_prefix('"').unwrap_or(after);
        if let Some(next) = after.strip_prefix('"') {
            let o = owned.get_or_insert_with(String::new);
            o.push_str(piece);
            o.push('"');
            rest = next;
            continue;
        }
        return match owned {
            Some(mut o) => {
                o.push_str(piece);
                (Cow::Owned(o), after)
            }
            None => (Cow::Borrowed(piece), after),
        };
    }
}

/// Reads the records of a CSV written by this crate one at a time (each with its CRLF),
/// after the BOM and the header, so a merge holds one record per table, not a whole file.
/// Quotes are RFC 4180, so a CRLF inside quotes stays inside its record.
pub struct RecordReader<R> {
    input: R,
    header_skipped: bool,
}

impl<R: std::io::BufRead> RecordReader<R> {
    pub fn new(input: R) -> Self {
        RecordReader {
            input,
            header_skipped: false,
        }
    }

    /// The next record, or `None` at the end.
    pub fn next_record(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        if !self.header_skipped {
            self.header_skipped = true;
            if self.read_one()?.is_none() {
                return Ok(None);
            }
        }
        self.read_one()
    }

    fn read_one(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut rec = Vec::new();
        let mut quotes = 0usize;
        loop {
            let before = rec.len();
            if self.input.read_until(b'\n', &mut rec)? == 0 {
                return Ok((!rec.is_empty()).then_some(rec));
            }
            // A record ends at a newline outside quotes: an even number of quotes so far.
            quotes += rec
                .get(before..)
                .unwrap_or_default()
                .iter()
                .filter(|&&b| b == b'"')
                .count();
            if quotes % 2 == 0 {
                return Ok(Some(rec));
            }
        }
    }
}

/// One CSV being written: a BOM and a header, then rows appended as bytes.
pub struct CsvFile {
    out: BufWriter<File>,
}

impl CsvFile {
    /// Creates `path` with a BOM and the schema's header row.
    pub fn create(path: &Path, table: &TableSchema) -> Result<Self> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = BufWriter::with_capacity(256 * 1024, file);
        out.write_all(b"\xEF\xBB\xBF")?;
        out.write_all(&csv_bytes(&[table.header()])?)?;
        Ok(CsvFile { out })
    }

    pub fn append(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes)?;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        let file = self.out.into_inner()?;
        file.sync_all()?;
        Ok(())
    }
}

/// The four CSVs of one year, and its reports by place for coverage.csv.
struct YearFiles {
    reports: CsvFile,
    amounts: CsvFile,
    indicators: CsvFile,
    checks: CsvFile,
    /// What the year's rows hash to, so far.
    print: RowsHash,
    count: usize,
    /// County code → township code → 整体 reports (a county-level report counts its county).
    places: BTreeMap<String, BTreeMap<String, usize>>,
}

/// Per year: counties with a report, their townships, and those without a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Townships {
    pub counties: usize,
    pub townships: usize,
    pub missing: usize,
}

/// A hash of a year's rows as they are appended (and of the build): two hashes of the
/// bytes, their tables and lengths. It only has to tell whether a year's rows changed since
/// the last run, and must cost next to nothing beside the appends (SHA-256 of the rows cost
/// a third of an unchanged rerun), so it is FxHash and CRC-32 side by side, 96 bits.
struct RowsHash {
    fx: rustc_hash::FxHasher,
    crc: crc32fast::Hasher,
}

impl RowsHash {
    fn new(year: &str) -> RowsHash {
        use std::hash::Hasher;
        let mut h = RowsHash {
            fx: rustc_hash::FxHasher::default(),
            crc: crc32fast::Hasher::new(),
        };
        for part in [crate::extract::rules_hash().as_str(), year] {
            h.fx.write(part.as_bytes());
            h.fx.write_usize(part.len());
        }
        h
    }

    fn add(&mut self, table: u8, bytes: &[u8]) {
        use std::hash::Hasher;
        self.fx.write_u8(table);
        self.fx.write_usize(bytes.len());
        self.fx.write(bytes);
        self.crc.update(bytes);
    }

    fn finish(self) -> String {
        use std::hash::Hasher;
        format!("{:016x}{:08x}", self.fx.finish(), self.crc.finalize())
    }
}

/// Writes a dataset into DIR through a temporary folder.
pub struct DatasetWriter {
    /// DIR, where the last run's year folders are.
    out: PathBuf,
    /// The last run's years, as its manifest records them.
    previous: BTreeMap<String, YearEntry>,
    tmp: PathBuf,
    years: BTreeMap<String, YearFiles>,
    /// The manifest's per-file entries, spooled to disk so memory does not grow with the
    /// number of inputs.
    files: BufWriter<File>,
    /// Fill a workbook for each year beside its CSVs.
    xlsx: bool,
}

/// A Frictionless descriptor's file name: one in each year folder, one for the run's own
/// tables at the top.
pub const DATAPACKAGE: &str = "datapackage.json";

/// The spool of manifest file entries inside the scratch folder.
const FILES_SPOOL: &str = "manifest-files.jsonl";

impl DatasetWriter {
    /// Starts a dataset in `out`, in a staging folder of its own (DIR's lock is held, and
    /// leftovers of dead runs were removed by [`commit::recover`]).
    pub fn create(out: &Path, xlsx: bool) -> Result<Self> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let tmp = commit::staging(out);
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let files = BufWriter::new(File::create(tmp.join(FILES_SPOOL))?);
        let previous = std::fs::read(out.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .map(|m| m.years)
            .unwrap_or_default();
        Ok(DatasetWriter {
            out: out.to_path_buf(),
            previous,
            tmp,
            years: BTreeMap::new(),
            files,
            xlsx,
        })
    }

    /// Where scratch files of this run (the new cache) may go until commit.
    pub fn scratch(&self) -> &Path {
        &self.tmp
    }

    /// Appends one document's rows to its year's files.
    pub fn write(&mut self, doc: &Rendered) -> Result<()> {
        if !self.years.contains_key(&doc.year) {
            // The year names a folder: it must be one (a cache or a shard manifest is data).
            if !commit::is_year(&doc.year) {
                return Err(RunError::Invalid(format!(
                    "report {} has the year folder {:?}, which is not a year",
                    doc.report_id, doc.year
                )));
            }
            let dir = self.tmp.join(&doc.year);
            std::fs::create_dir_all(&dir)?;
            let files = YearFiles {
                reports: CsvFile::create(&dir.join(schema::REPORTS.file), &schema::REPORTS)?,
                amounts: CsvFile::create(&dir.join(schema::AMOUNTS.file), &schema::AMOUNTS)?,
                indicators: CsvFile::create(
                    &dir.join(schema::INDICATORS.file),
                    &schema::INDICATORS,
                )?,
                checks: CsvFile::create(&dir.join(schema::CHECKS.file), &schema::CHECKS)?,
                print: RowsHash::new(&doc.year),
                count: 0,
                places: BTreeMap::new(),
            };
            self.years.insert(doc.year.clone(), files);
        }
        let f = self
            .years
            .get_mut(&doc.year)
            .context("year files were just created")?;
        let tables = [&doc.reports, &doc.amounts, &doc.indicators, &doc.checks];
        let files = [
            &mut f.reports,
            &mut f.amounts,
            &mut f.indicators,
            &mut f.checks,
        ];
        for (t, (file, rows)) in files.into_iter().zip(tables).enumerate() {
            file.append(rows.as_bytes())?;
            f.print.add(t as u8, rows.as_bytes());
        }
        f.count += 1;
        if let Some((code, whole)) = &doc.division {
            let towns = f
                .places
                .entry(code.get(..6).unwrap_or(code).to_string())
                .or_default();
            if code.len() == 9 && *whole {
                *towns.entry(code.clone()).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Per year: counties covered and their townships without a report, so far.
    pub fn townships(&self) -> BTreeMap<String, Townships> {
        self.years
            .iter()
            .map(|(y, f)| {
                let mut t = Townships {
                    counties: f.places.len(),
                    ..Townships::default()
                };
                for (county, found) in &f.places {
                    for town in divisions::townships_of(county) {
                        t.townships += 1;
                        if !found.contains_key(town.code) {
                            t.missing += 1;
                        }
                    }
                }
                (y.clone(), t)
            })
            .collect()
    }

    /// Records one input's entry for the manifest's `files` list.
    pub fn record_file(&mut self, entry: &FileEntry) -> Result<()> {
        // Through a JSON value, so keys are written in one sorted order.
        serde_json::to_writer(&mut self.files, &serde_json::to_value(entry)?)?;
        self.files.write_all(b"\n")?;
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

    /// Finishes the new dataset in the staging folder: the year folders' files, `errors.csv`
    /// and `manifest.json` (last), whose `years` it fills. Returns the staging folder, ready
    /// for [`commit::swap`].
    ///
    /// A year whose rows hash as the last run's keeps the last run's workbook and
    /// datapackage (hard links into the new folder), when DIR still holds them as written;
    /// the other years' workbooks are written side by side, each on every core.
    pub fn finish(self, errors: &[ErrorRow], manifest: &mut Manifest) -> Result<PathBuf> {
        let mut books = Vec::new();
        for (year, files) in self.years {
            files.reports.finish()?;
            files.amounts.finish()?;
            files.indicators.finish()?;
            files.checks.finish()?;
            let dir = self.tmp.join(&year);
            write_coverage(&dir, &files.places)?;
            let mut entry = YearEntry {
                rows_hash: files.print.finish(),
                ..YearEntry::default()
            };
            let last = self
                .previous
                .get(&year)
                .filter(|p| p.rows_hash == entry.rows_hash);
            let old = self.out.join(&year);
            if last.is_some() && keep(&old.join(DATAPACKAGE), &dir.join(DATAPACKAGE)) {
                entry.reused.push(DATAPACKAGE.to_string());
            } else {
                let dp = serde_json::to_string_pretty(&schema::datapackage(&year))?;
                commit::write_synced(&dir.join(DATAPACKAGE), (dp + "\n").as_bytes())?;
            }
            if self.xlsx {
                let name = workbook::file_name(&year);
                let same = last
                    .and_then(|p| p.workbook)
                    .is_some_and(|w| stamp(&old.join(&name)) == Some(w));
                if same && keep(&old.join(&name), &dir.join(&name)) {
                    entry.workbook = stamp(&dir.join(&name));
                    entry.reused.push(name);
                } else {
                    books.push((dir, year.clone()));
                }
            }
            manifest.years.insert(year, entry);
        }
        use rayon::prelude::*;
        let scratch = &self.tmp;
        let written: Vec<(String, Option<(u64, u128)>)> = books
            .into_par_iter()
            .map(|(dir, year)| {
                workbook::write(&dir, &year, scratch)?;
                let at = stamp(&dir.join(workbook::file_name(&year)));
                Ok((year, at))
            })
            .collect::<Result<_>>()?;
        for (year, at) in written {
            if let Some(e) = manifest.years.get_mut(&year) {
                e.workbook = at;
            }
        }
        let mut err = CsvFile::create(&self.tmp.join(schema::ERRORS.file), &schema::ERRORS)?;
        err.append(&csv_bytes(errors)?)?;
        err.finish()?;
        let run = serde_json::to_string_pretty(&schema::run_datapackage())?;
        commit::write_synced(&self.tmp.join(DATAPACKAGE), (run + "\n").as_bytes())?;
        let spool = self.tmp.join(FILES_SPOOL);
        write_manifest(
            &self.tmp.join("manifest.json"),
            manifest,
            self.files,
            &spool,
        )?;
        std::fs::remove_file(&spool)?;
        Ok(self.tmp)
    }
}

/// A file's size and modification time (nanoseconds since 1970), to know it again: the
/// cache's check for an unchanged input, and the check that a kept workbook is the one a
/// run wrote.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((m.len(), t.as_nanos()))
}

/// Puts the last run's `old` at `new` as it is: a hard link (nothing copied), or a copy
/// where links cannot be made. False when there is nothing to keep.
fn keep(old: &Path, new: &Path) -> bool {
    old.is_file() && (std::fs::hard_link(old, new).is_ok() || std::fs::copy(old, new).is_ok())
}

/// coverage.csv: every township-level unit of each county that has a report, in code order.
fn write_coverage(dir: &Path, places: &BTreeMap<String, BTreeMap<String, usize>>) -> Result<()> {
    let mut rows = Vec::new();
    for (county_code, found) in places {
        let Some(county) = divisions::county(county_code) else {
            continue;
        };
        let (province, prefecture) = divisions::parents(county);
        for town in divisions::townships_of(county_code) {
            rows.push(CoverageRow {
                division_code: Text::new(town.code),
                province: Text::new(province.unwrap_or_default()),
                prefecture: Text::new(prefecture.unwrap_or_default()),
                county: Text::new(county.name),
                township: Text::new(town.name),
                reports: found.get(town.code).copied().unwrap_or(0),
            });
        }
    }
    write_table(&dir.join(schema::COVERAGE.file), &schema::COVERAGE, &rows)
}

/// Writes `manifest` with a `files` array streamed from the spool, one entry at a time.
fn write_manifest(
    path: &Path,
    manifest: &Manifest,
    spool: BufWriter<File>,
    spool_path: &Path,
) -> Result<()> {
    spool.into_inner()?.sync_all()?;
    let head = serde_json::to_string_pretty(&serde_json::to_value(manifest)?)?;
    let head = head
        .trim_end()
        .strip_suffix('}')
        .context("a manifest is a JSON object")?
        .trim_end();
    let mut out = BufWriter::new(File::create(path)?);
    let sep = if head.ends_with('{') { "" } else { "," };
    write!(out, "{head}{sep}\n  \"files\": [")?;
    let reader = std::io::BufReader::new(File::open(spool_path)?);
    let mut first = true;
    for line in std::io::BufRead::lines(reader) {
        let line = line?;
        write!(out, "{}\n    {line}", if first { "" } else { "," })?;
        first = false;
    }
    writeln!(out, "{}]\n}}", if first { "" } else { "\n  " })?;
    out.into_inner()?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_columns_follow_rfc4180_quoting() {
        // report_id, source_path (quoted, with a comma), report_kind, unit_name and
        // project_name, province and prefecture empty, county "" quoted.
        let mut r = Rendered {
            reports: "abc,\"a,b.txt\",,,,,,\"\",北山镇\r\n".into(),
            ..Rendered::default()
        };
        r.derive();
        assert_eq!(r.filled, vec!["report_id", "source_path", "township"]);
        assert_eq!(r.division, None);
        assert_eq!(fields("a,\"x,\"\"y\"\"\",\r\n"), vec!["a", "x,\"y\"", ""]);
        let all: Vec<Vec<Cow<str>>> = records("a,\"x\r\ny\"\r\n,b\r\n\"\"\"\"\r\n").collect();
        assert_eq!(all, vec![vec!["a", "x\r\ny"], vec!["", "b"], vec!["\""]]);
        assert_eq!(fields("\"open"), vec!["open"]);
        assert_eq!(records("").count(), 0);
    }

    #[test]
    fn records_split_on_crlf_outside_quotes() {
        let bytes = "\u{feff}h1,h2\r\na,\"x\r\ny\"\r\nb,c\r\n".as_bytes();
        let mut r = RecordReader::new(bytes);
        let mut recs = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            recs.push(rec);
        }
        assert_eq!(
            recs,
            vec![
                "a,\"x\r\ny\"\r\n".as_bytes().to_vec(),
                "b,c\r\n".as_bytes().to_vec()
            ]
        );
        let mut empty = RecordReader::new("\u{feff}h1,h2\r\n".as_bytes());
        assert_eq!(empty.next_record().unwrap(), None);
    }
}
