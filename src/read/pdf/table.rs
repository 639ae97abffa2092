//! From cell boxes and words to a [`Cell`] grid: each character goes to the cell its centre
//! falls in (poppler may run the words of two neighbouring cells into one), a cell's lines are
//! joined where the text wrapped at the cell's edge and kept apart where it was broken, a
//! table continued on the next page (same columns) is one table with its repeated header
//! dropped, and the grid is written the way `.docx` writes merged cells: a cell spanning
//! columns carries its span, one spanning rows is written once and continued below.

use crate::document::{Cell, VMerge};

use super::words::{in_lines, Rect, Word};

/// A cell's box and text, on one page or on a table joined across pages.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxCell {
    pub rect: Rect,
    pub text: String,
}

/// A table's cells, with their boxes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoxTable {
    pub cells: Vec<BoxCell>,
}

impl BoxTable {
    /// The table's outline.
    pub fn bounds(&self) -> Rect {
        let mut it = self.cells.iter().map(|c| c.rect);
        let first = it.next().unwrap_or_default();
        it.fold(first, |a, r| a.union(&r))
    }
}

/// Width of a character in halves of an em: a Chinese character is two, Latin one.
pub fn units(c: char) -> usize {
    if (c as u32) < 0x1100 {
        1
    } else {
        2
    }
}

/// Fills `cells` with the characters of `words` whose centres fall in them; returns the
/// words (and pieces of words) that fall in none. A word's characters are placed by their
/// share of its width.
pub fn fill(cells: &[Rect], words: &[Word]) -> (Vec<BoxCell>, Vec<Word>) {
    let mut pieces: Vec<Vec<Word>> = vec![Vec::new(); cells.len()];
    let mut outside = Vec::new();
    let inside = |x: f32, y: f32| {
        cells
            .iter()
            .position(|r| x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)
    };
    for w in words {
        let cy = w.rect.center_y();
        let total: usize = w.text.chars().map(units).sum();
        let per = w.rect.width() / total.max(1) as f32;
        let mut at = w.rect.x0;
        // Runs of consecutive characters that land in the same cell (or none).
        let mut run: Option<(Option<usize>, Word)> = None;
        for c in w.text.chars() {
            let wide = per * units(c) as f32;
            let cell = inside(at + wide / 2.0, cy);
            match run.as_mut() {
                Some((k, p)) if *k == cell => {
                    p.text.push(c);
                    p.rect.x1 = at + wide;
                }
                _ => {
                    if let Some((k, p)) = run.take() {
                        place(k, p, &mut pieces, &mut outside);
                    }
                    let rect = Rect {
                        x0: at,
                        x1: at + wide,
                        ..w.rect
                    };
                    run = Some((
                        cell,
                        Word {
                            rect,
                            text: c.to_string(),
                        },
                    ));
                }
            }
            at += wide;
        }
        if let Some((k, p)) = run {
            place(k, p, &mut pieces, &mut outside);
        }
    }
    let filled = cells
        .iter()
        .zip(pieces)
        .map(|(rect, ps)| BoxCell {
            rect: *rect,
            text: cell_text(rect, ps),
        })
        .collect();
    (filled, outside)
}

/// A piece of a word (some of its characters and the box they take) into its cell, or out.
fn place(cell: Option<usize>, p: Word, pieces: &mut [Vec<Word>], outside: &mut Vec<Word>) {
    match cell.and_then(|k| pieces.get_mut(k)) {
        Some(v) => v.push(p),
        None => outside.push(p),
    }
}

/// A cell's text: its pieces in lines, top to bottom, each line left to right. A line that
/// reaches the cell's right edge wrapped there and goes on without a break; a line that
/// stops short was broken, and a `\n` keeps it apart.
fn cell_text(cell: &Rect, pieces: Vec<Word>) -> String {
    let lines = in_lines(pieces);
    let mut out = String::new();
    let mut wrapped = true;
    for line in lines {
        let em = line.iter().map(|p| p.rect.height()).fold(0.0, f32::max);
        let end = line.last().map_or(0.0, |p| p.rect.x1);
        let mut text = String::new();
        let mut last_x1 = None;
        for p in &line {
            if let Some(x1) = last_x1 {
                if p.rect.x0 - x1 > em * 0.25 {
                    text.push(' ');
                }
            }
            text.push_str(&p.text);
            last_x1 = Some(p.rect.x1);
        }
        if !out.is_empty() {
            if wrapped {
                crate::normalize::text::join(&mut out, text.trim());
            } else {
                out.push('\n');
                out.push_str(text.trim());
            }
        } else {
            out.push_str(text.trim());
        }
        // Within two characters of the right edge: the line wrapped.
        wrapped = end + 2.0 * em >= cell.x1;
    }
    super::layout::squeeze_spaces(&out)
}

