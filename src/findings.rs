//! The one registry of checks: every `check` a row of checks.csv can carry, with its
//! severity, its Chinese title and what it means. The checks stage, the readers and
//! extraction name a check by its [`Check`]; the data dictionary lists them from here.
//!
//! Adding a check: add it below, then the rule that finds it (in `check.rs` for figures that
//! do not add up, else where the doubt arises).

/// How serious a finding is: `error` where stated figures contradict each other, `warning`
/// for what is worth a look without being a contradiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// Its `severity` value in checks.csv.
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Declares the checks: variant, code, severity, Chinese title, meaning.
macro_rules! checks {
    ( $( $v:ident $code:ident = ($sev:ident, $zh:literal, $en:literal), )* ) => {
        /// A check of checks.csv.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Check {
            $( #[doc = $en] $v, )*
        }

        impl Check {
            /// Every check, in the registry's order.
            pub const ALL: &[Check] = &[ $( Check::$v, )* ];

            /// Its `check` value in checks.csv: the stable machine key.
            pub const fn name(self) -> &'static str {
                match self { $( Check::$v => stringify!($code), )* }
            }

            pub const fn severity(self) -> Severity {
                match self { $( Check::$v => Severity::$sev, )* }
            }

            /// Its Chinese title.
            pub const fn zh(self) -> &'static str {
                match self { $( Check::$v => $zh, )* }
            }

            /// What it means.
            pub const fn en(self) -> &'static str {
                match self { $( Check::$v => $en, )* }
            }
        }
    };
}

checks! {
    // Stated figures that contradict each other.
    ExpBasicPlusProject exp_basic_plus_project = (Error, "基本支出与项目支出之和不等于支出合计", "exp_basic + exp_project differs from exp_total by more than 0.01 万元"),
    ExpPersonnelPlusPublic exp_personnel_plus_public = (Error, "人员经费与公用经费之和不等于基本支出", "exp_personnel + exp_public differs from exp_basic by more than 0.01 万元"),
    ThreePublicParts three_public_parts = (Error, "“三公”经费各项之和超过总额", "the 三公 parts (reception, vehicles) add up to more than the stated total"),
    StatedShare stated_share = (Error, "所述占比与金额不符", "a share stated in the text (x 万元, 占 y%) that its amounts do not give, beyond 0.1 percentage point"),
    StatedTwice stated_twice = (Error, "同一数字前后不一", "the same figure stated twice with different values"),
    IndicatorScoresVsTotal indicator_scores_vs_total = (Error, "指标得分之和与总分不符", "the indicator scores do not add up to the stated total score"),
    // Worth a look, not contradictions.
    ThreePublicOverBudget three_public_over_budget = (Warning, "“三公”经费支出超过预算", "three_public_actual above three_public_budget"),
    ExecutedOverBudget executed_over_budget = (Warning, "执行数超过全年预算数", "budget_executed above budget_full_year"),
    StaffOverEstablishment staff_over_establishment = (Warning, "实有人数超过编制数", "staff_actual above staff_authorized"),
    RateMismatch rate_mismatch = (Warning, "执行率与金额不符", "a stated execution rate that the stated amounts do not give"),
    IndicatorScoreAboveWeight indicator_score_above_weight = (Warning, "指标得分高于分值", "an indicator's score above its weight"),
    FiscalYearVsText fiscal_year_vs_text = (Warning, "评价年度与文中日期不符", "a fiscal year that disagrees with dates in the text"),
    // Identity.
    DivisionAmbiguous division_ambiguous = (Warning, "区划名称对应多处", "the name fits several places and the document does not say which (the message names the candidates)"),
    DivisionUnknown division_unknown = (Warning, "区划名称不在区划表中", "a name not in the division list (a township merged or renamed since, say)"),
    UnitIsSupervisor unit_is_supervisor = (Warning, "单位名称为主管部门", "unit_name is the 主管部门 while an implementing unit is written"),
    // What the reader could not settle or left out.
    KindUnsettled kind_unsettled = (Warning, "报告类型未能确定", "neither a 整体 nor a 项目 report by anything the document says"),
    TableUnassembled table_unassembled = (Warning, "表格未能读出", "an indicator table's header was found and no row could be placed (inspect lists the rows)"),
    WeakEvidence weak_evidence = (Warning, "自评报告依据不足", "kept although the document may not be a self-evaluation (the message says why)"),
    PagesCut pages_cut = (Warning, "PDF页数超限或扫描页未读", "pages not read: past the PDF page limit, or scanned pages without an OCR engine or past the time budget (the message names them)"),
    OcrDoubtful ocr_doubtful = (Warning, "OCR识别存疑", "a value the OCR engine was unsure of, left empty where it stands"),
    OutputCut output_cut = (Warning, "输出已截断", "rows or cells past the output caps were left out or cut"),
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The checks as a Markdown table, for the data dictionary.
pub fn dictionary_markdown() -> String {
    let mut out = String::from(
        "### checks.csv `check` — 核查项\n\n| check | 中文 | meaning | severity |\n|---|---|---|---|\n",
    );
    for c in Check::ALL {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            c.name(),
            c.zh(),
            c.en(),
            c.severity().name()
        ));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_a_unique_key_a_title_and_a_meaning() {
        let mut names: Vec<&str> = Check::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Check::ALL.len());
        for c in Check::ALL {
            assert!(!c.zh().is_empty() && !c.en().is_empty(), "{c}");
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{c}"
            );
        }
        assert_eq!(Check::StatedTwice.severity().name(), "error");
        assert!(dictionary_markdown().contains("| weak_evidence | 自评报告依据不足 |"));
    }
}
