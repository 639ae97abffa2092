//! Who reports and for which year: unit name, county, township, fiscal year, report date.
//!
//! The unit name is the most complete organisation name in the title, the signature block or
//! a 单位名称 cell; county and township are read off that name, never guessed from elsewhere.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::Document;
use crate::extract::kind::Kind;
use crate::extract::labels::{self, unit_like};
use crate::extract::titles::Title;
use crate::extract::Prepared;
use crate::findings::Check;
use crate::normalize::text::squash;
use crate::rules::forms::{identity_words, IdentityWord, UnitRole};

/// An organisation name: the shortest run ending in how a unit's name ends
/// (`rules/unit_suffixes.txt`, the one list labelled values are judged by too), where the
/// longer form of an ending is tried first (`…委员会办公室` before `…委员会`, `…人民政府倘甸镇`
/// before `…人民政府`), and a party committee's department (`中共某县委宣传部`).
static ORG: LazyLock<Regex> = LazyLock::new(|| org("", ""));
/// A text that is an organisation name and nothing else.
static ORG_WHOLE: LazyLock<Regex> = LazyLock::new(|| org("^", "$"));

/// The organisation pattern between `start` and `end` anchors.
fn org(start: &str, end: &str) -> Regex {
    // `部` alone ends too many words of a sentence (全部, 内部); a party committee's
    // department is matched by its form.
    let endings = labels::unit_suffixes_longest_first()
        .iter()
        .filter(|s| **s != "部")
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"{start}[\p{{Han}}（）()]{{2,30}}?(?:人民政府[\p{{Han}}]{{1,5}}?(?:镇|乡|街道)|委[\p{{Han}}]{{2,3}}部|{endings}){end}"
    ))
    .expect("unit suffixes are escaped")
}
/// What a project's subject is followed by: `…日间照料中心项目` names a facility, not a unit.
static SUBJECT_OF: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| identity_words(IdentityWord::SubjectOf));
/// Province-level names: `西藏自治区…` names no county.
static PROVINCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{Han}]{2,3}?省|[\p{Han}]{2,8}?自治区|北京市|天津市|上海市|重庆市)")
        .expect("static regex")
});
/// A county-level place opening a name (`缙云县…`, `株洲市荷塘区…`).
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\p{Han}]{1,6}?(?:省|自治区|自治州|州|盟|地区|市))*[\p{Han}]{1,6}?(?:自治县|县|区|市|旗)")
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
    /// Identity checks (`unit_is_supervisor`), with their messages.
    pub checks: Vec<(Check, String)>,
}

/// `单位名称`, `部门(单位)名称`, `预算部门、单位名称`: a cell or line that names the unit.
fn is_name_label(s: &str) -> bool {
    s.chars().count() <= 16 && s.ends_with("名称") && (s.contains("单位") || s.contains("部门"))
}

/// Words of the labels naming a project's units by role: a line holding one is read by
/// its label (a sentence `项目主管部门为…` names no reporting unit).
static ROLE_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| identity_words(IdentityWord::RoleWord));

/// Whether a label before a colon names the reporting unit (`单位名称:`, `填报单位:`).
fn names_unit(label: &str) -> bool {
    is_name_label(label)
        || labels::UNIT_LABELS
            .iter()
            .any(|l| l.role == UnitRole::Unit && label.ends_with(l.label.as_str()))
}

/// The organisation a text opens with: all of it when it reads as a unit name, else the
/// shortest run ending like one, unless that is a project's subject (`…中心项目`).
fn org_at_start(text: &str) -> Option<String> {
    if ORG_WHOLE.is_match(text) {
        if let Some(whole) = unit_like(text) {
            return Some(whole);
        }
    }
    let m = ORG.find(text).filter(|m| m.start() == 0)?;
    let rest = text.get(m.end()..).unwrap_or_default();
    (!SUBJECT_OF.iter().any(|w| rest.starts_with(w))).then(|| m.as_str().to_string())
}

/// Words that follow a unit's name in a title's head (`…妇女联合会部门(单位)整体支出`).
static AFTER_UNIT: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| identity_words(IdentityWord::AfterUnit));

