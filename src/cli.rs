//! Command-line arguments. The doc comments are the `--help` text; each subcommand's help
//! ends with its exit codes, since cron jobs and schedulers act on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Extract Chinese public-finance performance reports (绩效自评报告) into CSV datasets.
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// What `extract`'s exit status means.
const EXTRACT_EXIT: &str = "\
Reads .docx, .doc/.wps, .xls/.xlsx/.xlsm/.xlsb/.et/.ods, .html/.htm/.shtml, .pdf (needs poppler's
pdftotext) and .txt, recognised by content; files of other extensions in a folder are not read.

Exit status:
  0    every file was read (files skipped as not self-evaluations count as read)
  3    the dataset was written, but some inputs failed (each is named on stderr; see DIR/errors.csv)
  1    nothing was written: a PATH that does not exist, no candidate file, DIR in use by another
       run or holding files jixiao did not write, a write that failed, or a run that would
       shrink the dataset (see --allow-shrink); the previous dataset in DIR is left as it was
  2    a usage error (an unknown option, no PATH, a bad --shard)
  130, 143, 129  stopped by SIGINT, SIGTERM, SIGHUP; the previous dataset is left as it was";

const MERGE_EXIT: &str = "\
Exit status:
  0    merged, and no input of the shards had failed
  3    merged, but some inputs of the shards had failed (see DIR/errors.csv)
  1    nothing was written: shards of another build, a shard set that is not whole (see
       --partial), an input in two shards, DIR in use or holding files jixiao did not write
  2    a usage error";

const DIFF_EXIT: &str = "\
Reports are matched by what they are (division code or unit, fiscal year, kind, project name);
the path only breaks ties, so a moved or renamed file is no change.

Exit status:
  0    nothing changed
  1    something changed (the CSV lists it)
  2    an error: a folder that is no jixiao dataset, a file that cannot be written, a usage error";

const INSPECT_EXIT: &str = "\
Reads the same formats as `extract`.

Exit status:
  0    the file was read and shown
  3    the file could not be read (its reason code and message are on stderr)
  1    the output could not be written
  2    a usage error";

const NUMBERS_EXIT: &str = "\
Exit status:
  0    every line was read
  1    stdin is not UTF-8 text, or the output could not be written
  2    a usage error";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read reports (Word, WPS, Excel, web pages, PDF, text) and write one dataset per fiscal year.
    #[command(after_help = EXTRACT_EXIT)]
    Extract {
        /// Files or folders (recursed) to read; at least one, unless --files-from lists them.
        #[arg(required_unless_present = "files_from", value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output folder (DIR).
        #[arg(
            short = 'o',
            long = "out",
            value_name = "DIR",
            default_value = "output"
        )]
        out: PathBuf,
        /// Worker threads (default: all cores).
        #[arg(short = 'j', long = "jobs")]
        jobs: Option<usize>,
        /// Print no progress and no summary; failures and warnings are still printed.
        #[arg(short = 'q', long)]
        quiet: bool,
        /// Process only the inputs whose path hashes to shard K of N (K from 0), e.g.
        /// `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
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
    #[command(after_help = MERGE_EXIT)]
    Merge {
        /// Output folders of `extract --shard`.
        #[arg(required = true, value_name = "SHARD_DIR")]
        shards: Vec<PathBuf>,
        /// Output folder.
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: PathBuf,
        /// Merge a set with shards missing (otherwise every K of N must be given once).
        #[arg(long)]
        partial: bool,
    },
    /// What changed between two datasets, as CSV (reports added, removed, fields changed).
    #[command(after_help = DIFF_EXIT)]
    Diff {
        /// The earlier dataset: an output folder of `extract` or `merge` (last night's).
        #[arg(value_name = "OLD_DIR")]
        old: PathBuf,
        /// The later dataset, compared with OLD_DIR (tonight's).
        #[arg(value_name = "NEW_DIR")]
        new: PathBuf,
        /// Write the CSV here instead of stdout.
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Show what the reader saw in one file and what was extracted from where.
    #[command(after_help = INSPECT_EXIT)]
    Inspect {
        /// Print one JSON object instead: {"path", "format", "encoding", "blocks": [paragraph
        /// {"type","location","text"} or table {"type","location","rows": [[cell {"text",
        /// "col_span","v_merge","tables"}]]}], "extracted": [...]}.
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// Read text on stdin; print every number of each line as one JSON line.
    #[command(after_help = NUMBERS_EXIT)]
    Numbers,
}

/// `--shard K/N`: shard K (from 0) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

/// `K/N` with K < N; a bad value is a usage error (exit 2), like every argument clap checks.
fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or("takes K/N, e.g. 0/4 (shard K of N, from 0)")?;
    let number = |v: &str, what: &str| {
        v.trim()
            .parse::<u64>()
            .map_err(|e| format!("{what} `{v}`: {e}"))
    };
    let (k, n) = (number(k, "K")?, number(n, "N")?);
    if n == 0 || k >= n {
        return Err(format!(
            "{k}/{n}: K must be below N (shards are numbered from 0)"
        ));
    }
    Ok(Shard { k, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_is_k_below_n() {
        assert_eq!(parse_shard("1/4"), Ok(Shard { k: 1, n: 4 }));
        assert_eq!(parse_shard(" 0 / 1 "), Ok(Shard { k: 0, n: 1 }));
        for bad in ["4/4", "0/0", "1", "a/2", "-1/2"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arguments_are_checked_by_clap() {
        use clap::CommandFactory;
        Args::command().debug_assert();
        assert!(Args::try_parse_from(["jixiao", "extract"]).is_err());
        assert!(Args::try_parse_from(["jixiao", "extract", "--files-from", "-"]).is_ok());
        assert!(Args::try_parse_from(["jixiao", "extract", "-q", "corpus"]).is_ok());
    }
}
