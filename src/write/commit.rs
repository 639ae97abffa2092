//! What a run may replace in DIR, and the swap that puts a finished dataset in place.
//!
//! jixiao deletes or replaces only what it wrote. A year folder (`2023/`, `unknown-year/`) is
//! jixiao's when the last `manifest.json` lists it and it holds nothing but the files a run
//! writes there; top-level files (`errors.csv`, `skipped.csv`, `datapackage.json`,
//! `report.html`, the cache) are jixiao's when a jixiao manifest sits beside them. [`survey`]
//! finds anything else before a run writes, so the run stops instead of destroying someone's
//! files.
//!
//! The swap is two-phase with a journal: the new dataset is finished in a staging folder, a
//! journal naming what goes out and what comes in is written (atomically, by rename), the old
//! items are moved aside, the new ones moved in (`manifest.json` last), and the journal is
//! removed. Before the journal exists the old dataset is whole in DIR; once it exists the new
//! one is whole between DIR and the staging folder, and [`recover`] (run by the next run into
//! DIR, under its lock) finishes the moves. Renames within one folder are atomic, so a process
//! killed at any instant leaves one of the two datasets recoverable, never a mix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Context, Result, RunError};
use crate::write::schema;
use crate::write::workbook;

/// The journal of a swap in progress.
pub const JOURNAL: &str = ".jixiao-commit.json";
/// Prefix of a run's staging folder (`.jixiao-tmp-PID`).
const STAGING_PREFIX: &str = ".jixiao-tmp-";
/// Prefix of the folder the old dataset is moved to during a swap.
const OLD_PREFIX: &str = ".jixiao-old-";
/// Written last, so a folder with a manifest holds a whole dataset.
const MANIFEST: &str = "manifest.json";
/// The cache of a run's outcomes per file (`crate::cache`), kept in DIR.
pub const CACHE_FILE: &str = ".jixiao-cache.jsonl";
/// Top-level files a run writes beside its manifest, other than the manifest.
const TOP_FILES: [&str; 5] = [
    "errors.csv",
    schema::SKIPPED.file,
    crate::write::dataset::DATAPACKAGE,
    "report.html",
    CACHE_FILE,
];

/// This run's staging folder in `dir`.
pub fn staging(dir: &Path) -> PathBuf {
    dir.join(format!("{STAGING_PREFIX}{}", std::process::id()))
}

/// Removes this run's staging folder when dropped, if it is still there: a run that ends
/// with an error part-way (a full disk) must not leave DIR full of a half-written dataset.
/// After a swap the folder is gone and this does nothing.
pub struct StagingGuard(PathBuf);

impl StagingGuard {
    pub fn new(dir: &Path) -> Self {
        StagingGuard(staging(dir))
    }
}

