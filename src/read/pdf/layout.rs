//! The text of a page outside its tables: words into lines (left to right, spaces standing
//! for the gaps between them, so columns aligned by spaces stay columns for the recover
//! stage's table rules), page furniture out, and the lines of one paragraph joined again.
//!
//! Furniture: page numbers standing alone on a line (`- 3 -`, `第3页`, `3/12`) are dropped,
//! and so are the repeats of a running header or footer (the same top or bottom line on
//! three pages or more, digits aside). Paragraphs: a line that runs to the page's right margin
//! continues on the next one, unless that one opens a new heading or item; lines holding
//! columns (runs of spaces inside) are left as they are.

use crate::normalize::text::is_han;
use crate::normalize::text::{join, opens_item};

use super::table::units;
use super::words::{in_lines, Rect, Word};

/// A line of text and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub rect: Rect,
    pub text: String,
}

/// What a page holds, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Line(Line),
    /// The table of that number (in the reader's list of tables).
    Table(usize),
}

/// What the rebuilt document holds: text for the recover stage to lay out, or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    Text(String),
    Table(usize),
}

/// The width of half an em on a page: the median width per unit ([`units`]) of its words.
fn half_em(words: &[Word]) -> f32 {
    let mut w: Vec<f32> = words
        .iter()
        .filter_map(|w| {
            let n: usize = w.text.chars().map(units).sum();
            (n >= 2).then(|| w.rect.width() / n as f32)
        })
        .filter(|w| *w > 0.0)
        .collect();
    w.sort_by(f32::total_cmp);
    w.get(w.len() / 2).copied().unwrap_or(5.0)
}

/// Words in lines, top to bottom; within a line, words are separated by as many spaces as
/// half-ems fit in the gap between them (at least one), as `pdftotext -layout` lays them out.
pub fn lines(words: Vec<Word>) -> Vec<Line> {
    let u = half_em(&words);
    let left = words
        .iter()
        .map(|w| w.rect.x0)
        .fold(f32::INFINITY, f32::min);
    in_lines(words)
        .into_iter()
        .map(|mut g| {
            // Right to left where most words are Arabic or Hebrew.
            let rtl = 2 * g.iter().filter(|w| is_rtl(&w.text)).count() > g.len();
            if rtl {
                g.reverse();
            }
            let mut text = String::new();
            let mut rect: Option<Rect> = None;
            for w in &g {
                let gap = match rect {
                    None if rtl => 0.0,
                    None => w.rect.x0 - left,
                    Some(r) if rtl => r.x0 - w.rect.x1,
                    Some(r) => w.rect.x0 - r.x1,
                };
                let spaces = (gap / u).round().clamp(0.0, 400.0) as usize;
                // Between two words at least one space, but none where they touch (poppler
                // splits at a change of font), nor where a Chinese character meets a word
                // across less than half an em: the gap of a change of font
                // (`支出 97.06 万元` was written `支出97.06万元`).
                let han_side = text.chars().last().is_some_and(is_han)
                    || w.text.chars().next().is_some_and(is_han);
                let touching = gap < 0.15 * w.rect.height();
                let spaces = match rect {
                    None => spaces,
                    Some(_) if touching || (han_side && gap < u) => 0,
                    Some(_) => spaces.max(1),
                };
                text.extend(std::iter::repeat_n(' ', spaces));
                if rtl {
                    // Poppler gives a right-to-left word's letters in the order drawn.
                    text.extend(w.text.chars().rev());
                } else {
                    text.push_str(&w.text);
                }
                rect = Some(rect.map_or(w.rect, |r| r.union(&w.rect)));
            }
            let text = unmojibake(&text).unwrap_or(text);
            Line {
                rect: rect.unwrap_or_default(),
                text,
            }
        })
        .collect()
}

