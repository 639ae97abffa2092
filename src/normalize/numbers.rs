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

use std::sync::LazyLock;

use rust_decimal::Decimal;

use crate::normalize::text::{fold_widths, is_han};

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

/// Whether a cell is a unit of measure alone (`%`, `人次`, `万元`, `公里`): a number written
/// before it reads as one amount in that unit.
pub fn is_unit_word(cell: &str) -> bool {
    if cell
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return false;
    }
    let probe = format!("1{cell}");
    matches!(scan(&probe).as_slice(), [m] if m.start == 0 && m.end == probe.chars().count() && !m.unit.is_empty())
}

/// Finds every number in `text`, in order; offsets are on character boundaries.
pub fn scan(text: &str) -> Vec<Mention> {
    // The characters, width-folded (one for one), and the byte offset of each in `text` (and
    // of the end) to cut mentions out without rescans.
    let folded = fold_widths(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut bytes_at: Vec<usize> = Vec::with_capacity(chars.len() + 1);
    bytes_at.extend(text.char_indices().map(|(b, _)| b));
    bytes_at.push(text.len());
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !could_start(c) {
            i += 1;
            continue;
        }
        match try_at(&chars, i) {
            Step::Found(m) => {
                i = m.end.max(i + 1);
                let raw = match (bytes_at.get(m.start), bytes_at.get(m.end)) {
                    (Some(&a), Some(&b)) => text.get(a..b).unwrap_or_default().to_string(),
                    _ => String::new(),
                };
                out.push(Mention { text: raw, ..m });
            }
            Step::Skip(to) => i = to.max(i + 1),
        }
    }
    out
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
    (j..).zip(word.chars()).all(|(k, w)| s.get(k) == Some(&w))
}

/// A (written, canonical) word list decoded to characters once: the lists are tried at every
/// candidate position, and decoding their words each time was half of the scanner's time.
struct Words(Vec<(Vec<char>, &'static str)>);

impl Words {
    fn new(list: &[(&'static str, &'static str)]) -> Words {
        Words(
            list.iter()
                .map(|(w, c)| (w.chars().collect(), *c))
                .collect(),
        )
    }

    /// The first word of the list written at `j`: its length in characters and canonical form.
    fn at(&self, s: &[char], j: usize) -> Option<(usize, &'static str)> {
        let rest = s.get(j..)?;
        let first = rest.first()?;
        self.0
            .iter()
            .find(|(w, _)| w.first() == Some(first) && rest.starts_with(w))
            .map(|(w, c)| (w.len(), *c))
    }
}

static PREFIX_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(PREFIX_QUALIFIERS));
static SUFFIX_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(SUFFIX_QUALIFIERS));
static UNIT_WORDS: LazyLock<Words> = LazyLock::new(|| Words::new(UNITS));

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

/// Whether `c` can begin one of [`PREFIX_QUALIFIERS`] (a test keeps the two in step).
fn starts_qualifier(c: char) -> bool {
    matches!(
        c,
        '>' | '<'
            | '不'
            | '超'
            | '将'
            | '接'
            | '大'
            | '约'
            | '至'
            | '最'
            | '高'
            | '低'
            | '小'
            | '近'
            | '逾'
            | '≥'
            | '≤'
    )
}

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

/// Unit words that begin with a multiplier character: `12千米` is 12 千米, not 12000 米.
const MULTIPLIER_UNITS: &[&str] = &[
    "千米",
    "千克",
    "千瓦",
    "千字",
    "百分点",
    "兆字节",
    "千字节",
    "千比特",
    "千伏",
    "万分点",
];