/// Whether `next` (the first table of a page) goes on with `prev` (the last of the page
/// before): the same outer edges, and the column edges of one all among the other's (a row
/// of merged cells on one page leaves out some edges), to within two points.
pub fn continues(prev: &BoxTable, next: &BoxTable) -> bool {
    let columns = |t: &BoxTable| edges(t, |r| [r.x0, r.x1]);
    let (a, b) = (columns(prev), columns(next));
    let within =
        |small: &[f32], big: &[f32]| small.iter().all(|&x| big.iter().any(|&y| near(x, y)));
    let outer = |v: &[f32]| (v.first().copied(), v.last().copied());
    let ((a0, a1), (b0, b1)) = (outer(&a), outer(&b));
    let same_outer = matches!((a0, b0, a1, b1), (Some(a0), Some(b0), Some(a1), Some(b1)) if near(a0, b0) && near(a1, b1));
    same_outer && (within(&a, &b) || within(&b, &a))
}

/// `next` appended under `prev`, where a page break cut one table in two:
/// - a first row that repeats `prev`'s first row (a header repeated on each page) is dropped;
/// - a cell of `prev`'s last row that spans rows goes on into an empty cell under it (the
///   break cut a merged cell);
/// - a first row whose first cell is empty under a cell with text, whose every cell stands
///   under one of `prev`'s last row, and whose texts all stand under texts, is the rest of
///   that row (the break cut a row whose text ran on): its texts are joined to the cells
///   above.
pub fn append(prev: &mut BoxTable, next: BoxTable) {
    let pb = prev.bounds();
    let mut cells = next.cells;
    let top_of = |cells: &[BoxCell]| {
        cells
            .iter()
            .map(|c| c.rect.y0)
            .fold(f32::INFINITY, f32::min)
    };
    let first_row = |cells: &[BoxCell], y: f32| -> Vec<String> {
        let mut row: Vec<&BoxCell> = cells.iter().filter(|c| near(c.rect.y0, y)).collect();
        row.sort_by(|a, b| a.rect.x0.total_cmp(&b.rect.x0));
        row.iter().map(|c| c.text.clone()).collect()
    };
    let nb_y0 = top_of(&cells);
    if first_row(&prev.cells, pb.y0) == first_row(&cells, nb_y0) {
        let header_y1 = cells
            .iter()
            .filter(|c| near(c.rect.y0, nb_y0))
            .map(|c| c.rect.y1)
            .fold(nb_y0, f32::max);
        cells.retain(|c| c.rect.y0 >= header_y1 - 2.0);
    }
    let shift = pb.y1 - top_of(&cells);
    for c in &mut cells {
        c.rect.y0 += shift;
        c.rect.y1 += shift;
    }
    // The cell of `prev`'s last row standing over `c`.
    let above = |prev: &BoxTable, c: &BoxCell| {
        prev.cells.iter().position(|p| {
            near(p.rect.y1, pb.y1) && near(p.rect.x0, c.rect.x0) && near(p.rect.x1, c.rect.x1)
        })
    };
    let spans_rows = |prev: &BoxTable, k: usize| {
        prev.cells.get(k).is_some_and(|p| {
            prev.cells
                .iter()
                .any(|o| o.rect.y0 > p.rect.y0 + 2.0 && o.rect.y0 < p.rect.y1 - 2.0)
        })
    };
    let (mut top, rest): (Vec<BoxCell>, Vec<BoxCell>) =
        cells.into_iter().partition(|c| near(c.rect.y0, pb.y1));
    top.sort_by(|a, b| a.rect.x0.total_cmp(&b.rect.x0));
    // Merged cells cut by the break.
    top.retain(|c| match above(prev, c) {
        Some(k) if c.text.is_empty() && spans_rows(prev, k) => {
            if let Some(p) = prev.cells.get_mut(k) {
                p.rect.y1 = c.rect.y1;
            }
            false
        }
        _ => true,
    });
    // A row cut by the break.
    let overs: Vec<Option<usize>> = top.iter().map(|c| above(prev, c)).collect();
    let label_cut = match (top.first(), overs.first()) {
        (Some(c), Some(&Some(k))) => {
            c.text.is_empty() && prev.cells.get(k).is_some_and(|p| !p.text.is_empty())
        }
        _ => false,
    };
    // Text runs on only where there was text: a cell with text under an empty one starts a row.
    let runs_on = top.iter().zip(&overs).all(|(c, k)| match k {
        Some(k) => c.text.is_empty() || prev.cells.get(*k).is_some_and(|p| !p.text.is_empty()),
        None => false,
    });
    if label_cut && runs_on && top.iter().any(|c| !c.text.is_empty()) {
        for (c, k) in top.drain(..).zip(overs) {
            if let Some(p) = k.and_then(|k| prev.cells.get_mut(k)) {
                crate::normalize::text::join(&mut p.text, &c.text);
                p.rect.y1 = c.rect.y1;
            }
        }
    }
    prev.cells.extend(top);
    prev.cells.extend(rest);
}

