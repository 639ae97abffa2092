//! A run never destroys what it did not write and never replaces a good dataset by accident:
//! folders of sources named like years survive, a missing PATH or an empty or shrunken run
//! leaves the previous dataset, a killed commit is finished from its journal, one run holds
//! DIR at a time, the cache is data, stop signals end the run and its PDF engines.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::{big_input, bin, root, snapshot};

fn extract(out: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The corpus (40 reports in nine formats) extracted into `out`.
fn previous(out: &Path) -> Vec<(String, Vec<u8>)> {
    let o = extract(out, &[arg(&root().join("corpus"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    snapshot(out)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn year_folders_of_sources_survive_and_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    // An archive sorted by year, extracted into itself.
    let y = dir.path().join("y");
    std::fs::create_dir_all(y.join("2023")).unwrap();
    std::fs::create_dir_all(y.join("unknown-year")).unwrap();
    let seed = root().join("corpus/txt/000_b167f79e2d5dde0a.txt");
    std::fs::copy(&seed, y.join("2023/a.txt")).unwrap();
    std::fs::write(y.join("unknown-year/notes.md"), "mine").unwrap();
    let before = snapshot(&y);
    let o = extract(&y, &[arg(&y)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(&y), before);
    // The output folder is not read as input, and that is said.
    assert!(stderr(&o).contains("no candidate file"), "{}", stderr(&o));
    // The same archive given as input with DIR inside it: the foreign folders are named.
    let o = extract(&y, &[arg(&dir.path().join("y/2023/a.txt"))]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("a.txt") && e.contains("notes.md"), "{e}");
    assert_eq!(snapshot(&y), before);
    // A dataset's own year folder holding someone's file is not replaced either.
    let out = dir.path().join("out");
    previous(&out);
    std::fs::write(out.join("2023/my-analysis.xlsx"), "mine").unwrap();
    let before = snapshot(&out);
    let o = extract(&out, &[arg(&root().join("corpus/txt"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("my-analysis.xlsx"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn the_output_folder_inside_the_input_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    super::copy_files("corpus/txt", &input);
    let out = input.join("out");
    for _ in 0..2 {
        let o = extract(&out, &[arg(&input)]);
        assert!(o.status.success(), "{}", stderr(&o));
        // report.html and the workbooks of the first run are not inputs of the second.
        assert_eq!(manifest(&out)["counts"]["files"], 5);
    }
}

#[test]
fn a_missing_path_or_no_candidate_file_leaves_the_previous_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous(&out);
    let missing = dir.path().join("not-mounted");
    let o = extract(&out, &[arg(&missing)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not-mounted"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = extract(&out, &[arg(&empty)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
    // One existing PATH does not excuse a missing one.
    let o = extract(&out, &[arg(&root().join("corpus")), arg(&missing)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_run_with_less_than_half_the_reports_is_written_beside() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous(&out);
    // Every input corrupt: no report at all.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    for n in ["a.docx", "b.doc", "c.xlsx"] {
        std::fs::write(bad.join(n), b"PK\x03\x04 not a zip").unwrap();
    }
    let o = extract(&out, &[arg(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("0 reports") && e.contains("40"), "{e}");
    let shrunk = out.join("shrunk");
    assert_eq!(manifest(&shrunk)["counts"]["failed"], 3);
    let kept: Vec<_> = snapshot(&out)
        .into_iter()
        .filter(|(n, _)| !n.starts_with("shrunk"))
        .collect();
    assert_eq!(kept, before);
    // Five of 40 is a shrink too; --allow-shrink takes it.
    let txt = root().join("corpus/txt");
    assert_eq!(extract(&out, &[arg(&txt)]).status.code(), Some(1));
    assert_eq!(manifest(&shrunk)["counts"]["files"], 5);
    let o = extract(&out, &["--allow-shrink", arg(&txt)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(manifest(&out)["counts"]["files"], 5);
}

#[test]
fn read_counts_inputs_never_wrapping_below_zero() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list");
    let seed = root().join("corpus/txt/000_b167f79e2d5dde0a.txt");
    std::fs::write(
        &list,
        format!(
            "{}\n{}/gone1.txt\n{}/gone2.txt\n",
            arg(&seed),
            arg(dir.path()),
            arg(dir.path())
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = extract(&out, &["--files-from", arg(&list)]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let counts = &manifest(&out)["counts"];
    assert_eq!(
        (counts["files"].as_u64(), counts["read"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(counts["failed"], 2);
}

/// The dataset as a reader compares it: every file but the manifest's and report's times.
fn comparable(dir: &Path) -> (Vec<(String, Vec<u8>)>, serde_json::Value, bool) {
    let files = snapshot(dir)
        .into_iter()
        .filter(|(n, _)| n != "manifest.json" && n != "report.html")
        .collect();
    let m = manifest(dir);
    (files, m["inputs"].clone(), dir.join("report.html").exists())
}

#[test]
fn a_commit_killed_at_any_step_leaves_one_whole_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let (old_in, new_in) = (root().join("corpus/txt"), root().join("corpus/html"));
    let reference = |input: &Path, name: &str| {
        let d = dir.path().join(name);
        assert!(extract(&d, &[arg(input)]).status.success());
        comparable(&d)
    };
    let old = reference(&old_in, "old");
    let new = reference(&new_in, "new");
    // The new run's cache and errors.csv replace the old ones; its years are the same two.
    let mut steps = vec!["staged".to_string(), "journal".to_string()];
    for n in [
        "manifest.json",
        ".jixiao-cache.jsonl",
        "2023",
        "2024",
        "errors.csv",
        "report.html",
    ] {
        steps.push(format!("out {n}"));
    }
    for n in [
        ".jixiao-cache.jsonl",
        "2023",
        "2024",
        "errors.csv",
        "report.html",
        "manifest.json",
    ] {
        steps.push(format!("in {n}"));
    }
    steps.push("done".into());
    for (i, step) in steps.iter().enumerate() {
        let out = dir.path().join(format!("run{i}"));
        assert!(extract(&out, &[arg(&old_in)]).status.success());
        let o = Command::new(bin())
            .args(["extract", "--quiet", "-o"])
            .arg(&out)
            .arg(&new_in)
            .env("JIXIAO_CRASH_AT", step)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            None,
            "{step}: the run was not killed there"
        );
        // What the next run into DIR finds once it has finished the killed run's swap:
        // the old dataset when the kill came before the journal, else the new one.
        jixiao::write::commit::recover(&out).unwrap();
        let expected = if step == "staged" { &old } else { &new };
        assert!(
            comparable(&out) == *expected,
            "{step}: neither dataset whole"
        );
        // And the next real run goes on (the dead run's lock is taken over).
        let o = extract(&out, &[arg(&new_in)]);
        assert!(o.status.success(), "{step}: {}", stderr(&o));
    }
}

/// `diff` and `merge` read a DIR whose commit was killed half-way (old manifest moved aside,
/// new one not in) as the dataset that commit was putting in place: they finish it first.
#[test]
fn diff_and_merge_finish_a_killed_commit_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let (txt, html) = (root().join("corpus/txt"), root().join("corpus/html"));
    let reference = dir.path().join("reference");
    assert!(extract(&reference, &["--shard", "0/1", arg(&txt)])
        .status
        .success());
    let killed = |name: &str| {
        let out = dir.path().join(name);
        assert!(extract(&out, &["--shard", "0/1", arg(&html)])
            .status
            .success());
        let o = Command::new(bin())
            .args(["extract", "--quiet", "--shard", "0/1", "-o"])
            .arg(&out)
            .arg(&txt)
            .env("JIXIAO_CRASH_AT", "out manifest.json")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), None, "the run was not killed");
        assert!(!out.join("manifest.json").exists());
        out
    };
    let out = killed("diffed");
    let o = Command::new(bin())
        .arg("diff")
        .args([&reference, &out])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join(".jixiao-commit.json").exists());
    let shard = killed("shard");
    let merged = dir.path().join("merged");
    let o = Command::new(bin())
        .arg("merge")
        .arg(&shard)
        .arg("-o")
        .arg(&merged)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let reports = |d: &Path| std::fs::read(d.join("2023/reports.csv")).unwrap();
    assert_eq!(reports(&merged), reports(&reference));
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let t = Instant::now();
    while !ready() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "waited too long for {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn one_run_holds_dir_and_a_dead_runs_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_input(dir.path());
    let out = dir.path().join("out");
    let mut first = Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(&out)
        .arg(&input)
        .spawn()
        .unwrap();
    let lock = out.join(".jixiao.lock");
    wait_for("the first run's lock", || lock.exists());
    let second = extract(&out, &[arg(&input)]);
    assert_eq!(second.status.code(), Some(1));
    let e = stderr(&second);
    assert!(
        e.contains(&format!("pid {}", first.id())) && e.contains("in use"),
        "{e}"
    );
    first.kill().unwrap(); // SIGKILL: its lock stays behind
    assert!(!first.wait().unwrap().success(), "enlarge the input");
    assert!(lock.exists());
    let third = Command::new(bin())
        .args(["extract", "-o"])
        .arg(&out)
        .arg(root().join("corpus/txt"))
        .output()
        .unwrap();
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        stderr(&third).contains("took over the lock"),
        "{}",
        stderr(&third)
    );
    assert!(!lock.exists());
    // The dead run's scratch folder is gone too.
    assert!(!std::fs::read_dir(&out).unwrap().flatten().any(|e| e
        .file_name()
        .to_string_lossy()
        .starts_with(".jixiao-")
        && e.file_name() != ".jixiao-cache.jsonl"));
}

#[test]
fn a_crafted_cache_line_writes_nothing_outside_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a/out");
    let seed = root().join("corpus/txt/000_b167f79e2d5dde0a.txt");
    let o = extract(&out, &["--no-xlsx", arg(&seed)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    // A line whose year climbs out of DIR (size and time still match, so it would be used).
    let cache = out.join(".jixiao-cache.jsonl");
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(text.contains("\"year\":\"2023\""));
    std::fs::write(
        &cache,
        text.replace("\"year\":\"2023\"", "\"year\":\"../../escape\""),
    )
    .unwrap();
    let o = extract(&out, &["--no-xlsx", arg(&seed)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.path().join("escape").exists() && !dir.path().join("a/escape").exists());
    // The file was read again, and gave what it gave the first time.
    assert_eq!(manifest(&out)["counts"]["extracted"], 1);
    let csvs = |s: Vec<(String, Vec<u8>)>| -> Vec<_> {
        s.into_iter().filter(|(n, _)| n.ends_with(".csv")).collect()
    };
    assert_eq!(csvs(snapshot(&out)), csvs(before));
}

#[test]
fn failures_of_the_moment_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::copy(
        root().join("corpus/txt/000_b167f79e2d5dde0a.txt"),
        input.join("b.txt"),
    )
    .unwrap();
    let out = dir.path().join("out");
    // No PDF engine on PATH: the PDF fails with pdf_engine_missing.
    let run = || {
        Command::new(bin())
            .args(["extract", "--quiet", "-o"])
            .arg(&out)
            .arg(&input)
            .env("PATH", dir.path().join("no-tools"))
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(3));
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    assert!(errors.contains("pdf_engine_missing"), "{errors}");
    let cache = std::fs::read_to_string(out.join(".jixiao-cache.jsonl")).unwrap();
    assert!(!cache.contains("pdf_engine_missing"));
    // The next run tries the PDF again and reuses the text file.
    assert_eq!(run().status.code(), Some(3));
    let counts = &manifest(&out)["counts"];
    assert_eq!(
        (counts["from_cache"].as_u64(), counts["extracted"].as_u64()),
        (Some(1), Some(1))
    );
}

/// Whether process `pid` still exists (and is not a zombie).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

/// Starts `extract` into `out` over a PDF whose engine `program` (a stand-in for pdftotext
/// or pdftoppm that never finishes, like poppler on a hostile PDF) writes its pid where the
/// test sees it; TMPDIR is `dir/tmp`. Returns the run and, once it is running, the engine's
/// pid. A stuck pdftoppm needs the real pdftotext to find a page worth drawing.
fn run_with_stuck_engine(dir: &Path, out: &Path, program: &str) -> (std::process::Child, String) {
    let tools = dir.join("tools");
    let input = dir.join("in");
    for d in [&tools, &input, &dir.join("tmp")] {
        std::fs::create_dir_all(d).unwrap();
    }
    let fake = tools.join(program);
    std::fs::write(&fake, "#!/bin/sh\necho $$ > \"$JX_ENGINE_PID.tmp\"\nmv \"$JX_ENGINE_PID.tmp\" \"$JX_ENGINE_PID\"\nexec sleep 600\n").unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    if program == "pdftoppm" {
        let tabular = root().join("corpus/pdf/003_3ecd34c07709391b.pdf");
        std::fs::copy(tabular, input.join("a.pdf")).unwrap();
    } else {
        std::fs::write(input.join("a.pdf"), b"%PDF-1.4\n").unwrap();
    }
    let pid_file = out.with_extension("engine");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .arg(&input)
        .env("PATH", path)
        .env("JX_ENGINE_PID", &pid_file)
        .env("TMPDIR", dir.join("tmp"))
        .spawn()
        .unwrap();
    wait_for("the PDF engine", || pid_file.exists());
    let engine = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string();
    assert!(alive(&engine));
    (child, engine)
}

/// Whether the engine is still alive after `grace`; kills it if so (no test leaves one).
fn outlived(engine: &str, grace: Duration) -> bool {
    let t = Instant::now();
    while alive(engine) && t.elapsed() < grace {
        std::thread::sleep(Duration::from_millis(10));
    }
    let left = alive(engine);
    if left {
        let _ = Command::new("kill").args(["-KILL", engine]).status();
    }
    left
}

#[test]
fn sigterm_and_sighup_end_the_run_and_its_pdf_engine() {
    let dir = tempfile::tempdir().unwrap();
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let out = dir.path().join(format!("out-{signal}"));
        let before = previous(&out);
        let (child, engine) = run_with_stuck_engine(dir.path(), &out, "pdftotext");
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = child.wait_with_output().unwrap().status;
        let engine_left = outlived(&engine, Duration::ZERO);
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert!(!engine_left, "SIG{signal}: the PDF engine outlived the run");
        assert_eq!(snapshot(&out), before, "SIG{signal}");
    }
}

/// A run killed with SIGKILL cannot end its PDF engine: the kernel does (the engine asked for
/// it before it started), and the next run into DIR removes what the killed run left, in DIR
/// and in TMPDIR (the folder of the page drawings pdftoppm was making).
#[cfg(target_os = "linux")]
#[test]
fn sigkill_ends_the_pdf_engine_and_the_next_run_cleans_up() {
    if !super::tool("pdftotext", "-v") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (mut child, engine) = run_with_stuck_engine(dir.path(), &out, "pdftoppm");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !outlived(&engine, Duration::from_secs(5)),
        "the PDF engine outlived a run killed with SIGKILL"
    );
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".jixiao-") && n != ".jixiao-cache.jsonl")
            .collect()
    };
    assert!(
        !leftovers().is_empty(),
        "the killed run left nothing to clean"
    );
    let tmp = dir.path().join("tmp");
    let in_tmp = || std::fs::read_dir(&tmp).unwrap().count();
    assert_eq!(in_tmp(), 1, "the killed run's drawings folder");
    let o = Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(&out)
        .arg(root().join("corpus/txt"))
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(leftovers(), Vec::<String>::new());
    assert_eq!(in_tmp(), 0, "the killed run's drawings folder is left");
}

/// A 5 MB tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    /// Mounts one at `at`; none where mounting is not allowed (not root, a container without
    /// the capability).
    fn mount(at: &Path) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=5m", "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_an_error_with_its_reason_and_the_previous_dataset_stays() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk")) else {
        assert!(
            std::env::var("CI").is_err(),
            "CI: mounting a 5 MB tmpfs needs root"
        );
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let out = disk.0.join("out");
    let o = extract(&out, &[arg(&root().join("corpus/txt"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    // 20 copies of the text and Word seeds give more rows than 5 MB hold.
    let input = dir.path().join("in");
    for i in 0..20 {
        let d = input.join(format!("c{i}"));
        super::copy_files("corpus/txt", &d);
        super::copy_files("corpus/docx", &d);
    }
    for _ in 0..3 {
        let o = extract(&out, &[arg(&input)]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(e.contains("No space left on device"), "{e}");
        assert_eq!(snapshot(&out), before);
        // Nothing of the failed run is left taking the space.
        assert!(!std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".jixiao-tmp-")));
    }
}

/// A PDF whose tables are found from page drawings fails, with its reason, when the
/// temporary folder cannot hold them: missing, and (where a tmpfs can be mounted) full.
/// Before, its tables silently became paragraphs and the run exited 0.
#[test]
fn a_pdf_whose_drawings_cannot_be_made_fails_naming_tmpdir() {
    if !super::tool("pdftoppm", "-v") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        root().join("corpus/pdf/003_3ecd34c07709391b.pdf"),
        input.join("a.pdf"),
    )
    .unwrap();
    let run = |name: &str, tmp: &Path| {
        let out = dir.path().join(name);
        let o = Command::new(bin())
            .args(["extract", "--quiet", "--no-xlsx", "-o"])
            .arg(&out)
            .arg(&input)
            .env("TMPDIR", tmp)
            .output()
            .unwrap();
        (o, out)
    };
    let (o, _) = run("fine", dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let full = Tmpfs::mount(&dir.path().join("full"));
    let mut folders = vec![dir.path().join("missing")];
    if let Some(full) = &full {
        // Filled to the last byte.
        let _ = std::fs::write(full.0.join("fill"), vec![0u8; 6 << 20]);
        folders.push(full.0.clone());
    } else {
        eprintln!("full TMPDIR not tried: cannot mount a tmpfs here (needs root)");
    }
    for (i, tmp) in folders.iter().enumerate() {
        let (o, out) = run(&format!("out{i}"), tmp);
        assert_eq!(
            o.status.code(),
            Some(3),
            "{}: {}",
            tmp.display(),
            stderr(&o)
        );
        let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
        assert!(
            errors.contains("a.pdf,io,") && errors.contains("TMPDIR"),
            "{errors}"
        );
    }
}

/// GBK file names (from a Windows zip) come out decoded, and two of them whose size and time
/// match never share cache rows: the cached run writes what the first one did.
#[cfg(unix)]
#[test]
fn gbk_names_are_decoded_and_never_share_cache_rows() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let seed = std::fs::read(root().join("corpus/txt/000_b167f79e2d5dde0a.txt")).unwrap();
    // The same report with its last digit changed: the same size, other bytes.
    let mut other = seed.clone();
    let last = other.iter().rposition(u8::is_ascii_digit).unwrap();
    other[last] = if other[last] == b'9' {
        b'1'
    } else {
        other[last] + 1
    };
    let when = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for (name, bytes) in [("甲镇报告.txt", &seed), ("乙镇报告.txt", &other)] {
        let gbk = encoding_rs::GBK.encode(name).0.into_owned();
        let path = input.join(std::ffi::OsStr::from_bytes(&gbk));
        std::fs::write(&path, bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    let out = dir.path().join("out");
    let o = extract(&out, &["--no-xlsx", arg(&input)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = snapshot(&out);
    let reports: String = first
        .iter()
        .filter(|(n, _)| n.ends_with("reports.csv"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        reports.contains("甲镇报告.txt") && reports.contains("乙镇报告.txt"),
        "{reports}"
    );
    let o = extract(&out, &["--no-xlsx", arg(&input)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(manifest(&out)["counts"]["from_cache"], 2);
    let csvs = |s: Vec<(String, Vec<u8>)>| -> Vec<_> {
        s.into_iter().filter(|(n, _)| n.ends_with(".csv")).collect()
    };
    assert_eq!(csvs(snapshot(&out)), csvs(first));
}

/// A file listed three times is one report; a link out of the folder given is reported and
/// not read; two PATHs whose files would share names stop the run, the last dataset kept.
#[cfg(unix)]
#[test]
fn names_are_unique_and_links_out_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let seed = root().join("corpus/txt/000_b167f79e2d5dde0a.txt");
    let list = dir.path().join("list");
    std::fs::write(&list, format!("{0}\n{0}\n{0}\n", seed.display())).unwrap();
    let out = dir.path().join("out");
    let o = extract(&out, &["--files-from", arg(&list)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(manifest(&out)["counts"]["files"], 1);
    // A folder with a report of its own and a link to one outside it.
    let linked = dir.path().join("linked");
    std::fs::create_dir_all(&linked).unwrap();
    std::os::unix::fs::symlink(&seed, linked.join("a.txt")).unwrap();
    std::fs::copy(
        root().join("corpus/txt/001_7677739c59076178.txt"),
        linked.join("b.txt"),
    )
    .unwrap();
    let o = extract(&dir.path().join("out-link"), &[arg(&linked)]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let errors = std::fs::read_to_string(dir.path().join("out-link/errors.csv")).unwrap();
    assert!(
        errors.contains("a.txt,io,") && errors.contains("outside the folder given"),
        "{errors}"
    );
    assert_eq!(manifest(&dir.path().join("out-link"))["counts"]["files"], 1);
    // Two folders both called txt.
    let before = snapshot(&out);
    for side in ["x", "y"] {
        let d = dir.path().join(side).join("txt");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(&seed, d.join("a.txt")).unwrap();
    }
    let (x, y) = (dir.path().join("x/txt"), dir.path().join("y/txt"));
    let o = extract(&out, &[arg(&x), arg(&y)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("txt/a.txt"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
}
