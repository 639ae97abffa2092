//! The lines of one paragraph joined again. A PDF's text saved as a `.txt` dump keeps the
//! page's line breaks: `……本年度支出合计864.2` / `万元，其中基本支出……` would be two
//! paragraphs, and a label and its amount, a name and its 乡镇, fall on either side. The PDF
//! reader joins them by the lines' geometry; a text dump has only the lines' widths:
//!
//! - a dump is hard-wrapped when many of its prose lines end at one right margin (a document
//!   saved with its paragraphs whole has as many line lengths as paragraphs);
//! - a line is broken by that margin when the next line's first word would not have fitted
//!   on it; a paragraph's last line ends short of the margin or with its sentence (`。`), and
//!   the next line then stays a paragraph of its own, as does one that opens an item (`一、`
//!   `（二）` `3.`), is indented, or is not prose. A sentence that happens to end at the margin
//!   inside a paragraph splits it there: the rules read sentences, and at worst the part after
//!   loses the paragraph's opening words as its topic (an empty value, never a wrong one).

use crate::normalize::text::{char_width, display_width, opens_item};

/// Lines ending this many columns (two Chinese characters) short of the margin still reach
/// it: a line may not begin with `，。）`, so the character before one moves down with it.
const SLACK: usize = 4;
/// Full lines a dump needs before it is taken for hard-wrapped.
const MIN_FULL: usize = 5;
/// The margins a page can have, in columns: 20 to 100 Chinese characters a line.
const MARGIN: std::ops::RangeInclusive<usize> = 40..=200;
/// Lines wider than the margin a wrapped dump may still hold (a title, a URL).
const OUTLIERS: usize = 2;

/// The right margin of a hard-wrapped dump, in columns, or `None` when its paragraphs were
/// saved whole. `prose` picks the lines that are running text (not table rows or cells).
pub fn margin(lines: &[&str], prose: impl Fn(&str) -> bool) -> Option<usize> {
    let mut widths: Vec<usize> = lines
        .iter()
        .filter(|l| prose(l))
        .map(|l| display_width(l.trim_end()))
        .filter(|w| *w >= 2 * SLACK)
        .collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    widths
        .iter()
        .take(OUTLIERS + 1)
        .copied()
        .filter(|w| MARGIN.contains(w))
        .find(|&w| {
            let full = widths
                .iter()
                .filter(|x| **x <= w && **x + SLACK >= w)
                .count();
            // Most lines of half the margin or more end at it.
            let long = widths.iter().filter(|x| 2 * **x >= w).count();
            full >= MIN_FULL && 2 * full >= long
        })
}

/// Whether `line` was broken at the margin: it reaches it, or the first word of `next` would
/// have passed it, and it does not end a sentence.
pub fn runs_on(line: &str, next: &str, margin: usize) -> bool {
    let w = display_width(line.trim_end());
    let first_word: usize = next
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '%' | ',' | '-'))
        .map(char_width)
        .sum();
    let first = first_word.max(next.chars().next().map_or(0, char_width));
    // A paragraph ends with its sentence: a last line that nearly reaches the margin
    // (most do end in `。`) is not run on into the next paragraph.
    let ends_sentence = line.trim_end().ends_with(['。', '！', '？', '!', '?']);
    w <= margin
        && !ends_sentence
        && w + first + SLACK > margin
        && display_width(next.trim_end()) <= margin
        && !next.starts_with(char::is_whitespace)
        && !opens_item(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::text::join;

    /// A paragraph wrapped at `cols` columns, never inside an ASCII word.
    fn wrap(text: &str, cols: usize) -> Vec<String> {
        let mut lines = vec![String::new()];
        let words = text.split_inclusive(|c: char| !c.is_ascii_alphanumeric() && c != '.');
        for word in words {
            let last = lines.last_mut().unwrap();
            if display_width(last) + display_width(word) > cols {
                lines.push(String::new());
            }
            lines.last_mut().unwrap().push_str(word);
        }
        lines
    }

    const PARAGRAPH: &str = "本年度收入合计864.2万元，其中财政拨款收入800.15万元，其他收入64.05万元。本年度支出合计864.2万元，其中基本支出700.12万元，项目支出164.08万元，主要用于乡村振兴和基层治理。";

    #[test]
    fn a_wrapped_dump_is_told_from_one_saved_whole() {
        let mut wrapped = Vec::new();
        for _ in 0..3 {
            wrapped.extend(wrap(PARAGRAPH, 60));
        }
        let lines: Vec<&str> = wrapped.iter().map(String::as_str).collect();
        assert_eq!(margin(&lines, |_| true), Some(60));
        // Paragraphs saved whole: every line its own length.
        let whole: Vec<String> = (1..8).map(|n| PARAGRAPH.repeat(n)).collect();
        let lines: Vec<&str> = whole.iter().map(String::as_str).collect();
        assert_eq!(margin(&lines, |_| true), None);
    }

    #[test]
    fn lines_run_on_until_a_short_one() {
        let lines = wrap(PARAGRAPH, 60);
        let last = lines.len() - 1;
        for (i, pair) in lines.windows(2).enumerate() {
            assert!(runs_on(&pair[0], &pair[1], 60), "{i}: {pair:?}");
        }
        assert!(!runs_on(&lines[last], "二、绩效目标", 60));
        // A full line that ends a sentence ends the paragraph.
        let full_stop = format!("{}。", "支".repeat(29));
        assert!(!runs_on(&full_stop, "本单位", 60));
        assert!(runs_on(&"支".repeat(30), "本单位", 60));
        assert!(!runs_on(&lines[last], "本单位……", 60));
        assert!(!runs_on(&lines[0], "（一）收入", 60));
        assert!(!runs_on(&lines[0], "　　本单位", 60));
        let mut joined = String::new();
        for l in &lines {
            join(&mut joined, l);
        }
        assert_eq!(joined, PARAGRAPH);
    }
}
