//! The OCR engine's output as untrusted bytes: tesseract's TSV parsed into words, its slips
//! mended and its doubtful numbers marked. Anything in, no panic out.
#![no_main]
use libfuzzer_sys::fuzz_target;

use jixiao::read::ocr::{slips, tsv};

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let mut words = tsv::parse(&text, 10_000);
    let _ = slips::clean(&mut words, slips::MIN_CONFIDENCE);
    for w in &words {
        let _ = slips::mend_word(&w.text);
    }
});
