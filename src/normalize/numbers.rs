//! The number-with-unit scanner: every amount, headcount, percentage and indicator value
//! passes through [`scan`], which finds each number in a piece of Chinese text with its unit
//! and qualifier and resolves it exactly (decimal arithmetic, never floats).
//!
//! It reads Arabic numbers (full-width digits, `,`/`，` thousands separators, signs), Chinese
//! numerals (simplified, traditional, 大写, 廿/卅, 点 decimals, spoken `三万五`), mixed forms
//! (`1.2万`, `4.78万亿`), fractions (`三分之二`), percentages (`98.5%`, `百分之九十五`,
//! `千分之三`, `5个百分点`) and units kept apart from their multiplier (`0.6万亩` → 6000 亩).
//! It does not decide what a number *means*; extractors do, from the mention's unit and the
//! words around it. It must never panic and is linear in the length of the text.

use rust_decimal::Decimal;

/// One number found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Character (not byte) offsets into the scanned text, `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The value in the base unit (万/亿 multiplied out; a percentage as its number).
    pub value: Decimal,
    /// The unit as a canonical word (`元`, `人`, `亩`, `%`…), `""` for a bare number.
    pub unit: &'static str,
    /// One of `""`, 约, 余, 多, 超过, 以上, 以下, 不足, 近, ≥, ≤, >, <.
    pub qualifier: &'static str,
}

impl Mention {
    /// A date part (年/月/日): callers that want quantities skip these.
    pub fn is_date_part(&self) -> bool {
        matches!(self.unit, "年" | "月" | "日")
    }
}

/// Finds every number in `text`, in order; offsets are on character boundaries.
pub fn scan(text: &str) -> Vec<Mention> {
    let chars: Vec<char> = text.chars().map(fold_width).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match try_at(&chars, i) {
            Step::Found(m) => {
                i = m.end.max(i + 1);
                let raw: String = text.chars().skip(m.start).take(m.end - m.start).collect();
                out.push(Mention { text: raw, ..m });
            }
            Step::Skip(to) => i = to.max(i + 1),
        }
    }
    out
}

/// Full-width digits, point and percent read as their ASCII forms.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '％' => '%',
        '＋' => '+',
        '－' => '-',
        '＞' => '>',
        '＜' => '<',
        '＝' => '=',
        _ => c,
    }
}

enum Step {
    Found(Mention),
    Skip(usize),
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\t')
}

/// Position after any spaces from `j`.
fn skip_spaces(s: &[char], mut j: usize) -> usize {
    while s.get(j).copied().is_some_and(is_space) {
        j += 1;
    }
    j
}

fn starts(s: &[char], j: usize, word: &str) -> bool {
    let mut k = j;
    for w in word.chars() {
        if s.get(k) != Some(&w) {
            return false;
        }
        k += 1;
    }
    true
}

