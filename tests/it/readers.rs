//! Every seed reads to the same text in all six forms (.txt, .txt in another encoding, .docx,
//! Word-style .docx, .doc, .html), and the tracked deletion never shows.

use jixiao::document::{Block, Document};
use jixiao::source::{self, Input};

use super::{root, seed_forms, seed_stems};

fn load(p: &std::path::Path) -> Document {
    let input = Input {
        path: p.to_path_buf(),
        source_path: p.to_string_lossy().into_owned(),
    };
    match source::load(&input) {
        Ok(l) => l.doc,
        Err(e) => panic!("{}: {e}", p.display()),
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Paragraph texts and table cell texts, whitespace removed, empty ones dropped.
fn shape(doc: &Document) -> (Vec<String>, Vec<Vec<Vec<String>>>) {
    let paras = doc
        .paragraphs()
        .map(|p| squash(&p.text))
        .filter(|t| !t.is_empty())
        .collect();
    let tables = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| squash(&c.text)).collect())
                    .collect(),
            ),
            Block::Paragraph(_) => None,
        })
        .collect();
    (paras, tables)
}

#[test]
fn every_seed_reads_the_same_in_all_six_forms() {
    let stems = seed_stems();
    assert_eq!(stems.len(), 5);
    for stem in stems {
        let forms = seed_forms(&stem);
        let reference = shape(&load(&forms[0]));
        assert!(!reference.0.is_empty());
        for f in &forms[1..] {
            let got = shape(&load(f));
            assert_eq!(
                got.0.join("\n"),
                reference.0.join("\n"),
                "paragraphs of {} differ from the .txt",
                f.display()
            );
            assert_eq!(
                got.1,
                reference.1,
                "tables of {} differ from the .txt",
                f.display()
            );
        }
    }
}

#[test]
fn tracked_deletion_is_never_read() {
    for stem in seed_stems() {
        for f in seed_forms(&stem) {
            let doc = load(&f);
            let json = serde_json::to_string(&doc.blocks).unwrap();
            assert!(
                !json.contains("9999.99"),
                "{} shows deleted text",
                f.display()
            );
        }
    }
}

#[test]
fn tables_with_merges_are_recovered_from_txt_and_docx() {
    let stem = "004_df9b4d90b23d3385";
    let docx = load(&root().join(format!("corpus/docx/{stem}.docx")));
    let tables = docx.tables();
    assert_eq!(tables.len(), 2);
    let merged = tables
        .iter()
        .flat_map(|t| t.rows.iter().flatten())
        .filter(|c| c.v_merge == jixiao::document::VMerge::Continue)
        .count();
    assert!(merged > 0, "vMerge continuation cells are kept");
    // The .doc's table definitions give the same merges, and the web page's rowspans.
    for other in [
        format!("corpus/doc/{stem}.doc"),
        format!("corpus/html/{stem}.html"),
    ] {
        let d = load(&root().join(&other));
        let continues = d
            .tables()
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .filter(|c| c.v_merge == jixiao::document::VMerge::Continue)
            .count();
        assert_eq!(continues, merged, "{other}");
    }
    // The `(40分)` cell keeps its blank line in both readings.
    let txt = load(&root().join(format!("corpus/txt/{stem}.txt")));
    let has = |d: &Document| {
        d.tables()
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .any(|c| c.text.contains("产出指标") && c.text.contains("(40分)"))
    };
    assert!(has(&txt) && has(&docx));
}

/// docx-rs's reader as a second opinion on the paragraph text of the `.docx` seeds.
#[test]
fn docx_rs_agrees_on_paragraph_text() {
    for stem in seed_stems() {
        let path = root().join(format!("corpus/docx/{stem}.docx"));
        let bytes = std::fs::read(&path).unwrap();
        let theirs = docx_rs::read_docx(&bytes).unwrap();
        let mut their_text = String::new();
        for child in theirs.document.children {
            if let docx_rs::DocumentChild::Paragraph(p) = child {
                their_text.push_str(&p.raw_text());
            }
        }
        let ours: String = load(&path).paragraphs().map(|p| p.text.clone()).collect();
        assert_eq!(squash(&ours), squash(&their_text), "{stem}");
    }
}

/// Ruled tables in PDFs (LibreOffice's conversions of `.docx` test files) read as the `.docx`
/// reader reads the same tables, cell for cell; tables without a closed grid of rules (none,
/// or horizontal rules and shading only) stay text. Skipped where poppler is not installed.
#[test]
fn ruled_pdf_tables_read_as_their_docx() {
    if !super::tool("pdftoppm", "-v") {
        return;
    }
    let grids = |d: &Document| -> Vec<Vec<Vec<String>>> {
        d.tables()
            .iter()
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| squash(&c.text)).collect())
                    .collect()
            })
            .collect()
    };
    // (PDF, its .docx, which of the .docx's tables are ruled)
    let cases: [(&str, &str, &[usize]); 4] = [
        (
            "features__steps__test_files__tbl-cell-access",
            "python-docx",
            &[0, 1, 2, 3],
        ),
        (
            "features__steps__test_files__tbl-having-applied-style",
            "python-docx",
            &[1],
        ),
        ("test__test-data__tables", "mammoth", &[0]),
        ("table_libre_office__table", "docx-rs", &[0]),
    ];
    for (stem, suite, ruled) in cases {
        let pdf = load(&root().join(format!("tests/fixtures/pdf-tables/{stem}.pdf")));
        let docx = load(&root().join(format!("tests/fixtures/docx-wild/{suite}/{stem}.docx")));
        let want: Vec<_> = grids(&docx)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| ruled.contains(i))
            .map(|(_, g)| g)
            .collect();
        assert_eq!(grids(&pdf), want, "{stem}");
    }
}
