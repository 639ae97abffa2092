//! The OCR engine's predictable slips in Chinese reports, mended where the mending is
//! certain, and its doubtful digits kept from becoming values.
//!
//! Mended, always inside a number: `O`/`o` for 0 and `l`/`I`/`|` for 1 among digits (not
//! after a Latin letter: `No.1` stays), full-width digits and points, `。` between digits for
//! the decimal point, `方` between a number and `元` for 万 (`25方元`; no Chinese word reads
//! `方元`). A dropped decimal point cannot be seen in a number alone and is not guessed at.
//! A number the engine was unsure of (its confidence under [`MIN_CONFIDENCE`] for any of its
//! words), or misread in a way that cannot be undone (`100%` read `1009%6`: a digit after a
//! percent sign), is not read at all: its digits become [`DOUBT`], which the reader turns into an
//! empty cell and an `ocr_doubtful` check.

use super::tsv::OcrWord;

/// Stands for a number the engine was unsure of, until the reader has placed it.
pub const DOUBT: char = '\u{E000}';

/// The engine's confidence (0–100) under which a number is doubtful. Measured on the seeds'
/// scans (docs/research/ocr.md): every wrong number read had a word under it, and few
/// right ones did.
pub const MIN_CONFIDENCE: f32 = 60.0;

/// A character of a number, or one the engine writes for one.
fn numberish(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '０'..='９' | 'O' | 'o' | 'l' | 'I' | '|' | '.' | '．')
}

fn digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '０'..='９')
}

/// Mends one word: in each run of number characters that holds a digit and does not follow
/// a Latin letter, letters read for digits become digits, full-width digits and points
/// become ASCII.
pub fn mend_word(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !numberish(c) {
            out.push(c);
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&k| chars.get(k).is_none_or(|&c| !numberish(c)))
            .unwrap_or(chars.len());
        let run = chars.get(i..end).unwrap_or_default();
        let after_letter = i
            .checked_sub(1)
            .and_then(|k| chars.get(k))
            .is_some_and(|c| c.is_ascii_alphabetic());
        let mend = run.iter().any(|&c| digit(c)) && !after_letter;
        for &c in run {
            out.push(match c {
                'O' | 'o' if mend => '0',
                'l' | 'I' | '|' if mend => '1',
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                c => c,
            });
        }
        i = end;
    }
    out
}

/// Mends what only a line shows (a word may hold one character): `。` between digits is a
/// decimal point, `方` between a number and `元` is 万.
fn mend_line(words: &mut [&mut OcrWord]) {
    let chars: Vec<(usize, char)> = words
        .iter()
        .enumerate()
        .flat_map(|(w, word)| word.text.chars().map(move |c| (w, c)).collect::<Vec<_>>())
        .collect();
    let mut changed = vec![None; chars.len()];
    for k in 1..chars.len() {
        let (Some(&(_, before)), Some(&(_, c)), Some(&(_, next))) =
            (chars.get(k - 1), chars.get(k), chars.get(k + 1))
        else {
            continue;
        };
        let to = match c {
            '。' if before.is_ascii_digit() && next.is_ascii_digit() => '.',
            '方' if before.is_ascii_digit() && next == '元' => '万',
            _ => continue,
        };
        if let Some(slot) = changed.get_mut(k) {
            *slot = Some(to);
        }
    }
    if changed.iter().all(Option::is_none) {
        return;
    }
    let mut texts = vec![String::new(); words.len()];
    for (&(w, c), to) in chars.iter().zip(changed) {
        if let Some(t) = texts.get_mut(w) {
            t.push(to.unwrap_or(c));
        }
    }
    for (word, text) in words.iter_mut().zip(texts) {
        word.text = text;
    }
}

/// Mends every word and line, then marks the doubtful numbers: a number (its digits, over
/// the words of a line that touch one another's digits) any of whose words the engine gave
/// less than `min_conf` becomes one [`DOUBT`] per word. Returns how many words were marked.
pub fn clean(words: &mut [OcrWord], min_conf: f32) -> usize {
    for w in words.iter_mut() {
        w.text = mend_word(&w.text);
    }
    let mut marked = 0;
    let mut start = 0;
    while start < words.len() {
        let key = words.get(start).map(|w| w.line);
        let end = (start..words.len())
            .find(|&k| words.get(k).map(|w| w.line) != key)
            .unwrap_or(words.len());
        if let Some(line) = words.get_mut(start..end) {
            let mut refs: Vec<&mut OcrWord> = line.iter_mut().collect();
            mend_line(&mut refs);
            marked += mark_doubts(line, min_conf);
        }
        start = end;
    }
    marked
}

