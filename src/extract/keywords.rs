//! Topic keywords of a report: jieba TF-IDF over the narrative paragraphs (tables and short
//! lines left out), domain words kept whole (`rules/jieba_userdict.txt`), words every report
//! uses dropped (`rules/keyword_stopwords.txt`).
//!
//! The segmenter costs ~0.2 s and ~60 MB to load, so it is loaded once per process
//! ([`warm_up`] starts that on its own thread) and shared by every worker.

use std::sync::LazyLock;

use jieba_rs::{Jieba, KeywordExtract, TfIdf};

use crate::document::Document;
use crate::normalize::text::is_han;

/// How many keywords a report gets at most.
pub const MAX_KEYWORDS: usize = 8;

struct Extractor {
    jieba: Jieba,
    tfidf: TfIdf,
    stop: Vec<&'static str>,
}

static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| {
    // The two dictionaries load side by side: workers wait for both, so the load's wall time
    // is what idles them (on 2 cores, one sequential load left a core idle for ~0.2 s a run).
    std::thread::scope(|s| {
        let tfidf = s.spawn(TfIdf::default);
        let jieba = segmenter();
        let stop = crate::rules::entries(include_str!("../../rules/keyword_stopwords.txt"));
        Extractor {
            jieba,
            // A panic while loading the IDF table is a bug in the embedded data: rethrown.
            tfidf: tfidf
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            stop,
        }
    })
});

/// The segmenter with the domain's words kept whole.
fn segmenter() -> Jieba {
    let mut jieba = Jieba::new();
    for line in crate::rules::entries(include_str!("../../rules/jieba_userdict.txt")) {
        let mut it = line.split_whitespace();
        if let Some(word) = it.next() {
            jieba.add_word(word, it.next().and_then(|f| f.parse().ok()), None);
        }
    }
    jieba
}

/// Loads the segmenter on a background thread so the first report does not wait for it.
pub fn warm_up() {
    std::thread::spawn(|| LazyLock::force(&EXTRACTOR));
}

/// Up to [`MAX_KEYWORDS`] keywords of the report's narrative, best first, joined with 、.
/// Pieces of the unit's own name (`白关镇`, `山镇` of 北山镇) are not topics.
pub fn keywords(doc: &Document, unit_name: Option<&str>) -> Option<String> {
    let narrative: String = doc
        .paragraphs()
        .filter(|p| p.text.chars().count() >= 30)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    if narrative.is_empty() {
        return None;
    }
    let ex = &*EXTRACTOR;
    let mut found = ex
        .tfidf
        .extract_keywords(&ex.jieba, &narrative, 64, Vec::new());
    // Ties are broken by the word itself, so two runs always agree.
    found.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    let words: Vec<String> = found
        .into_iter()
        .map(|k| k.keyword)
        .filter(|w| w.chars().count() >= 2)
        .filter(|w| {
            !w.chars()
                .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        })
        .filter(|w| w.chars().all(is_han))
        .filter(|w| !ex.stop.contains(&w.as_str()))
        .filter(|w| {
            !unit_name.is_some_and(|u| u.contains(w.as_str()))
                && !w.ends_with(['镇', '乡', '县', '市', '区'])
        })
        .take(MAX_KEYWORDS)
        .collect();
    (!words.is_empty()).then(|| words.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::text::parse;

    #[test]
    fn topics_not_boilerplate() {
        let doc = parse("持续改善人居环境，开展农村人居环境整治，完成耕地恢复任务，推进乡村振兴，人居环境明显改善，耕地恢复面积扩大。\n短行").unwrap();
        let k = keywords(&doc, Some("白关镇人民政府")).unwrap();
        assert!(k.contains("人居环境") && k.contains("耕地恢复"), "{k}");
        assert!(!k.contains("开展"), "{k}");
        assert!(k.split('、').count() <= MAX_KEYWORDS);
    }
}
