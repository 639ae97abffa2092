//! Property tests for the readers and the scanner: arbitrary input never panics, and the
//! scanner's offsets are always on character boundaries and in order.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn scanner_offsets_are_ordered_char_ranges(text in "[0-9０-９一二三四五六七八九十百千万亿两零点余多约超过以上%％.,，、（）元人亩分之第 a-z\\PC]{0,60}") {
        let n = text.chars().count();
        let mut last = 0;
        for m in jixiao::normalize::numbers::scan(&text) {
            prop_assert!(m.start < m.end && m.end <= n, "{m:?} in {text:?}");
            prop_assert!(m.start >= last);
            let slice: String = text.chars().skip(m.start).take(m.end - m.start).collect();
            prop_assert_eq!(slice, m.text.clone());
            last = m.end;
        }
    }

    #[test]
    fn text_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(d) = jixiao::read::text::decode(&bytes) {
            let _ = jixiao::read::text::parse(&d.text);
        }
    }

    #[test]
    fn tab_tables_never_panic(lines in proptest::collection::vec("(\t)?[a-z一二（）\u{3000} ]{0,6}", 0..40)) {
        let text = lines.join("\n");
        let _ = jixiao::read::text::parse(&text);
    }

    #[test]
    fn docx_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = jixiao::source::load_bytes(&bytes, "x.docx");
    }
}
