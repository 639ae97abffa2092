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

fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Extract {
            paths,
            out,
            jobs,
            quiet,
        } => {
            let paths = if paths.is_empty() {
                vec!["corpus".into()]
            } else {
                paths
            };
            pipeline::stop_on_interrupt();
            let outcome = pipeline::run(&Config {
                paths,
                out_dir: out.clone(),
                jobs,
                quiet,
            });
            let outcome = match outcome {
                Ok(o) => o,
                Err(e) if e.is::<pipeline::Interrupted>() => {
                    eprintln!("jixiao: {e}");
                    return Ok(ExitCode::from(130));
                }
                Err(e) => {
                    return Err(e.context(format!("writing the dataset to {}", out.display())))
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
