//! discover → (cache) → load → extract → write. The only module that knows about threads,
//! the clock and signals.
//!
//! Inputs are processed in path order: the workers take the next file as they finish one,
//! and the main thread writes each result as soon as every file before it is written, so
//! writing runs beside extraction to the last file and the output order is deterministic.
//! The workers may run at most [`AHEAD`] files past the writer, so memory does not grow with
//! the corpus. `--shard K/N` keeps the inputs whose path hashes to K;
//! every input keeps its index in the full list, which is how `merge` restores the order.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use crate::error::{Context, Result, RunError};
use sha2::{Digest, Sha256};

use crate::admission::{self, Admission, Permit};
use crate::cache::{self, Cache, CacheWriter, Meta, Outcome as CachedOutcome, Slot};
use crate::error::{ReadError, Reason};
use crate::job::{self, Found};
use crate::limits::Limits;
use crate::record::{ErrorRow, SkippedRow, Text};
use crate::source::{self, Input};
use crate::write::commit;
use crate::write::dataset::{DatasetWriter, Rendered, Townships};
use crate::write::lock::DirLock;
use crate::write::manifest::{
    iso8601, unix_seconds, CacheUse, Counts, DiscoveryError, FileEntry, Manifest, ReportEntry,
};
use crate::write::{report, schema};

/// How many files the workers may start past the last one written: their results wait in
/// memory, in input order, for the files before them (a slow file holds back at most this many).
const AHEAD: usize = 256;

/// The signal that stopped the run (SIGINT, SIGTERM or SIGHUP), 0 while none has: workers
/// stop taking files, PDF engines are ended, and the run ends without touching the previous
/// dataset.
static STOPPED_BY: AtomicI32 = AtomicI32::new(0);

fn stopped() -> bool {
    STOPPED_BY.load(Ordering::SeqCst) != 0
}

fn stop(signal: i32) {
    STOPPED_BY.store(signal, Ordering::SeqCst);
    crate::read::pdf::stop_engines();
}

/// Handles SIGINT, SIGTERM and SIGHUP (Ctrl-C, Slurm and Kubernetes stopping a job, a closed
/// terminal) alike: call once, before any other thread starts (the binary does). The signals
/// are blocked in every thread and taken by one thread of their own, which records the
/// first and stops the PDF engines.
#[cfg(unix)]
pub fn stop_on_signals() {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        set.add(s);
    }
    if set.thread_block().is_err() {
        return;
    }
    std::thread::spawn(move || {
        while let Ok(signal) = set.wait() {
            if stopped() {
                // Asked twice: leave now. The previous dataset is whole either way (a swap
                // under way is finished by the next run from its journal).
                std::process::exit(128 + signal as i32);
            }
            stop(signal as i32);
        }
    });
}

/// Handles Ctrl-C (the only stop signal this platform has).
#[cfg(not(unix))]
pub fn stop_on_signals() {
    let _ = ctrlc::set_handler(|| stop(2));
}

/// What `extract` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub paths: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub jobs: Option<usize>,
    pub quiet: bool,
    /// `(K, N)`: only inputs whose normalised path hashes to K of N.
    pub shard: Option<(u64, u64)>,
    /// Read everything again instead of reusing the cache in the output folder.
    pub no_cache: bool,
    /// Write each year's workbook beside its CSVs (`--no-xlsx` turns it off).
    pub xlsx: bool,
    /// Inputs listed by `--files-from`: a missing one is a failed input, while a missing
    /// PATH stops the run.
    pub listed: Vec<PathBuf>,
    /// Replace the dataset even when this run has fewer than half the last run's reports.
    pub allow_shrink: bool,
    /// Extract every document, self-evaluation or not (`--keep-all`): the gate is not asked,
    /// and the cache is neither read nor replaced (its outcomes are the gate's).
    pub keep_all: bool,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: usize,
    pub failed: usize,
    /// Inputs read but not self-evaluations (`skipped.csv`).
    pub skipped: usize,
    pub per_year: BTreeMap<String, usize>,
    pub seconds: f64,
    /// Share of reports in which each report field was found.
    pub coverage: BTreeMap<String, f64>,
    /// Inputs whose rows came from the cache, not read again.
    pub reused: usize,
    /// Per year: counties with a report, and how many of their townships have none.
    pub townships: BTreeMap<String, Townships>,
}

