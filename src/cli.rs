//! Command-line arguments. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Extract Chinese public-finance performance reports (绩效自评报告) into CSV datasets.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read reports (.docx, .txt) and write one dataset per fiscal year.
    Extract {
        /// Files or folders (recursed). Default: corpus/
        paths: Vec<PathBuf>,
        /// Output folder.
        #[arg(short = 'o', long = "out", default_value = "output")]
        out: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
        /// Print nothing but errors.
        #[arg(long)]
        quiet: bool,
    },
    /// Show what the reader saw in one file and what was extracted from where.
    Inspect {
        /// Print the document model as JSON (SPEC.md's shape).
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// Read text on stdin; print every number of each line as one JSON line.
    Numbers,
}
