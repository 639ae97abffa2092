//! Finding inputs: the PATH arguments (files and folders, recursed) become the list of files
//! a run reads, each with its `source_path`, the name it has in every output.
//!
//! What discovery guarantees, because the outputs and the cache rely on it:
//! - every `source_path` is unique: with several PATH arguments a folder's files are named
//!   below the folder's own name (`txt/a.txt`, `docx/a.docx`), and two inputs that would
//!   still share a name (two folders both called `reports`) stop the run before anything is
//!   written;
//! - a name that is not UTF-8 (GBK names from Windows zips) is decoded as GB18030 when that
//!   is valid, else its undecodable bytes are written `\xNN`, so two names never print alike;
//! - a file reached twice (listed twice, two overlapping PATHs, a hard or symbolic link to a
//!   file also found) is read once, under the name it was first found by;
//! - a symbolic link found in a folder is followed only when it leads to a file inside that
//!   PATH argument; one leading out is reported (errors.csv, `io`) and not read, so nothing
//!   outside the tree given is ever published. Linked folders are not followed (they can loop);
//! - the output folder, and any folder holding a jixiao dataset, is not read.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::error::{ReadError, Reason, RunError};
use crate::source::Input;

/// Extensions a folder walk picks up (compared lowercase). `.doc` is taken so that legacy
/// files are reported in errors.csv rather than silently skipped; images are scans, read by
/// OCR.
const EXTENSIONS: [&str; 20] = [
    "docx", "docm", "doc", "wps", "txt", "html", "htm", "shtml", "xls", "xlsx", "xlsm", "xlsb",
    "et", "ods", "pdf", "png", "jpg", "jpeg", "tif", "tiff",
];

/// What discovery found: the inputs in order, and the paths it could not take, with why.
pub type Found = (Vec<Input>, Vec<(String, ReadError)>);

/// Expands files and folders (recursively, sorted by name) into inputs. A path that does not
/// exist is reported as an `io` failure for that path, not a reason to stop. The output
/// folder `out`, and any folder holding a jixiao dataset (a shard's, last night's), is not
/// read: a run must never take its own output for input. Fails only when two different
/// files would share one `source_path`.
pub fn discover(paths: &[PathBuf], out: &Path) -> Result<Found, RunError> {
    let mut walk = Walk {
        out: std::fs::canonicalize(out).ok(),
        root: PathBuf::new(),
        inputs: Vec::new(),
        errors: Vec::new(),
        seen: HashSet::new(),
    };
    let several = paths.len() > 1;
    for p in paths {
        let shown = printable(p.as_os_str()).replace('\\', "/");
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                walk.root = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                let prefix = if several { own_name(p) } else { String::new() };
                walk.folder(p, &prefix);
            }
            Ok(_) => walk.file(p.clone(), shown),
            Err(e) => walk.error(shown, format!("cannot open: {e}")),
        }
    }
    unique(&walk.inputs)?;
    Ok((walk.inputs, walk.errors))
}

/// A folder argument's own name (`reports` for `/mnt/a/reports/`), what its files are named
/// below when there are several PATH arguments.
fn own_name(p: &Path) -> String {
    let canonical = std::fs::canonicalize(p).ok();
    let name = p
        .file_name()
        .or_else(|| canonical.as_deref().and_then(Path::file_name));
    name.map_or_else(|| printable(p.as_os_str()), printable)
}

/// Refuses two inputs that would share one `source_path`: their rows could not be told apart
/// (nor their cache entries, nor their shards).
fn unique(inputs: &[Input]) -> Result<(), RunError> {
    let mut by_name: HashMap<&str, &Path> = HashMap::new();
    for i in inputs {
        if let Some(first) = by_name.insert(&i.source_path, &i.path) {
            return Err(RunError::Invalid(format!(
                "{} and {} would both be named {} in the dataset (PATH arguments with the same name?); nothing was written (give one of them under another name, e.g. through a symbolic link)",
                first.display(),
                i.path.display(),
                i.source_path
            )));
        }
    }
    Ok(())
}

/// A file name as text: itself when UTF-8; else decoded as GB18030 (the GBK names of Windows
/// zips) when every byte decodes; else with each undecodable byte written `\xNN`.
pub fn printable(name: &OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let raw = raw_bytes(name);
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(&raw)
        .map_or_else(|| escaped(&raw), |s| s.into_owned())
}

