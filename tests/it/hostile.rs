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

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts every `.xlsx` holds besides its sheets and strings, as Excel writes them: the
/// content types, the package and workbook relationships, a workbook of one sheet.
fn workbook_parts(shared_strings: bool) -> Vec<(&'static str, Vec<u8>)> {
    let strings_type = if shared_strings {
        r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
    } else {
        ""
    };
    let strings_rel = if shared_strings {
        format!(
            r#"<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>"#
        )
    } else {
        String::new()
    };
    vec![
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{strings_type}</Types>"#
            )
            .into_bytes(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            )
            .into_bytes(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            )
            .into_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>"#
            )
            .into_bytes(),
        ),
    ]
}

/// A real `.xlsx` (it opens in Excel and calamine) of one sheet holding `sheet_data`, with
/// `shared_strings` as its shared-strings part when given.
fn workbook(sheet_data: &str, shared_strings: Option<&str>) -> Vec<u8> {
    let mut parts = workbook_parts(shared_strings.is_some());
    parts.push((
        "xl/worksheets/sheet1.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>"#).into_bytes(),
    ));
    if let Some(sst) = shared_strings {
        parts.push(("xl/sharedStrings.xml", sst.as_bytes().to_vec()));
    }
    let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    zip(&parts, false)
}

fn xlsx(sheet_data: &str) -> Vec<u8> {
    workbook(sheet_data, None)
}

/// A seed `.xls` whose DIMENSIONS record has its first row after its last.
fn backwards_dimensions() -> Vec<u8> {
    let mut xls = std::fs::read(root().join("corpus/xls/003_3ecd34c07709391b.xls")).unwrap();
    let at = memchr::memmem::find(&xls, &[0x00, 0x02, 0x0E, 0x00]).unwrap() + 4;
    let last = u32::from_le_bytes(xls[at + 4..at + 8].try_into().unwrap());
    xls[at..at + 4].copy_from_slice(&(last + 5).to_le_bytes());
    xls
}

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A `.docx` of `paragraphs` short paragraphs: two million make a 250 MB part in a 1 MB file.
fn many_paragraphs(paragraphs: usize) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    w.start_file("_rels/.rels", opts).unwrap();
    w.write_all(RELS.as_bytes()).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
    let p = format!(
        "<w:p><w:r><w:t>基本支出{}</w:t></w:r></w:p>",
        "x".repeat(80)
    )
    .repeat(1000);
    for _ in 0..paragraphs / 1000 {
        w.write_all(p.as_bytes()).unwrap();
    }
    w.write_all(b"</w:body></w:document>").unwrap();
    w.finish().unwrap().into_inner()
}

/// `bytes` of text: a title, then `line` again and again.
fn lines(bytes: usize, line: &str) -> Vec<u8> {
    let mut s = String::with_capacity(bytes + line.len());
    s.push_str("部门整体支出绩效自评报告\n");
    while s.len() < bytes {
        s.push_str(line);
    }
    s.into_bytes()
}

/// Every hostile case of the issue: its file name and bytes.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    let pair = many_paragraphs(2_000_000);
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
            workbook(
                r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
                Some(&format!(
                    r#"<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
                    "a".repeat(32 << 20)
                )),
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
            "many-elements.html",
            format!("<html><body>{}", "<p>x".repeat(600_000)).into_bytes(),
        ),
        (
            "gbk-labelled-utf8.html",
            encoding_rs::GBK.encode(&gbk_page).0.into_owned(),
        ),
        ("pair-1.docx", pair.clone()),
        ("pair-2.docx", pair),
        ("short-lines-66mb.txt", lines(66_000_000, "支出1\n")),
        (
            "hard-wrapped-61mb.txt",
            lines(
                61_000_000,
                "本单位严格执行预算管理制度，基本支出1998.29万元，项目支出\n",
            ),
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
        ("small.xlsx".to_string(), xlsx(a1_only())),
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
    // Some 40,000 amounts: the first 20,000 are written, and a check says the rest were not.
    let year = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("amounts.csv").exists())
        .unwrap();
    let amounts = std::fs::read_to_string(year.join("amounts.csv")).unwrap();
    assert_eq!(amounts.lines().count(), 20_000 + 1);
    let checks = std::fs::read_to_string(year.join("checks.csv")).unwrap();
    assert!(
        checks.lines().any(
            |l| l.contains(",output_cut,warning,") && l.contains("amounts.csv 只写入前20000行")
        ),
        "{checks}"
    );
}

/// A minimal PDF of `pages` pages, each with one line of text.
fn pdf(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let content = "BT /F1 12 Tf 72 720 Td (Performance self-evaluation report) Tj ET";
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    objects.extend((0..pages).map(|_| {
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>".to_string()
    }));
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_pdf_past_the_page_limit_says_so() {
    if !super::tool("pdftotext", "-v") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("long.pdf"), pdf(501)).unwrap();
    std::fs::write(dir.path().join("short.pdf"), pdf(500)).unwrap();
    let status = Command::new(bin())
        .args(["extract", "--quiet", "--keep-all", "-o"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("long.pdf"))
        .arg(dir.path().join("short.pdf"))
        .status()
        .unwrap();
    assert!(status.success(), "{status:?}");
    let checks = std::fs::read_to_string(dir.path().join("out/unknown-year/checks.csv")).unwrap();
    let cut: Vec<&str> = checks
        .lines()
        .filter(|l| l.contains(",pages_cut,"))
        .collect();
    assert_eq!(cut.len(), 1, "{checks}");
    assert!(cut[0].contains("只读取了前500页"), "{checks}");
}