/// The stable shard of a path: the first 8 bytes of its SHA-256, modulo N. Paths are
/// normalised (`\` → `/`, no leading `./`) so every machine agrees.
pub fn shard_of(source_path: &str, n: u64) -> u64 {
    let norm = source_path.replace('\\', "/");
    let norm = norm.trim_start_matches("./");
    let digest = Sha256::digest(norm.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    u64::from_be_bytes(first) % n.max(1)
}

/// One input's result and whether it came from the cache.
struct Done {
    meta: Meta,
    outcome: CachedOutcome,
    /// The outcome's JSON when it came from the cache (written back as it was).
    cached_json: Option<Vec<u8>>,
    /// The old cache line it was found at without reading the file (size and time matched).
    same_line: Option<usize>,
}

impl Done {
    /// A freshly read file's outcome (nothing from the cache).
    fn fresh(meta: Meta, outcome: CachedOutcome) -> Done {
        Done {
            meta,
            outcome,
            cached_json: None,
            same_line: None,
        }
    }

    /// A file that could not be read; its meta has no content hash.
    fn failed(input: &Input, stamp: (u64, u128), e: &ReadError) -> Done {
        Done::fresh(meta(input, stamp, String::new()), failed(e))
    }
}

fn meta(input: &Input, stamp: (u64, u128), sha256: String) -> Meta {
    Meta {
        path: crate::discover::cache_key(input),
        size: stamp.0,
        mtime_ns: stamp.1,
        sha256,
    }
}

/// Reads, gates, extracts, checks and renders one file's bytes, once its whole weight is
/// admitted (`permit`, taken for its size on disk, grows to what its zip inflates to; see
/// [`Admission`]), within the document's time budget.
fn fresh(
    input: &Input,
    bytes: &[u8],
    sha256: [u8; 32],
    keep_all: bool,
    permit: Permit<'_>,
) -> CachedOutcome {
    let limits = Limits::DEFAULT;
    let _permit = permit.grow(admission::weight(bytes, limits.part_bytes));
    let deadline = Instant::now() + std::time::Duration::from_secs(limits.doc_seconds);
    every_stage(input, bytes, sha256, keep_all, &limits, deadline).unwrap_or_else(|e| failed(&e))
}

fn every_stage(
    input: &Input,
    bytes: &[u8],
    sha256: [u8; 32],
    keep_all: bool,
    limits: &Limits,
    deadline: Instant,
) -> Result<CachedOutcome, ReadError> {
    let mode = job::Mode {
        gate: !keep_all,
        deadline: Some(deadline),
    };
    let loaded = source::load_digested(bytes, sha256, &input.source_path, limits)?;
    let found = job::run(&loaded, &input.source_path, mode)?;
    let (format, encoding) = (
        loaded.format.name().to_string(),
        loaded.encoding.to_string(),
    );
    match found {
        Found::Skipped(s) => Ok(CachedOutcome::Skipped {
            reason: s.reason.code().to_string(),
            title: s.title,
            evidence: s.evidence,
            format,
            encoding,
        }),
        Found::Reports(reports) => {
            let rendered = reports
                .iter()
                .map(|r| {
                    let rendered = Rendered::new(&r.rows).map_err(|e| {
                        ReadError::new(Reason::Io, format!("cannot render rows: {e}"))
                    })?;
                    job::in_time(mode.deadline, "rendering")?;
                    Ok(rendered)
                })
                .collect::<Result<Vec<_>, ReadError>>()?;
            Ok(CachedOutcome::Read {
                rendered,
                format,
                encoding,
            })
        }
    }
}

fn failed(e: &ReadError) -> CachedOutcome {
    CachedOutcome::Failed {
        reason: e.reason.code().to_string(),
        message: e.message.clone(),
    }
}

fn from_cache(cache: &Cache, slot: &Slot, meta: Meta) -> Option<Done> {
    let (json, outcome) = cache.outcome(slot)?;
    Some(Done {
        meta,
        outcome,
        cached_json: Some(json),
        same_line: None,
    })
}

fn process(input: &Input, cache: &Cache, keep_all: bool, admission: &Admission) -> Done {
    let stamp = cache::stamp(&input.path);
    if stopped() {
        // The run is abandoned anyway: do no more work.
        let e = ReadError::new(Reason::Io, "interrupted");
        return Done::failed(input, (0, 0), &e);
    }
    let key = crate::discover::cache_key(input);
    if let Some(slot) = cache.unchanged(&key, stamp, None) {
        if let Some(done) = from_cache(cache, slot, slot.meta.clone()) {
            return Done {
                same_line: Some(slot.line),
                ..done
            };
        }
    }
    let stamp = stamp.unwrap_or((0, 0));
    let run = || match (
        // The file's size is its first claim on the budget, taken before it is read.
        admission.admit(stamp.0),
        source::read_bounded(&input.path, &Limits::DEFAULT),
    ) {
        (permit, Ok(bytes)) => {
            let digest = source::digest(&bytes);
            let sha = source::hex(&digest);
            if let Some(done) = cache
                .unchanged(&key, None, Some(&sha))
                .and_then(|slot| from_cache(cache, slot, meta(input, stamp, sha.clone())))
            {
                return done;
            }
            Done::fresh(
                meta(input, stamp, sha),
                fresh(input, &bytes, digest, keep_all, permit),
            )
        }
        (_, Err(e)) => Done::failed(input, stamp, &e),
    };
    // A bug in a rule must cost one file, not the night's run.
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        let e = ReadError::new(
            Reason::Io,
            "internal error while extracting this file (a jixiao bug; please report it)",
        );
        Done::failed(input, stamp, &e)
    })
}

