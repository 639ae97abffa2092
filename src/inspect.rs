//! `jixiao inspect`: what the reader saw in one file, for people writing rules, or as JSON
//! (SPEC.md's shape) for programs and tests.

use std::fmt::Write;
use std::path::Path;

use crate::document::{Block, Table, VMerge};
use crate::error::ReadError;
use crate::job::{self, Found};
use crate::source::{self, Input};

/// What was extracted for one report of a file, each value with where it came from.
struct Report {
    id: String,
    /// (field, value, location, rule)
    extracted: Vec<(String, String, String, String)>,
    rows: crate::facts::DocRows,
    /// Rows of indicator blocks that were left out: (location, cells).
    left_out: Vec<(String, Vec<String>)>,
}

/// The rows of the document's indicator blocks that no column alignment could read.
fn left_out(doc: &crate::document::Document) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for t in doc.tables() {
        for ri in crate::extract::indicators::read(t).left_out {
            let cells = t
                .rows
                .get(ri)
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .unwrap_or_default();
            out.push((format!("t{}:r{}", t.index, ri + 1), cells));
        }
    }
    out
}

fn report(job: job::Report<'_>) -> Report {
    let job::Report {
        id,
        doc,
        rows,
        trace,
    } = job;
    let r = &rows.report;
    // Identity values are read off names and dates, not one amount: their rule says how.
    let identity = [
        (
            "report_kind",
            Some(r.report_kind.0.clone()),
            "title words (整体 / 项目), else a 项目名称",
        ),
        (
            "project_name",
            r.project_name.as_ref().map(|t| t.0.clone()),
            "项目名称 of the (first) form",
        ),
        (
            "unit_name",
            r.unit_name.as_ref().map(|t| t.0.clone()),
            "most complete organisation name",
        ),
        (
            "county",
            r.county.as_ref().map(|t| t.0.clone()),
            "read off the unit name",
        ),
        (
            "township",
            r.township.as_ref().map(|t| t.0.clone()),
            "read off the unit name",
        ),
        (
            "fiscal_year",
            r.fiscal_year.map(|y| y.to_string()),
            "year evaluated (title, 年度, 截至…)",
        ),
        (
            "report_date",
            r.report_date.as_ref().map(|t| t.0.clone()),
            "填报日期 or signature date",
        ),
        (
            "grade",
            r.grade.as_ref().map(|t| t.0.clone()),
            "评价等级 in prose",
        ),
    ];
    let mut extracted: Vec<(String, String, String, String)> = identity
        .into_iter()
        .filter_map(|(f, v, rule)| Some((f.to_string(), v?, String::new(), rule.to_string())))
        .collect();
    extracted.extend(
        trace
            .into_iter()
            .map(|t| (t.field.to_string(), t.value, t.location, t.rule.to_string())),
    );
    Report {
        id,
        extracted,
        rows,
        left_out: left_out(&doc),
    }
}

/// Renders one file; a refused file gives its [`ReadError`]. A file of several reports
/// (several forms) shows what was extracted for each, under its `report_id`.
pub fn inspect(path: &Path, json: bool) -> Result<String, ReadError> {
    let input = Input {
        path: path.to_path_buf(),
        source_path: path.to_string_lossy().replace('\\', "/"),
    };
    let loaded = source::load(&input)?;
    let mode = job::Mode {
        gate: false,
        deadline: None,
    };
    let found = job::run(&loaded, &input.source_path, mode)?;
    let reports: Vec<Report> = match found {
        Found::Reports(reports) => reports.into_iter().map(report).collect(),
        Found::Skipped(_) => Vec::new(),
    };
    let several = reports.len() > 1;
    if json {
        let mut list = Vec::new();
        let mut checks = Vec::new();
        let mut skipped = Vec::new();
        for r in &reports {
            skipped.extend(
                r.left_out
                    .iter()
                    .map(|(l, cells)| serde_json::json!({"location": l, "cells": cells})),
            );
            let id = several.then_some(r.id.as_str());
            // Each item names its report when the file holds several.
            let tagged = |mut item: serde_json::Value| {
                if let Some(id) = id {
                    item["report_id"] = id.into();
                }
                item
            };
            list.extend(r.extracted.iter().map(|(f, v, l, rule)| {
                tagged(serde_json::json!({"field": f, "value": v, "location": l, "rule": rule}))
            }));
            checks.extend(r.rows.checks.iter().map(|c| {
                tagged(serde_json::json!({"check": c.check.0, "severity": c.severity.0, "message": c.message.0, "location": c.location.0}))
            }));
        }
        let mut v = serde_json::json!({
            "path": input.source_path,
            "format": loaded.format.name(),
            "encoding": loaded.encoding,
            "blocks": loaded.doc.blocks,
            "extracted": list,
            "indicators": reports.iter().map(|r| r.rows.indicators.len()).sum::<usize>(),
            "checks": checks,
            "indicator_rows_left_out": skipped,
        });
        if several {
            v["reports"] = reports
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
                .into();
        }
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
    for r in &reports {
        if several {
            let _ = writeln!(out, "\nextracted for report {}:", r.id);
        } else {
            let _ = writeln!(out, "\nextracted:");
        }
        for (f, v, l, rule) in &r.extracted {
            let _ = writeln!(out, "  {f:<20} {v:<24} {l:<16} {rule}");
        }
        let _ = writeln!(out, "  indicators: {} rows", r.rows.indicators.len());
        for (l, cells) in &r.left_out {
            let _ = writeln!(
                out,
                "  indicator row left out ({l}): {} (its cells fit no column alignment: never guessed)",
                cells.join(" | ")
            );
        }
        for c in &r.rows.checks {
            let _ = writeln!(
                out,
                "  check {} ({}): {} [{}]",
                c.check.0, c.severity.0, c.message.0, c.location.0
            );
        }
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
