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

#[test]
fn a_scanned_form_and_its_image_give_indicator_rows_read_by_ocr() {
    if !ocr_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(super::bin())
        .arg("extract")
        .arg(super::root().join("tests/fixtures/scanned"))
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .status()
        .unwrap();
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
    let status = std::process::Command::new(super::bin())
        .arg("extract")
        .arg(super::root().join("tests/fixtures/scanned"))
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .env("PATH", &bin)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    let errors = rows(&out.join("errors.csv"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    for e in errors {
        assert_eq!(e["reason"], "no_text_layer", "{e:?}");
        assert!(e["message"].contains("tesseract-ocr-chi-sim"), "{e:?}");
    }
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}
