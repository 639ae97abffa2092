//! Text normalisation shared by the rules.

/// Whether `c` is a Chinese character of the CJK Unified Ideographs block (U+4E00–U+9FFF):
/// what the rules mean by "Chinese only" in a name, a word or a decoded line.
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The text without any white space (ASCII, full-width U+3000, NBSP, line breaks): PDF-to-text
/// spacing and line breaks inside cells (`年度预\n算申请`, `编制共 117 人`) do not split words.
pub fn squash(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The byte shortcut never disagrees with removing every `char::is_whitespace`.
        #[test]
        fn same_as_filtering_every_space(s in "\\PC*|[ \\t\\n\u{3000}\u{a0}\u{2028}\u{1680}\u{85}a一、“]*") {
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(super::squash(&s), want);
        }
    }

    #[test]
    fn removes_every_kind_of_space() {
        assert_eq!(
            super::squash("年度预\n算 申\u{3000}请\u{a0}"),
            "年度预算申请"
        );
    }
}
