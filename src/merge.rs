//! `jixiao merge`: shard outputs (`extract --shard K/N`) → one dataset, byte-identical to a
//! single run over all inputs.
//!
//! Every shard's manifest lists its inputs with their index in the full input list and the
//! number of rows each contributed; merge walks the inputs in index order and copies each
//! one's rows, as bytes, from its shard's files, reading them a record at a time. A shard's
//! list of files is spooled to a temporary file as its manifest is parsed, and the shards'
//! lists are merged one entry per shard at a time, so memory grows neither with the number
//! of reports nor with the number of files. Shards written by another build (tool version,
//! or the fingerprint of the sources and rules it was built from) are refused: their rows
//! would not be those of one run.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::de::{Error as _, SeqAccess, Visitor};
use serde::Deserialize;

use crate::error::{Context, Result, RunError};

use crate::pipeline::{error_row, finish, skipped_row, Ending, Outcome};
use crate::record::ErrorRow;
use crate::write::commit;
use crate::write::dataset::{DatasetWriter, RecordReader, Rendered};
use crate::write::lock::DirLock;
use crate::write::manifest::{unix_seconds, DiscoveryError, FileEntry};
use crate::write::schema;

/// What merge reads of a shard's `manifest.json` (the other fields are the shard's own).
#[derive(Deserialize)]
struct ShardManifest {
    version: String,
    build: String,
    /// `K/N`; none for a run that was not a shard.
    #[serde(default)]
    shard: Option<String>,
    inputs: Vec<String>,
    inputs_discovered: usize,
    discovery_errors: Vec<DiscoveryError>,
    #[serde(default)]
    files: Spool,
}

/// A manifest's `files` list, written to an anonymous temporary file one JSON line per
/// entry while the manifest is parsed, and read back an entry at a time.
#[derive(Default)]
struct Spool {
    lines: Option<BufReader<std::fs::File>>,
    /// The index of the entry read last: a shard lists its files in input order.
    last: Option<u64>,
}

impl<'de> Deserialize<'de> for Spool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Spool, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Spool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of file entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Spool, A::Error> {
                let spool = || -> std::io::Result<BufWriter<std::fs::File>> {
                    Ok(BufWriter::new(tempfile::tempfile()?))
                };
                let mut out = spool().map_err(A::Error::custom)?;
                while let Some(entry) = seq.next_element::<FileEntry>()? {
                    serde_json::to_writer(&mut out, &entry).map_err(A::Error::custom)?;
                    out.write_all(b"\n").map_err(A::Error::custom)?;
                }
                let mut file = out.into_inner().map_err(A::Error::custom)?;
                file.rewind().map_err(A::Error::custom)?;
                Ok(Spool {
                    lines: Some(BufReader::new(file)),
                    last: None,
                })
            }
        }
        d.deserialize_seq(Entries)
    }
}

impl Spool {
    /// The next entry, or `None` after the last.
    fn next(&mut self) -> Result<Option<FileEntry>> {
        let Some(lines) = self.lines.as_mut() else {
            return Ok(None);
        };
        let mut line = String::new();
        if lines.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let entry: FileEntry = serde_json::from_str(&line)?;
        if self.last.is_some_and(|last| entry.index() <= last) {
            return Err(RunError::Invalid(
                "a shard's manifest does not list its files in input order".into(),
            ));
        }
        self.last = Some(entry.index());
        Ok(Some(entry))
    }
}

/// One shard's CSV files, read a record at a time, keyed by (year folder, table index).
struct Shard {
    manifest: ShardManifest,
    records: HashMap<(String, usize), RecordReader<std::io::BufReader<std::fs::File>>>,
}

