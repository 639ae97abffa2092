//! `jixiao merge`: shard outputs (`extract --shard K/N`) → one dataset, byte-identical to a
//! single run over all inputs.
//!
//! Every shard's manifest lists its inputs with their index in the full input list and the
//! number of rows each contributed; merge walks the inputs in index order and copies each
//! one's rows, as bytes, from its shard's files, reading them a record at a time (memory
//! does not grow with the number of reports). Shards written by another build (tool
//! version, or the fingerprint of the sources and rules it was built from) are refused:
//! their rows would not be those of one run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Context, Result, RunError};

use crate::pipeline::{coverage_shares, error_row, unix_seconds, Outcome};
use crate::record::ErrorRow;
use crate::write::dataset::{DatasetWriter, RecordReader, Rendered};
use crate::write::manifest::{Counts, FileEntry, Manifest};
use crate::write::schema;

/// One shard's CSV files, read a record at a time, keyed by (year folder, table index).
struct Shard {
    manifest: Manifest,
    records: HashMap<(String, usize), RecordReader<std::io::BufReader<std::fs::File>>>,
}

impl Shard {
    fn open(dir: &Path) -> Result<Shard> {
        let path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "{} has no manifest.json: not a finished shard",
                dir.display()
            )
        })?;
        let manifest: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a jixiao manifest", path.display()))?;
        let mut records = HashMap::new();
        for e in std::fs::read_dir(dir)?.flatten() {
            let year = e.file_name().to_string_lossy().into_owned();
            if !e.path().join("reports.csv").exists() {
                continue;
            }
            for (t, table) in schema::YEAR_TABLES.iter().enumerate() {
                let file = std::fs::File::open(e.path().join(table.file))
                    .with_context(|| format!("reading {}/{}", year, table.file))?;
                records.insert(
                    (year.clone(), t),
                    RecordReader::new(std::io::BufReader::new(file)),
                );
            }
        }
        Ok(Shard { manifest, records })
    }

    /// The next `n` records of `table` in `year`.
    fn take(&mut self, year: &str, table: usize, n: usize) -> Result<String> {
        let file = || schema::YEAR_TABLES.get(table).map_or("", |t| t.file);
        let r = self
            .records
            .get_mut(&(year.to_string(), table))
            .with_context(|| format!("a shard lacks {year}/{}", file()))?;
        let mut out = Vec::new();
        for _ in 0..n {
            let rec = r
                .next_record()
                .with_context(|| format!("reading {year}/{}", file()))?
                .context("a shard has fewer rows than its manifest says")?;
            out.extend(rec);
        }
        Ok(String::from_utf8(out)?)
    }
}

/// Merges `shards` into `out`.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<Outcome> {
    let started = Instant::now();
    let started_at = unix_seconds();
    let mut opened = Vec::new();
    for dir in shards {
        opened.push(Shard::open(dir).with_context(|| format!("shard {}", dir.display()))?);
    }
    let ours = env!("CARGO_PKG_VERSION");
    let build = crate::extract::rules_hash();
    for (dir, s) in shards.iter().zip(&opened) {
        let (v, b) = (&s.manifest.version, &s.manifest.build);
        if v != ours || *b != build {
            return Err(RunError::Invalid(format!(
                "shard {} was written by another build of jixiao ({v}, {b}; this is {ours}, {build}): re-run every shard with one build",
                dir.display()
            )));
        }
    }
    // Every input of every shard, in the order of the full input list.
    let mut inputs: Vec<(u64, usize, FileEntry)> = Vec::new();
    for (si, s) in opened.iter_mut().enumerate() {
        for f in std::mem::take(&mut s.manifest.files) {
            inputs.push((f.index(), si, f));
        }
    }
    inputs.sort_by_key(|(i, _, _)| *i);
    let mut seen_paths = HashSet::new();
    let mut errors: Vec<ErrorRow> = Vec::new();
    for s in &opened {
        for e in &s.manifest.discovery_errors {
            if seen_paths.insert(e.path.clone()) {
                errors.push(error_row(&e.path, &e.reason, &e.message));
            }
        }
    }
    let mut writer = DatasetWriter::create(out, true)?;
    let mut coverage: BTreeMap<String, usize> = BTreeMap::new();
    let mut reports = 0usize;
    for (_, si, f) in &inputs {
        let s = opened.get_mut(*si).context("shard index")?;
        match f {
            FileEntry::Ok { reports: parts, .. } => {
                for part in parts {
                    let (year, [a, i, c]) = (&part.fiscal_year, part.rows);
                    let mut rendered = Rendered {
                        year: year.clone(),
                        report_id: part.report_id.clone(),
                        reports: s.take(year, 0, 1)?,
                        amounts: s.take(year, 1, a)?,
                        indicators: s.take(year, 2, i)?,
                        checks: s.take(year, 3, c)?,
                        counts: [a, i, c],
                        ..Rendered::default()
                    };
                    rendered.derive();
                    for col in &rendered.filled {
                        *coverage.entry(col.clone()).or_default() += 1;
                    }
                    reports += 1;
                    writer.write(&rendered)?;
                }
            }
            FileEntry::Failed {
                path,
                reason,
                message,
                ..
            } => errors.push(error_row(path, reason, message)),
        }
        writer.record_file(f)?;
    }
    let per_year = writer.counts();
    let coverage = coverage_shares(coverage, reports);
    let first = opened
        .first()
        .map(|s| s.manifest.clone())
        .unwrap_or_default();
    let outcome = Outcome {
        files: inputs.len(),
        failed: errors.len(),
        per_year: per_year.clone(),
        seconds: started.elapsed().as_secs_f64(),
        coverage: coverage.clone(),
        reused: 0,
        townships: writer.townships(),
    };
    let manifest = Manifest {
        tool: "jixiao".into(),
        version: ours.into(),
        build,
        started: started_at,
        finished: unix_seconds(),
        inputs: first.inputs,
        shard: None,
        merged_from: shards
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect(),
        inputs_discovered: first.inputs_discovered,
        counts: Counts {
            files: outcome.files,
            read: outcome.files - outcome.failed,
            failed: outcome.failed,
            reports_per_year: per_year,
            from_cache: None,
            extracted: None,
        },
        cache: None,
        coverage,
        townships: outcome.townships.clone(),
        discovery_errors: first.discovery_errors,
        files: Vec::new(),
    };
    writer.commit(&errors, &[], &manifest)?;
    Ok(outcome)
}
