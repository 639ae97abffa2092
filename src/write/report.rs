//! `DIR/report.html`: the morning after for the analyst, in Chinese, one self-contained page
//! (inline CSS and SVG, no script, nothing fetched): when the run started, which build, which
//! inputs, which output folder and how long; reports per year and kind beside the last run's,
//! under a red banner when they fell sharply or the failure rate jumped (a run that lost
//! most of its reports must not look calm); failures, the first-time ones first; reports added,
//! removed and changed since the last run (what `diff` computes); field coverage per year as
//! bars with the last run marked; checks by kind and severity with the reports they concern;
//! per county the townships with and without a report; the slowest files.
//!
//! It is built from the finished dataset's CSVs, so it shows exactly what was written; the
//! last run's counts, failures and coverage are read from DIR before its files are replaced.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::record::{Change, ChangeKind};
use crate::record::{ErrorRow, SkippedRow};
use crate::write::manifest::{for_people, Manifest};

/// Reports listed under one check before the rest is only counted.
const LISTED: usize = 50;
/// Slowest files shown.
pub const SLOWEST: usize = 10;

/// Changes since the last run listed before the rest is only counted.
const CHANGES_LISTED: usize = 100;

/// What the run knows that the CSVs do not.
pub struct RunFacts<'a> {
    /// The run's manifest: start time, version, build, inputs.
    pub manifest: &'a Manifest,
    /// The output folder as given (`-o`).
    pub out_dir: &'a Path,
    /// Reports added, removed and changed since the last run (empty on a first run).
    pub changes: &'a [Change],
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

/// What the last run into DIR left, read before its files are replaced.
#[derive(Debug, Default, Clone)]
pub struct LastRun {
    /// Its start, as in its manifest (ISO 8601, or unix seconds from an older run).
    pub started: String,
    pub files: usize,
    pub coverage: Coverage,
    /// Reports per year and kind (`整体`, `项目`, empty when unsettled).
    pub kinds: BTreeMap<String, BTreeMap<String, usize>>,
    /// The paths of its errors.csv.
    pub failed: BTreeSet<String>,
}

