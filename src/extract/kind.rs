//! Which kind of report a document is: a 部门整体支出 report (`整体`) or a 项目支出 self-
//! evaluation form (`项目`), and the project's name as written.
//!
//! The title decides: its title words (`部门整体支出绩效自评报告`, `项目支出绩效自评表`), else
//! a fund its head names (`关于2023年度<fund>绩效的自评报告`: a transfer-fund evaluation), else
//! a head ending in the department itself (`<unit>部门绩效自评报告`). Without a title, the
//! first title word of either kind in document order; without one, a form that names a
//! project (项目名称 with a value that is not the whole unit's spending) is a project form.
//! When nothing the document says settles the kind, it is left empty (`kind_unsettled`).

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::titles::Title;
use crate::extract::{identity, labels, Prepared};
use crate::rules::titles::{kind_words, KindWord};

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 部门整体支出: the whole unit's spending.
    Whole,
    /// 项目支出: one project's funds.
    Project,
}

impl Kind {
    /// The value written in `reports.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Whole => "整体",
            Kind::Project => "项目",
        }
    }
}

/// Title words of a whole-unit report.
static WHOLE: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::Whole));
/// Title words of a project form.
static PROJECT: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::Project));

/// Labels that are not a value: a 项目名称 followed straight by the next label.
static NOT_A_NAME: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::NotAName));

/// The kind a text's title words say, with the position where it says so.
pub(crate) fn said(text: &str) -> Option<(usize, Kind)> {
    let first = |words: &[&str]| words.iter().filter_map(|w| text.find(w)).min();
    match (first(&WHOLE), first(&PROJECT)) {
        (Some(w), Some(p)) => Some(if w <= p {
            (w, Kind::Whole)
        } else {
            (p, Kind::Project)
        }),
        (Some(w), None) => Some((w, Kind::Whole)),
        (None, Some(p)) => Some((p, Kind::Project)),
        (None, None) => None,
    }
}

/// Words of a title's head that name a fund or project: a title holding one and no 整体 word
/// is a project or transfer-fund evaluation (`关于2023年度<fund>绩效的自评报告`).
static FUND: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::Fund));
/// Words a whole-unit title's head may hold besides its unit and year (`某某镇人民政府部门绩效
/// 自评报告`): the department's own evaluation.
static UNIT_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::UnitWord));

/// The kind a title says: its title words, else a fund named in its head, else a head that
/// ends in the department itself.
fn title_kind(t: &Title) -> Option<Kind> {
    if let Some((_, k)) = said(&t.text) {
        return Some(k);
    }
    if FUND.iter().any(|w| t.head.contains(w)) {
        return Some(Kind::Project);
    }
    // `<unit>部门绩效自评报告`, `<unit>2024年度绩效自评报告`: the unit's own evaluation.
    let unit = identity::title_unit(&t.head)?;
    let rest = t.head.replacen(&unit, "", 1);
    let rest = YEAR.replace(&rest, "");
    let rest = UNIT_WORDS
        .iter()
        .fold(rest.to_string(), |r, w| r.replace(w, ""));
    rest.is_empty().then_some(Kind::Whole)
}

/// A year as a title writes it (`2024年度`, `2023年`).
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}年?度?").expect("static regex"));

/// Where the head of a fund's title names it: after the year (`2023年度<fund>`), else
/// after the unit (`<unit><fund>(项目)2020年度`), with `关于` dropped.
static FUND_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:关于)?(.*?)((?:19|20)\d{2}年?度?)(.*)$").expect("static regex")
});

/// Words that name no fund on their own: a title `缙云县财政支出项目绩效评价报告` names none.
static GENERIC: LazyLock<Vec<&'static str>> = LazyLock::new(|| kind_words(KindWord::Generic));