/// The distinct edges of a table's cells that `pick` names (their left and right, or top
/// and bottom), sorted; edges that are one ([`near`]) counted once.
fn edges(t: &BoxTable, pick: impl Fn(&Rect) -> [f32; 2]) -> Vec<f32> {
    let mut v: Vec<f32> = t.cells.iter().flat_map(|c| pick(&c.rect)).collect();
    v.sort_by(f32::total_cmp);
    v.dedup_by(|a, b| near(*a, *b));
    v
}

/// Two edges that are one (within two points).
fn near(a: f32, b: f32) -> bool {
    (a - b).abs() <= 2.0
}

/// The grid of a table: rows top to bottom, cells left to right, written as `.docx` writes
/// them (a span across columns, a vertical merge as a first cell and continuations).
pub fn grid(t: &BoxTable) -> Vec<Vec<Cell>> {
    let xs = edges(t, |r| [r.x0, r.x1]);
    let ys = edges(t, |r| [r.y0, r.y1]);
    let index = |v: &[f32], x: f32| v.iter().position(|&e| near(e, x)).unwrap_or(0);
    // Each cell's grid span: rows r0..r1, columns c0..c1.
    let spans: Vec<(usize, usize, usize, usize, &BoxCell)> = t
        .cells
        .iter()
        .map(|c| {
            (
                index(&ys, c.rect.y0),
                index(&ys, c.rect.y1),
                index(&xs, c.rect.x0),
                index(&xs, c.rect.x1),
                c,
            )
        })
        .filter(|s| s.1 > s.0 && s.3 > s.2)
        .collect();
    let mut rows = Vec::new();
    for r in 0..ys.len().saturating_sub(1) {
        let mut row: Vec<(usize, Cell)> = spans
            .iter()
            .filter(|s| s.0 <= r && r < s.1)
            .map(|&(r0, r1, c0, c1, c)| {
                let v_merge = match (r1 - r0 > 1, r == r0) {
                    (false, _) => VMerge::None,
                    (true, true) => VMerge::Restart,
                    (true, false) => VMerge::Continue,
                };
                let text = if r == r0 {
                    c.text.clone()
                } else {
                    String::new()
                };
                let cell = Cell {
                    text,
                    col_span: u32::try_from(c1 - c0).unwrap_or(1),
                    v_merge,
                    tables: Vec::new(),
                };
                (c0, cell)
            })
            .collect();
        row.sort_by_key(|(c0, _)| *c0);
        rows.push(row.into_iter().map(|(_, c)| c).collect());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::texts;

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    fn word(x0: f32, y0: f32, x1: f32, text: &str) -> Word {
        Word {
            rect: r(x0, y0, x1, y0 + 12.0),
            text: text.into(),
        }
    }

    #[test]
    fn characters_go_to_the_cell_they_stand_in() {
        let cells = [r(0.0, 0.0, 50.0, 20.0), r(50.0, 0.0, 100.0, 20.0)];
        // One word run over the rule: 新增企 | 业 (four characters of 12 points).
        let words = [
            word(14.0, 4.0, 62.0, "新增企业"),
            word(200.0, 4.0, 224.0, "页眉"),
        ];
        let (filled, outside) = fill(&cells, &words);
        assert_eq!(filled[0].text, "新增企");
        assert_eq!(filled[1].text, "业");
        assert_eq!(outside.len(), 1);
        assert_eq!(outside[0].text, "页眉");
    }

    #[test]
    fn wrapped_lines_join_and_broken_lines_keep_a_break() {
        let cell = r(0.0, 0.0, 80.0, 60.0);
        let words = [
            word(4.0, 2.0, 76.0, "农业保险承保"),
            word(4.0, 16.0, 28.0, "面积"),
            word(4.0, 30.0, 40.0, "(50"),
            word(43.0, 30.0, 55.0, "分)"),
        ];
        let (filled, _) = fill(&[cell], &words);
        assert_eq!(filled[0].text, "农业保险承保面积\n(50分)");
    }

    #[test]
    fn merged_cells_become_spans_and_continuations() {
        let t = BoxTable {
            cells: vec![
                BoxCell {
                    rect: r(0.0, 0.0, 50.0, 40.0),
                    text: "产出指标".into(),
                },
                BoxCell {
                    rect: r(50.0, 0.0, 150.0, 20.0),
                    text: "数量".into(),
                },
                BoxCell {
                    rect: r(50.0, 20.0, 100.0, 40.0),
                    text: "a".into(),
                },
                BoxCell {
                    rect: r(100.0, 20.0, 150.0, 40.0),
                    text: "b".into(),
                },
            ],
        };
        let g = grid(&t);
        assert_eq!(texts(&g), [vec!["产出指标", "数量"], vec!["", "a", "b"]]);
        assert_eq!(g[0][0].v_merge, VMerge::Restart);
        assert_eq!(g[1][0].v_merge, VMerge::Continue);
        assert_eq!(g[0][1].col_span, 2);
    }

    #[test]
    fn a_table_goes_on_over_the_page_without_its_repeated_header() {
        let cell = |x0: f32, y0: f32, x1: f32, y1: f32, t: &str| BoxCell {
            rect: r(x0, y0, x1, y1),
            text: t.into(),
        };
        let mut first = BoxTable {
            cells: vec![
                cell(0.0, 700.0, 50.0, 720.0, "一级指标"),
                cell(50.0, 700.0, 100.0, 720.0, "指标值"),
                cell(0.0, 720.0, 50.0, 800.0, "产出指标"),
                cell(50.0, 720.0, 100.0, 760.0, "1"),
                cell(50.0, 760.0, 100.0, 800.0, "2"),
            ],
        };
        let next = BoxTable {
            cells: vec![
                cell(0.0, 50.0, 50.0, 70.0, "一级指标"),
                cell(50.0, 50.0, 100.0, 70.0, "指标值"),
                cell(0.0, 70.0, 50.0, 90.0, ""),
                cell(50.0, 70.0, 100.0, 90.0, "3"),
            ],
        };
        assert!(continues(&first, &next));
        append(&mut first, next);
        let g = grid(&first);
        assert_eq!(
            texts(&g),
            [
                vec!["一级指标", "指标值"],
                vec!["产出指标", "1"],
                vec!["", "2"],
                vec!["", "3"]
            ]
        );
        assert_eq!(g[3][0].v_merge, VMerge::Continue);
        // A row cut by the next break: its first cell is empty, its value runs on.
        let cut = BoxTable {
            cells: vec![
                cell(0.0, 40.0, 50.0, 60.0, ""),
                cell(50.0, 40.0, 100.0, 60.0, "（含）"),
                cell(0.0, 60.0, 50.0, 80.0, "满意度"),
                cell(50.0, 60.0, 100.0, 80.0, "95%"),
            ],
        };
        let mut before = BoxTable {
            cells: vec![
                cell(0.0, 0.0, 50.0, 30.0, "采购流程"),
                cell(50.0, 0.0, 100.0, 30.0, "60万元以下"),
            ],
        };
        append(&mut before, cut);
        assert_eq!(
            texts(&grid(&before)),
            [vec!["采购流程", "60万元以下（含）"], vec!["满意度", "95%"]]
        );
        let other_columns = BoxTable {
            cells: vec![
                cell(0.0, 0.0, 40.0, 20.0, "x"),
                cell(40.0, 0.0, 100.0, 20.0, "y"),
            ],
        };
        assert!(!continues(&first, &other_columns));
        let narrower = BoxTable {
            cells: vec![
                cell(0.0, 0.0, 50.0, 20.0, "x"),
                cell(50.0, 0.0, 80.0, 20.0, "y"),
            ],
        };
        assert!(!continues(&first, &narrower));
    }
}
