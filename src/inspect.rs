//! `jixiao inspect`: what was found in one file and where, for people writing rules, or as
//! JSON for programs and tests. Every field of the registry is listed, found or not, with
//! the place and rule that read it; an empty one says why, where that is known (a division
//! left empty names the list's names it saw and the places they may be).

use std::fmt::Write;
use std::path::Path;

use crate::divisions;
use crate::document::{Block, Document, Table, VMerge};
use crate::error::ReadError;
use crate::extract::{identity, script, Prepared};
use crate::fields::{Field, COLUMNS};
use crate::job::{self, Found};
use crate::normalize::text::{char_width, display_width};
use crate::read::Format;
use crate::source::{self, Input};

/// One field of one report as inspect shows it: its value (empty: not found), where it was
/// read and by which rule, or why it is empty.
#[derive(Clone)]
struct Shown {
    field: Field,
    value: String,
    location: String,
    rule: String,
}

/// What was extracted for one report of a file.
struct Report {
    id: String,
    fields: Vec<Shown>,
    rows: crate::facts::DocRows,
    /// Rows of indicator blocks that were left out: (location, cells).
    left_out: Vec<(String, Vec<String>)>,
}

/// The rows of the document's indicator blocks that no column alignment could read.
fn left_out(doc: &Document) -> Vec<(String, Vec<String>)> {
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

/// Why the division code is empty: the division check's message when there is one, and
/// the names of the division list seen where the unit names itself.
fn division_left_empty(r: &job::Report<'_>) -> String {
    let matching = script::for_matching(&r.doc);
    let prepared = Prepared::new(&matching);
    let unit = r.rows.report.unit_name.as_ref().map(|t| t.as_str());
    let seen = divisions::seen(&identity::identity_texts(&prepared, unit));
    let mut why = if seen.is_empty() {
        "no name of the division list in the unit name, the title or the form's labels".to_string()
    } else {
        format!(
            "names seen in the unit name, title and labels: {}",
            seen.join("; ")
        )
    };
    for c in &r.rows.checks {
        if matches!(c.check.as_str(), "division_ambiguous" | "division_unknown") {
            let _ = write!(why, "; {}: {}", c.check.as_str(), c.message.as_str());
        }
    }
    why
}

/// Every field of the registry for one report, in column order.
fn fields(r: &job::Report<'_>) -> Vec<Shown> {
    let values = serde_json::to_value(&r.rows.report).unwrap_or_default();
    COLUMNS
        .iter()
        .filter_map(|c| Some((c, Field::from_name(c.name)?)))
        .map(|(column, field)| {
            let value = match values.get(column.name) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let traced = r.trace.iter().find(|t| t.field == field);
            let (location, rule) = match traced {
                Some(t) => (t.location.clone(), t.rule.to_string()),
                None if value.is_empty() && field == Field::DivisionCode => {
                    (String::new(), division_left_empty(r))
                }
                None if value.is_empty() && PLACES.contains(&field) => (
                    String::new(),
                    "not settled by the division list (see division_code)".to_string(),
                ),
                None if value.is_empty() => (
                    String::new(),
                    "not found: nothing in the document was read as this field".to_string(),
                ),
                None => (String::new(), first_clause(column.en).to_string()),
            };
            Shown {
                field,
                value,
                location,
                rule,
            }
        })
        .collect()
}

/// The fields read off the national division list.
const PLACES: [Field; 4] = [
    Field::Province,
    Field::Prefecture,
    Field::County,
    Field::Township,
];

/// A field's description up to its first aside (`;` or a bracket): how its value is chosen,
/// short enough for one line.
fn first_clause(description: &str) -> &str {
    let end = ["; ", " ("]
        .iter()
        .filter_map(|m| description.find(m))
        .min()
        .unwrap_or(description.len());
    description.get(..end).unwrap_or(description)
}

fn report(r: job::Report<'_>) -> Report {
    Report {
        fields: fields(&r),
        left_out: left_out(&r.doc),
        id: r.id,
        rows: r.rows,
    }
}

/// The format as people name it, with the text encoding where the file chose one.
fn format_name(format: Format, encoding: &str) -> String {
    match format {
        Format::Txt => format!("text, {encoding}"),
        Format::Html => format!("web page, {encoding}"),
        Format::Docx => "Word .docx".to_string(),
        Format::Doc => "Word 97-2003 .doc".to_string(),
        Format::Pdf => "PDF".to_string(),
        Format::Workbook(kind) => format!("workbook .{kind}"),
        Format::Image(kind) => format!("{kind} image, read by OCR"),
    }
}

/// `s` padded with spaces to `width` display columns (a Chinese character takes two).
fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(display_width(s)),
    ));
    out
}

/// `s` cut to at most `width` display columns.
fn cut(s: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += char_width(c);
        if used > width {
            return s.get(..i).unwrap_or(s);
        }
    }
    s
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
        let mut sources = Vec::new();
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
            list.extend(r.fields.iter().map(|s| {
                let read_by = if loaded.ocr.read_at(&s.location) { "ocr" } else { "text" };
                tagged(serde_json::json!({"field": s.field.name(), "value": s.value, "location": s.location, "rule": s.rule, "read_by": read_by}))
            }));
            sources.push(tagged(
                serde_json::json!({"text_source": r.rows.report.text_source.0}),
            ));
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
            "text_source": sources,
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
        "{} ({})",
        input.source_path,
        format_name(loaded.format, loaded.encoding)
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
        // A value read by OCR says so beside its place.
        let fields: Vec<Shown> = r
            .fields
            .iter()
            .map(|f| Shown {
                location: if loaded.ocr.read_at(&f.location) {
                    format!("{} (OCR)", f.location)
                } else {
                    f.location.clone()
                },
                ..f.clone()
            })
            .collect();
        render_fields(&mut out, &fields);
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

