//! Web pages (`.html`, `.htm`, `.shtml`) → [`Document`].
//!
//! Decoding: BOM, then the `<meta charset>` / `http-equiv` declaration in the first bytes,
//! then detection; GB2312 and GBK are read as GB18030, their superset (as browsers do).
//! Parsing is html5ever's (through `scraper`), which repairs broken markup the way browsers do.
//!
//! Blocks: every block element (`p`, `div`, `h1`…, `li`, …) and `<br>` outside a table end a
//! paragraph; whitespace runs collapse to one space as a browser renders them. Tables become
//! grids like a `.docx` table: `colspan` is the cell's span, `rowspan` a vertical merge (the
//! first cell `restart`, the cells below it `continue`); `<br>` and block elements inside a
//! cell are line breaks; a table inside a cell is nested in that cell. Scripts, styles and
//! `<head>` are not text.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;
use scraper::{Html, Node};

use crate::document::{Block, Cell, Document, Paragraph, Table, VMerge};
use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::{Format, Reading};

/// Bytes searched for a `<meta>` charset declaration (browsers look at the first 1024).
const META_WINDOW: usize = 4096;
/// Largest `colspan` / `rowspan` honoured (HTML caps them at 1000 and 65534).
const MAX_SPAN: u32 = 1000;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"#)
        .expect("charset pattern")
});

/// Whether text bytes look like a web page (a doctype or an `<html>`/`<body>` tag early on).
pub fn is_html(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(2048)).unwrap_or_default();
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let has = |n: &[u8]| lower.windows(n.len()).any(|w| w == n);
    has(b"<!doctype html") || has(b"<html") || (has(b"<body") && has(b"</"))
}

/// The encoding a page declares or, failing that, the detected one.
fn encoding_of(bytes: &[u8]) -> (&'static Encoding, usize) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return (UTF_8, 3);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return (UTF_16LE, 2);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return (UTF_16BE, 2);
    }
    let head = bytes
        .get(..bytes.len().min(META_WINDOW))
        .unwrap_or_default();
    let declared = META_CHARSET
        .captures(head)
        .and_then(|c| c.get(1))
        .and_then(|m| Encoding::for_label(m.as_bytes()));
    let enc = declared.unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            UTF_8
        } else {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(head, head.len() == bytes.len());
            det.guess(None, false)
        }
    });
    // A page declaring UTF-16 in a meta tag is ASCII-compatible text that lies about it.
    let enc = if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    };
    (if enc == GBK { GB18030 } else { enc }, 0)
}

/// Decodes and reads a web page.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Reading, ReadError> {
    let (doc, encoding) = decoded(bytes, limits)?;
    Ok(Reading::marked(Format::Html, encoding, doc))
}

/// The page's document and the encoding's name.
fn decoded(bytes: &[u8], limits: &Limits) -> Result<(Document, &'static str), ReadError> {
    let (enc, bom) = encoding_of(bytes);
    if enc == encoding_rs::REPLACEMENT {
        // WHATWG maps charsets that are unsafe to decode (HZ, ISO-2022-CN…) to this one.
        return Err(ReadError::new(
            Reason::UnreadableText,
            "the page declares a character set jixiao cannot decode (HZ, ISO-2022-CN or \
             similar); save it as UTF-8 or GB18030",
        ));
    }
    let (text, _) = enc.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
    // html5ever's time grows with elements × depth and its tree with elements: both are
    // bounded before it parses.
    let markup = text.as_bytes();
    let too_large = if super::html_depth::deeper_than(markup, limits.xml_depth) {
        Some(format!(
            "nests elements more than {} deep",
            limits.xml_depth
        ))
    } else if super::html_depth::more_elements_than(markup, limits.html_elements) {
        Some(format!("holds more than {} elements", limits.html_elements))
    } else {
        None
    };
    if let Some(why) = too_large {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!("the page {why} (parsing it would take minutes)"),
        ));
    }
    let html = Html::parse_document(&text);
    let mut w = Walker {
        limits,
        blocks: Vec::new(),
        line: String::new(),
        paras: 0,
        tables: 0,
        cells: 0,
    };
    w.walk(html.tree.root(), 0)?;
    w.flush()?;
    if w.blocks.is_empty() {
        return Err(ReadError::new(Reason::Empty, "the web page has no text"));
    }
    let doc = Document { blocks: w.blocks };
    // The page's text, not its markup, must read as text (a GBK page labelled UTF-8 decodes
    // to replacement characters), as a `.txt` must.
    let tables = doc.tables();
    let text: Vec<&str> = doc
        .paragraphs()
        .map(|p| p.text.as_str())
        .chain(
            tables
                .iter()
                .flat_map(|t| t.rows.iter().flatten().map(|c| c.text.as_str())),
        )
        .collect();
    super::text::check_readable(&text.join("\n"))?;
    check_label(bytes, enc)?;
    Ok((doc, enc.name()))
}

