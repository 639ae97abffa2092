//! Synthetic corpus generator: N varied reports of the seeds' size, alternately Word-style
//! `.docx` (written with docx-rs: text split over many runs that each carry their own font and
//! size, paragraph spacing and indents, bookmarks, tracked insertions, and tracked deletions of
//! a wrong figure that must never be read; tables with vMerge/gridSpan) and TAB-cell `.txt`
//! dumps, each with a gold JSON in the shape of the seed gold files. Deterministic for a given
//! seed.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 1000 --out /tmp/corpus [--seed 7]
//! ```
//!
//! It varies township and county names, years, phrasings from the domain vocabulary, 万元 and
//! 元, table column orders, which sections appear, and noise (sub-categories, per-project
//! amounts, bookmarks, a narrative of a few thousand characters with counts that are not
//! money). The generated set is easier than real reports: it guards against
//! regressions and measures speed, it does not replace real documents.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) < (p * 10_000.0) as u64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// Money in fen (1/100 万元 units here: hundredths of 万元).
    fn cents(&mut self, lo: u64, hi: u64) -> u64 {
        lo * 100 + self.below((hi - lo) * 100)
    }
}

/// Hundredths of 万元 as written: `3619.44`, `11`, `0.5`.
fn wan(c: u64) -> String {
    let (i, f) = (c / 100, c % 100);
    match f {
        0 => i.to_string(),
        f if f % 10 == 0 => format!("{i}.{}", f / 10),
        f => format!("{i}.{f:02}"),
    }
}

fn wan_value(c: u64) -> Value {
    json!(c as f64 / 100.0)
}

/// Work the narrative speaks of, and what it says of it: no money and no field labels, so the
/// gold stays what the figures above say, while the text is as long as a real report's.
const TOPICS: &[&str] = &[
    "乡村振兴",
    "人居环境整治",
    "耕地保护",
    "防汛抗旱",
    "安全生产",
    "基层党建",
    "综治维稳",
    "产业发展",
    "民生保障",
    "森林防火",
    "移风易俗",
    "河长制",
    "社会救助",
    "文化惠民",
    "营商环境",
    "信访维稳",
    "村务公开",
    "殡葬改革",
    "禁毒宣传",
    "农村危房改造",
];
const ACTIONS: &[&str] = &[
    "扎实推进{t}工作",
    "全面落实{t}责任",
    "持续深化{t}各项举措",
    "统筹抓好{t}各项任务",
    "积极开展{t}专项行动",
    "围绕{t}目标精准发力",
    "把{t}摆在突出位置",
    "建立健全{t}长效机制",
];
const RESULTS: &[&str] = &[
    "群众满意度明显提升",
    "各项工作有序推进",
    "取得了阶段性成效",
    "基础设施进一步完善",
    "长效机制逐步建立",
    "工作作风持续转变",
    "群众获得感不断增强",
    "风险隐患得到有效管控",
];
const COUNTS: &[&str] = &[
    "完成{n}个村（社区）的年度任务",
    "组织培训{n}场次，参训{m}人次",
    "排查整改隐患{n}处",
    "新建和维修村组道路{n}公里",
    "走访群众{n}户",
    "办理群众诉求{n}件",
    "开展宣传活动{n}场",
    "新增产业基地{n}个",
    "完成改造{n}户",
];

/// Paragraphs about the year's work: several sentences each, a few thousand characters in all.
fn narrative(rng: &mut Rng) -> Vec<String> {
    let n_paras = 14 + rng.below(9);
    (0..n_paras)
        .map(|_| {
            let mut p = String::new();
            for _ in 0..4 + rng.below(5) {
                let t = *rng.pick(TOPICS);
                let action = rng.pick(ACTIONS).replace("{t}", t);
                let count = rng
                    .pick(COUNTS)
                    .replace("{n}", &(2 + rng.below(300)).to_string())
                    .replace("{m}", &(50 + rng.below(3000)).to_string());
                let _ = write!(p, "{action}，{count}，{}。", rng.pick(RESULTS));
            }
            p
        })
        .collect()
}

