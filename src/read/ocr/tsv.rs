//! Tesseract's TSV output (`tesseract … tsv`): one row per page, block, paragraph, line and
//! word, with the box in pixels and, for words, the engine's confidence (0–100). Only the
//! words are kept; a row that does not parse is skipped (the engine's output is read as
//! untrusted bytes: the fuzz target `ocr_tsv` feeds it anything).

/// One word as the engine read it.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    /// The engine's line: (block, paragraph, line) within its image.
    pub line: (u32, u32, u32),
    /// Its box in pixels of the image read: left, top, right, bottom.
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    /// The engine's confidence, 0 to 100.
    pub conf: f32,
    pub text: String,
}

/// The words of one TSV, in the engine's order; at most `max_words` (the rest are left
/// out: a page holds a few thousand).
pub fn parse(tsv: &str, max_words: usize) -> Vec<OcrWord> {
    let mut out = Vec::new();
    for row in tsv.lines() {
        if out.len() >= max_words {
            break;
        }
        if let Some(w) = word(row) {
            out.push(w);
        }
    }
    out
}

/// A word row (level 5) with a box inside the image and some text; none for any other row.
fn word(row: &str) -> Option<OcrWord> {
    let mut f = row.splitn(12, '\t');
    let mut int = || f.next()?.trim().parse::<u32>().ok();
    let level = int()?;
    let _page = int()?;
    let (block, par, line, _word) = (int()?, int()?, int()?, int()?);
    let (left, top, width, height) = (int()?, int()?, int()?, int()?);
    let conf: f32 = f.next()?.trim().parse().ok()?;
    let text = f.next()?.trim();
    if level != 5 || text.is_empty() || !conf.is_finite() {
        return None;
    }
    Some(OcrWord {
        line: (block, par, line),
        left,
        top,
        right: left.checked_add(width)?,
        bottom: top.checked_add(height)?,
        conf: conf.clamp(0.0, 100.0),
        text: text.to_string(),
    })
}

/// A word for the tests of what reads the engine's words: on `line`, ten pixels square at
/// `left`.
#[cfg(test)]
pub fn test_word(line: u32, left: u32, text: &str, conf: f32) -> OcrWord {
    OcrWord {
        line: (1, 1, line),
        left,
        top: 0,
        right: left + 10,
        bottom: 10,
        conf,
        text: text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_boxes_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2481\t3508\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t239\t132\t1265\t47\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t239\t133\t75\t46\t89.311905\t部\n\
                   5\t1\t1\t1\t1\t2\t313\t128\t145\t63\t45.5\t1485.76\n\
                   5\t1\t1\t1\t1\t3\t313\t128\t45\t63\t95\t \n\
                   5\t1\t1\t1\t2\t1\t4294967295\t128\t45\t63\t95\t溢\n\
                   5\tx\t1\t1\t1\t1\t1\t1\t1\t1\t95\t坏\n\
                   5\t1\t2\t1\t1\t1\t10\t20\t30\t40\tNaN\t坏";
        let w = parse(tsv, 100);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].text, "部");
        assert_eq!(
            (w[0].left, w[0].top, w[0].right, w[0].bottom),
            (239, 133, 314, 179)
        );
        assert_eq!(w[1].conf, 45.5);
        assert_eq!(w[1].line, (1, 1, 1));
        assert_eq!(parse(tsv, 1).len(), 1);
    }
}
