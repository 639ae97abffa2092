//! The dataset end to end on the sample corpus: layout, CSV conventions, determinism.

use std::path::Path;

use super::{bin, root};

fn extract(out: &Path) -> std::process::ExitStatus {
    std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out)
        .arg(root().join("corpus"))
        .status()
        .unwrap()
}

fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walk(dir) {
        if e.extension()
            .is_some_and(|x| x == "csv" || x == "json" || x == "xlsx")
            && !e.ends_with("manifest.json")
        {
            v.push((
                e.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&e).unwrap(),
            ));
        }
    }
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn seeds_extract_with_exit_0_and_identical_reruns() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(extract(a.path()).success());
    assert!(extract(b.path()).success());
    let (ca, cb) = (csvs(a.path()), csvs(b.path()));
    assert!(ca.len() >= 6);
    assert_eq!(ca, cb, "two runs wrote different bytes");
    for (name, bytes) in &ca {
        if name.ends_with(".csv") {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} has no BOM");
            let text = String::from_utf8_lossy(bytes);
            assert!(text.lines().next().is_some());
            assert!(
                !text.contains('\n') || text.contains("\r\n"),
                "{name} is not CRLF"
            );
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.path().join("manifest.json")).unwrap()).unwrap();
    // Five seeds in each of .txt, .txt in other encodings, .docx, Word-style .docx, .doc and
    // .pdf, six web pages (one of them GB2312), and 003/004 as .xls and .xlsx.
    assert_eq!(manifest["counts"]["files"], 40);
    assert_eq!(manifest["counts"]["failed"], 0);
    assert!(!a
        .path()
        .read_dir()
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".jixiao-tmp")));
}

#[test]
fn numbers_command_speaks_json_lines() {
    use std::io::Write;
    let mut child = std::process::Command::new(bin())
        .arg("numbers")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("工资福利支出1213.36万元\n一百零七人\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["mentions"][0]["value"], "12133600");
    assert_eq!(lines[0]["mentions"][0]["unit"], "元");
    assert_eq!(lines[1]["mentions"][0]["value"], "107");
}

/// Field and indicator scores on the seed corpus against its gold (tests/fixtures/gold):
/// any regression fails. The floor is below the reached 1.000 only by rounding; every
/// report's kind is right.
#[test]
fn seed_fields_and_indicators_match_gold() {
    let out = tempfile::tempdir().unwrap();
    assert!(extract(out.path()).success());
    let gold = root().join("tests/fixtures/gold");
    let s = super::score(out.path(), &gold, true);
    assert!(
        s.summary["f1"] >= 0.995,
        "seed F1 fell: {}; {}",
        s.line,
        s.misses()
    );
    assert_eq!(s.indicators, (432, 432), "{}", s.line);
    assert!(s.line.contains("extra_indicator_rows=0"), "{}", s.line);
    let full = super::score(out.path(), &gold, false);
    assert!(
        full.summary["f1"] >= 0.995,
        "{}; {}",
        full.line,
        full.misses()
    );
    for (field, labelled) in [("report_kind", 40), ("province", 33), ("division_code", 40)] {
        assert_eq!(
            full.fields[field],
            (labelled, 0, 0),
            "{field}: {}",
            full.line
        );
    }
}

/// The real reports of tests/fixtures/real (77 openings and forms from 16 provinces): floors
/// under the reached scores (tests/fixtures/real-floors.tsv, per field), so rules that only fit
/// the seeds show up here, and a fall names the field that fell.
#[test]
fn real_report_fields_hold_their_floor() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(out.path())
        .arg(root().join("tests/fixtures/real"))
        .status()
        .unwrap();
    assert!(status.success());
    let gold = root().join("tests/fixtures/gold-real");
    let full = super::score(out.path(), &gold, false);
    let floors = std::fs::read_to_string(root().join("tests/fixtures/real-floors.tsv")).unwrap();
    let mut fell = Vec::new();
    for line in floors.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (field, min_tp, max_fp): (&str, u32, u32) =
            (f[0], f[1].parse().unwrap(), f[2].parse().unwrap());
        let (tp, fp, fn_) = full.fields.get(field).copied().unwrap_or_default();
        if tp < min_tp || fp > max_fp {
            fell.push(format!(
                "{field}: tp {tp} (floor {min_tp}), fp {fp} (ceiling {max_fp}), fn {fn_}"
            ));
        }
    }
    assert!(fell.is_empty(), "{}\n{}", fell.join("\n"), full.line);
    let indicators = floors
        .lines()
        .find_map(|l| l.strip_prefix("#indicators\t"))
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap();
    assert!(
        full.indicators.0 >= indicators,
        "indicator rows: {}",
        full.line
    );
}

