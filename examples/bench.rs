//! `make bench`: the number scanner's throughput on one core, and the whole pipeline's
//! docs/s and peak memory over the sample corpus copied N times (default 50 × 20 = 1,000
//! documents). Benchmarks report; they never fail a build.

use std::path::Path;
use std::time::Instant;

use jixiao::normalize::numbers;
use jixiao::pipeline::{self, Config};

fn main() -> anyhow::Result<()> {
    let copies: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let corpus = Path::new("corpus");

    // 1. Scanner, one core: every line of the seed .txt files, repeated to ~64 MB.
    let mut text = String::new();
    for e in std::fs::read_dir(corpus.join("txt"))?.flatten() {
        text.push_str(&std::fs::read_to_string(e.path())?);
    }
    let lines: Vec<&str> = text.lines().collect();
    let started = Instant::now();
    let (mut bytes, mut mentions) = (0usize, 0usize);
    while bytes < 64 << 20 {
        for l in &lines {
            mentions += numbers::scan(l).len();
            bytes += l.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "scanner: {:.1} MB/s on one core ({} MB, {} mentions, {:.2} s)",
        bytes as f64 / 1e6 / secs,
        bytes >> 20,
        mentions,
        secs
    );

    // 2. Pipeline: the corpus copied `copies` times.
    let dir = std::env::temp_dir().join(format!("jixiao-bench-{copies}"));
    if !dir.exists() {
        for i in 0..copies {
            copy_tree(corpus, &dir.join(format!("c{i:04}")))?;
        }
    }
    let (files, total) = count(&dir);
    let out = std::env::temp_dir().join("jixiao-bench-out");
    let started = Instant::now();
    let outcome = pipeline::run(&Config {
        paths: vec![dir.clone()],
        out_dir: out,
        jobs: None,
        quiet: true,
    })?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "pipeline: {} documents ({:.1} MB) in {:.2} s: {:.0} docs/s, {:.1} MB/s, {} failed, peak RSS {} MB",
        files,
        total as f64 / 1e6,
        secs,
        files as f64 / secs,
        total as f64 / 1e6 / secs,
        outcome.failed,
        peak_rss_mb()
    );
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)?.flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

fn count(dir: &Path) -> (usize, u64) {
    let mut n = (0, 0);
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            let (a, b) = count(&e.path());
            n = (n.0 + a, n.1 + b);
        } else {
            n = (n.0 + 1, n.1 + e.metadata().map(|m| m.len()).unwrap_or(0));
        }
    }
    n
}

/// Peak resident memory of this process (Linux `VmHWM`), in MB.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
            })
        })
        .map_or(0, |kb| kb / 1024)
}
