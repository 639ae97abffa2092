//! Tables from ruling lines: the borders drawn on a page (found in its black-and-white
//! drawing) cut it into cells. A table is a set of horizontal and vertical rules that cross
//! one another; the positions of its rules make a grid, each grid square is joined to its
//! neighbour where no rule separates them, and every joined region that is a rectangle
//! closed on all four sides is a cell, merged cells included. A set of rules that does not
//! close into rectangles (a frame around a paragraph, underlines, a chart) is no table: its
//! words stay text.

use super::words::Rect;

/// A page drawing in grey (PGM `P5`), kept as ink or paper for each pixel. A hairline
/// border drawn at this size is a pixel of mid grey, so ink is anything darker than
/// [`INK`] of white: light cell shading (about 85% white) stays paper.
pub struct Bitmap {
    width: usize,
    height: usize,
    ink: Vec<bool>,
}

/// The share of white below which a pixel is ink.
const INK: f32 = 0.8;

impl Bitmap {
    /// Reads a binary PGM of 8-bit samples; none if the header or the size does not add up.
    pub fn from_pgm(bytes: &[u8]) -> Option<Bitmap> {
        let rest = bytes.strip_prefix(b"P5")?;
        let mut fields = [0usize; 3];
        let mut at = 0;
        for field in &mut fields {
            // Whitespace and `#` comments, then digits.
            loop {
                match rest.get(at)? {
                    c if c.is_ascii_whitespace() => at += 1,
                    b'#' => at += rest.get(at..)?.iter().position(|&c| c == b'\n')?,
                    _ => break,
                }
            }
            let digits = rest
                .get(at..)?
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            *field = std::str::from_utf8(rest.get(at..at + digits)?)
                .ok()?
                .parse()
                .ok()?;
            at += digits;
        }
        let [width, height, max] = fields;
        if width == 0 || height == 0 || max == 0 || max > 255 {
            return None;
        }
        // One whitespace byte ends the header.
        let samples = rest.get(at + 1..)?.get(..width.checked_mul(height)?)?;
        let dark = (max as f32 * INK) as u8;
        Some(Bitmap {
            width,
            height,
            ink: samples.iter().map(|&v| v < dark).collect(),
        })
    }

