//! jieba's TF-IDF keywords without loading jieba: the word list (with
//! `rules/jieba_userdict.txt` applied) and the IDF table are a trie built at compile time
//! (`build/segmenter.rs`), decoded in a few milliseconds instead of jieba-rs's ~0.2 s and
//! ~60 MB per run.
//!
//! The segmentation and the weights are jieba-rs 0.11's `TfIdf::default().extract_keywords`
//! (no HMM, English stop words, words of two characters or more) step for step, down to the
//! order of the floating-point operations; the tests compare the two on the corpora and on
//! random text. Part-of-speech tags, which jieba-rs computes for every word and the keywords
//! never read, are not.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/segmenter.bin"));

/// jieba's stop words for keywords (`DEFAULT_STOP_WORDS`): English function words, in
/// lowercase.
const STOP_WORDS: [&str; 31] = [
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on",
    "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not",
    "one", "has", "or",
];

/// The most distinct words the keyword map is sized for before it sees any (a report of about
/// 100 KB of text).
const RESERVED_WORDS: usize = 16_384;

/// The dictionary: every word of jieba's list and of its IDF table in a character-wise
/// double-array trie (one array lookup per character, where a sorted edge list took a binary
/// search), each word's value packing its frequency and IDF codes (`build/segmenter.rs`).
#[derive(Default)]
pub struct Dictionary {
    trie: Option<crawdad::Trie>,
    log_freqs: Vec<f64>,
    idfs: Vec<f64>,
    log_total: f64,
    median_idf: f64,
}

/// The compiled-in dictionary; a blob that does not decode (a build bug, caught by the tests)
/// leaves it empty, and an empty dictionary yields no keywords.
pub static DICTIONARY: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::decode(BLOB).unwrap_or_default());

/// A word's value in the trie: its frequency code (1 + index into the frequencies, 0 when the
/// word is only in the IDF table) and its IDF code (1 + index into the IDFs, 0 if none).
fn freq_code(value: u32) -> u32 {
    value >> 16
}

fn idf_code(value: u32) -> u32 {
    value & 0xFFFF
}

/// Reads the blob's little-endian fields in order.
struct Fields<'b>(&'b [u8]);

impl<'b> Fields<'b> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    fn bytes(&mut self, n: usize) -> Option<&'b [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
}

/// Whether `bytes` is exactly one serialized `crawdad::Trie` (its code table, alphabet size
/// and nodes of 8 bytes): `Trie::deserialize_from_slice` slices without checking.
fn is_whole_trie(bytes: &[u8]) -> bool {
    let mut f = Fields(bytes);
    let Some(table) = f
        .u32()
        .and_then(|n| f.bytes(usize::try_from(n).ok()?.checked_mul(4)?))
    else {
        return false;
    };
    let nodes = f
        .u32()
        .and_then(|_alphabet| f.u32())
        .and_then(|n| usize::try_from(n).ok()?.checked_mul(8));
    !table.is_empty() && nodes == Some(f.0.len()) && nodes != Some(0)
}

impl Dictionary {
    fn decode(blob: &[u8]) -> Option<Self> {
        let mut f = Fields(blob.strip_prefix(b"JXSEG2\0\0")?);
        let (freqs, idfs) = (f.count()?, f.count()?);
        let total = f.u64()?;
        let median_idf = f64::from_bits(f.u64()?);
        let trie = f.count().and_then(|n| f.bytes(n))?;
        if !is_whole_trie(trie) {
            return None;
        }
        let (trie, _) = crawdad::Trie::deserialize_from_slice(trie);
        let log_freqs: Vec<f64> = (0..freqs)
            .map(|_| f.u32().map(|v| (v as f64).ln()))
            .collect::<Option<_>>()?;
        let idfs: Vec<f64> = (0..idfs)
            .map(|_| f.u64().map(f64::from_bits))
            .collect::<Option<_>>()?;
        if !f.0.is_empty() {
            return None;
        }
        Some(Dictionary {
            trie: Some(trie),
            log_freqs,
            idfs,
            log_total: (total as f64).ln(),
            median_idf,
        })
    }

