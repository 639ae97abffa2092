//! The HTML reader on deeply nested, misnested markup. Each input byte is one token (open or
//! close a `table`, `tr`, `td`, `div`, `p`, `span`, `ul` or `li`, some text, a `<br>`), so a
//! few hundred bytes reach past the 512-deep limit, and the fuzzer explores what html5ever
//! builds from them (implied ends, tables fostering their misplaced content) against the
//! depth pre-scan and the reader's own table depth. A stack overflow, a panic or a run past
//! libFuzzer's `-timeout` is a finding; a refusal with a reason is not.
#![no_main]
use libfuzzer_sys::fuzz_target;

const TAGS: [&str; 8] = ["table", "tr", "td", "div", "p", "span", "ul", "li"];

fn page(tokens: &[u8]) -> String {
    let mut html = String::from("<html><body>");
    for &t in tokens {
        let tag = TAGS[usize::from(t % 8)];
        match t / 8 % 4 {
            0 | 1 => html.push_str(&format!("<{tag}>")),
            2 => html.push_str(&format!("</{tag}>")),
            _ if t % 2 == 0 => html.push_str("基本支出1650万元"),
            _ => html.push_str("<br>"),
        }
    }
    html
}

fuzz_target!(|bytes: &[u8]| {
    let _ = jixiao::read::html::read(page(bytes).as_bytes(), &jixiao::limits::Limits::DEFAULT);
});
