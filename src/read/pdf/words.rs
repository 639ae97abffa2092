//! The words poppler found on each page and their boxes (`pdftotext -bbox-layout`), in
//! points from the page's top left corner. Poppler's blocks and lines are not kept: it runs
//! the cells of a table row into one line, so lines are made again from the words' boxes.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{ReadError, Reason};

/// A box in points, `y` growing down the page.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }

    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    pub fn center_y(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// One word and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub rect: Rect,
    pub text: String,
}

/// Two boxes on one line: their vertical centres within half a line of each other.
pub fn same_line(a: &Rect, b: &Rect) -> bool {
    (a.center_y() - b.center_y()).abs() <= a.height().max(b.height()) / 2.0
}

/// Words (or pieces of words) in lines, top to bottom, each line left to right: a word
/// joins the line whose first word stands on one line with it.
pub fn in_lines<W: std::borrow::Borrow<Word>>(mut words: Vec<W>) -> Vec<Vec<W>> {
    let rect = |w: &W| w.borrow().rect;
    words.sort_by(|a, b| rect(a).y0.total_cmp(&rect(b).y0));
    let mut lines: Vec<Vec<W>> = Vec::new();
    for w in words {
        match lines.last_mut() {
            Some(l) if l.first().is_some_and(|f| same_line(&rect(f), &rect(&w))) => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    for l in &mut lines {
        l.sort_by(|a, b| rect(a).x0.total_cmp(&rect(b).x0));
    }
    lines
}

/// One page: its size and its words in poppler's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
}

/// The pages of poppler's XHTML. At most `max_words` words are read in all: a document
/// with more is refused as too large.
pub fn parse(xhtml: &str, max_words: usize) -> Result<Vec<Page>, ReadError> {
    let mut reader = Reader::from_str(xhtml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<Word> = None;
    let mut count = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            ReadError::new(
                Reason::Malformed,
                format!("the PDF engine's word list is not XML: {e}"),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"page" => pages.push(Page {
                    width: attr(&e, b"width").unwrap_or(0.0),
                    height: attr(&e, b"height").unwrap_or(0.0),
                    ..Page::default()
                }),
                b"word" => {
                    word = rect(&e).map(|rect| Word {
                        rect,
                        text: String::new(),
                    })
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    let text = t.unescape().map_err(|e| {
                        ReadError::new(Reason::Malformed, format!("a word's text: {e}"))
                    })?;
                    w.text.push_str(&text);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"word" => {
                if let (Some(w), Some(page)) = (word.take(), pages.last_mut()) {
                    if !w.text.trim().is_empty() {
                        count += 1;
                        if count > max_words {
                            return Err(ReadError::new(
                                Reason::TooLarge,
                                format!("more than {max_words} words"),
                            ));
                        }
                        page.words.push(w);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages)
}

/// A finite number attribute.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<f32> {
    let a = e.try_get_attribute(name).ok()??;
    let v: f32 = std::str::from_utf8(&a.value).ok()?.trim().parse().ok()?;
    v.is_finite().then_some(v)
}

/// The box of an element with `xMin`, `yMin`, `xMax`, `yMax`; none if it is not a box.
fn rect(e: &BytesStart<'_>) -> Option<Rect> {
    let r = Rect {
        x0: attr(e, b"xMin")?,
        y0: attr(e, b"yMin")?,
        x1: attr(e, b"xMax")?,
        y1: attr(e, b"yMax")?,
    };
    (r.x1 >= r.x0 && r.y1 >= r.y0).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_words_with_their_boxes() {
        let xhtml = r#"<html><body><doc>
          <page width="595.3" height="841.9"><flow>
            <block xMin="10" yMin="20" xMax="100" yMax="40"><line xMin="10" yMin="20" xMax="100" yMax="40">
              <word xMin="10" yMin="20" xMax="40" yMax="40">预算&amp;执行</word>
              <word xMin="45" yMin="20" xMax="100" yMax="40">800</word>
              <word xMin="1" yMin="2" xMax="0" yMax="3">inverted</word>
            </line></block></flow></page>
          <page width="595.3" height="841.9"></page></doc></body></html>"#;
        let pages = parse(xhtml, 100).unwrap();
        assert_eq!(pages.len(), 2);
        let texts: Vec<&str> = pages[0].words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["预算&执行", "800"]);
        assert_eq!(pages[0].words[1].rect.x0, 45.0);
        assert!(pages[1].words.is_empty());
        assert_eq!(parse(xhtml, 1).unwrap_err().reason, Reason::TooLarge);
        assert_eq!(
            parse("<page><word xMin='1'>", 10).map(|p| p.len()).ok(),
            Some(1)
        );
    }
}