/// The fund or project a project title's head names, as written, when it names one.
fn title_name(head: &str) -> Option<String> {
    // The fund after the year keeps its year (`2023年省级地质灾害防治专项资金`), as forms
    // write a 项目名称.
    // `<fund>区域绩效目标自评表`: the transfer form's title, not the fund's name.
    let head = head.strip_suffix("区域").unwrap_or(head);
    let c = FUND_NAME.captures(head);
    if let Some(c) = &c {
        let after = c.get(3).map_or("", |m| m.as_str());
        if !generic(after) {
            return Some(format!("{}{after}", c.get(2).map_or("", |m| m.as_str())));
        }
    }
    let before = match &c {
        Some(c) => c.get(1).map_or("", |m| m.as_str()),
        None => head.strip_prefix("关于").unwrap_or(head),
    };
    let name = identity::after_unit(before).trim_start_matches(['(', ')', '（', '）']);
    (!generic(name)).then(|| name.to_string())
}

/// Whether a name is only a place and generic words (`缙云县财政支出项目`).
fn generic(name: &str) -> bool {
    let rest = identity::after_place(name);
    let rest = GENERIC
        .iter()
        .fold(rest.to_string(), |r, w| r.replace(w, ""));
    rest.trim_matches(['(', ')', '（', '）']).chars().count() < 2
}

/// The report's kind and, for a project form, its project name. The kind is `None` when
/// nothing the document says settles it (SPEC: no silent default).
pub fn kind(prepared: &Prepared<'_>) -> (Option<Kind>, Option<String>) {
    let doc = prepared.doc;
    // Each name label's value, or `None` where the label is followed by no name. A 项目名称
    // heading a list of forms (`序号 | 项目名称 | 备注`) is no label.
    let named: Vec<Option<&str>> = prepared
        .labelled
        .iter()
        .filter(|(l, _)| labels::PROJECT_NAMES.contains(l))
        .map(|(_, v)| v.as_str())
        .filter(|v| !LIST_HEADINGS.contains(v))
        .map(|v| Some(v).filter(|v| !v.is_empty() && !NOT_A_NAME.iter().any(|l| v.starts_with(l))))
        .collect();
    let names: Vec<&str> = named.iter().flatten().copied().collect();
    let by_head = prepared
        .titles
        .iter()
        .find_map(|t| title_kind(t).map(|k| (k, t)));
    // Title words in document order: paragraphs and table cells as they come.
    let by_words = || {
        doc.blocks.iter().find_map(|b| match b {
            crate::document::Block::Paragraph(p) => said(&p.text),
            crate::document::Block::Table(t) => t.rows.iter().flatten().find_map(|c| said(&c.text)),
        })
    };
    let kind = by_head
        .map(|(k, _)| k)
        .or_else(|| by_words().map(|(_, k)| k))
        .or_else(|| {
            (!names.is_empty()).then(|| {
                if names.iter().any(|n| !WHOLE.iter().any(|w| n.contains(w))) {
                    Kind::Project
                } else {
                    Kind::Whole
                }
            })
        });
    // The first form's name: when its 项目名称 cell reads as no name (cells scrambled), a
    // later label names another form of the same file, never this one. Without a label, the
    // fund the title names.
    // A name label written where no value could be read (a glued form) names a project the
    // title may not: the title's fund is then no guess worth making.
    let label_written = prepared
        .paras
        .iter()
        .any(|p| labels::PROJECT_NAMES.iter().any(|l| p.contains(l)));
    let name = match kind {
        Some(Kind::Project) if named.is_empty() && !label_written => by_head
            .filter(|(k, _)| *k == Kind::Project)
            .and_then(|(_, t)| title_name(&t.head)),
        Some(Kind::Project) => named.first().copied().flatten().map(str::to_string),
        _ => None,
    };
    (kind, name)
}

