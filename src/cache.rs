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

use crate::error::Reason;
use crate::write::commit;
use crate::write::dataset::Rendered;

/// The cache's file name inside DIR.
pub const FILE: &str = commit::CACHE_FILE;

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
        /// Its reports (one, or one per form when the file holds several).
        rendered: Vec<Rendered>,
        format: String,
        encoding: String,
    },
    Failed {
        reason: String,
        message: String,
    },
    /// Read, but not a self-evaluation (the gate's `skipped.csv` row).
    Skipped {
        reason: String,
        title: String,
        evidence: String,
        format: String,
        encoding: String,
    },
}

impl Outcome {
    /// Whether the outcome may be reused: a cache line is data, never trusted as a path or a
    /// fact about the moment. Every year names a year folder (four digits or
    /// `unknown-year`), a failure is of the file, not transient ([`Reason::TRANSIENT`]), and a
    /// skip has one of the gate's reasons.
    pub fn is_sound(&self) -> bool {
        match self {
            Outcome::Read { rendered, .. } => rendered.iter().all(|r| commit::is_year(&r.year)),
            Outcome::Failed { reason, .. } => !Reason::is_transient_code(reason),
            Outcome::Skipped { reason, .. } => crate::gate::SkipReason::is_code(reason),
        }
    }
}

/// Which bytes an entry is about: the part of a cache line read when the cache loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The input's key ([`crate::discover::cache_key`]): its `source_path`, with the raw
    /// bytes of a path that is not UTF-8.
    pub path: String,
    pub size: u64,
    pub mtime_ns: u128,
    pub sha256: String,
}

// A cache line is `META\tOUTCOME\n`. JSON escapes tabs inside strings, so the first tab
// ends the meta part, and loading reads only that part; outcomes are read when used.

/// The file's size and modification time, the fast check for "unchanged".
pub use crate::write::dataset::stamp;

/// Where an entry's outcome stands in the old cache file.
#[derive(Debug, Clone)]
pub struct Slot {
    pub meta: Meta,
    /// The entry's line number (from 0) in the old cache.
    pub line: usize,
    offset: u64,
    len: usize,
}

/// The previous run's entries: an index in memory, outcomes read on demand, so memory
/// stays small however many documents the cache covers.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<String, Slot>,
    file: Option<std::fs::File>,
    /// Byte offset where each entry line starts, and where the entries end.
    line_starts: Vec<u64>,
    end: u64,
}

