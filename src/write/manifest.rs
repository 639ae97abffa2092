//! `manifest.json`: what a run did, as one typed struct that `extract` writes and `merge`
//! reads back (the shard → merge contract), with the build fingerprint that lets `merge`
//! refuse shards of other code or rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::write::dataset::Townships;

/// The time now in unix seconds, as the lock records it (the manifest writes it as
/// [`iso8601`]).
pub fn unix_seconds() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{secs}")
}

/// The run as a whole. `files` is written last, streamed from a spool (one entry per input),
/// and read back whole by `merge`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// The fingerprint of the sources and rules the binary was built from (build.rs).
    pub build: String,
    /// ISO 8601 in UTC (`2026-12-07T03:50:12Z`), see [`iso8601`].
    pub started: String,
    pub finished: String,
    /// The PATH arguments, `/`-separated: `source_path`s are relative to these.
    pub inputs: Vec<String>,
    /// `K/N` for a shard.
    pub shard: Option<String>,
    /// The shard folders a merged dataset came from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    pub inputs_discovered: usize,
    pub counts: Counts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheUse>,
    /// Share of reports in which each report field was found.
    pub coverage: BTreeMap<String, f64>,
    /// Per year: counties covered and their townships without a report.
    #[serde(default)]
    pub townships: BTreeMap<String, Townships>,
    pub discovery_errors: Vec<DiscoveryError>,
    /// Per year folder: a hash of its rows and what was kept from the last run.
    #[serde(default)]
    pub years: BTreeMap<String, YearEntry>,
    #[serde(default, skip_serializing)]
    pub files: Vec<FileEntry>,
}

/// A year folder as written: enough for the next run to know whether its workbook and
/// datapackage would come out the same, and whether the files in DIR are still those.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct YearEntry {
    /// A hash of the year's four CSVs as written and of the build that wrote them: the
    /// workbook and the datapackage are functions of these.
    pub rows_hash: String,
    /// The workbook's size and modification time (nanoseconds since 1970), when one was
    /// written or kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workbook: Option<(u64, u128)>,
    /// Files kept from the last run as they were, instead of written again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reused: Vec<String>,
}

/// How many inputs went which way.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub files: usize,
    pub read: usize,
    pub failed: usize,
    /// Inputs read but not self-evaluations (`skipped.csv`); not failures.
    #[serde(default)]
    pub skipped: usize,
    pub reports_per_year: BTreeMap<String, usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_cache: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted: Option<usize>,
}

/// What the cache in DIR gave.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CacheUse {
    pub reused: usize,
    /// Why an earlier cache was not used, if it was not.
    pub ignored: Option<String>,
}

/// A path given on the command line that could not be opened or listed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiscoveryError {
    pub path: String,
    pub reason: String,
    pub message: String,
}

/// One report a read input gave (a file holds several when it holds several forms): its id,
/// year folder and the rows it contributed, which `merge` slices shard files by.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportEntry {
    pub report_id: String,
    /// The year folder its rows went to.
    pub fiscal_year: String,
    /// Rows it wrote into amounts.csv, indicators.csv and checks.csv.
    pub rows: RowCounts,
}

/// A report's rows in each table of its year, named (`{"amounts": 51, "indicators": 0,
/// "checks": 2}`) so a reader of the manifest need not know the tables' order.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct RowCounts {
    pub amounts: usize,
    pub indicators: usize,
    pub checks: usize,
}

impl From<[usize; 3]> for RowCounts {
    fn from([amounts, indicators, checks]: [usize; 3]) -> Self {
        RowCounts {
            amounts,
            indicators,
            checks,
        }
    }
}

impl RowCounts {
    /// In the order of [`crate::write::schema::YEAR_TABLES`] after reports.csv.
    pub fn as_array(self) -> [usize; 3] {
        [self.amounts, self.indicators, self.checks]
    }
}

/// Named, or the unlabelled `[51, 0, 2]` of manifests written before: an older shard must
/// parse so that `merge` can refuse it for its build, with that reason, rather than fail on
/// its shape.
impl<'de> Deserialize<'de> for RowCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Named {
            amounts: usize,
            indicators: usize,
            checks: usize,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Named(Named),
            Listed([usize; 3]),
        }
        Ok(match Either::deserialize(d)? {
            Either::Named(n) => RowCounts {
                amounts: n.amounts,
                indicators: n.indicators,
                checks: n.checks,
            },
            Either::Listed(a) => a.into(),
        })
    }
}