/// The unit a title's head names: before its year (`<unit>2023年度…`), else after it
/// (`2022年度<unit>部门整体支出`).
pub fn title_unit(head: &str) -> Option<String> {
    // A site's banner line joined to the title below it names the site.
    if BANNER.is_match(head) {
        return None;
    }
    let head = head.strip_prefix("关于").unwrap_or(head);
    let (before, after) = match YEAR_EVALUATED.find(head) {
        Some(y) => (
            head.get(..y.start()).unwrap_or_default(),
            head.get(y.end()..).unwrap_or_default(),
        ),
        None => (head, ""),
    };
    [before, after].into_iter().find_map(|part| {
        let mut bare = part;
        while let Some(b) = AFTER_UNIT.iter().find_map(|w| bare.strip_suffix(w)) {
            bare = b;
        }
        org_at_start(bare).filter(|u| u.chars().count() >= 4)
    })
}

/// A unit signing right after a title, with its seal note: `…自评报告某某中心(盖章)`.
fn sealed_unit(tail: &str) -> Option<String> {
    let at = ["(盖章)", "(公章)"]
        .iter()
        .filter_map(|s| tail.find(s))
        .min()?;
    unit_like(tail.get(..at)?)
}

/// `text` without the unit name it opens with (`随州市司法局专项事业费` → `专项事业费`); a
/// project's subject (`老年人日间照料中心项目`) keeps its name.
pub fn after_unit(text: &str) -> &str {
    match ORG.find(text).filter(|m| m.start() == 0) {
        Some(m) => {
            let rest = text.get(m.end()..).unwrap_or_default();
            if SUBJECT_OF.iter().any(|w| rest.starts_with(w)) {
                text
            } else {
                rest
            }
        }
        None => text,
    }
}

/// `text` without the place it opens with (`缙云县财政支出项目` → `财政支出项目`).
pub fn after_place(text: &str) -> &str {
    PLACE
        .find(text)
        .and_then(|m| text.get(m.end()..))
        .unwrap_or(text)
}

/// Places a unit name is written: title lines, short signature lines, 单位名称 cells.
/// `paras` are the document's paragraphs, squashed.
fn name_candidates(doc: &Document, paras: &[String], titles: &[Title]) -> Vec<String> {
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
            // A name that opens the line, or follows a 名称 label: titles and signatures.
            // Another label's line (`项目主管部门:…`) is the labelled rule's.
            let p = match p.rsplit_once(['：', ':']) {
                Some((label, value)) if names_unit(label) => value,
                Some(_) => continue,
                None => p.as_str(),
            };
            if ROLE_WORDS.iter().any(|w| p.contains(w)) || BANNER.is_match(p) {
                continue;
            }
            // A line broken inside a date: `…2022年5月28⏎日缙云县财政局`.
            let after_digit = i
                .checked_sub(1)
                .and_then(|j| paras.get(j))
                .is_some_and(|prev| prev.ends_with(|c: char| c.is_ascii_digit()));
            let p = if after_digit {
                p.strip_prefix('日').unwrap_or(p)
            } else {
                p
            };
            let p =
                p.trim_start_matches(|c: char| c.is_ascii_digit() || "年度（）()附件-".contains(c));
            out.extend(org_at_start(p));
        }
    }
    out.extend(titles.iter().filter_map(|t| title_unit(&t.head)));
    out.extend(titles.iter().filter_map(|t| sealed_unit(&t.tail)));
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

/// What a form's labels say about its units.
struct Labelled {
    /// The reporting unit by role: 实施单位 (and its synonyms) > 单位名称 / 填报单位 > the
    /// 主管部门 of a project form.
    main: Option<String>,
    /// The publisher (`来源:`, a site banner): a last resort.
    last: Option<String>,
    /// The 主管部门 written, and the implementing units written (as unit names, or as
    /// written when they do not read as one).
    supervising: Option<String>,
    implementing: Vec<String>,
}

