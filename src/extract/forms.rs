//! Where one file holds several reports: a unit publishes its 项目支出绩效自评表 one project a
//! form, several forms to a file (one a page of a `.docx`, one a sheet of a workbook), often
//! after its 部门整体支出 report. Each form is a report of its own (its own project, budget
//! block and indicators), so the file is cut into parts and each part extracted alone.
//!
//! A part starts at a project form's title (a short paragraph, or the title row of the form's
//! table, whose title words say 项目 and that names a 表: `项目支出绩效自评表`,
//! `财政项目支出绩效自评表(2022年度)`). A title starts a part only when the blocks up to the
//! next title hold a table and a 项目名称: a form's page that repeats its title over the rest
//! of its table names no project again, and stays with its form. What stands before the first
//! form is a part of its own when it is a whole-unit report (its title says 整体); else (a
//! heading, a sheet name) it belongs to the first form.
//!
//! Parts keep their blocks' numbers, so every location still points into the file.

use std::borrow::Cow;
use std::ops::Range;

use crate::document::{Block, Document, Table};
use crate::extract::kind::{said, Kind};
use crate::normalize::text::squash;

/// A form title is a line, not a sentence: at most this many characters.
const TITLE_CHARS: usize = 40;

/// The label every project form fills in.
const PROJECT_NAME: &str = "项目名称";

/// Whether a line of text is a project form's title.
fn is_form_title(text: &str) -> bool {
    // Every paragraph is asked, so the text as written is tested before it is squashed:
    // squashing only removes white space and folds widths one character for one, so it keeps
    // the 表 and the count of the other characters.
    let too_long = || {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .nth(TITLE_CHARS)
            .is_some()
    };
    if !text.contains('表') || too_long() {
        return false;
    }
    let t = squash(text);
    t.chars().count() <= TITLE_CHARS && said(&t).is_some_and(|(_, k)| k == Kind::Project)
}

/// The one text of a table's first row, when the row is a title (one distinct cell text).
fn title_row(t: &Table) -> Option<&str> {
    let mut texts = t
        .rows
        .first()?
        .iter()
        .map(|c| c.text.trim())
        .filter(|s| !s.is_empty());
    let first = texts.next()?;
    texts.all(|s| s == first).then_some(first)
}

fn starts_form(b: &Block) -> bool {
    match b {
        Block::Paragraph(p) => is_form_title(&p.text),
        Block::Table(t) => title_row(t).is_some_and(is_form_title),
    }
}

/// Whether the blocks are a form: a table and a 项目名称 in them.
fn is_form(blocks: &[Block]) -> bool {
    let names = |s: &str| squash(s).starts_with(PROJECT_NAME);
    blocks.iter().any(|b| matches!(b, Block::Table(_)))
        && blocks.iter().any(|b| match b {
            Block::Paragraph(p) => p.text.contains(PROJECT_NAME),
            Block::Table(t) => t.rows.iter().flatten().any(|c| names(&c.text)),
        })
}

/// Whether the blocks are a whole-unit report: the first title words in them say 整体.
fn is_whole_report(blocks: &[Block]) -> bool {
    let first = blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) => said(&p.text),
        Block::Table(t) => t.rows.iter().flatten().find_map(|c| said(&c.text)),
    });
    first.is_some_and(|(_, k)| k == Kind::Whole)
}

