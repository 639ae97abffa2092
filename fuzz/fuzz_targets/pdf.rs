//! The PDF path: raw bytes through poppler (when they start like a PDF); otherwise poppler's
//! word list (the bytes up to a `P5` page drawing, if any) and that drawing, through the
//! ruling-line finder, cell filling, line, paragraph and table building, and the recover stage.
//! A bad file is refused with a reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

use jixiao::limits::Limits;
use jixiao::read::{pdf, Content, Format, Run};

fuzz_target!(|bytes: &[u8]| {
    if bytes.starts_with(b"%PDF") {
        let _ = pdf::read(bytes, &Limits::DEFAULT);
        return;
    }
    let split = memchr::memmem::find(bytes, b"P5").unwrap_or(bytes.len());
    let (words, drawing) = bytes.split_at(split);
    let drawing = pdf::lattice::Bitmap::from_pgm(drawing);
    if let Some(page) = &drawing {
        let _ = pdf::lattice::tables(page, 1.0);
    }
    if let Ok(pieces) = pdf::from_words(
        &String::from_utf8_lossy(words),
        &[drawing],
        &Limits::DEFAULT,
    ) {
        let runs = vec![Run { ocr: false, pieces }];
        let _ = jixiao::recover::recover(Content::Pages(runs), Format::Pdf, &Limits::DEFAULT);
    }
});