    /// A drawing from its ink, row by row; none if the size does not add up.
    pub fn from_ink(width: usize, height: usize, ink: Vec<bool>) -> Option<Bitmap> {
        (width > 0 && height > 0 && ink.len() == width.checked_mul(height)?).then_some(Bitmap {
            width,
            height,
            ink,
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn black(&self, x: usize, y: usize) -> bool {
        x < self.width && self.ink.get(y * self.width + x).copied().unwrap_or(false)
    }
}

/// A rule: a thin run of black, horizontal (`at` is its row, `from..to` its columns) or
/// vertical (`at` its column, `from..to` its rows), in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rule {
    at: f32,
    from: usize,
    to: usize,
}

/// The rules of one direction: runs of at least `min_len` black pixels along each line,
/// joined across up to `MAX_THICK` neighbouring lines (a rule drawn two or three pixels
/// thick); a run thicker than that is a filled area, not a rule.
fn rules(
    lines: usize,
    len: usize,
    min_len: usize,
    black: impl Fn(usize, usize) -> bool,
) -> Vec<Rule> {
    const MAX_THICK: usize = 4;
    // Open rules: (first line, last line, from, to).
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done = Vec::new();
    let mut close = |(first, last, from, to): (usize, usize, usize, usize)| {
        if last - first < MAX_THICK {
            done.push(Rule {
                at: (first + last) as f32 / 2.0,
                from,
                to,
            });
        }
    };
    for line in 0..lines {
        let mut runs = Vec::new();
        let mut start = None;
        for i in 0..=len {
            let b = i < len && black(line, i);
            match (b, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if i - s >= min_len {
                        runs.push((s, i));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        let mut next = Vec::with_capacity(runs.len());
        for (from, to) in runs {
            // Continues an open rule of the line before that covers mostly the same span.
            let hit = open.iter().position(|&(_, last, f, t)| {
                last + 1 == line
                    && from.max(f) < to.min(t)
                    && overlap(from, to, f, t) * 2 > to - from
            });
            match hit {
                Some(k) => {
                    let (first, _, f, t) = open.swap_remove(k);
                    next.push((first, line, f.min(from), t.max(to)));
                }
                None => next.push((line, line, from, to)),
            }
        }
        for o in open.drain(..) {
            close(o);
        }
        open = next;
    }
    for o in open {
        close(o);
    }
    done
}

fn overlap(a0: usize, a1: usize, b0: usize, b1: usize) -> usize {
    a1.min(b1).saturating_sub(a0.max(b0))
}

/// Positions that lie within `tol` of one another (sorted), as one position each.
fn cluster(mut xs: Vec<f32>, tol: f32) -> Vec<f32> {
    xs.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in xs {
        match out.last_mut() {
            Some((sum, n)) if x - *sum / *n as f32 <= tol => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(sum, n)| sum / n as f32).collect()
}

/// Union-find over indices.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.0.get(i) {
            if p == i {
                break;
            }
            let grand = self.0.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(i) {
                *slot = grand;
            }
            i = p;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if let Some(slot) = self.0.get_mut(a.max(b)) {
            *slot = a.min(b);
        }
    }
}

/// The tables drawn on a page: each a list of cells, boxes in points. `scale` is pixels a
/// point.
pub fn tables(page: &Bitmap, scale: f32) -> Vec<Vec<Rect>> {
    if scale <= 0.0 || !scale.is_finite() {
        return Vec::new();
    }
    // A rule is longer than a stroke of a character at the largest body size (16 pt); a
    // table's narrowest column and lowest row are wider and higher than that.
    // At least a few pixels whatever the scale: a page box hundreds of inches wide drawn to
    // 700 pixels would otherwise make every speck a rule.
    let min_len = ((14.0 * scale).ceil() as usize).max(MIN_RULE_PIXELS);
    let tol = (2.0 * scale).max(2.0);
    let (w, h) = (page.width, page.height);
    let horizontal = rules(h, w, min_len, |y, x| page.black(x, y));
    let vertical = rules(w, h, min_len, |x, y| page.black(x, y));
    if horizontal.len() > MAX_RULES || vertical.len() > MAX_RULES {
        return Vec::new();
    }
    let (horizontal, vertical) = ruling_lines(horizontal, vertical, w, h, tol);
    // Rules that cross or touch belong to one table.
    let n = horizontal.len();
    let mut sets = Sets::new(n + vertical.len());
    for (i, hr) in horizontal.iter().enumerate() {
        for (j, vr) in vertical.iter().enumerate() {
            if crosses(hr, vr, tol) {
                sets.union(i, n + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> = Default::default();
    for (i, r) in horizontal.iter().enumerate() {
        groups.entry(sets.find(i)).or_default().0.push(*r);
    }
    for (j, r) in vertical.iter().enumerate() {
        groups.entry(sets.find(n + j)).or_default().1.push(*r);
    }
    groups
        .into_values()
        .filter(|(hs, vs)| hs.len() >= 2 && vs.len() >= 2)
        .filter_map(|(mut hs, mut vs)| {
            // A table wider (or longer) than the page is cut by its edge: where two of its
            // rules or more run into an edge, the edge closes their cells.
            let at_left = edge(&hs, |r| r.from <= 1, 0.0);
            let at_right = edge(&hs, |r| r.to + 2 >= w, (w - 1) as f32);
            let at_top = edge(&vs, |r| r.from <= 1, 0.0);
            let at_bottom = edge(&vs, |r| r.to + 2 >= h, (h - 1) as f32);
            vs.extend(at_left.into_iter().chain(at_right));
            hs.extend(at_top.into_iter().chain(at_bottom));
            cells(&hs, &vs, tol)
        })
        .map(|cells| {
            cells
                .into_iter()
                .map(|r| Rect {
                    x0: r.x0 / scale,
                    y0: r.y0 / scale,
                    x1: r.x1 / scale,
                    y1: r.y1 / scale,
                })
                .collect()
        })
        .collect()
}

/// The rules that are ruling lines and not strokes of writing: a ruling line meets two
/// rules across it at least (the two sides of the cell it closes, or the columns it runs
/// across), a page edge counting as one; a stroke stops at its character's edge and meets
/// at most one (writing that touches a border). Scanned text is drawn bold and blurred, so
/// the strokes of two characters side by side (`分值`) can make a run as long as a narrow
/// cell is wide; as a rule it would split the cell. A stroke left out can leave another
/// stroke that met it alone, so this repeats until nothing more goes.
fn ruling_lines(
    mut hs: Vec<Rule>,
    mut vs: Vec<Rule>,
    w: usize,
    h: usize,
    tol: f32,
) -> (Vec<Rule>, Vec<Rule>) {
    let edges = |r: &Rule, len: usize| usize::from(r.from <= 1) + usize::from(r.to + 2 >= len);
    loop {
        let before = (hs.len(), vs.len());
        let kept_h: Vec<Rule> = hs
            .iter()
            .filter(|hr| vs.iter().filter(|vr| crosses(hr, vr, tol)).count() + edges(hr, w) >= 2)
            .copied()
            .collect();
        vs.retain(|vr| hs.iter().filter(|hr| crosses(hr, vr, tol)).count() + edges(vr, h) >= 2);
        hs = kept_h;
        if (hs.len(), vs.len()) == before {
            return (hs, vs);
        }
    }
}

/// A rule along a page edge at `at`, spanning the rules (two at least) that run into it.
fn edge(rules: &[Rule], reaches: impl Fn(&Rule) -> bool, at: f32) -> Option<Rule> {
    let mut ends = rules.iter().filter(|r| reaches(r)).map(|r| r.at);
    let first = ends.next()?;
    let (lo, hi) = ends.fold((first, first), |(lo, hi), y| (lo.min(y), hi.max(y)));
    (hi > lo).then_some(Rule {
        at,
        from: lo.floor() as usize,
        to: hi.ceil() as usize + 1,
    })
}

fn crosses(hr: &Rule, vr: &Rule, tol: f32) -> bool {
    vr.at >= hr.from as f32 - tol
        && vr.at <= hr.to as f32 + tol
        && hr.at >= vr.from as f32 - tol
        && hr.at <= vr.to as f32 + tol
}

/// Whether the rules at `at` (within `tol`) cover most of `from..to` (a line ends a little
/// short of a crossing rule, or is drawn in pieces).
fn covered(rules: &[Rule], at: f32, from: f32, to: f32, tol: f32) -> bool {
    let len = to - from;
    let inner = (from + tol, to - tol);
    let mut spans: Vec<(f32, f32)> = rules
        .iter()
        .filter(|r| (r.at - at).abs() <= tol)
        .map(|r| ((r.from as f32).max(inner.0), (r.to as f32).min(inner.1)))
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut sum = 0.0;
    let mut reach = inner.0;
    for (a, b) in spans {
        let a = a.max(reach);
        if b > a {
            sum += b - a;
            reach = b;
        }
    }
    len > 0.0 && sum >= 0.8 * (inner.1 - inner.0).max(0.0)
}

/// The shortest rule, in pixels.
const MIN_RULE_PIXELS: usize = 6;
/// Rules of one direction on a page: a page of tables has a few hundred; more is a picture
/// or hatching, whose rules are not worth crossing with one another.
const MAX_RULES: usize = 2_000;

/// Grid squares one group of rules may make: a page of a table has a few dozen rows and
/// columns; a page of graph paper or hatching is no table, and is not worth the work.
const MAX_SQUARES: usize = 10_000;

/// The cells closed by one group of crossing rules, in pixels; none if a region they close is
/// not a rectangle or fewer than two cells are closed.
fn cells(hs: &[Rule], vs: &[Rule], tol: f32) -> Option<Vec<Rect>> {
    let ys = cluster(hs.iter().map(|r| r.at).collect(), tol);
    let xs = cluster(vs.iter().map(|r| r.at).collect(), tol);
    let (rows, cols) = (ys.len().checked_sub(1)?, xs.len().checked_sub(1)?);
    if rows == 0 || cols == 0 || rows * cols > MAX_SQUARES {
        return None;
    }
    let y = |i: usize| ys.get(i).copied().unwrap_or(0.0);
    let x = |j: usize| xs.get(j).copied().unwrap_or(0.0);
    // Whether a rule closes each side of each grid square.
    let right = |i: usize, j: usize| covered(vs, x(j + 1), y(i), y(i + 1), tol);
    let left = |i: usize, j: usize| covered(vs, x(j), y(i), y(i + 1), tol);
    let below = |i: usize, j: usize| covered(hs, y(i + 1), x(j), x(j + 1), tol);
    let above = |i: usize, j: usize| covered(hs, y(i), x(j), x(j + 1), tol);
    let id = |i: usize, j: usize| i * cols + j;
    let mut sets = Sets::new(rows * cols);
    for i in 0..rows {
        for j in 0..cols {
            if j + 1 < cols && !right(i, j) {
                sets.union(id(i, j), id(i, j + 1));
            }
            if i + 1 < rows && !below(i, j) {
                sets.union(id(i, j), id(i + 1, j));
            }
        }
    }
    // Each region: its grid squares' bounds, its count, and whether it is open to the outside.
    let mut regions: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize, bool)> =
        Default::default();
    for i in 0..rows {
        for j in 0..cols {
            let open = (j == 0 && !left(i, j))
                || (j + 1 == cols && !right(i, j))
                || (i == 0 && !above(i, j))
                || (i + 1 == rows && !below(i, j));
            let e = regions
                .entry(sets.find(id(i, j)))
                .or_insert((i, j, i, j, 0, false));
            e.0 = e.0.min(i);
            e.1 = e.1.min(j);
            e.2 = e.2.max(i);
            e.3 = e.3.max(j);
            e.4 += 1;
            e.5 |= open;
        }
    }
    let mut out = Vec::new();
    for (i0, j0, i1, j1, count, open) in regions.into_values() {
        if open {
            continue;
        }
        if count != (i1 - i0 + 1) * (j1 - j0 + 1) {
            return None;
        }
        out.push(Rect {
            x0: x(j0),
            y0: y(i0),
            x1: x(j1 + 1),
            y1: y(i1 + 1),
        });
    }
    (out.len() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PGM of `w`×`h`, white, with the given rectangles (x0, y0, x1, y1; ends exclusive)
    /// in mid grey, as a hairline is drawn.
    fn pgm(w: usize, h: usize, boxes: &[(usize, usize, usize, usize)]) -> Vec<u8> {
        let mut out = format!("P5\n# drawn\n{w} {h}\n255\n").into_bytes();
        let mut px = vec![255u8; w * h];
        for &(x0, y0, x1, y1) in boxes {
            for y in y0..y1 {
                for x in x0..x1 {
                    px[y * w + x] = 128;
                }
            }
        }
        out.extend(px);
        out
    }

    /// Horizontal and vertical one-pixel lines.
    fn grid(
        hs: &[(usize, usize, usize)],
        vs: &[(usize, usize, usize)],
    ) -> Vec<(usize, usize, usize, usize)> {
        hs.iter()
            .map(|&(y, x0, x1)| (x0, y, x1, y + 1))
            .chain(vs.iter().map(|&(x, y0, y1)| (x, y0, x + 1, y1)))
            .collect()
    }

    fn boxes(t: &[Rect]) -> Vec<(i32, i32, i32, i32)> {
        let mut v: Vec<_> = t
            .iter()
            .map(|r| {
                (
                    r.x0.round() as i32,
                    r.y0.round() as i32,
                    r.x1.round() as i32,
                    r.y1.round() as i32,
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_grid_with_a_merged_cell() {
        // 3 columns × 2 rows; the first column's two rows are one cell (no rule between).
        let lines = grid(
            &[(10, 10, 311), (40, 110, 311), (70, 10, 311)],
            &[(10, 10, 71), (110, 10, 71), (210, 10, 71), (310, 10, 71)],
        );
        let page = Bitmap::from_pgm(&pgm(400, 100, &lines)).unwrap();
        let t = tables(&page, 1.0);
        assert_eq!(t.len(), 1);
        assert_eq!(
            boxes(&t[0]),
            [
                (10, 10, 110, 70),
                (110, 10, 210, 40),
                (110, 40, 210, 70),
                (210, 10, 310, 40),
                (210, 40, 310, 70)
            ]
        );
    }

    #[test]
    fn a_table_cut_by_the_page_edge_is_closed_by_it() {
        // Two columns; the second runs off the right edge, which has no rule of its own.
        let lines = grid(
            &[(10, 10, 200), (40, 10, 200), (70, 10, 200)],
            &[(10, 10, 71), (110, 10, 71)],
        );
        let page = Bitmap::from_pgm(&pgm(200, 100, &lines)).unwrap();
        let t = tables(&page, 1.0);
        assert_eq!(t.len(), 1);
        assert_eq!(
            boxes(&t[0]),
            [
                (10, 10, 110, 40),
                (10, 40, 110, 70),
                (110, 10, 199, 40),
                (110, 40, 199, 70)
            ]
        );
        // A second such table lower down stays a table of its own.
        let two: Vec<_> = lines
            .iter()
            .chain(&grid(
                &[(100, 10, 200), (130, 10, 200)],
                &[(10, 100, 131), (110, 100, 131)],
            ))
            .copied()
            .collect();
        let page = Bitmap::from_pgm(&pgm(200, 140, &two)).unwrap();
        assert_eq!(
            tables(&page, 1.0).iter().map(Vec::len).collect::<Vec<_>>(),
            [4, 2]
        );
    }

    #[test]
    fn frames_strokes_and_filled_areas_are_no_table() {
        // One framed paragraph: a single cell.
        let frame = grid(
            &[(10, 10, 200), (60, 10, 200)],
            &[(10, 10, 61), (199, 10, 61)],
        );
        // Short strokes (a character's) and a thick filled bar.
        let strokes = [(20, 80, 30, 81), (40, 80, 41, 90), (10, 100, 300, 120)];
        let all: Vec<_> = frame.iter().copied().chain(strokes).collect();
        let page = Bitmap::from_pgm(&pgm(320, 130, &all)).unwrap();
        assert!(tables(&page, 1.0).is_empty());
    }

    #[test]
    fn strokes_of_writing_inside_a_cell_do_not_split_it() {
        // 2 columns × 1 row; in the narrow right cell a horizontal run as long as most of
        // its width (two bold characters side by side), touching neither side, and in the
        // left cell a vertical run touching the top rule only.
        let lines = grid(
            &[(10, 10, 141), (25, 113, 137), (60, 10, 141)],
            &[(10, 10, 61), (30, 10, 40), (110, 10, 61), (140, 10, 61)],
        );
        let page = Bitmap::from_pgm(&pgm(200, 80, &lines)).unwrap();
        let t = tables(&page, 1.0);
        assert_eq!(t.len(), 1);
        assert_eq!(boxes(&t[0]), [(10, 10, 110, 60), (110, 10, 140, 60)]);
        // A rule meeting both sides of the same cell does split it.
        let split = grid(
            &[(10, 10, 141), (35, 110, 141), (60, 10, 141)],
            &[(10, 10, 61), (110, 10, 61), (140, 10, 61)],
        );
        let page = Bitmap::from_pgm(&pgm(200, 80, &split)).unwrap();
        assert_eq!(
            boxes(&tables(&page, 1.0)[0]),
            [(10, 10, 110, 60), (110, 10, 140, 35), (110, 35, 140, 60)]
        );
    }

    #[test]
    fn an_l_shaped_region_refuses_the_table() {
        // The middle rule stops halfway, and a vertical joins it into an L.
        let lines = grid(
            &[(10, 10, 211), (40, 10, 110), (70, 10, 211), (100, 10, 211)],
            &[(10, 10, 101), (110, 40, 71), (210, 10, 101)],
        );
        let page = Bitmap::from_pgm(&pgm(300, 120, &lines)).unwrap();
        assert!(tables(&page, 1.0).is_empty());
    }

    #[test]
    fn graph_paper_is_no_table() {
        let hs: Vec<_> = (0..120).map(|i| (2 + 3 * i, 2, 400)).collect();
        let vs: Vec<_> = (0..130).map(|i| (2 + 3 * i, 2, 363)).collect();
        let page = Bitmap::from_pgm(&pgm(400, 370, &grid(&hs, &vs))).unwrap();
        assert!(tables(&page, 0.2).is_empty());
    }

    #[test]
    fn bad_pgm_headers_are_refused() {
        for bad in [
            &b"P5\n10"[..],
            b"P5 2 2 255\n\x00",
            b"P4\n1 1\n\x00",
            b"P5\n0 0 255\n",
            b"P5\n1 1 65535\n\x00\x00",
            b"P5\n# only a comment",
        ] {
            assert!(Bitmap::from_pgm(bad).is_none());
        }
        let one = Bitmap::from_pgm(b"P5\n2 1\n255\n\x80\xf0").unwrap();
        assert!(one.black(0, 0) && !one.black(1, 0) && !one.black(2, 0) && !one.black(0, 1));
    }
}
