//! The one registry of report fields: each `reports.csv` column is declared here once, with
//! its type, unit, Chinese title, description and how its value is chosen. [`ReportRow`]
//! (and so the CSV's column order), the [`Field`] every stage names a field by, the schema
//! behind `datapackage.json` and the README's dictionary, and the filling of every ranked
//! figure all come from this list. Figures read beside the columns (the form's budget score
//! and weight, the 三公 kinds of a sentence) are `Field`s too, declared under `figures`.
//!
//! Adding a report field: add it to its group below (and the rule that reads it, in
//! `rules/` or an extraction module); the struct, header, datapackage and dictionary follow.

use crate::record::{Column, Num, Text};

/// Declares the fields by how their value is chosen, in column order.
macro_rules! report_fields {
    (
        input { $( $in_v:ident $in:ident : $in_ty:ty = ($in_k:literal, $in_u:literal, $in_zh:literal, $in_en:literal), )* }
        identity { $( $id_v:ident $id:ident : $id_ty:ty = ($id_k:literal, $id_u:literal, $id_zh:literal, $id_en:literal), )* }
        ranked { $( $rk_v:ident $rk:ident = ($rk_k:literal, $rk_u:literal, $rk_zh:literal, $rk_en:literal), )* }
        derived { $( $dv_v:ident $dv:ident : $dv_ty:ty = ($dv_k:literal, $dv_u:literal, $dv_zh:literal, $dv_en:literal), )* }
        figures { $( $fg_v:ident $fg:ident = $fg_en:literal, )* }
    ) => {
        /// A report field (a column of `reports.csv`), or a figure read beside them that only
        /// the checks and amounts.csv use ([`Field::is_column`] tells them apart).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $( $in_v, )*
            $( $id_v, )*
            $( $rk_v, )*
            $( $dv_v, )*
            $( #[doc = $fg_en] $fg_v, )*
        }

        impl Field {
            /// Every field, columns first in column order, then the other figures.
            pub const ALL: &[Field] = &[
                $( Field::$in_v, )* $( Field::$id_v, )* $( Field::$rk_v, )* $( Field::$dv_v, )* $( Field::$fg_v, )*
            ];

            /// Its name: the CSV column, or the figure's name in amounts.csv and the rules.
            pub const fn name(self) -> &'static str {
                match self {
                    $( Field::$in_v => stringify!($in), )*
                    $( Field::$id_v => stringify!($id), )*
                    $( Field::$rk_v => stringify!($rk), )*
                    $( Field::$dv_v => stringify!($dv), )*
                    $( Field::$fg_v => stringify!($fg), )*
                }
            }
        }

        /// The fields whose value is the candidate of highest [`crate::facts::Rank`], first
        /// stated among equals (the figures a document may state in several places).
        pub const RANKED: &[Field] = &[ $( Field::$rk_v, )* ];

        /// One row of `reports.csv`; field order is column order.
        #[derive(Debug, Clone, Default, serde::Serialize, PartialEq)]
        pub struct ReportRow {
            $( pub $in: $in_ty, )*
            $( pub $id: $id_ty, )*
            $( pub $rk: Option<Num>, )*
            $( pub $dv: $dv_ty, )*
        }

        /// The columns of `reports.csv`, in order.
        pub const COLUMNS: &[Column] = &[
            $( Column { name: stringify!($in), kind: $in_k, unit: $in_u, zh: $in_zh, en: $in_en }, )*
            $( Column { name: stringify!($id), kind: $id_k, unit: $id_u, zh: $id_zh, en: $id_en }, )*
            $( Column { name: stringify!($rk), kind: $rk_k, unit: $rk_u, zh: $rk_zh, en: $rk_en }, )*
            $( Column { name: stringify!($dv), kind: $dv_k, unit: $dv_u, zh: $dv_zh, en: $dv_en }, )*
        ];

        impl ReportRow {
            /// Fills every ranked field from the chosen candidates (`None`: not found).
            pub fn set_ranked(&mut self, chosen: impl Fn(Field) -> Option<Num>) {
                $( self.$rk = chosen(Field::$rk_v); )*
            }
        }
    };
}

