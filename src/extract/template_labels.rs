//! Every label of the official self-evaluation templates is accounted for
//! (`tests/fixtures/templates/labels.tsv`, from the research catalogue of the national and
//! provincial forms): it either feeds the field the catalogue names through the vocabulary of
//! `rules/`, read the way the extractor reads it (spaces and line breaks removed, widths
//! folded, traditional characters made simplified), or `rules/not_fields.tsv` lists it as no
//! field of ours, with the reason. The traps the catalogue lists (`templates.md` beside it)
//! each have a test that runs the extractor on a small text and sees the trap not taken.

use crate::extract::{kind, tables};
use crate::fields::{Field, ReportRow};
use crate::normalize::simplified::simplified;
use crate::normalize::text::squash;
use crate::rules::forms::{form_words, FormWord};
use crate::rules::not_fields::NOT_FIELDS;
use crate::rules::{
    column_of, is_level1, is_level2, IndicatorColumn, BUDGET_COLUMNS, INDICATOR_COLUMNS,
};

/// The catalogue, read at test time (a fixture, not compiled into anything).
static LABELS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/templates/labels.tsv"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
});

/// One row of the catalogue.
struct Label {
    line: usize,
    label: &'static str,
    role: &'static str,
    field: &'static str,
}

fn catalogue() -> Vec<Label> {
    LABELS
        .lines()
        .enumerate()
        .skip(1)
        .filter_map(|(n, l)| {
            let mut cells = l.split('\t');
            Some(Label {
                line: n + 1,
                label: cells.next()?,
                role: cells.next()?,
                field: cells.next()?,
            })
        })
        .collect()
}

/// A label as the extractor compares it: the catalogue's `\n` (a break inside the cell) and
/// spaces removed, widths folded, ASCII brackets and colons (as labels are matched),
/// simplified characters.
fn normal(label: &str) -> String {
    simplified(&squash(&label.replace("\\n", "\n")))
        .replace('（', "(")
        .replace('）', ")")
        .replace('：', ":")
}

/// The report row the extractor reads from `text`.
fn report(text: &str) -> ReportRow {
    let doc = crate::recover::dump::parse(text).expect("a text parses");
    super::extract(&doc, "r", "x.txt").rows.report
}