/// checks.csv: the real contradictions of 003 (stated shares that disagree with its own
/// figures) in every form, and no error row for 001 and 002, whose figures are consistent.
#[test]
fn checks_find_003s_contradictions_and_spare_consistent_reports() {
    let out = tempfile::tempdir().unwrap();
    assert!(extract(out.path()).success());
    let mut paths = std::collections::HashMap::new();
    let mut checks: Vec<(String, String, String)> = Vec::new();
    for year in std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        let mut r = csv::Reader::from_path(year.path().join("reports.csv")).unwrap();
        for row in r.records().flatten() {
            paths.insert(
                row[0].trim_start_matches('\u{feff}').to_string(),
                row[1].to_string(),
            );
        }
        let mut c = csv::Reader::from_path(year.path().join("checks.csv")).unwrap();
        for row in c.records().flatten() {
            checks.push((
                row[0].trim_start_matches('\u{feff}').to_string(),
                row[3].to_string(),
                row[4].to_string(),
            ));
        }
    }
    let errors_of = |stem: &str| -> Vec<String> {
        checks
            .iter()
            .filter(|(id, _, sev)| {
                sev == "error" && paths.get(id).is_some_and(|p| p.contains(stem))
            })
            .map(|(_, check, _)| check.clone())
            .collect()
    };
    assert!(errors_of("001_").is_empty(), "{:?}", errors_of("001_"));
    assert!(errors_of("002_").is_empty(), "{:?}", errors_of("002_"));
    let e003 = errors_of("003_");
    assert_eq!(
        e003.iter().filter(|c| *c == "stated_share").count(),
        18,
        "two per form: {e003:?}"
    );
}

