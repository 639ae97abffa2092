//! The .txt decoder and table recovery on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(d) = jixiao::read::text::decode(bytes) {
        let _ = jixiao::recover::dump::parse(&d.text);
    }
});
