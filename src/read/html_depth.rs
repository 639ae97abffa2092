//! How deep a web page nests its elements, estimated from its markup before html5ever
//! parses it.
//!
//! html5ever keeps a stack of open elements and scans it for every tag, so a page nesting
//! elements 300,000 deep (3.3 MB of `<div>`) took it 4 min 50 s, and 3,000 nested tables
//! overflowed the reader's stack. The pre-scan keeps the same stack, cheaply: an element
//! opens on its start tag and closes with everything above it on its end tag, as html5ever
//! closes a generic end tag; void elements and those whose end tag is optional (`p`, `li`,
//! `td`…, which html5ever closes by itself) are not counted, nor are tags inside comments
//! and raw text (`script`, `style`). A page past the depth limit is refused before parsing.

/// Elements that never have content.
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"keygen",
    b"basefont",
    b"bgsound",
    b"frame",
];

/// Elements html5ever closes by itself when the next one starts (optional end tags).
const SELF_CLOSING: &[&[u8]] = &[
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"tbody",
    b"thead",
    b"tfoot",
    b"option",
    b"optgroup",
    b"rb",
    b"rt",
    b"rp",
    b"rtc",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// Elements whose content is raw text: tags inside them are not tags.
const RAW: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"plaintext",
];

/// Whether `html` holds more than `limit` start tags (`<` and a letter; those in comments
/// and scripts count too, which only errs towards refusing); the scan stops there.
pub fn more_elements_than(html: &[u8], limit: usize) -> bool {
    memchr::memchr_iter(b'<', html)
        .filter(|&at| html.get(at + 1).is_some_and(u8::is_ascii_alphabetic))
        .nth(limit)
        .is_some()
}

/// Whether `html` nests counted elements deeper than `limit` somewhere; the scan stops there.
pub fn deeper_than(html: &[u8], limit: usize) -> bool {
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', html.get(at..).unwrap_or_default()) {
        let tag = html.get(at + lt + 1..).unwrap_or_default();
        at += lt + 1;
        if tag.starts_with(b"!--") {
            at += memchr::memmem::find(tag, b"-->").map_or(tag.len(), |e| e + 3);
            continue;
        }
        let (closing, tag) = match tag.strip_prefix(b"/") {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let len = tag
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if len == 0 || !tag.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name = tag.get(..len).unwrap_or_default().to_ascii_lowercase();
        let end = memchr::memchr(b'>', tag).map_or(tag.len(), |e| e + 1);
        at += usize::from(closing) + end;
        if closing {
            if let Some(i) = open.iter().rposition(|n| *n == name) {
                open.truncate(i);
            }
            continue;
        }
        if RAW.contains(&name.as_slice()) {
            // Its text runs to its own end tag (matched without regard to case).
            let rest = html.get(at..).unwrap_or_default();
            let close = [b"</".as_slice(), &name].concat();
            at += rest
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(&close))
                .unwrap_or(rest.len());
            continue;
        }
        if VOID.contains(&name.as_slice()) || SELF_CLOSING.contains(&name.as_slice()) {
            continue;
        }
        open.push(name);
        if open.len() > limit {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_tags_are_counted_not_end_tags_or_text() {
        let page = b"<p>1 < 2</p><div><br></div>";
        assert!(!more_elements_than(page, 3));
        assert!(more_elements_than(page, 2));
    }

    #[test]
    fn nesting_is_counted_as_html5ever_closes_elements() {
        let deep = |n: usize, tag: &str| format!("<{tag}>").repeat(n);
        assert!(!deeper_than(deep(10, "div").as_bytes(), 10));
        assert!(deeper_than(deep(11, "div").as_bytes(), 10));
        // Closed elements and an end tag closing what was left open inside it.
        let closed = "<div>x</div>".repeat(100);
        assert!(!deeper_than(closed.as_bytes(), 10));
        let unclosed = format!("<div>{}</div>", "<span>".repeat(9)).repeat(50);
        assert!(!deeper_than(unclosed.as_bytes(), 10));
        // Optional end tags, void elements, comments and scripts do not nest.
        let flat = "<p>a<br><li>b<td>c<img src=x><!-- <div><div> --><script>'<div><div>'</script>"
            .repeat(100);
        assert!(!deeper_than(flat.as_bytes(), 3));
        // Nested tables nest.
        assert!(deeper_than(deep(3000, "table><tr><td").as_bytes(), 512));
        assert!(deeper_than(deep(20, "DIV class=x").as_bytes(), 10));
    }
}