/// `inspect --json` shows the blocks in SPEC's shape and every extracted value with where
/// it came from and the rule that read it.
#[test]
fn inspect_traces_values_to_their_place() {
    let out = std::process::Command::new(bin())
        .args(["inspect", "--json"])
        .arg(root().join("corpus/docx-wordlike/003_3ecd34c07709391b.docx"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "docx");
    assert_eq!(v["blocks"][0]["type"], "paragraph");
    assert_eq!(v["blocks"][0]["location"], "p1");
    let extracted = v["extracted"].as_array().unwrap();
    let exp_total = extracted
        .iter()
        .find(|e| e["field"] == "exp_total")
        .unwrap();
    assert_eq!(exp_total["value"], "3619.44");
    assert!(exp_total["location"].as_str().unwrap().starts_with('p'));
    assert!(!exp_total["rule"].as_str().unwrap().is_empty());
    let refused = std::process::Command::new(bin())
        .args(["inspect", "--json"])
        .arg(root().join("tests/fixtures/bomb.docx"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("too_large"));
}

/// README's data dictionary is generated from the schema behind datapackage.json.
#[test]
fn readme_dictionary_matches_the_schema() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let generated = jixiao::write::schema::dictionary_markdown();
    let (a, b) = ("<!-- dictionary:start -->\n", "<!-- dictionary:end -->");
    let start = readme.find(a).expect("README has the dictionary markers") + a.len();
    let end = readme.find(b).unwrap();
    assert_eq!(&readme[start..end], generated, "run `make dictionary`");
}

/// A report row written with a distinct value in every column and read back by header
/// name gives every value back under its own name: the struct's serialised order and the
/// schema's header cannot drift apart.
#[test]
fn report_rows_read_back_by_header_name() {
    use jixiao::fields::ReportRow;
    use jixiao::record::{Num, Text};
    let t = |s: &str| Some(Text::new(s));
    let n = |v: i64| Some(Num(v.into()));
    let row = ReportRow {
        report_id: Text::new("r1"),
        source_path: Text::new("a/b.txt"),
        report_kind: Text::new("项目"),
        unit_name: t("某某县教育局"),
        project_name: t("营养改善计划"),
        province: t("湖南省"),
        prefecture: t("邵阳市"),
        county: t("隆回县"),
        township: t("北山镇"),
        division_code: t("430524114"),
        fiscal_year: Some(2023),
        report_date: t("2024-05-22"),
        staff_authorized: n(1),
        staff_actual: n(2),
        retirees: n(3),
        income_total: n(4),
        exp_total: n(5),
        exp_basic: n(6),
        exp_project: n(7),
        exp_personnel: n(8),
        exp_public: n(9),
        three_public_budget: n(10),
        three_public_actual: n(11),
        reception_actual: n(12),
        vehicle_actual: n(13),
        gov_fund_exp: n(14),
        budget_initial: n(15),
        budget_full_year: n(16),
        budget_executed: n(17),
        execution_rate: n(18),
        self_score: n(19),
        grade: t("优"),
        keywords: t("乡村振兴"),
        indicator_count: 20,
        check_count: 21,
        text_source: Text::new("mixed"),
    };
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(jixiao::write::schema::REPORTS.header())
        .unwrap();
    w.serialize(&row).unwrap();
    let bytes = w.into_inner().unwrap();
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let headers = r.headers().unwrap().clone();
    let rec = r.records().next().unwrap().unwrap();
    let back: std::collections::BTreeMap<&str, &str> = headers.iter().zip(rec.iter()).collect();
    let want = serde_json::to_value(&row).unwrap();
    let want = want.as_object().unwrap();
    assert_eq!(back.len(), want.len(), "{back:?}");
    for (name, value) in want {
        let value = match value {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        assert_eq!(
            back.get(name.as_str()).copied(),
            Some(value.as_str()),
            "{name}"
        );
    }
}

/// The CSV headers written are the schema's columns, in order.
#[test]
fn csv_headers_follow_the_schema() {
    let out = tempfile::tempdir().unwrap();
    assert!(extract(out.path()).success());
    for t in jixiao::write::schema::YEAR_TABLES {
        let text = std::fs::read_to_string(out.path().join("2023").join(t.file)).unwrap();
        let header = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap()
            .to_string();
        assert_eq!(header, t.header().join(","), "{}", t.file);
    }
}

/// Text that a spreadsheet would run as a formula reaches the CSVs with a leading `'`, in
/// every text column it can land in (labels, indicator cells, error messages' paths).
#[test]
fn formula_like_text_is_guarded_in_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let report = "2023年度部门整体支出绩效自评报告\n\
        =HYPERLINK公务接待费5万元。\n\
        \t一级指标\n\t二级指标\n\t三级指标\n\t年度指标值\n\t实际完成值\n\t分值\n\t得分\n\t偏差原因\n\n\
        \t产出指标\n\t数量指标\n\t@SUM(A1)\n\t+1\n\t-cmd\n\t2\n\t2\n\t=1+1\n";
    std::fs::write(dir.path().join("r.txt"), report).unwrap();
    std::fs::write(dir.path().join("=bad.docx"), b"%PDF-1.4").unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(&out)
        .arg(dir.path().join("r.txt"))
        .arg(dir.path().join("=bad.docx"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    let amounts = std::fs::read_to_string(out.join("2023/amounts.csv")).unwrap();
    assert!(amounts.contains("'=HYPERLINK"), "{amounts}");
    let indicators = std::fs::read_to_string(out.join("2023/indicators.csv")).unwrap();
    for guarded in ["'@SUM(A1)", "'+1", "'-cmd", "'=1+1"] {
        assert!(indicators.contains(guarded), "{guarded} in {indicators}");
    }
    let errors = std::fs::read_to_string(out.join("errors.csv")).unwrap();
    assert!(
        !errors.contains(",=") && !errors.contains("\n="),
        "{errors}"
    );
}

/// The synthetic generator's gold holds on a small generated corpus (`make bench` runs the
/// 1,000-document version): a regression guard across .docx (runs, merges) and .txt.
#[test]
fn generated_corpus_matches_its_gold() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = super::generate(dir.path(), 60, 11);
    let out = dir.path().join("out");
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "-o"])
        .arg(&out)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(status.success());
    let s = super::score(&out, &corpus.join("gold"), false);
    assert!(s.summary["f1"] >= 1.0, "{}; {}", s.line, s.misses());
    assert!(
        s.line.contains("extra_indicator_rows=0") && s.line.contains("(1.000)"),
        "{}",
        s.line
    );
}

