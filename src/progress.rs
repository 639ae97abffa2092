//! What `extract` says while it runs, on stderr: on a terminal a bar (files done of the
//! total, files/s, elapsed, ETA, failures so far) drawn at a bounded rate by indicatif; in a
//! log (stderr not a terminal: cron, Slurm) a plain line every 30 s, so a nightly log shows
//! the run is alive; with `--quiet` neither. Each failed file is named as it fails
//! (`jixiao: PATH: reason: message`, the first [`SHOWN`], then a count pointing to
//! `errors.csv`), with or without `--quiet`: errors are never silenced. Warnings go through
//! [`Progress::note`] so they do not tear the bar.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::words::duration;

/// Failures named one by one on stderr; the rest are counted (all are in `errors.csv`).
pub const SHOWN: usize = 20;

/// Seconds between two progress lines in a log; `JIXIAO_PROGRESS_SECONDS` overrides it (the
/// tests use a fraction of a second).
const LOG_INTERVAL: f64 = 30.0;

pub struct Progress {
    bar: ProgressBar,
    failed: Arc<AtomicUsize>,
    /// Where the failures not named are listed.
    errors_csv: PathBuf,
    /// The thread printing a line now and then into a log, and the way to stop it.
    ticker: Mutex<Option<(Sender<()>, JoinHandle<()>)>>,
}

impl Progress {
    /// Progress over `total` files: a bar on a terminal, lines in a log, nothing when `quiet`.
    pub fn new(total: usize, quiet: bool, errors_csv: PathBuf) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let target = if !quiet && terminal {
            ProgressDrawTarget::stderr_with_hz(10)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files  {rate}  {elapsed_precise}  ETA {eta}  {msg}",
        ) {
            let style = style.with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", s.per_sec());
            });
            bar.set_style(style.progress_chars("##-"));
        }
        bar.set_message("0 failed");
        let failed = Arc::new(AtomicUsize::new(0));
        let ticker = (!quiet && !terminal).then(|| ticker(bar.clone(), failed.clone()));
        Progress {
            bar,
            failed,
            errors_csv,
            ticker: Mutex::new(ticker),
        }
    }

    /// One file done (from any worker), with its failure (reason code and message) if it
    /// failed.
    pub fn done(&self, path: &str, failure: Option<(&str, &str)>) {
        if let Some((reason, message)) = failure {
            self.failed(path, reason, message);
        }
        self.bar.inc(1);
    }

    /// A failed input, named while fewer than [`SHOWN`] were.
    pub fn failed(&self, path: &str, reason: &str, message: &str) {
        let n = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.set_message(format!("{n} failed"));
        if n <= SHOWN {
            self.note(&failure_line(path, reason, message));
        }
    }

    /// A warning line printed above the bar (or plainly when there is no bar).
    pub fn note(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }

    /// Leaves the finished bar (at 100%) on the terminal, on a line of its own, and counts
    /// the failures that were not named.
    pub fn finish(&self) {
        self.stop_ticker();
        self.bar.finish();
        if !self.bar.is_hidden() {
            eprintln!();
        }
        let failed = self.failed.load(Ordering::Relaxed);
        if failed > SHOWN {
            let more = failed - SHOWN;
            eprintln!(
                "jixiao: and {more} more {}: {}",
                if more == 1 { "failure" } else { "failures" },
                self.errors_csv.display()
            );
        }
    }

    fn stop_ticker(&self) {
        let taken = self.ticker.lock().ok().and_then(|mut t| t.take());
        if let Some((stop, thread)) = taken {
            drop(stop);
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    /// A run that ends early (an error, a signal) stops the log lines too.
    fn drop(&mut self) {
        self.stop_ticker();
    }
}

/// `jixiao: PATH: reason: message` on one line, as grep and ripgrep name a file.
fn failure_line(path: &str, reason: &str, message: &str) -> String {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("jixiao: {path}: {reason}: {message}")
}

/// Starts the thread that prints a progress line every interval until told to stop (or its
/// sender is dropped).
fn ticker(bar: ProgressBar, failed: Arc<AtomicUsize>) -> (Sender<()>, JoinHandle<()>) {
    let every = std::env::var("JIXIAO_PROGRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(LOG_INTERVAL);
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs_f64(every)) {
            eprintln!(
                "{}",
                log_line(
                    bar.position(),
                    bar.length().unwrap_or(0),
                    failed.load(Ordering::Relaxed),
                    bar.elapsed().as_secs_f64()
                )
            );
        }
    });
    (tx, thread)
}

/// `jixiao: 1200/5000 files, 3 failed, 41 files/s, 29 s elapsed, about 1 min 32 s left`.
fn log_line(done: u64, total: u64, failed: usize, seconds: f64) -> String {
    let rate = if seconds > 0.0 {
        done as f64 / seconds
    } else {
        0.0
    };
    let left = if rate > 0.0 {
        format!(
            ", about {} left",
            duration(total.saturating_sub(done) as f64 / rate)
        )
    } else {
        String::new()
    };
    format!(
        "jixiao: {done}/{total} files, {failed} failed, {rate:.0} files/s, {} elapsed{left}",
        duration(seconds)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_line_reads_in_words() {
        assert_eq!(
            log_line(1200, 5000, 3, 29.3),
            "jixiao: 1200/5000 files, 3 failed, 41 files/s, 29 s elapsed, about 1 min 33 s left"
        );
        assert_eq!(
            log_line(0, 10, 0, 0.0),
            "jixiao: 0/10 files, 0 failed, 0 files/s, 0.0 s elapsed"
        );
    }

    #[test]
    fn a_failure_is_one_line() {
        assert_eq!(
            failure_line("in/a.docx", "truncated", "the zip\nends early"),
            "jixiao: in/a.docx: truncated: the zip ends early"
        );
    }
}
