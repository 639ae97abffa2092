//! Which kind of report a document is: a 部门整体支出 report (`整体`) or a 项目支出 self-
//! evaluation form (`项目`), and the project's name as written.
//!
//! The title decides: the first title word of either kind in document order
//! (`部门整体支出绩效自评报告`, `项目支出绩效自评表`). Without one, a form that names a
//! project (项目名称 with a value that is not the whole unit's spending) is a project form.
//! Anything else is the unit's whole-spending report, the kind this tool is for.

use crate::extract::labels;
use crate::extract::Prepared;

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
const WHOLE: &[&str] = &["整体支出", "整体绩效", "部门整体", "机关整体"];
/// Title words of a project form.
const PROJECT: &[&str] = &[
    "项目支出绩效",
    "项目绩效自评",
    "项目绩效评价",
    "项目自评",
    "项目支出自评",
];

/// Labels that are not a value: a 项目名称 followed straight by the next label.
const NOT_A_NAME: &[&str] = &["主管部门", "实施单位", "项目负责人", "项目资金", "预算单位"];

/// The kind a text's title words say, with the position where it says so.
pub(crate) fn said(text: &str) -> Option<(usize, Kind)> {
    let first = |words: &[&str]| words.iter().filter_map(|w| text.find(w)).min();
    match (first(WHOLE), first(PROJECT)) {
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

/// The report's kind and, for a project form, its project name.
pub fn kind(prepared: &Prepared<'_>) -> (Kind, Option<String>) {
    let doc = prepared.doc;
    // Each 项目名称 label's value, or `None` where the label is followed by no name.
    let named: Vec<Option<&str>> = prepared
        .values_of(labels::PROJECT_NAME)
        .map(|v| Some(v).filter(|v| !v.is_empty() && !NOT_A_NAME.iter().any(|l| v.starts_with(l))))
        .collect();
    let names: Vec<&str> = named.iter().flatten().copied().collect();
    // Title words in document order: paragraphs and table cells as they come.
    let mut by_title = None;
    for b in &doc.blocks {
        let found = match b {
            crate::document::Block::Paragraph(p) => said(&p.text),
            crate::document::Block::Table(t) => t.rows.iter().flatten().find_map(|c| said(&c.text)),
        };
        if let Some((_, k)) = found {
            by_title = Some(k);
            break;
        }
    }
    let kind = by_title.unwrap_or(
        if names.iter().any(|n| !WHOLE.iter().any(|w| n.contains(w))) {
            Kind::Project
        } else {
            Kind::Whole
        },
    );
    // The first form's name: when its 项目名称 cell reads as no name (cells scrambled), a
    // later label names another form of the same file, never this one.
    let name = match kind {
        Kind::Project => named.first().copied().flatten().map(str::to_string),
        Kind::Whole => None,
    };
    (kind, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::parse;

    fn of(text: &str) -> (Kind, Option<String>) {
        let doc = parse(text).unwrap();
        kind(&Prepared::new(&doc))
    }

    #[test]
    fn the_first_title_word_decides() {
        assert_eq!(
            of("某某县民政局2022年度部门整体支出绩效自评报告\n一、基本情况").0,
            Kind::Whole
        );
        assert_eq!(
            of("附件2\n项目支出绩效自评表\n项目名称 | 农村危房改造补助 | 主管部门 | 县住建局 |"),
            (Kind::Project, Some("农村危房改造补助".into()))
        );
        // Both in one title: the one written first.
        assert_eq!(of("部门整体支出及项目支出绩效评价报告").0, Kind::Whole);
    }

    #[test]
    fn a_form_naming_a_project_is_a_project_form() {
        assert_eq!(
            of("2023年某某社区道路硬化项目资金使用情况\n项目名称 某某社区道路硬化项目 项目负责人 张三"),
            (Kind::Project, Some("某某社区道路硬化项目".into()))
        );
        // A 项目名称 line that names the unit's whole spending is no project.
        assert_eq!(of("项目名称:某某县委编办整体支出绩效自评").0, Kind::Whole);
        // An empty 项目名称 is not a name.
        assert_eq!(of("项目名称 主管部门 县财政局").1, None);
        // Nor is the next form's: two forms in one file, the first one's name unreadable.
        assert_eq!(
            of("项目支出绩效自评表 (2023 年度) 项目名称 主管部门 县水务局 年初预算数\n项目支出绩效自评表 (2023 年度) 项目名称 山塘除险加固 主管部门 县水务局"),
            (Kind::Project, None)
        );
    }

    #[test]
    fn without_any_sign_it_is_the_whole_units_report() {
        assert_eq!(
            of("某某镇人民政府部门绩效自评报告\n一、基本情况"),
            (Kind::Whole, None)
        );
    }
}