/// A word in a right-to-left script (Hebrew, Arabic and their presentation forms).
fn is_rtl(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// A line of GBK bytes that the engine read as Windows-1252 (a Chinese font that is not
/// embedded and has no map to Unicode: `¹ØÓÚ` for 关于), decoded again as GB18030. Only a
/// line made wholly of such characters, at least four of them high, and that decodes without
/// a single error into text with Chinese in it, is changed.
pub fn unmojibake(line: &str) -> Option<String> {
    let high = line.chars().filter(|&c| c as u32 >= 0xA1).count();
    if high < 4 {
        return None;
    }
    // The engine prints the soft hyphen 0xAD (a common GBK trail byte) as `-`: a `-` that
    // stands where a trail byte is due is taken back as 0xAD.
    let mut bytes = Vec::with_capacity(line.len());
    let mut run = 0usize;
    for c in line.chars() {
        let mut one = [0u8; 4];
        let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut one));
        if unmappable {
            return None;
        }
        let byte = match b.as_ref() {
            [b'-'] if run % 2 == 1 => 0xAD,
            [x] => *x,
            _ => return None,
        };
        run = if byte >= 0x81 { run + 1 } else { 0 };
        bytes.push(byte);
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    let chinese = text.chars().filter(|&c| is_han(c)).count();
    (!had_errors && chinese >= 2).then(|| text.into_owned())
}

/// A line that is only a page number.
fn is_page_number(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let core = t
        .trim_matches(|c| matches!(c, '-' | '—' | '–' | '－'))
        .trim_start_matches('第')
        .trim_end_matches('页');
    let core = core.split(['页', '/']).next().unwrap_or(core);
    !t.is_empty() && !core.is_empty() && core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit())
}

/// A line holding columns: a run of three or more spaces between words.
fn is_columns(line: &str) -> bool {
    line.trim().contains("   ")
}

