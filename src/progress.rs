//! The progress bar of `extract` on a terminal: files done of the total, docs/s, ETA and the
//! failures so far, drawn on stderr at a bounded rate (indicatif) and updated from the
//! workers with an atomic add. Nothing is drawn when stderr is not a terminal (cron, a log
//! file) or with `--quiet`; warnings go through [`Progress::note`] so they do not tear it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    failed: AtomicUsize,
}

impl Progress {
    /// A bar over `total` files; hidden unless stderr is a terminal and `quiet` is off.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let shown = !quiet && std::io::stderr().is_terminal();
        let target = if shown {
            ProgressDrawTarget::stderr_with_hz(10)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} files  {per_sec}  ETA {eta}  {msg}")
        {
            bar.set_style(style.progress_chars("##-"));
        }
        bar.set_message("0 failed");
        Progress {
            bar,
            failed: AtomicUsize::new(0),
        }
    }

    /// One file done (from any worker).
    pub fn done(&self, failed: bool) {
        if failed {
            let n = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
            self.bar.set_message(format!("{n} failed"));
        }
        self.bar.inc(1);
    }

    /// A warning line printed above the bar (or plainly when there is no bar).
    pub fn note(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }

    /// Leaves the finished bar (at 100%) on the terminal, on a line of its own.
    pub fn finish(&self) {
        self.bar.finish();
        if !self.bar.is_hidden() {
            eprintln!();
        }
    }
}
