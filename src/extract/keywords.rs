//! Topic keywords of a report: jieba's TF-IDF ([`super::segmenter`]) over the narrative paragraphs
//! (tables and short lines left out), domain words kept whole (`rules/jieba_userdict.txt`,
//! built into the dictionary), words every report uses dropped (`rules/keyword_stopwords.txt`).

use super::segmenter::DICTIONARY;
use crate::document::Document;
use crate::normalize::text::is_han;
use crate::rules::lists::KEYWORD_STOPWORDS as STOP;

/// How many keywords a report gets at most.
pub const MAX_KEYWORDS: usize = 8;

/// How many of the best TF-IDF words are looked at: the filters below run on these.
const CANDIDATES: usize = 64;

/// Up to [`MAX_KEYWORDS`] keywords of the report's narrative, best first, joined with 、.
/// Pieces of the unit's own name (`白关镇`, `山镇` of 北山镇) are not topics.
pub fn keywords(doc: &Document, unit_name: Option<&str>) -> Option<String> {
    let narrative: String = doc
        .paragraphs()
        .filter(|p| p.text.chars().nth(29).is_some())
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if narrative.is_empty() {
        return None;
    }
    // Best first, ties broken by the word itself, so two runs always agree.
    let found = DICTIONARY.keywords(&narrative, CANDIDATES);
    let words: Vec<&str> = found
        .into_iter()
        .map(|(w, _)| w)
        // The segmenter's words have two characters or more; topics are Chinese words.
        .filter(|w| w.chars().all(is_han))
        .filter(|w| !STOP.contains(w))
        .filter(|w| {
            !unit_name.is_some_and(|u| u.contains(w))
                && !w.ends_with(['镇', '乡', '县', '市', '区'])
        })
        .take(MAX_KEYWORDS)
        .collect();
    (!words.is_empty()).then(|| words.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recover::dump::parse;

    #[test]
    fn topics_not_boilerplate() {
        let doc = parse("持续改善人居环境，开展农村人居环境整治，完成耕地恢复任务，推进乡村振兴，人居环境明显改善，耕地恢复面积扩大。\n短行").unwrap();
        let k = keywords(&doc, Some("白关镇人民政府")).unwrap();
        assert!(k.contains("人居环境") && k.contains("耕地恢复"), "{k}");
        assert!(!k.contains("开展"), "{k}");
        assert!(k.split('、').count() <= MAX_KEYWORDS);
    }
}
