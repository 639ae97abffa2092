//! `manifest.json`: what a run did, as one typed struct that `extract` writes and `merge`
//! reads back (the shard → merge contract), with the build fingerprint that lets `merge`
//! refuse shards of other code or rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::write::dataset::Townships;

/// The time now as the manifest writes it (`started`, `finished`): unix seconds.
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
    /// Unix seconds.
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
    #[serde(default, skip_serializing)]
    pub files: Vec<FileEntry>,
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
    /// Rows in amounts, indicators and checks.
    pub rows: [usize; 3],
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
                    rows: [1, 2, 3],
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
}