impl Shard {
    fn open(dir: &Path) -> Result<Shard> {
        let path = dir.join("manifest.json");
        let file = std::fs::File::open(&path).with_context(|| {
            format!(
                "{} has no manifest.json: not a finished shard",
                dir.display()
            )
        })?;
        let manifest: ShardManifest = serde_json::from_reader(BufReader::new(file))
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

/// Checks that the shards' `K/N` make one whole set: one N, each K once, every K from 0 to
/// N-1 present (unless `partial`). Each shard is named by its folder in the error.
fn check_set(shards: &[(&Path, Option<&str>)], partial: bool) -> Result<()> {
    let mut by_k: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut ns: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (dir, shard) in shards {
        let name = dir.display().to_string();
        let (k, n) = shard
            .and_then(|s| s.split_once('/'))
            .and_then(|(k, n)| Some((k.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
            .filter(|(k, n)| k < n)
            .with_context(|| format!("{name} is not the output of extract --shard K/N"))?;
        by_k.entry(k).or_default().push(format!("{name} ({k}/{n})"));
        ns.entry(n).or_default().push(format!("{name} ({k}/{n})"));
    }
    if ns.len() > 1 {
        let all: Vec<String> = ns.into_values().flatten().collect();
        return Err(RunError::Invalid(format!(
            "the shards were cut into different numbers of parts: {}",
            all.join(", ")
        )));
    }
    if let Some(twice) = by_k.values().find(|v| v.len() > 1) {
        return Err(RunError::Invalid(format!(
            "one shard given twice: {}",
            twice.join(", ")
        )));
    }
    let n = ns.keys().next().copied().unwrap_or(0);
    let missing: Vec<String> = (0..n)
        .filter(|k| !by_k.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() && !partial {
        let given: Vec<String> = by_k.into_values().flatten().collect();
        return Err(RunError::Invalid(format!(
            "shards missing: {} (given: {}; --partial merges an incomplete set on purpose)",
            missing.join(", "),
            given.join(", ")
        )));
    }
    Ok(())
}

/// Merges `shards` into `out`; `partial` accepts a set with shards missing.
pub fn merge(shards: &[PathBuf], out: &Path, partial: bool) -> Result<Outcome> {
    let started = Instant::now();
    let started_at = unix_seconds();
    let mut opened = Vec::new();
    for dir in shards {
        if let Some(note) = commit::settle(dir, &started_at)? {
            eprintln!("jixiao: warning: {note}");
        }
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
    let set: Vec<(&Path, Option<&str>)> = shards
        .iter()
        .zip(&opened)
        .map(|(d, s)| (d.as_path(), s.manifest.shard.as_deref()))
        .collect();
    check_set(&set, partial)?;
    // Every input of every shard, in the order of the full input list: each shard's next
    // entry waits in `heads`, the smallest index first out of `next`.
    let mut heads: Vec<Option<FileEntry>> = Vec::with_capacity(opened.len());
    let mut next = BinaryHeap::new();
    for (si, s) in opened.iter_mut().enumerate() {
        let head = s.manifest.files.next()?;
        if let Some(f) = &head {
            next.push(Reverse((f.index(), si)));
        }
        heads.push(head);
    }
    let mut seen_paths = HashSet::new();
    let mut errors: Vec<ErrorRow> = Vec::new();
    for s in &opened {
        for e in &s.manifest.discovery_errors {
            if seen_paths.insert(e.path.clone()) {
                errors.push(error_row(&e.path, &e.reason, &e.message));
            }
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let (_lock, lock_note) = DirLock::acquire(out, &started_at)?;
    if let Some(note) = lock_note {
        eprintln!("jixiao: warning: {note}");
    }
    commit::recover(out)?;
    commit::survey(out)?;
    let _staging = commit::StagingGuard::new(out);
    let mut skipped = Vec::new();
    let mut writer = DatasetWriter::create(out, true)?;
    let mut coverage: BTreeMap<String, usize> = BTreeMap::new();
    let (mut reports, mut files, mut failed_inputs) = (0usize, 0usize, 0usize);
    let mut last_index = None;
    while let Some(Reverse((index, si))) = next.pop() {
        // One input in two shards would give its reports twice.
        if last_index == Some(index) {
            return Err(RunError::Invalid(format!(
                "input {index} of the full list is in two shards: re-run the shards with one input list"
            )));
        }
        last_index = Some(index);
        let s = opened.get_mut(si).context("shard index")?;
        let head = heads.get_mut(si).context("shard index")?;
        let Some(f) = std::mem::replace(head, s.manifest.files.next()?) else {
            continue;
        };
        if let Some(h) = head {
            next.push(Reverse((h.index(), si)));
        }
        files += 1;
        match &f {
            FileEntry::Ok { reports: parts, .. } => {
                for part in parts {
                    let (year, [a, i, c]) = (&part.fiscal_year, part.rows.as_array());
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
            } => {
                failed_inputs += 1;
                errors.push(error_row(path, reason, message));
            }
            FileEntry::Skipped {
                path,
                reason,
                title,
                evidence,
                ..
            } => skipped.push(skipped_row(path, reason, title, evidence)),
        }
        writer.record_file(&f)?;
    }
    let (inputs, inputs_discovered, discovery_errors) = match opened.into_iter().next() {
        Some(s) => (
            s.manifest.inputs,
            s.manifest.inputs_discovered,
            s.manifest.discovery_errors,
        ),
        None => Default::default(),
    };
    let (outcome, _, staging) = finish(
        writer,
        Ending {
            started,
            started_at,
            files,
            failed_inputs,
            errors: &errors,
            skipped: &skipped,
            coverage,
            reports,
            inputs,
            shard: None,
            merged_from: shards
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            inputs_discovered,
            discovery_errors,
            cache: None,
        },
    )?;
    commit::swap(out, &staging, &commit::survey(out)?)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(indices: &[u64]) -> String {
        let files: Vec<FileEntry> = indices
            .iter()
            .map(|&index| FileEntry::Failed {
                index,
                path: format!("f{index}.doc"),
                reason: "legacy_doc".into(),
                message: "Word 6".into(),
            })
            .collect();
        serde_json::json!({
            "version": "0", "build": "b", "inputs": ["in"], "inputs_discovered": 3,
            "discovery_errors": [], "counts": {"files": 3}, "files": files,
        })
        .to_string()
    }

    #[test]
    fn a_manifests_files_come_back_one_at_a_time_in_order() {
        let mut m: ShardManifest = serde_json::from_str(&manifest(&[2, 5, 9])).unwrap();
        let mut got = Vec::new();
        while let Some(f) = m.files.next().unwrap() {
            got.push(f.index());
        }
        assert_eq!(got, [2, 5, 9]);
        assert_eq!((m.inputs_discovered, m.build.as_str()), (3, "b"));
    }

    #[test]
    fn a_shard_set_is_one_n_each_k_once_and_whole() {
        let p = |s: &'static str| Path::new(s);
        let err = |set: &[(&Path, Option<&str>)], partial| {
            check_set(set, partial).err().map(|e| e.to_string())
        };
        let whole = [(p("a"), Some("0/2")), (p("b"), Some("1/2"))];
        assert_eq!(err(&whole, false), None);
        let e = err(&[(p("a"), Some("0/2")), (p("b"), Some("1/3"))], false).unwrap();
        assert!(
            e.contains("different numbers") && e.contains("b (1/3)"),
            "{e}"
        );
        let e = err(&[(p("a"), Some("0/2")), (p("b"), Some("0/2"))], true).unwrap();
        assert!(
            e.contains("twice") && e.contains("a (0/2)") && e.contains("b (0/2)"),
            "{e}"
        );
        let e = err(&[(p("a"), Some("0/3"))], false).unwrap();
        assert!(e.contains("1/3, 2/3"), "{e}");
        assert_eq!(err(&[(p("a"), Some("0/3"))], true), None);
        assert!(err(&[(p("a"), None)], true)
            .unwrap()
            .contains("not the output"));
    }

    #[test]
    fn files_out_of_input_order_are_refused() {
        let mut m: ShardManifest = serde_json::from_str(&manifest(&[5, 2])).unwrap();
        assert!(m.files.next().unwrap().is_some());
        let err = m.files.next().unwrap_err().to_string();
        assert!(err.contains("input order"), "{err}");
    }
}
