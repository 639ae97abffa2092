//! Nightly operations: the cache (second runs read nothing unchanged), shards + merge
//! (byte-identical to one run), `--files-from`, and `diff`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{bin, root};

fn extract(out: &Path, args: &[&str], inputs: &[&Path]) -> std::process::Output {
    Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .args(args)
        .args(inputs)
        .output()
        .unwrap()
}

/// Every CSV and datapackage.json below `dir`, with its bytes (the manifest has times).
fn dataset(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if !e.file_name().to_string_lossy().starts_with('.') {
                out.extend(
                    dataset(&p)
                        .into_iter()
                        .map(|(n, b)| (Path::new(&e.file_name()).join(n), b)),
                );
            }
        } else if p.extension().is_some_and(|x| x == "csv" || x == "json")
            && !p.ends_with("manifest.json")
        {
            out.push((PathBuf::from(e.file_name()), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

fn generated(dir: &Path, n: usize) -> PathBuf {
    let corpus = super::generate(dir, n, 5);
    std::fs::remove_dir_all(corpus.join("gold")).unwrap();
    corpus
}

#[test]
fn four_shards_merged_equal_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = root().join("corpus");
    let generated = generated(dir.path(), 300);
    // A file of several forms gives several reports, which shards and merge keep together.
    let forms = root().join("tests/fixtures/forms");
    let inputs: [&Path; 3] = [&corpus, &generated, &forms];
    let single = dir.path().join("single");
    assert!(extract(&single, &[], &inputs).status.success());
    let mut shards = Vec::new();
    for k in 0..4 {
        let out = dir.path().join(format!("shard{k}"));
        assert!(extract(&out, &["--shard", &format!("{k}/4")], &inputs)
            .status
            .success());
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    let status = super::merge(&shards, &merged);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(dataset(&merged), dataset(&single));
    let (m, s) = (manifest(&merged), manifest(&single));
    for k in ["files", "read", "failed", "reports_per_year"] {
        assert_eq!(m["counts"][k], s["counts"][k], "{k}");
    }
    // Shards of another version, or of the same version built from other sources or
    // rules, are refused with exit 1.
    let shard0 = shards.first().unwrap();
    let original = manifest(shard0);
    for (key, value) in [("version", "0.0.1"), ("build", "0123456789abcdef")] {
        let mut man = original.clone();
        man[key] = value.into();
        std::fs::write(shard0.join("manifest.json"), man.to_string()).unwrap();
        let refused = Command::new(bin())
            .arg("merge")
            .args(&shards)
            .arg("-o")
            .arg(dir.path().join("m2"))
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(1), "{key}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("another build"),
            "{key}"
        );
    }
}

#[test]
fn second_run_reads_only_changed_files_and_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    super::copy_files("corpus/txt", &input);
    let out = dir.path().join("out");
    assert!(extract(&out, &[], &[&input]).status.success());
    let first = dataset(&out);
    assert_eq!(manifest(&out)["counts"]["extracted"], 5);
    assert!(extract(&out, &[], &[&input]).status.success());
    assert_eq!(
        manifest(&out)["counts"]["from_cache"],
        5,
        "unchanged files are not read"
    );
    assert_eq!(manifest(&out)["counts"]["extracted"], 0);
    assert_eq!(dataset(&out), first);
    // Touch one file's bytes: only that one is read again.
    let one = input.join("002_5adea5fd3fb875f0.txt");
    let mut text = std::fs::read_to_string(&one).unwrap();
    text.push_str("\n附记。\n");
    std::fs::write(&one, text).unwrap();
    assert!(extract(&out, &[], &[&input]).status.success());
    assert_eq!(manifest(&out)["counts"]["extracted"], 1);
    assert_eq!(manifest(&out)["counts"]["from_cache"], 4);
    // --no-cache reads everything and gives the same bytes.
    assert!(extract(&out, &["--no-cache"], &[&input]).status.success());
    assert_eq!(manifest(&out)["counts"]["extracted"], 5);
    let full = dataset(&out);
    assert!(extract(&out, &[], &[&input]).status.success());
    assert_eq!(dataset(&out), full);
    // A corrupt cache is ignored with a warning, never trusted.
    std::fs::write(out.join(".jixiao-cache.jsonl"), "garbage\n").unwrap();
    let run = extract(&out, &[], &[&input]);
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("ignored"));
    assert_eq!(manifest(&out)["counts"]["extracted"], 5);
    assert_eq!(dataset(&out), full);
}

