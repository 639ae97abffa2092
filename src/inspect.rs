//! `jixiao inspect`: what the reader saw in one file, for people writing rules, or as JSON
//! (SPEC.md's shape) for programs and tests.

use std::fmt::Write;
use std::path::Path;

use crate::document::{Block, Table, VMerge};
use crate::error::ReadError;
use crate::source::{self, Input};

/// Renders one file; a refused file gives its [`ReadError`].
pub fn inspect(path: &Path, json: bool) -> Result<String, ReadError> {
    let input = Input {
        path: path.to_path_buf(),
        source_path: path.to_string_lossy().replace('\\', "/"),
    };
    let loaded = source::load(&input)?;
    let rows = crate::extract::extract(&loaded.doc, &loaded.report_id(), &input.source_path);
    if json {
        let v = serde_json::json!({
            "path": input.source_path,
            "format": loaded.format.name(),
            "encoding": loaded.encoding,
            "blocks": loaded.doc.blocks,
            "extracted": serde_json::to_value(&rows.report).unwrap_or_default(),
        });
        return Ok(v.to_string() + "\n");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {})",
        input.source_path,
        loaded.format.name(),
        loaded.encoding
    );
    for b in &loaded.doc.blocks {
        render_block(&mut out, b, 0);
    }
    Ok(out)
}

fn render_block(out: &mut String, b: &Block, indent: usize) {
    let pad = " ".repeat(indent);
    match b {
        Block::Paragraph(p) => {
            let _ = writeln!(out, "{pad}p{:<4} {}", p.index, p.text.replace('\n', "⏎"));
        }
        Block::Table(t) => render_table(out, t, indent),
    }
}

/// Tables as aligned grids; `^` marks a cell continuing a vertical merge, `<n>` a span.
fn render_table(out: &mut String, t: &Table, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}t{} ({} rows)", t.index, t.rows.len());
    let shown: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| {
                    let mut s = c.text.replace('\n', "⏎");
                    if c.v_merge == VMerge::Continue {
                        s = format!("^{s}");
                    }
                    if c.col_span > 1 {
                        s = format!("{s}<{}>", c.col_span);
                    }
                    s
                })
                .collect()
        })
        .collect();
    let cols = shown.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            shown
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| s.chars().count().min(24))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (ri, r) in shown.iter().enumerate() {
        let _ = write!(out, "{pad}  r{:<3}", ri + 1);
        for (ci, s) in r.iter().enumerate() {
            let w = widths.get(ci).copied().unwrap_or(0);
            let cut: String = s.chars().take(24).collect();
            let _ = write!(out, "| {cut:<w$} ");
        }
        let _ = writeln!(out, "|");
    }
    for r in &t.rows {
        for c in r {
            for nested in &c.tables {
                render_block(out, nested, indent + 4);
            }
        }
    }
}