/// Marks the doubtful numbers of one line.
fn mark_doubts(line: &mut [OcrWord], min_conf: f32) -> usize {
    let has_digit = |w: &OcrWord| w.text.chars().any(|c| c.is_ascii_digit());
    // The engine reads a percent sign `%` as `%6` or `9%6`, and which digits are its own
    // cannot be told: a digit after `%` (never written) makes the number doubtful too.
    // Its models have no `≥` or `≤` (forms write `≥95%` far more often than `>95%`) and
    // read them as `>` and `<`: a number after either is doubtful, its comparison unknown.
    let misread = |w: &OcrWord| {
        let chars: Vec<char> = w.text.chars().collect();
        chars
            .windows(2)
            .any(|p| matches!(p, ['%' | '>' | '<', d] if d.is_ascii_digit()))
    };
    let mut doubtful: Vec<bool> = line
        .iter()
        .map(|w| has_digit(w) && (w.conf < min_conf || misread(w)))
        .collect();
    // A number spread over words is doubtful as a whole: spread the doubt over words whose
    // digits touch (the last character of one, the first of the next).
    let touching = |a: &OcrWord, b: &OcrWord| {
        let end = a.text.chars().last().is_some_and(numeric);
        let start = b.text.chars().next().is_some_and(numeric);
        end && start && (has_digit(a) || has_digit(b))
    };
    for _ in 0..2 {
        for k in 1..line.len() {
            let (Some(a), Some(b)) = (line.get(k - 1), line.get(k)) else {
                continue;
            };
            if touching(a, b) {
                let either = doubtful.get(k - 1).copied().unwrap_or(false)
                    || doubtful.get(k).copied().unwrap_or(false);
                for i in [k - 1, k] {
                    if let Some(d) = doubtful.get_mut(i) {
                        *d |= either;
                    }
                }
            }
        }
    }
    let mut marked = 0;
    for (w, d) in line.iter_mut().zip(doubtful) {
        if d {
            w.text = without_numbers(&w.text);
            marked += 1;
        }
    }
    marked
}

/// A character of a written number (digits, its point, comma and percent).
fn numeric(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | '%')
}

/// Each run of number characters holding a digit as one [`DOUBT`].
fn without_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().any(|c| c.is_ascii_digit()) {
            out.push(DOUBT);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if numeric(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(line: u32, text: &str, conf: f32) -> OcrWord {
        super::super::tsv::test_word(line, 0, text, conf)
    }

    fn texts(words: &[OcrWord]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn letters_among_digits_become_digits() {
        assert_eq!(mend_word("2O23"), "2023");
        assert_eq!(mend_word("l00万元"), "100万元");
        assert_eq!(mend_word("1485．7６"), "1485.76");
        assert_eq!(mend_word("98.5|%"), "98.51%");
        // Not inside a number, or after a Latin letter: left alone.
        assert_eq!(mend_word("IO"), "IO");
        assert_eq!(mend_word("No.1"), "No.1");
        assert_eq!(mend_word("Iol部"), "Iol部");
    }

    #[test]
    fn a_line_mends_points_and_wan() {
        let mut w = vec![
            word(1, "25", 95.0),
            word(1, "方", 90.0),
            word(1, "元", 90.0),
            word(1, "3。5", 95.0),
            word(1, "地方", 90.0),
            word(2, "方元", 90.0),
        ];
        assert_eq!(clean(&mut w, MIN_CONFIDENCE), 0);
        assert_eq!(texts(&w), ["25", "万", "元", "3.5", "地方", "方元"]);
    }

    #[test]
    fn a_doubtful_number_is_not_read_whole() {
        let mut w = vec![
            word(1, "支出", 40.0),
            word(1, "1485", 95.0),
            word(1, ".76", 41.0),
            word(1, "万元", 90.0),
            word(1, "80", 95.0),
            word(2, "2023年", 30.0),
            word(3, "1009%6", 95.0),
            word(4, ">10", 95.0),
            word(4, "万元", 95.0),
        ];
        assert_eq!(clean(&mut w, MIN_CONFIDENCE), 5);
        let d = DOUBT.to_string();
        assert_eq!(
            texts(&w),
            [
                "支出",
                d.as_str(),
                d.as_str(),
                "万元",
                "80",
                &format!("{d}年"),
                d.as_str(),
                &format!(">{d}"),
                "万元"
            ]
        );
    }
}
