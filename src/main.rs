//! The `jixiao` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 all good, 3 some inputs failed, 1 nothing could be done).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use jixiao::cli::{Args, Command};
use jixiao::pipeline::{self, Config};

/// The run allocates many short strings per document; mimalloc measured faster than the
/// system allocator here (see the closing note of the scale issue).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("jixiao: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// `K/N` with K < N.
fn parse_shard(s: &str) -> anyhow::Result<(u64, u64)> {
    let (k, n) = s.split_once('/').context("--shard takes K/N, e.g. 0/4")?;
    let (k, n): (u64, u64) = (
        k.trim().parse().context("--shard K")?,
        n.trim().parse().context("--shard N")?,
    );
    anyhow::ensure!(
        n > 0 && k < n,
        "--shard {k}/{n}: K must be below N (shards are numbered from 0)"
    );
    Ok((k, n))
}

/// Paths listed one a line in FILE, or on stdin for `-`.
fn read_list(list: &std::path::Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let text = if list.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin().lock())?
    } else {
        std::fs::read_to_string(list)
            .with_context(|| format!("reading the list {}", list.display()))?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(Into::into)
        .collect())
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract {
            mut paths,
            out,
            jobs,
            quiet,
            shard,
            files_from,
            no_cache,
            no_xlsx,
            allow_shrink,
            keep_all,
        } => {
            let listed = match files_from {
                Some(list) => read_list(&list)?,
                None => Vec::new(),
            };
            if paths.is_empty() && listed.is_empty() {
                paths.push("corpus".into());
            }
            let shard = shard.map(|s| parse_shard(&s)).transpose()?;
            // Before any thread starts: every thread inherits the blocked stop signals.
            pipeline::stop_on_signals();
            let outcome = pipeline::run(&Config {
                paths,
                out_dir: out.clone(),
                jobs,
                quiet,
                shard,
                no_cache,
                xlsx: !no_xlsx,
                listed,
                allow_shrink,
                keep_all,
            });
            let outcome = match outcome {
                Ok(o) => o,
                Err(e @ jixiao::error::RunError::Interrupted(signal)) => {
                    eprintln!("jixiao: {e}");
                    // The shell's convention: 128 + the signal (130 SIGINT, 143 SIGTERM).
                    return Ok(ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)));
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("writing the dataset to {}", out.display())))
                }
            };
            if !quiet {
                eprintln!("{}", outcome.summary());
            }
            Ok(if outcome.failed > 0 {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Merge {
            shards,
            out,
            partial,
        } => {
            let outcome = jixiao::merge::merge(&shards, &out, partial)?;
            eprintln!("{}", outcome.summary());
            Ok(if outcome.failed > 0 {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Diff { old, new, out } => match jixiao::diff::diff(&old, &new) {
            Ok(csv) => {
                let changed = csv.lines().count() > 1;
                match out {
                    Some(path) => std::fs::write(&path, &csv)
                        .with_context(|| format!("writing {}", path.display()))?,
                    None => std::io::stdout().write_all(csv.as_bytes())?,
                }
                Ok(ExitCode::from(u8::from(changed)))
            }
            Err(e) => {
                eprintln!("jixiao: diff: {e:#}");
                Ok(ExitCode::from(2))
            }
        },
        Command::Inspect { json, file } => {
            let text = jixiao::inspect::inspect(&file, json);
            match text {
                Ok(t) => {
                    std::io::stdout().write_all(t.as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("jixiao: {}: {e}", file.display());
                    Ok(ExitCode::from(3))
                }
            }
        }
        Command::Numbers => {
            let stdin = std::io::stdin().lock();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for (i, line) in stdin.lines().enumerate() {
                let line = line.context("reading stdin as UTF-8 text")?;
                writeln!(
                    out,
                    "{}",
                    jixiao::normalize::numbers::to_json_line(i + 1, &line)
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