/// Qualifiers written before a number, longest first, with the canonical qualifier.
const PREFIX_QUALIFIERS: &[(&str, &str)] = &[
    (">=", "≥"),
    ("<=", "≤"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("不小于", "≥"),
    ("不高于", "≤"),
    ("不超过", "≤"),
    ("不大于", "≤"),
    ("不多于", "≤"),
    ("超过了", "超过"),
    ("超过", "超过"),
    ("将近", "近"),
    ("接近", "近"),
    ("大约", "约"),
    ("约为", "约"),
    ("不足", "不足"),
    ("不到", "不足"),
    ("至少", "≥"),
    ("最多", "≤"),
    ("高于", ">"),
    ("大于", ">"),
    ("低于", "<"),
    ("小于", "<"),
    ("约", "约"),
    ("近", "近"),
    ("逾", "超过"),
    ("≥", "≥"),
    ("≤", "≤"),
    (">", ">"),
    ("<", "<"),
];

/// Qualifiers written after a number (and its unit).
const SUFFIX_QUALIFIERS: &[(&str, &str)] = &[
    ("以上", "以上"),
    ("以下", "以下"),
    ("左右", "约"),
    ("上下", "约"),
    ("多", "多"),
    ("余", "余"),
];

/// Units after a number, longest first: (as written, canonical).
const UNITS: &[(&str, &str)] = &[
    ("个百分点", "个百分点"),
    ("個百分點", "个百分点"),
    ("百分点", "个百分点"),
    ("平方公里", "平方公里"),
    ("平方千米", "平方公里"),
    ("平方米", "平方米"),
    ("立方米", "立方米"),
    ("人民币", "元"),
    ("人民幣", "元"),
    ("个月", "个月"),
    ("個月", "个月"),
    ("人次", "人次"),
    ("公里", "公里"),
    ("千米", "千米"),
    ("公顷", "公顷"),
    ("公斤", "公斤"),
    ("千克", "公斤"),
    ("平米", "平方米"),
    ("小时", "小时"),
    ("美元", "美元"),
    ("美圆", "美元"),
    ("美金", "美元"),
    ("港元", "港元"),
    ("港币", "港元"),
    ("欧元", "欧元"),
    ("日元", "日元"),
    ("英镑", "英镑"),
    ("元", "元"),
    ("圆", "元"),
    ("圓", "元"),
    ("块", "元"),
    ("塊", "元"),
    ("%", "%"),
    ("‰", "‰"),
    ("㎡", "平方米"),
    ("m²", "平方米"),
    ("人", "人"),
    ("名", "名"),
    ("户", "户"),
    ("戶", "户"),
    ("个", "个"),
    ("個", "个"),
    ("家", "家"),
    ("座", "座"),
    ("件", "件"),
    ("次", "次"),
    ("所", "所"),
    ("村", "村"),
    ("项", "项"),
    ("項", "项"),
    ("条", "条"),
    ("處", "处"),
    ("处", "处"),
    ("场", "场"),
    ("批", "批"),
    ("期", "期"),
    ("套", "套"),
    ("台", "台"),
    ("辆", "辆"),
    ("张", "张"),
    ("份", "份"),
    ("篇", "篇"),
    ("亩", "亩"),
    ("畝", "亩"),
    ("吨", "吨"),
    ("噸", "吨"),
    ("斤", "斤"),
    ("株", "株"),
    ("棵", "株"),
    ("米", "米"),
    ("岁", "岁"),
    ("倍", "倍"),
    ("年", "年"),
    ("月", "月"),
    ("日", "日"),
    ("号", "日"),
    ("天", "天"),
    ("分", "分"),
];

/// Two-character words that begin with a numeral character but are not quantities.
const NOT_NUMBERS: &[&str] = &[
    "一切", "一看", "四川", "陆地", "陸地", "一般", "一些", "一直", "一起", "一定", "一样", "一致",
    "一体", "一是", "二是", "三是", "四是", "五是", "一批", "统一", "唯一", "万一", "一旦", "一律",
];

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '兩' | '贰' | '貳' | '倆' | '俩' => 2,
        '三' | '叁' | '參' | '参' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

fn big_unit(c: char) -> Option<u32> {
    Some(match c {
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        '兆' => 12,
        _ => return None,
    })
}

fn pow10(e: u32) -> Decimal {
    Decimal::from_i128_with_scale(10i128.pow(e), 0)
}

/// A parsed numeral: value, end position, approximator met inside (`十余万`), and whether it
/// held anything beyond one bare Chinese digit.
struct Numeral {
    value: Decimal,
    end: usize,
    approx: &'static str,
    chinese_only: bool,
    single_char: bool,
}

/// Parses an Arabic number at `j`: digits, `,`/`，` groups of three, a `.` fraction.
fn arabic(s: &[char], j: usize) -> Option<(Decimal, usize)> {
    let mut k = j;
    let mut digits = String::new();
    while let Some(c) = s.get(k).filter(|c| c.is_ascii_digit()) {
        digits.push(*c);
        k += 1;
    }
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    // Thousands groups: `,` then exactly three digits; `，` only when the number goes on
    // with a fraction or another group (prose uses `，` between separate numbers).
    loop {
        let sep = s.get(k).copied();
        if !matches!(sep, Some(',') | Some('，')) || digits.len() > 18 {
            break;
        }
        let group: String = (k + 1..k + 4).filter_map(|x| s.get(x)).collect();
        let three = group.len() == 3 && group.chars().all(|c| c.is_ascii_digit());
        let after = s.get(k + 4).copied();
        let closed = !after.is_some_and(|c| c.is_ascii_digit());
        let ok = three
            && closed
            && (sep == Some(',') || matches!(after, Some('.') | Some(',') | Some('，')));
        if !ok {
            break;
        }
        digits.push_str(&group);
        k += 4;
    }
    let mut scale = 0u32;
    if s.get(k) == Some(&'.') && s.get(k + 1).is_some_and(|c| c.is_ascii_digit()) {
        k += 1;
        while let Some(c) = s.get(k).filter(|c| c.is_ascii_digit()) {
            if scale < 20 {
                digits.push(*c);
                scale += 1;
            }
            k += 1;
        }
    }
    let n: i128 = digits.parse().ok()?;
    Some((Decimal::try_from_i128_with_scale(n, scale).ok()?, k))
}

/// Parses a (possibly mixed) numeral at `j`: `1.2万`, `四亿五千六百四十二万零一十五`,
/// `两百点两`, `三万五`, `十 余 万`.
fn numeral(s: &[char], j: usize) -> Option<Numeral> {
    let mut k = j;
    // Groups already closed by 万/亿/兆: (value, exponent).
    let mut groups: Vec<(Decimal, u32)> = Vec::new();
    let mut section = Decimal::ZERO; // below 万
    let mut num: Option<Decimal> = None; // the pending digit(s)
    let mut last_unit: Option<u32> = None; // value of the unit just before `num`
    let mut saw_zero = false;
    let mut approx = "";
    let mut chinese_only = true;
    let mut any = false;
    let mut single_char = true;
    let mut prev_digit = false;
    loop {
        let c = match s.get(k) {
            Some(&c) => c,
            None => break,
        };
        if c.is_ascii_digit() {
            if prev_digit || num.is_some() {
                break;
            }
            let (v, e) = arabic(s, k)?;
            num = Some(v);
            k = e;
            chinese_only = false;
            any = true;
            single_char = false;
            prev_digit = true;
            last_unit = None;
            continue;
        }
        if let Some(d) = digit_value(c) {
            let d = Decimal::from(d);
            if d.is_zero() && (any || section > Decimal::ZERO || !groups.is_empty()) && !prev_digit
            {
                saw_zero = true;
                num = None;
                last_unit = None;
                k += 1;
                prev_digit = false;
                continue;
            }
            // Digits in a row with no unit between: a digit string (`二零二三`).
            num = Some(match (num, prev_digit) {
                (Some(n), true) => n * Decimal::TEN + d,
                _ => d,
            });
            if any {
                single_char = false;
            }
            any = true;
            prev_digit = true;
            k += 1;
            continue;
        }
        if let Some(u) = small_unit(c) {
            // `百分之` is a percentage, not a hundred.
            if (c == '百' || c == '千' || c == '佰') && starts(s, k + 1, "分之") {
                break;
            }
            let n = match num {
                Some(n) => n,
                None if !any || saw_zero => Decimal::ONE, // 十五, 零十
                None => break,
            };
            if !any && u != 10 {
                // A leading 百/千 without a digit is a word (百姓, 千米), not a number.
                break;
            }
            section += n * Decimal::from(u);
            num = None;
            last_unit = Some(u);
            any = true;
            single_char = false;
            prev_digit = false;
            saw_zero = false;
            k += 1;
            continue;
        }
        if c == '廿' || c == '卅' {
            section += Decimal::from(if c == '廿' { 20 } else { 30 });
            any = true;
            single_char = false;
            prev_digit = false;
            k += 1;
            continue;
        }
        if let Some(e) = big_unit(c) {
            if !any {
                break;
            }
            let mut v = section + num.unwrap_or(Decimal::ZERO);
            // A larger unit takes in the smaller groups before it (`万亿`).
            while groups.last().is_some_and(|&(_, ge)| ge < e) {
                if let Some((gv, _)) = groups.pop() {
                    v += gv;
                }
            }
            if v.is_zero() {
                break;
            }
            groups.push((v.checked_mul(pow10(e))?, e));
            section = Decimal::ZERO;
            num = None;
            last_unit = Some(10u32.saturating_pow(e.min(9)));
            single_char = false;
            prev_digit = false;
            saw_zero = false;
            k += 1;
            continue;
        }
        if (c == '点' || c == '點') && any {
            // Chinese decimal digits after 点.
            let mut m = skip_spaces(s, k + 1);
            let mut frac = String::new();
            while let Some(d) = s.get(m).and_then(|&c| digit_value(c)) {
                frac.push(char::from_digit(d, 10).unwrap_or('0'));
                m = skip_spaces(s, m + 1);
            }
            if frac.is_empty() || frac.len() > 20 {
                break;
            }
            let n: i128 = frac.parse().ok()?;
            let f = Decimal::try_from_i128_with_scale(n, frac.len() as u32).ok()?;
            num = Some(num.unwrap_or(Decimal::ZERO) + f);
            last_unit = None;
            single_char = false;
            prev_digit = false;
            // Trailing spaces were consumed looking for digits: step back over them.
            while m > k + 1 && s.get(m - 1).copied().is_some_and(is_space) {
                m -= 1;
            }
            k = m;
            continue;
        }
        if any && (c == '余' || c == '多' || c == '几' || c == '幾') {
            // An approximator counts only when a multiplier follows (`十余万`, `一千多万`);
            // otherwise it is a suffix qualifier, read by the caller.
            let m = skip_spaces(s, k + 1);
            if s.get(m).and_then(|&c| big_unit(c)).is_some() {
                approx = if c == '多' { "多" } else { "余" };
                prev_digit = false;
                k = m;
                continue;
            }
            break;
        }
        if is_space(c) && any {
            // Spaces inside a numeral (`一百 五 十 二`, `十 余 万`) when it clearly goes on.
            let m = skip_spaces(s, k + 1);
            let next = s.get(m).copied();
            let goes_on = next.is_some_and(|n| {
                (digit_value(n).is_some() && chinese_only)
                    || small_unit(n).is_some() && !starts(s, m + 1, "分之")
                    || big_unit(n).is_some()
                    || ((n == '余' || n == '多' || n == '几') && chinese_only)
                    || ((n == '点' || n == '點') && chinese_only)
            });
            if goes_on && !(prev_digit && !chinese_only) {
                k = m;
                continue;
            }
            break;
        }
        break;
    }
    if !any {
        return None;
    }
    // Spoken forms: `三万五` = 35000, `一百二` = 120 (one digit right after a unit).
    let tail = match (num, last_unit) {
        (Some(n), Some(u)) if u >= 100 && n < Decimal::TEN && n.scale() == 0 && !saw_zero => {
            n * Decimal::from(u) / Decimal::TEN
        }
        (Some(n), _) => n,
        (None, _) => Decimal::ZERO,
    };
    let mut value = section + tail;
    for (gv, _) in &groups {
        value += *gv;
    }
    Some(Numeral {
        value,
        end: k,
        approx,
        chinese_only,
        single_char,
    })
}

fn try_at(s: &[char], i: usize) -> Step {
    let Some(&c0) = s.get(i) else {
        return Step::Skip(i + 1);
    };
    let could_start = c0.is_ascii_digit()
        || digit_value(c0).is_some()
        || small_unit(c0).is_some()
        || matches!(
            c0,
            '廿' | '卅' | '负' | '負' | '-' | '+' | '￥' | '¥' | '人'
        )
        || PREFIX_QUALIFIERS.iter().any(|(w, _)| w.starts_with(c0));
    if !could_start {
        return Step::Skip(i + 1);
    }
    // Arabic digits glued to a preceding ASCII letter or digit run are part of a code.
    if c0.is_ascii_digit()
        && i > 0
        && s.get(i - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
    {
        return Step::Skip(skip_digits(s, i));
    }
    let mut j = i;
    let mut qualifier = "";
    for (w, q) in PREFIX_QUALIFIERS {
        if starts(s, j, w) {
            qualifier = q;
            j = skip_spaces(s, j + w.chars().count());
            break;
        }
    }
    let mut currency = false;
    for w in ["人民币", "人民幣", "￥", "¥"] {
        if starts(s, j, w) {
            currency = true;
            j = skip_spaces(s, j + w.chars().count());
            break;
        }
    }
    let mut negative = false;
    if let Some(&c) = s.get(j) {
        let prev_is_word = j > 0 && s.get(j - 1).is_some_and(|p| p.is_alphanumeric());
        if (c == '-' || c == '负' || c == '負') && !prev_is_word {
            negative = true;
            j += 1;
        } else if c == '+' && !prev_is_word {
            j += 1;
        }
    }
    let mut percent_prefix: Option<u32> = None; // 百分之 → 100, 千分之 → 1000
    for (w, d) in [
        ("百分之", 100),
        ("佰分之", 100),
        ("千分之", 1000),
        ("万分之", 10000),
    ] {
        let mut m = j;
        let mut ok = true;
        for wc in w.chars() {
            m = skip_spaces(s, m);
            if s.get(m) == Some(&wc) {
                m += 1;
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            percent_prefix = Some(d);
            j = skip_spaces(s, m);
            break;
        }
    }
    let Some(mut n) = numeral(s, j) else {
        return Step::Skip(if c0.is_ascii_digit() {
            skip_digits(s, i)
        } else {
            i + 1
        });
    };
    let core_start = j;
    let mut k = n.end;
    let mut unit: &'static str = "";
    let mut value = n.value;

    if let Some(d) = percent_prefix {
        // 百分之九十五 → 95 %; 千分之三 → 0.3 %.
        value = value * Decimal::from(100) / Decimal::from(d);
        unit = "%";
    } else if let Some(frac_end) = fraction(s, k, value) {
        // X分之Y
        value = frac_end.0;
        k = frac_end.1;
        n.chinese_only = false;
        n.single_char = false;
    } else {
        // List markers and ordinals are not quantities.
        if is_list_marker(s, i, k) || (i > 0 && s.get(i - 1) == Some(&'第')) {
            return Step::Skip(k);
        }
        let mut m = skip_spaces(s, k);
        // `1.2万余户`: an approximator between the number and its unit.
        if let Some(q) = s.get(m).and_then(|&c| match c {
            '余' => Some("余"),
            '多' => Some("多"),
            _ => None,
        }) {
            if UNITS.iter().any(|(w, _)| starts(s, m + 1, w)) {
                n.approx = q;
                m += 1;
            }
        }
        if let Some((w, canon)) = UNITS.iter().find(|(w, _)| starts(s, m, w)) {
            // `分之` is a fraction word; `个` before 百分点 is handled by the longer unit.
            if !(*canon == "分" && starts(s, m, "分之")) {
                unit = canon;
                k = m + w.chars().count();
            }
        }
        if unit.is_empty() && currency {
            unit = "元";
        }
        if unit == "元" {
            // 元 may be followed by 整/正, 钱, 人民币, or 角/毛 and 分 sub-units.
            let (v, e) = money_tail(s, k, value);
            value = v;
            k = e;
        }
    }
    if unit.is_empty() && n.chinese_only && n.single_char {
        // A lone numeral character is a quantity only when it does not start a word.
        let two: String = s
            .get(core_start..(core_start + 2).min(s.len()))
            .unwrap_or_default()
            .iter()
            .collect();
        if NOT_NUMBERS.contains(&two.as_str()) {
            return Step::Skip(core_start + 1);
        }
    }
    if qualifier.is_empty() {
        qualifier = n.approx;
    }
    let m = skip_spaces(s, k);
    for (w, q) in SUFFIX_QUALIFIERS {
        if starts(s, m, w) {
            if qualifier.is_empty() {
                qualifier = q;
            }
            k = m + w.chars().count();
            break;
        }
    }
    if negative {
        value = -value;
    }
    Step::Found(Mention {
        start: i,
        end: k,
        text: String::new(),
        value: value.normalize(),
        unit,
        qualifier,
    })
}

fn skip_digits(s: &[char], mut i: usize) -> usize {
    while s.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
        i += 1;
    }
    i
}

/// `1、`, `2.` at the start of a line or clause, `（一）`, `(3)`: numbering, not quantities.
fn is_list_marker(s: &[char], start: usize, end: usize) -> bool {
    let before = if start == 0 {
        None
    } else {
        s.get(start - 1).copied()
    };
    let after = s.get(end).copied();
    let at_clause_start = before.is_none_or(|c| is_space(c) || "。；;：:，,\n".contains(c));
    let opened = before.is_some_and(|c| c == '（' || c == '(');
    let closed = after.is_some_and(|c| c == '）' || c == ')');
    (at_clause_start
        && matches!(after, Some('、') | Some('.') | Some('．'))
        && !s.get(end + 1).is_some_and(|c| c.is_ascii_digit()))
        || (opened && closed)
}

/// `X分之Y` after a numeral X ending at `k`: returns Y/X and the end.
fn fraction(s: &[char], k: usize, denom: Decimal) -> Option<(Decimal, usize)> {
    let mut m = skip_spaces(s, k);
    for wc in ['分', '之'] {
        if s.get(m) != Some(&wc) {
            return None;
        }
        m = skip_spaces(s, m + 1);
    }
    let num = numeral(s, m)?;
    if denom.is_zero() {
        return None;
    }
    Some((num.value.checked_div(denom)?, num.end))
}

/// After 元: 整/正, 钱, 人民币, and 角/毛 then 分 sub-units (`五元三毛` = 5.3).
fn money_tail(s: &[char], mut k: usize, mut value: Decimal) -> (Decimal, usize) {
    for w in ["整", "正", "钱", "人民币"] {
        if starts(s, k, w) {
            return (value, k + w.chars().count());
        }
    }
    for (units, scale) in [
        (&['角', '毛'][..], Decimal::new(1, 1)),
        (&['分'][..], Decimal::new(1, 2)),
    ] {
        if let Some(d) = s
            .get(k)
            .and_then(|&c| digit_value(c).or_else(|| c.to_digit(10)))
        {
            if s.get(k + 1).is_some_and(|c| units.contains(c)) {
                value += Decimal::from(d) * scale;
                k += 2;
            }
        }
    }
    (value, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn one(text: &str) -> (String, &'static str, &'static str) {
        let ms = scan(text);
        assert_eq!(ms.len(), 1, "{text}: {ms:?}");
        let m = &ms[0];
        (m.value.to_string(), m.unit, m.qualifier)
    }

    fn d(s: &str) -> String {
        Decimal::from_str(s).unwrap().normalize().to_string()
    }

    #[test]
    fn arabic_numbers_with_separators_and_full_width() {
        assert_eq!(one("1,234.56"), (d("1234.56"), "", ""));
        assert_eq!(one("82，225.00元"), (d("82225"), "元", ""));
        assert_eq!(one("１２３．４"), (d("123.4"), "", ""));
        assert_eq!(one("-5"), (d("-5"), "", ""));
        assert_eq!(scan("1, 234, 567").len(), 3);
    }

    #[test]
    fn money_resolves_exactly_in_yuan() {
        assert_eq!(one("工资福利支出1213.36万元"), (d("12133600"), "元", ""));
        assert_eq!(one("36.57亿元"), (d("3657000000"), "元", ""));
        assert_eq!(one("243.3864万元"), (d("2433864"), "元", ""));
        assert_eq!(one("肆佰叁拾萬圆整"), (d("4300000"), "元", ""));
        assert_eq!(one("￥300"), (d("300"), "元", ""));
        assert_eq!(one("五元三毛"), (d("5.3"), "元", ""));
        assert_eq!(one("8亿元人民币"), (d("800000000"), "元", ""));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(one("壹佰伍拾").0, d("150"));
        assert_eq!(one("四亿五千六百四十二万零一十五").0, d("456420015"));
        assert_eq!(one("两百点两").0, d("200.2"));
        assert_eq!(one("廿").0, d("20"));
        assert_eq!(one("三万五").0, d("35000"));
        assert_eq!(one("一百零七人"), (d("107"), "人", ""));
        assert_eq!(one("4.78万亿").0, d("4780000000000"));
        assert_eq!(one("3千万").0, d("30000000"));
        assert_eq!(one("1,100万").0, d("11000000"));
    }

    #[test]
    fn approximators_and_qualifiers() {
        assert_eq!(one("十 余 万"), (d("100000"), "", "余"));
        assert_eq!(one("一千多万"), (d("10000000"), "", "多"));
        assert_eq!(one("500余万"), (d("5000000"), "", "余"));
        assert_eq!(one("超过938.6万元"), (d("9386000"), "元", "超过"));
        assert_eq!(one("约9.2万"), (d("92000"), "", "约"));
        assert_eq!(one("1.2万余户"), (d("12000"), "户", "余"));
        assert_eq!(one("≥10万元"), (d("100000"), "元", "≥"));
        assert_eq!(one(">=95%"), (d("95"), "%", "≥"));
        assert_eq!(one("30人以上"), (d("30"), "人", "以上"));
        assert_eq!(one("不足5人"), (d("5"), "人", "不足"));
    }

    #[test]
    fn fractions_and_percentages() {
        assert_eq!(one("二分之一").0, d("0.5"));
        assert!(one("三分之二").0.starts_with("0.6666"));
        assert_eq!(one("百分之九十五"), (d("95"), "%", ""));
        assert_eq!(one("98.5%"), (d("98.5"), "%", ""));
        assert_eq!(one("98.5％"), (d("98.5"), "%", ""));
        assert_eq!(one("千分之三"), (d("0.3"), "%", ""));
        assert_eq!(one("5个百分点"), (d("5"), "个百分点", ""));
    }

    #[test]
    fn units_stay_apart_from_multipliers() {
        assert_eq!(one("0.6万亩"), (d("6000"), "亩", ""));
        assert_eq!(one("2.5万亩"), (d("25000"), "亩", ""));
        assert_eq!(one("140公里"), (d("140"), "公里", ""));
        assert_eq!(one("300平方米"), (d("300"), "平方米", ""));
    }

    #[test]
    fn words_markers_and_ordinals_are_not_quantities() {
        for s in [
            "四川",
            "一切",
            "陆地",
            "第一",
            "（一）",
            "1、",
            "一般公共预算",
        ] {
            assert!(scan(s).is_empty(), "{s}: {:?}", scan(s));
        }
        let dates: Vec<_> = scan("2024年5月22日").iter().map(|m| m.unit).collect();
        assert_eq!(dates, vec!["年", "月", "日"]);
    }

    #[test]
    fn offsets_are_characters() {
        let ms = scan("编制共 117 人，实有113人");
        assert_eq!(ms.len(), 2);
        assert_eq!((ms[0].start, ms[0].end, ms[0].unit), (4, 9, "人"));
        assert_eq!(ms[0].text, "117 人");
    }
}

/// The `jixiao numbers` output line for line `n` (SPEC.md's JSON shape).
pub fn to_json_line(n: usize, line: &str) -> String {
    let mentions: Vec<serde_json::Value> = scan(line)
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "text": m.text, "start": m.start, "end": m.end,
                "value": crate::record::fmt_decimal(m.value), "unit": m.unit, "qualifier": m.qualifier,
            })
        })
        .collect();
    serde_json::json!({"line": n, "mentions": mentions}).to_string()
}
