mod bad_files;
mod build_hash;
mod cli;
mod conformance;
mod crash;
mod dataset;
mod dialects;
mod formats;
mod gate;
mod hostile;
mod layers;
mod limits;
mod metamorphic;
mod nightly;
mod ocr;
mod properties;
mod readers;
mod regressions;
mod safety;
mod soak;

use std::path::PathBuf;

/// The repository root (tests never read anything outside it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jixiao")
}

/// The five seed reports' file stems.
pub fn seed_stems() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("corpus/txt"))
        .unwrap()
        .flatten()
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".txt")
                .to_string()
        })
        .collect();
    v.sort();
    v
}

/// The four forms of one seed: txt, docx, Word-style docx, re-encoded txt.
pub fn seed_forms(stem: &str) -> Vec<PathBuf> {
    let c = root().join("corpus");
    let enc = std::fs::read_dir(c.join("txt-encodings"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(stem))
        })
        .unwrap();
    vec![
        c.join(format!("txt/{stem}.txt")),
        c.join(format!("docx/{stem}.docx")),
        c.join(format!("docx-wordlike/{stem}.docx")),
        enc,
        c.join(format!("doc/{stem}.doc")),
        c.join(format!("html/{stem}.html")),
    ]
}

/// Whether an external tool runs (`program arg` starts). A test that compares with it skips
/// where it is missing, saying so; under `CI=true` (`.ci/run` installs every tool) a missing
/// tool fails the test instead, so a green CI never hides a comparison that did not run.
pub fn tool(program: &str, arg: &str) -> bool {
    let runs = std::process::Command::new(program)
        .arg(arg)
        .output()
        .is_ok();
    if !runs {
        missing(program);
    }
    runs
}

/// Says that `what` is missing and its part of the test skipped; fails under `CI=true`.
pub fn missing(what: &str) {
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "{what} is not installed, and CI=true: .ci/run must install it"
    );
    eprintln!("{what} is not installed: its part of this test is skipped (CI installs it)");
}

pub fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok()
    })
}

/// What `score.py` says of an output folder against a gold folder.
pub struct Score {
    /// The summary line's `key=value` numbers (`f1`, `precision`, `recall`).
    pub summary: std::collections::BTreeMap<String, f64>,
    /// Per field: (true positives, false positives, false negatives).
    pub fields: std::collections::BTreeMap<String, (u32, u32, u32)>,
    /// Right indicator rows and labelled ones (`indicators=R/N`).
    pub indicators: (u32, u32),
    pub line: String,
}

impl Score {
    /// The fields that missed a value (a false positive or negative), most misses first,
    /// each with its counts: what a score that fell names.
    pub fn misses(&self) -> String {
        let mut missed: Vec<(&String, &(u32, u32, u32))> = self
            .fields
            .iter()
            .filter(|(_, (_, fp, fn_))| fp + fn_ > 0)
            .collect();
        missed.sort_by_key(|(_, (_, fp, fn_))| std::cmp::Reverse(fp + fn_));
        if missed.is_empty() {
            return "no field missed a value".to_string();
        }
        let named: Vec<String> = missed
            .iter()
            .map(|(f, (tp, fp, fn_))| format!("{f} (tp {tp}, fp {fp}, fn {fn_})"))
            .collect();
        format!("fields that missed: {}", named.join(", "))
    }
}

/// Scores `out` against `gold` (`--core`: only the original 25 report columns).
pub fn score(out: &std::path::Path, gold: &std::path::Path, core: bool) -> Score {
    let py = python().expect("python3 is needed for this test (.ci/run installs it)");
    let mut cmd = std::process::Command::new(py);
    cmd.arg(root().join("tests/tools/score.py"))
        .arg(out)
        .arg(gold);
    if core {
        cmd.arg("--core");
    }
    let text = String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned();
    let line = text.lines().last().unwrap_or_default().to_string();
    let mut summary = std::collections::BTreeMap::new();
    let mut indicators = (0, 0);
    for kv in line.split_whitespace() {
        if let Some((k, v)) = kv.split_once('=') {
            if let Some((r, n)) = v.split_once('/') {
                indicators = (r.parse().unwrap_or(0), n.parse().unwrap_or(0));
            } else if let Ok(v) = v.parse() {
                summary.insert(k.to_string(), v);
            }
        }
    }
    let fields = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.as_slice() {
                [name, tp, fp, fn_] => Some((
                    name.to_string(),
                    (tp.parse().ok()?, fp.parse().ok()?, fn_.parse().ok()?),
                )),
                _ => None,
            }
        })
        .collect();
    Score {
        summary,
        fields,
        indicators,
        line,
    }
}

/// Runs one of tests/tools' python scripts and returns its last line (the summary).
pub fn python_summary(script: &str, args: &[&std::ffi::OsStr]) -> String {
    let py = python().expect("python3 is needed for this test (.ci/run installs it)");
    let out = std::process::Command::new(py)
        .arg(root().join("tests/tools").join(script))
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().last().unwrap_or_default().to_string()
}

/// Generates `n` synthetic reports (with their gold in `corpus/gold`) by the example that
/// `cargo test` builds beside the test binary; returns the corpus folder.
pub fn generate(dir: &std::path::Path, n: usize, seed: u64) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let gen = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples")
        .join("gen_corpus");
    let corpus = dir.join("corpus");
    let status = std::process::Command::new(&gen)
        .args(["--n", &n.to_string(), "--seed", &seed.to_string(), "--out"])
        .arg(&corpus)
        .status()
        .unwrap_or_else(|e| panic!("{}: {e} (cargo test builds examples)", gen.display()));
    assert!(status.success());
    corpus
}

/// Runs `jixiao merge SHARDS -o OUT`.
pub fn merge(shards: &[PathBuf], out: &std::path::Path) -> std::process::Output {
    std::process::Command::new(bin())
        .arg("merge")
        .args(shards)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

/// Copies the files of a folder of the repository (`corpus/txt`) into `to`.
pub fn copy_files(from: &str, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(root().join(from)).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A large input in `dir/in`: the sample corpus (txt and Word-style docx) copied 60 times,
/// for runs that must still be going when a test stops them.
pub fn big_input(dir: &std::path::Path) -> PathBuf {
    let input = dir.join("in");
    for i in 0..60 {
        let d = input.join(format!("c{i:03}"));
        copy_files("corpus/txt", &d);
        copy_files("corpus/docx-wordlike", &d);
    }
    input
}

/// Every file below `dir` with its bytes, sorted, leaving out what is no part of a dataset:
/// a run's lock and a killed run's staging folder.
pub fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == ".jixiao.lock" || name.starts_with(".jixiao-tmp-") {
                continue;
            }
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                let path = e.path();
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A score that fell says which fields missed, the worst first.
#[test]
fn a_fallen_score_names_its_fields() {
    let score = Score {
        summary: Default::default(),
        fields: [
            ("exp_total".to_string(), (9, 1, 0)),
            ("staff_actual".to_string(), (5, 0, 3)),
            ("grade".to_string(), (7, 0, 0)),
        ]
        .into(),
        indicators: (0, 0),
        line: String::new(),
    };
    assert_eq!(
        score.misses(),
        "fields that missed: staff_actual (tp 5, fp 0, fn 3), exp_total (tp 9, fp 1, fn 0)"
    );
}
