//! `DIR/report.html`: the night at a glance for the analyst, one self-contained page (inline
//! CSS and SVG, no script, nothing fetched): the run's counts and speed, failures by reason
//! with their paths, field coverage per year as bars with the change against the previous
//! run in the same DIR, checks by kind and severity with the reports they concern, per
//! county the townships with and without a report, and the slowest files.
//!
//! It is built from the finished dataset's CSVs, so it shows exactly what was written; the
//! previous run's coverage is read from the old `reports.csv` files before they are replaced.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::record::{ErrorRow, SkippedRow};

/// Reports listed under one check before the rest is only counted.
const LISTED: usize = 50;
/// Slowest files shown.
pub const SLOWEST: usize = 10;

/// What the run knows that the CSVs do not.
pub struct RunFacts<'a> {
    pub files: usize,
    pub reused: usize,
    pub seconds: f64,
    pub errors: &'a [ErrorRow],
    /// Files read but not self-evaluations (the gate), counted apart from failures.
    pub skipped: &'a [SkippedRow],
    /// (path, seconds), slowest first.
    pub slowest: &'a [(String, f64)],
}

/// Rows grouped by reason code, each group a collapsed table of its first rows' cells.
fn by_reason<'r>(h: &mut String, rows: impl Iterator<Item = (&'r str, Vec<&'r str>)>) {
    let mut groups: BTreeMap<&str, Vec<Vec<&str>>> = BTreeMap::new();
    for (reason, cells) in rows {
        groups.entry(reason).or_default().push(cells);
    }
    if groups.is_empty() {
        h.push_str("<p>无</p>");
    }
    for (reason, rs) in &groups {
        let _ = write!(
            h,
            "<details><summary>{} ({})</summary><table>",
            esc(reason),
            rs.len()
        );
        for cells in rs.iter().take(LISTED * 4) {
            h.push_str("<tr>");
            for c in cells {
                let _ = write!(h, "<td>{}</td>", esc(c));
            }
            h.push_str("</tr>");
        }
        h.push_str("</table></details>");
    }
}

/// Share of reports with each column filled, per year folder.
pub type Coverage = BTreeMap<String, BTreeMap<String, f64>>;

/// Rows of a CSV as header-keyed maps (empty when the file is missing or unreadable).
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    let header: Vec<String> = match r.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(_) => return Vec::new(),
    };
    r.records()
        .flatten()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn year_dirs(dir: &Path) -> Vec<String> {
    let mut years: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("reports.csv").exists())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    years.sort();
    years
}

