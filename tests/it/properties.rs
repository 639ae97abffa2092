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
            let _ = jixiao::recover::dump::parse(&d.text);
        }
    }

    #[test]
    fn tab_tables_never_panic(lines in proptest::collection::vec("(\t)?[a-z一二（）\u{3000} ]{0,6}", 0..40)) {
        let text = lines.join("\n");
        let _ = jixiao::recover::dump::parse(&text);
    }

    #[test]
    fn docx_reader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = jixiao::source::load_bytes(&bytes, "x.docx");
    }
}

/// The 一级指标 headings a generated table uses, and cells of every other kind.
const LEVEL1: &[&str] = &[
    "产出指标\n(50分)",
    "效益指标（30分）",
    "满意度指标",
    "成本指标",
    "投入",
    "过程",
];
const OTHER: &[&str] = &[
    "",
    "数量指标",
    "质量指标",
    "经济效益指标",
    "改厕",
    "耕地恢复",
    "90座",
    "≥95%",
    "2",
    "10",
    "良好",
    "按计划完成",
    "　",
];
const HEADER: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因",
];

fn arb_table() -> impl Strategy<Value = jixiao::document::Table> {
    let header = Just(HEADER.to_vec()).prop_shuffle();
    let cell = prop_oneof![
        3 => proptest::sample::select(OTHER).prop_map(str::to_string),
        1 => proptest::sample::select(LEVEL1).prop_map(str::to_string),
    ];
    let row = proptest::collection::vec(cell, 0..10);
    (header, proptest::collection::vec(row, 0..25), any::<bool>()).prop_map(|(h, rows, lead)| {
        let mut grid: Vec<Vec<jixiao::document::Cell>> = Vec::new();
        let head: Vec<&str> = if lead {
            std::iter::once("绩效指标").chain(h).collect()
        } else {
            h
        };
        grid.push(head.into_iter().map(jixiao::document::Cell::text).collect());
        for r in rows {
            grid.push(r.into_iter().map(jixiao::document::Cell::text).collect());
        }
        jixiao::document::Table {
            index: 1,
            rows: grid,
            spaced: false,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Random merges (ragged rows), empty cells and reordered columns never panic and never
    /// give a row whose level1 is not a 一级指标 heading (or empty beside its points).
    #[test]
    fn indicator_rows_keep_level1_headings(t in arb_table()) {
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let allowed: Vec<String> = LEVEL1
            .iter()
            .map(|l| squash(l).split(['(', '（']).next().unwrap_or_default().to_string())
            .collect();
        for row in jixiao::extract::indicators::indicators(&t) {
            // Empty only where the level-1 cell carried its points without its words.
            prop_assert!(
                allowed.contains(&row.level1) || (row.level1.is_empty() && row.level1_weight.is_some()),
                "level1 {:?} in {:?}", row.level1, row
            );
            prop_assert!(!row.name.is_empty());
        }
    }
}
