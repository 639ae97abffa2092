//! PDF → its text and its ruled tables ([`Piece`]s), through poppler's tools run as separate
//! processes ([`engine`]).
//!
//! The words and their boxes come from `pdftotext -bbox-layout`. Pages whose lines have
//! gaps as wide as a column's (the look of a table) are also drawn, in grey, and their
//! ruling lines cut them into cells ([`lattice`]); the words in a cell are its text, and a
//! table continued on the next page is one table ([`table`]). The words outside tables are
//! laid out in lines, page furniture is dropped and paragraphs are joined again
//! ([`layout`]); that text goes to the recover stage, whose rules find the tables aligned
//! only by spaces. Where no rules close a cell, the layout does not settle it: the text
//! stays text, and no column is guessed.
//!
//! Pages without a text layer (scans) are read by OCR ([`crate::read::ocr`]) where tesseract
//! is installed; each run of pages read alike is laid out apart, and says whether it was
//! read by OCR ([`Run`]).
//!
//! Refusals: no poppler → `pdf_engine_missing`; a password → `encrypted`; no text on any
//! page (scanned) and no OCR engine → `no_text_layer`, naming the packages that would read
//! it; anything else poppler cannot open → `malformed`. At most
//! [`engine::MAX_PAGES`] pages are read (a longer PDF says so: its reading carries a
//! `pages_cut` note, which becomes a check) and [`MAX_DRAWN`] drawn, and the tools are
//! stopped at the document time limit.

mod engine;
pub mod lattice;
mod layout;
mod table;
pub mod words;

use std::time::{Duration, Instant};

use crate::error::{ReadError, Reason};
use crate::findings::Check;
use crate::limits::Limits;
use crate::read::ocr::{self, raster::Gray, ScannedPage};
use crate::read::{Content, Format, Note, Piece, Reading, Run};

use lattice::Bitmap;
use layout::{Chunk, Item};
use table::BoxTable;
use words::{Page, Rect};

/// Pages drawn to find tables in one PDF.
pub const MAX_DRAWN: usize = 60;
/// Share of the page height at its top and bottom where a running header or footer stands
/// (the margins): only such lines may come between the two pieces of a table cut by a page.
const MARGIN: f32 = 0.12;

/// Ends the PDF and OCR engines now running and starts no more: the run was stopped.
pub fn stop_engines() {
    crate::read::tool::stop();
}

/// Start of the names of the temporary folders holding a run's page drawings:
/// `jixiao-draw-HOST-PID-START-…`, naming the run that made the folder, so that a later run
/// can remove what a run killed with SIGKILL left ([`remove_dead_runs_drawings`]).
const DRAWINGS: &str = "jixiao-draw-";

/// This run's drawings folder name, up to the random part.
fn drawings_prefix() -> String {
    let pid = std::process::id();
    let started = crate::process::start_time(pid).unwrap_or(0);
    format!("{DRAWINGS}{}-{pid}-{started}-", crate::process::host())
}

/// Removes the drawings folders in TMPDIR of this host's runs that are gone (killed before
/// they could remove them). A run calls it once, as it starts.
pub fn remove_dead_runs_drawings() {
    let ours = format!("{DRAWINGS}{}-", crate::process::host());
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&ours)) else {
            continue;
        };
        // PID-START-RANDOM, exactly: a longer host name that merely starts like this one
        // leaves more parts.
        let parts: Vec<&str> = rest.split('-').collect();
        let [pid, started, _] = parts.as_slice() else {
            continue;
        };
        let (Ok(pid), Ok(started)) = (pid.parse::<u32>(), started.parse::<u64>()) else {
            continue;
        };
        if e.file_type().is_ok_and(|t| t.is_dir()) && crate::process::gone(pid, Some(started)) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Time kept at the end of a document's budget for what follows reading: OCR takes no
/// page after it, and the pages it did not reach are said (`pages_cut`).
const AFTER_OCR: Duration = Duration::from_secs(5);

