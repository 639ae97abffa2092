//! A number cell read twice: by the Chinese model and by the English one. The Chinese model
//! has no `%` of its own shape and writes `100%` as `1009%6` or `95%` as `9596` (a wrong
//! number at high confidence); it also misreads a digit now and then (`6.33` as `0.33`). The
//! English model reads digits and `%` well and Chinese not at all. A cell that the Chinese
//! model read as a number alone is settled by the two readings: when they agree digit for
//! digit (the English one's `%` where the Chinese one wrote its known `9%6`, `%6` or `96`),
//! the English reading is kept; when the English model read a number it was sure of and the
//! two disagree, neither is trusted and the cell's number is doubtful (left empty with
//! `ocr_doubtful`). Cells holding Chinese are left to the
//! Chinese reading: the English one is no witness for them.

use super::slips::MIN_CONFIDENCE;
use super::tsv::OcrWord;

/// The words of the Chinese reading, each cell's number settled by the Latin reading of the
/// same cells. `chinese_cell` and `latin_cell` tell which cell a word of each reading (by its
/// box on the image that reading read) belongs to.
pub fn settle(
    chinese: Vec<OcrWord>,
    chinese_cell: impl Fn(&OcrWord) -> Option<usize>,
    latin: &[OcrWord],
    latin_cell: impl Fn(&OcrWord) -> Option<usize>,
) -> Vec<OcrWord> {
    per_cell(chinese, chinese_cell, |c, mine| {
        let theirs: Vec<&OcrWord> = latin.iter().filter(|w| latin_cell(w) == Some(c)).collect();
        one_cell(mine, &theirs)
    })
}

/// The words, each cell's (by `cell`) put through `f` with the cell's number, in the order
/// of each cell's first word; words in no cell are kept as they are.
pub fn per_cell(
    words: Vec<OcrWord>,
    cell: impl Fn(&OcrWord) -> Option<usize>,
    mut f: impl FnMut(usize, &[&OcrWord]) -> Vec<OcrWord>,
) -> Vec<OcrWord> {
    let cells: Vec<Option<usize>> = words.iter().map(cell).collect();
    let mut out: Vec<OcrWord> = Vec::with_capacity(words.len());
    let mut done: Vec<usize> = Vec::new();
    for (word, at) in words.iter().zip(&cells) {
        let Some(c) = *at else {
            out.push(word.clone());
            continue;
        };
        if done.contains(&c) {
            continue;
        }
        done.push(c);
        let mine: Vec<&OcrWord> = words
            .iter()
            .zip(&cells)
            .filter(|(_, at)| **at == Some(c))
            .map(|(w, _)| w)
            .collect();
        out.extend(f(c, &mine));
    }
    out
}

/// One cell's words after the second reading.
fn one_cell(mine: &[&OcrWord], theirs: &[&OcrWord]) -> Vec<OcrWord> {
    let text = |ws: &[&OcrWord]| -> String {
        ws.iter()
            .map(|w| super::slips::mend_word(&w.text))
            .collect()
    };
    let (chinese, latin) = (text(mine), text(theirs));
    let kept = || mine.iter().map(|w| (*w).clone()).collect();
    // The Latin model is a witness only where it read a number and was sure of it (a lone
    // `5` cut out small it may read `fs)` at confidence 0).
    let sure = theirs.iter().all(|w| w.conf >= MIN_CONFIDENCE);
    if !number_alone(&chinese) || !number_alone(&latin) || !sure {
        return kept();
    }
    match agreed(&chinese, &latin) {
        Some(reading) => {
            let conf = theirs.iter().map(|t| t.conf).fold(100.0, f32::min);
            merged(mine, reading, conf).into_iter().collect()
        }
        // The two models disagree on a digit: the number is doubtful.
        None => mine
            .iter()
            .map(|w| OcrWord {
                conf: 0.0,
                ..(*w).clone()
            })
            .collect(),
    }
}

/// A cell's words as one word holding `text`, over all their boxes; none for no words.
pub fn merged(mine: &[&OcrWord], text: String, conf: f32) -> Option<OcrWord> {
    let mut w = (*mine.first()?).clone();
    for o in mine.iter().skip(1) {
        w.left = w.left.min(o.left);
        w.top = w.top.min(o.top);
        w.right = w.right.max(o.right);
        w.bottom = w.bottom.max(o.bottom);
    }
    w.text = text;
    w.conf = conf;
    Some(w)
}

/// Whether a cell's text is a number and nothing else (digits, point, comma, percent).
pub fn number_alone(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'))
}

/// The reading both models agree on, or none: the Latin one equal to the Chinese one
/// (commas aside) or to it with the Chinese model's percent sign (`9%6`, `%6`, or a trailing
/// `96` for the Latin `%`) put right.
fn agreed(chinese: &str, latin: &str) -> Option<String> {
    let bare = |s: &str| s.replace(',', "");
    if bare(chinese) == bare(latin) {
        return Some(chinese.to_string());
    }
    let percent = chinese.replace("9%6", "%").replace("%6", "%");
    if bare(&percent) == bare(latin) {
        return Some(latin.to_string());
    }
    let digits = latin.strip_suffix('%')?;
    (chinese.strip_suffix("96")? == digits).then(|| latin.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(left: u32, text: &str, conf: f32) -> OcrWord {
        super::super::tsv::test_word(1, left, text, conf)
    }

    /// Cells 100 pixels wide side by side.
    fn by_column(w: &OcrWord) -> Option<usize> {
        Some(w.left as usize / 100)
    }

    fn texts(words: &[OcrWord]) -> Vec<(String, f32)> {
        words.iter().map(|w| (w.text.clone(), w.conf)).collect()
    }

    #[test]
    fn a_percent_read_right_by_the_latin_model_only() {
        let chinese = vec![
            word(0, "1009%6", 78.0),
            word(100, "9596", 91.0),
            word(200, "98.5", 90.0),
            word(230, "96", 88.0),
            word(300, "85%6", 80.0),
        ];
        let latin = vec![
            word(0, "100%", 96.0),
            word(100, "95%", 95.0),
            word(200, "98.5%", 94.0),
            word(300, "85%", 97.0),
        ];
        assert_eq!(
            texts(&settle(chinese, by_column, &latin, by_column)),
            [
                ("100%".into(), 96.0),
                ("95%".into(), 95.0),
                ("98.5%".into(), 94.0),
                ("85%".into(), 97.0)
            ]
        );
    }

    #[test]
    fn readings_that_disagree_on_a_digit_are_doubtful() {
        let chinese = vec![
            word(0, "0.33", 88.0),
            word(100, "2,998.29", 90.0),
            word(200, "2.5万亩", 90.0),
            word(300, "12", 90.0),
            word(400, "5", 78.0),
            word(500, "5", 78.0),
        ];
        let latin = vec![
            word(0, "6.33", 92.0),
            word(100, "2998.29", 93.0),
            word(200, "2.5 Ji", 60.0),
            word(400, "fs)", 3.0),
            word(500, "3", 40.0),
        ];
        assert_eq!(
            texts(&settle(chinese, by_column, &latin, by_column)),
            [
                ("0.33".into(), 0.0),
                ("2,998.29".into(), 93.0),
                // Chinese in the cell: the Latin reading is no witness.
                ("2.5万亩".into(), 90.0),
                // No second reading, or one that is no number or unsure: the first stands.
                ("12".into(), 90.0),
                ("5".into(), 78.0),
                ("5".into(), 78.0)
            ]
        );
        assert_eq!(agreed("1009%6", "100%"), Some("100%".into()));
        assert_eq!(agreed("9596", "96%"), None);
    }
}