/// Runs of spaces as one space, ends trimmed (the text of a cell, whose columns are its own).
pub fn squeeze_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// A running header or footer's identity: its text with spaces out and digits as `#`
/// (`第3页` and `第4页`, a date that changes, are the same furniture).
fn furniture_key(line: &str) -> String {
    line.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// The page's lines, with their positions among its items.
fn page_lines(page: &[Item]) -> impl DoubleEndedIterator<Item = (usize, &Line)> {
    page.iter().enumerate().filter_map(|(i, it)| match it {
        Item::Line(l) => Some((i, l)),
        Item::Table(_) => None,
    })
}

/// Where the top and bottom lines of a page are (the first and last that are not blank or a
/// page number).
fn edges(page: &[Item]) -> [Option<usize>; 2] {
    let mut text = page_lines(page)
        .filter(|(_, l)| !l.text.trim().is_empty() && !is_page_number(&l.text))
        .map(|(i, _)| i);
    let top = text.next();
    [top, text.next_back()]
}

fn line_at(page: &[Item], i: usize) -> Option<&Line> {
    match page.get(i) {
        Some(Item::Line(l)) => Some(l),
        _ => None,
    }
}

/// Running headers and footers: a page's top (or bottom) line that stands at the top (or
/// bottom) of at least [`RUNNING_PAGES`] pages and of half of them. Their first appearance
/// stays (a banner may be the only place a unit is named); the repeats are dropped. Counted
/// in a sorted map, so two lines that tie (each on half the pages) are decided the same way
/// on every run.
fn running(pages: &[Vec<Item>]) -> [Option<String>; 2] {
    [0, 1].map(|edge| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for page in pages {
            let line = edges(page)
                .get(edge)
                .copied()
                .flatten()
                .and_then(|i| line_at(page, i));
            if let Some(line) = line {
                *counts.entry(furniture_key(&line.text)).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .filter(|(k, n)| !k.is_empty() && *n >= RUNNING_PAGES && 2 * n >= pages.len())
            .max_by_key(|(_, n)| *n)
            .map(|(k, _)| k)
    })
}

/// Pages a line must head (or foot) to be a running header (or footer).
const RUNNING_PAGES: usize = 3;

/// Page furniture out, paragraph lines joined (over a page break too), columns kept, tables
/// where they stand; pages separated by a blank line.
pub fn rebuild(pages: &[Vec<Item>]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut out = String::new();
    let furniture = running(pages);
    let mut seen = [false, false];
    // A paragraph may run on over a page break: it stays open while its last line is full.
    let mut para = String::new();
    let mut full = false;
    let flush = |para: &mut String, out: &mut String| {
        if !para.is_empty() {
            out.push_str(para);
            out.push('\n');
            para.clear();
        }
    };
    for page in pages {
        // The edge lines that repeat running furniture seen on an earlier page.
        let mut repeats = [None, None];
        for (((key, at), seen), repeat) in furniture
            .iter()
            .zip(edges(page))
            .zip(seen.iter_mut())
            .zip(repeats.iter_mut())
        {
            let line = at.and_then(|i| line_at(page, i));
            if key.is_some() && line.map(|l| furniture_key(&l.text)).as_ref() == key.as_ref() {
                if *seen {
                    *repeat = at;
                }
                *seen = true;
            }
        }
        let items: Vec<&Item> = page
            .iter()
            .enumerate()
            .filter(|(i, it)| {
                !repeats.contains(&Some(*i))
                    && !matches!(it, Item::Line(l) if is_page_number(&l.text))
            })
            .map(|(_, it)| it)
            .collect();
        // The margins: the outer edges of the page's prose lines.
        let prose = || {
            items.iter().filter_map(|it| match it {
                Item::Line(l) if !is_columns(&l.text) => Some(l.rect),
                _ => None,
            })
        };
        let right = prose().map(|r| r.x1).fold(0.0, f32::max);
        let left = prose().map(|r| r.x0).fold(f32::INFINITY, f32::min);
        // The bottom of the page's last line so far.
        let mut below: Option<f32> = None;
        for item in items {
            let line = match item {
                Item::Table(k) => {
                    flush(&mut para, &mut out);
                    if !out.is_empty() {
                        chunks.push(Chunk::Text(std::mem::take(&mut out)));
                    }
                    chunks.push(Chunk::Table(*k));
                    full = false;
                    continue;
                }
                Item::Line(l) => l,
            };
            let t = line.text.trim();
            if t.is_empty() || is_columns(&line.text) {
                flush(&mut para, &mut out);
                if !t.is_empty() {
                    out.push_str(&line.text);
                }
                out.push('\n');
                full = false;
                continue;
            }
            // The next line of a paragraph stands close under the last (a footer far below a
            // full last line is no continuation); over a page break it opens the page.
            let close = below.is_none_or(|y1| line.rect.y0 - y1 <= 1.2 * line.rect.height());
            if !para.is_empty() && full && close && !opens_item(t) {
                join(&mut para, t);
            } else {
                flush(&mut para, &mut out);
                para = t.to_string();
            }
            // Within two characters of the margin, on a page of wide lines: the line was
            // broken by the page width.
            let em = line.rect.height();
            full = line.rect.x1 + 2.0 * em >= right && right - left >= 20.0 * em;
            below = Some(line.rect.y1);
        }
        if !full {
            flush(&mut para, &mut out);
            out.push('\n');
        }
    }
    flush(&mut para, &mut out);
    if !out.trim().is_empty() {
        chunks.push(Chunk::Text(out));
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of lines of 10-point characters, one line every 20 points, from x = 50.
    fn page(lines: &[&str]) -> Vec<Item> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let n: usize = t.chars().map(units).sum();
                let y0 = 20.0 * i as f32;
                Item::Line(Line {
                    rect: Rect {
                        x0: 50.0,
                        y0,
                        x1: 50.0 + 5.0 * n as f32,
                        y1: y0 + 10.0,
                    },
                    text: t.to_string(),
                })
            })
            .collect()
    }

    fn text_lines(chunks: &[Chunk]) -> Vec<String> {
        chunks
            .iter()
            .flat_map(|c| match c {
                Chunk::Text(t) => t
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from)
                    .collect(),
                Chunk::Table(k) => vec![format!("[table {k}]")],
            })
            .collect()
    }

    #[test]
    fn words_make_lines_with_spaces_for_gaps() {
        let w = |x0: f32, y0: f32, t: &str| {
            let n: usize = t.chars().map(units).sum();
            Word {
                rect: Rect {
                    x0,
                    y0,
                    x1: x0 + 5.0 * n as f32,
                    y1: y0 + 10.0,
                },
                text: t.into(),
            }
        };
        let ls = lines(vec![
            w(150.0, 1.0, "9.84"),
            w(50.0, 0.0, "三公经费："),
            w(50.0, 20.0, "共设置"),
            w(82.0, 20.0, "6"),
            w(89.0, 20.0, "个内设机构"),
            w(50.0, 40.0, "2.5"),
            w(68.0, 40.0, "GDP"),
            // Touching words (GBK read as Latin-1, a character a word) join, and decode.
            w(50.0, 60.0, "¹Ø"),
            w(60.0, 60.0, "ÓÚ"),
        ]);
        let texts: Vec<&str> = ls.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "三公经费：          9.84",
                "共设置6个内设机构",
                "2.5 GDP",
                "关于"
            ]
        );
        // Arabic reads from the right; poppler gives its letters as drawn, left to right.
        let ls = lines(vec![w(50.0, 0.0, "عاﻮﻧا"), w(90.0, 0.0, "طﻮﻄﳋا")]);
        assert_eq!(ls[0].text, "اﳋﻄﻮط اﻧﻮاع");
    }

    #[test]
    fn gbk_read_as_latin1_is_decoded_again() {
        assert_eq!(
            unmojibake("¹ØÓÚºì¾ü×÷Õ½µÄÔ\u{AD}Ôò").as_deref(),
            Some("关于红军作战的原则")
        );
        // The soft hyphen as the engine prints it.
        assert_eq!(unmojibake("µÄÔ-Ôò").as_deref(), Some("的原则"));
        assert_eq!(unmojibake("plain text"), None);
        assert_eq!(unmojibake("北山镇 2023"), None);
        assert_eq!(unmojibake("Café crème brûlée"), None);
    }

    #[test]
    fn page_numbers_are_furniture() {
        for l in ["- 3 -", "  12  ", "第3页", "3/12", "—1—", "第 2 页 共 9 页"] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["2023", "3.5万元", "一、基本情况", ""] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn running_headers_and_footers_stay_once() {
        let header = "某某县财政局 2023年度部门整体支出绩效自评报告";
        let p = |n: usize, body: &str| {
            let footer = format!("内部资料 第{n}页 共4页");
            let mut items = page(&[header, body, &footer]);
            // The footer at the foot of the page.
            if let Some(Item::Line(l)) = items.last_mut() {
                l.rect.y0 = 800.0;
                l.rect.y1 = 810.0;
            }
            items
        };
        let pages = [
            p(1, "一、基本情况"),
            p(
                2,
                "二、某某县财政局 2023年度部门整体支出绩效自评报告所列收支",
            ),
            p(3, "三、存在的问题"),
            p(4, "四、改进措施"),
        ];
        assert_eq!(
            text_lines(&rebuild(&pages)),
            [
                header,
                "一、基本情况",
                "内部资料 第1页 共4页",
                "二、某某县财政局 2023年度部门整体支出绩效自评报告所列收支",
                "三、存在的问题",
                "四、改进措施",
            ]
        );
        // Two pages are no pattern: nothing is dropped.
        assert_eq!(text_lines(&rebuild(&pages[..2])).len(), 6);
    }

    #[test]
    fn paragraph_lines_are_joined_and_items_columns_and_tables_kept_apart() {
        let mut first = page(&[
            "（一）基本情况",
            "1.机构设置情况。北山镇人民政府单位内设机构包括：根据上级文件要求共设置 6",
            "个内设机构、1 个执法机构。",
            "2.人员编制情况。编制人数 114 人。",
            "三公经费：             9.84     11       9.73",
        ]);
        first.push(Item::Table(0));
        let second = page(&["- 2 -", "下一页"]);
        assert_eq!(
            text_lines(&rebuild(&[first, second])),
            [
                "（一）基本情况",
                "1.机构设置情况。北山镇人民政府单位内设机构包括：根据上级文件要求共设置 6个内设机构、1 个执法机构。",
                "2.人员编制情况。编制人数 114 人。",
                "三公经费：             9.84     11       9.73",
                "[table 0]",
                "下一页",
            ]
        );
    }
}
