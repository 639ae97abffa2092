//! The lines `extract` and `merge` print at the end of a run, in words: where the dataset
//! went, its reports per year, and what became of the files. Field coverage and townships
//! are on `report.html`, not here: a nightly log should stay readable at a glance.

use std::path::Path;

use crate::pipeline::Outcome;
use crate::words::{count, duration};

/// `extract`'s last line: `jixiao: dataset written to output/ (2023: 29 reports, 2024: 6):
/// 40 files, 35 extracted, 2 skipped as not self-evaluations, 3 failed; 12 from the last
/// run's cache; 1.2 s`.
pub fn extract(o: &Outcome, out: &Path) -> String {
    let extracted = o.files.saturating_sub(o.failed).saturating_sub(o.skipped);
    let mut parts = vec![
        count(o.files, "file", "files"),
        format!("{extracted} extracted"),
    ];
    if o.skipped > 0 {
        parts.push(format!("{} skipped as not self-evaluations", o.skipped));
    }
    parts.push(format!("{} failed", o.failed));
    let cache = if o.reused > 0 {
        format!("; {} from the last run's cache", o.reused)
    } else {
        String::new()
    };
    format!(
        "jixiao: dataset written to {} ({}): {}{cache}; {}",
        folder(out),
        per_year(o),
        parts.join(", "),
        duration(o.seconds)
    )
}

/// `merge`'s last line: what it wrote and from how many shards; the files are the shards'
/// (merge reads no input itself).
pub fn merge(o: &Outcome, out: &Path, shards: usize) -> String {
    format!(
        "jixiao: {} merged into {} ({}): {} in all, {} skipped as not self-evaluations, {} failed; {}",
        count(shards, "shard", "shards"),
        folder(out),
        per_year(o),
        count(o.files, "file", "files"),
        o.skipped,
        o.failed,
        duration(o.seconds)
    )
}

/// `2023: 29 reports, 2024: 6`: the unit named once.
fn per_year(o: &Outcome) -> String {
    let mut years = o.per_year.iter().filter(|(_, n)| **n > 0);
    let Some((y, n)) = years.next() else {
        return "no report".into();
    };
    std::iter::once(format!("{y}: {}", count(*n, "report", "reports")))
        .chain(years.map(|(y, n)| format!("{y}: {n}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A folder as the user would type it again, ending with `/`.
fn folder(dir: &Path) -> String {
    let shown = dir.display().to_string();
    if shown.ends_with('/') || shown.ends_with(std::path::MAIN_SEPARATOR) {
        shown
    } else {
        format!("{shown}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Outcome {
        Outcome {
            files: 40,
            failed: 3,
            skipped: 2,
            reused: 12,
            seconds: 1.23,
            per_year: [("2023".to_string(), 29), ("2024".to_string(), 6)].into(),
            ..Outcome::default()
        }
    }

    #[test]
    fn extract_says_where_and_how_many_in_words() {
        assert_eq!(
            extract(&outcome(), Path::new("output")),
            "jixiao: dataset written to output/ (2023: 29 reports, 2024: 6): 40 files, \
             35 extracted, 2 skipped as not self-evaluations, 3 failed; 12 from the last run's \
             cache; 1.2 s"
        );
        let one = Outcome {
            files: 1,
            per_year: [("2023".to_string(), 1)].into(),
            ..Outcome::default()
        };
        assert_eq!(
            extract(&one, Path::new("out/")),
            "jixiao: dataset written to out/ (2023: 1 report): 1 file, 1 extracted, 0 failed; 0.0 s"
        );
        assert!(extract(&Outcome::default(), Path::new("o")).contains("(no report)"));
    }

    #[test]
    fn merge_does_not_claim_to_read() {
        let line = merge(&outcome(), Path::new("ds"), 4);
        assert_eq!(
            line,
            "jixiao: 4 shards merged into ds/ (2023: 29 reports, 2024: 6): 40 files in all, \
             2 skipped as not self-evaluations, 3 failed; 1.2 s"
        );
    }
}
