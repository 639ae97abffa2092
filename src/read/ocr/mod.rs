//! OCR for pages without a text layer (scanned PDFs) and image files (`.png`, `.jpg`,
//! `.tif`), through Debian's tesseract run as a separate process ([`engine`]).
//!
//! A page image is turned straight ([`raster`]), its ruling lines are found as a
//! born-digital page's are ([`crate::read::pdf::lattice`]), and the engine reads, in one run,
//! the page with its tables painted out and below it each cell cut out on its own (the
//! engine reads a form's narrow cells far better apart than among their rules). The words
//! come back to where they stand on the page, in points, so that the PDF reader fills the
//! same cells with them and lays out the same lines as for a text layer. A cell read as a
//! number alone is read again by the engine's English model, and kept only where the two
//! agree ([`cross`]); a grade cell's doubtful character is mended from the closed list of
//! grades ([`grades`]). The engine's slips are mended where that is certain and its doubtful
//! numbers are not read ([`slips`]).
//!
//! Every block read by OCR is remembered ([`Provenance`]): `inspect` shows it beside each
//! value, and reports.csv's `text_source` says whether a report's values came from it.

pub mod cross;
pub mod engine;
pub mod grades;
pub mod raster;
pub mod slips;
pub mod tsv;

use std::time::Instant;

use crate::document::{Block, Document};
use crate::error::ReadError;
use crate::facts::DocRows;
use crate::findings::Check;
use crate::read::pdf::lattice::{self, Bitmap};
use crate::read::pdf::words::{Rect, Word};
use crate::read::Note;

pub use engine::{available, missing};
use raster::{Area, Gray};

/// Pixels per inch a PDF page is drawn at for the engine (its model reads best at 300:
/// docs/research/ocr.md). A page whose long side would pass [`MAX_SIDE`] pixels is drawn
/// smaller.
pub const DPI: f32 = 300.0;
/// The most pixels on a drawn page's long side.
pub const MAX_SIDE: f32 = 6000.0;
/// Pixels on the long side of the drawing the ruling-line finder reads (as for a
/// born-digital page: [`crate::read::pdf`]'s 60 dpi).
const DRAWN: usize = 700;
/// White around each cell cut out, and between cells stacked for the engine, in inches.
const GAP: f32 = 0.2;
/// A cell cut out is this far inside its rules, in inches, so that the rules stay out.
const INSET: f32 = 0.02;
/// Fewer dark pixels than this in a cell (per 300 dpi): the cell is empty and not read.
const MIN_INK: usize = 40;
/// The most words read off one page image.
const MAX_WORDS: usize = 50_000;

/// One scanned page read: its words in points from the top left, and its drawing for the
/// ruling-line finder.
pub struct ScannedPage {
    pub words: Vec<Word>,
    pub drawing: Option<Bitmap>,
    /// Numbers left unread because the engine was unsure of them.
    pub doubtful: usize,
}

/// A piece of the image given to the engine: where it stands on the page and where in the
/// stacked image.
struct Piece {
    page: Area,
    at: (usize, usize),
}

