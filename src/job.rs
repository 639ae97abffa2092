//! One document's job, from its reading to its rows: asked whether it is a self-evaluation
//! ([`gate`]), cut into the reports it holds ([`crate::extract::forms`]), extracted and
//! checked. `extract` runs it on every input under the document's time budget; `inspect`
//! runs it on one file and shows what it found. Both get the same rows; writing them is
//! neither's business here.

use std::borrow::Cow;
use std::time::Instant;

use crate::check;
use crate::document::Document;
use crate::error::ReadError;
use crate::extract::{self, Trace};
use crate::facts::DocRows;
use crate::gate::{self, Skip, Verdict};
use crate::record::Text;
use crate::source::Loaded;

/// How a job runs.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    /// Ask the self-evaluation gate; without it every document is extracted (`--keep-all`,
    /// `inspect`).
    pub gate: bool,
    /// When the document's time is up: the clock is looked at after every stage.
    pub deadline: Option<Instant>,
}

/// What became of a document that was read.
pub enum Found<'d> {
    /// Not a self-evaluation (`skipped.csv`).
    Skipped(Skip),
    /// The reports it holds (one, or one per form), in order.
    Reports(Vec<Report<'d>>),
}

/// One report of a document.
pub struct Report<'d> {
    pub id: String,
    /// The part of the document it was read from (the whole document, for most).
    pub doc: Cow<'d, Document>,
    /// Its rows, checks included.
    pub rows: DocRows,
    /// Every chosen value, where it was read and by which rule.
    pub trace: Vec<Trace>,
}

/// `too_slow` once `deadline` has passed: the clock is looked at after every stage (and
/// inside extraction's loops), so a document that took its budget goes no further. Every
/// stage is linear and bounded by the input limits, so none can run far past it.
pub fn in_time(deadline: Option<Instant>, stage: &str) -> Result<(), ReadError> {
    if deadline.is_some_and(|d| Instant::now() > d) {
        return Err(ReadError::too_slow(stage));
    }
    Ok(())
}