/// `raw` with its valid UTF-8 kept and every other byte written `\xNN`.
fn escaped(raw: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// The bytes of a name as the system holds them.
fn raw_bytes(name: &OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(name).to_vec()
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned().into_bytes()
    }
}

/// The cache's key for an input: its `source_path`, and for a path that is not UTF-8 its raw
/// bytes too, so two files whose names print alike (a GBK name and its UTF-8 spelling) never
/// share cache rows. A NUL never occurs in a path, so no UTF-8 path has such a key.
pub fn cache_key(input: &Input) -> String {
    if input.path.to_str().is_some() {
        return input.source_path.clone();
    }
    format!(
        "{}\0{}",
        input.source_path,
        crate::source::hex(&raw_bytes(input.path.as_os_str()))
    )
}

/// A file's identity on its device (dev, inode), through links: a file reached twice is the
/// same file. None where the system does not tell it.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A folder walk's state: what it found, and the output folder it keeps out of.
struct Walk {
    out: Option<PathBuf>,
    /// The folder argument being walked, resolved: symbolic links must lead inside it.
    root: PathBuf,
    inputs: Vec<Input>,
    errors: Vec<(String, ReadError)>,
    /// Identities of the files taken.
    seen: HashSet<(u64, u64)>,
}

impl Walk {
    /// Whether `dir` is the output folder or holds a jixiao dataset.
    fn is_output(&self, dir: &Path) -> bool {
        self.out
            .as_ref()
            .is_some_and(|o| std::fs::canonicalize(dir).is_ok_and(|d| d == *o))
            || crate::write::commit::is_dataset(dir)
    }

    /// Takes a file unless it was taken already.
    fn file(&mut self, path: PathBuf, source_path: String) {
        if identity(&path).is_some_and(|id| !self.seen.insert(id)) {
            return;
        }
        self.inputs.push(Input { path, source_path });
    }

    /// Reports `shown` in errors.csv, once.
    fn error(&mut self, shown: String, message: String) {
        if !self.errors.iter().any(|(p, _)| *p == shown) {
            self.errors
                .push((shown, ReadError::new(Reason::Io, message)));
        }
    }