    /// The value of `word`, if the trie has it.
    fn value(&self, word: &str) -> Option<u32> {
        self.trie.as_ref()?.exact_match(word.chars())
    }

    /// The log frequency of a word of the list (none for an IDF-only word).
    fn log_freq(&self, value: u32) -> Option<f64> {
        let i = usize::try_from(freq_code(value)).ok()?.checked_sub(1)?;
        self.log_freqs.get(i).copied()
    }

    /// The IDF of `word` (looked up when the segmentation did not find it in the dictionary),
    /// or the median.
    fn idf_of(&self, word: &str, value: Option<u32>) -> f64 {
        value
            .or_else(|| self.value(word))
            .and_then(|v| {
                self.idfs
                    .get(usize::try_from(idf_code(v)).ok()?.checked_sub(1)?)
            })
            .copied()
            .unwrap_or(self.median_idf)
    }

    /// The `top` words of `text` by TF-IDF, best first, ties by the word: what
    /// `TfIdf::default().extract_keywords(&jieba, text, top, vec![])` returns.
    pub fn keywords<'t>(&self, text: &'t str, top: usize) -> Vec<(&'t str, f64)> {
        // Per word: how often, and its dictionary value when known. A text of n bytes holds
        // at most n / 6 words of two Chinese characters; sized once, the map never rehashes
        // on a typical report. The first size is capped so a text of many megabytes does not
        // reserve tens of them up front: past the cap the map grows with its distinct words.
        let mut tf: FxHashMap<&str, (u64, Option<u32>)> = FxHashMap::default();
        tf.reserve((text.len() / 6).min(RESERVED_WORDS));
        let mut count = |word: &'t str, chars: usize, value: Option<u32>| {
            if chars >= 2 && !is_stop_word(word) {
                tf.entry(word).or_insert((0, value)).0 += 1;
            }
        };
        let mut scratch = Scratch::default();
        for (block, inside) in runs(text) {
            if inside {
                self.cut(block, &mut scratch, &mut count);
            } else {
                // Each character is a word, except that \r\n stays whole.
                let mut rest = block;
                while let Some(c) = rest.chars().next() {
                    let (len, chars) = if rest.starts_with("\r\n") {
                        (2, 2)
                    } else {
                        (c.len_utf8(), 1)
                    };
                    let (word, tail) = rest.split_at(len);
                    count(word, chars, None);
                    rest = tail;
                }
            }
        }
        let total: u64 = tf.values().map(|v| v.0).sum();
        let mut ranked: Vec<(&str, f64)> = tf
            .into_iter()
            .map(|(w, (n, value))| (w, n as f64 * self.idf_of(w, value) / total as f64))
            .collect();
        // The order is total (words are distinct), so picking the best `top` before sorting
        // them gives what sorting every word would.
        let order =
            |a: &(&str, f64), b: &(&str, f64)| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if top < ranked.len() {
            ranked.select_nth_unstable_by(top, order);
            ranked.truncate(top);
        }
        ranked.sort_unstable_by(order);
        ranked
    }

    /// jieba's `cut_route` without HMM over one block of [`in_block`] characters: the most
    /// probable path through the dictionary words, with runs of single ASCII letters and
    /// digits joined into one word. Each word goes to `emit` with its dictionary value when it
    /// is a dictionary word, and its length in characters.
    fn cut<'t>(
        &self,
        block: &'t str,
        s: &mut Scratch,
        emit: &mut impl FnMut(&'t str, usize, Option<u32>),
    ) {
        s.chars.clear();
        s.chars.extend(block.char_indices());
        let n = s.chars.len();
        // Every dictionary word starting at each character: (end, log frequency, value), by end.
        s.edges.clear();
        s.starts.clear();
        let Some(trie) = &self.trie else {
            return;
        };
        for pos in 0..n {
            s.starts.push(s.edges.len());
            let rest = s.chars.get(pos..).unwrap_or(&[]).iter().map(|&(_, c)| c);
            for (value, len) in trie.common_prefix_search(rest) {
                if let Some(lf) = self.log_freq(value) {
                    s.edges.push((pos + len, lf, value));
                }
            }
        }
        s.starts.push(s.edges.len());
        // route[i]: the log probability of the best path from i, where its first word ends and
        // that word's value (none for a character outside the dictionary).
        s.route.clear();
        s.route.resize(n + 1, (0.0, n, None));
        for i in (0..n).rev() {
            let mut best: Option<(f64, usize, Option<u32>)> = None;
            let from = s.starts.get(i).copied().unwrap_or(0);
            let to = s.starts.get(i + 1).copied().unwrap_or(from);
            for &(end, lf, value) in s.edges.get(from..to).unwrap_or(&[]) {
                let rest = s.route.get(end).map_or(0.0, |r| r.0);
                let prob = lf - self.log_total + rest;
                if best.is_none_or(|(p, e, _)| prob > p || (prob == p && end > e)) {
                    best = Some((prob, end, Some(value)));
                }
            }
            let next = s.route.get(i + 1).map_or(0.0, |r| r.0);
            let step = best.unwrap_or(((0.0 - self.log_total) + next, i + 1, None));
            if let Some(r) = s.route.get_mut(i) {
                *r = step;
            }
        }
        let at = |i: usize| s.chars.get(i).map_or(block.len(), |&(b, _)| b);
        let mut x = 0;
        let mut joined: Option<usize> = None;
        while x < n {
            let (y, value) = s.route.get(x).map_or((n, None), |r| (r.1, r.2));
            let y = y.max(x + 1);
            let single_alnum =
                y == x + 1 && s.chars.get(x).is_some_and(|c| c.1.is_ascii_alphanumeric());
            if single_alnum {
                joined.get_or_insert(x);
            } else {
                if let Some(start) = joined.take() {
                    emit(&block[at(start)..at(x)], x - start, None);
                }
                emit(&block[at(x)..at(y)], y - x, value);
            }
            x = y;
        }
        if let Some(start) = joined {
            emit(&block[at(start)..at(n)], n - start, None);
        }
    }
}