report_fields! {
    // From the file itself.
    input {
        ReportId report_id: Text = ("string", "", "报告编号（r + 文件SHA-256前16位，一文件多表时加 -序号）", "r and the first 16 hex digits of the SHA-256 of the file's bytes (a letter first, so no spreadsheet reads it as a number); when the file holds several reports (several forms), -1, -2 … for their order in it"),
        SourcePath source_path: Text = ("string", "", "来源文件路径", "the file's path relative to the folder argument it was found under, below that folder's own name when there are several PATH arguments (a file argument: as given); unique in a run; a name that is not UTF-8 decoded as GB18030, else its other bytes written \\xNN"),
    }
    // Read off the title, the form's labels and the national division list.
    identity {
        ReportKind report_kind: Text = ("string", "", "报告类型（整体/项目）", "整体 for a 部门整体支出 report, 项目 for a 项目支出 or transfer-fund self-evaluation (report or form); empty when nothing in the document settles it (checks.csv: kind_unsettled)"),
        UnitName unit_name: Option<Text> = ("string", "", "单位名称", "the reporting unit in its most complete form; for a project form its 实施单位 (else its 单位名称, else its 主管部门)"),
        ProjectName project_name: Option<Text> = ("string", "", "项目名称", "the project's or fund's name as written (its 项目名称-type label, else the fund its title names), for 项目 reports"),
        Province province: Option<Text> = ("string", "", "省（自治区、直辖市）", "the province, from the national division list"),
        Prefecture prefecture: Option<Text> = ("string", "", "地级市（州、盟）", "the prefecture, from the list; empty for counties directly under a province or municipality"),
        County county: Option<Text> = ("string", "", "县（市、区、旗）", "the county-level unit: the list's official name when the document names it, else as written"),
        Township township: Option<Text> = ("string", "", "乡镇（街道）", "the 乡/镇/街道 name, for township units"),
        DivisionCode division_code: Option<Text> = ("string", "", "统计用区划代码", "9 digits for a township-level unit, 6 for a county-level one (NBS 2023); empty when the document does not settle it"),
        FiscalYear fiscal_year: Option<i32> = ("integer", "年", "评价年度", "the fiscal year evaluated"),
        ReportDate report_date: Option<Text> = ("date", "", "报告日期", "signature or report date, YYYY-MM-DD"),
    }
    // Figures: the candidate of highest rank wins (self-evaluation table over header-named
    // table over prose over basic-data table), the first stated among equals.
    ranked {
        StaffAuthorized staff_authorized = ("integer", "人", "编制数", "authorized establishment (total)"),
        StaffActual staff_actual = ("integer", "人", "实有人数", "staff actually employed at year end (total)"),
        Retirees retirees = ("integer", "人", "离退休人数", "retired staff"),
        IncomeTotal income_total = ("number", "万元", "收入合计", "the year's total income"),
        ExpTotal exp_total = ("number", "万元", "支出合计", "the unit's total expenditure"),
        ExpBasic exp_basic = ("number", "万元", "基本支出", "basic expenditure"),
        ExpProject exp_project = ("number", "万元", "项目支出", "project expenditure"),
        ExpPersonnel exp_personnel = ("number", "万元", "人员经费", "personnel expenditure"),
        ExpPublic exp_public = ("number", "万元", "公用经费", "public (operating) expenditure"),
        ThreePublicBudget three_public_budget = ("number", "万元", "“三公”经费预算", "three public expenses, budget"),
        ThreePublicActual three_public_actual = ("number", "万元", "“三公”经费支出", "three public expenses, actually spent"),
        ReceptionActual reception_actual = ("number", "万元", "公务接待费", "official reception, actually spent"),
        VehicleActual vehicle_actual = ("number", "万元", "公务用车购置及运行费", "official vehicles, actually spent"),
        GovFundExp gov_fund_exp = ("number", "万元", "政府性基金预算支出", "government fund budget expenditure (explicit 无 = 0)"),
        BudgetInitial budget_initial = ("number", "万元", "年初预算数", "initial budget of the year's funds"),
        BudgetFullYear budget_full_year = ("number", "万元", "全年预算数", "adjusted full-year budget"),
        BudgetExecuted budget_executed = ("number", "万元", "全年执行数", "full-year execution"),
        ExecutionRate execution_rate = ("number", "%", "执行率", "execution rate, percent"),
        SelfScore self_score = ("number", "分", "自评得分", "self-evaluation total score"),
    }
    // Derived from the rest of the document or of the run.
    derived {
        Grade grade: Option<Text> = ("string", "", "评价等级", "grade (优秀/良好/中/差)"),
        Keywords keywords: Option<Text> = ("string", "", "关键词", "up to 8 topic keywords, joined with 、"),
        IndicatorCount indicator_count: usize = ("integer", "", "绩效指标行数", "rows of this report in indicators.csv"),
        CheckCount check_count: usize = ("integer", "", "核查发现数", "rows of this report in checks.csv"),
        TextSource text_source: Text = ("string", "", "文字来源（text 文字层 / ocr 识别 / mixed 兼有）", "text, ocr or mixed: whether the values of this report were read from a text layer, by OCR from scanned pages or images, or both (a report read wholly by OCR is ocr)"),
    }
    // Figures read beside the columns: the checks compare them, and the label vocabulary
    // names them before a sentence settles which column they feed.
    figures {
        BudgetScore budget_score = "the self-evaluation form's score for budget execution (checked against self_score)",
        BudgetWeight budget_weight = "the points budget execution weighs in the form",
        BudgetNote budget_note = "the budget block's free-text reason column (原因): a column of its header, never a value",
        ThreePublic three_public = "三公经费 in a sentence: three_public_budget or three_public_actual, as the sentence says",
        Reception reception = "公务接待费 in a sentence: reception_actual when spent",
        Vehicle vehicle = "公务用车 in a sentence: vehicle_actual when spent",
    }
}