impl Cache {
    /// Loads DIR's cache index. Returns the cache and, when it was ignored, why.
    pub fn load(dir: &Path) -> (Cache, Option<String>) {
        let path = dir.join(FILE);
        let Ok(file) = std::fs::File::open(&path) else {
            return (Cache::default(), None);
        };
        let ignored = |why: &str| {
            (
                Cache::default(),
                Some(format!("{} {why}: ignored", path.display())),
            )
        };
        let mut reader = std::io::BufReader::new(&file);
        let mut buf = String::new();
        if reader.read_line(&mut buf).is_err()
            || serde_json::from_str::<Header>(buf.trim_end()).ok() != Some(header())
        {
            return if serde_json::from_str::<Header>(buf.trim_end()).is_ok() {
                ignored("was written by another version or other rules")
            } else {
                ignored("is not a jixiao cache")
            };
        }
        let mut offset = buf.len() as u64;
        let mut line_starts = Vec::new();
        let mut entries = HashMap::new();
        loop {
            buf.clear();
            match reader.read_line(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let Some((meta, outcome)) = buf.trim_end_matches('\n').split_once('\t') else {
                        return ignored("is corrupt");
                    };
                    let Ok(meta) = serde_json::from_str::<Meta>(meta) else {
                        return ignored("is corrupt");
                    };
                    let start = offset + (n - outcome.len() - 1) as u64;
                    let line = line_starts.len();
                    line_starts.push(offset);
                    entries.insert(
                        meta.path.clone(),
                        Slot {
                            meta,
                            line,
                            offset: start,
                            len: outcome.len(),
                        },
                    );
                    offset += n as u64;
                }
                Err(_) => return ignored("is corrupt"),
            }
        }
        (
            Cache {
                entries,
                file: Some(file),
                line_starts,
                end: offset,
            },
            None,
        )
    }

    /// The slot for `path` if the file is unchanged: by size and time without reading, else
    /// by the SHA-256 of its bytes when the caller has read them.
    pub fn unchanged(
        &self,
        path: &str,
        stamp: Option<(u64, u128)>,
        sha256: Option<&str>,
    ) -> Option<&Slot> {
        let e = self.entries.get(path)?;
        match (stamp, sha256) {
            (_, Some(h)) => (e.meta.sha256 == h).then_some(e),
            (Some((size, mtime)), None) => {
                (e.meta.size == size && e.meta.mtime_ns == mtime).then_some(e)
            }
            (None, None) => None,
        }
    }

    /// The outcome a slot points at, as its JSON text and parsed; `None` if it cannot be read
    /// back (then the file is simply extracted again).
    pub fn outcome(&self, slot: &Slot) -> Option<(Vec<u8>, Outcome)> {
        let file = self.file.as_ref()?;
        let mut bytes = vec![0u8; slot.len];
        read_at(file, &mut bytes, slot.offset).ok()?;
        let mut outcome: Outcome = serde_json::from_slice(&bytes).ok()?;
        if !outcome.is_sound() {
            return None;
        }
        if let Outcome::Read { rendered, .. } = &mut outcome {
            rendered.iter_mut().for_each(Rendered::derive);
        }
        Some((bytes, outcome))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Copies the first `n` entry lines of the old cache, byte for byte, to `out`.
    pub fn copy_lines(&self, n: usize, out: &mut CacheWriter) -> std::io::Result<()> {
        let (Some(file), Some(&from)) = (self.file.as_ref(), self.line_starts.first()) else {
            return Ok(());
        };
        let to = self.line_starts.get(n).copied().unwrap_or(self.end);
        let mut bytes = vec![0u8; usize::try_from(to.saturating_sub(from)).unwrap_or(0)];
        read_at(file, &mut bytes, from)?;
        out.out.write_all(&bytes)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    let mut f = file.try_clone()?;
    f.seek(std::io::SeekFrom::Start(offset))?;
    f.read_exact(buf)
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

    /// Adds an entry whose outcome is already JSON text (reused from the old cache).
    pub fn add_json(&mut self, meta: &Meta, outcome_json: &[u8]) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, meta)?;
        self.out.write_all(b"\t")?;
        self.out.write_all(outcome_json)?;
        self.out.write_all(b"\n")
    }

    pub fn add(&mut self, meta: &Meta, outcome: &Outcome) -> std::io::Result<()> {
        self.add_json(meta, &serde_json::to_vec(outcome)?)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str) -> Meta {
        Meta {
            path: path.into(),
            size: 3,
            mtime_ns: 42,
            sha256: "ab".into(),
        }
    }

    fn outcome() -> Outcome {
        Outcome::Failed {
            reason: "empty".into(),
            message: "tab\there".into(),
        }
    }

    #[test]
    fn crafted_years_and_transient_failures_are_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let read = |year: &str| Outcome::Read {
            rendered: vec![Rendered {
                year: year.into(),
                ..Rendered::default()
            }],
            format: "txt".into(),
            encoding: "UTF-8".into(),
        };
        let failed = |reason: &str| Outcome::Failed {
            reason: reason.into(),
            message: "m".into(),
        };
        let cases = [
            (read("2023"), true),
            (read("unknown-year"), true),
            (read("../../outside"), false),
            (read("/tmp"), false),
            (failed("legacy_doc"), true),
            (failed("pdf_engine_missing"), false),
            (failed("io"), false),
            (failed("too_slow"), false),
        ];
        let mut w = CacheWriter::create(&dir.path().join(FILE)).unwrap();
        for (i, (o, _)) in cases.iter().enumerate() {
            w.add(&meta(&format!("{i}")), o).unwrap();
        }
        w.finish().unwrap();
        let (c, _) = Cache::load(dir.path());
        for (i, (o, sound)) in cases.iter().enumerate() {
            let slot = c.unchanged(&format!("{i}"), Some((3, 42)), None).unwrap();
            assert_eq!(c.outcome(slot).is_some(), *sound, "{o:?}");
        }
    }

    #[test]
    fn round_trip_and_lookup() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = CacheWriter::create(&dir.path().join(FILE)).unwrap();
        w.add(&meta("a.txt"), &outcome()).unwrap();
        w.add(&meta("b.txt"), &outcome()).unwrap();
        w.finish().unwrap();
        let (c, why) = Cache::load(dir.path());
        assert_eq!((why, c.len()), (None, 2));
        let slot = c.unchanged("b.txt", Some((3, 42)), None).unwrap();
        assert_eq!(c.outcome(slot).map(|o| o.1), Some(outcome()));
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
        w.add(&meta("a.txt"), &outcome()).unwrap();
        w.finish().unwrap();
        let mut text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        text.push_str("{not json\n");
        std::fs::write(dir.path().join(FILE), text).unwrap();
        let (c, why) = Cache::load(dir.path());
        assert!(c.is_empty() && why.is_some_and(|w| w.contains("corrupt")));
    }
}
