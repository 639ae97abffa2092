//! A report's title, wherever the head of the document writes it: on a line of its own, split
//! over two short lines (`富民县妇联2023年度部门整体支出⏎绩效评价报告`), after a page's
//! `名称:` / `标题:` label, or glued into the first long line of a document host's dump
//! (`1、河阳县文化馆2022年度部门整体绩效自评表单位负责人…`).
//!
//! A title is `<head>绩效(目标)(自评|评价)(报告|表)`: its head names the unit, the year and, for a
//! project or transfer-fund evaluation, the fund (`关于2023年度耕地地力保护补贴资金绩效的自评
//! 报告`, `西城区民政局养老服务专项经费(项目)2020年度绩效自评报告`). Kind, unit and project
//! name are read off the head by their own rules.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Document};
use crate::normalize::text::squash;

/// `<head>绩效…自评` / `<head>绩效…评价`; the head stops at punctuation, so a page's
/// `名称:` label or a preamble's `《` is not part of it.
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:关于)?([^\s:：|｜，,。；;《》<>!！?？、]{2,60}?)(?:的)?绩效(?:目标)?(?:的)?(?:单位)?(?:自评|评价|自我评价)(?:自评)?(?:报告|表|[(（]|$)")
        .expect("static regex")
});

/// How far into the document a title is looked for: the first paragraphs up to this many
/// characters (page furniture above the title is short lines) …
const HEAD_CHARS: usize = 800;
/// … and at most this many paragraphs.
const HEAD_PARAS: usize = 50;
/// A long (glued) line is searched for its title only this far.
const LINE_CHARS: usize = 300;
/// The head of a title's second half holds at most a few words (`项目`, `部门整体支出`).
const HALF_HEAD: usize = 8;
/// How much of what follows a title is kept.
const TAIL_CHARS: usize = 40;
/// Lines this short may be the two halves of one title.
const HALF_CHARS: usize = 40;

/// A title found in the head of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    /// What stands before 绩效: unit, year, fund (`2023年度`, `关于` dropped later).
    pub head: String,
    /// The title as matched, with a few characters after it (for its kind words).
    pub text: String,
    /// What follows the title on its line (a unit signing it: `…自评报告某某中心(盖章)`).
    pub tail: String,
}

/// The title in `line`, when it holds one.
fn title_in(line: &str) -> Option<Title> {
    let line: String = line.chars().take(LINE_CHARS).collect();
    let c = TITLE.captures(&line)?;
    let (m, head) = (c.get(0)?, c.get(1)?);
    let tail = line.get(m.end()..)?;
    let after: String = tail.chars().take(6).collect();
    Some(Title {
        head: head.as_str().to_string(),
        text: format!("{}{after}", m.as_str()),
        tail: tail.chars().take(TAIL_CHARS).collect(),
    })
}

/// The document's lines in reading order, squashed: its paragraphs (`paras`, squashed
/// already) and its tables' rows, cells joined by `|` (a page's `名称: | <title> |` row).
fn lines(doc: &Document, paras: &[String]) -> Vec<String> {
    let mut paras = paras.iter();
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(_) => out.extend(paras.next().cloned()),
            Block::Table(t) => out.extend(t.rows.iter().map(|r| {
                r.iter()
                    .map(|c| squash(&c.text))
                    .collect::<Vec<_>>()
                    .join("|")
            })),
        }
        if out.len() >= HEAD_PARAS {
            break;
        }
    }
    out
}

/// Every title in the head of the document, in order. `paras` are its squashed paragraphs.
pub fn titles(doc: &Document, paras: &[String]) -> Vec<Title> {
    let paras = lines(doc, paras);
    let mut out = Vec::new();
    let mut seen = 0;
    let head: Vec<&String> = paras
        .iter()
        .take(HEAD_PARAS)
        .take_while(|p| {
            let before = seen;
            seen += p.chars().count();
            before <= HEAD_CHARS
        })
        .collect();
    for (i, p) in head.iter().enumerate() {
        if let Some(t) = title_in(p) {
            out.push(t);
            continue;
        }
        let next = head.get(i + 1).copied().or_else(|| paras.get(i + 1));
        if let Some(next) = next {
            let short = |s: &str| !s.is_empty() && s.chars().count() <= HALF_CHARS;
            // Two halves of one title (`…农村厕所改造⏎项目绩效评价自评报告`), not a line
            // above a title of its own (one naming a unit or a year).
            let whole_title = title_in(next).is_some_and(|t| {
                t.head.chars().count() > HALF_HEAD || t.head.chars().any(|c| c.is_ascii_digit())
            });
            if short(p) && short(next) && !whole_title {
                if let Some(t) = title_in(&format!("{p}{next}")) {
                    out.push(t);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(lines: &[&str]) -> Vec<String> {
        let doc = crate::recover::dump::parse(&lines.join("\n")).unwrap();
        let paras: Vec<String> = doc.paragraphs().map(|p| squash(&p.text)).collect();
        titles(&doc, &paras).into_iter().map(|t| t.head).collect()
    }

    #[test]
    fn titles_on_a_line_split_labelled_or_glued() {
        assert_eq!(
            heads(&["关于2022年度农机购置补贴资金绩效的自评报告"]),
            vec!["2022年度农机购置补贴资金"]
        );
        assert_eq!(
            heads(&[
                "东岭县图书馆2022年度部门整体支出",
                "绩效评价报告",
                "一、基本情况"
            ]),
            vec!["东岭县图书馆2022年度部门整体支出"]
        );
        assert_eq!(
            heads(&["名称:西坝区水务局2023年小型水库维修资金项目绩效评价报告 文号:"]),
            vec!["西坝区水务局2023年小型水库维修资金项目"]
        );
        assert_eq!(
            heads(&["名称: | 南岭县2022年度乡村公路养护项目绩效评价自评报告 | 文号: | 无 |"]),
            vec!["南岭县2022年度乡村公路养护项目"]
        );
        assert_eq!(
            heads(&["1、北岭镇农业综合服务站2021年度部门整体绩效自评表单位负责人赵某联系电话"]),
            vec!["北岭镇农业综合服务站2021年度部门整体"]
        );
        // A sentence about evaluations is no title, nor is text far down the document.
        assert!(heads(&["本单位按要求开展了绩效自评工作,现报告如下"]).is_empty());
        let mut far = vec!["正文内容正文内容正文内容正文内容正文内容"; 60];
        far.push("某某县林业局2023年度部门整体支出绩效自评报告");
        assert!(heads(&far).is_empty());
    }
}