/// Unix seconds (as the lock and older manifests write them) as ISO 8601 in UTC:
/// `1796615412` → `2026-12-07T03:50:12Z`. A text that is no number is returned as it is.
pub fn iso8601(unix: &str) -> String {
    match unix.parse::<i64>() {
        Ok(secs) => {
            let (y, mo, d, h, mi, s) = civil(secs);
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        }
        Err(_) => unix.to_string(),
    }
}

/// A manifest time for people, `2026-12-07 03:50:12 UTC`, from ISO 8601 or from the unix
/// seconds of manifests written before.
pub fn for_people(time: &str) -> String {
    let iso = iso8601(time);
    match iso.strip_suffix('Z').and_then(|t| t.split_once('T')) {
        Some((date, clock)) => format!("{date} {clock} UTC"),
        None => iso,
    }
}

/// The civil date and time of unix seconds (proleptic Gregorian, Howard Hinnant's
/// days-to-civil).
fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// One input: read (with the reports it gave) or failed (with its reason).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum FileEntry {
    Ok {
        /// Its place in the full input list (shards interleave by it).
        index: u64,
        path: String,
        format: String,
        encoding: String,
        reports: Vec<ReportEntry>,
    },
    Failed {
        index: u64,
        path: String,
        reason: String,
        message: String,
    },
    /// Read, but not a self-evaluation: its `skipped.csv` row.
    Skipped {
        index: u64,
        path: String,
        format: String,
        encoding: String,
        reason: String,
        title: String,
        evidence: String,
    },
}

impl FileEntry {
    pub fn index(&self) -> u64 {
        match self {
            FileEntry::Ok { index, .. }
            | FileEntry::Failed { index, .. }
            | FileEntry::Skipped { index, .. } => *index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_with_their_status() {
        let entries = vec![
            FileEntry::Ok {
                index: 3,
                path: "a/b.docx".into(),
                format: "docx".into(),
                encoding: "".into(),
                reports: vec![ReportEntry {
                    report_id: "r".into(),
                    fiscal_year: "2023".into(),
                    rows: [1, 2, 3].into(),
                }],
            },
            FileEntry::Failed {
                index: 4,
                path: "c.doc".into(),
                reason: "legacy_doc".into(),
                message: "Word 6".into(),
            },
        ];
        for e in &entries {
            let json = serde_json::to_value(e).unwrap();
            assert!(json.get("status").is_some());
            assert_eq!(&serde_json::from_value::<FileEntry>(json).unwrap(), e);
        }
        let text = r#"{"tool":"jixiao","version":"0.1.0","build":"b","started":"1","finished":"2",
            "inputs":["corpus"],"shard":"0/4","inputs_discovered":2,
            "counts":{"files":2,"read":1,"failed":1,"reports_per_year":{"2023":1}},
            "coverage":{},"discovery_errors":[],
            "files":[{"status":"failed","index":1,"path":"x","reason":"empty","message":"m"}]}"#;
        let m: Manifest = serde_json::from_str(text).unwrap();
        assert_eq!((m.files.len(), m.files[0].index()), (1, 1));
    }

    #[test]
    fn row_counts_are_named_and_old_lists_still_read() {
        let r = RowCounts::from([51, 0, 2]);
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"amounts":51,"indicators":0,"checks":2}"#
        );
        let back: RowCounts =
            serde_json::from_str(r#"{"amounts":51,"indicators":0,"checks":2}"#).unwrap();
        assert_eq!(back.as_array(), [51, 0, 2]);
        let old: RowCounts = serde_json::from_str("[51,0,2]").unwrap();
        assert_eq!(old, r);
        assert!(serde_json::from_str::<RowCounts>(r#"{"amounts":1}"#).is_err());
    }

    #[test]
    fn times_are_iso_8601_in_utc() {
        assert_eq!(iso8601("0"), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601("1709164800"), "2024-02-29T00:00:00Z");
        assert_eq!(iso8601("1796615412"), "2026-12-07T03:50:12Z");
        assert_eq!(iso8601("not a time"), "not a time");
        assert_eq!(
            for_people("2026-12-07T03:50:12Z"),
            "2026-12-07 03:50:12 UTC"
        );
        assert_eq!(for_people("1796615412"), "2026-12-07 03:50:12 UTC");
        assert_eq!(for_people("?"), "?");
    }
}
