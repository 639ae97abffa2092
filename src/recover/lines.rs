//! Tokenizer for dumps that write one cell per line, in each writer's convention:
//! `cell |` lines with a lone `|` for an empty cell or a row end and `||||` padding at row
//! ends; bare cell lines alternating with lone `|` separator lines; bare cell lines separated
//! by blank lines, with a lone space (or `……`) for an empty cell.
//!
//! Bars and blank lines are not trusted to count cells (writers use the same mark for an
//! empty cell and a row end): the assembler reads only the cells with text, and aligns them
//! by what they can mean.

/// What one line of a one-cell-per-line dump holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// One cell's text, trimmed of its bars and spaces.
    Cell(&'a str),
    /// A mark with no text: a blank line, a lone space, a lone `|`, a `||||` row end, `……`.
    Mark,
}

const BARS: [char; 2] = ['|', '｜'];

/// Spaces as dumps write them, the ideographic space included.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The line as one cell, or `None` when it holds several cells (a row of a `|` table, a
/// TAB-cell line): such a line belongs to another dialect and ends the run.
pub fn read(line: &str) -> Option<Line<'_>> {
    if line.starts_with('\t') {
        return None;
    }
    let t = line.trim_matches(is_space);
    if t.chars().all(|c| BARS.contains(&c) || is_space(c)) {
        return Some(Line::Mark);
    }
    let inner = t
        .strip_suffix(BARS)
        .unwrap_or(t)
        .trim_matches(is_space)
        .strip_prefix(BARS)
        .unwrap_or_else(|| t.strip_suffix(BARS).unwrap_or(t))
        .trim_matches(is_space);
    if inner.contains(BARS) {
        return None;
    }
    // An ellipsis holds the place of a row the form left unfilled.
    if inner.chars().all(|c| matches!(c, '…' | '.' | '。')) {
        return Some(Line::Mark);
    }
    Some(Line::Cell(inner))
}

/// The cells of the one-cell-per-line run from line `start`, each with the line after it,
/// up to the first line of another dialect. Lazy: an assembler takes only what it reads.
pub fn cells<'a>(lines: &'a [&'a str], start: usize) -> impl Iterator<Item = (&'a str, usize)> {
    lines
        .iter()
        .enumerate()
        .skip(start)
        .map_while(|(k, line)| read(line).map(|l| (l, k + 1)))
        .filter_map(|(l, after)| match l {
            Line::Cell(t) => Some((t, after)),
            Line::Mark => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_writer_s_cell_and_mark() {
        assert_eq!(read("巡河次数 |"), Some(Line::Cell("巡河次数")));
        assert_eq!(read("| 河面保洁率 |"), Some(Line::Cell("河面保洁率")));
        assert_eq!(read("≥48次"), Some(Line::Cell("≥48次")));
        for mark in ["|", "||||", " ", "", "\u{3000}", "……", " | "] {
            assert_eq!(read(mark), Some(Line::Mark), "{mark:?}");
        }
    }

    #[test]
    fn a_line_of_several_cells_is_another_dialect() {
        assert_eq!(read("数量指标 | 巡河次数 | 15 |"), None);
        assert_eq!(read("\t巡河次数"), None);
    }
}