/// Field coverage per year of the dataset in `dir` (the previous run's, before a commit).
pub fn coverage(dir: &Path) -> Coverage {
    year_dirs(dir)
        .into_iter()
        .map(|year| {
            let reports = rows(&dir.join(&year).join("reports.csv"));
            (year, shares(&reports))
        })
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// Share of `reports` with each column filled (empty for no reports).
fn shares(reports: &[BTreeMap<String, String>]) -> BTreeMap<String, f64> {
    let mut filled: BTreeMap<String, usize> = BTreeMap::new();
    for r in reports {
        for (k, v) in r {
            *filled.entry(k.clone()).or_default() += usize::from(!v.is_empty());
        }
    }
    let n = reports.len() as f64;
    filled.into_iter().map(|(k, c)| (k, c as f64 / n)).collect()
}

/// A check's severity as the page says it (checks.csv keeps the code).
fn severity_zh(code: &str) -> &'static str {
    match code {
        "error" => "错误",
        "warning" => "提示",
        _ => "其他",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes the page for the dataset in `dir` to `to`.
pub fn write(dir: &Path, to: &Path, run: &RunFacts<'_>, previous: &Coverage) -> Result<()> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>jixiao 运行报告</title><style>\
body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse;margin:.5em 0}}\
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:90%}}h2{{margin-top:1.5em}}\
.up{{color:#070}}.down{{color:#b00}}details{{margin:.3em 0}}</style></head><body><h1>jixiao 运行报告</h1>"
    );
    let years = year_dirs(dir);
    let reports: BTreeMap<String, Vec<BTreeMap<String, String>>> = years
        .iter()
        .map(|y| (y.clone(), rows(&dir.join(y).join("reports.csv"))))
        .collect();
    let total: usize = reports.values().map(Vec::len).sum();
    let _ = write!(
        h,
        "<p>文件 {} 个（其中 {} 个取自缓存），报告 {} 份，读取失败 {} 个，非自评文件 {} 个；用时 {:.1} 秒，每秒 {:.0} 个文件。</p>",
        run.files,
        run.reused,
        total,
        run.errors.len(),
        run.skipped.len(),
        run.seconds,
        run.files as f64 / run.seconds.max(1e-3)
    );
    h.push_str("<table><tr><th>年度</th><th>整体</th><th>项目</th></tr>");
    for (y, rs) in &reports {
        let kind = |k: &str| {
            rs.iter()
                .filter(|r| r.get("report_kind").map(String::as_str) == Some(k))
                .count()
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(y),
            kind("整体"),
            kind("项目")
        );
    }
    h.push_str("</table>");

    h.push_str("<h2>读取失败的文件</h2>");
    by_reason(
        &mut h,
        run.errors
            .iter()
            .map(|e| (e.reason.0.as_str(), vec![e.path.0.as_str(), &e.message.0])),
    );
    // Read, but not self-evaluations: apart from the failures.
    h.push_str("<h2>跳过的文件（非绩效自评）</h2>");
    by_reason(
        &mut h,
        run.skipped.iter().map(|s| {
            (
                s.reason.0.as_str(),
                vec![s.path.0.as_str(), &s.title.0, &s.evidence.0],
            )
        }),
    );

    // Field coverage per year, with the previous run's as a marker.
    h.push_str(
        "<h2>字段覆盖率</h2><p>找到各字段的报告所占比例；灰色刻度为本文件夹上一次运行的比例。</p>",
    );
    // This run's coverage, from the reports already read above.
    let now: Coverage = reports
        .iter()
        .map(|(y, rs)| (y.clone(), shares(rs)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    for (year, fields) in &now {
        let _ = write!(h, "<h3>{}</h3>", esc(year));
        let shown: Vec<(&String, &f64)> = crate::fields::COLUMNS
            .iter()
            .filter(|c| {
                !matches!(
                    c.name,
                    "report_id" | "source_path" | "indicator_count" | "check_count"
                )
            })
            .filter_map(|c| fields.get_key_value(c.name))
            .collect();
        let height = shown.len() * 18 + 4;
        let _ = write!(h, "<svg width=\"640\" height=\"{height}\" role=\"img\">");
        for (i, (name, share)) in shown.iter().enumerate() {
            let y = i * 18 + 2;
            let before = previous.get(year).and_then(|p| p.get(*name));
            let _ = write!(
                h,
                "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"150\" y=\"{y}\" width=\"{:.1}\" height=\"14\" fill=\"#4a7\"/>\
<text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{:.0}%</text>",
                y + 12,
                esc(crate::fields::title(name).unwrap_or(name)),
                *share * 400.0,
                155.0 + *share * 400.0,
                y + 12,
                *share * 100.0
            );
            if let Some(b) = before {
                let delta = (*share - b) * 100.0;
                let _ = write!(
                    h,
                    "<rect x=\"{:.1}\" y=\"{y}\" width=\"2\" height=\"14\" fill=\"#888\"/>",
                    150.0 + b * 400.0
                );
                if delta.abs() >= 0.05 {
                    let _ = write!(
                        h,
                        "<text x=\"600\" y=\"{}\" font-size=\"11\" fill=\"{}\">{:+.1}</text>",
                        y + 12,
                        if delta > 0.0 { "#070" } else { "#b00" },
                        delta
                    );
                }
            }
        }
        h.push_str("</svg>");
    }

    // Checks by kind and severity, with the reports they concern.
    h.push_str("<h2>核查发现</h2>");
    for (year, rs) in &reports {
        let by_id: BTreeMap<&str, &BTreeMap<String, String>> = rs
            .iter()
            .filter_map(|r| Some((r.get("report_id")?.as_str(), r)))
            .collect();
        let checks = rows(&dir.join(year).join("checks.csv"));
        let mut groups: BTreeMap<(String, String), Vec<&BTreeMap<String, String>>> =
            BTreeMap::new();
        for c in &checks {
            let key = (
                c.get("severity").cloned().unwrap_or_default(),
                c.get("check").cloned().unwrap_or_default(),
            );
            groups.entry(key).or_default().push(c);
        }
        for ((severity, check), cs) in &groups {
            let _ = write!(
                h,
                "<details><summary>{} {} — {} ({})</summary><table><tr><th>单位</th><th>说明</th><th>来源文件</th></tr>",
                esc(year),
                severity_zh(severity),
                esc(check),
                cs.len()
            );
            for c in cs.iter().take(LISTED) {
                let report = c.get("report_id").and_then(|id| by_id.get(id.as_str()));
                let field = |k: &str| report.and_then(|r| r.get(k)).map_or("", String::as_str);
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field("unit_name")),
                    esc(c.get("message").map_or("", String::as_str)),
                    esc(field("source_path"))
                );
            }
            if cs.len() > LISTED {
                let _ = write!(
                    h,
                    "<tr><td colspan=\"3\">… 另有 {} 条（见 checks.csv）</td></tr>",
                    cs.len() - LISTED
                );
            }
            h.push_str("</table></details>");
        }
    }

    // Townships with and without a report, per county.
    h.push_str("<h2>各县乡镇报告情况</h2>");
    for year in &years {
        let cov = rows(&dir.join(year).join("coverage.csv"));
        let mut counties: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for r in &cov {
            let county = format!(
                "{}{}{}",
                r.get("province").map_or("", String::as_str),
                r.get("prefecture").map_or("", String::as_str),
                r.get("county").map_or("", String::as_str)
            );
            let town = r.get("township").cloned().unwrap_or_default();
            let e = counties.entry(county).or_default();
            if r.get("reports").is_some_and(|n| n != "0") {
                e.0.push(town);
            } else {
                e.1.push(town);
            }
        }
        if counties.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<h3>{}</h3><table><tr><th>县</th><th>有报告的乡镇</th><th>无报告的乡镇</th></tr>",
            esc(year)
        );
        for (county, (with, without)) in &counties {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} ({})</td><td><details><summary>{}</summary>{}</details></td></tr>",
                esc(county),
                with.len(),
                esc(&with.join("、")),
                without.len(),
                esc(&without.join("、"))
            );
        }
        h.push_str("</table>");
    }

    h.push_str("<h2>最慢的文件</h2><table>");
    for (path, secs) in run.slowest {
        let _ = write!(h, "<tr><td>{}</td><td>{:.3} 秒</td></tr>", esc(path), secs);
    }
    h.push_str("</table></body></html>\n");
    std::fs::write(to, h)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
