//! A run killed part-way (SIGKILL) or interrupted (SIGINT) leaves the previous dataset in
//! DIR exactly as it was; SIGINT exits 130.

use std::path::Path;
use std::time::Duration;

use super::{big_input, bin, root, snapshot};

/// Starts a run over a large input into `out` and lets it get part-way.
fn start_big_run(dir: &Path, out: &Path) -> std::process::Child {
    let input = big_input(dir);
    let child = std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .arg(&input)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    child
}

fn previous_dataset(out: &Path) -> Vec<(String, Vec<u8>)> {
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .arg(root().join("corpus/txt"))
        .status()
        .unwrap();
    assert!(status.success());
    snapshot(out)
}

#[test]
fn sigkill_part_way_leaves_the_previous_dataset_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous_dataset(&out);
    assert!(before.iter().any(|(n, _)| n == "manifest.json"));
    let mut child = start_big_run(dir.path(), &out);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before it could be killed; enlarge the input"
    );
    assert_eq!(snapshot(&out), before);
    // The next run cleans the killed run's scratch folder and writes a whole dataset.
    assert!(previous_dataset(&out)
        .iter()
        .any(|(n, _)| n == "manifest.json"));
    assert!(!std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".jixiao-tmp-")));
}

#[test]
fn sigint_stops_exits_130_and_leaves_the_previous_dataset_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let before = previous_dataset(&out);
    let child = start_big_run(dir.path(), &out);
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(130));
    assert_eq!(snapshot(&out), before);
}