/// Refuses a page whose charset is a Western single-byte one while its bytes read cleanly as
/// GB18030 Chinese: decoded as labelled, it is not Chinese at all where the Chinese bytes
/// were (`²¿ÃÅ` for 部门), and no replacement character shows it. The label is wrong; which
/// encoding is right is not the reader's to guess. Chinese text comes in runs of
/// non-ASCII bytes (two per character, several characters to a word), a Western text's
/// accented letters one by one among ASCII ones (`dépenses`, whose `é` + `p` is also a valid
/// GBK pair): a page whose non-ASCII bytes are mostly lone ones is taken as labelled.
fn check_label(bytes: &[u8], enc: &'static Encoding) -> Result<(), ReadError> {
    if !enc.is_single_byte() || bytes.is_ascii() {
        return Ok(());
    }
    let (mut high, mut in_runs, mut run) = (0usize, 0usize, 0usize);
    for b in bytes.iter().chain([&0u8]) {
        if *b >= 0x80 {
            high += 1;
            run += 1;
        } else {
            if run >= 4 {
                in_runs += run;
            }
            run = 0;
        }
    }
    if in_runs * 5 < high * 4 {
        return Ok(());
    }
    let Some(chinese) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) else {
        return Ok(());
    };
    let han = chinese.chars().filter(|c| is_han(*c)).count();
    if han == 0 {
        return Ok(());
    }
    Err(ReadError::new(
        Reason::UnreadableText,
        format!(
            "the page says its characters are {} but its bytes are Chinese in GB18030/GBK \
             ({han} characters): decoded as labelled it holds no Chinese; fix its charset",
            enc.name()
        ),
    ))
}

/// A CJK ideograph (the basic block and extension A, where GBK's characters are).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Elements whose content is never text.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "head" | "script" | "style" | "noscript" | "template" | "title" | "svg" | "object"
    )
}

/// Elements that start and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "center"
            | "form"
            | "hr"
            | "address"
            | "caption"
            | "fieldset"
            | "nav"
            | "main"
            | "aside"
            | "figure"
            | "body"
    )
}

/// Appends text with whitespace collapsed as a browser renders it.
fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Builds the top-level blocks.
struct Walker<'a> {
    limits: &'a Limits,
    blocks: Vec<Block>,
    line: String,
    paras: usize,
    tables: usize,
    cells: usize,
}