/// coverage.csv on the sample corpus: 隆回县 has a report from 北山镇 (seed 002, in each of its
/// formats), and every other township of 隆回县 is listed with 0; the manifest counts them
/// (report.html shows them; the summary line no longer does).
#[test]
fn coverage_lists_every_township_of_a_covered_county() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(bin())
        .args(["extract", "-o"])
        .arg(out.path())
        .arg(root().join("corpus"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let text = std::fs::read_to_string(out.path().join("2023/coverage.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let longhui: Vec<&Vec<&str>> = rows.iter().filter(|r| r[3] == "隆回县").collect();
    assert!(
        longhui.len() > 20,
        "隆回县 has {} townships listed",
        longhui.len()
    );
    for r in &longhui {
        assert!(r[0].starts_with("430524") && r[0].len() == 9, "{r:?}");
        assert_eq!((r[1], r[2]), ("湖南省", "邵阳市"));
        let want = if r[4] == "北山镇" { "9" } else { "0" };
        assert_eq!(r[5], want, "{r:?}");
    }
    // Codes are unique and in order.
    let codes: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let towns = &manifest["townships"]["2023"];
    assert_eq!(towns["townships"].as_u64(), Some(rows.len() as u64));
    assert!(
        towns["missing"].as_u64() < Some(rows.len() as u64),
        "{towns}"
    );
}

/// Each year's workbook holds the year's CSVs cell for cell, typed (openpyxl reads it:
/// tests/tools/xlsx_check.py), and `--no-xlsx` leaves it out.
#[test]
fn workbooks_equal_their_csvs_and_can_be_left_out() {
    let out = tempfile::tempdir().unwrap();
    assert!(extract(out.path()).success());
    let openpyxl = super::python().is_some_and(|py| {
        std::process::Command::new(py)
            .args(["-c", "import openpyxl"])
            .status()
            .is_ok_and(|s| s.success())
    });
    if openpyxl {
        let last = super::python_summary("xlsx_check.py", &[out.path().as_os_str()]);
        // "xlsx: 2 workbooks, 34994 cells equal, 0 differ"
        assert!(
            last.starts_with("xlsx: 2 workbooks") && last.ends_with(" 0 differ"),
            "{last}"
        );
    } else {
        super::missing("openpyxl");
    }
    // LibreOffice reads the same values (where it is installed: .ci/run installs it).
    if super::tool("soffice", "--version") {
        let lo = super::python_summary("xlsx_libreoffice.py", &[out.path().as_os_str()]);
        assert!(
            lo.starts_with("libreoffice: 2 workbooks") && lo.ends_with(" 0 differ"),
            "{lo}"
        );
    }
    let none = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "--no-xlsx", "-o"])
        .arg(none.path())
        .arg(root().join("corpus"))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!walk(none.path())
        .iter()
        .any(|p| p.extension().is_some_and(|x| x == "xlsx")));
}

