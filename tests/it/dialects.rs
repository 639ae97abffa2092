//! Generality across dump dialects: every table of the real set's gold (each report's indicator
//! rows and its budget block) is rendered as a self-evaluation form in each way a saved page or
//! a converter writes tables: TAB rows, `|` rows, one cell per line with blank lines between
//! cells (a lone space for an empty cell), columns padded with spaces, each row flattened into
//! one line, an HTML page and an `.xlsx` workbook. Every dialect must read back the gold's
//! indicator rows and budget fields, and no other rows.
//!
//! A row flattened into one line drops its empty cells, so nothing can tell which column a
//! missing cell was: that dialect renders only the rows and budget columns that are complete.

use std::collections::BTreeMap;
use std::path::Path;

use jixiao::normalize::text::display_width;
use serde_json::Value;

use super::{bin, root};

/// The form's indicator columns and the gold keys that fill them.
const INDICATOR_HEADER: [&str; 7] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
];
const INDICATOR_KEYS: [&str; 7] = [
    "level1", "level2", "name", "target", "actual", "weight", "score",
];

/// The budget block's value columns and the report fields that fill them.
const BUDGET_COLUMNS: [(&str, &str); 4] = [
    ("年初预算数", "budget_initial"),
    ("全年预算数", "budget_full_year"),
    ("全年执行数", "budget_executed"),
    ("执行率", "execution_rate"),
];

/// What one report's gold says its tables hold.
struct Form {
    id: String,
    /// Budget fields with their value as the form writes it (`100%` for the rate).
    budget: Vec<(&'static str, String)>,
    /// Indicator rows, one text per column of [`INDICATOR_HEADER`] (`""` for an empty cell).
    rows: Vec<[String; 7]>,
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(a)) => text(a.first()),
        _ => String::new(),
    }
}

fn forms() -> Vec<Form> {
    let mut forms = Vec::new();
    let dir = root().join("tests/fixtures/gold-real");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let fields = &gold["fields"];
        let budget: Vec<(&str, String)> = BUDGET_COLUMNS
            .iter()
            .filter_map(|&(_, f)| {
                let v = text(fields.get(f));
                let v = if f == "execution_rate" && !v.is_empty() {
                    format!("{v}%")
                } else {
                    v
                };
                (!v.is_empty()).then_some((f, v))
            })
            .collect();
        let rows: Vec<[String; 7]> = gold["indicators"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|r| INDICATOR_KEYS.map(|k| text(r.get(k))))
            .collect();
        // A budget block needs the executed amount and one more (the form's header does).
        let budget = if budget.iter().any(|(f, _)| *f == "budget_executed") && budget.len() >= 2 {
            budget
        } else {
            Vec::new()
        };
        if !budget.is_empty() || !rows.is_empty() {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            forms.push(Form { id, budget, rows });
        }
    }
    forms
}

/// A form as paragraphs and grids, in document order; `complete` keeps only the rows and
/// budget columns without an empty cell.
enum Block {
    Line(String),
    Grid(Vec<Vec<String>>),
}