#[test]
fn files_from_a_list_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    let a = root().join("corpus/txt/001_7677739c59076178.txt");
    let b = root().join("corpus/docx/003_3ecd34c07709391b.docx");
    std::fs::write(&list, format!("{}\n\n{}\n", a.display(), b.display())).unwrap();
    let out = dir.path().join("out");
    assert!(
        extract(&out, &["--files-from", list.to_str().unwrap()], &[])
            .status
            .success()
    );
    assert_eq!(manifest(&out)["counts"]["files"], 2);
}

#[test]
fn diff_sees_exactly_the_edited_figure() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let seed = std::fs::read_to_string(root().join("corpus/txt/002_5adea5fd3fb875f0.txt")).unwrap();
    std::fs::write(input.join("r.txt"), &seed).unwrap();
    let old = dir.path().join("old");
    assert!(extract(&old, &[], &[&input]).status.success());
    assert!(seed.contains("编制数81人"));
    std::fs::write(
        input.join("r.txt"),
        seed.replace("编制数81人", "编制数82人"),
    )
    .unwrap();
    let new = dir.path().join("new");
    assert!(extract(&new, &[], &[&input]).status.success());
    let same = Command::new(bin())
        .args(["diff"])
        .arg(&old)
        .arg(&old)
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    let changed = Command::new(bin())
        .args(["diff"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(changed.status.code(), Some(1));
    let text = String::from_utf8(changed.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with("changed,常宁市庙前镇人民政府,庙前镇,2023,staff_authorized,81,82,"),
        "{text}"
    );
    assert_eq!(
        String::from_utf8_lossy(&changed.stderr).trim_end(),
        "jixiao: 0 reports added, 0 removed, 1 changed (1 field)"
    );
    // Written to a file, the CSV starts with a BOM like every CSV jixiao writes.
    let file = dir.path().join("changes.csv");
    let o = Command::new(bin())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&file).unwrap(),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
    );
    let missing = Command::new(bin())
        .args(["diff"])
        .arg(&old)
        .arg(dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// The same archive under another mount point writes the same dataset (source paths are
/// relative to the folder argument) and diffs as unchanged; a renamed file is no
/// added/removed pair.
#[test]
fn a_moved_archive_or_a_renamed_file_diffs_as_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        dir.path().join("mnt-a/archive"),
        dir.path().join("mnt-b/other"),
    );
    for root_dir in [&a, &b] {
        std::fs::create_dir_all(root_dir.join("湖南省")).unwrap();
    }
    for stem in ["001_7677739c59076178", "002_5adea5fd3fb875f0"] {
        let from = root().join(format!("corpus/txt/{stem}.txt"));
        std::fs::copy(&from, a.join(format!("湖南省/{stem}.txt"))).unwrap();
        std::fs::copy(&from, b.join(format!("湖南省/{stem}.txt"))).unwrap();
    }
    let (out_a, out_b) = (dir.path().join("out-a"), dir.path().join("out-b"));
    assert!(extract(&out_a, &[], &[&a]).status.success());
    assert!(extract(&out_b, &[], &[&b]).status.success());
    assert_eq!(dataset(&out_a), dataset(&out_b));
    let reports = std::fs::read_to_string(out_a.join("2023/reports.csv")).unwrap();
    assert!(
        reports.contains(",湖南省/002_5adea5fd3fb875f0.txt,"),
        "{reports}"
    );
    let diff = |x: &Path, y: &Path| {
        Command::new(bin())
            .arg("diff")
            .arg(x)
            .arg(y)
            .output()
            .unwrap()
    };
    assert_eq!(diff(&out_a, &out_b).status.code(), Some(0));
    // Rename one report: the same report, at another path.
    std::fs::rename(
        b.join("湖南省/002_5adea5fd3fb875f0.txt"),
        b.join("湖南省/庙前镇-2023.txt"),
    )
    .unwrap();
    assert!(extract(&out_b, &[], &[&b]).status.success());
    let run = diff(&out_a, &out_b);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