/// Reads one page image of a page `width` points wide.
pub fn read_page(image: Gray, width: f32, deadline: Instant) -> Result<ScannedPage, ReadError> {
    let (image, _) = image.straightened();
    let px_per_pt = image.width as f32 / width.max(1.0);
    let dpi = px_per_pt * 72.0;
    let drawing = image.drawing(DRAWN);
    let cells: Vec<Vec<Rect>> = drawing
        .as_ref()
        .map(|d| lattice::tables(d, d.width() as f32 / width.max(1.0)))
        .unwrap_or_default();
    let to_px = |r: &Rect, inset: f32| Area {
        x0: ((r.x0 * px_per_pt + inset).max(0.0)) as usize,
        y0: ((r.y0 * px_per_pt + inset).max(0.0)) as usize,
        x1: ((r.x1 * px_per_pt - inset).max(0.0)) as usize,
        y1: ((r.y1 * px_per_pt - inset).max(0.0)) as usize,
    };
    // The page with its tables painted out; each cell that holds ink, cut to its ink.
    let mut prose = image.clone();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut cuts: Vec<Gray> = Vec::new();
    let gap = (GAP * dpi) as usize;
    let inset = INSET * dpi;
    let min_ink = (MIN_INK * (dpi as usize).pow(2) / 90_000).max(1);
    for table in &cells {
        for cell in table {
            let area = to_px(cell, inset);
            if area.width() < 4 || area.height() < 4 {
                continue;
            }
            let cut = image.crop(area).without_rules();
            let Some(inked) = cut.inked(min_ink, gap / 4) else {
                continue;
            };
            cuts.push(cut.crop(inked));
            pieces.push(Piece {
                page: Area {
                    x0: area.x0 + inked.x0,
                    y0: area.y0 + inked.y0,
                    x1: area.x0 + inked.x1,
                    y1: area.y0 + inked.y1,
                },
                at: (0, 0),
            });
        }
        for cell in table {
            prose.blank(to_px(cell, -inset));
        }
    }
    let whole = Piece {
        page: Area {
            x0: 0,
            y0: 0,
            x1: image.width,
            y1: image.height,
        },
        at: (0, 0),
    };
    let mut doubtful = 0;
    let px_per_pt = dpi / 72.0;
    let mut prose_words = read(&prose, Layout::Page, engine::Model::Chinese, dpi, deadline)?;
    doubtful += slips::clean(&mut prose_words, slips::MIN_CONFIDENCE);
    let mut words = placed(prose_words, &[whole], px_per_pt);
    drop(prose);
    if !cuts.is_empty() {
        let all: Vec<usize> = (0..cuts.len()).collect();
        let stacked = stack(&cuts, &all, &mut pieces, gap);
        let mut cell_words = read(
            &stacked,
            Layout::Cells,
            engine::Model::Chinese,
            dpi,
            deadline,
        )?;
        if engine::has(engine::Model::Latin) {
            // The cells read as a number alone, read again by the Latin model.
            let numbers: Vec<usize> = (0..pieces.len())
                .filter(|&k| {
                    let text: String = cell_words
                        .iter()
                        .filter(|w| piece_at(w, &pieces) == Some(k))
                        .map(|w| slips::mend_word(&w.text))
                        .collect();
                    cross::number_alone(&text)
                })
                .collect();
            if !numbers.is_empty() {
                let mut again: Vec<Piece> = numbers
                    .iter()
                    .filter_map(|&k| {
                        pieces.get(k).map(|p| Piece {
                            page: p.page,
                            at: p.at,
                        })
                    })
                    .collect();
                let canvas = stack(&cuts, &numbers, &mut again, gap);
                let latin = read(&canvas, Layout::Cells, engine::Model::Latin, dpi, deadline)?;
                cell_words = cross::settle(
                    cell_words,
                    |w| piece_at(w, &pieces),
                    &latin,
                    |w| piece_at(w, &again).and_then(|k| numbers.get(k).copied()),
                );
            }
        }
        cell_words = cross::per_cell(
            cell_words,
            |w| piece_at(w, &pieces),
            |_, mine| grades::mend(mine),
        );
        doubtful += slips::clean(&mut cell_words, slips::MIN_CONFIDENCE);
        words.extend(placed(cell_words, &pieces, px_per_pt));
    }
    Ok(ScannedPage {
        words,
        drawing,
        doubtful,
    })
}

/// How the engine is to read an image: a page (it finds the columns and blocks), or cells
/// stacked one under another (each line a block of its own: a cell's one digit is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Page,
    Cells,
}

/// The cuts numbered `which` stacked one under another, white between them; each one's
/// piece (`pieces`, in the order of `which`) learns where it stands in the stack.
fn stack(cuts: &[Gray], which: &[usize], pieces: &mut [Piece], gap: usize) -> Gray {
    let chosen: Vec<&Gray> = which.iter().filter_map(|&k| cuts.get(k)).collect();
    let width_px = chosen.iter().map(|c| c.width + 2 * gap).max().unwrap_or(0);
    let height_px = chosen.iter().map(|c| c.height + gap).sum::<usize>() + gap;
    let mut stacked = Gray::white(width_px, height_px);
    let mut y = gap;
    for (cut, piece) in chosen.iter().zip(pieces.iter_mut()) {
        stacked.paste(cut, gap, y);
        piece.at = (gap, y);
        y += cut.height + gap;
    }
    stacked
}

/// The words `model` reads on `canvas`, as the engine gives them.
fn read(
    canvas: &Gray,
    layout: Layout,
    model: engine::Model,
    dpi: f32,
    deadline: Instant,
) -> Result<Vec<tsv::OcrWord>, ReadError> {
    let tsv = engine::tsv(&canvas.pgm(), dpi.round() as u32, layout, model, deadline)?;
    Ok(tsv::parse(&tsv, MAX_WORDS))
}

/// The piece a word's centre falls in.
fn piece_at(w: &tsv::OcrWord, pieces: &[Piece]) -> Option<usize> {
    let (cx, cy) = (
        (w.left as usize + w.right as usize) / 2,
        (w.top as usize + w.bottom as usize) / 2,
    );
    pieces.iter().position(|p| {
        cy >= p.at.1
            && cy < p.at.1 + p.page.height()
            && cx >= p.at.0
            && cx < p.at.0 + p.page.width()
    })
}

/// The words joined, each taken back from the piece its centre falls in to where that
/// piece stands on the page, in points.
fn placed(words: Vec<tsv::OcrWord>, pieces: &[Piece], px_per_pt: f32) -> Vec<Word> {
    joined(words)
        .into_iter()
        .filter_map(|w| {
            let p = pieces.get(piece_at(&w, pieces)?)?;
            let x = |v: u32| (v as usize + p.page.x0).saturating_sub(p.at.0) as f32 / px_per_pt;
            let y = |v: u32| (v as usize + p.page.y0).saturating_sub(p.at.1) as f32 / px_per_pt;
            Some(Word {
                rect: Rect {
                    x0: x(w.left),
                    y0: y(w.top),
                    x1: x(w.right),
                    y1: y(w.bottom),
                },
                text: w.text,
            })
        })
        .collect()
}