/// The unit a form's labels name, by role.
fn labelled_unit(prepared: &Prepared<'_>, kind: Option<Kind>) -> Labelled {
    let found = &prepared.labelled;
    let role = |label: &str| {
        labels::UNIT_LABELS
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.role)
    };
    let first = |wanted: UnitRole| {
        found
            .iter()
            .filter(|(l, _)| role(l) == Some(wanted))
            .find_map(|(_, v)| unit_like(v))
    };
    let implementing_written = found
        .iter()
        .any(|(l, v)| role(l) == Some(UnitRole::Implementing) && !v.is_empty());
    // The 主管部门 stands in only where the 实施单位 is left out or blank, not where its
    // value is there but unreadable (a dump that moved it away from its label).
    let implementing_unreadable = implementing_written && first(UnitRole::Implementing).is_none();
    let project = kind != Some(Kind::Whole);
    let supervising = first(UnitRole::Supervising);
    // The longest of the unit labels' values: the most complete form.
    let unit = found
        .iter()
        .filter(|(l, _)| role(l) == Some(UnitRole::Unit))
        .filter_map(|(_, v)| unit_like(v))
        .max_by_key(|v| v.chars().count());
    let main = project
        .then(|| first(UnitRole::Implementing))
        .flatten()
        .or(unit)
        .or_else(|| {
            (project && !implementing_unreadable)
                .then(|| supervising.clone())
                .flatten()
        });
    let last = first(UnitRole::Publisher).or_else(|| {
        prepared.doc.paragraphs().take(6).find_map(|p| {
            BANNER
                .captures(&p.text)
                .and_then(|c| unit_like(c.get(1)?.as_str()))
        })
    });
    let implementing = found
        .iter()
        .filter(|(l, v)| role(l) == Some(UnitRole::Implementing) && !v.is_empty())
        .map(|(_, v)| unit_like(v).unwrap_or_else(|| v.clone()))
        .collect();
    Labelled {
        main,
        last,
        supervising,
        implementing,
    }
}

pub fn identify(prepared: &Prepared<'_>, kind: Option<Kind>) -> Identity {
    let (doc, paras) = (prepared.doc, prepared.paras.as_slice());
    let labelled = labelled_unit(prepared, kind);
    let names = name_candidates(doc, paras, &prepared.titles);
    // A form's label decides; else the most complete form written in the title or
    // signature; else the publisher.
    let unit_name = labelled
        .main
        .filter(|l| {
            kind == Some(Kind::Project)
                || names
                    .iter()
                    .all(|n| n.chars().count() <= l.chars().count() || !n.ends_with(l.as_str()))
        })
        .or_else(|| names.iter().max_by_key(|s| s.chars().count()).cloned())
        .or(labelled.last);
    let mut checks = Vec::new();
    // The 主管部门 named as the unit while another unit is written as the implementing one.
    let implementing_other = labelled
        .implementing
        .iter()
        .any(|i| Some(i) != unit_name.as_ref());
    if implementing_other && unit_name.is_some() && unit_name == labelled.supervising {
        checks.push((
            Check::UnitIsSupervisor,
            format!(
                "单位名称取自主管部门({})，而表中另写有实施单位",
                unit_name.as_deref().unwrap_or_default()
            ),
        ));
    }
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
            // A department: a leading county name (`南县住房和城乡建设局`), after any
            // province-level name (`西藏自治区…` is no county).
            let u = u.trim_start_matches("中共");
            let u = PROVINCE.find(u).and_then(|m| u.get(m.end()..)).unwrap_or(u);
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
        checks,
    }
}

