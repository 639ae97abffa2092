//! Traditional characters made simplified, by OpenCC's character table (`fast2s`).
//!
//! `fast2s::convert` looks every character up in three hash maps and copies the text, also
//! when nothing in it is traditional, which is almost always: the gate and the traditional-copy
//! test convert every line of every document, and that was a fifteenth of a run. Here a text
//! is first tested against a bit set of the characters the table can change, and only a text
//! holding one goes through `fast2s` (whole, so its word contexts still apply).

use std::borrow::Cow;
use std::sync::LazyLock;

/// Characters `fast2s` may turn into others next to certain neighbours (`看著`, `苧麻`) and
/// leaves alone by themselves, so that testing each character alone does not find them: the
/// keys of fast2s 0.3's `T2S_SPECIAL_CONVERT_TYPE` that it does not convert alone. A
/// character too many here only costs a call to `fast2s`.
const CHANGED_IN_CONTEXT: [char; 3] = ['藉', '著', '苧'];

/// One bit per character of U+0000–U+FFFF: whether `fast2s` may change it. Its table holds
/// three-byte characters only (U+0800–U+FFFF), so four-byte characters never change.
static CONVERTIBLE: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    let alone = (0x800..=0xFFFFu32).filter_map(char::from_u32).filter(|c| {
        let s = c.to_string();
        fast2s::convert(&s) != s
    });
    for c in alone.chain(CHANGED_IN_CONTEXT) {
        let i = c as usize;
        if let Some(word) = bits.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }
    bits
});

/// Whether `fast2s` may change `c`, in some context (`bits` is [`CONVERTIBLE`]).
fn convertible(bits: &[u64], c: char) -> bool {
    let i = c as usize;
    bits.get(i / 64)
        .is_some_and(|word| word & (1 << (i % 64)) != 0)
}

/// Text with traditional characters made simplified (`衡山縣貫塘鄉` → `衡山县贯塘乡`), by
/// OpenCC's tables (`fast2s`); text that is simplified already comes back as it was
/// (borrowed).
pub fn simplified(text: &str) -> Cow<'_, str> {
    let bits = CONVERTIBLE.as_slice();
    if text.is_ascii() || !text.chars().any(|c| convertible(bits, c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(fast2s::convert(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_are_made_simplified() {
        assert_eq!(simplified("衡山縣貫塘鄉"), "衡山县贯塘乡");
        assert_eq!(simplified("預算執行率"), "预算执行率");
    }

    #[test]
    fn simplified_text_is_borrowed() {
        for text in [
            "",
            "ascii 12.5",
            "部门整体支出绩效自评报告",
            "预算执行率95%（万元）",
            "𠀀",
        ] {
            assert!(
                matches!(simplified(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    /// The bit set only decides whether to call `fast2s`: every text comes out as
    /// `fast2s::convert` makes it, with and without traditional characters, words whose
    /// conversion depends on the neighbours (`乾隆`, `批覆`, `計畫`) included.
    #[test]
    fn the_result_is_fast2s_s() {
        let texts = [
            "衡山縣人民政府關於2023年度項目支出績效自評的報告",
            "乾隆年間，批覆文件；慰藉，計畫與企畫，闔家，鍾書，校讎",
            "部门整体支出绩效自评报告：预算执行率为98.5%，得分10分",
            "服務(wù)項(xiàng)目 預(yù)算數(shù)",
            "混合：一般公共預算 与 一般公共预算",
            // The characters that change only beside certain neighbours, beside them.
            "藉口，憑藉，看著，苧麻，显著",
        ];
        for text in texts {
            assert_eq!(simplified(text), fast2s::convert(text), "{text}");
        }
    }
}
