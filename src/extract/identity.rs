//! Who reports and for which year: unit name, county, township, fiscal year, report date.
//!
//! The unit name is the most complete organisation name in the title, the signature block or
//! a 单位名称 cell; county and township are read off that name, never guessed from elsewhere.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::Document;
use crate::extract::kind::Kind;
use crate::extract::labels::{self, unit_like};
use crate::extract::Prepared;
use crate::normalize::text::squash;

/// An organisation name: the shortest run ending in an organ's word, where the longer form
/// of that word is tried first (`…委员会办公室` before `…委员会`, `…人民政府倘甸镇` before
/// `…人民政府`).
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Han}（）()]{2,30}?(?:人民政府[\p{Han}]{1,5}?(?:镇|乡|街道)|人民政府|街道办事处|办事处|管理委员会|委员会办公室|常务委员会|委员会|局|中心|办公室|委[\p{Han}]{2,3}部)")
        .expect("static regex")
});
/// A year written with what was spent in it: `2021年部门决算收支`, `2017 年整体支出`.
static YEAR_OF_SPENDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})年度?(?:部门|机关|单位)?(?:整体支出|决算|收支|预算执行)")
        .expect("static regex")
});
/// A site banner: `欢迎来到南县政协网站`.
static BANNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"欢迎(?:来到|访问|光临)([\p{Han}]{2,20}?)(?:门户网站|网站|官网)")
        .expect("static regex")
});
static YEAR_EVALUATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年\s*度?").expect("static regex"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").expect("static regex")
});
static TOWNSHIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{1,8}?(?:镇|乡|街道))(?:人民政府|办事处|街道办事处|政府|党委)")
        .expect("static regex")
});
static COUNTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{Han}]{1,6}?(?:自治县|县|区|市|旗)").expect("static regex"));

/// Identity fields of one report.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Identity {
    pub unit_name: Option<String>,
    pub county: Option<String>,
    pub township: Option<String>,
    pub fiscal_year: Option<i32>,
    pub report_date: Option<String>,
}

/// `单位名称`, `部门(单位)名称`, `预算部门、单位名称`: a cell or line that names the unit.
fn is_name_label(s: &str) -> bool {
    s.chars().count() <= 16 && s.ends_with("名称") && (s.contains("单位") || s.contains("部门"))
}

/// Places a unit name is written: title lines, short signature lines, 单位名称 cells.
/// `paras` are the document's paragraphs, squashed.
fn name_candidates(doc: &Document, paras: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let n = paras.len();
    for pair in paras.windows(2) {
        if let [label, value] = pair {
            // A flattened form: the label line, then the name line.
            if is_name_label(label) {
                if let Some(m) = ORG.find(value).filter(|m| m.start() == 0) {
                    out.push(m.as_str().to_string());
                }
            }
        }
    }
    for (i, p) in paras.iter().enumerate() {
        let near_edge = i < 6 || i + 8 >= n;
        let short = p.chars().count() <= 40;
        if near_edge && short {
            // A name that opens the line (after a `名称：` label): titles and signatures.
            let p = p.split(['：', ':']).next_back().unwrap_or(p);
            let p =
                p.trim_start_matches(|c: char| c.is_ascii_digit() || "年度（）()附件-".contains(c));
            if let Some(m) = ORG.find(p).filter(|m| m.start() == 0) {
                out.push(m.as_str().to_string());
            }
        }
    }
    for t in doc.tables() {
        for row in &t.rows {
            for pair in row.windows(2) {
                if let [label, value] = pair {
                    // `称` must be there for the squashed label to end in 名称: most cells are
                    // ruled out without squashing them.
                    if label.text.contains('称') && is_name_label(&squash(&label.text)) {
                        if let Some(m) = ORG.find(&squash(&value.text)) {
                            out.push(m.as_str().to_string());
                        }
                    }
                }
            }
        }
    }
    out.into_iter()
        .map(|s| {
            s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '年' || c == '度')
                .to_string()
        })
        .filter(|s| {
            !labels::has_title_words(s)
                && !s.starts_with("本")
                && !s.starts_with("我")
                && labels::balanced(s)
        })
        .collect()
}