const SYLLABLES: &[&str] = &[
    "白", "关", "北", "山", "明", "溪", "口", "庙", "前", "官", "庄", "青", "石", "桥", "龙", "泉",
    "东", "河", "南", "坪", "新", "塘", "高", "岭", "金", "湾", "长", "乐", "平", "安", "马", "头",
    "黄", "土",
];
const COUNTY_SUFFIX: &[&str] = &["县", "县", "区", "市"];
const TOWN_SUFFIX: &[&str] = &["镇", "镇", "乡", "街道"];

struct Indicator {
    level1: &'static str,
    level1_weight: u64,
    level2: &'static str,
    name: &'static str,
    target: String,
    actual: String,
    weight: u64,
    score: u64,
    note: &'static str,
}

const NAMES: &[(&str, &str, &str)] = &[
    ("数量指标", "改厕", "座"),
    ("数量指标", "耕地恢复任务", "亩"),
    ("数量指标", "消除风险监测户", "户"),
    ("数量指标", "公路养护", "公里"),
    ("数量指标", "群众诉求办理", "件"),
    ("质量指标", "工程验收合格率", "%"),
    ("质量指标", "畜禽免疫率", "%"),
    ("时效指标", "资金拨付及时率", "%"),
];

fn indicators(rng: &mut Rng) -> Vec<Indicator> {
    let mut out = Vec::new();
    let n_output = 2 + rng.below(4) as usize;
    let mut used = Vec::new();
    let mut output_weight = 0;
    let mut rows = Vec::new();
    while rows.len() < n_output {
        let (l2, name, unit) = *rng.pick(NAMES);
        if used.contains(&name) {
            continue;
        }
        used.push(name);
        let w = 5 + rng.below(10);
        output_weight += w;
        let (target, actual) = if unit == "%" {
            let t = 90 + rng.below(11);
            (format!("≥{t}%"), format!("{}%", t.min(100)))
        } else {
            let t = 10 + rng.below(900);
            (format!("{t}{unit}"), format!("{}{unit}", t + rng.below(20)))
        };
        rows.push((l2, name, target, actual, w));
    }
    // Rows of one level2 stand together, as in real tables (a merged level2 cell).
    rows.sort_by_key(|r| r.0);
    for (l2, name, target, actual, w) in rows {
        out.push(Indicator {
            level1: "产出指标",
            level1_weight: output_weight,
            level2: l2,
            name,
            target,
            actual,
            weight: w,
            score: w,
            note: "",
        });
    }
    let effect = [
        ("社会效益指标", "群众安全感"),
        ("可持续影响指标", "长效机制建立情况"),
    ];
    for (l2, name) in effect {
        let w = 10;
        let lost = rng.below(3);
        out.push(Indicator {
            level1: "效益指标",
            level1_weight: 20,
            level2: l2,
            name,
            target: "逐步提升".into(),
            actual: "明显提升".into(),
            weight: w,
            score: w - lost,
            note: if lost > 0 {
                "部分工作推进较慢"
            } else {
                ""
            },
        });
    }
    out.push(Indicator {
        level1: "满意度指标",
        level1_weight: 10,
        level2: "服务对象满意度指标",
        name: "群众满意度",
        target: "≥90%".into(),
        actual: format!("{}%", 90 + rng.below(10)),
        weight: 10,
        score: 10,
        note: "",
    });
    out
}

/// A block of the generated document.
enum Block {
    Para(String),
    /// Rows of cells; a cell is (text lines, grid span, vmerge: 0 none, 1 restart, 2 continue).
    Table(Vec<Vec<(Vec<String>, usize, u8)>>),
}

fn cell(text: &str) -> (Vec<String>, usize, u8) {
    (text.split('\n').map(str::to_string).collect(), 1, 0)
}

struct Report {
    blocks: Vec<Block>,
    gold: Value,
}

