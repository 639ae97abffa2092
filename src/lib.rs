//! jixiao (绩效): batch extraction of Chinese public-finance performance reports
//! (部门整体支出绩效自评报告) into one CSV dataset per fiscal year.
//!
//! ```text
//! paths ─discover─▶ Input ─read─▶ Reading ─recover─▶ Document ─gate─▶ ─extract─▶ Facts ─check─▶ DocRows ─write─▶ DIR/<year>/*.csv
//!                                                               └─▶ skipped.csv                          manifest.json, errors.csv
//! ```
//!
//! `read`, `recover`, `gate`, `extract` and `check` are pure functions of one document
//! ([`job`] composes them once, for `extract` and `inspect`); [`pipeline`] is the only place
//! that knows about threads and the clock.
//!
//! Layers, lowest first: a module imports only modules listed before it (`tests/it/layers.rs`
//! reads every `crate::` path of `src/` and keeps it so).
//!
//! - `error`: why an input could not be read, and why a run stopped
//! - `words`: counts and durations said in words
//! - `process`: processes of this host (locks and temporary folders name their run)
//! - `normalize`: text and number normalizers
//! - `document`: the one document model every reader returns
//! - `limits`: every size limit of one document
//! - `record`: the output rows and their cells
//! - `fields`: the registry of report fields
//! - `findings`: the registry of checks
//! - `facts`: what extraction found, for the checks
//! - `rules`: the vocabulary of `rules/`
//! - `divisions`: the national division list
//! - `read`: one reader per format, and the dispatcher
//! - `recover`: paragraphs and tables out of text that does not mark them
//! - `source`: one input read, laid out and hashed
//! - `gate`: whether a document is a self-evaluation
//! - `extract`: a document's facts and rows
//! - `check`: the checks on one report's facts
//! - `job`: one document from its reading to its rows
//! - `write`: the dataset on disk
//! - `discover`: the inputs of a run
//! - `cache`: what each input gave last time
//! - `admission`: how much input the workers may hold at once
//! - `diff`: what changed between two datasets
//! - `progress`: what a run says while it runs
//! - `pipeline`: a whole run, its threads and its clock
//! - `merge`: shard outputs into one dataset
//! - `summary`: the last lines of a run
//! - `inspect`: what was found in one file, and where
//! - `cli`: the command line
//!
//! Glossary (中文 → where it lives):
//! - 编制数 / 实有人数 → `staff_authorized` / `staff_actual`
//! - 基本支出 / 项目支出 → `exp_basic` / `exp_project`; 人员经费 / 公用经费 → `exp_personnel` / `exp_public`
//! - 三公经费 → `three_public_*`; 公务接待费 → `reception_actual`; 公务用车 → `vehicle_actual`
//! - 自评表 → self-evaluation table; 基础数据表 → basic-data table
//! - 一级/二级/三级指标 → `level1` / `level2` / `name` in indicators.csv

pub mod admission;
pub mod cache;
pub mod check;
pub mod cli;
pub mod diff;
pub mod discover;
pub mod divisions;
pub mod document;
pub mod error;
pub mod extract;
pub mod facts;
pub mod fields;
pub mod findings;
pub mod gate;
pub mod inspect;
pub mod job;
pub mod limits;
pub mod merge;
pub mod normalize;
pub mod pipeline;
pub mod process;
pub mod progress;
pub mod read;
pub mod record;
pub mod recover;
pub mod rules;
pub mod source;
pub mod summary;
pub mod words;
pub mod write;