/// The slowest files of the run, for report.html (a few entries behind a lock the workers
/// take once a file).
#[derive(Default)]
struct Slowest(std::sync::Mutex<Vec<(String, f64)>>);

impl Slowest {
    fn note(&self, path: &str, seconds: f64) {
        let Ok(mut v) = self.0.lock() else { return };
        if v.len() < report::SLOWEST || v.last().is_some_and(|l| l.1 < seconds) {
            let at = v.partition_point(|e| e.1 >= seconds);
            v.insert(at, (path.to_string(), seconds));
            v.truncate(report::SLOWEST);
        }
    }

    fn take(&self) -> Vec<(String, f64)> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// Hands the files to the workers in input order, at most [`AHEAD`] past the last one written.
struct Window {
    state: Mutex<Claims>,
    moved: Condvar,
    files: usize,
}

struct Claims {
    /// The next file to hand out.
    next: usize,
    /// Every file before this one is written.
    written: usize,
    stopped: bool,
}

impl Window {
    fn new(files: usize) -> Self {
        Window {
            state: Mutex::new(Claims {
                next: 0,
                written: 0,
                stopped: false,
            }),
            moved: Condvar::new(),
            files,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Claims> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next file to process, once it is within [`AHEAD`] of the files written; none when
    /// every file is handed out or the run stops.
    fn claim(&self) -> Option<usize> {
        let mut c = self.lock();
        while !c.stopped && c.next < self.files && c.next >= c.written + AHEAD {
            c = self.moved.wait(c).unwrap_or_else(|e| e.into_inner());
        }
        if c.stopped || c.next >= self.files {
            return None;
        }
        c.next += 1;
        Some(c.next - 1)
    }

    /// Every file before `written` is written.
    fn advance(&self, written: usize) {
        self.lock().written = written;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.moved.notify_all();
    }
}

/// Everything the main thread writes, in input order: the dataset, the new cache, the
/// errors and the coverage counts.
struct Sink<'c> {
    writer: DatasetWriter,
    new_cache: CacheWriter,
    cache: &'c Cache,
    errors: Vec<ErrorRow>,
    skipped: Vec<SkippedRow>,
    coverage: BTreeMap<String, usize>,
    reports: usize,
    reused: usize,
    /// Old cache lines met in order and unchanged so far, and whether that run has broken.
    cache_kept: usize,
    cache_diverged: bool,
}

impl Sink<'_> {
    /// Writes one processed file (`index` in the full input list).
    fn take(&mut self, index: usize, input: &Input, done: Done) -> Result<()> {
        self.reused += usize::from(done.cached_json.is_some());
        // While inputs meet the old cache's lines in order, unchanged, nothing is written:
        // a night where nothing changed keeps the old cache file as it is.
        if !self.cache_diverged && done.same_line == Some(self.cache_kept) {
            self.cache_kept += 1;
        } else {
            if !self.cache_diverged {
                self.cache
                    .copy_lines(self.cache_kept, &mut self.new_cache)?;
                self.cache_diverged = true;
            }
            // A failure of the moment (no PDF engine, a permission, a busy machine) is not
            // kept: the next run tries the file again.
            match &done.cached_json {
                Some(json) => self.new_cache.add_json(&done.meta, json)?,
                None if done.outcome.is_sound() => self.new_cache.add(&done.meta, &done.outcome)?,
                None => {}
            }
        }
        match &done.outcome {
            CachedOutcome::Read {
                rendered,
                format,
                encoding,
            } => {
                let mut reports = Vec::with_capacity(rendered.len());
                for r in rendered {
                    self.reports += 1;
                    for f in &r.filled {
                        *self.coverage.entry(f.clone()).or_default() += 1;
                    }
                    self.writer.write(r)?;
                    reports.push(ReportEntry {
                        report_id: r.report_id.clone(),
                        fiscal_year: r.year.clone(),
                        rows: r.counts.into(),
                    });
                }
                self.writer.record_file(&FileEntry::Ok {
                    index: index as u64,
                    path: input.source_path.clone(),
                    format: format.clone(),
                    encoding: encoding.clone(),
                    reports,
                })?;
            }
            CachedOutcome::Failed { reason, message } => {
                self.writer.record_file(&FileEntry::Failed {
                    index: index as u64,
                    path: input.source_path.clone(),
                    reason: reason.clone(),
                    message: message.clone(),
                })?;
                self.errors
                    .push(error_row(&input.source_path, reason, message));
            }
            CachedOutcome::Skipped {
                reason,
                title,
                evidence,
                format,
                encoding,
            } => {
                self.writer.record_file(&FileEntry::Skipped {
                    index: index as u64,
                    path: input.source_path.clone(),
                    format: format.clone(),
                    encoding: encoding.clone(),
                    reason: reason.clone(),
                    title: title.clone(),
                    evidence: evidence.clone(),
                })?;
                self.skipped
                    .push(skipped_row(&input.source_path, reason, title, evidence));
            }
        }
        Ok(())
    }
}

/// Runs the whole extraction.
pub fn run(cfg: &Config) -> Result<Outcome> {
    let started = Instant::now();
    let started_at = unix_seconds();

    // A PATH that is not there (an archive not mounted, a typo) stops the run before DIR is
    // touched: an empty dataset must never replace last night's.
    for p in &cfg.paths {
        if let Err(e) = std::fs::metadata(p) {
            return Err(RunError::Invalid(format!(
                "{}: {e}; nothing was written",
                p.display()
            )));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.unwrap_or(0))
        .build()?;
    let paths: Vec<PathBuf> = cfg.paths.iter().chain(&cfg.listed).cloned().collect();
    let (all_inputs, discover_errors) = crate::discover::discover(&paths, &cfg.out_dir)?;
    if all_inputs.is_empty() {
        return Err(RunError::Invalid(format!(
            "no candidate file in {} (files are picked by extension; the output folder and folders holding a jixiao dataset are not read); nothing was written",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let inputs: Vec<(usize, &Input)> = all_inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            cfg.shard
                .is_none_or(|(k, n)| shard_of(&i.source_path, n) == k)
        })
        .collect();
    std::fs::create_dir_all(&cfg.out_dir)
        .with_context(|| format!("creating {}", cfg.out_dir.display()))?;
    let (_lock, lock_note) = DirLock::acquire(&cfg.out_dir, &started_at)?;
    crate::read::pdf::remove_dead_runs_drawings();
    for dir in [cfg.out_dir.clone(), cfg.out_dir.join(SHRUNK)] {
        commit::recover(&dir)?;
    }
    let previous = commit::survey(&cfg.out_dir)?;
    let _staging = commit::StagingGuard::new(&cfg.out_dir);
    let (cache, cache_note) = if cfg.no_cache || cfg.keep_all {
        (Cache::default(), None)
    } else {
        Cache::load(&cfg.out_dir)
    };
    let progress =
        crate::progress::Progress::new(inputs.len(), cfg.quiet, cfg.out_dir.join("errors.csv"));
    let slowest = Slowest::default();
    for note in [&lock_note, &cache_note].into_iter().flatten() {
        progress.note(&format!("jixiao: warning: {note}"));
    }
    for (path, e) in &discover_errors {
        progress.failed(path, e.reason.code(), &e.message);
    }
    if cache.is_empty() {
        // Everything will be extracted: build the division list while the first files are
        // read. A cached run builds it only if a changed file needs it.
        crate::divisions::warm_up();
    }
    let writer = DatasetWriter::create(&cfg.out_dir, cfg.xlsx)?;
    let new_cache =
        CacheWriter::create(&writer.scratch().join(cache::FILE)).context("creating the cache")?;
    let mut sink = Sink {
        writer,
        new_cache,
        cache: &cache,
        errors: discover_errors
            .iter()
            .map(|(p, e)| error_row(p, e.reason.code(), &e.message))
            .collect(),
        skipped: Vec::new(),
        coverage: BTreeMap::new(),
        reports: 0,
        reused: 0,
        cache_kept: 0,
        cache_diverged: false,
    };
    // The workers take files in order from the window; the main thread writes each result once
    // the ones before it are written. The window bounds what the channel can hold.
    let window = Window::new(inputs.len());
    let admission = Admission::new(admission::BUDGET);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Done)>();
    let (written, workers) = std::thread::scope(|s| {
        let (window, cache, inputs, admission) = (&window, &cache, &inputs, &admission);
        let (slowest, progress) = (&slowest, &progress);
        let workers = s.spawn(move || {
            pool.broadcast(|_| {
                while let Some(k) = window.claim() {
                    let Some((_, input)) = inputs.get(k) else {
                        break;
                    };
                    let t = Instant::now();
                    let done = process(input, cache, cfg.keep_all, admission);
                    slowest.note(&input.source_path, t.elapsed().as_secs_f64());
                    let failure = match &done.outcome {
                        // Files abandoned by a stop are no failure worth naming.
                        CachedOutcome::Failed { reason, message } if !stopped() => {
                            Some((reason.as_str(), message.as_str()))
                        }
                        _ => None,
                    };
                    progress.done(&input.path.display().to_string(), failure);
                    if tx.send((k, done)).is_err() {
                        break;
                    }
                }
            })
        });
        let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
        let mut at = 0;
        let mut written = Ok(());
        for (k, done) in rx.iter() {
            waiting.insert(k, done);
            while let Some(done) = waiting.remove(&at) {
                let Some((index, input)) = inputs.get(at) else {
                    break;
                };
                written = sink.take(*index, input, done);
                at += 1;
                if written.is_err() {
                    break;
                }
            }
            window.advance(at);
            if written.is_err() || stopped() {
                break;
            }
        }
        // Workers waiting for room stop; a send to the dropped channel stops the others.
        window.stop();
        drop(rx);
        (written, workers.join())
    });
    written?;
    if stopped() {
        // Files may hold "interrupted" instead of their rows: nothing is kept.
        sink.writer.abandon();
        return Err(RunError::Interrupted(STOPPED_BY.load(Ordering::SeqCst)));
    }
    workers.map_err(|_| RunError::Invalid("a worker thread panicked outside a file".into()))?;
    progress.finish();
    let Sink {
        writer,
        mut new_cache,
        errors,
        skipped,
        coverage,
        reports,
        reused,
        cache_kept,
        cache_diverged,
        ..
    } = sink;
    let keep_old_cache = !cache_diverged && cache_kept == cache.len();
    if !cache_diverged && !keep_old_cache {
        cache.copy_lines(cache_kept, &mut new_cache)?;
    }
    new_cache.finish()?;
    if keep_old_cache || cfg.keep_all {
        // Identical to the old file, which stays where it is; or a --keep-all run's, whose
        // outcomes are not the gate's: DIR keeps the cache it had.
        std::fs::remove_file(writer.scratch().join(cache::FILE))?;
    }
    // The last run's counts, failures and coverage, read before its files are replaced.
    let last_run = report::last_run(&cfg.out_dir);
    let (outcome, manifest, staging) = finish(
        writer,
        Ending {
            started,
            started_at,
            files: inputs.len(),
            // `errors` holds paths that could not be listed too, which are no input.
            failed_inputs: errors.len().saturating_sub(discover_errors.len()),
            errors: &errors,
            skipped: &skipped,
            coverage,
            reports,
            inputs: cfg
                .paths
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            shard: cfg.shard.map(|(k, n)| format!("{k}/{n}")),
            merged_from: Vec::new(),
            inputs_discovered: all_inputs.len(),
            discovery_errors: discover_errors
                .iter()
                .map(|(p, e)| DiscoveryError {
                    path: p.clone(),
                    reason: e.reason.code().to_string(),
                    message: e.message.clone(),
                })
                .collect(),
            cache: Some(CacheUse {
                reused,
                ignored: cache_note,
            }),
        },
    )?;
    // What `diff` would list against the last run; the page is no reason to fail the run.
    let changes = last_run
        .as_ref()
        .and_then(|_| crate::diff::changes(&cfg.out_dir, &staging).ok())
        .unwrap_or_default();
    report::write(
        &staging,
        &staging.join("report.html"),
        &report::RunFacts {
            manifest: &manifest,
            out_dir: &cfg.out_dir,
            changes: &changes,
            files: outcome.files,
            reused,
            seconds: outcome.seconds,
            errors: &errors,
            skipped: &skipped,
            slowest: &slowest.take(),
        },
        last_run.as_ref(),
    )?;
    let now: usize = outcome.per_year.values().sum();
    if !cfg.allow_shrink && shrinks(previous.reports, now) {
        let beside = cfg.out_dir.join(SHRUNK);
        std::fs::create_dir_all(&beside)?;
        let moved = beside.join(staging.file_name().unwrap_or_default());
        std::fs::rename(&staging, &moved)?;
        commit::swap(&beside, &moved, &commit::survey(&beside)?)?;
        return Err(RunError::Shrunk {
            previous: previous.reports,
            now,
            beside,
        });
    }
    // Surveyed again: DIR may have changed during the run.
    commit::swap(&cfg.out_dir, &staging, &commit::survey(&cfg.out_dir)?)?;
    Ok(outcome)
}

/// What the end of a run needs besides its writer: what became of the files, and what only
/// `extract` or only `merge` knows.
pub struct Ending<'a> {
    pub started: Instant,
    /// When the run started, in unix seconds (as the lock has it; the manifest writes it as
    /// ISO 8601).
    pub started_at: String,
    /// Inputs of this run (a shard's own).
    pub files: usize,
    /// Inputs that failed (`errors` also holds paths that could not be listed).
    pub failed_inputs: usize,
    pub errors: &'a [ErrorRow],
    pub skipped: &'a [SkippedRow],
    /// Per report column, the reports that have it.
    pub coverage: BTreeMap<String, usize>,
    pub reports: usize,
    pub inputs: Vec<String>,
    pub shard: Option<String>,
    pub merged_from: Vec<String>,
    pub inputs_discovered: usize,
    pub discovery_errors: Vec<DiscoveryError>,
    /// How the cache was used (`extract` only).
    pub cache: Option<CacheUse>,
}

/// The end of a run, `extract`'s and `merge`'s alike: its outcome and manifest, with
/// `skipped.csv`, `errors.csv` and the manifest written into the staging folder, which is
/// returned holding the whole dataset, ready to be swapped in.
pub fn finish(writer: DatasetWriter, end: Ending<'_>) -> Result<(Outcome, Manifest, PathBuf)> {
    let per_year = writer.counts();
    let coverage = coverage_shares(end.coverage, end.reports);
    let reused = end.cache.as_ref().map_or(0, |c| c.reused);
    let outcome = Outcome {
        files: end.files,
        failed: end.errors.len(),
        skipped: end.skipped.len(),
        per_year: per_year.clone(),
        seconds: end.started.elapsed().as_secs_f64(),
        coverage,
        reused,
        townships: writer.townships(),
    };
    let mut manifest = Manifest {
        tool: "jixiao".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        // The fingerprint of the sources and rules (build.rs): merge refuses shards whose
        // fingerprints differ.
        build: crate::extract::rules_hash(),
        started: iso8601(&end.started_at),
        finished: iso8601(&unix_seconds()),
        inputs: end.inputs,
        shard: end.shard,
        merged_from: end.merged_from,
        inputs_discovered: end.inputs_discovered,
        counts: Counts {
            files: outcome.files,
            read: outcome.files.saturating_sub(end.failed_inputs),
            failed: outcome.failed,
            skipped: outcome.skipped,
            reports_per_year: per_year,
            from_cache: end.cache.as_ref().map(|c| c.reused),
            extracted: end.cache.as_ref().map(|c| outcome.files - c.reused),
        },
        cache: end.cache,
        coverage: outcome.coverage.clone(),
        townships: outcome.townships.clone(),
        discovery_errors: end.discovery_errors,
        years: Default::default(),
        files: Vec::new(),
    };
    write_skipped(&writer.scratch().join(schema::SKIPPED.file), end.skipped)?;
    let staging = writer.finish(end.errors, &mut manifest)?;
    Ok((outcome, manifest, staging))
}

/// Where a run that would shrink the dataset writes it instead, inside DIR.
pub const SHRUNK: &str = "shrunk";

/// Whether `now` reports would replace `previous` by accident: fewer than half of a last run
/// that had at least 20 (a missing mount, a wrong folder, every file failing).
fn shrinks(previous: usize, now: usize) -> bool {
    previous >= 20 && now * 2 < previous
}

/// Per report column, the share of reports that have it (three decimals).
pub fn coverage_shares(counts: BTreeMap<String, usize>, reports: usize) -> BTreeMap<String, f64> {
    counts
        .into_iter()
        .map(|(f, n)| {
            (
                f,
                (n as f64 / reports.max(1) as f64 * 1000.0).round() / 1000.0,
            )
        })
        .collect()
}

pub fn skipped_row(path: &str, reason: &str, title: &str, evidence: &str) -> SkippedRow {
    SkippedRow {
        path: Text::new(path),
        reason: Text::new(reason),
        title: Text::new(title),
        evidence: Text::new(evidence),
    }
}

/// Writes `skipped.csv` (a header only when nothing was skipped, like `errors.csv`).
pub fn write_skipped(path: &std::path::Path, rows: &[SkippedRow]) -> Result<()> {
    crate::write::dataset::write_table(path, &schema::SKIPPED, rows)
}

pub fn error_row(path: &str, reason: &str, message: &str) -> ErrorRow {
    ErrorRow {
        path: Text::new(path),
        reason: Text::new(reason),
        message: Text::new(message),
    }
}
