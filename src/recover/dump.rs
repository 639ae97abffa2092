//! A text dump's lines into paragraphs and tables: the TAB-cell tables of text dumps, and
//! every layout the recover stage knows (pipe rows, scoring rubrics, space-aligned columns,
//! forms flattened into one line, hard-wrapped paragraphs).
//!
//! In a dump, a table row is a block of lines, one cell a line, each cell line starting with
//! a TAB, rows separated by one empty line. A cell whose text has line breaks continues on
//! the following lines without a TAB — even across one empty line, when the lines after it
//! lead straight into the next TAB cell of the same row (a row never starts without a TAB,
//! so such lines cannot start a row). Every other non-empty line is a paragraph, joined with
//! the lines it runs on into when the dump is hard-wrapped (a PDF's text: [`wrapped`]).

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Cell, Document, Paragraph, Table};
use crate::error::ReadError;
use crate::limits::Limits;
use crate::normalize::text::{fold_width, has_digit, join, without_invisible};
use crate::recover::{pipes, rubric, spaced, stream, wrapped};

static BOOKMARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[bookmark: [^\]\r\n]{0,200}\]").expect("static regex"));

/// A line as the table recovery sees it.
fn is_blank(line: &str) -> bool {
    line.trim_matches(|c| c == ' ' || c == '\r').is_empty()
}

/// Whether the run of pipe lines from `start` is a table: one of its lines has two bars.
fn pipe_block_end(lines: &[&str], start: usize) -> Option<usize> {
    let end = (start..lines.len())
        .find(|&k| lines.get(k).is_none_or(|l| !pipes::is_pipe_line(l)))
        .unwrap_or(lines.len());
    lines
        .get(start..end)?
        .iter()
        .any(|l| l.matches(['|', '｜']).count() >= 2)
        .then_some(end)
}

fn is_cell(line: &str) -> bool {
    line.starts_with('\t')
}

/// A table row written with TABs between its cells (`年度资金总额\t120\t108`), as a
/// spreadsheet or a copied web table pastes it. A line that starts with a TAB is one cell of
/// the one-cell-per-line dump instead ([`is_cell`]).
fn is_tab_row(line: &str) -> bool {
    !is_cell(line) && line.trim_end_matches(['\t', ' ', '\r']).contains('\t')
}

/// The run of TAB rows from `start`, each split at its TABs (empty cells kept, trailing ones
/// too: their place says which column a value is in), and the first line after it.
fn tab_rows(lines: &[&str], start: usize) -> (Vec<Vec<Cell>>, usize) {
    let end = (start..lines.len())
        .find(|&k| lines.get(k).is_none_or(|l| !is_tab_row(l)))
        .unwrap_or(lines.len());
    let rows = lines
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|l| l.split('\t').map(Cell::text).collect())
        .collect();
    (rows, end)
}

/// A line of running text: not blank, not a table's row or cell, not columns.
fn is_prose(line: &str) -> bool {
    !is_blank(line)
        && !is_cell(line)
        && !is_tab_row(line)
        && !pipes::is_pipe_line(line)
        && !line.contains("   ")
}

/// A line that only numbers a page, and says so: `- 3 -`, `— 3 —`, `第3页`, `第3页 共10页`.
/// A bare `3` is not one: in a dump it is as likely a table's cell.
fn is_page_mark(line: &str) -> bool {
    if line.len() > 40 || !has_digit(line) {
        return false;
    }
    let t: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_width)
        .collect();
    let is_dash = |c: char| matches!(c, '-' | '—' | '–' | '－' | '―');
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let dashed =
        t.starts_with(is_dash) && t.ends_with(is_dash) && all_digits(t.trim_matches(is_dash));
    let paged = t.starts_with(['第', '共'])
        && t.ends_with('页')
        && t.chars()
            .filter(|c| !matches!(c, '第' | '页' | '共' | '/' | ',' | '，'))
            .all(|c| c.is_ascii_digit());
    dashed || paged
}

/// The lines without page marks (a PDF's text dump numbers its pages between the lines, even
/// inside a table), and without the form feed that opens a page. A mark between two blank
/// lines takes one of them with it, so the rows around it stay one blank line apart.
fn without_page_marks(lines: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut skip_blank = false;
    for line in lines {
        let line = line.trim_start_matches('\x0c');
        if is_page_mark(line) {
            skip_blank = out.last().is_some_and(|l| is_blank(l));
            continue;
        }
        if !(skip_blank && is_blank(line)) {
            out.push(line);
        }
        skip_blank = false;
    }
    out
}

