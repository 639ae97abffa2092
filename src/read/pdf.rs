//! PDF → [`Document`], through poppler's `pdftotext -layout` run as a separate process (its
//! CJK maps, from `poppler-data`, decode the GBK-EUC-H / UniGB-UCS2-H fonts counties use;
//! poppler's GPL code stays out of our binary).
//!
//! From the laid-out text: lines of GBK read as Latin-1 (a Chinese font not embedded, with
//! no map to Unicode) are decoded again; page numbers standing alone on a line (`- 3 -`, `第3页`, `3/12`)
//! are page furniture and dropped, and so are the repeats of a running header or footer (the
//! same top or bottom line on three pages or more, digits aside); the lines of one paragraph are joined again (a line that
//! runs to the page's right margin continues on the next one, unless that one opens a new
//! heading or item); lines holding columns (runs of spaces inside) are left as they are, for
//! the text reader's table rules. Tables are not rebuilt from positions: where the layout
//! does not settle a cell, the text stays text.
//!
//! Refusals: no `pdftotext` → `pdf_engine_missing`; a password → `encrypted`; no text on any
//! page (scanned) → `no_text_layer`; anything else poppler cannot open → `malformed`. At most
//! [`MAX_PAGES`] pages are read, and the engine is stopped at the document time limit.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::normalize::text::is_han;

/// Pages read from one PDF (a township report and its forms run to a few dozen).
pub const MAX_PAGES: u32 = 500;
/// The engine's executable.
const ENGINE: &str = "pdftotext";

/// The text of a PDF, laid out, with paragraphs joined again.
pub fn text(bytes: &[u8], limits: &Limits) -> Result<String, ReadError> {
    let raw = run_engine(bytes, limits)?;
    if raw.chars().all(|c| c.is_whitespace() || c == '\u{0C}') {
        return Err(ReadError::new(
            Reason::NoTextLayer,
            "no page has a text layer (a scanned document?): OCR is out of scope",
        ));
    }
    Ok(rebuild(&raw))
}