/// The engine's words joined into the words a text layer would have: it gives a Chinese
/// line one character (or two) a word, with the gaps of each glyph's ink between them, which
/// the layout would take for spaces. Neighbours on one of its lines join when the gap is
/// under [`JOIN_GAP`] of their height, two numbers (or Latin words) only when they touch:
/// `83 80` stays two numbers.
fn joined(words: Vec<tsv::OcrWord>) -> Vec<tsv::OcrWord> {
    let mut out: Vec<tsv::OcrWord> = Vec::with_capacity(words.len());
    for w in words {
        if let Some(last) = out.last_mut() {
            let height = last.bottom.max(w.bottom) - last.top.min(w.top);
            let gap = f64::from(w.left) - f64::from(last.right);
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            let both_latin = latin(last.text.chars().last()) && latin(w.text.chars().next());
            let limit = if both_latin { 0.15 } else { JOIN_GAP };
            if last.line == w.line && gap >= -f64::from(height) && gap <= limit * f64::from(height)
            {
                last.text.push_str(&w.text);
                last.right = last.right.max(w.right);
                last.top = last.top.min(w.top);
                last.bottom = last.bottom.max(w.bottom);
                last.conf = last.conf.min(w.conf);
                continue;
            }
        }
        out.push(w);
    }
    out
}

/// The gap (a share of the line's height) under which the engine's words are one.
const JOIN_GAP: f64 = 0.6;

/// Numbers the OCR engine was unsure of ([`slips::DOUBT`]) out of the document: a cell
/// holding one is left empty, a paragraph shows `〓` (the mark for a character that cannot
/// be read) in its place; each gets an `ocr_doubtful` note where it stands.
pub fn doubts(doc: &mut Document) -> Vec<Note> {
    let doubt = slips::DOUBT;
    let threshold = slips::MIN_CONFIDENCE;
    let mut notes = Vec::new();
    for block in &mut doc.blocks {
        match block {
            Block::Paragraph(p) if p.text.contains(doubt) => {
                p.text = p.text.replace(doubt, "〓");
                notes.push((
                    Check::OcrDoubtful,
                    format!(
                        "OCR识别置信度低于{threshold}的数字未读取（以〓标出），请对照扫描件核对"
                    ),
                    format!("p{}", p.index),
                ));
            }
            Block::Paragraph(_) => {}
            Block::Table(t) => {
                for (r, row) in t.rows.iter_mut().enumerate() {
                    for (c, cell) in row.iter_mut().enumerate() {
                        if cell.text.contains(doubt) {
                            cell.text.clear();
                            notes.push((
                                Check::OcrDoubtful,
                                format!("OCR识别置信度低于{threshold}的数字未读取，此单元格留空，请对照扫描件核对"),
                                format!("t{}:r{}c{}", t.index, r + 1, c + 1),
                            ));
                        }
                    }
                }
            }
        }
    }
    notes
}

/// The paragraphs and tables of a document that were read by OCR, by their numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub paragraphs: Vec<usize>,
    pub tables: Vec<usize>,
}

impl Provenance {
    /// Whether any block was read by OCR.
    pub fn any(&self) -> bool {
        !self.paragraphs.is_empty() || !self.tables.is_empty()
    }

    /// Whether `block` was read by OCR.
    pub fn holds(&self, block: &Block) -> bool {
        match block {
            Block::Paragraph(p) => self.paragraphs.binary_search(&p.index).is_ok(),
            Block::Table(t) => self.tables.binary_search(&t.index).is_ok(),
        }
    }

    /// Whether the value at `location` (`p12`, `p12:3-5`, `t2:r5c3`) was read by OCR.
    pub fn read_at(&self, location: &str) -> bool {
        let number = |s: &str| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse::<usize>().ok())
        };
        match location.split_at_checked(1) {
            Some(("p", rest)) => number(rest).is_some_and(|n| self.paragraphs.contains(&n)),
            Some(("t", rest)) => number(rest).is_some_and(|n| self.tables.contains(&n)),
            _ => false,
        }
    }

    /// reports.csv's `text_source` for a report read from `part` with `rows`: `ocr` when
    /// all of the part was read by OCR, `text` when none of it was; for a part of both, by
    /// where its values (amounts and indicators) stand: `ocr` or `text` when all stand in
    /// one, `mixed` when they stand in both or nothing settles it.
    pub fn text_source(&self, part: &Document, rows: &DocRows) -> &'static str {
        let ocr = part.blocks.iter().filter(|b| self.holds(b)).count();
        if ocr == 0 {
            return "text";
        }
        if ocr == part.blocks.len() {
            return "ocr";
        }
        let places = rows
            .amounts
            .iter()
            .map(|a| a.location.0.as_str())
            .chain(rows.indicators.iter().map(|i| i.location.0.as_str()))
            .filter(|l| !l.is_empty());
        let (mut by_ocr, mut by_text) = (false, false);
        for l in places {
            if self.read_at(l) {
                by_ocr = true;
            } else {
                by_text = true;
            }
        }
        match (by_ocr, by_text) {
            (true, false) => "ocr",
            (false, true) => "text",
            _ => "mixed",
        }
    }
}
