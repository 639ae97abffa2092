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
}
