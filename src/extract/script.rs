//! Traditional-character copies: some page mirrors convert a report to traditional characters
//! and insert pinyin after some of them (`服務(wù)`, `項(xiàng)目`, `預(yù)算數(shù)`). Every rule is
//! written in simplified words, so such a document is read through a copy with the glosses
//! removed and the characters made simplified (OpenCC's character table, via `fast2s`);
//! indicator cells keep the text as written (see `extract::extract_within`).
//!
//! A document written in simplified characters is left as it is (borrowed, byte for byte).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Cell, Document, Table};
use crate::normalize::simplified::simplified;
use crate::normalize::text::{split_points, squash};

/// A pinyin gloss right after a Han character: `(wù)`, `（xiàng）`, lower-case letters with
/// at least one tone mark.
static GLOSS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7})[)）]").expect("static regex")
});

/// How many characters a document must have changed by the table before it is read as a
/// traditional copy, in all and per hundred Han characters: a stray variant character in a
/// simplified text is no reason.
const MIN_CHANGED: usize = 8;
const CHANGED_PER_100: usize = 3;

/// `text` without its pinyin glosses.
pub fn without_glosses(text: &str) -> Cow<'_, str> {
    GLOSS.replace_all(text, |c: &regex::Captures<'_>| {
        let gloss = c.get(2).map_or("", |m| m.as_str());
        let toned = gloss.chars().any(|ch| !ch.is_ascii_lowercase());
        match (toned, c.get(1)) {
            (true, Some(han)) => han.as_str().to_string(),
            _ => c.get(0).map_or("", |m| m.as_str()).to_string(),
        }
    })
}

/// `text` without glosses and in simplified characters.
fn for_matching_text(text: &str) -> String {
    simplified(&without_glosses(text)).into_owned()
}

/// Every text of the document: paragraphs and cells, nested tables included.
fn texts<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
    for b in blocks {
        match b {
            Block::Paragraph(p) => out.push(&p.text),
            Block::Table(t) => {
                for c in t.rows.iter().flatten() {
                    out.push(&c.text);
                    texts(&c.tables, out);
                }
            }
        }
    }
}

/// Whether the document is a traditional-character or glossed copy.
fn is_traditional(doc: &Document) -> bool {
    let mut all = Vec::new();
    texts(&doc.blocks, &mut all);
    let mut changed = 0;
    for t in &all {
        if GLOSS.is_match(t) && without_glosses(t) != *t {
            return true;
        }
        if let Cow::Owned(s) = simplified(t) {
            changed += t.chars().zip(s.chars()).filter(|(a, b)| a != b).count();
        }
    }
    if changed < MIN_CHANGED {
        return false;
    }
    // Han characters are counted only for a document with enough changed ones (rarely).
    let han: usize = all
        .iter()
        .map(|t| {
            t.chars()
                .filter(|c| crate::normalize::text::is_han(*c))
                .count()
        })
        .sum();
    changed * 100 >= han * CHANGED_PER_100
}

fn convert_blocks(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => {
                let mut p = p.clone();
                p.text = for_matching_text(&p.text);
                Block::Paragraph(p)
            }
            Block::Table(t) => {
                let mut t = t.clone();
                for c in t.rows.iter_mut().flatten() {
                    *c = Cell {
                        text: for_matching_text(&c.text),
                        tables: convert_blocks(&c.tables),
                        ..c.clone()
                    };
                }
                Block::Table(t)
            }
        })
        .collect()
}

/// The cell texts of a table as written, keyed by the same cells' texts in its converted
/// copy (both squashed; a level word also without its points note, as the indicator rows
/// carry it): the rules read the copy, the rows they find keep the document's own words.
/// Only texts the conversion changed are kept.
pub fn as_written(original: &Table, converted: &Table) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let cells = original.rows.iter().flatten();
    for (o, c) in cells.zip(converted.rows.iter().flatten()) {
        let (o, c) = (squash(&o.text), squash(&c.text));
        if o == c {
            continue;
        }
        let core = split_points(&c).0;
        if let Some(note) = c.strip_prefix(core.as_str()).filter(|n| !n.is_empty()) {
            if let Some(o_core) = o.strip_suffix(note) {
                map.insert(core, o_core.to_string());
            }
        }
        map.insert(c, o);
    }
    map
}

/// The document the rules read: a traditional or glossed copy made simplified and gloss-free,
/// any other document as it is.
pub fn for_matching(doc: &Document) -> Cow<'_, Document> {
    if !is_traditional(doc) {
        return Cow::Borrowed(doc);
    }
    Cow::Owned(Document {
        blocks: convert_blocks(&doc.blocks),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    #[test]
    fn glosses_go_and_traditional_reads_simplified() {
        assert_eq!(without_glosses("西嶺縣服務(wù)中心"), "西嶺縣服務中心");
        assert_eq!(without_glosses("預（yù）算數(shù)"), "預算數");
        // Letters without a tone mark are no gloss: `(kg)`, `(a)`.
        assert_eq!(without_glosses("重量(kg)"), "重量(kg)");
        let doc = parse("東嶺縣農(nóng)業(yè)農村局2022年度項(xiàng)目支出績效自評表").unwrap();
        let text = match &for_matching(&doc).blocks[0] {
            Block::Paragraph(p) => p.text.clone(),
            Block::Table(_) => String::new(),
        };
        assert_eq!(text, "东岭县农业农村局2022年度项目支出绩效自评表");
    }

    #[test]
    fn rows_read_in_the_copy_keep_the_words_as_written() {
        let doc = parse("一級指標(biāo) | 三級指標(biāo) | 指標(biāo)值 |\n產(chǎn)出指標(biāo)(40分) | 橋梁維(wéi)修座數 | 3座 |\n").unwrap();
        let copy = for_matching(&doc);
        let (Some(t), Some(c)) = (
            doc.tables().first().copied(),
            copy.tables().first().copied(),
        ) else {
            panic!("no table");
        };
        let map = as_written(t, c);
        assert_eq!(
            map.get("桥梁维修座数").map(String::as_str),
            Some("橋梁維(wéi)修座數")
        );
        // A level word is also found without its points note, as the rows carry it.
        assert_eq!(
            map.get("产出指标").map(String::as_str),
            Some("產(chǎn)出指標(biāo)")
        );
        assert!(!map.contains_key("3座"), "unchanged texts are not kept");
    }

    #[test]
    fn simplified_documents_are_left_alone() {
        let doc = parse("某某县图书馆2023年度部门整体支出绩效自评报告\n一、基本情况").unwrap();
        assert!(matches!(for_matching(&doc), Cow::Borrowed(_)));
    }
}
