//! The soak (`make soak`, ignored by default): 20,000 generated documents with 2% corrupted
//! ones mixed in (truncations, bit flips, deflate bombs, wrong formats, empty files). Zero
//! panics, every corrupted file in errors.csv with a reason, every good one in reports.csv,
//! peak memory printed.

use std::collections::HashSet;

use super::{bin, root};

#[test]
#[ignore = "minutes long; run with `make soak`"]
fn soak_20000_documents_with_2_percent_corrupted() {
    let n = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let corpus = super::generate(dir.path(), n, 3);
    std::fs::remove_dir_all(corpus.join("gold")).unwrap();
    let bomb = std::fs::read(root().join("tests/fixtures/bomb.docx")).unwrap();
    let mut corrupted = HashSet::new();
    let mut x: u64 = 99;
    for i in (0..n).step_by(50) {
        let stem = format!("gen{i:06}");
        let docx = corpus.join(format!("{stem}.docx"));
        let kind = (i / 50) % 5;
        let bytes = std::fs::read(&docx).unwrap();
        let new = match kind {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => {
                // Bit flips inside the compressed main part: the CRC or inflate catches them.
                let mut b = bytes.clone();
                for _ in 0..32 {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let at = 200 + (x >> 33) as usize % (b.len() - 400);
                    b[at] ^= 1 << ((x >> 20) % 8);
                }
                b
            }
            2 => bomb.clone(),
            3 => b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
            _ => Vec::new(),
        };
        std::fs::write(&docx, new).unwrap();
        // errors.csv names a file by its path below the folder argument (the corpus).
        corrupted.insert(format!("{stem}.docx"));
    }
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let run = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(&out)
        .arg(&corpus)
        .output()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(run.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let rss_mb = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024);
    let mut errors = csv::Reader::from_path(out.join("errors.csv")).unwrap();
    let mut failed = HashSet::new();
    for row in errors.records().flatten() {
        assert!(
            !row[2].contains("internal error"),
            "a panic was caught: {row:?}"
        );
        assert!(!row[1].is_empty());
        failed.insert(row[0].to_string());
    }
    let mut reported = HashSet::new();
    for year in std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("reports.csv").exists())
    {
        let mut r = csv::Reader::from_path(year.path().join("reports.csv")).unwrap();
        for row in r.records().flatten() {
            reported.insert(row[1].to_string());
        }
    }
    let missing: Vec<_> = corrupted
        .iter()
        .filter(|p| !failed.contains(*p))
        .take(5)
        .collect();
    assert!(
        missing.is_empty(),
        "corrupted files not in errors.csv: {missing:?}"
    );
    assert_eq!(
        failed.len(),
        corrupted.len(),
        "only the corrupted files fail"
    );
    assert_eq!(
        reported.len(),
        n - corrupted.len(),
        "every good file is reported"
    );
    eprintln!(
        "soak: {n} files, {} corrupted, {} failed with a reason, {} reported, 0 panics, {secs:.1} s ({:.0} docs/s), peak RSS {rss_mb} MB",
        corrupted.len(),
        failed.len(),
        reported.len(),
        n as f64 / secs
    );
}
