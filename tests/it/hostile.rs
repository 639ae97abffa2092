//! Issue 31's hostile inputs, generated at test time (a few KB to a few MB each, no
//! megabytes in git) beside good files, and run together with the default `-j` under an
//! address-space cap: the run ends by itself with exit 3, peak RSS under 2 GB, every
//! hostile file in `errors.csv` with a reason, every good file read.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{bin, root};

fn zip(parts: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, body) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const WORKBOOK: (&str, &[u8]) = ("xl/workbook.xml", b"<workbook/>");

fn xlsx(sheet_data: &str) -> Vec<u8> {
    let sheet = format!("<worksheet><sheetData>{sheet_data}</sheetData></worksheet>");
    zip(
        &[WORKBOOK, ("xl/worksheets/sheet1.xml", sheet.as_bytes())],
        false,
    )
}

/// A seed `.xls` whose DIMENSIONS record has its first row after its last.
fn backwards_dimensions() -> Vec<u8> {
    let mut xls = std::fs::read(root().join("corpus/xls/003_3ecd34c07709391b.xls")).unwrap();
    let at = memchr::memmem::find(&xls, &[0x00, 0x02, 0x0E, 0x00]).unwrap() + 4;
    let last = u32::from_le_bytes(xls[at + 4..at + 8].try_into().unwrap());
    xls[at..at + 4].copy_from_slice(&(last + 5).to_le_bytes());
    xls
}

/// Every hostile case of the issue: its file name and bytes.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    let a1 = r#"<row r="1"><c r="A1"><v>1</v></c></row>"#;
    let ods = String::from(
        r#"<office:document-content><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated="60000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
    );
    let gbk_page = "<html><head><meta charset=\"utf-8\"></head><body><p>部门整体支出绩效自评报告。本年支出合计2998.29万元，基本支出1998.29万元。</p></body></html>".repeat(20);
    vec![
        (
            "far-tab.xlsx",
            xlsx(&format!(
                "{a1}<row r=\"1048576\"><c\tr=\"XFD1048576\"><v>1</v></c></row>"
            )),
        ),
        (
            "far-long-attribute.xlsx",
            xlsx(&format!(
                r#"{a1}<row r="1048576"><c s="1" {}="y" r="XFD1048576"><v>1</v></c></row>"#,
                "x".repeat(64)
            )),
        ),
        (
            "far-no-r.xlsx",
            xlsx(&format!(
                r#"<row><c><v>1</v></c></row><row r="1048576">{}</row>"#,
                "<c><v>1</v></c>".repeat(17_000)
            )),
        ),
        ("whitespace-sheet.xlsx", xlsx(&" ".repeat(64 << 20))),
        (
            "long-shared-string.xlsx",
            zip(
                &[
                    WORKBOOK,
                    (
                        "xl/sharedStrings.xml",
                        format!(
                            r#"<sst uniqueCount="1"><si><t>{}</t></si></sst>"#,
                            "a".repeat(32 << 20)
                        )
                        .as_bytes(),
                    ),
                ],
                false,
            ),
        ),
        (
            "repeats.ods",
            zip(
                &[
                    (
                        "mimetype",
                        b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
                    ),
                    ("content.xml", ods.as_bytes()),
                ],
                true,
            ),
        ),
        ("backwards-dimensions.xls", backwards_dimensions()),
        (
            "nested-tables.html",
            format!("<html><body>{}x", "<table><tr><td>".repeat(3000)).into_bytes(),
        ),
        (
            "nested-divs.html",
            format!("<html><body>{}x", "<div>".repeat(300_000)).into_bytes(),
        ),
        (
            "gbk-labelled-utf8.html",
            encoding_rs::GBK.encode(&gbk_page).0.into_owned(),
        ),
        (
            "hz.html",
            br#"<html><head><meta charset="hz-gb-2312"></head><body><p>~{<:Ky~}</p></body></html>"#
                .to_vec(),
        ),
    ]
}