/// On a terminal (a pseudo-terminal from `script`), `extract` draws a progress bar that ends
/// at 100%; with stderr redirected to a file, stderr holds plain lines, no control codes.
#[test]
fn progress_bar_on_a_terminal_only() {
    if !super::tool("script", "--version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tty.log");
    let cmd = format!(
        "{} extract {} -o {} --no-xlsx",
        bin(),
        root().join("corpus").display(),
        dir.path().join("a").display()
    );
    let status = std::process::Command::new("script")
        .args(["-qec", &cmd])
        .arg(&log)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let tty = std::fs::read_to_string(&log).unwrap();
    let files = std::fs::read_dir(root().join("corpus"))
        .unwrap()
        .flatten()
        .map(|d| std::fs::read_dir(d.path()).map_or(0, |f| f.count()))
        .sum::<usize>();
    assert!(tty.contains(&format!("{files}/{files} files")), "{tty}");
    assert!(tty.contains('\r') || tty.contains('\u{1b}'), "{tty}");
    let plain = std::process::Command::new(bin())
        .args(["extract", "--no-xlsx", "-o"])
        .arg(dir.path().join("b"))
        .arg(root().join("corpus"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&plain.stderr);
    assert!(err.contains("dataset written to"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");
}

/// report.html: one self-contained page (no script, nothing fetched) with the run's counts,
/// each failure with its reason and path, coverage bars per year, the checks with the reports
/// they concern, the townships per county and the slowest files.
#[test]
fn run_report_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("broken.docx"), b"PK\x03\x04 not a zip").unwrap();
    let out = dir.path().join("out");
    let o = extract(&out, &[], &[&root().join("corpus"), &bad]);
    assert_eq!(o.status.code(), Some(3));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for want in [
        "<svg",
        "broken.docx",
        "<html lang=\"zh-CN\">",
        "读取失败的文件",
        "exp_personnel_plus_public",
        "高于",
        "隆回县",
        "最慢的文件",
        "2023",
    ] {
        assert!(page.contains(want), "report.html lacks {want}");
    }
    for never in [
        "<script", "http://", "https://", "<link", "Failures", "Checks",
    ] {
        assert!(!page.contains(never), "report.html has {never}");
    }
    // The first run into a folder has nothing to compare with; the next one marks the
    // previous coverage on every bar.
    assert!(!page.contains("fill=\"#888\""));
    extract(&out, &[], &[&root().join("corpus"), &bad]);
    let again = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(again.contains("fill=\"#888\""), "no previous-run markers");
}

/// report.html renders in headless Chromium (where it is installed: .ci/run installs it) to a
/// full screenshot, with no console errors.
#[test]
fn run_report_renders_in_chromium() {
    if !super::tool("chromium", "--version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    extract(&out, &[], &[&root().join("corpus")]);
    let png = dir.path().join("report.png");
    let log = screenshot(&out.join("report.html"), &png, "1200,2000");
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "no screenshot ({size} bytes): {log}");
    assert!(
        !log.lines()
            .any(|l| l.contains("CONSOLE") && (l.contains("Error") || l.contains("Uncaught"))),
        "{log}"
    );
}

#[test]
fn merge_refuses_a_shard_set_that_is_not_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let txt = root().join("corpus/txt");
    let shard = |k: u64, n: u64| {
        let out = dir.path().join(format!("s{k}of{n}"));
        let o = extract(&out, &["--shard", &format!("{k}/{n}")], &[&txt]);
        assert!(o.status.success());
        out
    };
    let (a, b, c) = (shard(0, 2), shard(1, 2), shard(0, 3));
    let merge = |dirs: &[&PathBuf], extra: &[&str], to: &str| {
        Command::new(bin())
            .arg("merge")
            .args(dirs)
            .args(extra)
            .arg("-o")
            .arg(dir.path().join(to))
            .output()
            .unwrap()
    };
    for (dirs, says) in [
        (vec![&a, &a, &b], "twice"),
        (vec![&a], "missing: 1/2"),
        (vec![&a, &b, &c], "different numbers"),
    ] {
        let o = merge(&dirs, &[], "m");
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{says}: {e}");
        assert!(e.contains(says) && e.contains("s0of"), "{e}");
        assert!(!dir.path().join("m/manifest.json").exists());
    }
    assert!(merge(&[&a], &["--partial"], "part").status.success());
    let part = manifest(&dir.path().join("part"));
    assert_eq!(part["counts"]["files"], manifest(&a)["counts"]["files"]);
    assert!(merge(&[&b, &a], &[], "whole").status.success());
    assert_eq!(manifest(&dir.path().join("whole"))["counts"]["files"], 5);
}

