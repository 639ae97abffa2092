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
        /// Process only the inputs whose path hashes to shard K of N (K from 0), e.g.
        /// `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Read the list of inputs (one path a line) from FILE, or `-` for stdin.
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        /// Read every file again instead of reusing what the last run into DIR extracted.
        #[arg(long)]
        no_cache: bool,
        /// Do not write the per-year workbook (jixiao-<year>.xlsx) beside the CSVs.
        #[arg(long)]
        no_xlsx: bool,
        /// Replace the dataset even when this run has fewer than half the reports of the last
        /// run into DIR (otherwise that run's dataset is kept and this one goes to DIR/shrunk).
        #[arg(long)]
        allow_shrink: bool,
        /// Extract every document, also those that are not performance self-evaluations
        /// (budgets, final accounts, notices, target forms, blank templates), which are
        /// otherwise listed in skipped.csv and not extracted.
        #[arg(long)]
        keep_all: bool,
    },
    /// Combine shard outputs into one dataset, byte-identical to a single run.
    Merge {
        /// Output folders of `extract --shard`.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Merge a set with shards missing (otherwise every K of N must be given once).
        #[arg(long)]
        partial: bool,
    },
    /// What changed between two datasets, as CSV; exit 0 when nothing did, 1 when something did.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Write the CSV here instead of stdout.
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
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
