//! The OCR engine: Debian's `tesseract` with its Simplified Chinese model
//! (`tesseract-ocr-chi-sim`), run as a separate process as poppler is (chosen by
//! measurement: docs/research/ocr.md). It reads a PGM image on its stdin and writes TSV.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::error::{ReadError, Reason};
use crate::read::tool::{self, Failure, Run};

use super::Layout;

/// The engine's program.
const PROGRAM: &str = "tesseract";
/// Its model for Simplified Chinese (which reads digits and Latin letters too).
const LANGUAGE: &str = "chi_sim";
/// Its model for English, installed with the engine (Debian's `tesseract-ocr` depends on
/// it): the Chinese model has no `%` of its own shape (it writes `100%` as `1009%6`), the
/// English one reads digits and `%` well, so number cells are read by both
/// ([`super::cross`]).
const LATIN: &str = "eng";
/// What to install where it is missing (Debian's names).
pub const PACKAGES: &str = "tesseract-ocr tesseract-ocr-chi-sim";
/// The most TSV one image may give (a dense page gives some 200 KB).
const MAX_TSV: u64 = 16 * 1024 * 1024;

/// Which of the engine's models reads an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    Chinese,
    Latin,
}

impl Model {
    fn name(self) -> &'static str {
        match self {
            Model::Chinese => LANGUAGE,
            Model::Latin => LATIN,
        }
    }
}

/// The models the engine has (asked once per run; none when it is not installed).
fn models() -> &'static [String] {
    static MODELS: OnceLock<Vec<String>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let run = Run {
            program: PROGRAM,
            args: &["--list-langs"],
            env: &[],
            input: &[],
            cap: 64 * 1024,
            deadline: Instant::now() + Duration::from_secs(20),
        };
        tool::run(&run)
            .map(|out| {
                String::from_utf8_lossy(&out)
                    .lines()
                    .map(|l| l.trim().to_string())
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Whether the engine and its Chinese model are installed.
pub fn available() -> bool {
    has(Model::Chinese)
}

/// Whether the engine has `model`.
pub fn has(model: Model) -> bool {
    models().iter().any(|m| m == model.name())
}

/// Why a scanned page cannot be read here: no engine (`no_text_layer`, naming the packages
/// that would read it).
pub fn missing(what: &str) -> ReadError {
    ReadError::new(
        Reason::NoTextLayer,
        format!("{what}, and the OCR engine is not installed (Debian: {PACKAGES})"),
    )
}

/// The engine's TSV for one PGM image of `dpi` pixels per inch, until `deadline`. A page
/// is read with the engine's own layout analysis (page segmentation mode 3); stacked cells
/// as one block of lines (mode 6: measured on the seeds' forms, it keeps a cell's lone
/// digit, which mode 3 and 4 drop as noise). One engine thread: documents are read in
/// parallel already, and OpenMP's threads only wait on a busy machine.
pub fn tsv(
    pgm: &[u8],
    dpi: u32,
    layout: Layout,
    model: Model,
    deadline: Instant,
) -> Result<String, ReadError> {
    let dpi = dpi.to_string();
    let psm = match layout {
        Layout::Page => "3",
        Layout::Cells => "6",
    };
    let args = [
        "stdin",
        "stdout",
        "-l",
        model.name(),
        "--psm",
        psm,
        "--dpi",
        &dpi,
        "tsv",
    ];
    let run = Run {
        program: PROGRAM,
        args: &args,
        env: &[("OMP_THREAD_LIMIT", "1")],
        input: pgm,
        cap: MAX_TSV,
        deadline,
    };
    let out = tool::run(&run).map_err(|f| match f {
        Failure::Missing => missing("a scanned page"),
        Failure::Io(e) => ReadError::new(Reason::Io, e),
        Failure::Stopped => ReadError::new(Reason::Io, "tesseract stopped: the run was stopped"),
        Failure::TooSlow => ReadError::new(
            Reason::TooSlow,
            "tesseract ran past the per-document time budget",
        ),
        Failure::TooLarge => ReadError::new(
            Reason::TooLarge,
            format!("tesseract wrote more than {MAX_TSV} bytes"),
        ),
        Failure::Failed(err) => {
            let first = err
                .lines()
                .find(|l| l.contains("rror") || l.contains("ailed"))
                .or_else(|| err.lines().next())
                .unwrap_or("no message");
            ReadError::new(
                Reason::Malformed,
                format!("tesseract could not read a page image: {first}"),
            )
        }
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