/// The unit a form's labels name, by role: for a project form its 实施单位, else its 主管部门;
/// for any report a 单位名称-like label. Publisher labels and banners are `last` resorts.
fn labelled_unit(prepared: &Prepared<'_>, kind: Kind) -> (Option<String>, Option<String>) {
    let found = &prepared.labelled;
    let role = |label: &str| {
        labels::UNIT_LABELS
            .iter()
            .find(|(_, l)| *l == label)
            .map_or("", |(r, _)| *r)
    };
    let first = |wanted: &str| {
        found
            .iter()
            .filter(|(l, _)| role(l) == wanted)
            .find_map(|(_, v)| unit_like(v))
    };
    // The 主管部门 stands in only where the 实施单位 is left out or blank, not where its
    // value is there but unreadable (a dump that moved it away from its label).
    let implementing_unreadable = found
        .iter()
        .any(|(l, v)| role(l) == "implementing" && !v.is_empty() && unit_like(v).is_none());
    let main = match kind {
        Kind::Project => first("implementing").or_else(|| {
            (!implementing_unreadable)
                .then(|| first("supervising"))
                .flatten()
        }),
        Kind::Whole => None,
    }
    .or_else(|| {
        // The longest of the unit labels' values: the most complete form.
        found
            .iter()
            .filter(|(l, _)| role(l) == "unit")
            .filter_map(|(_, v)| unit_like(v))
            .max_by_key(|v| v.chars().count())
    });
    let last = first("publisher").or_else(|| {
        prepared.doc.paragraphs().take(6).find_map(|p| {
            BANNER
                .captures(&p.text)
                .and_then(|c| unit_like(c.get(1)?.as_str()))
        })
    });
    (main, last)
}

pub fn identify(prepared: &Prepared<'_>, kind: Kind) -> Identity {
    let (doc, paras) = (prepared.doc, prepared.paras.as_slice());
    let (labelled, last_resort) = labelled_unit(prepared, kind);
    let names = name_candidates(doc, paras);
    // A form's label decides; else the most complete form written in the title or
    // signature; else the publisher.
    let unit_name = labelled
        .filter(|l| {
            kind == Kind::Project
                || names
                    .iter()
                    .all(|n| n.chars().count() <= l.chars().count() || !n.ends_with(l.as_str()))
        })
        .or_else(|| names.iter().max_by_key(|s| s.chars().count()).cloned())
        .or(last_resort);
    // The township is what follows the last county-level name before 镇/乡/街道.
    let place = unit_name
        .as_deref()
        .and_then(|u| TOWNSHIP.captures(u))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string());
    let (county, township) = match (&unit_name, place) {
        (_, Some(place)) => {
            let last = COUNTY
                .find_iter(&place)
                .filter(|m| m.end() < place.len())
                .last();
            let county = last.map(|m| m.as_str().to_string());
            let town = place
                .get(last.map_or(0, |m| m.end())..)
                .unwrap_or("")
                .to_string();
            (county, Some(town).filter(|t| t.chars().count() >= 2))
        }
        (Some(u), None) => {
            // A department: a leading county name (`南县住房和城乡建设局`).
            let u = u.trim_start_matches("中共");
            let county = u
                .find(['县', '区'])
                .and_then(|p| u.get(..p + 3))
                .map(str::to_string);
            (county.filter(|c| c.chars().count() <= 6), None)
        }
        (None, None) => (None, None),
    };
    Identity {
        unit_name,
        county,
        township,
        fiscal_year: fiscal_year(prepared),
        report_date: report_date(doc, paras),
    }
}

