//! What extraction found, with where it found it: the neutral ground between the stages.
//! Extraction produces these ([`Extracted`]); the checks stage reads them and completes the
//! rows ([`DocRows`]); neither imports the other.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::fields::{Field, ReportRow};
use crate::findings::Check;
use crate::record::{AmountRow, CheckRow, IndicatorRow};

/// How authoritative the place a value was read from is. When a document states a figure
/// in several places, the report row takes it from the highest rank (SPEC: the
/// self-evaluation table over prose, and so on); checks.csv records the disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// A basic-data table row (基础数据表): provinces define its rows differently.
    BasicData,
    /// A sentence of the narrative.
    Prose,
    /// A table column named by its header (`编制数 | 实际在职人数`).
    HeaderTable,
    /// The self-evaluation table (自评表) and the form's own cells.
    SelfEvaluation,
}

/// A proposed value for a report field.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub field: Field,
    pub value: Decimal,
    pub rank: Rank,
    /// The index of the block (paragraph or table, in reading order) it was read from:
    /// among candidates of one rank, the first stated wins.
    pub block: usize,
    /// Where it was read (`p12:34-45`, `t2:r5c3`).
    pub location: String,
    /// The rule that read it, for `inspect` and checks.
    pub rule: &'static str,
}

/// A share stated in the text: `amount` (of `field`) is `percent` % of `base`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedShare {
    pub field: Field,
    pub amount: Decimal,
    pub percent: Decimal,
    pub base: Field,
    pub location: String,
}

/// An indicator row's points.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    pub name: String,
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    pub location: String,
}

/// Everything the checks look at.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// The chosen value of each field and where it stands.
    pub chosen: BTreeMap<Field, Candidate>,
    /// Every candidate, for figures stated twice.
    pub candidates: Vec<Candidate>,
    pub shares: Vec<StatedShare>,
    pub indicators: Vec<Points>,
    pub fiscal_year: Option<i32>,
    pub report_year: Option<i32>,
    /// Years of `截至YYYY年12月31日` statements.
    pub period_end_years: Vec<(i32, String)>,
    /// Where the report sits could not be settled: `division_ambiguous` or
    /// `division_unknown`, with its message.
    pub division: Option<(Check, String)>,
    /// Where an indicator table's header stands when no indicator row came out of the
    /// document (`table_unassembled`).
    pub unassembled: Option<String>,
    /// What identity could not settle or found doubtful (`kind_unsettled`,
    /// `unit_is_supervisor`), with its message.
    pub identity: Vec<(Check, String)>,
}

/// The rows one document contributes.
#[derive(Debug, Clone, Default)]
pub struct DocRows {
    pub report: ReportRow,
    pub amounts: Vec<AmountRow>,
    pub indicators: Vec<IndicatorRow>,
    pub checks: Vec<CheckRow>,
}

/// What one document yields: its rows (checks not yet run) and the facts the checks read.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub rows: DocRows,
    pub facts: Facts,
}

/// Per field, the candidate of highest rank, first stated among equals.
pub fn resolve(cands: &[Candidate]) -> BTreeMap<Field, Candidate> {
    let mut best: BTreeMap<Field, &Candidate> = BTreeMap::new();
    for c in cands {
        let better = best.get(&c.field).is_none_or(|b| {
            (c.rank, std::cmp::Reverse(c.block)) > (b.rank, std::cmp::Reverse(b.block))
        });
        if better {
            best.insert(c.field, c);
        }
    }
    best.into_iter().map(|(f, c)| (f, c.clone())).collect()
}