/// The block ranges of the reports in `doc`: one range over all blocks unless it holds
/// several.
pub fn parts(doc: &Document) -> Vec<Range<usize>> {
    let blocks = &doc.blocks;
    let all = 0..blocks.len();
    let titles: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| starts_form(b))
        .map(|(i, _)| i)
        .collect();
    // A title whose blocks up to the next title are no form stays with the form before it.
    let mut starts: Vec<usize> = Vec::new();
    for (n, &at) in titles.iter().enumerate() {
        let end = titles.get(n + 1).copied().unwrap_or(blocks.len());
        if blocks.get(at..end).is_some_and(is_form) {
            starts.push(at);
        }
    }
    let Some(&first) = starts.first() else {
        return vec![all];
    };
    // Where each part starts: the whole report (if one stands before the forms) at 0, the
    // first form at its title (or at 0, taking what stands before it), then each other form.
    let mut cuts = Vec::new();
    if is_whole_report(blocks.get(..first).unwrap_or_default()) {
        cuts.push(0);
    }
    cuts.push(if cuts.is_empty() { 0 } else { first });
    cuts.extend(starts.iter().skip(1));
    if cuts.len() < 2 {
        return vec![all];
    }
    cuts.iter()
        .enumerate()
        .map(|(n, &s)| s..cuts.get(n + 1).copied().unwrap_or(blocks.len()))
        .collect()
}

/// The reports of `doc` with their ids: the document itself under `id` when it is one
/// report; else each part (its blocks keeping their numbers) under `id` and its 1-based
/// position (`r…-2`), as SPEC.md's `report_id` says.
pub fn reports<'d>(doc: &'d Document, id: &str) -> Vec<(String, Cow<'d, Document>)> {
    let parts = parts(doc);
    if parts.len() < 2 {
        return vec![(id.to_string(), Cow::Borrowed(doc))];
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(n, range)| {
            let blocks = doc.blocks.get(range).unwrap_or_default().to_vec();
            (format!("{id}-{}", n + 1), Cow::Owned(Document { blocks }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    fn cut(text: &str) -> Vec<Range<usize>> {
        parts(&parse(text).unwrap())
    }

    const FORM_A: &str = "2023年度项目支出绩效自评表\n项目名称 | 村道硬化补助 |\n年初预算数 | 全年预算数 |\n50 | 50 |\n";
    const FORM_B: &str =
        "项目支出绩效自评表\n项目名称 | 山塘除险加固 |\n年初预算数 | 全年预算数 |\n12 | 12 |\n";

    #[test]
    fn a_form_title_is_counted_without_its_spaces() {
        // Spaced out past the limit as written, within it once squashed.
        let spaced = format!("项 目 支 出 绩 效 自 评 表{}", " ".repeat(50));
        assert!(is_form_title(&spaced));
        assert!(is_form_title("２０２３年度 项目支出绩效自评表"));
        // One character over the limit, or no 表: not a title.
        let long = format!("{}项目支出绩效自评表", "某".repeat(TITLE_CHARS - 8));
        assert_eq!(long.chars().count(), TITLE_CHARS + 1);
        assert!(!is_form_title(&long));
        assert!(is_form_title(long.get(3..).unwrap_or_default()));
        assert!(!is_form_title("项目支出绩效自评报告"));
    }

    #[test]
    fn two_project_forms_are_two_parts() {
        let text = format!("附件2\n{FORM_A}{FORM_B}");
        // The heading before the first form stays with it.
        assert_eq!(cut(&text), vec![0..3, 3..5]);
    }

    #[test]
    fn a_whole_report_before_its_forms_is_a_part() {
        let text = format!(
            "某某镇2023年度部门整体支出绩效自评报告\n一、基本情况\n全镇编制30人。\n{FORM_A}"
        );
        assert_eq!(cut(&text), vec![0..3, 3..5]);
    }

    #[test]
    fn one_form_or_a_repeated_title_is_one_part() {
        assert_eq!(cut(FORM_A), vec![0..2]);
        // A form whose title repeats over its second page names no project there.
        let text = format!(
            "{FORM_A}项目支出绩效自评表(续)\n一级指标 | 二级指标 |\n产出指标 | 数量指标 |\n"
        );
        assert_eq!(cut(&text), vec![0..4]);
        // A whole report that only mentions the forms in a sentence is one part.
        let text = "某某局部门整体支出绩效自评报告\n本单位对项目支出绩效自评表所列项目逐一开展了自评,项目名称见附表。\n";
        assert_eq!(cut(text).len(), 1);
    }
}