/// A file of two project forms gives two reports: each its own project, budget block and
/// indicators, ids `r…-1` and `r…-2`, one manifest entry listing both. In text (a `|` dump)
/// and as a workbook of one form a sheet.
#[test]
fn each_form_of_a_file_is_its_own_report() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(bin())
        .args(["extract", "--quiet", "--no-xlsx", "-o"])
        .arg(out.path())
        .arg(root().join("tests/fixtures/forms"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut r = csv::Reader::from_path(out.path().join("2023/reports.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let col = |row: &csv::StringRecord, name: &str| {
        let i = header.iter().position(|h| h == name).unwrap();
        row.get(i).unwrap().to_string()
    };
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let sheets: Vec<[String; 4]> = rows
        .iter()
        .filter(|row| col(row, "source_path").ends_with(".xlsx"))
        .map(|row| {
            [
                "project_name",
                "budget_full_year",
                "budget_executed",
                "self_score",
            ]
            .map(|f| col(row, f))
        })
        .collect();
    assert_eq!(
        sheets,
        [
            ["高标准农田建设", "120", "114", "97.5"],
            ["农机购置补贴", "30", "28.5", "94.5"]
        ]
    );
    let read: Vec<[String; 6]> = rows
        .iter()
        .filter(|row| col(row, "source_path").ends_with(".txt"))
        .map(|row| {
            [
                "report_id",
                "report_kind",
                "project_name",
                "budget_initial",
                "budget_executed",
                "self_score",
            ]
            .map(|f| col(row, f))
        })
        .collect();
    assert_eq!(read.len(), 2, "{read:?}");
    let id = read[0][0]
        .strip_suffix("-1")
        .expect("first form's id ends -1");
    assert_eq!(read[1][0], format!("{id}-2"));
    assert_eq!(
        read[0][1..],
        ["项目", "村组道路养护补助", "40", "38", "57.5"]
    );
    assert_eq!(read[1][1..], ["项目", "农村饮水安全维修", "12", "15", "40"]);
    // Each form's indicator rows under its own report.
    let mut ind = csv::Reader::from_path(out.path().join("2023/indicators.csv")).unwrap();
    let mut per_report: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for row in ind.records().map(Result::unwrap) {
        per_report
            .entry(row.get(0).unwrap().to_string())
            .or_default()
            .push(row.get(6).unwrap().to_string());
    }
    assert_eq!(per_report[&read[0][0]].len(), 2, "{per_report:?}");
    assert_eq!(per_report[&read[1][0]].len(), 2, "{per_report:?}");
    assert_eq!(per_report.len(), 4, "{per_report:?}");
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let files = man["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for f in files {
        assert_eq!(f["reports"].as_array().unwrap().len(), 2, "{f}");
    }
    assert_eq!(man["counts"]["read"], 2);
    assert_eq!(man["counts"]["reports_per_year"]["2023"], 4);
}

/// A row of an indicator block that no column alignment reads is left out and shown by
/// `inspect`: g012's row split over three `|` lines (its empty 指标性质 and 度量单位 cells
/// dropped by the dump) is not guessed into columns.
#[test]
fn inspect_shows_indicator_rows_left_out() {
    let out = std::process::Command::new(bin())
        .args(["inspect", "--json"])
        .arg(root().join("tests/fixtures/real/g012.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let left: Vec<String> = v["indicator_rows_left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["cells"].to_string())
        .collect();
    assert!(
        left.iter().any(|c| c.contains("减轻贫困学生家庭经济负担")),
        "{left:?}"
    );
    // The rows that were read are not listed.
    assert!(
        !left.iter().any(|c| c.contains("学生受资助人数")),
        "{left:?}"
    );
}

/// More files than the workers may run ahead of the writer, failures among them: several
/// workers write the same bytes, in the same order, as one.
#[test]
fn many_files_are_written_in_input_order_whatever_the_workers() {
    let src = tempfile::tempdir().unwrap();
    let seeds: Vec<_> = walk(&root().join("corpus/txt"));
    for i in 0..700 {
        if i % 97 == 13 {
            let path = src.path().join(format!("{i:04}.docx"));
            std::fs::write(path, b"PK\x03\x04 not a zip").unwrap();
        } else {
            let path = src.path().join(format!("{i:04}.txt"));
            std::fs::copy(&seeds[i % seeds.len()], path).unwrap();
        }
    }
    let run = |jobs: &str| {
        let out = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(bin())
            .args(["extract", "--quiet", "--no-xlsx", "--jobs", jobs, "-o"])
            .arg(out.path())
            .arg(src.path())
            .status()
            .unwrap();
        assert_eq!(
            status.code(),
            Some(3),
            "some files fail, so the run exits 3"
        );
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap())
                .unwrap();
        (csvs(out.path()), manifest["files"].clone(), out)
    };
    let (one, one_files, _a) = run("1");
    let (three, three_files, _b) = run("3");
    assert!(one
        .iter()
        .any(|(n, b)| n.ends_with("errors.csv") && b.len() > 200));
    assert_eq!(one.len(), three.len());
    for ((name, a), (other, b)) in one.iter().zip(&three) {
        assert_eq!(name, other);
        assert!(a == b, "{name}: three workers wrote other bytes than one");
    }
    assert_eq!(one_files.as_array().map(Vec::len), Some(700));
    assert_eq!(
        one_files, three_files,
        "workers changed the manifest's file list"
    );
}

/// Issue 37: a year whose rows are those of the last run keeps its workbook and datapackage
/// (the same file, linked, not written again) and the manifest says so; a year with a changed
/// report gets a new workbook; a workbook changed in DIR since it was written (opened and
/// saved in a spreadsheet) is written again, never kept.
#[test]
fn unchanged_years_keep_their_workbook_and_datapackage() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in"), dir.path().join("out"));
    super::copy_files("corpus/txt", &input);
    let run = || {
        let o = std::process::Command::new(bin())
            .args(["extract", "--quiet", "-o"])
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        m["years"].clone()
    };
    let inode = |y: &str, f: &str| std::fs::metadata(out.join(y).join(f)).unwrap().ino();
    let reused = |years: &serde_json::Value, y: &str| -> Vec<String> {
        years[y]["reused"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let first = run();
    assert_eq!(reused(&first, "2023"), Vec::<String>::new());
    assert!(first["2023"]["rows_hash"]
        .as_str()
        .is_some_and(|h| h.len() == 24));
    let book = (
        inode("2023", "jixiao-2023.xlsx"),
        inode("2024", "jixiao-2024.xlsx"),
    );
    let package = inode("2023", "datapackage.json");
    let second = run();
    for y in ["2023", "2024"] {
        assert_eq!(
            reused(&second, y),
            ["datapackage.json", &format!("jixiao-{y}.xlsx")],
            "{second}"
        );
        assert_eq!(second[y]["rows_hash"], first[y]["rows_hash"]);
    }
    assert_eq!(
        (
            inode("2023", "jixiao-2023.xlsx"),
            inode("2024", "jixiao-2024.xlsx")
        ),
        book
    );
    assert_eq!(inode("2023", "datapackage.json"), package);
    // 001 is the 2024 report: a changed copy changes that year's rows only.
    let seed = input.join("001_7677739c59076178.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(&seed, text.replacen("2024", "2024 ", 1)).unwrap();
    let third = run();
    assert_eq!(reused(&third, "2024"), Vec::<String>::new(), "{third}");
    assert_ne!(third["2024"]["rows_hash"], second["2024"]["rows_hash"]);
    assert_ne!(inode("2024", "jixiao-2024.xlsx"), book.1);
    assert_eq!(reused(&third, "2023").len(), 2, "{third}");
    // Someone saved the 2023 workbook with changes: it is written again from the rows.
    let path = out.join("2023/jixiao-2023.xlsx");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(b"\0");
    std::fs::write(&path, &bytes).unwrap();
    let fourth = run();
    assert_eq!(reused(&fourth, "2023"), ["datapackage.json"], "{fourth}");
    let written = std::fs::read(&path).unwrap();
    assert_eq!(written.len() + 1, bytes.len());
}