impl Walker<'_> {
    fn flush(&mut self) -> Result<(), ReadError> {
        let text = self.line.trim();
        if text.len() > self.limits.text_bytes {
            return Err(self.limits.text_too_long("a paragraph", text.len()));
        }
        if !text.is_empty() {
            self.paras += 1;
            self.blocks.push(Block::Paragraph(Paragraph {
                index: self.paras,
                text: text.to_string(),
            }));
        }
        self.line.clear();
        Ok(())
    }

    fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) -> Result<(), ReadError> {
        match node.value() {
            Node::Text(t) => {
                push_collapsed(&mut self.line, t);
                if self.line.len() > self.limits.text_bytes {
                    return Err(self.limits.text_too_long("a paragraph", self.line.len()));
                }
            }
            Node::Element(e) => {
                let name = e.name();
                if skipped(name) {
                    return Ok(());
                }
                if name == "br" {
                    return self.flush();
                }
                if name == "table" {
                    self.flush()?;
                    let mut rows = Vec::new();
                    self.table(node, depth, &mut rows)?;
                    self.tables += 1;
                    let index = self.tables;
                    self.blocks.push(Block::Table(Table {
                        index,
                        rows,
                        spaced: false,
                    }));
                    return Ok(());
                }
                let block = is_block(name);
                if block {
                    self.flush()?;
                }
                if depth >= self.limits.xml_depth {
                    // Past the depth limit, the subtree's text as one run (no recursion).
                    for t in node.descendants().filter_map(|d| d.value().as_text()) {
                        push_collapsed(&mut self.line, t);
                    }
                } else {
                    for child in node.children() {
                        self.walk(child, depth + 1)?;
                    }
                }
                if block {
                    self.flush()?;
                }
            }
            Node::Document | Node::Fragment => {
                for child in node.children() {
                    self.walk(child, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The grid of a `<table>`: its own rows (not those of tables nested in its cells).
    fn table(
        &mut self,
        table: NodeRef<'_, Node>,
        depth: usize,
        out: &mut Vec<Vec<Cell>>,
    ) -> Result<(), ReadError> {
        if depth >= self.limits.xml_depth {
            return Err(ReadError::new(
                Reason::TooLarge,
                format!(
                    "tables nest more than {} elements deep",
                    self.limits.xml_depth
                ),
            ));
        }
        // Rows still covered by a rowspan above: (grid column, rows left, colspan).
        let mut pending: Vec<(usize, u32, u32)> = Vec::new();
        for tr in own_rows(table) {
            let mut row: Vec<Cell> = Vec::new();
            let mut col = 0usize;
            let cover = |col: &mut usize, row: &mut Vec<Cell>, pending: &mut Vec<_>| {
                while let Some(p) = pending
                    .iter_mut()
                    .find(|(c, left, _): &&mut (usize, u32, u32)| *c == *col && *left > 0)
                {
                    p.1 -= 1;
                    row.push(Cell {
                        text: String::new(),
                        col_span: p.2,
                        v_merge: VMerge::Continue,
                        tables: Vec::new(),
                    });
                    *col += p.2 as usize;
                }
            };
            for td in tr.children().filter(|c| {
                c.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "td" | "th"))
            }) {
                cover(&mut col, &mut row, &mut pending);
                let Some(e) = td.value().as_element() else {
                    continue;
                };
                let span = |a: &str| {
                    e.attr(a)
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPAN)
                };
                let (cs, rs) = (span("colspan"), span("rowspan"));
                self.cells += cs as usize;
                if self.cells > self.limits.table_cells {
                    return Err(self.limits.too_many_cells());
                }
                let mut cell = CellText::default();
                self.cell(td, depth + 1, &mut cell)?;
                if rs > 1 {
                    pending.retain(|(c, left, _)| *c != col || *left == 0);
                    pending.push((col, rs - 1, cs));
                }
                row.push(Cell {
                    text: cell.text.trim().to_string(),
                    col_span: cs,
                    v_merge: if rs > 1 {
                        VMerge::Restart
                    } else {
                        VMerge::None
                    },
                    tables: cell.tables,
                });
                col += cs as usize;
            }
            // Merges that continue past the row's last written cell.
            while pending.iter().any(|(c, left, _)| *c >= col && *left > 0) {
                let next = pending
                    .iter()
                    .filter(|(c, left, _)| *c >= col && *left > 0)
                    .map(|(c, _, _)| *c)
                    .min()
                    .unwrap_or(col);
                col = next;
                cover(&mut col, &mut row, &mut pending);
            }
            pending.retain(|(_, left, _)| *left > 0);
            if !row.is_empty() {
                out.push(row);
            }
        }
        Ok(())
    }

    /// A cell's text (line breaks for `<br>` and blocks) and its nested tables.
    fn cell(
        &mut self,
        node: NodeRef<'_, Node>,
        depth: usize,
        out: &mut CellText,
    ) -> Result<(), ReadError> {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => push_collapsed(&mut out.text, t),
                Node::Element(e) => {
                    let name = e.name();
                    if skipped(name) {
                        continue;
                    }
                    if name == "br" {
                        out.newline();
                    } else if name == "table" {
                        let mut rows = Vec::new();
                        self.table(child, depth + 1, &mut rows)?;
                        self.tables += 1;
                        out.tables.push(Block::Table(Table {
                            index: self.tables,
                            rows,
                            spaced: false,
                        }));
                    } else if depth >= self.limits.xml_depth {
                        for t in child.descendants().filter_map(|d| d.value().as_text()) {
                            push_collapsed(&mut out.text, t);
                        }
                    } else {
                        let block = is_block(name);
                        if block {
                            out.newline();
                        }
                        self.cell(child, depth + 1, out)?;
                        if block {
                            out.newline();
                        }
                    }
                }
                _ => {}
            }
            if out.text.len() > self.limits.text_bytes {
                return Err(self.limits.text_too_long("a cell", out.text.len()));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct CellText {
    text: String,
    tables: Vec<Block>,
}

impl CellText {
    fn newline(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }
}

/// The `<tr>` elements of a table itself: its children and those of its `thead`/`tbody`/`tfoot`.
fn own_rows<'a>(table: NodeRef<'a, Node>) -> impl Iterator<Item = NodeRef<'a, Node>> {
    fn is(n: &NodeRef<'_, Node>, names: &[&str]) -> bool {
        n.value()
            .as_element()
            .is_some_and(|e| names.contains(&e.name()))
    }
    table.children().flat_map(|c| {
        let rows: Box<dyn Iterator<Item = NodeRef<'a, Node>>> =
            if is(&c, &["thead", "tbody", "tfoot"]) {
                Box::new(c.children().filter(|r| is(r, &["tr"])))
            } else {
                Box::new(std::iter::once(c).filter(|r| is(r, &["tr"])))
            };
        rows
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Document {
        decoded(html.as_bytes(), &Limits::DEFAULT)
            .map(|(d, _)| d)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn grid(d: &Document) -> Vec<Vec<(String, u32, VMerge)>> {
        let Some(Block::Table(t)) = d.blocks.iter().find(|b| matches!(b, Block::Table(_))) else {
            panic!("no table")
        };
        t.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.text.clone(), c.col_span, c.v_merge))
                    .collect()
            })
            .collect()
    }

    fn reason(bytes: &[u8]) -> Option<Reason> {
        decoded(bytes, &Limits::DEFAULT).err().map(|e| e.reason)
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        // 3,000 nested tables overflowed the reader's stack; 300,000 divs took minutes.
        let tables = format!("<html><body>{}x", "<table><tr><td>".repeat(3000));
        assert_eq!(reason(tables.as_bytes()), Some(Reason::TooLarge));
        let divs = format!("<html><body>{}x", "<div>".repeat(300_000));
        assert_eq!(reason(divs.as_bytes()), Some(Reason::TooLarge));
        // Tables nested past the depth, when the pre-scan lets them through (a shallow
        // limit here), are refused with a reason too, not read by recursion without end.
        let limits = Limits {
            xml_depth: 600,
            ..Limits::DEFAULT
        };
        let nested = format!("<html><body>{}x", "<table><tr><td>".repeat(400));
        let shallow = Limits {
            xml_depth: 40,
            ..limits
        };
        assert!(decoded(nested.as_bytes(), &limits).is_err());
        let deep = format!("<html><body>{}x", "<table><tr><td><div></div>".repeat(30));
        assert!(
            decoded(deep.as_bytes(), &shallow).is_err_and(|e| e.message.contains("tables nest"))
        );
    }

    #[test]
    fn undecodable_pages_have_a_reason() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body><p>部门整体支出绩效自评报告，基本支出2998.29万元。</p></body></html>";
        assert_eq!(reason(page.as_bytes()), None);
        // The same page in GBK, still labelled UTF-8.
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        assert_eq!(reason(&gbk), Some(Reason::UnreadableText));
        let hz =
            br#"<html><head><meta charset="hz-gb-2312"></head><body><p>~{<:Ky~}</p></body></html>"#;
        assert_eq!(reason(hz), Some(Reason::UnreadableText));
        // The GBK page labelled as a Western charset: no replacement character, no Chinese.
        let labelled_latin = page.replace("utf-8", "iso-8859-1");
        let (latin, _, _) = encoding_rs::GBK.encode(&labelled_latin);
        assert_eq!(reason(&latin), Some(Reason::UnreadableText));
        // A Western page in its own charset stays a page (the gate tells it is no report).
        let french = encoding_rs::WINDOWS_1252
            .encode("<html><head><meta charset=\"windows-1252\"></head><body><p>Évaluation des dépenses, 2023 : résultats détaillés.</p></body></html>")
            .0;
        assert_eq!(reason(&french), None);
    }

    #[test]
    fn paragraphs_skip_head_scripts_and_styles_and_split_at_br() {
        let d = read(
            "<html><head><title>T</title><style>p{}</style></head><body>\
             <p>一、基本  情况</p><script>var x='no';</script>\
             <div>第一行<br>第二行</div>&nbsp;</body></html>",
        );
        let texts: Vec<String> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.clone()),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(texts, vec!["一、基本 情况", "第一行", "第二行"]);
    }

    #[test]
    fn rowspan_and_colspan_become_merges() {
        let d = read(
            "<table><tr><th>一级指标</th><th>二级指标</th><th colspan=2>三级指标</th></tr>\
             <tr><td rowspan=2>产出指标<br>(50分)</td><td>数量</td><td>a</td><td>1</td></tr>\
             <tr><td>质量</td><td>b</td><td>2</td></tr>\
             <tr><td>效益</td><td rowspan=3>x</td></tr></table>",
        );
        let g = grid(&d);
        assert_eq!(g[0][2], ("三级指标".into(), 2, VMerge::None));
        assert_eq!(g[1][0], ("产出指标\n(50分)".into(), 1, VMerge::Restart));
        assert_eq!(g[2][0], (String::new(), 1, VMerge::Continue));
        assert_eq!(g[2][1].0, "质量");
        assert_eq!(g[3].len(), 2);
        // A rowspan past the table's last row is cut at its end.
        assert_eq!(g.len(), 4);
    }

    #[test]
    fn nested_tables_stay_in_their_cell() {
        let d = read("<table><tr><td>外<table><tr><td>内</td></tr></table></td></tr></table>");
        let g = grid(&d);
        assert_eq!(g.len(), 1);
        let Some(Block::Table(outer)) = d.blocks.first() else {
            panic!()
        };
        assert_eq!(outer.rows[0][0].tables.len(), 1);
    }

    #[test]
    fn charset_from_meta_and_gb2312_as_gb18030() {
        let (bytes, _, _) = GB18030.encode("<p>部门整体支出绩效自评报告</p>");
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".to_vec();
        page.extend_from_slice(&bytes);
        let (d, enc) = decoded(&page, &Limits::DEFAULT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(enc, "gb18030");
        assert!(
            matches!(d.blocks.first(), Some(Block::Paragraph(p)) if p.text == "部门整体支出绩效自评报告")
        );
    }

    #[test]
    fn markup_is_told_from_text() {
        assert!(is_html(b"<!DOCTYPE html><html>"));
        assert!(is_html(b"\n<HTML><BODY>x</BODY></HTML>"));
        assert!(!is_html("一、基本情况 <注>".as_bytes()));
    }
}