/// Reads a PDF: its text and ruled tables, its pages without a text layer by OCR (where the
/// engine is installed), and a `pages_cut` note for pages left out: past
/// [`engine::MAX_PAGES`], or scanned pages not read (no engine, no time left).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    let deadline = Instant::now() + Duration::from_secs(limits.doc_seconds);
    let cap = limits.text_bytes as u64 * 32;
    let xhtml = engine::words(bytes, cap, deadline)?;
    let mut pages = words::parse(&xhtml, limits.text_bytes / 4)?;
    let mut notes: Vec<Note> = cut_pages(&mut pages, engine::MAX_PAGES as usize)
        .map(|m| (Check::PagesCut, m, String::new()))
        .into_iter()
        .collect();
    // A page with no word in its text layer is scanned.
    let scanned: Vec<usize> = (0..pages.len())
        .filter(|&i| pages.get(i).is_some_and(|p| p.words.is_empty()))
        .collect();
    let with_ocr = !scanned.is_empty() && ocr::available();
    if scanned.len() == pages.len() && !with_ocr {
        return Err(ocr::missing(
            "no page has a text layer (a scanned document?)",
        ));
    }
    let mut drawings = draw_tabular(bytes, &pages, deadline)?;
    let mut by_ocr = vec![false; pages.len()];
    let mut unread: Vec<(usize, String)> = Vec::new();
    if with_ocr {
        for (i, read) in scan(bytes, &pages, &scanned, deadline)? {
            match read {
                Ok(page) => {
                    if let Some(p) = pages.get_mut(i) {
                        p.words = page.words;
                    }
                    if let Some(d) = drawings.get_mut(i) {
                        *d = page.drawing;
                    }
                    if let Some(o) = by_ocr.get_mut(i) {
                        *o = true;
                    }
                }
                Err(why) => unread.push((i, why)),
            }
        }
    } else {
        let why = format!("未安装OCR引擎（Debian: {}）", ocr::engine::PACKAGES);
        unread.extend(scanned.iter().map(|&i| (i, why.clone())));
    }
    notes.extend(unread_note(&unread));
    if pages.iter().all(|p| p.words.is_empty()) {
        return Err(match unread.first() {
            Some((_, why)) if why.contains("时间") => {
                ReadError::too_slow("reading the scanned pages by OCR")
            }
            _ => ReadError::new(
                Reason::NoTextLayer,
                "no page has a text layer, and OCR found no text on the pages",
            ),
        });
    }
    Ok(Reading {
        format: Format::Pdf,
        encoding: "UTF-8",
        content: Content::Pages(by_source(pages, drawings, &by_ocr, limits)?),
        notes,
    })
}

/// Reads an image file (a scanned page: PNG, JPEG, TIFF's first page) by OCR. Its size in
/// points is taken as an A4 page's (its width, or its height when it lies landscape): only
/// the proportions of what is on it matter.
pub fn read_image(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    let deadline = Instant::now() + Duration::from_secs(limits.doc_seconds);
    let kind = ocr::raster::image_kind(bytes).unwrap_or("image");
    if !ocr::available() {
        return Err(ocr::missing("an image (a scanned page)"));
    }
    let image = Gray::decode(bytes).ok_or_else(|| {
        ReadError::new(
            Reason::Malformed,
            format!(
                "not a PNG, JPEG or TIFF image that can be decoded, or more than {} pixels",
                ocr::raster::MAX_PIXELS
            ),
        )
    })?;
    let width = if image.width <= image.height {
        595.3
    } else {
        841.9
    };
    let height = image.height as f32 * width / image.width.max(1) as f32;
    let until = deadline.checked_sub(AFTER_OCR).unwrap_or(deadline);
    let scanned = ocr::read_page(image, width, until)?;
    if scanned.words.is_empty() {
        return Err(ReadError::new(
            Reason::NoTextLayer,
            "OCR found no text in the image",
        ));
    }
    let page = Page {
        width,
        height,
        words: scanned.words,
    };
    Ok(Reading {
        format: Format::Image(kind),
        encoding: "UTF-8",
        content: Content::Pages(by_source(
            vec![page],
            vec![scanned.drawing],
            &[true],
            limits,
        )?),
        notes: Vec::new(),
    })
}

/// A scanned page read by OCR, or why it was not.
type PageRead = Result<ScannedPage, String>;