fn blocks(form: &Form, complete: bool) -> Vec<Block> {
    let mut out = vec![Block::Line("2023年度项目支出绩效自评表".into())];
    if !form.budget.is_empty() {
        let cols: Vec<(&str, &str)> = BUDGET_COLUMNS
            .iter()
            .copied()
            .filter(|(_, f)| !complete || form.budget.iter().any(|(g, _)| g == f))
            .collect();
        let value = |f: &str| {
            form.budget
                .iter()
                .find(|(g, _)| *g == f)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        out.push(Block::Grid(vec![
            std::iter::once("项目资金(万元)".to_string())
                .chain(cols.iter().map(|(h, _)| h.to_string()))
                .collect(),
            std::iter::once("年度资金总额".to_string())
                .chain(cols.iter().map(|(_, f)| value(f)))
                .collect(),
        ]));
    }
    let rows: Vec<Vec<String>> = form
        .rows
        .iter()
        .filter(|r| !complete || r.iter().all(|c| !c.is_empty()))
        .map(|r| r.to_vec())
        .collect();
    if !rows.is_empty() {
        // A column the form does not have (no row fills it) is not written at all.
        let kept: Vec<usize> = (0..INDICATOR_HEADER.len())
            .filter(|&i| rows.iter().any(|r| r.get(i).is_some_and(|c| !c.is_empty())))
            .collect();
        let pick = |r: &[String]| -> Vec<String> {
            kept.iter().filter_map(|&i| r.get(i).cloned()).collect()
        };
        let header: Vec<String> = INDICATOR_HEADER.iter().map(|h| h.to_string()).collect();
        out.push(Block::Line("绩效指标完成情况".into()));
        out.push(Block::Grid(
            std::iter::once(pick(&header))
                .chain(rows.iter().map(|r| pick(r)))
                .collect(),
        ));
    }
    out
}

/// How a text dialect writes a grid's rows as lines.
type GridWriter = fn(&[Vec<String>]) -> String;

/// A form in a text dialect.
fn render(blocks: &[Block], grid: GridWriter) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Line(l) => format!("{l}\n"),
            Block::Grid(g) => grid(g),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn tabs(g: &[Vec<String>]) -> String {
    g.iter().map(|r| r.join("\t") + "\n").collect()
}

fn pipes(g: &[Vec<String>]) -> String {
    g.iter()
        .map(|r| format!("| {} |\n", r.join(" | ")))
        .collect()
}

fn cell_per_line(g: &[Vec<String>]) -> String {
    g.iter()
        .flatten()
        .map(|c| {
            if c.is_empty() {
                " \n\n".to_string()
            } else {
                format!("{c}\n\n")
            }
        })
        .collect()
}

fn padded(g: &[Vec<String>]) -> String {
    let cols = g.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            g.iter()
                .filter_map(|r| r.get(i))
                .map(|c| display_width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    g.iter()
        .map(|r| {
            let line: String = r
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - display_width(c) + 3)))
                .collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

fn one_line(g: &[Vec<String>]) -> String {
    let cells: Vec<&str> = g.iter().flatten().map(String::as_str).collect();
    cells.join(" ") + "\n"
}

fn html(blocks: &[Block]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>");
    for b in blocks {
        match b {
            Block::Line(l) => out += &format!("<p>{}</p>", esc(l)),
            Block::Grid(g) => {
                out += "<table border=\"1\">";
                for r in g {
                    out += "<tr>";
                    for c in r {
                        out += &format!("<td>{}</td>", esc(c));
                    }
                    out += "</tr>";
                }
                out += "</table>";
            }
        }
    }
    out + "</body></html>"
}

fn xlsx(blocks: &[Block], path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut row = 0u32;
    for b in blocks {
        let lines = match b {
            Block::Line(l) => vec![vec![l.clone()]],
            Block::Grid(g) => g.clone(),
        };
        for r in lines {
            for (c, v) in r.iter().enumerate() {
                if !v.is_empty() {
                    sheet.write_string(row, c as u16, v).unwrap();
                }
            }
            row += 1;
        }
    }
    book.save(path).unwrap();
}

/// Writes every form in every dialect under `dir/<dialect>/<id>.<ext>`.
fn write_all(dir: &Path, forms: &[Form]) {
    let text_dialects: [(&str, GridWriter, bool); 5] = [
        ("tab", tabs, false),
        ("pipe", pipes, false),
        ("cell-per-line", cell_per_line, false),
        ("padded", padded, false),
        ("one-line", one_line, true),
    ];
    for (name, grid, complete) in text_dialects {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        for f in forms {
            let text = render(&blocks(f, complete), grid);
            std::fs::write(dir.join(name).join(format!("{}.txt", f.id)), text).unwrap();
        }
    }
    for name in ["html", "xlsx"] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
    }
    for f in forms {
        let b = blocks(f, false);
        std::fs::write(dir.join("html").join(format!("{}.html", f.id)), html(&b)).unwrap();
        xlsx(&b, &dir.join("xlsx").join(format!("{}.xlsx", f.id)));
    }
}

/// A cell compared as the scorer does: spaces removed, the formula guard dropped.
fn cell(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches('\'')
        .to_string()
}

fn same_number(got: &str, want: &str) -> bool {
    let num = |s: &str| cell(s).trim_end_matches('%').parse::<f64>().ok();
    match (num(got), num(want)) {
        (Some(a), Some(b)) => (a - b).abs() < 0.005,
        _ => cell(got) == cell(want),
    }
}

fn rows_of(path: &Path) -> Vec<BTreeMap<String, String>> {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').to_string())
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// What went wrong for each rendered form: `dialect/id: …` lines.
fn misses(input: &Path, forms: &[Form]) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "--no-xlsx", "--keep-all", "-o"])
        .arg(out.path())
        .arg(input)
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c == 0 || c == 3), "{status}");
    let (mut reports, mut indicators) = (Vec::new(), Vec::new());
    for year in std::fs::read_dir(out.path()).unwrap().flatten() {
        reports.extend(rows_of(&year.path().join("reports.csv")));
        indicators.extend(rows_of(&year.path().join("indicators.csv")));
    }
    let mut misses = Vec::new();
    for dialect in std::fs::read_dir(input).unwrap().flatten() {
        let dialect = dialect.file_name().to_string_lossy().into_owned();
        let complete = dialect == "one-line";
        for form in forms {
            let at = |p: &str| {
                Path::new(p)
                    .parent()
                    .and_then(|d| d.file_name())
                    .is_some_and(|d| d == dialect.as_str())
                    && Path::new(p)
                        .file_stem()
                        .is_some_and(|s| s == form.id.as_str())
            };
            let name = format!("{dialect}/{}", form.id);
            let Some(report) = reports.iter().find(|r| at(&r["source_path"])) else {
                misses.push(format!("{name}: no report row"));
                continue;
            };
            for (f, want) in &form.budget {
                if !same_number(&report[*f], want) {
                    misses.push(format!("{name}: {f} = {:?}, want {want:?}", report[*f]));
                }
            }
            let got: Vec<&BTreeMap<String, String>> = indicators
                .iter()
                .filter(|r| r["report_id"] == report["report_id"])
                .collect();
            let want: Vec<&[String; 7]> = form
                .rows
                .iter()
                .filter(|r| !complete || r.iter().all(|c| !c.is_empty()))
                .collect();
            if got.len() != want.len() {
                misses.push(format!(
                    "{name}: {} indicator rows, want {}",
                    got.len(),
                    want.len()
                ));
            }
            for w in want {
                let row = got.iter().find(|g| cell(&g["name"]) == cell(&w[2]));
                let ok = row.is_some_and(|g| {
                    ["level1", "level2", "name", "target_raw", "actual_raw"]
                        .iter()
                        .zip(w.iter())
                        .all(|(k, v)| cell(&g[*k]) == cell(v))
                        && same_number(&g["weight"], &w[5])
                        && same_number(&g["score"], &w[6])
                });
                if !ok {
                    let got = row.map(|g| {
                        [
                            "level1",
                            "level2",
                            "target_raw",
                            "actual_raw",
                            "weight",
                            "score",
                        ]
                        .map(|k| g[k].as_str())
                        .join(" | ")
                    });
                    misses.push(format!(
                        "{name}: indicator {:?}: got {got:?}, want {w:?}",
                        w[2]
                    ));
                }
            }
        }
    }
    misses.sort();
    misses
}

/// The misses known today (`tests/fixtures/dialect-misses.txt`), a ratchet: a new miss fails
/// the test, and so does a listed one that is read right now (take it off the list).
const KNOWN: &str = "tests/fixtures/dialect-misses.txt";

#[test]
fn gold_tables_read_back_in_every_dialect() {
    let forms = forms();
    assert!(forms.len() >= 40, "{} forms", forms.len());
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &forms);
    let misses = misses(dir.path(), &forms);
    let known_text = std::fs::read_to_string(root().join(KNOWN)).unwrap();
    let known: Vec<&str> = known_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let new: Vec<&str> = misses
        .iter()
        .map(String::as_str)
        .filter(|m| !known.contains(m))
        .collect();
    let fixed: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| !misses.iter().any(|m| m == k))
        .collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "{} new misses:\n{}\n\n{} listed in {KNOWN} and now read right (take them off):\n{}",
        new.len(),
        new.join("\n"),
        fixed.len(),
        fixed.join("\n")
    );
}
