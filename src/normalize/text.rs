//! Text normalisation shared by the rules.

use std::borrow::Cow;

/// Whether `c` is a Chinese character of the CJK Unified Ideographs block (U+4E00–U+9FFF):
/// what the rules mean by "Chinese only" in a name, a word or a decoded line.
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A character's width in columns: two for a wide one (CJK, Hangul, full-width forms), one
/// for the rest. What a page's line length and a spreadsheet column are measured in, whatever
/// the font.
pub fn char_width(c: char) -> usize {
    let wide = ('\u{2e80}'..='\u{a4cf}').contains(&c)
        || ('\u{ac00}'..='\u{d7a3}').contains(&c)
        || ('\u{f900}'..='\u{faff}').contains(&c)
        || ('\u{fe30}'..='\u{fe4f}').contains(&c)
        || ('\u{ff00}'..='\u{ff60}').contains(&c)
        || ('\u{ffe0}'..='\u{ffe6}').contains(&c)
        || ('\u{20000}'..='\u{3fffd}').contains(&c);
    if wide {
        2
    } else {
        1
    }
}

/// A text's width in columns ([`char_width`]).
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// A full-width digit, Latin letter or number sign (`．％＋－＞＜＝／`) as its ASCII form:
/// `２０２３年度`, `９５％` and `１２．５万元` are typed that way in many reports. The
/// full-width punctuation of Chinese prose (`，：；（）`) is kept: it is how the text is written,
/// and the rules already read both forms of it.
pub fn fold_width(c: char) -> char {
    match c {
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '．'
        | '％'
        | '＋'
        | '－'
        | '＞'
        | '＜'
        | '＝'
        | '／' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// An ASCII or full-width digit.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Whether `s` holds a digit ([`is_digit`]); bytes are tested first, and characters decoded
/// only when `s` has a full-width one.
pub fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        || (s.as_bytes().contains(&0xEF) && s.chars().any(is_digit))
}

/// `s` with [`fold_width`] applied, and a full-width comma between full-width digits read as a
/// thousands separator (`４，５６５` → `4,565`; between other characters it is prose). One
/// character for one, so character offsets into `s` hold in the result. Borrowed when nothing
/// folds: every character of the full-width block is encoded from lead byte 0xEF (a byte no
/// other character contains), so only those are decoded, and the text between them is copied
/// as it is (Chinese prose has a full-width comma or bracket in most lines, and decoding every
/// character of it was a tenth of a run).
pub fn fold_widths(s: &str) -> Cow<'_, str> {
    let wide = |c: Option<char>| c.is_some_and(|c| ('０'..='９').contains(&c));
    let mut out = String::new();
    let mut copied = 0;
    for i in memchr::memchr_iter(0xEF, s.as_bytes()) {
        let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
            continue;
        };
        let end = i + c.len_utf8();
        let folded = if c == '，' {
            let prev = s.get(..i).and_then(|t| t.chars().next_back());
            let next = s.get(end..).and_then(|t| t.chars().next());
            if wide(prev) && wide(next) {
                ','
            } else {
                c
            }
        } else {
            fold_width(c)
        };
        if folded != c {
            if out.is_empty() {
                out.reserve(s.len());
            }
            out.push_str(s.get(copied..i).unwrap_or_default());
            out.push(folded);
            copied = end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(s.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// `s` without the invisible format characters web pages and editors leave inside words: soft
/// hyphen U+00AD, zero-width space, joiners and direction marks U+200B–U+200F, embeddings
/// U+202A–U+202E, word joiner and invisible operators U+2060–U+2064, and U+FEFF (a byte order
/// mark inside text, where files were joined). One of them inside `编制数` or `864.2` hides
/// the word or splits the number. Borrowed when `s` has none (tested on the bytes).
pub fn without_invisible(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let starts_invisible = |i: usize| {
        matches!(
            (b.get(i), b.get(i + 1), b.get(i + 2)),
            (Some(0xC2), Some(0xAD), _)
                | (Some(0xE2), Some(0x80), Some(0x8B..=0x8F | 0xAA..=0xAE))
                | (Some(0xE2), Some(0x81), Some(0xA0..=0xA4))
                | (Some(0xEF), Some(0xBB), Some(0xBF))
        )
    };
    let Some(first) = (0..b.len()).find(|&i| starts_invisible(i)) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(s.get(..first).unwrap_or_default());
    let mut rest = s.get(first..).unwrap_or_default();
    while let Some(c) = rest.chars().next() {
        if !is_invisible(c) {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    Cow::Owned(out)
}

/// The characters [`without_invisible`] removes.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// The text as the rules read it: without any white space (ASCII, full-width U+3000, NBSP,
/// line breaks), so PDF-to-text spacing and line breaks inside cells (`年度预\n算申请`,
/// `编制共 117 人`) do not split words, and with full-width digits and letters folded
/// ([`fold_widths`]), so `２０２３年度` is a year.
pub fn squash(s: &str) -> String {
    let out = squash_spaces(s);
    match fold_widths(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(folded) => folded,
    }
}

/// [`squash`]'s first half: every white-space character removed.
fn squash_spaces(s: &str) -> String {
    // Squash runs over every cell several times: it tests bytes, and decodes a character only
    // where a byte can begin a space (decoding them all was a tenth of extraction).
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if i < run || !may_start_space(b) {
            continue;
        }
        if let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
            if c.is_whitespace() {
                out.push_str(s.get(run..i).unwrap_or_default());
                run = i + c.len_utf8();
            }
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out
}

/// Whether a UTF-8 byte can begin a white-space character: ASCII controls 9–13 and space,
/// or the lead byte of U+0085/U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3).
fn may_start_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// Splits `产出指标(50分)` into `产出指标` and 50.
pub fn split_points(s: &str) -> (String, Option<rust_decimal::Decimal>) {
    let text = squash(s);
    if let Some(open) = text.find(['(', '（']) {
        let inner = text.get(open..).unwrap_or("");
        if let Some(m) = crate::normalize::numbers::scan(inner)
            .into_iter()
            .find(|m| m.unit == "分")
        {
            return (text.get(..open).unwrap_or("").to_string(), Some(m.value));
        }
    }
    (text, None)
}

/// A line that opens a heading or an item (`一、` `（二）` `3.` `(4)` `附件`).
pub fn opens_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    matches!(first, '（' | '(' | '附' | '第')
        || ("一二三四五六七八九十".contains(first) && matches!(second, '、' | '是'))
        || (first.is_ascii_digit() && matches!(second, '.' | '、' | '．' | '）' | ')'))
}

/// Joins two pieces of one paragraph: no space between Chinese characters.
pub fn join(into: &mut String, next: &str) {
    let a = into.chars().last().unwrap_or(' ');
    let b = next.chars().next().unwrap_or(' ');
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        into.push(' ');
    }
    into.push_str(next);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The byte test finds exactly the characters removed.
        #[test]
        fn invisible_bytes_are_the_invisible_characters(s in "\\PC*|[a一“\u{ad}\u{200b}-\u{2010}\u{2028}-\u{202f}\u{205f}-\u{2065}\u{feff}\u{ff0c}]*") {
            let want: String = s.chars().filter(|c| !super::is_invisible(*c)).collect();
            prop_assert_eq!(super::without_invisible(&s), want);
        }

        /// The byte shortcut never disagrees with removing every `char::is_whitespace`.
        #[test]
        fn same_as_filtering_every_space(s in "\\PC*|[ \\t\\n\u{3000}\u{a0}\u{2028}\u{1680}\u{85}a一、“]*") {
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(super::squash_spaces(&s), want);
        }
    }

    #[test]
    fn folds_full_width_digits_letters_and_number_signs() {
        assert_eq!(
            super::squash("２０２３年度 预算 １２．５万元，完成率９５％，ＧＤＰ"),
            "2023年度预算12.5万元，完成率95%，GDP"
        );
        // A full-width comma is a thousands separator only between full-width digits.
        assert_eq!(super::fold_widths("４，５６５元，共３人"), "4,565元，共3人");
        // One character for one: character offsets hold.
        let s = "（一）收入：１，２３４万元";
        assert_eq!(super::fold_widths(s).chars().count(), s.chars().count());
        assert!(matches!(
            super::fold_widths("2023年"),
            std::borrow::Cow::Borrowed(_)
        ));
        // Full-width prose punctuation alone folds nothing.
        assert!(matches!(
            super::fold_widths("（一）收入，支出：合计"),
            std::borrow::Cow::Borrowed(_)
        ));
        // A comma at either end, commas in a row, letters and signs beside Chinese.
        assert_eq!(super::fold_widths("，１，，２，"), "，1，，2，");
        assert_eq!(super::fold_widths("１，２，３"), "1,2,3");
        assert_eq!(
            super::fold_widths("完成率＞９５％，ＡＢ级"),
            "完成率>95%，AB级"
        );
        assert!(super::has_digit("共９人") && super::has_digit("共9人"));
        assert!(!super::has_digit("共九人，（一）"));
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(
            super::without_invisible("编\u{200b}制数\u{feff}：8\u{ad}64.2\u{2060}万元\u{200e}"),
            "编制数：864.2万元"
        );
        let plain = "“编制数”——864.2万元，２０２３…";
        assert!(matches!(
            super::without_invisible(plain),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn removes_every_kind_of_space() {
        assert_eq!(
            super::squash("年度预\n算 申\u{3000}请\u{a0}"),
            "年度预算申请"
        );
    }
}
