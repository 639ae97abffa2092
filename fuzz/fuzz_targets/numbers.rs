//! The scanner on arbitrary UTF-8: no panic, offsets on character boundaries and in order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let n = text.chars().count();
    let mut last = 0;
    for m in jixiao::normalize::numbers::scan(text) {
        assert!(m.start < m.end && m.end <= n);
        assert!(m.start >= last);
        last = m.end;
    }
});
