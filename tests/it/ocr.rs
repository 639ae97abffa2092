//! Scanned pages through the binary: an image-only PDF (a self-evaluation form printed and
//! scanned at 150 dpi, made by tests/tools/scan_pdfs.py from seed 004's page 5) and the same
//! page as a PNG image file. Needs tesseract with its Chinese model (`.ci/run` installs it).

use std::collections::BTreeMap;

fn ocr_installed() -> bool {
    let langs = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let ok = langs.lines().any(|l| l.trim() == "chi_sim");
    if !ok {
        super::missing("tesseract with chi_sim (Debian: tesseract-ocr tesseract-ocr-chi-sim)");
    }
    ok
}

fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            header
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `jixiao extract -q INPUT -o OUT`, with `PATH` set to `path` when given (to hide tools).
fn extract(
    input: &std::path::Path,
    out: &std::path::Path,
    path: Option<&std::path::Path>,
) -> std::process::ExitStatus {
    let mut cmd = std::process::Command::new(super::bin());
    cmd.arg("extract").arg(input).arg("-o").arg(out).arg("-q");
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    cmd.status().unwrap()
}

#[test]
fn a_scanned_form_and_its_image_give_indicator_rows_read_by_ocr() {
    if !ocr_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = extract(&super::root().join("tests/fixtures/scanned"), &out, None);
    assert_eq!(status.code(), Some(0));
    let year = out.join("unknown-year");
    let reports = rows(&year.join("reports.csv"));
    assert_eq!(reports.len(), 2, "{reports:?}");
    for r in &reports {
        assert_eq!(r["text_source"], "ocr", "{r:?}");
    }
    let indicators = rows(&year.join("indicators.csv"));
    // The form's four indicator rows, from each of the two files; where a cell is not empty
    // it holds what the page says (the weight and score of 资金下拨时间 are 10 and 10).
    for r in &reports {
        let mine: Vec<_> = indicators
            .iter()
            .filter(|i| i["report_id"] == r["report_id"])
            .collect();
        assert_eq!(mine.len(), 4, "{}: {mine:?}", r["source_path"]);
        let time = mine
            .iter()
            .find(|i| i["name"] == "资金下拨时间")
            .unwrap_or_else(|| panic!("{mine:?}"));
        assert_eq!(
            (time["level2"].as_str(), time["weight"].as_str()),
            ("时效指标", "10")
        );
        assert_eq!(time["score"], "10");
        for i in &mine {
            for (k, want) in [
                ("level1_weight", &["40", "20"][..]),
                ("weight", &["15", "10", "5"]),
            ] {
                assert!(
                    i[k].is_empty() || want.contains(&i[k].as_str()),
                    "{k} {:?} in {i:?}",
                    i[k]
                );
            }
        }
    }
    // A number the engine doubted is an empty cell and an ocr_doubtful check where it stood.
    for c in rows(&year.join("checks.csv")) {
        if c["check"] == "ocr_doubtful" {
            assert!(
                c["location"].starts_with('t') || c["location"].starts_with('p'),
                "{c:?}"
            );
        }
    }
}