fn report(rng: &mut Rng) -> Report {
    let name2 = |rng: &mut Rng| format!("{}{}", rng.pick(SYLLABLES), rng.pick(SYLLABLES));
    let county = format!("{}{}", name2(rng), rng.pick(COUNTY_SUFFIX));
    let town = format!("{}{}", name2(rng), rng.pick(TOWN_SUFFIX));
    let office = if town.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    let with_county = rng.chance(0.7);
    let unit = if with_county {
        format!("{county}{town}{office}")
    } else {
        format!("{town}{office}")
    };
    let year = 2019 + rng.below(6) as i64;
    let (month, day) = (1 + rng.below(9), 1 + rng.below(28));
    let mut gold = serde_json::Map::new();
    gold.insert("unit_name".into(), json!(unit));
    if with_county {
        gold.insert("county".into(), json!(county));
    }
    gold.insert("township".into(), json!(town));
    gold.insert("fiscal_year".into(), json!(year));
    gold.insert(
        "report_date".into(),
        json!(format!("{}-{month:02}-{day:02}", year + 1)),
    );
    let mut b = Vec::new();
    b.push(Block::Para(unit.clone()));
    b.push(Block::Para(format!("{year}年度部门整体支出绩效自评报告")));
    b.push(Block::Para("一、部门基本情况".into()));
    if rng.chance(0.85) {
        let (a, s) = (40 + rng.below(100), 30 + rng.below(110));
        gold.insert("staff_authorized".into(), json!(a));
        gold.insert("staff_actual".into(), json!(s));
        let text = match rng.below(3) {
            0 => {
                let r = 5 + rng.below(60);
                gold.insert("retirees".into(), json!(r));
                format!("本单位编制数{a}人，实有人数{s}人，离退休人员{r}人。")
            }
            1 => format!("截至{year}年12月31日，我单位编制人数{a}人，年末实有人数{s}人。"),
            _ => {
                let x = a / 3;
                format!(
                    "核定编制{a}人（其中行政编制{x}人，事业编制{}人），实际在职人数{s}人。",
                    a - x
                )
            }
        };
        b.push(Block::Para(text));
    }
    b.push(Block::Para("乡镇人民政府是基层国家行政机关，领导本地区经济、政治、文化、社会、生态文明建设等各项工作。".into()));
    b.push(Block::Para("二、部门整体支出情况".into()));
    let basic = rng.cents(800, 3000);
    let project = rng.cents(100, 3000);
    let total = basic + project;
    gold.insert("exp_total".into(), wan_value(total));
    gold.insert("exp_basic".into(), wan_value(basic));
    gold.insert("exp_project".into(), wan_value(project));
    let spend = match rng.below(3) {
        0 => format!(
            "{year}年共支出{}万元。其中：基本支出{}万元，项目支出{}万元。",
            wan(total),
            wan(basic),
            wan(project)
        ),
        1 => format!(
            "{year}年支出合计{}万元，其中：基本支出{}万元，占{:.2}%；项目支出{}万元，占{:.2}%。",
            wan(total),
            wan(basic),
            basic as f64 * 100.0 / total as f64,
            wan(project),
            project as f64 * 100.0 / total as f64
        ),
        _ => format!(
            "本年支出{}万元，按支出性质分其中：基本支出{}万元，项目支出{}万元。",
            wan(total),
            wan(basic),
            wan(project)
        ),
    };
    b.push(Block::Para(spend));
    let public = rng.cents(50, basic / 100 / 2 + 51).min(basic - 100);
    let personnel = basic - public;
    if rng.chance(0.7) {
        gold.insert("exp_personnel".into(), wan_value(personnel));
        gold.insert("exp_public".into(), wan_value(public));
        b.push(Block::Para(format!(
            "基本支出中：人员经费{}万元，公用经费{}万元。",
            wan(personnel),
            wan(public)
        )));
    }
    let wages = personnel * 7 / 10;
    b.push(Block::Para(format!(
        "其中：工资福利支出{}万元，商品和服务支出{}万元。",
        wan(wages),
        wan(public)
    )));
    b.push(Block::Para("三、“三公”经费情况".into()));
    let reception = rng.cents(1, 20);
    let vehicle = rng.cents(0, 15);
    let actual3 = reception + vehicle;
    let budget3 = actual3 + rng.cents(0, 10);
    gold.insert("three_public_budget".into(), wan_value(budget3));
    gold.insert("three_public_actual".into(), wan_value(actual3));
    gold.insert("reception_actual".into(), wan_value(reception));
    gold.insert("vehicle_actual".into(), wan_value(vehicle));
    let three = if rng.chance(0.5) {
        format!(
            "“三公”经费预算{}万元，实际支出{}万元，其中：公务接待费{}万元，公务用车运行维护费{}万元。",
            wan(budget3),
            wan(actual3),
            wan(reception),
            wan(vehicle)
        )
    } else {
        format!(
            "三公经费支出{}万元，未超过{}万元的控制线。其中公务接待费{}元，公务用车运行维护费{}元。",
            wan(actual3),
            wan(budget3),
            reception * 100,
            vehicle * 100
        )
    };
    b.push(Block::Para(three));
    b.push(Block::Para("四、政府性基金预算支出情况".into()));
    if rng.chance(0.5) {
        gold.insert("gov_fund_exp".into(), json!(0));
        b.push(Block::Para("本年度无政府性基金预算支出。".into()));
    } else {
        let g = rng.cents(1, 200);
        gold.insert("gov_fund_exp".into(), wan_value(g));
        b.push(Block::Para(format!(
            "{year}年度政府性基金预算支出{}万元。",
            wan(g)
        )));
    }
    b.push(Block::Para("五、部门整体支出绩效情况".into()));
    b.extend(narrative(rng).into_iter().map(Block::Para));
    b.push(Block::Para(format!(
        "全年完成改厕{}座，惠及{}户，完成耕地恢复{}亩，持续改善人居环境，推进乡村振兴。",
        10 + rng.below(90),
        100 + rng.below(900),
        100 + rng.below(900)
    )));
    let inds = indicators(rng);
    let initial = total - rng.cents(0, total / 100 / 2);
    let full = total + rng.cents(0, 20);
    let rate_bp = total * 10_000 / full; // hundredths of a percent
    let rate = wan(rate_bp);
    let budget_score = rate_bp / 10; // 10 points × rate, in hundredths
    let score_sum: u64 = inds.iter().map(|x| x.score * 100).sum::<u64>() + budget_score;
    let with_table = rng.chance(0.85);
    if rng.chance(0.5) {
        b.push(Block::Para(format!(
            "我镇{year}年度部门整体支出绩效自评得分为{}分。",
            wan(score_sum)
        )));
        gold.insert("self_score".into(), wan_value(score_sum));
    }
    b.push(Block::Para(unit.clone()));
    b.push(Block::Para(format!("{}年{month}月{day}日", year + 1)));
    let mut gold_inds = Vec::new();
    if with_table {
        gold.insert("budget_initial".into(), wan_value(initial));
        gold.insert("budget_full_year".into(), wan_value(full));
        gold.insert("budget_executed".into(), wan_value(total));
        gold.insert("execution_rate".into(), wan_value(rate_bp));
        gold.insert("self_score".into(), wan_value(score_sum));
        b.push(Block::Para("部门整体支出绩效自评表".into()));
        let scores_first = rng.chance(0.3);
        let mut rows = vec![
            vec![cell("预算单位名称"), (vec![unit.clone()], 8, 0)],
            vec![
                (
                    vec!["年度预".into(), "算申请".into(), "（万元）".into()],
                    1,
                    0,
                ),
                cell(""),
                cell("年初预算数"),
                cell("全年预算数"),
                cell("全年执行数"),
                cell("分值"),
                cell("执行率"),
                (vec!["得分".into()], 2, 0),
            ],
            vec![
                cell(""),
                cell("年度资金总额"),
                cell(&wan(initial)),
                cell(&wan(full)),
                cell(&wan(total)),
                cell("10"),
                cell(&format!("{rate}%")),
                (vec![wan(budget_score)], 2, 0),
            ],
        ];
        let head: Vec<&str> = if scores_first {
            vec![
                "绩\n效\n指\n标",
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "得分",
                "年度指标值",
                "实际完成值",
                "偏差原因分析及改进措施",
            ]
        } else {
            vec![
                "绩\n效\n指\n标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ]
        };
        rows.push(head.iter().map(|h| cell(h)).collect());
        let mut prev: (&str, &str) = ("", "");
        for ind in &inds {
            let l1_text = format!("{}\n({}分)", ind.level1, ind.level1_weight);
            let l1 = if ind.level1 == prev.0 {
                (vec![String::new()], 1, 2)
            } else {
                (l1_text.split('\n').map(str::to_string).collect(), 1, 1)
            };
            let l2 = if ind.level1 == prev.0 && ind.level2 == prev.1 {
                (vec![String::new()], 1, 2)
            } else {
                (vec![ind.level2.to_string()], 1, 1)
            };
            prev = (ind.level1, ind.level2);
            let (w, s) = (ind.weight.to_string(), ind.score.to_string());
            let mut row = vec![(vec![String::new()], 1, 2), l1, l2, cell(ind.name)];
            if scores_first {
                row.extend([cell(&w), cell(&s), cell(&ind.target), cell(&ind.actual)]);
            } else {
                row.extend([cell(&ind.target), cell(&ind.actual), cell(&w), cell(&s)]);
            }
            row.push(cell(ind.note));
            rows.push(row);
            gold_inds.push(json!({
                "level1": ind.level1, "level1_weight": ind.level1_weight, "level2": ind.level2, "name": ind.name,
                "target": ind.target, "actual": ind.actual, "weight": ind.weight, "score": ind.score, "note": ind.note,
            }));
        }
        rows.push(vec![
            (vec!["总分".into()], 6, 0),
            cell("100"),
            cell(&wan(score_sum)),
            cell(""),
        ]);
        // The first column of the indicator block is one merged cell.
        if let Some(first) = rows.get_mut(3).and_then(|r| r.first_mut()) {
            first.2 = 1;
        }
        b.push(Block::Table(rows));
    }
    Report {
        blocks: b,
        gold: json!({"report": Value::Object(gold), "indicators": gold_inds}),
    }
}

fn write_txt(path: &Path, r: &Report, rng: &mut Rng) -> std::io::Result<()> {
    let mut s = String::new();
    for b in &r.blocks {
        match b {
            Block::Para(p) => {
                if rng.chance(0.05) {
                    s.push_str("[bookmark: _GoBack]");
                }
                s.push_str(p);
                s.push('\n');
            }
            Block::Table(rows) => {
                for (ri, row) in rows.iter().enumerate() {
                    if ri > 0 {
                        s.push('\n');
                    }
                    for (lines, _, _) in row {
                        let _ = writeln!(s, "\t{}", lines.join("\n"));
                    }
                }
                s.push_str("\n\n");
            }
        }
    }
    std::fs::write(path, s)
}

/// One run as Word writes it: its own font and size.
fn word_run(text: &str) -> docx_rs::Run {
    docx_rs::Run::new()
        .add_text(text)
        .fonts(
            docx_rs::RunFonts::new()
                .east_asia("仿宋_GB2312")
                .ascii("Times New Roman"),
        )
        .size(32)
}

/// A paragraph as Word writes it after edits: spacing and indent, the text split over several
/// runs, now and then a bookmark or a tracked insertion (kept), and when `deleted` is given a
/// tracked deletion of that text first (never to be read).
fn runs(text: &str, deleted: Option<&str>, rng: &mut Rng) -> docx_rs::Paragraph {
    let chars: Vec<char> = text.chars().collect();
    let mut p = docx_rs::Paragraph::new()
        .line_spacing(docx_rs::LineSpacing::new().line(560))
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(640)),
            None,
            None,
        )
        .align(docx_rs::AlignmentType::Both);
    let bookmark = rng.chance(0.2).then(|| rng.below(100_000) as usize);
    if let Some(id) = bookmark {
        p = p.add_bookmark_start(id, format!("_Toc{id}"));
    }
    if let Some(d) = deleted {
        p = p.add_delete(
            docx_rs::Delete::new()
                .author("a")
                .date("2024-05-01T00:00:00Z")
                .add_run(docx_rs::Run::new().add_delete_text(d)),
        );
    }
    let mut i = 0;
    while i < chars.len() {
        let n = 1 + rng.below(8) as usize;
        let piece: String = chars[i..(i + n).min(chars.len())].iter().collect();
        p = if rng.chance(0.05) {
            p.add_insert(
                docx_rs::Insert::new(word_run(&piece))
                    .author("a")
                    .date("2024-05-01T00:00:00Z"),
            )
        } else {
            p.add_run(word_run(&piece))
        };
        i += n;
    }
    if let Some(id) = bookmark {
        p = p.add_bookmark_end(id);
    }
    p
}

