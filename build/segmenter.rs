//! Builds the keyword segmenter's dictionary at compile time (`src/extract/segmenter.rs` reads
//! it): jieba's word list with the domain words of `rules/jieba_userdict.txt` applied as
//! `Jieba::add_word` applies them, and jieba's IDF table, as one character trie laid out
//! breadth first. Loading jieba-rs's own dictionaries took ~0.2 s and ~60 MB in every run;
//! this blob is decoded in a few milliseconds.
//!
//! Layout (little-endian): `JXSEG1\0\0`, then u64 node count N, frequency count F, IDF count
//! I, the dictionary's total frequency, the median IDF's bits; then N+1 nodes of three u32:
//! first edge (node p's children are edges `first[p]..first[p+1]`, edge e leads to node e+1;
//! the last node only closes the one before it), frequency (1 + index into the frequencies, 0
//! if not a word), IDF (1 + index into the IDFs, 0 if none); then N-1 u32 edge characters, the
//! F u32 frequencies, and the I IDFs as u64 bits.

use std::collections::{BTreeMap, VecDeque};
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

struct Node {
    children: Vec<(char, usize)>,
    entry: Entry,
}

/// Writes the blob to `out`.
pub fn build(root: &Path, out: &Path) {
    let dict = gunzip(&root.join("data/jieba/dict.txt.gz"));
    let idf = gunzip(&root.join("data/jieba/idf.txt.gz"));
    let user = std::fs::read_to_string(root.join("rules/jieba_userdict.txt"))
        .expect("rules/jieba_userdict.txt");
    let (words, total, median) = entries(&dict, &user, &idf);

    // The trie from the sorted words (UTF-8 order is character order): each word shares a path
    // with the one before it, so children are appended already sorted.
    let mut nodes = vec![Node {
        children: Vec::new(),
        entry: Entry::default(),
    }];
    let mut path: Vec<usize> = vec![0];
    let mut previous: Vec<char> = Vec::new();
    for (word, entry) in &words {
        let chars: Vec<char> = word.chars().collect();
        let shared = previous
            .iter()
            .zip(&chars)
            .take_while(|(a, b)| a == b)
            .count();
        path.truncate(shared + 1);
        for &c in &chars[shared..] {
            let parent = *path.last().expect("the root is on the path");
            nodes.push(Node {
                children: Vec::new(),
                entry: Entry::default(),
            });
            let id = nodes.len() - 1;
            nodes[parent].children.push((c, id));
            path.push(id);
        }
        let last = *path.last().expect("the root is on the path");
        nodes[last].entry = *entry;
        previous = chars;
    }

    // Breadth-first numbering: a node's children get consecutive ids, so edge e is node e+1.
    let mut order = Vec::with_capacity(nodes.len());
    let mut queue = VecDeque::from([0usize]);
    while let Some(n) = queue.pop_front() {
        order.push(n);
        queue.extend(nodes[n].children.iter().map(|&(_, c)| c));
    }
    let mut freqs: Vec<u64> = words.values().filter_map(|e| e.freq).collect();
    freqs.sort_unstable();
    freqs.dedup();
    let mut idfs: Vec<u64> = words
        .values()
        .filter_map(|e| e.idf.map(f64::to_bits))
        .collect();
    idfs.sort_unstable();
    idfs.dedup();

    let mut blob = b"JXSEG1\0\0".to_vec();
    for v in [
        order.len() as u64,
        freqs.len() as u64,
        idfs.len() as u64,
        total,
        median.to_bits(),
    ] {
        blob.extend(v.to_le_bytes());
    }
    let mut edge_char: Vec<u32> = Vec::with_capacity(order.len());
    for &n in &order {
        let e = nodes[n].entry;
        let freq = e.freq.map_or(0, |f| {
            1 + freqs.binary_search(&f).expect("frequency listed") as u32
        });
        let idf = e.idf.map_or(0, |v| {
            1 + idfs.binary_search(&v.to_bits()).expect("IDF listed") as u32
        });
        for v in [edge_char.len() as u32, freq, idf] {
            blob.extend(v.to_le_bytes());
        }
        edge_char.extend(nodes[n].children.iter().map(|&(c, _)| c as u32));
    }
    for v in [edge_char.len() as u32, 0, 0] {
        blob.extend(v.to_le_bytes());
    }
    for c in &edge_char {
        blob.extend(c.to_le_bytes());
    }
    for f in &freqs {
        let f = u32::try_from(*f).expect("a word frequency fits 32 bits");
        blob.extend(f.to_le_bytes());
    }
    for v in &idfs {
        blob.extend(v.to_le_bytes());
    }
    std::fs::write(out, blob).expect("writing the segmenter dictionary");
}
