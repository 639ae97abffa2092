//! The readers of what townships publish besides .docx and .txt, on files from the wild.

use std::path::Path;
use std::process::ExitStatus;

use super::{bin, root};

/// `jixiao extract --quiet -o OUT DIR`.
fn extract(out: &Path, dir: &Path) -> ExitStatus {
    std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .arg(dir)
        .status()
        .unwrap()
}

/// Every `.doc` of Apache POI's test suite (fast-saved, fields, tables, Chinese, fuzzed,
/// Word 6/95, password-protected) is read or refused with one of SPEC's reasons, and the run
/// goes on: no panic, exit 3 (some inputs failed), one errors.csv row per refusal.
#[test]
fn wild_doc_files_are_read_or_refused_with_a_reason() {
    let dir = root().join("tests/fixtures/doc-wild");
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("doc"))
        })
        .count();
    let out = tempfile::tempdir().unwrap();
    let status = extract(out.path(), &dir);
    assert_eq!(status.code(), Some(3));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["counts"]["files"], files);
    let errors = std::fs::read_to_string(out.path().join("errors.csv")).unwrap();
    let known = [
        "legacy_doc",
        "encrypted",
        "malformed",
        "empty",
        "unsupported_format",
        "unreadable_text",
    ];
    let mut refused = 0;
    for line in errors.lines().skip(1) {
        let reason = line.split(',').nth(1).unwrap_or("");
        assert!(known.contains(&reason), "unexpected reason: {line}");
        refused += 1;
    }
    assert_eq!(manifest["counts"]["failed"], refused);
    // Word 6/95 files (14 here) are refused as legacy_doc, an East Asian edition's too (its
    // FIB has its own wIdent); most others are read (105 of 141 when this floor was set; the
    // rest are fuzzed, encrypted or hold no main text).
    assert!(
        errors.contains("Bug51944.doc,legacy_doc,"),
        "East Asian Word 95 not told apart:\n{errors}"
    );
    assert!(
        errors.matches(",legacy_doc,").count() >= 14,
        "Word 6/95 not told apart:\n{errors}"
    );
    assert!(
        files - refused >= 100,
        "only {} of {files} read",
        files - refused
    );
}

/// The text read from those files against antiword's (catdoc's as fallback): the share of
/// files read alike does not slip. antiword also prints footnotes, `|` table borders and
/// `[pic]`, and cuts wide cells, so alike is similarity ≥ 0.95. Runs where antiword is
/// installed (.ci/run installs it).
#[test]
fn wild_doc_text_agrees_with_antiword() {
    if !super::tool("antiword", "-h") {
        return;
    }
    let dir = root().join("tests/fixtures/doc-wild");
    let last = super::python_summary("wildtext.py", &[bin().as_ref(), dir.as_os_str()]);
    // "wildtext: 140 files, mean similarity 0.7343, 72/140 at >= 0.95, …"
    let alike: usize = last
        .split(", ")
        .find(|s| s.contains("at >="))
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no summary in: {last}"));
    assert!(alike >= 68, "{last}");
    let mean: f64 = last
        .split("mean similarity ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no mean in: {last}"));
    assert!(mean >= 0.75, "{last}");
    assert!(last.contains(" 0 panics"), "{last}");
}

/// The stories after a .doc's main text that are report text: footnotes and endnotes (POI's
/// footnote.doc) and text boxes (Bug46817.doc keeps its contact tables in text boxes).
#[test]
fn doc_footnotes_endnotes_and_text_boxes_are_read() {
    let text = |name: &str| {
        let out = std::process::Command::new(bin())
            .args(["inspect", "--json"])
            .arg(root().join("tests/fixtures/doc-wild").join(name))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        String::from_utf8(out.stdout).unwrap()
    };
    let notes = text("footnote.doc");
    for want in ["Test text", "TestFootnote", "TestEndnote"] {
        assert!(notes.contains(want), "{want} not in {notes}");
    }
    let boxes = text("Bug46817.doc");
    for want in [
        "NAJKORZYSTNIEJSZEJ OFERTY",
        "Gmina Cekcyn",
        "ekomel@ekomel.com.pl",
    ] {
        assert!(boxes.contains(want), "{want} not read");
    }
}

/// The seeds as PDF (written by LibreOffice, tables wider than the page and cut by page
/// breaks): read through poppler where it is installed (.ci/run installs it), else each
/// refused as `pdf_engine_missing`, never a crash. Their tables are rebuilt from the ruling
/// lines, so indicator rows are held to the gold as well as report fields.
#[test]
fn seed_pdfs_read_through_the_engine_or_are_refused_for_its_absence() {
    let dir = root().join("corpus/pdf");
    let out = tempfile::tempdir().unwrap();
    let status = extract(out.path(), &dir);
    let engine = super::tool("pdftotext", "-v");
    if !engine {
        assert_eq!(status.code(), Some(3));
        let errors = std::fs::read_to_string(out.path().join("errors.csv")).unwrap();
        assert_eq!(
            errors.matches(",pdf_engine_missing,").count(),
            5,
            "{errors}"
        );
        return;
    }
    assert!(status.success());
    let s = super::score(out.path(), &root().join("tests/fixtures/gold"), true);
    assert!(s.summary["precision"] >= 0.99, "{}; {}", s.line, s.misses());
    assert!(s.summary["f1"] >= 0.98, "{}; {}", s.line, s.misses());
    assert!(s.indicators.0 >= 46 && s.indicators.1 == 48, "{}", s.line);
}

/// Public test PDFs (pdf.js's suite: Chinese fonts without maps, CID fonts, empty and fuzzed
/// files, and one with a password): each is read or refused with a reason, never a panic;
/// the password one is `encrypted`; a Chinese font that is not embedded reads as Chinese.
#[test]
fn wild_pdfs_are_read_or_refused_with_a_reason() {
    let dir = root().join("tests/fixtures/pdf-wild");
    let out = tempfile::tempdir().unwrap();
    let status = extract(out.path(), &dir);
    assert_eq!(status.code(), Some(3));
    let errors = std::fs::read_to_string(out.path().join("errors.csv")).unwrap();
    let engine = super::tool("pdftotext", "-v");
    let known: &[&str] = if engine {
        &["no_text_layer", "malformed", "encrypted", "truncated"]
    } else {
        &["pdf_engine_missing"]
    };
    for line in errors.lines().skip(1) {
        let reason = line.split(',').nth(1).unwrap_or("");
        assert!(known.contains(&reason), "unexpected reason: {line}");
    }
    if engine {
        assert!(
            errors.contains("password-protected.pdf,encrypted,"),
            "{errors}"
        );
        let o = std::process::Command::new(bin())
            .arg("inspect")
            .arg(dir.join("XiaoBiaoSong.pdf"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("关于红军作战的原则"), "{text}");
    }
}
