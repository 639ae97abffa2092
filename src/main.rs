//! The `jixiao` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 all good, 3 some inputs failed, 1 nothing could be done).

use std::io::{BufRead, Write};
use std::path::Path;
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
            eprintln!("jixiao: {}", chain(&e));
            ExitCode::from(1)
        }
    }
}

/// An error and its causes, `: `-separated, each cause left out when the text before it
/// already ends with it (an error whose message quotes its source would otherwise read
/// `File exists (os error 17): File exists (os error 17)`).
fn chain(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let cause = cause.to_string();
        if text.is_empty() {
            text = cause;
        } else if !text.ends_with(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
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

/// `jixiao diff`: the CSV to FILE (with a BOM, like every CSV jixiao writes) or stdout, a
/// one-line summary on stderr; whether anything changed.
fn diff(old: &Path, new: &Path, out: Option<&Path>) -> anyhow::Result<bool> {
    let changes = jixiao::diff::changes(old, new)?;
    let csv = jixiao::diff::to_csv(&changes)?;
    match out {
        Some(path) => std::fs::write(path, [b"\xEF\xBB\xBF".as_slice(), csv.as_bytes()].concat())
            .with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(csv.as_bytes())?,
    }
    eprintln!("{}", jixiao::diff::summary(&changes));
    Ok(!changes.is_empty())
}

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract {
            paths,
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
            // Before any thread starts: every thread inherits the blocked stop signals.
            pipeline::stop_on_signals();
            let outcome = pipeline::run(&Config {
                paths,
                out_dir: out.clone(),
                jobs,
                quiet,
                shard: shard.map(|s| (s.k, s.n)),
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
                eprintln!("{}", jixiao::summary::extract(&outcome, &out));
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
            eprintln!("{}", jixiao::summary::merge(&outcome, &out, shards.len()));
            Ok(if outcome.failed > 0 {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Diff { old, new, out } => {
            // Exit 1 means "something changed": every error, writing the CSV too, is 2.
            match diff(&old, &new, out.as_deref()) {
                Ok(changed) => Ok(ExitCode::from(u8::from(changed))),
                Err(e) => {
                    eprintln!("jixiao: diff: {}", chain(&e));
                    Ok(ExitCode::from(2))
                }
            }
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_cause_quoted_by_its_error_is_not_repeated() {
        let source = std::io::Error::other("File exists (os error 17)");
        let e = anyhow::Error::new(jixiao::error::RunError::Io {
            what: "renaming out/2023".into(),
            source,
        });
        assert_eq!(
            super::chain(&e),
            "renaming out/2023: File exists (os error 17)"
        );
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(super::chain(&e), "outer: inner");
    }
}