#[test]
fn a_scanned_pdf_without_the_engine_says_which_package_reads_it() {
    // PATH without tesseract (poppler stays): the reason stays no_text_layer.
    let Some(pdftotext) = which("pdftotext") else {
        super::missing("pdftotext");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in ["pdftotext", "pdftoppm"] {
        let from = pdftotext.with_file_name(tool);
        std::os::unix::fs::symlink(&from, bin.join(tool)).unwrap();
    }
    let out = dir.path().join("out");
    let status = extract(
        &super::root().join("tests/fixtures/scanned"),
        &out,
        Some(&bin),
    );
    assert_eq!(status.code(), Some(3));
    let errors = rows(&out.join("errors.csv"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    for e in errors {
        assert_eq!(e["reason"], "no_text_layer", "{e:?}");
        assert!(e["message"].contains("tesseract-ocr-chi-sim"), "{e:?}");
    }
}

/// The seeds whose self-evaluation form (with its indicator table) is scanned in
/// [`scanned_seed_forms_score_above_their_floors`], and the floors it keeps: what the seeds
/// scanned at 150 dpi score today, less a margin for the engine's version.
const SCANNED_SEEDS: [&str; 2] = ["003_3ecd34c07709391b", "004_df9b4d90b23d3385"];
const FLOOR_PRECISION: f64 = 0.95;
const FLOOR_F1: f64 = 0.90;
const FLOOR_INDICATORS: u32 = 20;
/// A PDF holding only page images (JPEG), as a scanner writes one: no text layer.
fn image_pdf(pages: &[Vec<u8>], dpi: f32) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, head: String, stream: Option<&[u8]>| {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{head}\n", offsets.len()).into_bytes());
        if let Some(s) = stream {
            out.extend(b"stream\n");
            out.extend(s);
            out.extend(b"\nendstream\n");
        }
        out.extend(b"endobj\n");
    };
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 3 + 3 * i))
        .collect();
    object(&mut out, "<< /Type /Catalog /Pages 2 0 R >>".into(), None);
    object(
        &mut out,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        None,
    );
    for (i, jpeg) in pages.iter().enumerate() {
        use image::ImageDecoder;
        let decoder = image::ImageReader::new(std::io::Cursor::new(jpeg))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        let (w, h) = decoder.dimensions();
        // pdftoppm writes its JPEG pages in colour, even grey ones.
        let colours = match decoder.color_type().channel_count() {
            1 => "DeviceGray",
            _ => "DeviceRGB",
        };
        let (pw, ph) = (w as f32 * 72.0 / dpi, h as f32 * 72.0 / dpi);
        let draw = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im Do Q");
        object(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Contents {} 0 R /Resources << /XObject << /Im {} 0 R >> >> >>",
                4 + 3 * i,
                5 + 3 * i
            ),
            None,
        );
        object(
            &mut out,
            format!("<< /Length {} >>", draw.len()),
            Some(draw.as_bytes()),
        );
        object(
            &mut out,
            format!("<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /{colours} /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>", jpeg.len()),
            Some(jpeg),
        );
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).into_bytes());
    for o in &offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .into_bytes(),
    );
    out
}

/// The seeds holding the self-evaluation form with its indicator table, printed to page
/// images at 150 dpi (JPEG, quality 75) and put back into PDFs with no text layer, read by
/// OCR and scored against their gold: the floors are what OCR reads of them today
/// (docs/research/ocr.md), so a change that reads scanned forms worse fails here.
#[test]
fn scanned_seed_forms_score_above_their_floors() {
    if !ocr_installed() {
        return;
    }
    if which("pdftoppm").is_none() {
        super::missing("pdftoppm (Debian: poppler-utils)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (scans, gold, out) = (
        dir.path().join("scans"),
        dir.path().join("gold"),
        dir.path().join("out"),
    );
    std::fs::create_dir_all(&scans).unwrap();
    std::fs::create_dir_all(&gold).unwrap();
    for seed in SCANNED_SEEDS {
        let pages = dir.path().join(seed);
        std::fs::create_dir_all(&pages).unwrap();
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "150", "-jpeg", "-jpegopt", "quality=75"])
            .arg(super::root().join(format!("corpus/pdf/{seed}.pdf")))
            .arg(pages.join("p"))
            .status()
            .unwrap();
        assert!(status.success());
        let mut files: Vec<_> = std::fs::read_dir(&pages)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let jpegs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        std::fs::write(scans.join(format!("{seed}.pdf")), image_pdf(&jpegs, 150.0)).unwrap();
        std::fs::copy(
            super::root().join(format!("tests/fixtures/gold/{seed}.json")),
            gold.join(format!("{seed}.json")),
        )
        .unwrap();
    }
    let status = extract(&scans, &out, None);
    assert_eq!(status.code(), Some(0));
    let score = super::score(&out, &gold, false);
    let at = |k: &str| score.summary.get(k).copied().unwrap_or(0.0);
    assert!(
        at("precision") >= FLOOR_PRECISION && at("f1") >= FLOOR_F1,
        "{}; {}",
        score.line,
        score.misses()
    );
    assert!(score.indicators.0 >= FLOOR_INDICATORS, "{}", score.line);
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}