/// The year evaluated: `2023年度…报告` in the title, else the commonest `YYYY年度`, else the
/// year of `截至YYYY年12月31日`.
fn fiscal_year(prepared: &Prepared<'_>) -> Option<i32> {
    let (doc, paras) = (prepared.doc, prepared.paras.as_slice());
    // `评价年度：2024`, `评价年度 | 2023`.
    if let Some(y) = prepared
        .values_of(labels::YEAR_EVALUATED)
        .find_map(year_only)
    {
        return Some(y);
    }
    // Title lines, and the title rows of a form (`(2023年度)` in a cell of its own).
    let titles: Vec<String> = doc
        .tables()
        .into_iter()
        .flat_map(|t| t.rows.iter().take(4).flatten())
        .map(|c| squash(&c.text))
        .filter(|c| c.chars().count() <= 40)
        .collect();
    for p in paras.iter().take(8) {
        // Dates of the report or of its publication are not the year evaluated.
        if ["报告时间", "报告日期", "填报日期", "发布", "编号"]
            .iter()
            .any(|w| p.contains(w))
        {
            continue;
        }
        if p.contains("报告") || p.contains("自评") || p.contains("绩效") {
            if let Some(y) = YEAR_EVALUATED
                .captures(p)
                .and_then(|c| c.get(1))
                .and_then(|m| m.as_str().parse().ok())
            {
                return Some(y);
            }
        }
    }
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for p in paras.iter().chain(&titles) {
        for c in YEAR_EVALUATED.captures_iter(p) {
            if c.get(0).is_some_and(|m| m.as_str().ends_with('度')) {
                if let Some(y) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                    *counts.entry(y).or_default() += 1;
                }
            }
        }
    }
    if let Some((y, _)) = counts.iter().max_by_key(|(y, n)| (**n, **y)) {
        return Some(*y);
    }
    // `2023年部门决算…` in a sentence; not a column header cut out of its table by a line
    // break (`2022年决算`, `2022年决算数`: the prior year's column).
    if let Some(y) = paras.iter().find_map(|p| {
        YEAR_OF_SPENDING.captures_iter(p).find_map(|c| {
            let rest = p.get(c.get(0)?.end()..)?;
            if rest.chars().count() < 4 || rest.starts_with('数') {
                return None;
            }
            c.get(1)?.as_str().parse().ok()
        })
    }) {
        return Some(y);
    }
    if let Some(y) = paras.iter().find_map(|p| {
        let i = p.find("12月31日")?;
        let head = p.get(..i)?;
        let y = head.rfind('年')?;
        head.get(y.checked_sub(4)?..y)?.parse().ok()
    }) {
        return Some(y);
    }
    // Last: the year the prose speaks of most (`2023年…`), when it is clearly the commonest.
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for p in paras {
        for c in YEAR_EVALUATED.captures_iter(p) {
            if let Some(y) = c.get(1).and_then(|m| m.as_str().parse().ok()) {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    let mut v: Vec<(usize, i32)> = counts.into_iter().map(|(y, n)| (n, y)).collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    match v.as_slice() {
        [(n, y), rest @ ..] if rest.first().is_none_or(|(m, _)| *n >= 2 * m) && *n >= 3 => Some(*y),
        _ => None,
    }
}

/// A value that is a year and nothing else (`2023`, `2023年`, `2023年度`).
fn year_only(v: &str) -> Option<i32> {
    let v = v.trim_end_matches("年度").trim_end_matches('年');
    let y: i32 = v.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// The places a document says who reports: its unit name, short title lines at the top, and
/// short signature lines at the end. Division names are matched here only (a township
/// named in the goal text is not the reporting unit's).
pub fn identity_texts<'a>(prepared: &'a Prepared<'_>, unit_name: Option<&'a str>) -> Vec<&'a str> {
    let paras = &prepared.paras;
    let short = |p: &&String| p.chars().count() <= 60;
    let head = paras.iter().take(8).filter(short);
    let tail = paras.iter().rev().take(4).filter(short);
    unit_name
        .into_iter()
        .chain(head.chain(tail).map(String::as_str))
        .collect()
}

/// The report date: a `填报日期` date anywhere (cells included), else the last full date
/// standing in a short line (the signature block).
fn report_date(doc: &Document, paras: &[String]) -> Option<String> {
    // After 填报日期 a dotted date is the date too (`填报日期:2021.5.18`); elsewhere such
    // numbers are too often versions or codes.
    let filed_in = |t: &str| {
        let after = t.get(t.find("填报日期")?..)?;
        date_in(after).or_else(|| dotted_date(after))
    };
    let filed = paras.iter().find_map(|p| filed_in(p)).or_else(|| {
        doc.tables()
            .into_iter()
            .flat_map(|t| t.rows.iter().flatten())
            .filter(|c| c.text.contains('填'))
            .find_map(|c| filed_in(&squash(&c.text)))
    });
    if filed.is_some() {
        return filed;
    }
    paras
        .iter()
        .rev()
        .filter(|p| p.chars().count() <= 30)
        .find_map(|p| date_in(p))
}

static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^填报日期[:：]?((?:19|20)\d{2})[./-](\d{1,2})[./-](\d{1,2})(?:\D|$)")
        .expect("static regex")
});

/// `填报日期:2021.5.18` as 2021-05-18, when it is a real calendar day.
fn dotted_date(text: &str) -> Option<String> {
    ymd(&DOTTED.captures(text)?)
}

/// The first full date in `text` as YYYY-MM-DD, when it is a real calendar day.
fn date_in(text: &str) -> Option<String> {
    ymd(&DATE.captures(text)?)
}