    fn folder(&mut self, dir: &Path, shown: &str) {
        if self.is_output(dir) {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.flatten().collect(),
            Err(e) => {
                // The folder argument itself is named as given.
                let named = if shown.is_empty() {
                    printable(dir.as_os_str()).replace('\\', "/")
                } else {
                    shown.to_string()
                };
                self.error(named, format!("cannot list folder: {e}"));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        // A decoded name that a UTF-8 name (or another decoded one) already prints as is
        // escaped instead.
        let mut taken: HashSet<String> = entries
            .iter()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        for e in entries {
            let os_name = e.file_name();
            let name = match os_name.to_str() {
                Some(s) => s.to_string(),
                None => {
                    let decoded = printable(&os_name);
                    if taken.insert(decoded.clone()) {
                        decoded
                    } else {
                        escaped(&raw_bytes(&os_name))
                    }
                }
            };
            let child_shown = if shown.is_empty() {
                name.clone()
            } else {
                format!("{}/{}", shown.trim_end_matches('/'), name)
            };
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                self.folder(&e.path(), &child_shown);
            } else if name.starts_with("~$") || !has_wanted_extension(&name) {
                // Not a report's file; a symbolic link to a folder lands here too: linked
                // folders are not followed (they can loop).
            } else if ft.is_symlink() {
                self.link(e.path(), child_shown);
            } else {
                self.file(e.path(), child_shown);
            }
        }
    }

    /// A symbolic link found in a folder: read when it leads to a file inside the folder
    /// argument, else reported and not read.
    fn link(&mut self, path: PathBuf, shown: String) {
        match std::fs::canonicalize(&path) {
            Ok(target) if target.starts_with(&self.root) => self.file(path, shown),
            Ok(target) => self.error(
                shown,
                format!(
                    "a symbolic link to {}, outside the folder given: not followed",
                    target.display()
                ),
            ),
            // A dangling link fails as it is read, with the system's reason.
            Err(_) => self.file(path, shown),
        }
    }
}

fn has_wanted_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &Found) -> Vec<&str> {
        found.0.iter().map(|i| i.source_path.as_str()).collect()
    }

    #[test]
    fn walk_picks_report_extensions_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["b.txt", "a.DOCX", "c.pdf", "d.png", "e.gif", "~$lock.docx"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()], &dir.path().join("out")).unwrap();
        assert!(found.1.is_empty());
        // Scans are read by OCR; other images are not reports.
        assert_eq!(names(&found), vec!["a.DOCX", "b.txt", "c.pdf", "d.png"]);
    }

    #[test]
    fn several_paths_name_files_below_their_own_names_and_refuse_a_clash() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for p in ["x/txt/a.txt", "x/docx/a.txt", "y/txt/a.txt"] {
            std::fs::create_dir_all(d.join(p).parent().unwrap()).unwrap();
            std::fs::write(d.join(p), p).unwrap();
        }
        let out = d.join("out");
        let found = discover(&[d.join("x/txt"), d.join("x/docx/")], &out).unwrap();
        assert_eq!(names(&found), ["txt/a.txt", "docx/a.txt"]);
        // One PATH: named below it, as before.
        let found = discover(&[d.join("x/txt")], &out).unwrap();
        assert_eq!(names(&found), ["a.txt"]);
        // Two folders both called txt: their files cannot be told apart.
        let e = discover(&[d.join("x/txt"), d.join("y/txt")], &out)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("txt/a.txt") && e.contains("nothing was written"),
            "{e}"
        );
    }

    #[test]
    fn a_file_reached_twice_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("in/sub")).unwrap();
        std::fs::write(d.join("in/sub/a.txt"), "a").unwrap();
        let a = d.join("in/sub/a.txt");
        let out = d.join("out");
        // Listed three times (as --files-from gives them), and a folder holding it too.
        let found = discover(&[a.clone(), a.clone(), a.clone(), d.join("in")], &out).unwrap();
        assert_eq!(found.0.len(), 1, "{:?}", names(&found));
        let found = discover(&[d.join("in"), d.join("in/sub")], &out).unwrap();
        assert_eq!(names(&found), ["in/sub/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_reported_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("in")).unwrap();
        std::fs::write(d.join("secret.txt"), "s").unwrap();
        std::fs::write(d.join("in/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(d.join("secret.txt"), d.join("in/out.txt")).unwrap();
        std::os::unix::fs::symlink(d.join("in/a.txt"), d.join("in/z.txt")).unwrap();
        let (inputs, errors) = discover(&[d.join("in")], &d.join("out")).unwrap();
        // The link inside leads to a file already taken: read once, by its first name.
        let taken: Vec<&str> = inputs.iter().map(|i| i.source_path.as_str()).collect();
        assert_eq!(taken, ["a.txt"]);
        let [(path, e)] = errors.as_slice() else {
            panic!("{errors:?}")
        };
        assert_eq!(path, "out.txt");
        assert!(e.reason == Reason::Io && e.message.contains("outside the folder given"));
    }

    #[cfg(unix)]
    #[test]
    fn names_not_in_utf8_are_gb18030_or_escaped_and_never_print_alike() {
        use std::os::unix::ffi::OsStrExt;
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("in");
        std::fs::create_dir_all(&d).unwrap();
        let raw: Vec<Vec<u8>> = vec![
            gbk("甲镇报告.txt"),
            gbk("乙镇报告.txt"),
            // A GBK name that prints as a UTF-8 name beside it, and bytes of no encoding.
            gbk("丙.txt"),
            "丙.txt".as_bytes().to_vec(),
            b"\xff\xfe.txt".to_vec(),
        ];
        for r in &raw {
            std::fs::write(d.join(OsStr::from_bytes(r)), r).unwrap();
        }
        let found = discover(std::slice::from_ref(&d), &dir.path().join("out")).unwrap();
        let mut shown = names(&found);
        shown.sort_unstable();
        assert_eq!(
            shown,
            [
                "\\xB1\\xFB.txt",
                "\\xFF\\xFE.txt",
                "丙.txt",
                "乙镇报告.txt",
                "甲镇报告.txt"
            ]
        );
        // Cache keys: as the name for UTF-8 paths, with the raw bytes for the others.
        let keys: HashSet<String> = found.0.iter().map(cache_key).collect();
        assert_eq!(keys.len(), raw.len());
        assert!(found
            .0
            .iter()
            .all(|i| (cache_key(i) == i.source_path) == i.path.to_str().is_some()));
    }
}
