//! The gate end to end: real reports and seeds are kept, the negative corpus gathered from
//! public pages (tests/fixtures/negatives) is skipped with the reason its SOURCES.tsv gives,
//! skipped files are counted apart from failures, `--keep-all` extracts them, and `merge`
//! keeps their rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{bin, merge, root, snapshot};

/// Runs `jixiao extract` over `inputs` into `out`; returns the exit code.
fn extract(inputs: &[PathBuf], out: &Path, extra: &[&str]) -> i32 {
    let status = Command::new(bin())
        .arg("extract")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(["--quiet", "--no-xlsx"])
        .args(extra)
        .status()
        .unwrap();
    status.code().unwrap()
}

/// `skipped.csv` as path → reason.
fn skipped(out: &Path) -> BTreeMap<String, String> {
    let mut r = csv::Reader::from_path(out.join("skipped.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["path", "reason", "title", "evidence"]
    );
    r.records()
        .map(|row| {
            let row = row.unwrap();
            (row[0].to_string(), row[1].to_string())
        })
        .collect()
}

/// The `source_path` of every report written, in every year folder.
fn reported(out: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(out).unwrap().flatten() {
        let csv = e.path().join("reports.csv");
        if csv.exists() {
            let mut r = csv::Reader::from_path(csv).unwrap();
            v.extend(r.records().map(|row| row.unwrap()[1].to_string()));
        }
    }
    v.sort();
    v
}

fn counts(out: &Path) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    m["counts"].clone()
}

#[test]
fn every_real_report_and_seed_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let inputs = [
        root().join("tests/fixtures/real"),
        root().join("corpus/txt"),
        root().join("corpus/docx"),
        root().join("tests/fixtures/forms"),
    ];
    assert_eq!(extract(&inputs, &out, &[]), 0);
    assert_eq!(skipped(&out), BTreeMap::new(), "a real report was skipped");
    assert_eq!(counts(&out)["skipped"], 0);
}

#[test]
fn negatives_are_skipped_with_their_reason_and_not_as_failures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let negatives = root().join("tests/fixtures/negatives");
    assert_eq!(
        extract(std::slice::from_ref(&negatives), &out, &[]),
        0,
        "skipped is not failed"
    );
    let mut expected = BTreeMap::new();
    let mut sources = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(negatives.join("SOURCES.tsv"))
        .unwrap();
    for row in sources.records() {
        let row = row.unwrap();
        expected.insert(row[0].to_string(), row[4].to_string());
    }
    assert!(expected.len() >= 150, "{} negatives", expected.len());
    let got = skipped(&out);
    let right = expected
        .iter()
        .filter(|(f, want)| got.get(*f) == Some(*want))
        .count();
    assert!(
        right * 100 >= expected.len() * 98,
        "{right} of {} negatives skipped with their reason; kept: {:?}",
        expected.len(),
        reported(&out)
    );
    let c = counts(&out);
    assert_eq!(c["skipped"], got.len());
    assert_eq!(c["failed"], 0);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains(&format!("非自评文件 {} 个", got.len())));
}

#[test]
fn keep_all_extracts_what_the_gate_skips() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for n in ["n003.txt", "n015.txt", "n061.txt"] {
        std::fs::copy(
            root().join("tests/fixtures/negatives").join(n),
            input.join(n),
        )
        .unwrap();
    }
    let gated = dir.path().join("gated");
    assert_eq!(extract(std::slice::from_ref(&input), &gated, &[]), 0);
    assert_eq!(reported(&gated), Vec::<String>::new());
    assert_eq!(skipped(&gated).len(), 3);
    let all = dir.path().join("all");
    assert_eq!(extract(&[input], &all, &["--keep-all"]), 0);
    assert_eq!(reported(&all), ["n003.txt", "n015.txt", "n061.txt"]);
    assert_eq!(skipped(&all).len(), 0);
}

#[test]
fn merge_keeps_the_skipped_rows_of_every_shard() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        root().join("tests/fixtures/negatives"),
        root().join("corpus/txt"),
    ];
    let whole = dir.path().join("whole");
    assert_eq!(extract(&inputs, &whole, &[]), 0);
    let mut shards = Vec::new();
    for k in 0..3 {
        let s = dir.path().join(format!("shard-{k}"));
        assert_eq!(extract(&inputs, &s, &["--shard", &format!("{k}/3")]), 0);
        shards.push(s);
    }
    let merged = dir.path().join("merged");
    assert!(merge(&shards, &merged).status.success());
    assert_eq!(
        std::fs::read(merged.join("skipped.csv")).unwrap(),
        std::fs::read(whole.join("skipped.csv")).unwrap()
    );
    assert_eq!(counts(&merged)["skipped"], counts(&whole)["skipped"]);
}

/// Every CSV of a dataset with its bytes (what a researcher reads).
fn tables(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = snapshot(out);
    v.retain(|(name, _)| name.ends_with(".csv"));
    v
}

/// Two nights into an output folder inside the input folder, beside another folder holding a
/// jixiao dataset: neither run reads a dataset (its workbooks, report.html) back, and both
/// write the same tables.
#[test]
fn two_runs_into_an_output_folder_inside_the_input_give_the_same_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (from, to) in [
        ("corpus/txt/000_b167f79e2d5dde0a.txt", "a.txt"),
        ("tests/fixtures/real/h005.txt", "b.txt"),
        ("tests/fixtures/negatives/n003.txt", "c.txt"),
    ] {
        std::fs::copy(root().join(from), input.join(to)).unwrap();
    }
    // Last year's dataset, moved into the archive by hand.
    assert_eq!(
        extract(std::slice::from_ref(&input), &input.join("2023-run"), &[]),
        0
    );
    let out = input.join("out");
    assert_eq!(
        extract(std::slice::from_ref(&input), &out, &["--no-cache"]),
        0
    );
    let first = tables(&out);
    assert_eq!(
        extract(std::slice::from_ref(&input), &out, &["--no-cache"]),
        0
    );
    assert_eq!(tables(&out), first);
    assert_eq!(reported(&out), ["a.txt", "b.txt"]);
    assert_eq!(skipped(&out).into_keys().collect::<Vec<_>>(), ["c.txt"]);
}
