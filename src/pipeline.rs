//! discover → load → extract → write. The only module that knows about threads and the clock.
//!
//! Inputs are processed in chunks, in path order: each chunk is read and extracted in
//! parallel, then written in order and dropped, so memory does not grow with the corpus and
//! the output order is deterministic.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use crate::error::{ReadError, Reason};
use crate::extract;
use crate::record::{ErrorRow, Text};
use crate::source::{self, Input};
use crate::write::dataset::{year_folder, DatasetWriter, DocRows};
use crate::write::schema;

/// Files read and extracted in parallel before their rows are written.
const CHUNK: usize = 256;

/// Set by Ctrl-C (SIGINT/SIGTERM): workers stop taking files and the run ends without
/// touching the previous dataset.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The run was interrupted; the previous dataset in DIR is untouched.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted; the previous dataset was left as it was")
    }
}

impl std::error::Error for Interrupted {}

/// Installs the Ctrl-C handler (once per process; the binary calls it).
pub fn stop_on_interrupt() {
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

/// What `extract` was asked to do.
#[derive(Debug, Clone)]
pub struct Config {
    pub paths: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub jobs: Option<usize>,
    pub quiet: bool,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: usize,
    pub failed: usize,
    pub per_year: BTreeMap<String, usize>,
    pub seconds: f64,
    /// Share of reports in which each report field was found.
    pub coverage: BTreeMap<&'static str, f64>,
}

impl Outcome {
    /// The summary printed at the end of a run: one line of counts, one of field coverage
    /// (so a night's health shows at a glance).
    pub fn summary(&self) -> String {
        let years: Vec<String> = self
            .per_year
            .iter()
            .map(|(y, n)| format!("{y}: {n}"))
            .collect();
        let coverage: Vec<String> = self
            .coverage
            .iter()
            .filter(|(f, _)| {
                !matches!(
                    **f,
                    "report_id" | "source_path" | "indicator_count" | "check_count"
                )
            })
            .map(|(f, share)| format!("{f} {:.0}%", share * 100.0))
            .collect();
        format!(
            "jixiao: {} files read, {} failed, reports per year {{{}}}, {:.2} s\njixiao: coverage: {}",
            self.files,
            self.failed,
            years.join(", "),
            self.seconds,
            coverage.join(", ")
        )
    }
}

/// The result of one file.
enum FileResult {
    Ok {
        rows: Box<DocRows>,
        format: &'static str,
        encoding: &'static str,
    },
    Failed(ReadError),
}

fn process(input: &Input) -> FileResult {
    if INTERRUPTED.load(Ordering::SeqCst) {
        // The chunk is abandoned anyway: do no more work.
        return FileResult::Failed(ReadError::new(Reason::Io, "interrupted"));
    }
    let run = || match source::load(input) {
        Ok(loaded) => {
            let rows = extract::extract(&loaded.doc, &loaded.report_id(), &input.source_path);
            FileResult::Ok {
                rows: Box::new(rows),
                format: loaded.format.name(),
                encoding: loaded.encoding,
            }
        }
        Err(e) => FileResult::Failed(e),
    };
    // A bug in a rule must cost one file, not the night's run.
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        FileResult::Failed(ReadError::new(
            Reason::Io,
            "internal error while extracting this file (a jixiao bug; please report it)",
        ))
    })
}

/// Runs the whole extraction.
pub fn run(cfg: &Config) -> Result<Outcome> {
    let started = Instant::now();
    let started_at = unix_seconds();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.unwrap_or(0))
        .build()?;
    crate::extract::keywords::warm_up();
    let (inputs, discover_errors) = source::discover(&cfg.paths);
    let mut writer = DatasetWriter::create(&cfg.out_dir)?;
    let mut errors: Vec<ErrorRow> = discover_errors
        .iter()
        .map(|(p, e)| error_row(p, e))
        .collect();
    let mut files = Vec::with_capacity(inputs.len());
    let mut coverage = Coverage::default();
    for chunk in inputs.chunks(CHUNK) {
        if INTERRUPTED.load(Ordering::SeqCst) {
            writer.abandon();
            return Err(Interrupted.into());
        }
        let results: Vec<FileResult> = pool.install(|| chunk.par_iter().map(process).collect());
        for (input, result) in chunk.iter().zip(results) {
            match result {
                FileResult::Ok {
                    rows,
                    format,
                    encoding,
                } => {
                    coverage.add(&rows);
                    writer.write(&rows)?;
                    files.push(serde_json::json!({
                        "path": input.source_path, "status": "ok", "report_id": rows.report.report_id.as_str(),
                        "format": format, "encoding": encoding,
                        "fiscal_year": year_folder(rows.report.fiscal_year),
                    }));
                }
                FileResult::Failed(e) => {
                    files.push(serde_json::json!({
                        "path": input.source_path, "status": "failed", "reason": e.reason.code(), "message": e.message,
                    }));
                    errors.push(error_row(&input.source_path, &e));
                }
            }
        }
    }
    let per_year = writer.counts();
    let outcome = Outcome {
        files: inputs.len(),
        failed: errors.len(),
        per_year: per_year.clone(),
        seconds: started.elapsed().as_secs_f64(),
        coverage: coverage.shares(),
    };
    let manifest = serde_json::json!({
        "tool": "jixiao",
        "version": env!("CARGO_PKG_VERSION"),
        "started": started_at,
        "finished": unix_seconds(),
        "inputs": cfg.paths.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect::<Vec<_>>(),
        "counts": {
            "files": outcome.files, "read": outcome.files.saturating_sub(outcome.failed - discover_errors.len()),
            "failed": outcome.failed, "reports_per_year": per_year,
        },
        "coverage": outcome.coverage,
        "files": files,
    });
    writer.commit(&errors, &manifest)?;
    Ok(outcome)
}

fn error_row(path: &str, e: &ReadError) -> ErrorRow {
    ErrorRow {
        path: Text::new(path),
        reason: Text::new(e.reason.code()),
        message: Text::new(e.message.clone()),
    }
}

fn unix_seconds() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}")
}

/// How often each report field was found: an analyst's view of a night's health.
#[derive(Default)]
struct Coverage {
    reports: usize,
    found: BTreeMap<&'static str, usize>,
}

impl Coverage {
    fn add(&mut self, rows: &DocRows) {
        self.reports += 1;
        let value = serde_json::to_value(&rows.report).unwrap_or_default();
        for c in schema::REPORTS.columns {
            let filled = value
                .get(c.name)
                .is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
            if filled {
                *self.found.entry(c.name).or_default() += 1;
            }
        }
    }

    fn shares(&self) -> BTreeMap<&'static str, f64> {
        schema::REPORTS
            .columns
            .iter()
            .map(|c| {
                let n = self.found.get(c.name).copied().unwrap_or(0);
                let share = if self.reports == 0 {
                    0.0
                } else {
                    n as f64 / self.reports as f64
                };
                (c.name, (share * 1000.0).round() / 1000.0)
            })
            .collect()
    }
}