/// The year evaluated: `2023年度…报告` in the title, else the commonest `YYYY年度`, else the
/// year of `截至YYYY年12月31日`.
fn fiscal_year(prepared: &Prepared<'_>) -> Option<i32> {
    let (doc, paras) = (prepared.doc, prepared.paras.as_slice());
    // `评价年度：2024`, `评价年度 | 2023`.
    if let Some(y) = prepared
        .values_of(&labels::YEAR_EVALUATED)
        .find_map(year_only)
    {
        return Some(y);
    }
    // A title's `YYYY年度`; a year written `YYYY年<fund>` names the fund when another
    // title has its 年度 (`2021年中央…资金` over a `2022年度项目支出绩效自评表`).
    let title_year = |with_du: bool| {
        prepared.titles.iter().find_map(|t| {
            let c = YEAR_EVALUATED.captures(&t.head)?;
            (c.get(0)?.as_str().ends_with('度') == with_du)
                .then(|| c.get(1)?.as_str().parse().ok())
                .flatten()
        })
    };
    if let Some(y) = title_year(true).or_else(|| title_year(false)) {
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
    // A page's publication, upload or generation date is not the report's.
    paras
        .iter()
        .rev()
        .filter(|p| p.chars().count() <= 30)
        .filter(|p| !PAGE_DATES.iter().any(|w| p.contains(w)))
        .find_map(|p| date_in(p))
}

/// Words of a page's own dates (`发布时间:`, `上传日期`, `生成日期`).
static PAGE_DATES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| identity_words(IdentityWord::PageDate));

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
    use crate::recover::dump::parse;

    #[test]
    fn names_counties_townships_years_dates() {
        let doc = parse("株洲市芦淞区白关镇人民政府\n2023年度部门整体支出绩效自评报告\n正文\n白关镇人民政府\n2024年5月22日").unwrap();
        let id = identify(&Prepared::new(&doc), Some(Kind::Whole));
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
                identify(&Prepared::new(&doc), Some(Kind::Whole))
                    .unit_name
                    .as_deref(),
                Some(name)
            );
        }
    }

    #[test]
    fn departments_have_no_township() {
        let doc = parse("南县住房和城乡建设局\n2018 年度部门整体支出绩效自评报告").unwrap();
        let id = identify(&Prepared::new(&doc), Some(Kind::Whole));
        assert_eq!(id.township, None);
        assert_eq!(id.county.as_deref(), Some("南县"));
        assert_eq!(id.fiscal_year, Some(2018));
    }

    #[test]
    fn dated_after_a_filing_label_in_any_common_form() {
        let date =
            |t: &str| identify(&Prepared::new(&parse(t).unwrap()), Some(Kind::Whole)).report_date;
        assert_eq!(date("填报日期:2022.3.7").as_deref(), Some("2022-03-07"));
        assert_eq!(date("填报日期：2022-11-30").as_deref(), Some("2022-11-30"));
        // A dotted date elsewhere is a version or a code, not a date.
        assert_eq!(date("版本 2022.3.7"), None);
        assert_eq!(date("填报日期:2022.13.7"), None);
    }

    #[test]
    fn year_from_a_form_field_or_what_was_spent() {
        let year =
            |t: &str| identify(&Prepared::new(&parse(t).unwrap()), Some(Kind::Whole)).fiscal_year;
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
        let unit =
            |t: &str, k: Option<Kind>| identify(&Prepared::new(&parse(t).unwrap()), k).unit_name;
        // A project form: the 实施单位, not the 主管部门.
        assert_eq!(
            unit("项目支出绩效自评表\n项目名称 | 河道清淤 | 主管部门 | 某某县水利局 | 实施单位 | 某某县河湖保护中心 |", Some(Kind::Project)).as_deref(),
            Some("某某县河湖保护中心")
        );
        // 实施单位 left blank: the 主管部门.
        assert_eq!(
            unit("项目名称 | 河道清淤 | 主管部门 | 某某县水利局 | 实施单位 | |\n年度资金总额 | 10 | 10 |", Some(Kind::Project)).as_deref(),
            Some("某某县水利局")
        );
        // A banner names the unit when nothing else does.
        assert_eq!(
            unit(
                "欢迎访问某某县政协网站\n部门整体支出绩效评价报告",
                Some(Kind::Whole)
            )
            .as_deref(),
            Some("某某县政协")
        );
    }

    #[test]
    fn one_vocabulary_for_names_in_free_text() {
        let unit = |t: &str| identify(&Prepared::new(&parse(t).unwrap()), None).unit_name;
        assert_eq!(
            unit("2023年度河阳县科学技术协会部门整体支出绩效自评报告").as_deref(),
            Some("河阳县科学技术协会")
        );
        assert_eq!(
            unit("部门整体支出绩效评价报告\n西坝区图书馆\n一、基本情况").as_deref(),
            Some("西坝区图书馆")
        );
        // A title glued into a host's first line, and a title signed with a seal note.
        assert_eq!(
            unit("1、北岭镇农业综合服务站2022年度部门整体绩效自评表单位负责人王某联系电话")
                .as_deref(),
            Some("北岭镇农业综合服务站")
        );
        assert_eq!(
            unit("2019年度部门整体支出绩效自评报告临川县环境卫生管理处(盖章)为进一步规范管理")
                .as_deref(),
            Some("临川县环境卫生管理处")
        );
        // `部` alone ends a sentence's word, not a name.
        assert_eq!(unit("以上资金已经全部\n拨付到位"), None);
    }

    #[test]
    fn roles_on_a_project_form() {
        let unit = |t: &str| identify(&Prepared::new(&parse(t).unwrap()), Some(Kind::Project));
        let id = unit("项目名称:乡村道路硬化项目。\n项目主管部门:平江县交通运输局。\n项目实施单位:新城镇人民政府。");
        assert_eq!(id.unit_name.as_deref(), Some("新城镇人民政府"));
        assert!(id.checks.is_empty());
        // 单位名称 before the 主管部门; a bracketed budget code is no part of a name.
        assert_eq!(
            unit("单位名称:宁远县疾病预防控制中心\n项目名称 | 测土配方经费 |\n主管部门 | 宁远县卫生健康局 |").unit_name.as_deref(),
            Some("宁远县疾病预防控制中心")
        );
        assert_eq!(
            unit("项目名称 | 临时救助 |\n主管部门 | [312]东河县民政局 |")
                .unit_name
                .as_deref(),
            Some("东河县民政局")
        );
        // A label on its line, its value on the next.
        assert_eq!(
            unit("实施单位 |\n|\n西岭县职业技术学校 |\n项目资金 |")
                .unit_name
                .as_deref(),
            Some("西岭县职业技术学校")
        );
        // The 主管部门 as unit while another implementing unit is written: a check.
        let id = unit("主管部门 | 东河县水利局 | 实施单位 | 东河县 各乡镇 |\n东河县水利局");
        assert_eq!(id.unit_name.as_deref(), Some("东河县水利局"));
        assert_eq!(
            id.checks.first().map(|c| c.0),
            Some(Check::UnitIsSupervisor)
        );
    }

    #[test]
    fn identity_guards() {
        let id = |t: &str| identify(&Prepared::new(&parse(t).unwrap()), None);
        // A year in a fund's name is not the fiscal year when a title has its 年度.
        assert_eq!(
            id("东坡区2021年中央农机补贴资金绩效自评\n2022年度项目支出绩效自评表\n单位名称:东坡区农机服务站").fiscal_year,
            Some(2022)
        );
        assert_eq!(
            id("南岭县2022年度农村厕所改造\n项目绩效评价自评报告\n一、基本情况\n本项目依据2016年《传染病报告管理规范》实施").fiscal_year,
            Some(2022)
        );
        // A page's publication date is not the report's; a province is no county.
        let x = id("发布时间:2024年03月12日\n西藏自治区林芝市农业农村局2023年度部门整体支出绩效自评报告\n正文");
        assert_eq!(x.report_date, None);
        assert_eq!(x.county, None);
        // A facility that is a project's subject is no unit.
        assert_eq!(
            id("社区日间照料中心项目\n绩效自评报告\n正文").unit_name,
            None
        );
        // A line broken inside a date does not lend its 日 to the unit.
        assert_eq!(
            id("部门整体支出绩效自评报告\n正文\n2022年5月28\n日东河县环境卫生管理处")
                .unit_name
                .as_deref(),
            Some("东河县环境卫生管理处")
        );
        // A sentence naming the 主管部门 names no reporting unit.
        assert_eq!(id("项目主管部门为东河县自规局\n正文").unit_name, None);
    }
}