impl Drop for StagingGuard {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Whether `name` is a year folder's name: four digits or `unknown-year`.
pub fn is_year(name: &str) -> bool {
    name == "unknown-year" || (name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a run writes a file named `name` into year folder `year`.
fn is_year_file(year: &str, name: &str) -> bool {
    schema::YEAR_TABLES.iter().any(|t| t.file == name)
        || name == schema::COVERAGE.file
        || name == crate::write::dataset::DATAPACKAGE
        || name == workbook::file_name(year)
}

/// What the last run left in DIR: the year folders it wrote and how many reports it had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    pub years: Vec<String>,
    pub reports: usize,
    /// Whether DIR holds a jixiao manifest.
    pub manifest: bool,
}

/// The part of a manifest that says what it owns.
#[derive(Deserialize)]
struct Owned {
    tool: String,
    counts: OwnedCounts,
}

#[derive(Deserialize)]
struct OwnedCounts {
    reports_per_year: BTreeMap<String, usize>,
}

/// Reads what the last run in `dir` wrote, and refuses a folder holding anything a run would
/// replace without having written it: a year folder the manifest does not list, a listed one
/// holding other files, `errors.csv` or `report.html` without a jixiao manifest.
pub fn survey(dir: &Path) -> Result<Previous> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Previous::default());
    };
    let mut names: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    names.sort();
    let mut previous = Previous::default();
    let manifest_path = dir.join(MANIFEST);
    if manifest_path.exists() {
        let owned = std::fs::read(&manifest_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Owned>(&b).ok())
            .filter(|o| o.tool == "jixiao")
            .with_context(|| {
                format!(
                    "{} is not a jixiao manifest: DIR holds files jixiao did not write; nothing was written (choose another -o DIR)",
                    manifest_path.display()
                )
            })?;
        previous.manifest = true;
        previous.reports = owned.counts.reports_per_year.values().sum();
        previous.years = owned
            .counts
            .reports_per_year
            .into_keys()
            .filter(|y| is_year(y))
            .collect();
    }
    // Each folder (or file) that is not jixiao's, with what in it is not.
    let mut foreign: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for (name, path) in &names {
        if is_year(name) {
            let listed = previous.years.contains(name);
            let Ok(inner) = std::fs::read_dir(path) else {
                foreign.push((path.clone(), Vec::new()));
                continue;
            };
            let mut not_ours: Vec<String> = inner
                .flatten()
                .filter(|e| {
                    !listed
                        || !is_year_file(name, &e.file_name().to_string_lossy())
                        || !e.path().is_file()
                })
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            not_ours.sort();
            if !listed || !not_ours.is_empty() {
                foreign.push((path.clone(), not_ours));
            }
        } else if !previous.manifest && TOP_FILES.contains(&name.as_str()) {
            foreign.push((path.clone(), Vec::new()));
        }
    }
    if foreign.is_empty() {
        return Ok(previous);
    }
    const SHOWN: usize = 10;
    let shown: Vec<String> = foreign
        .iter()
        .map(|(path, inside)| {
            let more = inside.len().saturating_sub(SHOWN);
            let mut names = inside
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if more > 0 {
                names.push_str(&format!(" and {more} more"));
            }
            if inside.is_empty() {
                path.display().to_string()
            } else {
                format!("{} ({names})", path.display())
            }
        })
        .collect();
    Err(RunError::Invalid(format!(
        "{} holds files jixiao did not write, where a run would write its own: {}; nothing was written (move them away or choose another -o DIR)",
        dir.display(),
        shown.join("; ")
    )))
}

/// Whether `dir` holds a jixiao dataset (its `manifest.json` says so).
pub fn is_dataset(dir: &Path) -> bool {
    let path = dir.join(MANIFEST);
    path.is_file()
        && std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Owned>(&b).ok())
            .is_some_and(|o| o.tool == "jixiao")
}

/// A swap in progress, as the journal records it. Names are relative to DIR.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Journal {
    /// The staging folder holding the new dataset.
    staging: String,
    /// Where the old items are moved.
    old: String,
    /// Old items moved out of DIR, `manifest.json` first.
    out: Vec<String>,
    /// New items moved in from staging, `manifest.json` last.
    r#in: Vec<String>,
}