/// Two-character words that begin with a numeral character but are not quantities.
const NOT_NUMBERS: &[&str] = &[
    "一切", "一看", "四川", "陆地", "陸地", "一般", "一些", "一直", "一起", "一定", "一样", "一致",
    "一体", "一是", "二是", "三是", "四是", "五是", "一批", "统一", "唯一", "万一", "一旦", "一律",
    "两两",
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
    if digits.is_empty() && s.get(k) == Some(&'.') {
        digits.push('0'); // `.5`
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
    let mut v = Decimal::try_from_i128_with_scale(n, scale).ok()?;
    // Exponents (`2e5`, `-12e-1`, `2^5`) and a thousands `k` (`40k`).
    if let Some((e, end)) = exponent(s, k) {
        v = if s.get(k) == Some(&'^') {
            checked_powi(v, e)?
        } else {
            checked_powi(Decimal::TEN, e).and_then(|p| v.checked_mul(p))?
        };
        k = end;
    }
    let m = skip_spaces(s, k).min(k + 1);
    if matches!(s.get(m), Some('k' | 'K')) && !s.get(m + 1).is_some_and(|c| c.is_ascii_alphabetic())
    {
        v = v.checked_mul(Decimal::from(1000))?;
        k = m + 1;
    }
    Some((v, k))
}

/// `e5`, `e-1`, `E+14`, `^5`, `^-1`, `^+23` after a number: the exponent and the end.
fn exponent(s: &[char], k: usize) -> Option<(i64, usize)> {
    if !matches!(s.get(k), Some('e' | 'E' | '^')) {
        return None;
    }
    let mut m = k + 1;
    let neg = match s.get(m) {
        Some('-') => {
            m += 1;
            true
        }
        Some('+') => {
            m += 1;
            false
        }
        _ => false,
    };
    let start = m;
    while s.get(m).is_some_and(|c| c.is_ascii_digit()) {
        m += 1;
    }
    if m == start || m - start > 2 || s.get(m).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let e: i64 = s.get(start..m)?.iter().collect::<String>().parse().ok()?;
    Some((if neg { -e } else { e }, m))
}

fn checked_powi(base: Decimal, e: i64) -> Option<Decimal> {
    if e.abs() > 28 {
        return None;
    }
    let mut r = Decimal::ONE;
    for _ in 0..e.abs() {
        r = r.checked_mul(base)?;
    }
    if e < 0 {
        Decimal::ONE.checked_div(r)
    } else {
        Some(r)
    }
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
    while let Some(&c) = s.get(k) {
        if c.is_ascii_digit()
            || (c == '.' && !any && s.get(k + 1).is_some_and(|d| d.is_ascii_digit()))
        {
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
            if prev_digit && (c == '两' || c == '兩') {
                break;
            }
            // Digits in a row with no unit between: a digit string (`二零二三`).
            num = Some(match (num, prev_digit) {
                (Some(n), true) => n.checked_mul(Decimal::TEN)?.checked_add(d)?,
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
        if (small_unit(c).is_some() || big_unit(c).is_some())
            && MULTIPLIER_UNITS.iter().any(|w| starts(s, k, w))
        {
            // `12千米`, `2.3千克`: the character starts a unit word, not a multiplier.
            break;
        }
        if let Some(u) = small_unit(c) {
            if starts(s, k + 1, "分之") {
                // `一百分之二`: this unit closes a fraction's denominator.
                if !any {
                    break;
                }
                section = section
                    .checked_add(num.unwrap_or(Decimal::ONE).checked_mul(Decimal::from(u))?)?;
                num = None;
                last_unit = None;
                k += 1;
                break;
            }
            let leading_ok = s.get(k + 1).is_some_and(|&n| digit_value(n).is_some());
            let n = match num {
                Some(n) => n,
                None if !any || saw_zero => Decimal::ONE, // 十五, 零十, 千三
                // 一百十一: a bare 十 after a larger unit is one ten.
                None if u == 10 && last_unit.is_some_and(|l| l > 10) => Decimal::ONE,
                None => break,
            };
            if !any && u != 10 && !leading_ok {
                // A leading 百/千 without a digit after it is a word (百姓), not a number.
                break;
            }
            section = section.checked_add(n.checked_mul(Decimal::from(u))?)?;
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
            section = section.checked_add(Decimal::from(if c == '廿' { 20 } else { 30 }))?;
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
            let mut v = section.checked_add(num.unwrap_or(Decimal::ZERO))?;
            // A larger unit takes in the smaller groups before it (`万亿`).
            while groups.last().is_some_and(|&(_, ge)| ge < e) {
                if let Some((gv, _)) = groups.pop() {
                    v = v.checked_add(gv)?;
                }
            }
            if v.is_zero() {
                match groups.last_mut() {
                    // 万万 = 亿: the same unit again multiplies the group before it.
                    Some((gv, ge)) if *ge == e => {
                        *gv = gv.checked_mul(pow10(e))?;
                        *ge = e * 2;
                        k += 1;
                        continue;
                    }
                    // A zero written before the unit (`0万元`, `0.00万元`) is an amount of
                    // that unit: the 万 scales nothing but keeps the unit that follows it.
                    None if num.is_some() => {}
                    _ => break,
                }
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
            if let (Some(n), Some(u)) = (num, last_unit) {
                if u >= 100 && n < Decimal::TEN && !saw_zero {
                    num = Some(n.checked_mul(Decimal::from(u))? / Decimal::TEN);
                }
            }
            // Arabic decimals after 点 (`一百点123`).
            if s.get(k + 1).is_some_and(|c| c.is_ascii_digit()) {
                let mut m = k + 1;
                let mut frac = String::new();
                while let Some(c) = s.get(m).filter(|c| c.is_ascii_digit()) {
                    frac.push(*c);
                    m += 1;
                }
                if frac.len() <= 20 {
                    let n: i128 = frac.parse().ok()?;
                    let f = Decimal::try_from_i128_with_scale(n, frac.len() as u32).ok()?;
                    num = Some(num.unwrap_or(Decimal::ZERO).checked_add(f)?);
                    last_unit = None;
                    single_char = false;
                    k = m;
                    continue;
                }
            }
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
            num = Some(num.unwrap_or(Decimal::ZERO).checked_add(f)?);
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
            let digits_then_unit = || {
                let mut e = m;
                while s.get(e).is_some_and(|c| c.is_ascii_digit()) {
                    e += 1;
                }
                s.get(e)
                    .is_some_and(|&c| small_unit(c).is_some() || big_unit(c).is_some())
            };
            let goes_on = next.is_some_and(|n| {
                (digit_value(n).is_some() && chinese_only)
                    || (n.is_ascii_digit()
                        && num.is_none()
                        && last_unit.is_some()
                        && digits_then_unit())
                    || small_unit(n).is_some()
                        && !starts(s, m + 1, "分之")
                        && !MULTIPLIER_UNITS.iter().any(|w| starts(s, m, w))
                    || big_unit(n).is_some()
                    || ((n == '余' || n == '多' || n == '几') && chinese_only)
                    || ((n == '点' || n == '點') && chinese_only)
            });
            if goes_on {
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
            n.checked_mul(Decimal::from(u))? / Decimal::TEN
        }
        (Some(n), _) => n,
        (None, _) => Decimal::ZERO,
    };
    let mut value = section + tail;
    for (gv, _) in &groups {
        value = value.checked_add(*gv)?;
    }
    Some(Numeral {
        value,
        end: k,
        approx,
        chinese_only,
        single_char,
    })
}

/// Whether a mention can begin with `c`: a digit, a numeral, a sign, a currency sign or the
/// first character of a qualifier. Asked of every character scanned, so it is answered from a
/// table for the Basic Multilingual Plane (a chain of matches was a third of the scan).
fn could_start(c: char) -> bool {
    static TABLE: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for (cp, word) in (0u32..0x10000).filter_map(|u| Some((u, char::from_u32(u)?))) {
            if could_start_slow(word) {
                if let Some(w) = bits.get_mut((cp / 64) as usize) {
                    *w |= 1 << (cp % 64);
                }
            }
        }
        bits
    });
    let cp = c as u32;
    match TABLE.get((cp / 64) as usize) {
        Some(w) => w & (1 << (cp % 64)) != 0,
        None => could_start_slow(c),
    }
}

fn could_start_slow(c: char) -> bool {
    c.is_ascii_digit()
        || digit_value(c).is_some()
        || small_unit(c).is_some()
        || matches!(
            c,
            '廿' | '卅' | '负' | '負' | '-' | '+' | '￥' | '¥' | '人' | '万' | '萬' | '.'
        )
        || starts_qualifier(c)
}

/// Tries to read a number at `i`, where [`could_start`] holds; arithmetic that overflows
/// (absurdly long numerals) reads as no number rather than a panic.
fn try_at(s: &[char], i: usize) -> Step {
    try_number(s, i).unwrap_or(Step::Skip(i + 1))
}

fn try_number(s: &[char], i: usize) -> Option<Step> {
    let Some(&c0) = s.get(i) else {
        return Some(Step::Skip(i + 1));
    };
    // Arabic digits glued to a preceding ASCII letter or digit run are part of a code.
    if c0.is_ascii_digit()
        && i > 0
        && s.get(i - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '/')
    {
        return Some(Step::Skip(skip_digits(s, i)));
    }
    let mut j = i;
    let mut qualifier = "";
    if let Some((len, q)) = PREFIX_WORDS.at(s, j) {
        qualifier = q;
        j = skip_spaces(s, j + len);
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
    let percent_prefix = per_prefix(s, j);
    if let Some((_, m)) = percent_prefix {
        j = m;
    }
    let n = match numeral(s, j) {
        Some(n) => Some(n),
        // 百分之百
        None if percent_prefix.is_some() && matches!(s.get(j), Some('百' | '佰')) => {
            Some(Numeral {
                value: Decimal::from(100),
                end: j + 1,
                approx: "",
                chinese_only: true,
                single_char: false,
            })
        }
        None => None,
    };
    let Some(mut n) = n else {
        return Some(Step::Skip(if c0.is_ascii_digit() {
            skip_digits(s, i)
        } else {
            i + 1
        }));
    };
    let core_start = j;
    let mut k = n.end;
    let mut unit: &'static str = "";
    let mut value = n.value;

    if let Some((d, _)) = percent_prefix {
        // 百分之九十五 → 95 %; 千分之三 → 0.3 %.
        value = value.checked_mul(Decimal::from(100))?.checked_div(d)?;
        unit = "%";
    } else if let Some((v, e)) = tenths(s, k, value) {
        // 九成 → 90 %, 75折 → 75 %.
        value = v;
        k = e;
        unit = "%";
    } else if let Some((v, e)) = slash_fraction(s, k, value, n.chinese_only) {
        // 3/5, 1 4/3
        value = v;
        k = e;
        n.single_char = false;
    } else if s.get(k) == Some(&'打') {
        // 一打 = 12
        value = value.checked_mul(Decimal::from(12))?;
        k += 1;
        n.single_char = false;
    } else if let Some(frac_end) = fraction(s, k, value) {
        // X分之Y
        value = frac_end.0;
        k = frac_end.1;
        n.chinese_only = false;
        n.single_char = false;
    } else {
        // List markers and ordinals are not quantities.
        if is_list_marker(s, i, k) || (i > 0 && s.get(i - 1) == Some(&'第')) {
            return Some(Step::Skip(k));
        }
        let mut m = skip_spaces(s, k);
        // `1.2万余户`: an approximator between the number and its unit.
        if let Some(q) = s.get(m).and_then(|&c| match c {
            '余' => Some("余"),
            '多' => Some("多"),
            _ => None,
        }) {
            if UNIT_WORDS.at(s, m + 1).is_some() {
                n.approx = q;
                m += 1;
            }
        }
        if let Some((len, canon)) = UNIT_WORDS.at(s, m) {
            // `分之` is a fraction word; `个` before 百分点 is handled by the longer unit.
            if !(canon == "分" && starts(s, m, "分之")) {
                unit = canon;
                k = m + len;
            }
        }
        if unit.is_empty() && currency {
            unit = "元";
        }
        if unit == "元" {
            // 元 may be followed by 整/正, 钱, 人民币, or 角/毛 and 分 sub-units.
            let (v, e) = money_tail(s, k, value)?;
            value = v;
            k = e;
        } else if !unit.is_empty() && unit != "%" && s.get(k) == Some(&'半') {
            // 一吨半, 两米半
            value = value.checked_add(Decimal::new(5, 1))?;
            k += 1;
        } else if unit.is_empty() {
            // 三百五又三分之一
            let m = skip_spaces(s, k);
            if s.get(m) == Some(&'又') {
                let m = skip_spaces(s, m + 1);
                if let Some(den) = numeral(s, m) {
                    if let Some((f, e)) = fraction(s, den.end, den.value) {
                        value = value.checked_add(f)?;
                        k = e;
                    }
                }
            }
        }
    }
    if unit.is_empty() && n.chinese_only && (n.single_char || k == core_start + 1) {
        // A lone numeral character is a quantity only when it does not start a word.
        let two: String = s
            .get(core_start..(core_start + 2).min(s.len()))
            .unwrap_or_default()
            .iter()
            .collect();
        let c = s.get(core_start).copied().unwrap_or(' ');
        // A lone 大写 numeral or 十 is a word character (队伍, 收拾, 放肆, 大陆, 十足).
        let cjk = |x: Option<&char>| x.is_some_and(|&c| is_han(c));
        let in_word = cjk(core_start.checked_sub(1).and_then(|p| s.get(p))) || cjk(s.get(k));
        if NOT_NUMBERS.contains(&two.as_str())
            || (in_word && "壹贰叁肆伍陆陸柒捌玖拾十".contains(c))
        {
            return Some(Step::Skip(core_start + 1));
        }
    }
    if qualifier.is_empty() {
        qualifier = n.approx;
    }
    let m = skip_spaces(s, k);
    if let Some((len, q)) = SUFFIX_WORDS.at(s, m) {
        if qualifier.is_empty() {
            qualifier = q;
        }
        k = m + len;
    }
    if negative {
        value = -value;
    }
    Some(Step::Found(Mention {
        start: i,
        end: k,
        text: String::new(),
        value: value.normalize(),
        unit,
        qualifier,
    }))
}

/// `a/b` after an Arabic integer `value` ending at `k`, or a mixed `1 4/3`; dates
/// (`2024/5/28`) are not fractions.
fn slash_fraction(s: &[char], k: usize, value: Decimal, chinese: bool) -> Option<(Decimal, usize)> {
    if chinese || value.scale() != 0 {
        return None;
    }
    let int_digits = |from: usize| {
        let mut e = from;
        while s.get(e).is_some_and(|c| c.is_ascii_digit()) {
            e += 1;
        }
        e
    };
    let frac_at = |a: Decimal, m: usize| -> Option<(Decimal, usize)> {
        if s.get(m) != Some(&'/') {
            return None;
        }
        let e = int_digits(m + 1);
        if e == m + 1 || e - m - 1 > 6 || matches!(s.get(e), Some('/' | '.')) {
            return None;
        }
        let b: Decimal = s.get(m + 1..e)?.iter().collect::<String>().parse().ok()?;
        Some((a.checked_div(b)?, e))
    };
    if value.abs() < Decimal::from(1_000_000) {
        if let Some(r) = frac_at(value, k) {
            return Some(r);
        }
    }
    // Mixed: `1 4/3` = 1 + 4/3.
    if s.get(k) == Some(&' ') {
        let e = int_digits(k + 1);
        if e > k + 1 {
            let a: Decimal = s.get(k + 1..e)?.iter().collect::<String>().parse().ok()?;
            let (f, end) = frac_at(a, e)?;
            let v = if value.is_sign_negative() {
                value.checked_sub(f)?
            } else {
                value.checked_add(f)?
            };
            return Some((v, end));
        }
    }
    None
}

/// `百分之`, `千分之`, `百万分之` (spaces allowed): the denominator and the position after.
fn per_prefix(s: &[char], j: usize) -> Option<(Decimal, usize)> {
    let mut m = j;
    let mut denom = Decimal::ONE;
    let mut units = 0;
    loop {
        m = skip_spaces(s, m);
        let c = *s.get(m)?;
        let f = match c {
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' | '萬' => 10000,
            _ => break,
        };
        denom = denom.checked_mul(Decimal::from(f))?;
        units += 1;
        m += 1;
        if units > 4 {
            return None;
        }
    }
    if units == 0 {
        return None;
    }
    for wc in ['分', '之'] {
        m = skip_spaces(s, m);
        if s.get(m) != Some(&wc) {
            return None;
        }
        m += 1;
    }
    Some((denom, skip_spaces(s, m)))
}

/// `九成` (90 %), `三成半` (35 %), `75折` (75 %), `九折` (90 %): shares in tenths.
fn tenths(s: &[char], k: usize, value: Decimal) -> Option<(Decimal, usize)> {
    let m = skip_spaces(s, k);
    match s.get(m)? {
        '成' if value <= Decimal::TEN => {
            let mut v = value.checked_mul(Decimal::TEN)?;
            let mut e = m + 1;
            if s.get(e) == Some(&'半') {
                v = v.checked_add(Decimal::from(5))?;
                e += 1;
            }
            Some((v, e))
        }
        '折' if value < Decimal::TEN && value > Decimal::ZERO => {
            Some((value.checked_mul(Decimal::TEN)?, m + 1))
        }
        '折' if value > Decimal::TEN && value < Decimal::from(100) => Some((value, m + 1)),
        _ => None,
    }
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
    let neg = matches!(s.get(m), Some('负' | '負' | '-'));
    let num = numeral(s, if neg { m + 1 } else { m })?;
    if denom.is_zero() {
        return None;
    }
    let v = num.value.checked_div(denom)?;
    Some((if neg { -v } else { v }, num.end))
}

/// After 元: 整/正, 钱, 人民币, and 角/毛 then 分 sub-units (`五元三毛` = 5.3).
fn money_tail(s: &[char], mut k: usize, mut value: Decimal) -> Option<(Decimal, usize)> {
    for w in ["整", "正", "钱", "人民币"] {
        if starts(s, k, w) {
            return Some((value, k + w.chars().count()));
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
                value = value.checked_add(Decimal::from(d) * scale)?;
                k += 2;
            }
        }
    }
    Some((value, k))
}

/// Prints a decimal without trailing zeros or exponent: 1213.3600 → `1213.36`, 100.0 → `100`.
pub fn fmt_decimal(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// The `jixiao numbers` output line for line `n` (SPEC.md's JSON shape).
pub fn to_json_line(n: usize, line: &str) -> String {
    let mentions: Vec<serde_json::Value> = scan(line)
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "text": m.text, "start": m.start, "end": m.end,
                "value": fmt_decimal(m.value), "unit": m.unit, "qualifier": m.qualifier,
            })
        })
        .collect();
    serde_json::json!({"line": n, "mentions": mentions}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_print_plainly() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(fmt_decimal(d("1213.3600")), "1213.36");
        assert_eq!(fmt_decimal(d("100.0")), "100");
        assert_eq!(fmt_decimal(d("0.000")), "0");
        assert_eq!(fmt_decimal(d("1.2e3")), "1200");
    }

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
    fn unit_words_alone() {
        for w in ["%", "人次", "万元", "公里", "亩"] {
            assert!(is_unit_word(w), "{w}");
        }
        for w in ["满意度", "", "次数", "2人"] {
            assert!(!is_unit_word(w), "{w}");
        }
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
        // An explicit zero keeps its unit (it used to be a bare `0`).
        assert_eq!(one("0万元"), (d("0"), "元", ""));
        assert_eq!(one("0.00万元"), (d("0"), "元", ""));
        assert_eq!(one("0万亩"), (d("0"), "亩", ""));
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
    fn qualifier_first_characters_are_all_known() {
        for (w, _) in PREFIX_QUALIFIERS {
            let first = w.chars().next().unwrap_or(' ');
            assert!(starts_qualifier(first), "{w}");
        }
    }

    #[test]
    fn offsets_are_characters() {
        let ms = scan("编制共 117 人，实有113人");
        assert_eq!(ms.len(), 2);
        assert_eq!((ms[0].start, ms[0].end, ms[0].unit), (4, 9, "人"));
        assert_eq!(ms[0].text, "117 人");
    }

    /// Regression: found by cargo-fuzz (numbers), a chain of `^` exponents and 万 overflowed
    /// a decimal multiplication and panicked.
    #[test]
    fn overflowing_numerals_read_as_no_number_not_a_panic() {
        let _ = scan("0.*1.*1.*1+002/..22022^-27^1 999999999999999999亿亿亿亿兆兆兆");
        let _ = scan(&"九".repeat(40));
        let _ = scan(&format!("{}万亿兆万亿兆", "9".repeat(20)));
    }
}