fn write_docx(path: &Path, r: &Report, rng: &mut Rng) -> Result<(), String> {
    let mut doc = docx_rs::Docx::new();
    for b in &r.blocks {
        match b {
            Block::Para(p) => {
                // A figure struck out while editing the spending paragraph.
                let deleted =
                    (p.contains("基本支出") && rng.chance(0.5)).then_some("共支出9999.99万元，");
                doc = doc.add_paragraph(runs(p, deleted, rng))
            }
            Block::Table(rows) => {
                let mut trs = Vec::new();
                for row in rows {
                    let mut cells = Vec::new();
                    for (lines, span, vm) in row {
                        let mut c = docx_rs::TableCell::new();
                        for l in lines {
                            c = c.add_paragraph(runs(l, None, rng));
                        }
                        if *span > 1 {
                            c = c.grid_span(*span);
                        }
                        match vm {
                            1 => c = c.vertical_merge(docx_rs::VMergeType::Restart),
                            2 => c = c.vertical_merge(docx_rs::VMergeType::Continue),
                            _ => {}
                        }
                        cells.push(c);
                    }
                    trs.push(docx_rs::TableRow::new(cells));
                }
                doc = doc.add_table(docx_rs::Table::new(trs));
            }
        }
    }
    let mut packed = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut packed).map_err(|e| e.to_string())?;
    deflate_zip(packed.get_ref(), path)
}