fn run_engine(bytes: &[u8], limits: &Limits) -> Result<String, ReadError> {
    let mut child = Command::new(ENGINE)
        .args(["-layout", "-enc", "UTF-8", "-l"])
        .arg(MAX_PAGES.to_string())
        .args(["-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ReadError::new(
                    Reason::PdfEngineMissing,
                    "a PDF, and poppler's pdftotext is not installed (Debian: poppler-utils poppler-data)",
                )
            } else {
                ReadError::new(Reason::Io, format!("cannot start {ENGINE}: {e}"))
            }
        })?;
    // Feed stdin and drain stdout/stderr on their own threads: a pipe that fills blocks.
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(&input);
        }
    });
    let cap = limits.text_bytes as u64 * 4;
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(cap + 1).read_to_end(&mut out);
        }
        out
    });
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        out
    });
    let deadline = Instant::now() + Duration::from_secs(limits.doc_seconds);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::new(
                    Reason::TooSlow,
                    format!("{ENGINE} ran past the per-document time budget"),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(ReadError::new(Reason::Io, format!("{ENGINE}: {e}"))),
        }
    };
    let _ = feeder.join();
    let out = reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&errors.join().unwrap_or_default()).into_owned();
    if out.len() as u64 > cap {
        return Err(limits.text_too_long("the PDF's text", out.len()));
    }
    if !status.success() {
        let lower = err.to_lowercase();
        let reason = if lower.contains("password") || lower.contains("encrypt") {
            Reason::Encrypted
        } else {
            Reason::Malformed
        };
        let first = err
            .lines()
            .find(|l| l.contains("Error"))
            .or_else(|| err.lines().next())
            .unwrap_or("no message");
        return Err(ReadError::new(
            reason,
            format!("{ENGINE} could not read the PDF: {first}"),
        ));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A line of GBK bytes that the engine read as Windows-1252 (a Chinese font that is not
/// embedded and has no map to Unicode: `¹ØÓÚ` for 关于), decoded again as GB18030. Only a
/// line made wholly of such characters, at least four of them high, and that decodes without
/// a single error into text with Chinese in it, is changed.
fn unmojibake(line: &str) -> Option<String> {
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

/// A line that opens a heading or an item (`一、` `（二）` `3.` `(4)` `附件`).
fn opens_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first = chars.next().unwrap_or(' ');
    let second = chars.next().unwrap_or(' ');
    matches!(first, '（' | '(' | '附' | '第')
        || ("一二三四五六七八九十".contains(first) && matches!(second, '、' | '是'))
        || (first.is_ascii_digit() && matches!(second, '.' | '、' | '．' | '）' | ')'))
}

/// Joins two pieces of one paragraph: no space between Chinese characters.
fn join(into: &mut String, next: &str) {
    let a = into.chars().last().unwrap_or(' ');
    let b = next.chars().next().unwrap_or(' ');
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        into.push(' ');
    }
    into.push_str(next);
}

/// A running header or footer's identity: its text with spaces out and digits as `#`
/// (`第3页` and `第4页`, a date that changes, are the same furniture).
fn furniture_key(line: &str) -> String {
    line.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Where the top and bottom lines of a page are (the first and last that are not blank or a
/// page number).
fn edges(lines: &[&str]) -> [Option<usize>; 2] {
    let mut text = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !is_page_number(l))
        .map(|(i, _)| i);
    let top = text.next();
    [top, text.next_back()]
}

/// Running headers and footers: a page's top (or bottom) line that stands at the top (or
/// bottom) of at least [`RUNNING_PAGES`] pages and of half of them. Their first appearance
/// stays (a banner may be the only place a unit is named); the repeats are dropped. Counted
/// in a sorted map, so two lines that tie (each on half the pages) are decided the same way
/// on every run.
fn running(pages: &[Vec<&str>]) -> [Option<String>; 2] {
    [0, 1].map(|edge| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for page in pages {
            let line = edges(page)
                .get(edge)
                .copied()
                .flatten()
                .and_then(|i| page.get(i));
            if let Some(line) = line {
                *counts.entry(furniture_key(line)).or_default() += 1;
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

/// Page furniture out, paragraph lines joined, columns kept; pages separated by a blank line.
/// (Public for the fuzz target, which feeds it arbitrary laid-out text.)
pub fn rebuild(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let repaired: Vec<Vec<std::borrow::Cow<'_, str>>> = raw
        .split('\u{0C}')
        .map(|page| {
            page.lines()
                .map(|l| {
                    unmojibake(l).map_or(std::borrow::Cow::Borrowed(l), std::borrow::Cow::Owned)
                })
                .collect()
        })
        .collect();
    let pages: Vec<Vec<&str>> = repaired
        .iter()
        .map(|p| p.iter().map(|l| l.trim_end()).collect())
        .collect();
    let furniture = running(&pages);
    let mut seen = [false, false];
    for page in &pages {
        // The edge lines that repeat running furniture seen on an earlier page.
        let mut repeats = [None, None];
        for (((key, at), seen), repeat) in furniture
            .iter()
            .zip(edges(page))
            .zip(seen.iter_mut())
            .zip(repeats.iter_mut())
        {
            let line = at.and_then(|i| page.get(i));
            if key.is_some() && line.map(|l| furniture_key(l)).as_ref() == key.as_ref() {
                if *seen {
                    *repeat = at;
                }
                *seen = true;
            }
        }
        let lines: Vec<&str> = page
            .iter()
            .enumerate()
            .filter(|(i, l)| !repeats.contains(&Some(*i)) && !is_page_number(l))
            .map(|(_, l)| *l)
            .collect();
        // The right margin: the longest prose line (in characters) of the page.
        let width = lines
            .iter()
            .filter(|l| !is_columns(l))
            .map(|l| l.trim().chars().count())
            .max()
            .unwrap_or(0);
        let mut para = String::new();
        let mut full = false;
        for line in lines {
            let t = line.trim();
            if t.is_empty() || is_columns(line) {
                if !para.is_empty() {
                    out.push_str(&para);
                    out.push('\n');
                    para.clear();
                }
                if !t.is_empty() {
                    out.push_str(line);
                }
                out.push('\n');
                full = false;
                continue;
            }
            if !para.is_empty() && full && !opens_item(t) {
                join(&mut para, t);
            } else {
                if !para.is_empty() {
                    out.push_str(&para);
                    out.push('\n');
                }
                para = t.to_string();
            }
            // Within two characters of the margin: the line was broken by the page width.
            full = t.chars().count() + 2 >= width && width >= 20;
        }
        if !para.is_empty() {
            out.push_str(&para);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let page = |n: usize, body: &str| {
            format!("某某县财政局 2023年度部门整体支出绩效自评报告\n\n{body}\n\n内部资料 第{n}页 共4页\n")
        };
        let raw = [
            page(1, "一、基本情况"),
            page(
                2,
                "二、某某县财政局 2023年度部门整体支出绩效自评报告所列收支",
            ),
            page(3, "三、存在的问题"),
            page(4, "四、改进措施"),
        ]
        .join("\u{0C}");
        let text = rebuild(&raw);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "某某县财政局 2023年度部门整体支出绩效自评报告",
                "一、基本情况",
                "内部资料 第1页 共4页",
                "二、某某县财政局 2023年度部门整体支出绩效自评报告所列收支",
                "三、存在的问题",
                "四、改进措施",
            ]
        );
        // Two pages are no pattern: nothing is dropped.
        let two = [page(1, "一、基本情况"), page(2, "二、绩效目标")].join("\u{0C}");
        assert_eq!(
            rebuild(&two)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count(),
            6
        );
    }

    #[test]
    fn paragraph_lines_are_joined_and_items_and_columns_kept_apart() {
        let raw = "（一）基本情况\n\
                   1.机构设置情况。北山镇人民政府单位内设机构包括：根据上级文件要求共设置 6\n\
                   个内设机构、1 个执法机构。\n\
                   2.人员编制情况。编制人数 114 人。\n\
                   三公经费：             9.84     11       9.73\n\u{0C}- 2 -\n下一页\n";
        let text = rebuild(raw);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "（一）基本情况",
                "1.机构设置情况。北山镇人民政府单位内设机构包括：根据上级文件要求共设置 6个内设机构、1 个执法机构。",
                "2.人员编制情况。编制人数 114 人。",
                "三公经费：             9.84     11       9.73",
                "下一页",
            ]
        );
    }
}