/// Parses decoded text into a document.
pub fn parse(text: &str) -> Result<Document, ReadError> {
    parse_with(text, &Limits::DEFAULT)
}

/// The blocks of a document being built, numbered as they come, with the cells counted
/// against the limit.
struct Blocks<'l> {
    limits: &'l Limits,
    blocks: Vec<Block>,
    paras: usize,
    tables: usize,
    cells: usize,
}

impl Blocks<'_> {
    fn paragraph(&mut self, text: String) -> Result<(), ReadError> {
        // Refused as the blocks come, not once millions of short lines are held.
        if self.blocks.len() >= self.limits.blocks {
            return Err(self.limits.too_many_blocks());
        }
        self.paras += 1;
        self.blocks.push(Block::Paragraph(Paragraph {
            index: self.paras,
            text,
        }));
        Ok(())
    }

    /// A table whose cells are not counted yet.
    fn table(&mut self, rows: Vec<Vec<Cell>>, spaced: bool) -> Result<(), ReadError> {
        self.cells += rows.iter().map(Vec::len).sum::<usize>();
        if self.cells > self.limits.table_cells {
            return Err(self.limits.too_many_cells());
        }
        self.push_table(rows, spaced);
        Ok(())
    }

    /// A table whose cells were counted while it was read.
    fn push_table(&mut self, rows: Vec<Vec<Cell>>, spaced: bool) {
        self.tables += 1;
        self.blocks.push(Block::Table(Table {
            index: self.tables,
            rows,
            spaced,
        }));
    }
}

/// A table assembler: the rows of a table that starts at a line, and the first line after it
/// (the line itself when it stays to be read as text too). A text file's own lines are asked
/// of [`super::table_at`] each; a PDF's text between its ruled tables is not.
pub type Recover = fn(&[&str], usize) -> Option<(Vec<Vec<Cell>>, usize)>;

/// [`parse`] under the given limits.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Document, ReadError> {
    parse_recovering(text, limits, |_, _| None)
}

/// [`parse_with`], asking `recover` first at each line whether a table starts there.
pub fn parse_recovering(
    text: &str,
    limits: &Limits,
    recover: Recover,
) -> Result<Document, ReadError> {
    // Invisible characters out first: one inside a column word or a cell hides it from the
    // table rules below.
    let visible = without_invisible(text);
    let cleaned = BOOKMARK.replace_all(&visible, "");
    let lines: Vec<&str> = cleaned
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if let Some(l) = lines.iter().find(|l| l.len() > limits.text_bytes) {
        return Err(limits.text_too_long("a line", l.len()));
    }
    let lines = without_page_marks(lines);
    let mut b = Blocks {
        limits,
        blocks: Vec::new(),
        paras: 0,
        tables: 0,
        cells: 0,
    };
    // A dump of a PDF's text keeps the page's line breaks: its paragraphs are joined again.
    let margin = wrapped::margin(&lines, is_prose);
    let mut i = 0;
    // Lines below this were asked already whether a table starts there.
    let mut asked = 0;
    while let Some(&line) = lines.get(i) {
        if i >= asked {
            asked = i + 1;
            if let Some((rows, end)) = recover(&lines, i) {
                b.table(rows, true)?;
                // A table read out of a line that also stays text (a flattened run).
                if end > i {
                    i = end;
                    continue;
                }
            }
        }
        if let Some(end) = pipe_block_end(&lines, i) {
            // `a | b | c` rows (web and PDF dumps): consecutive ones form a table, up to
            // where a table the recover stage knows starts.
            let end = (i + 1..end)
                .find(|&k| recover(&lines, k).is_some_and(|(_, e)| e > k))
                .unwrap_or(end);
            let rows = pipes::rows(lines.get(i..end).unwrap_or_default());
            i = end;
            if rows.is_empty() {
                continue;
            }
            b.table(rows, false)?;
        } else if is_tab_row(line) {
            let (rows, end) = tab_rows(&lines, i);
            b.table(rows, false)?;
            i = end;
        } else if let Some((rows, end)) = rubric::may_start(line)
            .then(|| rubric::block(&lines, i))
            .flatten()
        {
            // A scoring rubric run on over lines: its lines stay paragraphs, its rows a table.
            for line in lines.get(i..end).unwrap_or_default() {
                if !line.trim().is_empty() {
                    b.paragraph(line.to_string())?;
                }
            }
            b.table(rows, false)?;
            i = end;
        } else if let Some(pieces) = stream::split(line) {
            // A whole form flattened into one line (before
            // the space columns: its header words are theirs too).
            for piece in pieces {
                match piece {
                    stream::Piece::Text(text) => b.paragraph(text)?,
                    stream::Piece::Table { rows, spaced } => b.table(rows, spaced)?,
                }
            }
            i += 1;
        } else if spaced::is_header(line) {
            // Columns separated by runs of spaces, under a header of column words.
            let (rows, next) = spaced::block(&lines, i);
            b.table(rows, true)?;
            i = next;
        } else if is_cell(line) {
            let (rows, next) = parse_table(&lines, i, &mut b.cells, limits)?;
            b.push_table(rows, false);
            i = next;
        } else {
            i += 1;
            if line.trim().is_empty() {
                continue;
            }
            let mut text = line.to_string();
            let mut last = line;
            while let (Some(m), Some(&next)) = (margin, lines.get(i)) {
                let continues = is_prose(next)
                    && wrapped::runs_on(last, next, m)
                    && !spaced::is_header(next)
                    && !rubric::may_start(next);
                if !continues {
                    break;
                }
                join(&mut text, next);
                last = next;
                i += 1;
            }
            b.paragraph(text)?;
        }
    }
    Ok(Document { blocks: b.blocks })
}