/// docx-rs stores its parts uncompressed; Word deflates them. Repacks every part deflated, so
/// reading a generated file costs what reading a real one does.
fn deflate_zip(stored: &[u8], path: &Path) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(|e| err(&e))?;
    let file = std::fs::File::create(path).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| err(&e))?;
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).map_err(|e| err(&e))?;
        out.start_file(entry.name(), opts).map_err(|e| err(&e))?;
        std::io::Write::write_all(&mut out, &bytes).map_err(|e| err(&e))?;
    }
    out.finish().map_err(|e| err(&e))?;
    Ok(())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = arg("--n").and_then(|v| v.parse().ok()).unwrap_or(100);
    let seed: u64 = arg("--seed").and_then(|v| v.parse().ok()).unwrap_or(7);
    let out = PathBuf::from(arg("--out").ok_or("--out DIR is required")?);
    let gold_dir = out.join("gold");
    std::fs::create_dir_all(&gold_dir).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed);
    for i in 0..n {
        let r = report(&mut rng);
        let stem = format!("gen{i:06}");
        let mut gold = r.gold.clone();
        gold["source"] = json!(stem);
        if i % 2 == 0 {
            write_docx(&out.join(format!("{stem}.docx")), &r, &mut rng)?;
        } else {
            write_txt(&out.join(format!("{stem}.txt")), &r, &mut rng).map_err(|e| e.to_string())?;
        }
        let text = serde_json::to_string_pretty(&gold).map_err(|e| e.to_string())?;
        std::fs::write(gold_dir.join(format!("{stem}.json")), text).map_err(|e| e.to_string())?;
    }
    eprintln!("gen_corpus: {n} reports in {}", out.display());
    Ok(())
}