/// Column headings beside a 项目名称 that heads a list of projects, not a form's label.
static LIST_HEADINGS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| kind_words(KindWord::ListHeading));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    fn of(text: &str) -> (Option<Kind>, Option<String>) {
        let doc = parse(text).unwrap();
        kind(&Prepared::new(&doc))
    }

    #[test]
    fn the_first_title_word_decides() {
        assert_eq!(
            of("某某县民政局2022年度部门整体支出绩效自评报告\n一、基本情况").0,
            Some(Kind::Whole)
        );
        assert_eq!(
            of("附件2\n项目支出绩效自评表\n项目名称 | 农村危房改造补助 | 主管部门 | 县住建局 |"),
            (Some(Kind::Project), Some("农村危房改造补助".into()))
        );
        // Both in one title: the one written first.
        assert_eq!(
            of("部门整体支出及项目支出绩效评价报告").0,
            Some(Kind::Whole)
        );
    }

    #[test]
    fn a_form_naming_a_project_is_a_project_form() {
        assert_eq!(
            of("2023年某某社区道路硬化项目资金使用情况\n项目名称 某某社区道路硬化项目 项目负责人 张三"),
            (Some(Kind::Project), Some("某某社区道路硬化项目".into()))
        );
        // A 项目名称 line that names the unit's whole spending is no project.
        assert_eq!(
            of("项目名称:某某县委编办整体支出绩效自评").0,
            Some(Kind::Whole)
        );
        // An empty 项目名称 is not a name.
        assert_eq!(of("项目名称 主管部门 县财政局").1, None);
        // Nor is the next form's: two forms in one file, the first one's name unreadable.
        assert_eq!(
            of("项目支出绩效自评表 (2023 年度) 项目名称 主管部门 县水务局 年初预算数\n项目支出绩效自评表 (2023 年度) 项目名称 山塘除险加固 主管部门 县水务局"),
            (Some(Kind::Project), None)
        );
    }

    #[test]
    fn a_title_naming_only_the_unit_is_its_whole_report() {
        assert_eq!(
            of("某某镇人民政府部门绩效自评报告\n一、基本情况"),
            (Some(Kind::Whole), None)
        );
        assert_eq!(
            of("东河镇人民政府2024年度绩效自评报告\n一、单位基本情况"),
            (Some(Kind::Whole), None)
        );
    }

    #[test]
    fn without_any_sign_the_kind_is_unsettled() {
        assert_eq!(of("一、基本情况\n本单位共有职工12人。"), (None, None));
        assert_eq!(of("西岭乡2023年工作总结\n全年完成任务。"), (None, None));
    }

    #[test]
    fn fund_titles_are_project_evaluations_and_name_the_fund() {
        assert_eq!(
            of("北坝县农业农村局\n关于2022年度农机购置补贴资金绩效的自评报告\n一、基本情况"),
            (Some(Kind::Project), Some("2022年度农机购置补贴资金".into()))
        );
        assert_eq!(
            of("河阳区民政局养老服务专项经费(项目)2020年度绩效自评报告\n一、基本情况"),
            (Some(Kind::Project), Some("养老服务专项经费(项目)".into()))
        );
        assert_eq!(
            of("车辆购置税收入补助地方资金区域绩效目标自评表\n(2021年度)"),
            (
                Some(Kind::Project),
                Some("车辆购置税收入补助地方资金".into())
            )
        );
        // A facility that is the project's subject stays in its name.
        assert_eq!(
            of("社区日间照料中心项目\n绩效自评报告\n一、项目概况"),
            (Some(Kind::Project), Some("社区日间照料中心项目".into()))
        );
        // A title naming no fund of its own names no project.
        assert_eq!(
            of("临川县财政支出项目绩效评价报告\n一、概况"),
            (Some(Kind::Project), None)
        );
    }

    #[test]
    fn name_labels_of_every_form() {
        assert_eq!(
            of("转移支付（项目）名称 | 农村公路养护补助 | 地方主管部门 | 某某县交通运输局 |").1,
            Some("农村公路养护补助".into())
        );
        assert_eq!(
            of("专项资金名称：森林防火专项经费\n资金使用单位：某某县林业局").1,
            Some("森林防火专项经费".into())
        );
        // A name runs over its spaces to the next label.
        assert_eq!(
            of("项目支出绩效自评表\n项目名称 东财预(2023)12号 防汛物资储备经费 主管部门 东河县应急管理局").1,
            Some("东财预(2023)12号 防汛物资储备经费".into())
        );
        // A 项目名称 heading a list of forms is no label; the form's own is.
        assert_eq!(
            of("项目绩效自评表清单\n序号\n项目名称\n备注\n1\n河道保洁经费自评表\n项目支出绩效自评表\n项目名称\n河道保洁经费\n主管部门\n某某县水利局").1,
            Some("河道保洁经费".into())
        );
    }
}