/// Swaps the finished dataset in `staging` (a folder inside `dir`) into `dir`: the year
/// folders of `previous` and every old item the new dataset replaces go out, everything in
/// `staging` comes in, and `staging` is removed.
pub fn swap(dir: &Path, staging: &Path, previous: &Previous) -> Result<()> {
    let staging_name = staging
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("the staging folder has a name")?;
    let mut incoming: Vec<String> = std::fs::read_dir(staging)
        .with_context(|| format!("listing {}", staging.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    incoming.sort();
    // The manifest last in, first out: without it DIR does not claim a whole dataset.
    incoming.sort_by_key(|n| n == MANIFEST);
    let mut outgoing: Vec<String> = previous.years.clone();
    for name in &incoming {
        if !outgoing.contains(name) && dir.join(name).exists() {
            outgoing.push(name.clone());
        }
    }
    outgoing.sort();
    outgoing.sort_by_key(|n| n != MANIFEST);
    let journal = Journal {
        staging: staging_name,
        old: format!("{OLD_PREFIX}{}", std::process::id()),
        out: outgoing,
        r#in: incoming,
    };
    crash_point("staged");
    let tmp = dir.join(format!("{JOURNAL}.tmp"));
    write_synced(&tmp, &serde_json::to_vec_pretty(&journal)?)?;
    std::fs::rename(&tmp, dir.join(JOURNAL)).context("writing the commit journal")?;
    sync_dir(dir);
    crash_point("journal");
    apply(dir, &journal)
}

/// Finishes a swap a killed run left in `dir` (its journal exists), and removes the staging
/// and old folders of runs that died before or after one. Call only under DIR's lock.
/// Returns whether a swap was finished.
pub fn recover(dir: &Path) -> Result<bool> {
    let journal_path = dir.join(JOURNAL);
    let finished = match std::fs::read(&journal_path) {
        Ok(bytes) => {
            let journal: Journal = serde_json::from_slice(&bytes)
                .with_context(|| format!("reading {}", journal_path.display()))?;
            apply(dir, &journal)?;
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| format!("reading {}", journal_path.display())),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(finished);
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(STAGING_PREFIX) || name.starts_with(OLD_PREFIX) {
            std::fs::remove_dir_all(e.path())
                .with_context(|| format!("removing a dead run's {}", e.path().display()))?;
        } else if name == format!("{JOURNAL}.tmp") || name == ".report.html.tmp" {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(finished)
}

/// Makes `dir` fit to be read as a dataset by a command that only reads it (`diff`, the
/// shards of `merge`): a swap a killed run left half done (its journal is there) is finished
/// first, under DIR's lock, as the next `extract` into DIR would. Without that, DIR holds the
/// old dataset in part, or no manifest at all. A swap still running in a live process is
/// refused with its holder named. Returns a note when a swap was finished.
pub fn settle(dir: &Path, started: &str) -> Result<Option<String>> {
    if !dir.join(JOURNAL).exists() {
        return Ok(None);
    }
    let (_lock, _) = crate::write::lock::DirLock::acquire(dir, started).map_err(|e| {
        RunError::Invalid(format!(
            "{} holds a commit in progress ({JOURNAL}) that cannot be finished before reading it: {e}",
            dir.display()
        ))
    })?;
    recover(dir)?;
    Ok(Some(format!(
        "finished the commit a killed run left in {} before reading it",
        dir.display()
    )))
}

/// Carries out (or finishes) the moves a journal names. Each step checks where its item is,
/// so running it again after a kill at any point ends in the same place.
fn apply(dir: &Path, journal: &Journal) -> Result<()> {
    let staging = dir.join(&journal.staging);
    let old = dir.join(&journal.old);
    if !old.exists() {
        std::fs::create_dir(&old).with_context(|| format!("creating {}", old.display()))?;
    }
    for name in &journal.out {
        // An item still in staging has not come in: what stands in DIR is the old one.
        let replaced = !journal.r#in.contains(name) || staging.join(name).exists();
        if replaced && dir.join(name).exists() {
            std::fs::rename(dir.join(name), old.join(name))
                .with_context(|| format!("moving the old {} aside", dir.join(name).display()))?;
            crash_point(&format!("out {name}"));
        }
    }
    for name in &journal.r#in {
        if staging.join(name).exists() {
            std::fs::rename(staging.join(name), dir.join(name))
                .with_context(|| format!("moving {} into place", dir.join(name).display()))?;
            crash_point(&format!("in {name}"));
        }
    }
    sync_dir(dir);
    std::fs::remove_file(dir.join(JOURNAL)).context("removing the commit journal")?;
    crash_point("done");
    std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("removing {}", staging.display()))?;
    }
    Ok(())
}

/// Writes `bytes` to `path` and flushes them to disk.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// Flushes a folder's entries (its renames) to disk, where the platform allows it.
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Test hook: `JIXIAO_CRASH_AT=<step>` kills the process (SIGKILL, no clean-up) right after
/// that step of a swap (`staged`, `journal`, `out NAME`, `in NAME`, `done`), so the tests can stop a
/// commit at every step. Steps are named, not numbered, so a test names each one it kills at.
fn crash_point(step: &str) {
    if std::env::var("JIXIAO_CRASH_AT").is_ok_and(|s| s == step) {
        #[cfg(unix)]
        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(years: &[&str]) -> String {
        let per: BTreeMap<&str, usize> = years.iter().map(|y| (*y, 1)).collect();
        serde_json::json!({"tool": "jixiao", "counts": {"reports_per_year": per}}).to_string()
    }

    #[test]
    fn year_folders_are_ours_only_when_listed_and_clean() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(survey(d).unwrap(), Previous::default());
        std::fs::create_dir(d.join("2023")).unwrap();
        std::fs::write(d.join("2023/a.docx"), "x").unwrap();
        // Not listed by any manifest: a folder of sources.
        let e = survey(d).unwrap_err().to_string();
        assert!(e.contains("2023") && e.contains("did not write"), "{e}");
        std::fs::write(d.join(MANIFEST), manifest(&["2023"])).unwrap();
        // Listed, but holding a file a run does not write.
        let e = survey(d).unwrap_err().to_string();
        assert!(e.contains("a.docx"), "{e}");
        std::fs::remove_file(d.join("2023/a.docx")).unwrap();
        std::fs::write(d.join("2023/reports.csv"), "x").unwrap();
        std::fs::write(d.join("2023/jixiao-2023.xlsx"), "x").unwrap();
        std::fs::write(d.join("errors.csv"), "x").unwrap();
        let p = survey(d).unwrap();
        assert_eq!(
            (p.years, p.reports, p.manifest),
            (vec!["2023".into()], 1, true)
        );
        // errors.csv without a jixiao manifest is someone else's.
        std::fs::write(d.join(MANIFEST), "{}").unwrap();
        assert!(survey(d).is_err());
        std::fs::remove_file(d.join(MANIFEST)).unwrap();
        std::fs::remove_dir_all(d.join("2023")).unwrap();
        assert!(survey(d).unwrap_err().to_string().contains("errors.csv"));
        assert!(
            is_year("2023") && is_year("unknown-year") && !is_year("../x") && !is_year("20234")
        );
    }

    #[test]
    fn a_swap_replaces_listed_years_and_is_finished_from_its_journal() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for (p, t) in [("2022/reports.csv", "old22"), ("2023/reports.csv", "old23")] {
            std::fs::create_dir_all(d.join(p).parent().unwrap()).unwrap();
            std::fs::write(d.join(p), t).unwrap();
        }
        std::fs::write(d.join(MANIFEST), manifest(&["2022", "2023"])).unwrap();
        let staging = d.join(".jixiao-tmp-1");
        std::fs::create_dir_all(staging.join("2023")).unwrap();
        std::fs::write(staging.join("2023/reports.csv"), "new23").unwrap();
        std::fs::write(staging.join(MANIFEST), manifest(&["2023"])).unwrap();
        std::fs::write(staging.join("scratch"), "").unwrap();
        // A journal as a run killed right after writing it leaves it.
        let journal = Journal {
            staging: ".jixiao-tmp-1".into(),
            old: ".jixiao-old-1".into(),
            out: vec![MANIFEST.into(), "2022".into(), "2023".into()],
            r#in: vec!["2023".into(), MANIFEST.into()],
        };
        std::fs::write(d.join(JOURNAL), serde_json::to_vec(&journal).unwrap()).unwrap();
        assert!(recover(d).unwrap());
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["2023", MANIFEST]);
        assert_eq!(
            std::fs::read_to_string(d.join("2023/reports.csv")).unwrap(),
            "new23"
        );
        assert!(!recover(d).unwrap());
    }
}