/// Runs the job on a file read (`source_path`: its name in the output).
pub fn run<'d>(loaded: &'d Loaded, source_path: &str, mode: Mode) -> Result<Found<'d>, ReadError> {
    in_time(mode.deadline, "reading")?;
    let weak = if mode.gate {
        match gate::gate(&loaded.doc) {
            Verdict::Skip(s) => return Ok(Found::Skipped(s)),
            Verdict::Keep { weak } => weak,
        }
    } else {
        None
    };
    in_time(mode.deadline, "the self-evaluation gate")?;
    let reports = extract::forms::reports(&loaded.doc, &loaded.report_id())
        .into_iter()
        .map(|(id, doc)| {
            let (extracted, trace) =
                extract::extract_traced(&doc, &id, source_path, mode.deadline)?;
            let mut rows = check::apply(extracted);
            rows.report.text_source = Text::new(loaded.ocr.text_source(&doc, &rows));
            if rows.report.text_source.0 == "ocr" {
                unlisted_county(&mut rows);
            }
            for (check, message, location) in &loaded.notes {
                check::warn_at(&mut rows, *check, message, location);
            }
            if let Some(why) = &weak {
                check::weak_evidence(&mut rows, why);
            }
            in_time(mode.deadline, "checking")?;
            Ok(Report {
                id,
                doc,
                rows,
                trace,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(Found::Reports(reports))
}

/// A county name read by OCR that the division list does not hold is far more often a
/// misread character (`沅陵县` read `澳陵县`, `常宁市` read `季宁市`) than a county renamed:
/// it is left out, the unit's name keeps what follows it (`明溪口镇人民政府`), and an
/// `ocr_doubtful` check says so. So is the place before the township in the unit's name when
/// it does not end with the county the list placed the report in (`季宁市庙前镇…` in
/// 常宁市). Neither is mended to a listed name one character away: which character was
/// misread is a guess.
fn unlisted_county(rows: &mut DocRows) {
    let report = &mut rows.report;
    let county = report.county.as_ref().map(|c| c.0.clone());
    let unit = report.unit_name.as_ref().map(|u| u.0.clone());
    let (Some(county), Some(unit)) = (county, unit) else {
        return;
    };
    let listed = report.division_code.is_some() || crate::divisions::is_county(&county);
    // What the unit's name holds from its start to the end of the unverified place.
    let misread = if !listed {
        unit.find(&county)
            .map(|at| (at + county.len(), county.clone()))
    } else {
        let township = report.township.as_ref().map(|t| t.0.as_str()).unwrap_or("");
        let known = |before: &str| {
            before.ends_with(&county)
                || crate::divisions::aliases(&county)
                    .iter()
                    .any(|a| before.ends_with(a.as_str()))
        };
        unit.find(township)
            .filter(|&at| !township.is_empty() && at > 0)
            .and_then(|at| Some((at, unit.get(..at)?.to_string())))
            .filter(|(_, before)| !known(before))
    };
    let Some((end, place)) = misread else {
        return;
    };
    if !listed {
        report.county = None;
    }
    report.unit_name = unit
        .get(end..)
        .filter(|rest| !rest.is_empty())
        .map(Text::new);
    check::warn_at(
        rows,
        crate::findings::Check::OcrDoubtful,
        &format!("OCR读出的地名“{place}”不在全国区划代码表中（或与所在县不符），可能误识，未采用，请对照扫描件核对"),
        "",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_past_the_deadline_is_too_slow() {
        let past = Instant::now() - std::time::Duration::from_secs(1);
        let e = in_time(Some(past), "reading").unwrap_err();
        assert_eq!(e.reason.code(), "too_slow");
        assert!(e.message.starts_with("reading ran past"), "{}", e.message);
        let later = Instant::now() + std::time::Duration::from_secs(60);
        assert!(in_time(Some(later), "reading").is_ok());
        assert!(in_time(None, "reading").is_ok());
    }

    #[test]
    fn inspect_and_extract_get_the_same_rows() {
        let text = "某某镇人民政府\n2023年度部门整体支出绩效自评报告\n本年度支出合计864.2万元。";
        let run = |gate| {
            let bytes = text.as_bytes();
            let mode = Mode {
                gate,
                deadline: None,
            };
            let loaded = crate::source::load_bytes(bytes, "a.txt").unwrap();
            match run(&loaded, "a.txt", mode) {
                Ok(Found::Reports(r)) => r.into_iter().map(|r| r.rows.report).collect(),
                _ => Vec::new(),
            }
        };
        let kept = run(true);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept, run(false));
    }

    fn named(unit: &str, county: &str) -> DocRows {
        let mut rows = DocRows::default();
        rows.report.unit_name = Some(Text::new(unit));
        rows.report.county = Some(Text::new(county));
        rows
    }

    #[test]
    fn an_ocr_county_off_the_list_is_left_out() {
        let mut rows = named("湖南省季宁市庙前镇人民政府", "季宁市");
        rows.report.township = Some(Text::new("庙前镇"));
        unlisted_county(&mut rows);
        assert_eq!(rows.report.county, None);
        assert_eq!(rows.report.unit_name, Some(Text::new("庙前镇人民政府")));
        assert_eq!(rows.checks.len(), 1);
        assert_eq!(rows.checks[0].check.0, "ocr_doubtful");
        // The name alone was the county: nothing is left of it.
        let mut rows = named("澳陵县", "澳陵县");
        unlisted_county(&mut rows);
        assert_eq!((rows.report.unit_name, rows.report.county), (None, None));
        // A listed county whose name the unit's name misspells before its township.
        let mut rows = named("季宁市庙前镇人民政府", "常宁市");
        rows.report.township = Some(Text::new("庙前镇"));
        rows.report.division_code = Some(Text::new("430482110"));
        unlisted_county(&mut rows);
        assert_eq!(rows.report.county, Some(Text::new("常宁市")));
        assert_eq!(rows.report.unit_name, Some(Text::new("庙前镇人民政府")));
        assert_eq!(rows.checks.len(), 1);
        // A listed county stays, in full or short form.
        for county in ["沅陵县", "常宁市", "城步县"] {
            let mut rows = named(&format!("{county}明溪口镇人民政府"), county);
            rows.report.township = Some(Text::new("明溪口镇"));
            unlisted_county(&mut rows);
            assert_eq!(rows.report.county, Some(Text::new(county)));
            assert!(rows.checks.is_empty());
        }
    }
}
