//! Every kind of unusable file gets its reason code; a run over all of them goes on,
//! writes the good files' rows and exits 3.

use std::io::Write;
use std::path::Path;

use jixiao::error::Reason;
use jixiao::source::{self, Input};

use super::{bin, root};

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="TARGET"/></Relationships>"#;
const DOC: &str = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>基本支出2998.29万元</w:t></w:r></w:p></w:body></w:document>"#;

fn zip_with(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An OLE compound file holding one stream with these bytes.
fn ole(stream: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    file.create_stream(stream)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// (file name, bytes, expected reason or None when it must be read).
fn cases() -> Vec<(&'static str, Vec<u8>, Option<Reason>)> {
    let seed = std::fs::read(root().join("corpus/docx/003_3ecd34c07709391b.docx")).unwrap();
    let doc = std::fs::read(root().join("corpus/doc/003_3ecd34c07709391b.doc")).unwrap();
    let pdftotext = super::tool("pdftotext", "-v");
    let mut x: u32 = 7;
    let random: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    vec![
        (
            "truncated.docx",
            seed[..seed.len() / 2].to_vec(),
            Some(Reason::Truncated),
        ),
        (
            "bomb.docx",
            std::fs::read(root().join("tests/fixtures/bomb.docx")).unwrap(),
            Some(Reason::TooLarge),
        ),
        (
            "pdf.docx",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            // Sent to the PDF engine, which finds it malformed; without the engine installed
            // the reason says so.
            Some(if pdftotext {
                Reason::Malformed
            } else {
                Reason::PdfEngineMissing
            }),
        ),
        (
            "encrypted.doc",
            std::fs::read(root().join("tests/fixtures/doc-wild/password_password_cryptoapi.doc"))
                .unwrap(),
            Some(Reason::Encrypted),
        ),
        (
            "truncated.doc",
            doc.get(..doc.len() / 2).unwrap_or_default().to_vec(),
            Some(Reason::Truncated),
        ),
        // A workbook named .docx is read as what it is.
        (
            "workbook.docx",
            std::fs::read(root().join("corpus/xls/003_3ecd34c07709391b.xls")).unwrap(),
            None,
        ),
        ("random.html", random.clone(), Some(Reason::UnreadableText)),
        (
            "legacy.doc",
            ole("WordDocument", &[0xDC, 0xA5]),
            Some(Reason::LegacyDoc),
        ),
        (
            "encrypted.docx",
            ole("EncryptionInfo", &[]),
            Some(Reason::Encrypted),
        ),
        (
            "garbage.doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0".to_vec(),
            Some(Reason::Malformed),
        ),
        ("empty.docx", Vec::new(), Some(Reason::Empty)),
        ("empty.txt", Vec::new(), Some(Reason::Empty)),
        ("random.txt", random, Some(Reason::UnreadableText)),
        (
            "nodoc.docx",
            zip_with(&[("docProps/app.xml", "<x/>")]),
            Some(Reason::UnsupportedFormat),
        ),
        (
            "halfxml.docx",
            zip_with(&[
                ("_rels/.rels", &RELS.replace("TARGET", "word/document.xml")),
                ("word/document.xml", &DOC[..DOC.len() / 2]),
            ]),
            Some(Reason::MalformedXml),
        ),
        (
            // Two cells 17 billion cells apart: calamine would lay the sheet out densely.
            "far-cells.xlsx",
            zip_with(&[
                ("xl/workbook.xml", "<workbook/>"),
                (
                    "xl/worksheets/sheet1.xml",
                    r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData>"#,
                ),
            ]),
            Some(Reason::TooLarge),
        ),
        (
            "document2.docx",
            zip_with(&[
                (
                    "_rels/.rels",
                    &RELS.replace("TARGET", "/word/document2.xml"),
                ),
                ("word/document2.xml", DOC),
            ]),
            None,
        ),
    ]
}

fn write_cases(dir: &Path) {
    for (name, bytes, _) in cases() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn each_bad_file_gets_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    write_cases(dir.path());
    for (name, _, want) in cases() {
        let input = Input {
            path: dir.path().join(name),
            source_path: name.to_string(),
        };
        let started = std::time::Instant::now();
        let got = source::load(&input);
        assert!(
            started.elapsed().as_secs_f64() < 1.0,
            "{name} took too long"
        );
        match (got, want) {
            (Ok(l), None) => assert!(l.doc.paragraphs().any(|p| p.text.contains("2998.29"))),
            (Err(e), Some(r)) => {
                assert_eq!(e.reason, r, "{name}: {e}");
                assert!(!e.message.is_empty());
            }
            (Ok(_), Some(r)) => panic!("{name} was read, expected {}", r.code()),
            (Err(e), None) => panic!("{name} was refused: {e}"),
        }
    }
}

#[test]
fn a_run_over_bad_files_goes_on_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    write_cases(dir.path());
    std::fs::copy(
        root().join("corpus/txt/001_7677739c59076178.txt"),
        dir.path().join("good.txt"),
    )
    .unwrap();
    // Good text, but an indicator cell longer than a spreadsheet cell holds: the workbook
    // cuts it, the run goes on.
    let huge = format!(
        "2023年度北山镇部门整体支出绩效自评报告\n一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值\n产出指标 | 数量指标 | {} | 100% | 100%\n",
        "好".repeat(40_000)
    );
    std::fs::write(dir.path().join("huge-cell.txt"), huge).unwrap();
    let out = dir.path().join("out");
    // The readers are under test, not the gate: every file that reads is extracted.
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "--keep-all", "-o"])
        .arg(&out)
        .arg(dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    // One row per bad file (15), plus the header.
    assert_eq!(errors.lines().count(), 16, "{errors}");
    let reports: usize = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("reports.csv").exists())
        .map(|e| {
            std::fs::read_to_string(e.path().join("reports.csv"))
                .unwrap()
                .lines()
                .count()
                - 1
        })
        .sum();
    assert_eq!(
        reports, 4,
        "good.txt, huge-cell.txt, document2.docx and the workbook named .docx are reported"
    );
}
