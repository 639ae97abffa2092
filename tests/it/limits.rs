//! Every limit of `limits.rs`, probed at its value (read) and just over it (`too_large`).
//! Scaled-down limits exercise the same code paths without building 256 MiB files; the
//! file-size and inflation limits are also probed at their real values.

use std::io::Write;

use jixiao::error::Reason;
use jixiao::limits::{Limits, MAX_FILE_BYTES};
use jixiao::source::{load_bytes_with, load_with, Input};

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(body: &str, extra_entries: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("_rels/.rels", opts).unwrap();
    w.write_all(RELS.as_bytes()).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(format!(r#"<w:document {W}><w:body>{body}</w:body></w:document>"#).as_bytes())
        .unwrap();
    for i in 0..extra_entries {
        w.start_file(format!("x/{i}.xml"), opts).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn document_xml_len(body: &str) -> u64 {
    format!(r#"<w:document {W}><w:body>{body}</w:body></w:document>"#).len() as u64
}

fn reason(bytes: &[u8], name: &str, limits: &Limits) -> Option<Reason> {
    load_bytes_with(bytes, name, limits).err().map(|e| e.reason)
}

/// At the limit: read. One over: too_large.
fn at_and_over(make: impl Fn(usize) -> Limits, value: usize, bytes: &[u8], name: &str) {
    assert_eq!(
        reason(bytes, name, &make(value)),
        None,
        "{name} at the limit {value}"
    );
    assert_eq!(
        reason(bytes, name, &make(value - 1)),
        Some(Reason::TooLarge),
        "{name} over the limit {}",
        value - 1
    );
}

#[test]
fn inflated_part_size() {
    // Larger than the relationships part, so the main part is the one at the limit.
    let body = format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
        "基本支出2998.29万元".repeat(20)
    );
    let len = document_xml_len(&body) as usize;
    at_and_over(
        |v| Limits {
            part_bytes: v as u64,
            ..Limits::DEFAULT
        },
        len,
        &docx(&body, 0),
        "part.docx",
    );
}

#[test]
fn zip_entries() {
    let bytes = docx("<w:p/>", 5);
    at_and_over(
        |v| Limits {
            zip_entries: v,
            ..Limits::DEFAULT
        },
        7,
        &bytes,
        "entries.docx",
    );
}

#[test]
fn xml_depth() {
    // document > body > p > r > t: depth 5.
    let bytes = docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>", 0);
    at_and_over(
        |v| Limits {
            xml_depth: v,
            ..Limits::DEFAULT
        },
        5,
        &bytes,
        "deep.docx",
    );
}

#[test]
fn table_cells_in_docx_and_txt() {
    let cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>";
    let bytes = docx(
        &format!("<w:tbl><w:tr>{cell}{cell}{cell}</w:tr></w:tbl>"),
        0,
    );
    at_and_over(
        |v| Limits {
            table_cells: v,
            ..Limits::DEFAULT
        },
        3,
        &bytes,
        "cells.docx",
    );
    let txt = "标题\n\ta\n\tb\n\n\tc\n".as_bytes();
    at_and_over(
        |v| Limits {
            table_cells: v,
            ..Limits::DEFAULT
        },
        3,
        txt,
        "cells.txt",
    );
    let pipes = "a | b | c\n".as_bytes();
    at_and_over(
        |v| Limits {
            table_cells: v,
            ..Limits::DEFAULT
        },
        3,
        pipes,
        "pipes.txt",
    );
}

#[test]
fn text_length_in_docx_and_txt() {
    let bytes = docx(
        "<w:p><w:r><w:t>abcd</w:t></w:r><w:r><w:t>ef</w:t></w:r></w:p>",
        0,
    );
    at_and_over(
        |v| Limits {
            text_bytes: v,
            ..Limits::DEFAULT
        },
        6,
        &bytes,
        "long.docx",
    );
    at_and_over(
        |v| Limits {
            text_bytes: v,
            ..Limits::DEFAULT
        },
        9,
        "一二三\n".as_bytes(),
        "long.txt",
    );
}

#[test]
fn blocks_per_document_docx_and_txt() {
    // Three paragraphs: refused as they come, by the reader, at the fourth.
    let body = "<w:p><w:r><w:t>一</w:t></w:r></w:p>".repeat(3);
    let blocks = |v| Limits {
        blocks: v,
        ..Limits::DEFAULT
    };
    at_and_over(blocks, 3, &docx(&body, 0), "blocks.docx");
    at_and_over(blocks, 3, "一\n\n二\n\n三\n".as_bytes(), "blocks.txt");
}

#[test]
fn elements_per_page() {
    let page = "<html><body><p>基本支出</p><p>项目支出</p></body></html>";
    at_and_over(
        |v| Limits {
            html_elements: v,
            ..Limits::DEFAULT
        },
        4,
        page.as_bytes(),
        "elements.html",
    );
}

#[test]
fn text_per_document() {
    // Two paragraphs of 12 bytes each: within their own limit, 24 bytes together.
    let body = "<w:p><w:r><w:t>基本支出</w:t></w:r></w:p>".repeat(2);
    at_and_over(
        |v| Limits {
            doc_text_bytes: v,
            ..Limits::DEFAULT
        },
        24,
        &docx(&body, 0),
        "text.docx",
    );
}

#[test]
fn file_size_scaled_and_real() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.txt");
    std::fs::write(&path, "基本支出1650万元\n").unwrap();
    let input = Input {
        path: path.clone(),
        source_path: "f.txt".into(),
    };
    let len = std::fs::metadata(&path).unwrap().len();
    let at = Limits {
        file_bytes: len,
        ..Limits::DEFAULT
    };
    assert!(load_with(&input, &at).is_ok());
    let over = Limits {
        file_bytes: len - 1,
        ..Limits::DEFAULT
    };
    assert_eq!(
        load_with(&input, &over).err().map(|e| e.reason),
        Some(Reason::TooLarge)
    );
    // The real limit: a (sparse) file of exactly MAX_FILE_BYTES is read, one byte more is not.
    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let input = Input {
        path: big.clone(),
        source_path: "big.txt".into(),
    };
    let started = std::time::Instant::now();
    assert_eq!(
        jixiao::source::load(&input).err().map(|e| e.reason),
        Some(Reason::TooLarge)
    );
    assert!(
        started.elapsed().as_millis() < 100,
        "refused from its size, before reading"
    );
    f.set_len(MAX_FILE_BYTES).unwrap();
    let got = jixiao::source::load(&input).err().map(|e| e.reason);
    assert_ne!(
        got,
        Some(Reason::TooLarge),
        "a file at the limit is read (zeros are not text)"
    );
}

#[test]
fn deflate_bomb_is_refused_fast_and_small() {
    let bytes = std::fs::read(super::root().join("tests/fixtures/bomb.docx")).unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        reason(&bytes, "bomb.docx", &Limits::DEFAULT),
        Some(Reason::TooLarge)
    );
    assert!(started.elapsed().as_secs_f64() < 1.0);
}

/// Sets the uncompressed size the zip declares for `name` (local and central headers).
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let patch = |zip: &mut [u8], sig: &[u8], name_at: usize, size_at: usize| {
        let at = (0..zip.len())
            .find(|&i| zip[i..].starts_with(sig) && zip[i + name_at..].starts_with(name.as_bytes()))
            .unwrap();
        zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
    };
    patch(zip, b"PK\x03\x04", 30, 22);
    patch(zip, b"PK\x01\x02", 46, 24);
}

#[test]
fn a_part_inflating_past_its_declared_size_stops_there() {
    // A bomb that lies about its size: memory stays within what it declared.
    let body = "<w:p><w:r><w:t>基本支出</w:t></w:r></w:p>".repeat(2000);
    let mut bytes = docx(&body, 0);
    assert_eq!(reason(&bytes, "honest.docx", &Limits::DEFAULT), None);
    declare_size(&mut bytes, "word/document.xml", 4096);
    let err = load_bytes_with(&bytes, "liar.docx", &Limits::DEFAULT).unwrap_err();
    assert_eq!(err.reason, Reason::TooLarge, "{}", err.message);
    assert!(err.message.contains("4096 bytes"), "{}", err.message);
}

/// Every extraction step is linear: one line of number-dense prose as long as the text
/// limit allows (4 MiB, no `。` anywhere) extracts in seconds. The bound is generous (about a
/// second here); the quadratic labelling it replaced took minutes at a fifth of this size.
#[test]
fn four_mib_of_number_dense_prose_extracts_in_seconds() {
    let mut line = String::new();
    let mut i = 0u64;
    while line.len() + 64 < jixiao::limits::MAX_TEXT_BYTES {
        // A deterministic spread of amounts, shares and counts (headcounts inside an open
        // bracket too: each one looks back at its context), commas only.
        line.push_str(&format!(
            "支出{}.{:02}万元，占{}.{}%，在职{}人（其中退休{}人，",
            (i * 7919) % 9999 + 1,
            i % 100,
            i % 97 + 1,
            i % 10,
            i % 300,
            i % 50
        ));
        i += 1;
    }
    let doc = jixiao::recover::dump::parse(&line).unwrap();
    let started = std::time::Instant::now();
    let deadline = started + std::time::Duration::from_secs(120);
    let rows = jixiao::extract::extract_by(&doc, "r", "dense.txt", deadline)
        .unwrap()
        .rows;
    let took = started.elapsed();
    assert!(
        rows.amounts.len() > 50_000,
        "{} amounts",
        rows.amounts.len()
    );
    assert!(took.as_secs() < 20, "4 MiB took {took:?}");
}