impl Field {
    /// The field named `name` (a column or a figure).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Its column of reports.csv; `None` for a figure that is not one.
    pub fn column(self) -> Option<&'static Column> {
        COLUMNS.iter().find(|c| c.name == self.name())
    }

    /// Whether it is a column of reports.csv.
    pub fn is_column(self) -> bool {
        self.column().is_some()
    }
}

/// Fields order by name: the checks go through the figures in that order, and checks.csv
/// keeps it.
impl Ord for Field {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Field {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `name` is a report field.
pub fn is_field(name: &str) -> bool {
    COLUMNS.iter().any(|c| c.name == name)
}

/// A field's Chinese title (`支出合计` for `exp_total`).
pub fn title(name: &str) -> Option<&'static str> {
    COLUMNS.iter().find(|c| c.name == name).map(|c| c.zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranked_fields_are_numbers_and_columns() {
        for f in RANKED {
            assert!(
                f.column()
                    .is_some_and(|c| matches!(c.kind, "number" | "integer")),
                "{f}"
            );
        }
        assert!(is_field("division_code") && !is_field("exp_totl"));
    }

    #[test]
    fn every_column_is_a_field_and_names_come_back() {
        let columns: Vec<&str> = Field::ALL
            .iter()
            .filter_map(|f| f.column())
            .map(|c| c.name)
            .collect();
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(columns, names);
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(*f));
        }
        assert_eq!(Field::from_name("budget_score"), Some(Field::BudgetScore));
        assert!(!Field::BudgetScore.is_column() && Field::ExpTotal.is_column());
        assert_eq!(Field::from_name("exp_totl"), None);
    }
}