/// A report row's value of one column, as text (empty when not found).
fn value(row: &ReportRow, column: &str) -> String {
    match serde_json::to_value(row)
        .ok()
        .and_then(|v| v.get(column).cloned())
    {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// Whether the label feeds `field` in its `role`, the way the extractor reads that role.
fn feeds(role: &str, field: &str, label: &str) -> bool {
    let norm = normal(label);
    let indicator = column_of(&INDICATOR_COLUMNS, &norm).map(|r| r.column);
    let budget = column_of(&BUDGET_COLUMNS, &norm).map(|r| r.column);
    match (role, field) {
        ("indicator_column", "level1" | "level1 + level1_weight") => {
            let word = norm.split(['(', '（']).next().unwrap_or_default();
            indicator == Some(IndicatorColumn::Level1) || is_level1(word)
        }
        ("indicator_column", "level2") => {
            indicator == Some(IndicatorColumn::Level2) || is_level2(&norm)
        }
        ("indicator_column", column) => {
            let want: Option<IndicatorColumn> =
                serde_json::from_value(serde_json::Value::String(column.to_string())).ok();
            want.is_some() && indicator == want
        }
        ("budget_column", "budget_block") => {
            // A block heading in 元: the table's amounts are converted.
            !norm.contains("万元") && form_words(FormWord::Yuan).iter().any(|w| norm.contains(w))
        }
        ("budget_column", column) => budget.is_some() && budget == Field::from_name(column),
        ("budget_row", "funds_total_row") => tables::is_total_label(&norm),
        ("basic_data" | "budget_row", name) => {
            let staff = matches!(name, "staff_authorized" | "staff_actual" | "retirees");
            if staff {
                return value(&report(&format!("{norm}20人")), name) == "20";
            }
            // The column a spent amount after the label feeds (a 三公 amount is its actual).
            let column = match name {
                "three_public_budget / three_public_actual" => "three_public_actual",
                n => n,
            };
            let bare = norm.trim_end_matches(':');
            let prose = report(&format!("{bare}12.5万元。"));
            let pair = report(&format!("{bare} | 12.5万元 |"));
            value(&prose, column) == "12.5" || value(&pair, column) == "12.5"
        }
        ("identity", "project_name") => {
            let r = report(&format!(
                "东河县交通运输局2023年度项目支出绩效自评表\n{norm} | 农村公路养护工程\n"
            ));
            value(&r, "project_name") == "农村公路养护工程"
        }
        ("identity", "unit_name (implementing)" | "supervising_unit") => {
            let r = report(&format!(
                "2023年度项目支出绩效自评表\n项目名称 | 农村公路养护工程\n{norm} | 东河县公路养护中心\n"
            ));
            value(&r, "unit_name") == "东河县公路养护中心"
        }
        ("identity", "unit_name (reporting)") => {
            let r = report(&format!(
                "2023年度部门整体支出绩效自评表\n{norm} | 东河县民政局\n"
            ));
            value(&r, "unit_name") == "东河县民政局"
        }
        ("identity", "report_date") => {
            let r = report(&format!(
                "东河县民政局2023年度部门整体支出绩效自评表\n{label}2024年3月15日\n"
            ));
            value(&r, "report_date") == "2024-03-15"
        }
        ("identity", "fiscal_year") => {
            let year: String = norm.chars().filter(char::is_ascii_digit).collect();
            let r = report(&format!("项目支出绩效自评表\n{norm}\n"));
            value(&r, "fiscal_year") == year
        }
        ("identity", kind_field) if kind_field.starts_with("report_kind=") => {
            let want = kind_field.trim_start_matches("report_kind=");
            let said = kind::said(&norm).is_some_and(|(_, k)| k.as_str() == want);
            said || value(&report(&format!("{norm}\n(2023年度)\n")), "report_kind") == want
        }
        ("score", "self_score") => {
            let pair = report(&format!("自评方式 | 单位自评 | {norm} | 91.5 |"));
            let prose = report(&format!("经评价，{norm}91.5分。"));
            let total = report(&format!(
                "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n\
                 产出指标 | 数量指标 | 养护里程 | 10公里 | 10公里 | 100 | 91.5\n\
                 {norm} | | | | | 100 | 91.5\n"
            ));
            [pair, prose, total]
                .iter()
                .any(|r| value(r, "self_score") == "91.5")
        }
        ("score", "grade") => {
            let r = report(&format!("{norm} | 良 | 抽查 | 1 |"));
            value(&r, "grade") == "良"
        }
        _ => false,
    }
}

/// Whether every role the label plays feeds its field (`分值` is the budget block's weight
/// and an indicator's: the `|`-separated roles and fields go in pairs).
fn feeds_all(l: &Label) -> bool {
    let roles: Vec<&str> = l.role.split('|').map(str::trim).collect();
    let fields: Vec<&str> = l.field.split('|').map(str::trim).collect();
    match (roles.as_slice(), fields.as_slice()) {
        ([role], _) => feeds(role, l.field.trim(), l.label),
        // One field, two roles (`项目支出:` a budget row and a basic-data row): either reads it.
        (rs, [field]) => rs.iter().any(|r| feeds(r, field, l.label)),
        (rs, fs) if rs.len() == fs.len() => rs.iter().zip(fs).all(|(r, f)| feeds(r, f, l.label)),
        _ => false,
    }
}

#[test]
fn every_template_label_feeds_its_field_or_is_listed_as_none() {
    let listed = |label: &str| NOT_FIELDS.iter().any(|n| n.label == normal(label));
    let mut unaccounted = Vec::new();
    let (mut feeding, mut not_fields) = (0, 0);
    for l in catalogue() {
        if listed(l.label) {
            not_fields += 1;
            continue;
        }
        if l.role == "not_a_field" || !feeds_all(&l) {
            unaccounted.push(format!(
                "labels.tsv:{}: {:?} ({} → {})",
                l.line, l.label, l.role, l.field
            ));
        } else {
            feeding += 1;
        }
    }
    assert!(
        unaccounted.is_empty(),
        "{} labels neither feed their field through rules/ nor are listed in rules/not_fields.tsv:\n{}",
        unaccounted.len(),
        unaccounted.join("\n")
    );
    assert!(
        feeding > 150 && not_fields > 100,
        "{feeding} feed, {not_fields} listed"
    );
}

/// A label listed as no field is one the catalogue has, and one that indeed feeds nothing
/// where the catalogue says it feeds something (else the listing hides a working rule).
#[test]
fn every_listed_label_is_a_catalogue_label_that_feeds_nothing() {
    let catalogue = catalogue();
    for n in NOT_FIELDS.iter() {
        let spellings: Vec<&Label> = catalogue
            .iter()
            .filter(|l| normal(l.label) == n.label)
            .collect();
        assert!(
            !spellings.is_empty(),
            "rules/not_fields.tsv: {:?} is no label of the catalogue",
            n.label
        );
        for l in spellings {
            assert!(
                l.role == "not_a_field" || l.field == "-" || !feeds_all(l),
                "rules/not_fields.tsv: {:?} is listed, but feeds {} ({}); remove it",
                n.label,
                l.field,
                l.role
            );
        }
    }
}

/// The indicator rows the extractor reads from `text`: (name, target, actual, weight, score).
fn indicators(text: &str) -> Vec<(String, String, String, String, String)> {
    let doc = crate::recover::dump::parse(text).expect("a text parses");
    let num = |n: &Option<crate::record::Num>| {
        n.as_ref()
            .map(|n| crate::normalize::numbers::fmt_decimal(n.0))
            .unwrap_or_default()
    };
    super::extract(&doc, "r", "x.txt")
        .rows
        .indicators
        .iter()
        .map(|r| {
            (
                r.name.as_str().to_string(),
                r.target_raw.as_str().to_string(),
                r.actual_raw.as_str().to_string(),
                num(&r.weight),
                num(&r.score),
            )
        })
        .collect()
}

/// The budget block of the 重庆 department form (T40), with invented figures.
const WEIGHTED_BLOCK: &str = "东河县融媒体中心2023年度部门整体绩效自评表\n\
    项目资金(万元) | 年初预算数 | 全年(调整)预算数 | 全年执行数 | 执行率权重 | 执行率(%) | 执行率得分(分)\n\
    年度资金总额 | 100 | 120 | 114 | 10 | 95% | 9.5\n";

#[test]
fn trap_the_weight_of_the_execution_rate_is_no_rate() {
    let r = report(WEIGHTED_BLOCK);
    assert_eq!(value(&r, "execution_rate"), "95");
    assert_eq!(value(&r, "budget_full_year"), "120");
    // 执行率得分 is the block's points for execution, not the report's score.
    assert_eq!(value(&r, "self_score"), "");
}

#[test]
fn trap_a_score_coefficient_is_no_indicator_score() {
    let rows = indicators(
        "东河县融媒体中心2023年度部门整体绩效自评表\n\n\
         一级指标 | 二级指标 | 三级指标 | 年初指标值 | 全年完成值 | 指标权重(分) | 得分系数(%) | 指标得分(分)\n\
         产出指标 | 数量指标 | 发布新闻稿件 | ≥800篇 | 860篇 | 20 | 80% | 16\n\
         产出指标 | 质量指标 | 差错率 | ≤1% | 0.5% | 20 | 50% | 10\n",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (name, _, _, weight, score) in &rows {
        assert_eq!(weight, "20", "{name}");
        // The coefficient (80, 50) never stands as the score.
        assert!(score != "80" && score != "50", "{name}: {score}");
    }
}

#[test]
fn trap_the_budget_blocks_own_score_is_not_the_reports() {
    // 湖南's department form (T10): 自评得分 heads the block's points for execution.
    let r = report(
        "东河县民政局2023年度部门整体支出绩效自评表\n\
         资金情况(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 自评得分\n\
         年度资金总额 | 200 | 210 | 205 | 10 | 97.62% | 9.76\n",
    );
    assert_eq!(value(&r, "execution_rate"), "97.62");
    assert_eq!(value(&r, "self_score"), "");
    // In prose the same words state the report's total.
    let r = report("经单位自评，本部门自评得分为93.5分，等级为优。");
    assert_eq!(value(&r, "self_score"), "93.5");
}

#[test]
fn trap_an_adjusted_target_beside_the_initial_one_is_not_joined_to_it() {
    // 重庆 (T40) writes 年初指标值 and 调整指标值; SPEC names one target: the first target
    // column of the header is read, the adjusted one never lands in another column.
    let rows = indicators(
        "东河县融媒体中心2023年度部门整体绩效自评表\n\n\
         一级指标 | 二级指标 | 三级指标 | 年初指标值 | 调整指标值 | 全年完成值 | 指标权重(分) | 指标得分(分)\n\
         产出指标 | 数量指标 | 直播场次 | ≥40场 | ≥50场 | 52场 | 20 | 20\n",
    );
    let [(name, target, actual, weight, score)] = rows.as_slice() else {
        panic!("{rows:?}")
    };
    assert_eq!(
        (name.as_str(), target.as_str(), actual.as_str()),
        ("直播场次", "≥40场", "52场")
    );
    assert_eq!((weight.as_str(), score.as_str()), ("20", "20"));
}

#[test]
fn trap_the_central_department_is_never_the_unit() {
    // The transfer-payment form (T05): a ministry above the local units.
    let r = report(
        "中央对地方转移支付区域绩效自评表\n(2022年度)\n\
         转移支付(项目)名称 | 车辆购置税收入补助地方资金\n\
         中央主管部门 | 交通运输部\n\
         地方主管部门 | 东河县交通运输局\n\
         资金使用单位 | 东河县公路养护中心\n",
    );
    assert_eq!(value(&r, "unit_name"), "东河县公路养护中心");
    assert_eq!(value(&r, "project_name"), "车辆购置税收入补助地方资金");
    // Without a using unit, the local department stands in; the ministry never does.
    let r = report(
        "中央对地方转移支付区域绩效自评表\n(2022年度)\n\
         中央主管部门 | 交通运输部\n\
         地方主管部门 | 东河县交通运输局\n",
    );
    assert_ne!(value(&r, "unit_name"), "交通运输部");
}

#[test]
fn trap_money_received_and_scored_rates_are_no_execution() {
    let r = report(
        "西岭县民政局2023年度社会救助专项资金项目支出绩效自评报告\n\
         一、预算执行情况\n\
         本年度资金到位率100%，实际到位资金210万元，预算完成率98%，政府采购执行率90%，支付率95%。\n",
    );
    for field in ["budget_executed", "execution_rate", "budget_full_year"] {
        assert_eq!(value(&r, field), "", "{field}");
    }
}

#[test]
fn trap_a_budget_adjustment_is_not_the_adjusted_budget() {
    let r = report(
        "西岭县民政局2023年度项目支出绩效自评报告\n\
         本年度年初预算80万元，年度预算调整10万元，实际支出85万元。\n",
    );
    assert_ne!(value(&r, "budget_full_year"), "10");
}

#[test]
fn trap_fund_income_and_staff_ratios_are_not_their_look_alikes() {
    // 政府性基金拨款 is income from the fund budget, not fund spending; a 控制率 is a ratio.
    let r =
        report("本年收入中，政府性基金拨款50万元。在职人员控制率108.70%，财政供养人员控制率95%。");
    assert_eq!(value(&r, "gov_fund_exp"), "");
    assert_eq!(value(&r, "staff_actual"), "");
    assert_eq!(value(&r, "staff_authorized"), "");
}