/// The scanned pages (by index) read by OCR, two at a time where there are two cores, in
/// page order; a page not read says why. OCR stops taking pages [`AFTER_OCR`] before the
/// deadline; a stopped run is an error.
fn scan(
    bytes: &[u8],
    pages: &[Page],
    scanned: &[usize],
    deadline: Instant,
) -> Result<Vec<(usize, PageRead)>, ReadError> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let until = deadline.checked_sub(AFTER_OCR).unwrap_or(deadline);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 2);
    let next = AtomicUsize::new(0);
    let late = AtomicBool::new(false);
    let results = std::sync::Mutex::new(Vec::new());
    let read_one = |i: usize| -> Result<ScannedPage, ReadError> {
        let page = pages.get(i).cloned().unwrap_or_default();
        let long = page.width.max(page.height).max(1.0);
        let dpi = ocr::DPI.min(ocr::MAX_SIDE * 72.0 / long);
        let cap = ocr::raster::MAX_PIXELS + 64;
        let pgm = engine::page_image(bytes, i + 1, dpi, cap, until)?;
        let image = Gray::decode(&pgm).ok_or_else(|| {
            ReadError::new(
                Reason::Malformed,
                "pdftoppm drew a page that cannot be decoded",
            )
        })?;
        ocr::read_page(image, page.width, until)
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some(&i) = scanned.get(k) else { break };
                let result = if late.load(Ordering::SeqCst) {
                    Err(ReadError::too_slow("OCR"))
                } else {
                    read_one(i)
                };
                if result.as_ref().is_err_and(|e| e.reason == Reason::TooSlow) {
                    late.store(true, Ordering::SeqCst);
                }
                if let Ok(mut r) = results.lock() {
                    r.push((i, result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    results
        .into_iter()
        .map(|(i, r)| match r {
            Ok(p) => Ok((i, Ok(p))),
            Err(e) if e.reason == Reason::TooSlow => {
                Ok((i, Err("OCR在每份文件的时间预算内未能读到".to_string())))
            }
            Err(e) if e.reason == Reason::Io => Err(e),
            Err(e) => Ok((i, Err(format!("OCR未能读取：{}", e.message)))),
        })
        .collect()
}

/// One `pages_cut` note for the scanned pages left unread, grouped by why.
fn unread_note(unread: &[(usize, String)]) -> Option<Note> {
    let mut by_why: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, why) in unread {
        match by_why.iter_mut().find(|(w, _)| w == why) {
            Some((_, pages)) => pages.push(i + 1),
            None => by_why.push((why, vec![i + 1])),
        }
    }
    let parts: Vec<String> = by_why
        .iter()
        .map(|(why, pages)| {
            let list: Vec<String> = pages.iter().map(usize::to_string).collect();
            format!(
                "第{}页是扫描页（无文字层），{why}，其数值未提取",
                list.join("、")
            )
        })
        .collect();
    (!parts.is_empty()).then(|| (Check::PagesCut, parts.join("；"), String::new()))
}

/// The runs of pages read alike (from a text layer, or by OCR), each laid out on its own: a
/// paragraph or a table is never half one and half the other.
fn by_source(
    pages: Vec<Page>,
    drawings: Vec<Option<Bitmap>>,
    by_ocr: &[bool],
    limits: &Limits,
) -> Result<Vec<Run>, ReadError> {
    let mut runs = Vec::new();
    let mut pages = pages
        .into_iter()
        .zip(drawings)
        .zip(by_ocr.iter().copied().chain(std::iter::repeat(false)))
        .peekable();
    while let Some(((page, drawing), ocr)) = pages.next() {
        let (mut run, mut run_drawings) = (vec![page], vec![drawing]);
        while let Some(((page, drawing), _)) = pages.next_if(|(_, o)| *o == ocr) {
            run.push(page);
            run_drawings.push(drawing);
        }
        runs.push(Run {
            ocr,
            pieces: from_pages(run, &run_drawings, limits)?,
        });
    }
    Ok(runs)
}

/// Keeps the first `max` pages; when there were more, says so (the engine reads one page
/// past the limit to know).
fn cut_pages(pages: &mut Vec<Page>, max: usize) -> Option<String> {
    if pages.len() <= max {
        return None;
    }
    pages.truncate(max);
    Some(format!(
        "PDF 超过{max}页，只读取了前{max}页，其后各页的数值未提取"
    ))
}

/// The text and tables from the pages' words and the drawings of some of the pages (by page
/// index). Public for the fuzz target, which feeds it arbitrary word lists.
pub fn from_words(
    xhtml: &str,
    drawings: &[Option<Bitmap>],
    limits: &Limits,
) -> Result<Vec<Piece>, ReadError> {
    from_pages(
        words::parse(xhtml, limits.text_bytes / 4)?,
        drawings,
        limits,
    )
}

fn from_pages(
    pages: Vec<Page>,
    drawings: &[Option<Bitmap>],
    limits: &Limits,
) -> Result<Vec<Piece>, ReadError> {
    let mut tables: Vec<BoxTable> = Vec::new();
    let mut items: Vec<Vec<Item>> = Vec::with_capacity(pages.len());
    let heights: Vec<f32> = pages.iter().map(|p| p.height).collect();
    for (i, page) in pages.into_iter().enumerate() {
        let mut words = page.words;
        let mut found = Vec::new();
        if let Some(drawing) = drawings.get(i).and_then(Option::as_ref) {
            let scale = drawing.width() as f32 / page.width;
            for cells in lattice::tables(drawing, scale) {
                let (filled, rest) = table::fill(&cells, &words);
                words = rest;
                if filled.iter().any(|c| !c.text.is_empty()) {
                    found.push(BoxTable { cells: filled });
                }
            }
        }
        let mut placed: Vec<(f32, Item)> = layout::lines(words)
            .into_iter()
            .map(|l| (l.rect.y0, Item::Line(l)))
            .collect();
        for t in found {
            placed.push((t.bounds().y0, Item::Table(tables.len())));
            tables.push(t);
        }
        placed.sort_by(|a, b| a.0.total_cmp(&b.0));
        items.push(placed.into_iter().map(|(_, it)| it).collect());
    }
    join_across_pages(&mut items, &mut tables, &heights);
    assemble(layout::rebuild(&items), &tables, limits)
}

/// A table whose last piece ends a page (nothing but footer lines under it) and whose next
/// piece opens the next page (nothing but header lines above it), with the same columns, is
/// one table: the second piece is appended to the first and leaves its page. A table may run
/// over many pages.
fn join_across_pages(items: &mut [Vec<Item>], tables: &mut [BoxTable], heights: &[f32]) {
    // Each table's first piece: itself, or the table it was appended to.
    let mut root: Vec<usize> = (0..tables.len()).collect();
    // Each piece's outline on its own page (before any is appended to another).
    let outlines: Vec<Rect> = tables.iter().map(BoxTable::bounds).collect();
    let height = |p: usize| heights.get(p).copied().unwrap_or(0.0);
    let in_margin = |it: &Item, top: bool, h: f32| match it {
        Item::Line(l) if top => l.rect.y1 <= h * MARGIN,
        Item::Line(l) => l.rect.y0 >= h * (1.0 - MARGIN),
        Item::Table(_) => false,
    };
    for k in 1..items.len() {
        let (Some(prev_page), Some(next_page)) = (items.get(k - 1), items.get(k)) else {
            continue;
        };
        // The last table of the page before, with nothing under it but footer lines (lines
        // beside it, out of its cells, do not count), and the first of this page, with
        // nothing above it but header lines.
        let bounds = |t: usize| outlines.get(t).copied().unwrap_or_default();
        let a = prev_page
            .iter()
            .rposition(|it| matches!(it, Item::Table(_)));
        let b = next_page.iter().position(|it| matches!(it, Item::Table(_)));
        let (Some(a), Some(b)) = (a, b) else { continue };
        let (Some(&Item::Table(a)), Some(&Item::Table(b))) = (prev_page.get(a), next_page.get(b))
        else {
            continue;
        };
        let (ba, bb) = (bounds(a), bounds(b));
        let ends_page = prev_page.iter().all(|it| match it {
            Item::Line(l) => l.rect.y1 <= ba.y1 + 2.0 || in_margin(it, false, height(k - 1)),
            Item::Table(t) => *t == a || bounds(*t).y1 <= ba.y0,
        });
        let opens_page = next_page.iter().all(|it| match it {
            Item::Line(l) => l.rect.y0 >= bb.y0 - 2.0 || in_margin(it, true, height(k)),
            Item::Table(t) => *t == b || bounds(*t).y0 >= bb.y1,
        });
        if !(ends_page && opens_page) {
            continue;
        }
        let a = root.get(a).copied().unwrap_or(a);
        let (Some(ta), Some(tb)) = (tables.get(a), tables.get(b)) else {
            continue;
        };
        if a < b && table::continues(ta, tb) {
            let piece = tables.get_mut(b).map(std::mem::take).unwrap_or_default();
            if let Some(ta) = tables.get_mut(a) {
                table::append(ta, piece);
            }
            if let Some(r) = root.get_mut(b) {
                *r = a;
            }
        }
    }
    for page in items.iter_mut() {
        page.retain(|it| !matches!(it, Item::Table(t) if root.get(*t) != Some(t)));
    }
}

/// The pieces in reading order: the text chunks, and the tables as grids.
fn assemble(
    chunks: Vec<Chunk>,
    tables: &[BoxTable],
    limits: &Limits,
) -> Result<Vec<Piece>, ReadError> {
    let mut pieces = Vec::with_capacity(chunks.len());
    let mut cells = 0usize;
    for chunk in chunks {
        match chunk {
            Chunk::Text(t) => pieces.push(Piece::Text(t)),
            Chunk::Table(k) => {
                let Some(t) = tables.get(k) else { continue };
                let rows = table::grid(t);
                cells += rows.iter().map(Vec::len).sum::<usize>();
                if cells > limits.table_cells {
                    return Err(limits.too_many_cells());
                }
                pieces.push(Piece::Table(rows));
            }
        }
    }
    Ok(pieces)
}

/// A page with two lines or more in which words stand apart by a column's gap (one and a
/// half ems or more): the look of a table. Prose runs on without such gaps, so its pages are
/// not drawn.
fn looks_tabular(page: &Page) -> bool {
    let lines = words::in_lines(page.words.iter().collect::<Vec<_>>());
    let gapped = lines
        .iter()
        .filter(|l| {
            l.windows(2).any(|p| match p {
                [a, b] => b.rect.x0 - a.rect.x1 >= 1.5 * a.rect.height().max(b.rect.height()),
                _ => false,
            })
        })
        .count();
    gapped >= 2
}

/// Drawings of the pages from the first that looks tabular to the last (at most
/// [`MAX_DRAWN`]), by page index. Without `pdftoppm`, or if it cannot draw the pages, there
/// are none and tables stay text; running out of time is still an error, and so is a
/// temporary folder that cannot hold the drawings (`TMPDIR` missing, unwritable or full:
/// pdftoppm then exits 0 leaving empty files), which would otherwise turn the tables into
/// paragraphs without a word.
fn draw_tabular(
    bytes: &[u8],
    pages: &[Page],
    deadline: Instant,
) -> Result<Vec<Option<Bitmap>>, ReadError> {
    let tabular: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| looks_tabular(p))
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<Option<Bitmap>> = Vec::new();
    out.resize_with(pages.len(), || None);
    let (Some(&first), Some(&last)) = (tabular.first(), tabular.last()) else {
        return Ok(out);
    };
    let last = last.min(first + MAX_DRAWN - 1);
    let tmp = std::env::temp_dir();
    let unusable = |what: String| {
        ReadError::new(
            Reason::Io,
            format!(
                "the temporary folder {} (TMPDIR) cannot hold the page drawings that find the tables: {what}",
                tmp.display()
            ),
        )
    };
    let dir = tempfile::Builder::new()
        .prefix(&drawings_prefix())
        .tempdir()
        .map_err(|e| unusable(format!("cannot create a folder in it: {e}")))?;
    match engine::draw(bytes, first + 1, last + 1, dir.path(), deadline) {
        Ok(()) => {}
        Err(e) if e.reason == Reason::TooSlow => return Err(e),
        Err(_) => return Ok(out),
    }
    let entries = std::fs::read_dir(dir.path())
        .map_err(|e| unusable(format!("cannot list the drawings: {e}")))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let page = name
            .to_str()
            .and_then(|n| n.strip_suffix(".pgm"))
            .and_then(|n| n.rsplit('-').next())
            .and_then(|n| n.parse::<usize>().ok());
        let (Some(page), Ok(bytes)) = (page, std::fs::read(entry.path())) else {
            continue;
        };
        if let Some(slot) = page.checked_sub(1).and_then(|i| out.get_mut(i)) {
            *slot = Bitmap::from_pgm(&bytes);
        }
    }
    // pdftoppm draws every page it is asked for: one missing or cut short was not written.
    if let Some(page) = (first..=last).find(|&i| out.get(i).is_none_or(Option::is_none)) {
        return Err(unusable(format!(
            "the drawing of page {} is missing or cut short (a full disk?)",
            page + 1
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(n: usize) -> Vec<Page> {
        (0..n)
            .map(|_| Page {
                width: 595.0,
                height: 842.0,
                words: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn pages_past_the_limit_are_cut_with_a_note() {
        let mut at = pages(3);
        assert_eq!(cut_pages(&mut at, 3), None);
        assert_eq!(at.len(), 3);
        let mut over = pages(4);
        let note = cut_pages(&mut over, 3).unwrap();
        assert_eq!(over.len(), 3);
        assert!(note.contains("前3页"), "{note}");
    }
}