/// A seed `.docx` with one more part: Word's way of embedding a chart's workbook (stored,
/// so its bytes hold `xl/workbook.`).
fn docx_embedding_a_workbook() -> Vec<u8> {
    let seed = std::fs::read(root().join("corpus/docx/000_b167f79e2d5dde0a.docx")).unwrap();
    let mut zip_in = zip::ZipArchive::new(std::io::Cursor::new(seed)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip_in.len() {
        w.raw_copy_file(zip_in.by_index(i).unwrap()).unwrap();
    }
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("word/embeddings/Microsoft_Excel_Worksheet.xlsx", opts)
        .unwrap();
    w.write_all(&xlsx(a1_only())).unwrap();
    w.finish().unwrap().into_inner()
}

fn a1_only() -> &'static str {
    r#"<row r="1"><c r="A1"><v>1</v></c></row>"#
}

/// One line of `基本支出N万元` amounts, `bytes` long.
fn amounts_line(bytes: usize) -> Vec<u8> {
    let mut s = String::from("部门整体支出绩效自评报告\n");
    let mut i = 0u64;
    while s.len() < bytes {
        s.push_str(&format!(
            "基本支出{}.{:02}万元，",
            i * 37 % 1_000_000,
            i % 100
        ));
        i += 1;
    }
    s.push('\n');
    s.into_bytes()
}

/// Peak resident memory of this process's waited-for children, in bytes.
fn children_peak_rss() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn hostile_files_cost_one_file_each_under_a_memory_cap() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let hostile = hostile();
    for (name, bytes) in &hostile {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let fifo =
        std::ffi::CString::new(input.join("fifo.docx").to_string_lossy().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let mut good = vec![
        (
            "embeds-a-workbook.docx".to_string(),
            docx_embedding_a_workbook(),
        ),
        ("amounts-4mb.txt".to_string(), amounts_line(4_000_000)),
    ];
    for seed in ["docx", "txt"] {
        for e in std::fs::read_dir(root().join("corpus").join(seed)).unwrap() {
            let p = e.unwrap().path();
            let name = format!("seed-{}", p.file_name().unwrap().to_string_lossy());
            good.push((name, std::fs::read(&p).unwrap()));
        }
    }
    for (name, bytes) in &good {
        std::fs::write(input.join(name), bytes).unwrap();
    }
    let out = dir.path().join("out");
    let started = Instant::now();
    let mut child = unsafe {
        Command::new(bin())
            .args(["extract", "--quiet", "-o"])
            .arg(&out)
            .arg(&input)
            .pre_exec(|| {
                // An 8 GiB address-space cap, as the issue's probes ran under.
                let cap = libc::rlimit {
                    rlim_cur: 8 << 30,
                    rlim_max: 8 << 30,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            })
            .spawn()
            .unwrap()
    };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("the run did not end within 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak = children_peak_rss();
    eprintln!("hostile run: {seconds:.1} s, peak RSS {} MB", peak >> 20);
    assert_eq!(status.code(), Some(3), "{status:?}");
    assert!(peak < 2 << 30, "peak RSS {} MB", peak >> 20);
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    for name in hostile.iter().map(|(n, _)| *n).chain(["fifo.docx"]) {
        let line = errors
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} is not in errors.csv:\n{errors}"));
        let reason = line.split(',').nth(1).unwrap_or_default();
        assert!(!reason.is_empty(), "{line}");
    }
    for (name, _) in &good {
        assert!(
            !errors.lines().any(|l| l.starts_with(name.as_str())),
            "{name} failed:\n{errors}"
        );
    }
}

#[test]
fn eight_hundred_thousand_characters_of_amounts_extract_in_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let line = amounts_line(2_400_000);
    let text = String::from_utf8(line).unwrap();
    let cut: String = text.chars().take(800_000).collect();
    std::fs::write(dir.path().join("amounts.txt"), cut).unwrap();
    let started = Instant::now();
    let status = Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("amounts.txt"))
        .status()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(status.success(), "{status:?}");
    assert!(seconds < 10.0, "{seconds:.1} s");
}