/// The last run in `dir`, or none when `dir` holds no finished dataset.
pub fn last_run(dir: &Path) -> Option<LastRun> {
    let text = std::fs::read(dir.join("manifest.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let years = year_dirs(dir);
    let reports: BTreeMap<String, Vec<BTreeMap<String, String>>> = years
        .iter()
        .map(|y| (y.clone(), rows(&dir.join(y).join("reports.csv"))))
        .collect();
    Some(LastRun {
        started: manifest["started"].as_str().unwrap_or_default().to_string(),
        files: manifest["counts"]["files"].as_u64().unwrap_or(0) as usize,
        coverage: coverage(&reports),
        kinds: reports
            .iter()
            .map(|(y, rs)| (y.clone(), kinds(rs)))
            .collect(),
        failed: rows(&dir.join("errors.csv"))
            .into_iter()
            .filter_map(|r| r.get("path").cloned())
            .collect(),
    })
}

/// Field coverage per year of a dataset's reports.
fn coverage(reports: &BTreeMap<String, Vec<BTreeMap<String, String>>>) -> Coverage {
    reports
        .iter()
        .map(|(y, rs)| (y.clone(), shares(rs)))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// Reports per kind.
fn kinds(reports: &[BTreeMap<String, String>]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in reports {
        *out.entry(r.get("report_kind").cloned().unwrap_or_default())
            .or_default() += 1;
    }
    out
}

/// Reports fewer than this share of the last run's (when it had at least [`ALARM_FLOOR`])
/// raise the banner.
const ALARM_SHARE: f64 = 0.8;
const ALARM_FLOOR: usize = 10;

/// Why tonight must not look calm: reports (in all, or in one year) fell below
/// [`ALARM_SHARE`] of the last run's, or the failure rate rose by 5 points and at least
/// doubled.
fn alarms(
    now: &BTreeMap<String, BTreeMap<String, usize>>,
    last: &LastRun,
    failed: usize,
    files: usize,
) -> Vec<String> {
    let sum = |m: &BTreeMap<String, usize>| m.values().sum::<usize>();
    let mut out = Vec::new();
    let mut fell = |what: &str, before: usize, after: usize| {
        if before >= ALARM_FLOOR && (after as f64) < before as f64 * ALARM_SHARE {
            out.push(format!(
                "{what}报告比上次少 {:.0}%：上次 {before} 份，本次 {after} 份",
                (1.0 - after as f64 / before as f64) * 100.0
            ));
        }
    };
    let total = |m: &BTreeMap<String, BTreeMap<String, usize>>| m.values().map(sum).sum();
    fell("", total(&last.kinds), total(now));
    for (year, before) in &last.kinds {
        let after = now.get(year).map_or(0, sum);
        fell(&format!("{year} 年度"), sum(before), after);
    }
    let rate = |f: usize, n: usize| if n == 0 { 0.0 } else { f as f64 / n as f64 };
    let (now_rate, last_rate) = (rate(failed, files), rate(last.failed.len(), last.files));
    if now_rate >= last_rate + 0.05 && now_rate >= 2.0 * last_rate {
        out.push(format!(
            "读取失败率升至 {:.0}%（{failed}/{files} 个文件），上次 {:.0}%",
            now_rate * 100.0,
            last_rate * 100.0
        ));
    }
    out
}

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

/// `+3`, `-2`, `0`.
fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Reports added, removed and changed since the last run, as `diff` lists them, each row
/// linked to its year's reports.csv.
fn changes(h: &mut String, changes: &[Change]) {
    let n = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let _ = write!(
        h,
        "<h2>与上次相比</h2><p>新增报告 {} 份，减少 {} 份，字段变动 {} 处。</p>",
        n(ChangeKind::Added),
        n(ChangeKind::Removed),
        n(ChangeKind::Changed)
    );
    if changes.is_empty() {
        return;
    }
    h.push_str("<table class=\"changes\"><tr><th>变化</th><th>单位</th><th>年度</th><th>字段</th><th>原值</th><th>新值</th><th>报告</th></tr>");
    for c in changes.iter().take(CHANGES_LISTED) {
        let what = match c.kind {
            ChangeKind::Added => "新增",
            ChangeKind::Removed => "减少",
            ChangeKind::Changed => "变动",
        };
        let year = c.get("fiscal_year");
        let folder = if year.is_empty() {
            "unknown-year"
        } else {
            year
        };
        let _ = write!(
            h,
            "<tr><td>{what}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}/reports.csv\">{}</a></td></tr>",
            esc(c.get("unit_name")),
            esc(year),
            esc(crate::fields::title(&c.field).unwrap_or(&c.field)),
            esc(&c.old),
            esc(&c.new),
            esc(folder),
            esc(c.get("report_id"))
        );
    }
    if changes.len() > CHANGES_LISTED {
        let _ = write!(
            h,
            "<tr><td colspan=\"7\">… 另有 {} 处（jixiao diff 可列出全部）</td></tr>",
            changes.len() - CHANGES_LISTED
        );
    }
    h.push_str("</table>");
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
pub fn write(dir: &Path, to: &Path, run: &RunFacts<'_>, last: Option<&LastRun>) -> Result<()> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>jixiao 运行报告</title><style>\
body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse;margin:.5em 0}}\
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:90%}}h2{{margin-top:1.5em}}\
.up{{color:#070}}.down{{color:#b00}}details{{margin:.3em 0}}\
.alarm{{background:#b00;color:#fff;padding:.6em 1em;font-weight:bold}}.alarm p{{margin:.2em 0}}</style></head><body><h1>jixiao 运行报告</h1>"
    );
    let years = year_dirs(dir);
    let reports: BTreeMap<String, Vec<BTreeMap<String, String>>> = years
        .iter()
        .map(|y| (y.clone(), rows(&dir.join(y).join("reports.csv"))))
        .collect();
    let total: usize = reports.values().map(Vec::len).sum();
    let m = run.manifest;
    let _ = write!(
        h,
        "<p>运行开始于 {}，用时 {}；jixiao {}（构建 {}）；输入：{}；输出文件夹：{}</p>",
        esc(&for_people(&m.started)),
        esc(&crate::words::duration(run.seconds)),
        esc(&m.version),
        esc(m.build.get(..12).unwrap_or(&m.build)),
        esc(&m.inputs.join("、")),
        esc(&run.out_dir.display().to_string())
    );
    let now_kinds: BTreeMap<String, BTreeMap<String, usize>> = reports
        .iter()
        .map(|(y, rs)| (y.clone(), kinds(rs)))
        .collect();
    if let Some(last) = last {
        let alarms = alarms(&now_kinds, last, run.errors.len(), run.files);
        if !alarms.is_empty() {
            h.push_str("<div class=\"alarm\" role=\"alert\">");
            for a in &alarms {
                let _ = write!(h, "<p>{}</p>", esc(a));
            }
            h.push_str("</div>");
        }
    }
    let _ = write!(
        h,
        "<p>文件 {} 个（其中 {} 个取自缓存），报告 {} 份，读取失败 {} 个，非自评文件 {} 个；每秒 {:.0} 个文件。</p>",
        run.files,
        run.reused,
        total,
        run.errors.len(),
        run.skipped.len(),
        run.files as f64 / run.seconds.max(1e-3)
    );
    let before = last.map(|l| {
        format!(
            "（上次 {} 个文件，运行于 {}）",
            l.files,
            for_people(&l.started)
        )
    });
    let _ = write!(
        h,
        "<h2>各年度报告数</h2><p>本次与上次的报告份数{}。</p><table><tr><th>年度</th><th>类型</th><th>本次</th><th>上次</th><th>增减</th></tr>",
        esc(before.as_deref().unwrap_or("（本文件夹没有上次的运行）"))
    );
    let years_both: BTreeSet<&String> = now_kinds
        .keys()
        .chain(last.iter().flat_map(|l| l.kinds.keys()))
        .collect();
    for y in years_both {
        let empty = BTreeMap::new();
        let now = now_kinds.get(y).unwrap_or(&empty);
        let then = last.and_then(|l| l.kinds.get(y));
        let kinds: BTreeSet<&String> = now
            .keys()
            .chain(then.into_iter().flat_map(|t| t.keys()))
            .collect();
        for k in kinds {
            let n = now.get(k).copied().unwrap_or(0);
            let (b, delta) = match then {
                Some(t) => {
                    let b = t.get(k).copied().unwrap_or(0);
                    (b.to_string(), signed(n as i64 - b as i64))
                }
                None if last.is_some() => ("0".to_string(), signed(n as i64)),
                None => (String::new(), String::new()),
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{n}</td><td>{b}</td><td>{delta}</td></tr>",
                esc(y),
                esc(if k.is_empty() { "未定" } else { k })
            );
        }
    }
    h.push_str("</table>");

    h.push_str("<h2>读取失败的文件</h2>");
    if let Some(last) = last {
        let first: Vec<&ErrorRow> = run
            .errors
            .iter()
            .filter(|e| !last.failed.contains(&e.path.0))
            .collect();
        let _ = write!(h, "<h3>首次失败（{} 个）</h3>", first.len());
        if !first.is_empty() {
            h.push_str("<table class=\"first\"><tr><th>文件</th><th>原因</th><th>说明</th></tr>");
            for e in first.iter().take(LISTED * 4) {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&e.path.0),
                    esc(&e.reason.0),
                    esc(&e.message.0)
                );
            }
            h.push_str("</table>");
        }
        h.push_str("<h3>全部失败，按原因</h3>");
    }
    by_reason(
        &mut h,
        run.errors
            .iter()
            .map(|e| (e.reason.0.as_str(), vec![e.path.0.as_str(), &e.message.0])),
    );
    if last.is_some() {
        changes(&mut h, run.changes);
    }
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
    let now = coverage(&reports);
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
            let before = last
                .and_then(|l| l.coverage.get(year))
                .and_then(|p| p.get(*name));
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
    fn a_sharp_fall_or_a_failure_jump_raises_the_banner() {
        let year = |n: usize| -> BTreeMap<String, BTreeMap<String, usize>> {
            [("2023".to_string(), [("整体".to_string(), n)].into())].into()
        };
        let last = LastRun {
            files: 100,
            kinds: year(100),
            failed: ["a".to_string()].into(),
            ..LastRun::default()
        };
        assert!(alarms(&year(85), &last, 1, 100).is_empty());
        let fell = alarms(&year(40), &last, 1, 100);
        assert_eq!(fell.len(), 2, "{fell:?}");
        assert!(fell[0].contains("少 60%"), "{fell:?}");
        let failing = alarms(&year(100), &last, 9, 100);
        assert_eq!(failing, ["读取失败率升至 9%（9/100 个文件），上次 1%"]);
        // A small last run is no baseline.
        let small = LastRun {
            kinds: year(5),
            ..last
        };
        assert!(alarms(&year(1), &small, 1, 100).is_empty());
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }
}
