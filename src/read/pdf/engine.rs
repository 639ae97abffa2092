//! Poppler's tools run as separate processes (their CJK maps, from `poppler-data`, decode the
//! GBK-EUC-H / UniGB-UCS2-H fonts counties use; poppler's GPL code stays out of our binary):
//! `pdftotext -bbox-layout` for the words and where they stand, `pdftoppm -gray` for the
//! pages drawn, whose ruling lines are the tables' borders.

use std::path::Path;
use std::time::Instant;

use crate::error::{ReadError, Reason};
use crate::read::tool::{self, Failure, Run};

/// Pages read from one PDF (a township report and its forms run to a few dozen).
pub const MAX_PAGES: u32 = 500;
/// Pixels on the long side of a page drawn to find its ruling lines: an A4 page at 60 dpi,
/// where a hairline border is still a pixel of mid grey, and no page, however large its
/// box, draws larger. Drawn without anti-aliasing, which costs a third of the time and
/// changes nothing for rules.
pub const DRAWN_PIXELS: u32 = 700;

/// The words of the first [`MAX_PAGES`] pages with their boxes, as poppler's XHTML, and of
/// one page more when there is one: that page only tells the reader that pages were left
/// out.
pub fn words(bytes: &[u8], cap: u64, deadline: Instant) -> Result<String, ReadError> {
    let last = (MAX_PAGES + 1).to_string();
    let args = ["-bbox-layout", "-enc", "UTF-8", "-l", &last, "-", "-"];
    let out = run("pdftotext", &args, bytes, cap, deadline)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Pages `first..=last` (1-based) drawn in grey to [`DRAWN_PIXELS`], as PGM files in
/// `dir`: `p-<page>.pgm`, the page number zero-padded as poppler pads it.
pub fn draw(
    bytes: &[u8],
    first: usize,
    last: usize,
    dir: &Path,
    deadline: Instant,
) -> Result<(), ReadError> {
    let (first, last, px) = (
        first.to_string(),
        last.to_string(),
        DRAWN_PIXELS.to_string(),
    );
    let root = dir.join("p");
    let root = root.to_string_lossy();
    let args = [
        "-gray",
        "-aa",
        "no",
        "-aaVector",
        "no",
        "-scale-to",
        &px,
        "-f",
        &first,
        "-l",
        &last,
        "-",
        &root,
    ];
    run("pdftoppm", &args, bytes, 0, deadline).map(|_| ())
}

/// Page `page` (1-based) drawn in grey at `dpi` pixels per inch, as a PGM image, for OCR.
pub fn page_image(
    bytes: &[u8],
    page: usize,
    dpi: f32,
    cap: u64,
    deadline: Instant,
) -> Result<Vec<u8>, ReadError> {
    let (page, dpi) = (page.to_string(), format!("{dpi:.0}"));
    let args = ["-gray", "-r", &dpi, "-f", &page, "-l", &page, "-"];
    run("pdftoppm", &args, bytes, cap, deadline)
}

/// Runs `program` with `input` on its stdin until `deadline`; its stdout, of at most `cap`
/// bytes. A tool that is not installed is `pdf_engine_missing`; a password, `encrypted`;
/// any other failure, `malformed` with the tool's first error line.
fn run(
    program: &str,
    args: &[&str],
    input: &[u8],
    cap: u64,
    deadline: Instant,
) -> Result<Vec<u8>, ReadError> {
    let run = Run {
        program,
        args,
        env: &[],
        input,
        cap,
        deadline,
    };
    tool::run(&run).map_err(|f| match f {
        Failure::Missing => ReadError::new(
            Reason::PdfEngineMissing,
            format!("a PDF, and poppler's {program} is not installed (Debian: poppler-utils poppler-data)"),
        ),
        Failure::Io(e) => ReadError::new(Reason::Io, e),
        Failure::Stopped => ReadError::new(
            Reason::Io,
            format!("{program} stopped: the run was stopped"),
        ),
        Failure::TooSlow => ReadError::new(
            Reason::TooSlow,
            format!("{program} ran past the per-document time budget"),
        ),
        Failure::TooLarge => ReadError::new(
            Reason::TooLarge,
            format!("{program} wrote more than {cap} bytes"),
        ),
        Failure::Failed(err) => {
            let lower = err.to_lowercase();
            let reason = if lower.contains("password") || lower.contains("encrypt") {
                Reason::Encrypted
            } else {
                Reason::Malformed
            };
            let first = err
                .lines()
                .find(|l| l.contains("Error"))
                .or_else(|| err.lines().next())
                .unwrap_or("no message");
            ReadError::new(reason, format!("{program} could not read the PDF: {first}"))
        }
    })
}
