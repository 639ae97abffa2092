//! The command line's manners: usage errors exit 2, every subcommand's help gives its exit
//! codes, failures are named on stderr (also under `--quiet`), the summary says where the
//! dataset went, and a run logged to a file says now and then that it is alive.

use std::path::Path;
use std::process::{Command, Output};

use super::{bin, root};

fn jixiao(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn extract_without_a_path_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    // Run where a corpus/ would be found, as the old default did.
    super::copy_files("corpus/txt", &dir.path().join("corpus"));
    let o = Command::new(bin())
        .arg("extract")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("<PATH>"), "{}", stderr(&o));
    assert!(!dir.path().join("output").exists());
    let o = jixiao(&["extract", "--shard", "4/4", "corpus"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn every_subcommand_help_lists_its_exit_codes() {
    for sub in ["extract", "merge", "diff", "inspect", "numbers"] {
        let o = jixiao(&[sub, "--help"]);
        assert!(o.status.success());
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("Exit status:"), "{sub}: {help}");
        assert!(help.contains("\n  2 "), "{sub}: {help}");
        assert!(!help.contains("SPEC.md"), "{sub}: {help}");
    }
    let help = String::from_utf8_lossy(&jixiao(&["extract", "--help"]).stdout).into_owned();
    for format in [
        ".docx",
        ".doc",
        ".xls",
        ".html",
        ".pdf",
        ".txt",
        "-q, --quiet",
    ] {
        assert!(help.contains(format), "{format}: {help}");
    }
    let help = String::from_utf8_lossy(&jixiao(&["diff", "--help"]).stdout).into_owned();
    assert!(help.contains("<OLD_DIR>  The earlier dataset"), "{help}");
}

/// 23 broken files: the first 20 named on stderr, then a count pointing to errors.csv, under
/// `--quiet` too, which leaves out the summary.
#[test]
fn failures_are_named_on_stderr_also_when_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    for i in 0..23 {
        std::fs::write(bad.join(format!("b{i:02}.docx")), b"PK\x03\x04 cut off").unwrap();
    }
    let out = dir.path().join("out");
    let run = |quiet: bool| {
        let mut c = Command::new(bin());
        c.args(["extract", "--no-xlsx", "-o"]).arg(&out);
        if quiet {
            c.arg("-q");
        }
        c.arg(root().join("corpus/txt")).arg(&bad).output().unwrap()
    };
    let o = run(true);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let named: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with(&format!("jixiao: {}/b", bad.display())))
        .collect();
    assert_eq!(named.len(), 20, "{err}");
    assert!(
        named.iter().all(|l| l.contains(".docx: truncated: ")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "jixiao: and 3 more failures: {}",
            out.join("errors.csv").display()
        )),
        "{err}"
    );
    assert!(!err.contains("dataset written"), "{err}");
    let err = stderr(&run(false));
    assert!(
        err.contains(&format!(
            "jixiao: dataset written to {}/ (2023: 4 reports, 2024: 1): 28 files, 5 extracted, 23 failed",
            out.display()
        )),
        "{err}"
    );
    for gone in ["{", "coverage:", "counties"] {
        assert!(!err.contains(gone), "{gone}: {err}");
    }
}

/// stderr to a file (a cron log): progress lines come at the interval, here shortened.
#[test]
fn a_logged_run_prints_progress_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = super::big_input(dir.path());
    let log = dir.path().join("log");
    let status = Command::new(bin())
        .args(["extract", "--no-xlsx", "-j", "1", "-o"])
        .arg(dir.path().join("out"))
        .arg(&input)
        .env("JIXIAO_PROGRESS_SECONDS", "0.05")
        .stderr(std::fs::File::create(&log).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&log).unwrap();
    let lines = text
        .lines()
        .filter(|l| l.contains(" files, 0 failed, ") && l.contains(" elapsed"))
        .count();
    assert!(lines >= 2, "{text}");
    assert!(!text.contains('\r') && !text.contains('\u{1b}'), "{text:?}");
    let quiet = Command::new(bin())
        .args(["extract", "--no-xlsx", "-q", "--no-cache", "-o"])
        .arg(dir.path().join("out"))
        .arg(Path::new(&input))
        .env("JIXIAO_PROGRESS_SECONDS", "0.05")
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));
}