/// The morning after a bad night, rendered in headless Chromium: a previous run over 300
/// generated reports, then a night that lost 40% of them and has ten files failing for the
/// first time. The page says when, which build, which inputs and folder; it raises the red
/// banner; it puts tonight's counts beside last night's; it lists the first-time failures
/// and the removed reports. The screenshot is kept as `target/test-artifacts/report-night.png`.
#[test]
fn the_morning_after_page_shows_a_bad_night() {
    let dir = tempfile::tempdir().unwrap();
    let input = generated(dir.path(), 300);
    let bad = input.join("bad");
    std::fs::create_dir(&bad).unwrap();
    for i in 0..3 {
        std::fs::write(bad.join(format!("old-{i}.docx")), b"PK\x03\x04 cut").unwrap();
    }
    let out = dir.path().join("out");
    assert_eq!(extract(&out, &[], &[&input]).status.code(), Some(3));
    let before: serde_json::Value = manifest(&out)["counts"]["reports_per_year"].clone();
    let mut files: Vec<PathBuf> = walk(&input);
    files.sort();
    for (i, f) in files.iter().enumerate() {
        if i % 5 < 2 && !f.starts_with(&bad) {
            std::fs::remove_file(f).unwrap();
        }
    }
    for i in 0..10 {
        std::fs::write(bad.join(format!("new-{i}.docx")), b"PK\x03\x04 cut").unwrap();
    }
    assert_eq!(extract(&out, &[], &[&input]).status.code(), Some(3));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for want in [
        "<div class=\"alarm\" role=\"alert\">",
        "报告比上次少",
        "首次失败（10 个）",
        "new-9.docx",
        "运行开始于 20",
        env!("CARGO_PKG_VERSION"),
        &input.display().to_string(),
        "<td>减少</td>",
    ] {
        assert!(page.contains(want), "report.html lacks {want}");
    }
    let first = page
        .split("<table class=\"first\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_default();
    assert!(!first.contains("old-0.docx"), "{first}");
    // Last night's count of each year stands beside tonight's.
    for (year, n) in before.as_object().unwrap() {
        let row = format!("<tr><td>{year}</td>");
        assert!(page.contains(&row), "{year}");
        assert!(
            page.contains(&format!("</td><td>{n}</td><td>-")),
            "{year}: {n}"
        );
    }
    if !super::tool("chromium", "--version") {
        return;
    }
    let artifacts = root().join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = artifacts.join("report-night.png");
    let _ = std::fs::remove_file(&png);
    let log = screenshot(&out.join("report.html"), &png, "1200,1600");
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "no screenshot ({size} bytes): {log}");
    assert!(!log.lines().any(|l| l.contains("CONSOLE")), "{log}");
}

/// Renders `page` in headless Chromium to `png` at `size` (`W,H`); returns its log.
fn screenshot(page: &Path, png: &Path, size: &str) -> String {
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            &format!("--window-size={size}"),
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