/// Buffers reused across the blocks of one text.
#[derive(Default)]
struct Scratch {
    chars: Vec<(usize, char)>,
    edges: Vec<(usize, f64, u32)>,
    starts: Vec<usize>,
    route: Vec<(f64, usize, Option<u32>)>,
}

/// Whether `c` belongs in a block the dictionary segments: jieba's `RE_HAN_DEFAULT` class, CJK
/// ideographs, ASCII letters and digits, `+#&._%-` (wider than
/// [`crate::normalize::text::is_han`]).
fn in_block(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
        || matches!(c,
            '\u{4E00}'..='\u{9FFF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}')
}

/// The maximal runs of `text` that are, or are not, [`in_block`].
fn runs(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let inside = in_block(rest.chars().next()?);
        let len = rest
            .char_indices()
            .find(|&(_, c)| in_block(c) != inside)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(len);
        rest = tail;
        Some((run, inside))
    })
}

/// jieba's keyword filter past the length (two characters or more): not a stop word in any
/// case. The stop words are lowercase ASCII, and a word here is ASCII or made of CJK
/// ideographs, which have no case: a word with a byte past ASCII is never one.
fn is_stop_word(word: &str) -> bool {
    word.is_ascii() && STOP_WORDS.iter().any(|s| s.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jieba_rs::{Jieba, KeywordExtract, TfIdf};
    use proptest::prelude::*;

    /// The reference: jieba-rs with the domain words added as the segmenter's build adds them.
    static JIEBA: LazyLock<(Jieba, TfIdf)> = LazyLock::new(|| {
        let mut jieba = Jieba::new();
        let words = crate::rules::lists::user_words().unwrap_or_else(|e| panic!("{e}"));
        for (word, freq) in words {
            jieba.add_word(word, usize::try_from(freq).ok(), None);
        }
        (jieba, TfIdf::default())
    });

    fn reference(text: &str, top: usize) -> Vec<(String, f64)> {
        let (jieba, tfidf) = &*JIEBA;
        tfidf
            .extract_keywords(jieba, text, top, Vec::new())
            .into_iter()
            .map(|k| (k.keyword, k.weight))
            .collect()
    }

    fn ours(text: &str, top: usize) -> Vec<(String, f64)> {
        DICTIONARY
            .keywords(text, top)
            .into_iter()
            .map(|(w, f)| (w.to_string(), f))
            .collect()
    }

    #[test]
    fn the_compiled_dictionary_decodes() {
        let d = &*DICTIONARY;
        assert!(d.log_freqs.len() > 5_000 && d.idfs.len() > 3_000);
        // A word of jieba's list with an IDF, and a domain word of the user dictionary.
        for word in ["经费", "河长制"] {
            let value = d.value(word).unwrap_or_else(|| panic!("{word}"));
            assert!(d.log_freq(value).is_some(), "{word} is not a word");
        }
        assert!(d.idf_of("经费", None) != d.median_idf);
        // A prefix of a word is not a word; nor is what the trie has never seen.
        assert!(d.value("人居环境").is_some() && d.value("人居环").is_none());
        assert!(d.value("ﬀﬀﬀ").is_none());
        assert!(Dictionary::decode(&BLOB[..BLOB.len() - 1]).is_none());
        assert!(Dictionary::decode(b"JXSEG2\0\0").is_none());
        // A blob whose trie section is cut short is refused before the trie is read.
        for cut in [48, 52, 60, 100] {
            let mut short = BLOB[..8 + 32].to_vec();
            short.extend((cut as u64).to_le_bytes());
            short.extend(&BLOB[8 + 40..8 + 40 + cut]);
            assert!(Dictionary::decode(&short).is_none(), "{cut}");
        }
    }

    /// Every document of the sample corpus and the real set, as narrative and as all its
    /// text: the same words with the same weights, bit for bit.
    #[test]
    fn agrees_with_jieba_on_the_corpora() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["corpus", "tests/fixtures/real"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    if e.path().is_dir() {
                        stack.push(e.path());
                    } else {
                        files.push(e.path());
                    }
                }
            }
        }
        let mut compared = 0;
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let name = path.to_string_lossy();
            let Ok(loaded) = crate::source::load_bytes(&bytes, &name) else {
                continue;
            };
            let paras: Vec<&str> = loaded.doc.paragraphs().map(|p| p.text.as_str()).collect();
            let narrative: Vec<&str> = paras
                .iter()
                .copied()
                .filter(|p| p.chars().count() >= 30)
                .collect();
            for text in [narrative.join("\n"), paras.join("\r\n")] {
                assert_eq!(ours(&text, 64), reference(&text, 64), "{name}");
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
    }

    /// Characters of every class the segmenter tells apart, and whole words: stop words in
    /// any case, domain words, \r\n.
    fn pieces() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => alphabet().prop_map(String::from),
            1 => prop::sample::select(vec![
                "The", "AND", "is", "OR", "This", "\r\n", "人居环境", "三公经费", "2023", "B超",
            ])
            .prop_map(String::from),
        ]
    }

    fn alphabet() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(
                "经费支出预算项目绩效目标乡村振兴人居环境耕地恢复三公基本人员公用中华人民共和国的了是在和有大"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            1 => prop::char::range('\u{4E00}', '\u{9FFF}'),
            1 => prop::char::range('\u{3400}', '\u{4DBF}'),
            1 => prop::char::range('\u{20000}', '\u{20010}'),
            2 => prop::sample::select("aZ09TheANDIsOr+#&._%-".chars().collect::<Vec<_>>()),
            2 => prop::sample::select(" \r\n，。、（）：；“”\t１２ＡＢ".chars().collect::<Vec<_>>()),
        ]
    }

    proptest! {
        #[test]
        fn agrees_with_jieba_on_any_text(pieces in prop::collection::vec(pieces(), 0..300)) {
            let text: String = pieces.concat();
            prop_assert_eq!(ours(&text, 64), reference(&text, 64));
            prop_assert_eq!(ours(&text, 1_000), reference(&text, 1_000));
        }
    }
}