/// Widest value shown in full in the fields' list, in display columns; a longer one (a
/// unit's full name, the keywords) is shown whole and the columns after it move over.
const VALUE_COLUMNS: usize = 24;

/// The fields as aligned columns: name, value (`—` when empty), where, rule.
fn render_fields(out: &mut String, fields: &[Shown]) {
    let name_w = fields
        .iter()
        .map(|s| s.field.name().len())
        .max()
        .unwrap_or(0);
    let value_w = fields
        .iter()
        .map(|s| display_width(&s.value))
        .filter(|w| *w <= VALUE_COLUMNS)
        .max()
        .unwrap_or(0)
        .max(1);
    let location_w = fields
        .iter()
        .map(|s| display_width(&s.location))
        .max()
        .unwrap_or(0);
    for s in fields {
        let value = if s.value.is_empty() { "—" } else { &s.value };
        let line = format!(
            "  {} {} {} {}",
            pad(s.field.name(), name_w),
            pad(value, value_w),
            pad(&s.location, location_w),
            s.rule
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
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

/// Widest cell shown, in display columns.
const CELL_COLUMNS: usize = 24;

/// Tables as aligned grids; `^` marks a cell continuing a vertical merge, `<n>` a span.
fn render_table(out: &mut String, t: &Table, indent: usize) {
    let indent_pad = " ".repeat(indent);
    let _ = writeln!(out, "{indent_pad}t{} ({} rows)", t.index, t.rows.len());
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
                    cut(&s, CELL_COLUMNS).to_string()
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
                .map(|s| display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (ri, r) in shown.iter().enumerate() {
        let _ = write!(out, "{indent_pad}  r{:<3}", ri + 1);
        for (ci, s) in r.iter().enumerate() {
            let w = widths.get(ci).copied().unwrap_or(0);
            let _ = write!(out, "| {} ", pad(s, w));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn inspected(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, text).unwrap();
        inspect(&path, false).unwrap()
    }

    const REPORT: &str = "北山镇人民政府\n2023年度部门整体支出绩效自评报告\n本年度支出合计864.2万元，其中基本支出700.12万元。";

    #[test]
    fn every_field_of_the_registry_is_listed() {
        let out = inspected(REPORT);
        let listed = out.split("\nextracted:\n").nth(1).unwrap_or_default();
        for c in COLUMNS {
            assert!(
                listed
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{} ", c.name))),
                "{} not listed in\n{listed}",
                c.name
            );
        }
        assert!(listed.contains("864.2"), "{listed}");
    }

    #[test]
    fn columns_line_up_by_display_width() {
        assert_eq!(display_width(&pad("北山镇", 10)), 10);
        assert_eq!(display_width(&pad("abc", 10)), 10);
        assert_eq!(cut("北山镇人民政府", 5), "北山");
        let out = inspected(REPORT);
        // The location column starts at one display column on every line that has one.
        let listed = out.split("\nextracted:\n").nth(1).unwrap_or_default();
        let starts: Vec<usize> = listed
            .lines()
            .filter_map(|l| {
                // A location: `p` and the paragraph's number.
                let at = l.match_indices(" p").map(|(i, _)| i).find(|&i| {
                    l.get(i + 2..)
                        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                })?;
                Some(display_width(l.get(..at)?))
            })
            .collect();
        assert!(!starts.is_empty(), "{listed}");
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{listed}");
        // A unit name in Chinese and a figure share their value column.
        let value_at = |field: &str| {
            let line = listed.lines().find(|l| l.trim_start().starts_with(field))?;
            let rest = line.trim_start().strip_prefix(field)?;
            let lead = rest.len() - rest.trim_start().len();
            Some(display_width(line.get(..line.len() - rest.len() + lead)?))
        };
        assert_eq!(value_at("unit_name "), value_at("exp_total "));
    }

    #[test]
    fn the_format_is_named_as_people_name_it() {
        assert_eq!(format_name(Format::Pdf, "UTF-8"), "PDF");
        assert_eq!(format_name(Format::Docx, "UTF-8"), "Word .docx");
        assert_eq!(format_name(Format::Txt, "GB18030"), "text, GB18030");
        assert_eq!(
            format_name(Format::Workbook("xls"), "UTF-16LE"),
            "workbook .xls"
        );
        let out = inspected(REPORT);
        let first = out.lines().next().unwrap_or_default();
        assert!(first.ends_with("a.txt (text, UTF-8)"), "{first}");
    }

    #[test]
    fn an_empty_division_says_what_names_it_saw() {
        // 官庄镇 is a township in several counties, and the report names none of them.
        let out = inspected("官庄镇人民政府\n2023年度部门整体支出绩效自评报告\n支出合计100万元。");
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with("division_code "))
            .unwrap();
        assert!(line.contains("官庄镇（10处）"), "{line}");
        assert!(line.contains("division_ambiguous"), "{line}");
        let out = inspected("某单位\n2023年度部门整体支出绩效自评报告\n支出合计100万元。");
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with("division_code "))
            .unwrap();
        assert!(line.contains("no name of the division list"), "{line}");
    }
}
