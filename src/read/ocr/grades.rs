//! A grade cell (`良好`, `合格`) with one doubtful character. Grades are a closed vocabulary
//! (`rules/form_words.tsv`), and the engine misreads their characters now and then (`良好`
//! read `恨好`). A cell of two characters that differs from exactly one two-character grade
//! in one place, where the engine was unsure of that character (its confidence under
//! [`MIN_CONFIDENCE`]), is that grade; a character read with confidence, or a cell near two
//! grades or none, is left as read.

use super::cross::merged;
use super::slips::MIN_CONFIDENCE;
use super::tsv::OcrWord;
use crate::rules::forms::GRADES;

/// One cell's words, a grade mended where the rule above settles it.
pub fn mend(mine: &[&OcrWord]) -> Vec<OcrWord> {
    let kept = || mine.iter().map(|w| (*w).clone()).collect();
    // Each character with the confidence of the word it was read in.
    let read: Vec<(char, f32)> = mine
        .iter()
        .flat_map(|w| {
            w.text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| (c, w.conf))
        })
        .collect();
    let [(a, conf_a), (b, conf_b)] = read.as_slice() else {
        return kept();
    };
    let near: Vec<(&str, f32)> = GRADES
        .iter()
        .filter_map(|g| {
            let mut cs = g.chars();
            let (Some(x), Some(y), None) = (cs.next(), cs.next(), cs.next()) else {
                return None;
            };
            match (x == *a, y == *b) {
                (false, true) => Some((*g, *conf_a)),
                (true, false) => Some((*g, *conf_b)),
                _ => None,
            }
        })
        .collect();
    match near.as_slice() {
        [(grade, doubt)] if *doubt < MIN_CONFIDENCE => {
            let sure = conf_a.max(*conf_b);
            merged(mine, grade.to_string(), sure).into_iter().collect()
        }
        _ => kept(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, conf: f32) -> OcrWord {
        super::super::tsv::test_word(1, 0, text, conf)
    }

    fn mended(words: &[OcrWord]) -> Vec<String> {
        let refs: Vec<&OcrWord> = words.iter().collect();
        mend(&refs).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn a_doubtful_character_of_a_grade_is_mended() {
        assert_eq!(mended(&[word("恨", 11.0), word("好", 93.0)]), ["良好"]);
        assert_eq!(mended(&[word("合", 90.0), word("拾", 30.0)]), ["合格"]);
    }

    #[test]
    fn a_sure_character_or_no_single_grade_is_left_as_read() {
        // Read with confidence: a word of its own (`良性`), not a slip.
        assert_eq!(mended(&[word("良性", 91.0)]), ["良性"]);
        // Two characters wrong, three characters, or a grade already.
        assert_eq!(mended(&[word("恨", 11.0), word("妤", 20.0)]), ["恨", "妤"]);
        assert_eq!(mended(&[word("较良好", 20.0)]), ["较良好"]);
        assert_eq!(mended(&[word("优秀", 95.0)]), ["优秀"]);
    }
}