/// Year, month and day (captures 1 to 3) as YYYY-MM-DD, when they make a calendar day.
fn ymd(c: &regex::Captures<'_>) -> Option<String> {
    let y: u32 = c.get(1)?.as_str().parse().ok()?;
    let m: u32 = c.get(2)?.as_str().parse().ok()?;
    let d: u32 = c.get(3)?.as_str().parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::parse;

    #[test]
    fn names_counties_townships_years_dates() {
        let doc = parse("株洲市芦淞区白关镇人民政府\n2023年度部门整体支出绩效自评报告\n正文\n白关镇人民政府\n2024年5月22日").unwrap();
        let id = identify(&Prepared::new(&doc), Kind::Whole);
        assert_eq!(id.unit_name.as_deref(), Some("株洲市芦淞区白关镇人民政府"));
        assert_eq!(id.county.as_deref(), Some("芦淞区"));
        assert_eq!(id.township.as_deref(), Some("白关镇"));
        assert_eq!(id.fiscal_year, Some(2023));
        assert_eq!(id.report_date.as_deref(), Some("2024-05-22"));
    }

    #[test]
    fn party_committee_departments_are_units() {
        for name in [
            "中共寻甸县委统战部",
            "中共某某县委宣传部",
            "中共某某区委政法委员会",
        ] {
            let doc = parse(&format!("{name}\n2024年度部门整体支出绩效自评报告")).unwrap();
            assert_eq!(
                identify(&Prepared::new(&doc), Kind::Whole)
                    .unit_name
                    .as_deref(),
                Some(name)
            );
        }
    }

    #[test]
    fn departments_have_no_township() {
        let doc = parse("南县住房和城乡建设局\n2018 年度部门整体支出绩效自评报告").unwrap();
        let id = identify(&Prepared::new(&doc), Kind::Whole);
        assert_eq!(id.township, None);
        assert_eq!(id.county.as_deref(), Some("南县"));
        assert_eq!(id.fiscal_year, Some(2018));
    }

    #[test]
    fn dated_after_a_filing_label_in_any_common_form() {
        let date = |t: &str| identify(&Prepared::new(&parse(t).unwrap()), Kind::Whole).report_date;
        assert_eq!(date("填报日期:2022.3.7").as_deref(), Some("2022-03-07"));
        assert_eq!(date("填报日期：2022-11-30").as_deref(), Some("2022-11-30"));
        // A dotted date elsewhere is a version or a code, not a date.
        assert_eq!(date("版本 2022.3.7"), None);
        assert_eq!(date("填报日期:2022.13.7"), None);
    }

    #[test]
    fn year_from_a_form_field_or_what_was_spent() {
        let year = |t: &str| identify(&Prepared::new(&parse(t).unwrap()), Kind::Whole).fiscal_year;
        assert_eq!(year("报告时间：2025年3月\n评价年度：2024"), Some(2024));
        assert_eq!(
            year("某某县档案馆\n一、基本情况\n2022年部门决算收支完成情况如下"),
            Some(2022)
        );
        assert_eq!(
            year("部门整体支出绩效自评表 | |\n(2021年度) | |\n部门 | 某某县档案馆 |"),
            Some(2021)
        );
        // Typed in full-width digits.
        assert_eq!(
            year("报告时间：２０２５年３月\n评价年度：２０２４"),
            Some(2024)
        );
        assert_eq!(
            year("某某县档案馆\n２０２２年度部门决算收支完成情况"),
            Some(2022)
        );
    }

    #[test]
    fn labelled_unit_names_by_role() {
        let unit = |t: &str, k: Kind| identify(&Prepared::new(&parse(t).unwrap()), k).unit_name;
        // A project form: the 实施单位, not the 主管部门.
        assert_eq!(
            unit("项目支出绩效自评表\n项目名称 | 河道清淤 | 主管部门 | 某某县水利局 | 实施单位 | 某某县河湖保护中心 |", Kind::Project).as_deref(),
            Some("某某县河湖保护中心")
        );
        // 实施单位 left blank: the 主管部门.
        assert_eq!(
            unit("项目名称 | 河道清淤 | 主管部门 | 某某县水利局 | 实施单位 | |\n年度资金总额 | 10 | 10 |", Kind::Project).as_deref(),
            Some("某某县水利局")
        );
        // A banner names the unit when nothing else does.
        assert_eq!(
            unit(
                "欢迎访问某某县政协网站\n部门整体支出绩效评价报告",
                Kind::Whole
            )
            .as_deref(),
            Some("某某县政协")
        );
    }
}
