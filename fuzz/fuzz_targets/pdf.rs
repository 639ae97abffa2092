//! The PDF path: raw bytes through poppler (when they start like a PDF) and our rebuilding of
//! its laid-out text (page furniture, running headers, paragraph joins) on arbitrary text, then
//! the text reader. A bad file is refused with a reason, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

use jixiao::limits::Limits;
use jixiao::read::{pdf, text};

fuzz_target!(|bytes: &[u8]| {
    let laid_out = if bytes.starts_with(b"%PDF") {
        match pdf::text(bytes, &Limits::DEFAULT) {
            Ok(t) => t,
            Err(_) => return,
        }
    } else {
        pdf::rebuild(&String::from_utf8_lossy(bytes))
    };
    let _ = text::parse(&laid_out);
});
