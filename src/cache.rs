//! Incremental runs: what each input gave last time, beside the dataset in DIR.
//!
//! An entry is keyed by the input's path and the SHA-256 of its bytes, under a header naming
//! the tool version and a hash of the rules; a cache written by another version or other
//! rules, or one that does not parse, is ignored with a warning, never trusted. A file whose
//! size and modification time match its entry is not read at all (its recorded SHA-256
//! stands); any other file is read and hashed, and reused only when the hash matches. The
//! rows come back as the CSV bytes first written, so a cached run is byte-identical to a
//! full one.

use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::write::dataset::Rendered;

/// The cache's file name inside DIR.
pub const FILE: &str = ".jixiao-cache.jsonl";

/// The first line: what wrote the cache.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    tool: String,
    version: String,
    rules: String,
}

fn header() -> Header {
    Header {
        tool: "jixiao".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        rules: crate::extract::rules_hash(),
    }
}

/// What one input gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Read {
        rendered: Rendered,
        format: String,
        encoding: String,
    },
    Failed {
        reason: String,
        message: String,
    },
}

/// One cached input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub mtime_ns: u128,
    pub sha256: String,
    pub outcome: Outcome,
}

/// The file's size and modification time, the fast check for "unchanged".
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((m.len(), t.as_nanos()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The previous run's entries, by path.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
}

impl Cache {
    /// Loads DIR's cache. Returns the cache and, when it was ignored, why.
    pub fn load(dir: &Path) -> (Cache, Option<String>) {
        let path = dir.join(FILE);
        let Ok(file) = std::fs::File::open(&path) else {
            return (Cache::default(), None);
        };
        let mut lines = std::io::BufReader::new(file).lines();
        let head: Option<Header> = lines
            .next()
            .and_then(|l| l.ok())
            .and_then(|l| serde_json::from_str(&l).ok());
        match head {
            Some(h) if h == header() => {}
            Some(_) => {
                return (
                    Cache::default(),
                    Some(format!(
                        "{} was written by another version or other rules: ignored",
                        path.display()
                    )),
                )
            }
            None => {
                return (
                    Cache::default(),
                    Some(format!("{} is not a jixiao cache: ignored", path.display())),
                )
            }
        }
        let mut entries = HashMap::new();
        for line in lines {
            let entry: Option<Entry> = line.ok().and_then(|l| serde_json::from_str(&l).ok());
            match entry {
                Some(e) => {
                    entries.insert(e.path.clone(), e);
                }
                None => {
                    return (
                        Cache::default(),
                        Some(format!("{} is corrupt: ignored", path.display())),
                    )
                }
            }
        }
        (Cache { entries }, None)
    }

    /// The entry for `path` if the file is unchanged: by size and time without reading, else
    /// by the SHA-256 of `bytes` when the caller has read them.
    pub fn unchanged(
        &self,
        path: &str,
        stamp: Option<(u64, u128)>,
        sha256: Option<&str>,
    ) -> Option<&Entry> {
        let e = self.entries.get(path)?;
        match (stamp, sha256) {
            (_, Some(h)) => (e.sha256 == h).then_some(e),
            (Some((size, mtime)), None) => (e.size == size && e.mtime_ns == mtime).then_some(e),
            (None, None) => None,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Writes the new cache as the run goes (one line per input), to be moved into DIR at commit.
pub struct CacheWriter {
    out: BufWriter<std::fs::File>,
}

impl CacheWriter {
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let mut out = BufWriter::new(std::fs::File::create(path)?);
        writeln!(out, "{}", serde_json::to_string(&header())?)?;
        Ok(CacheWriter { out })
    }

    pub fn add(&mut self, e: &Entry) -> std::io::Result<()> {
        writeln!(self.out, "{}", serde_json::to_string(e)?)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> Entry {
        Entry {
            path: path.into(),
            size: 3,
            mtime_ns: 42,
            sha256: "ab".into(),
            outcome: Outcome::Failed {
                reason: "empty".into(),
                message: "m".into(),
            },
        }
    }

    #[test]
    fn round_trip_and_lookup() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = CacheWriter::create(&dir.path().join(FILE)).unwrap();
        w.add(&entry("a.txt")).unwrap();
        w.finish().unwrap();
        let (c, why) = Cache::load(dir.path());
        assert_eq!(why, None);
        assert!(c.unchanged("a.txt", Some((3, 42)), None).is_some());
        assert!(c.unchanged("a.txt", Some((3, 43)), None).is_none());
        assert!(c.unchanged("a.txt", None, Some("ab")).is_some());
        assert!(c.unchanged("a.txt", None, Some("cd")).is_none());
    }

    #[test]
    fn foreign_or_corrupt_caches_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "{\"tool\":\"jixiao\",\"version\":\"0.0.0\",\"rules\":\"x\"}\n",
        )
        .unwrap();
        let (c, why) = Cache::load(dir.path());
        assert!(c.is_empty() && why.is_some_and(|w| w.contains("another version")));
        let mut w = CacheWriter::create(&dir.path().join(FILE)).unwrap();
        w.add(&entry("a.txt")).unwrap();
        w.finish().unwrap();
        let mut text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        text.push_str("{not json\n");
        std::fs::write(dir.path().join(FILE), text).unwrap();
        let (c, why) = Cache::load(dir.path());
        assert!(c.is_empty() && why.is_some_and(|w| w.contains("corrupt")));
    }
}
