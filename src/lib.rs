//! jixiao (绩效): batch extraction of Chinese public-finance performance reports
//! (部门整体支出绩效自评报告) into one CSV dataset per fiscal year.
//!
//! ```text
//! paths ──discover──▶ Input ──load──▶ Document ──gate──▶ ──extract──▶ Extraction ──write──▶ DIR/<year>/*.csv
//!                                            └──▶ skipped.csv            └──▶ manifest.json, errors.csv
//! ```
//!
//! `read`, `extract` and `check` are pure functions of one document; [`pipeline`] is the only
//! place that knows about threads and the clock.
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
pub mod document;
pub mod error;
pub mod extract;
pub mod facts;
pub mod fields;
pub mod gate;
pub mod inspect;
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
pub mod write;
