//! Builds the keyword segmenter's dictionary at compile time (`src/extract/segmenter.rs` reads
//! it): jieba's word list with the domain words of `rules/jieba_userdict.txt` applied as
//! `Jieba::add_word` applies them, and jieba's IDF table, as one character-wise double-array
//! trie (`crawdad`). Loading jieba-rs's own dictionaries took ~0.2 s and ~60 MB in every run;
//! this blob is decoded in a few milliseconds.
//!
//! Each word's value in the trie is its frequency code in the high 16 bits (1 + index into the
//! frequencies, 0 if not a word of the list: an IDF-only word) and its IDF code in the low 16
//! (1 + index into the IDFs, 0 if none). Both tables hold distinct values only (about 5,000
//! and 3,300), so a walk needs nothing beyond the trie and two small tables.
//!
//! Layout (little-endian): `JXSEG2\0\0`, then u64 frequency count F, IDF count I, the
//! dictionary's total frequency, the median IDF's bits, the trie's byte length T; then the T
//! bytes of the serialized trie, the F u32 frequencies and the I IDFs as u64 bits.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

#[derive(Default, Clone, Copy)]
struct Entry {
    freq: Option<u64>,
    idf: Option<f64>,
}

fn gunzip(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text
}

/// Every word with its frequency and IDF, the total frequency and the median IDF, exactly as
/// `Jieba::new` + `add_word(word, Some(freq), None)` and `TfIdf::default` hold them.
fn entries(dict: &str, user: &str, idf: &str) -> (BTreeMap<String, Entry>, u64, f64) {
    let mut words: BTreeMap<String, Entry> = BTreeMap::new();
    let mut total: u64 = 0;
    for line in dict.lines() {
        let mut it = line.split_ascii_whitespace();
        let Some(word) = it.next() else { continue };
        let freq: u64 = it
            .next()
            .map_or(0, |f| f.parse().expect("dictionary frequency"));
        // The embedded dictionary has no duplicates; a later line would only add to the total.
        total += freq;
        words.entry(word.to_string()).or_default().freq = Some(freq);
    }
    for line in user.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut it = line.split_whitespace();
        let (Some(word), Some(freq)) = (it.next(), it.next()) else {
            panic!("rules/jieba_userdict.txt: `{line}` needs a word and a frequency");
        };
        let freq: u64 = freq
            .parse()
            .unwrap_or_else(|_| panic!("rules/jieba_userdict.txt: `{line}`: frequency"));
        let e = words.entry(word.to_string()).or_default();
        total = total - e.freq.unwrap_or(0) + freq;
        e.freq = Some(freq);
    }
    let mut idfs = Vec::new();
    for line in idf.lines() {
        let mut it = line.split_whitespace();
        if let (Some(word), Some(Ok(v))) = (it.next(), it.next().map(str::parse::<f64>)) {
            words.entry(word.to_string()).or_default().idf = Some(v);
            idfs.push(v);
        }
    }
    // TfIdf's median: the lower one, ascending index (len - 1) / 2.
    idfs.sort_by(f64::total_cmp);
    let median = idfs
        .get(idfs.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0.0);
    (words, total, median)
}

/// Writes the blob to `out`.
pub fn build(root: &Path, out: &Path) {
    let dict = gunzip(&root.join("data/jieba/dict.txt.gz"));
    let idf = gunzip(&root.join("data/jieba/idf.txt.gz"));
    let user = std::fs::read_to_string(root.join("rules/jieba_userdict.txt"))
        .expect("rules/jieba_userdict.txt");
    let (words, total, median) = entries(&dict, &user, &idf);

    let mut freqs: Vec<u64> = words.values().filter_map(|e| e.freq).collect();
    freqs.sort_unstable();
    freqs.dedup();
    let mut idfs: Vec<u64> = words
        .values()
        .filter_map(|e| e.idf.map(f64::to_bits))
        .collect();
    idfs.sort_unstable();
    idfs.dedup();
    assert!(
        freqs.len() < 0xFFFF && idfs.len() < 0xFFFF,
        "a code must fit 16 bits"
    );
    // The words in order (UTF-8 order is character order, which the trie wants).
    let records = words.iter().map(|(word, e)| {
        let freq = e.freq.map_or(0, |f| {
            1 + freqs.binary_search(&f).expect("frequency listed") as u32
        });
        let idf = e.idf.map_or(0, |v| {
            1 + idfs.binary_search(&v.to_bits()).expect("IDF listed") as u32
        });
        (word.as_str(), freq << 16 | idf)
    });
    let trie = crawdad::Trie::from_records(records)
        .expect("the dictionary makes a trie")
        .serialize_to_vec();

    let mut blob = b"JXSEG2\0\0".to_vec();
    for v in [
        freqs.len() as u64,
        idfs.len() as u64,
        total,
        median.to_bits(),
        trie.len() as u64,
    ] {
        blob.extend(v.to_le_bytes());
    }
    blob.extend(&trie);
    for f in &freqs {
        let f = u32::try_from(*f).expect("a word frequency fits 32 bits");
        blob.extend(f.to_le_bytes());
    }
    for v in &idfs {
        blob.extend(v.to_le_bytes());
    }
    std::fs::write(out, blob).expect("writing the segmenter dictionary");
}