/// Reads one table starting at the TAB line `start`; returns its rows and the first line
/// after it.
fn parse_table(
    lines: &[&str],
    start: usize,
    cells: &mut usize,
    limits: &Limits,
) -> Result<(Vec<Vec<Cell>>, usize), ReadError> {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut i = start;
    while let Some(&line) = lines.get(i) {
        if let Some(text) = line.strip_prefix('\t') {
            *cells += 1;
            if *cells > limits.table_cells {
                return Err(limits.too_many_cells());
            }
            row.push(Cell::text(text));
            i += 1;
        } else if is_blank(line) {
            let after = i + 1;
            match lines.get(after) {
                // A lone multi-line first cell (`绩\n效\n指\n标`) followed by its trailing
                // empty paragraph: the row goes on.
                Some(&l)
                    if is_cell(l)
                        && row.len() == 1
                        && row.iter().any(|c| c.text.contains('\n')) =>
                {
                    i = after;
                }
                // One empty line then a TAB line: the next row.
                Some(&l) if is_cell(l) => {
                    rows.push(std::mem::take(&mut row));
                    i = after;
                }
                // One empty line inside a cell: text lines leading straight to a TAB line.
                Some(&l) if !is_blank(l) && !row.is_empty() => {
                    let mut k = after;
                    while lines.get(k).is_some_and(|l| !is_blank(l) && !is_cell(l)) {
                        k += 1;
                    }
                    if lines.get(k).is_some_and(|l| is_cell(l)) {
                        if let Some(cell) = row.last_mut() {
                            cell.text.push('\n');
                            for l in lines.get(after..k).unwrap_or_default() {
                                cell.text.push('\n');
                                cell.text.push_str(l);
                            }
                        }
                        i = k;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        } else {
            // A line without a TAB continues the cell above it.
            match row.last_mut() {
                Some(cell) => {
                    cell.text.push('\n');
                    cell.text.push_str(line);
                }
                None => break,
            }
            i += 1;
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    Ok((rows, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(doc: &Document) -> Vec<Vec<String>> {
        match doc.blocks.iter().find(|b| matches!(b, Block::Table(_))) {
            Some(Block::Table(t)) => t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn tab_separated_rows_are_a_table_with_their_empty_cells() {
        // Invented: a form pasted from a spreadsheet, an empty 年初 cell, trailing TABs.
        let doc = parse("资金情况\n项目资金\t年初预算数\t全年预算数\t全年执行数\n年度资金总额\t\t52\t50.5\t\n说明文字").unwrap();
        assert_eq!(
            cells(&doc),
            vec![
                vec!["项目资金", "年初预算数", "全年预算数", "全年执行数"],
                vec!["年度资金总额", "", "52", "50.5", ""],
            ]
        );
        assert_eq!(doc.blocks.len(), 3, "{:?}", doc.blocks);
        // A TAB-led line is a cell of the one-cell-per-line dump, not a row.
        assert!(!is_tab_row("\t年度资金总额\t52"));
        assert!(!is_tab_row("正文一段。\t"));
    }

    #[test]
    fn a_flattened_form_of_short_cells_is_read_as_a_form() {
        // Invented: every cell short, so the line is also a header of space columns; its
        // rows are the flattened form's, not one row of everything.
        let line = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标 \
                    修缮校舍 ≥6间 6间 30 30 产出指标 质量指标 验收合格率 100% 100% 20 20 \
                    满意度指标 服务对象满意度指标 师生满意度 ≥90% 96% 10 10";
        let doc = parse(line).unwrap();
        let rows = cells(&doc);
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(
            rows.get(2)
                .map(|r| r.get(2..5).unwrap_or_default().to_vec()),
            Some(vec!["验收合格率".to_string(), "100%".into(), "100%".into()])
        );
    }

    #[test]
    fn page_marks_are_dropped_and_bare_numbers_kept() {
        for mark in [
            "- 3 -",
            "—3—",
            "－１２－",
            "第3页",
            "第 3 页 共 10 页",
            "共10页第3页",
        ] {
            assert!(is_page_mark(mark), "{mark}");
        }
        for line in [
            "3",
            "-3",
            "3-5",
            "第三页",
            "第3章",
            "2023-2024",
            "共计10页材料",
        ] {
            assert!(!is_page_mark(line), "{line}");
        }
        // Inside a table of TAB cells, and before a page's form feed.
        let doc = parse("\ta\n\tb\n\n- 2 -\n\n\tc\n\td\n\n\x0c说明").unwrap();
        assert_eq!(cells(&doc), vec![vec!["a", "b"], vec!["c", "d"]]);
        let paras: Vec<_> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, vec!["说明"]);
    }

    #[test]
    fn recovers_rows_and_multiline_cells() {
        let doc = parse("标题\n\ta\n\tb\nc\n\n\td\n\te\n\n\n说明").unwrap();
        assert_eq!(cells(&doc), vec![vec!["a", "b\nc"], vec!["d", "e"]]);
        let paras: Vec<_> = doc.paragraphs().map(|p| p.text.as_str()).collect();
        assert_eq!(paras, vec!["标题", "说明"]);
    }

    #[test]
    fn blank_line_inside_a_cell_does_not_end_the_row() {
        let doc = parse("\t\n\t产出指标\n\n(40分)\n\t数量指标\n\n\tx\n").unwrap();
        assert_eq!(
            cells(&doc),
            vec![vec!["", "产出指标\n\n(40分)", "数量指标"], vec!["x"]]
        );
    }

    #[test]
    fn vertical_label_cell_with_trailing_blank_keeps_its_row() {
        let doc = parse("\ta\n\tb\n\n\t绩\n效\n\n\t一级指标\n\t二级指标\n").unwrap();
        assert_eq!(
            cells(&doc),
            vec![vec!["a", "b"], vec!["绩\n效", "一级指标", "二级指标"]]
        );
    }

    #[test]
    fn text_after_a_table_is_a_paragraph_not_a_cell() {
        let doc = parse("\ta\n\tb\n\n说明：x\n填表人").unwrap();
        assert_eq!(cells(&doc), vec![vec!["a", "b"]]);
        assert_eq!(doc.paragraphs().count(), 2);
    }

    #[test]
    fn full_width_space_line_continues_a_cell() {
        let doc = parse("\t效益指标\n\n（20分）\n　\n\t经济\n").unwrap();
        assert_eq!(cells(&doc), vec![vec!["效益指标\n\n（20分）\n　", "经济"]]);
    }

    #[test]
    fn pipe_rows_are_a_table() {
        let doc = parse("标题\n部门(单位)名称 | 绥阳县太白镇人民政府 | ||||\n年度资金总额: | 1172.55 | 1268.72 |\n说明").unwrap();
        assert_eq!(
            cells(&doc),
            vec![
                vec!["部门(单位)名称", "绥阳县太白镇人民政府"],
                vec!["年度资金总额:", "1172.55", "1268.72"]
            ]
        );
    }

    #[test]
    fn a_rubric_keeps_its_lines_and_adds_its_rows() {
        let doc = parse(
            "评价得分表 一级指标 二级指标 三级指标 得分 管理效率(20 分) 预算执行(10 分) 执行率(6 分)\n5 结转率(4 分)\n4\n说明",
        )
        .unwrap();
        let paragraphs = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph(_)))
            .count();
        assert_eq!(paragraphs, 4, "every line is still a paragraph");
        assert_eq!(
            cells(&doc),
            vec![
                vec!["一级指标", "二级指标", "三级指标", "分值", "得分"],
                vec!["管理效率(20分)", "预算执行", "执行率", "6", "5"],
                vec!["管理效率(20分)", "预算执行", "结转率", "4", "4"],
            ]
        );
    }

    #[test]
    fn bookmark_markers_are_dropped() {
        let doc = parse("[bookmark: _GoBack]北山镇").unwrap();
        assert_eq!(
            doc.paragraphs().next().map(|p| p.text.as_str()),
            Some("北山镇")
        );
    }
}
