//! Poppler's tools run as separate processes (their CJK maps, from `poppler-data`, decode the
//! GBK-EUC-H / UniGB-UCS2-H fonts counties use; poppler's GPL code stays out of our binary):
//! `pdftotext -bbox-layout` for the words and where they stand, `pdftoppm -gray` for the
//! pages drawn, whose ruling lines are the tables' borders.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::{ReadError, Reason};

/// Pages read from one PDF (a township report and its forms run to a few dozen).
pub const MAX_PAGES: u32 = 500;
/// Pixels on the long side of a page drawn to find its ruling lines: an A4 page at 60 dpi,
/// where a hairline border is still a pixel of mid grey, and no page, however large its
/// box, draws larger. Drawn without anti-aliasing, which costs a third of the time and
/// changes nothing for rules.
pub const DRAWN_PIXELS: u32 = 700;

/// Set when the run is stopped: every running engine is ended and none is started.
static STOP: AtomicBool = AtomicBool::new(false);

/// Ends the engines now running and refuses to start more (the run got a stop signal).
pub fn stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Kills an engine and whatever it started (its process group), and reaps it.
fn end(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Has the kernel kill the engine when jixiao dies, however it dies: a run killed with
/// SIGKILL cannot end its engines itself, and poppler can run for many minutes on a hostile
/// PDF. (The signal comes when the spawning thread ends; the workers that spawn engines live
/// as long as the run.)
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and calls only prctl and
    // getppid, which are async-signal-safe; it allocates nothing.
    let parent = unsafe { libc::getpid() };
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(command, move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // jixiao died between the fork and the prctl: no signal will come.
            if libc::getppid() != parent {
                return Err(std::io::Error::other(
                    "jixiao ended before the engine started",
                ));
            }
            Ok(())
        });
    }
}

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
    let stopped = || {
        ReadError::new(
            Reason::Io,
            format!("{program} stopped: the run was stopped"),
        )
    };
    if STOP.load(Ordering::SeqCst) {
        return Err(stopped());
    }
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own: a Ctrl-C on the terminal reaches jixiao alone, which ends its
    // engines itself, and the whole group can be killed at once.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    #[cfg(target_os = "linux")]
    die_with_parent(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ReadError::new(
                    Reason::PdfEngineMissing,
                    format!("a PDF, and poppler's {program} is not installed (Debian: poppler-utils poppler-data)"),
                )
            } else {
                ReadError::new(Reason::Io, format!("cannot start {program}: {e}"))
            }
        })?;
    // Feed stdin and drain stdout/stderr on their own threads: a pipe that fills blocks.
    let stdin = child.stdin.take();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(cap + 1).read_to_end(&mut out);
        }
        out
    });
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        out
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if STOP.load(Ordering::SeqCst) => {
                end(&mut child);
                return Err(stopped());
            }
            Ok(None) if Instant::now() > deadline => {
                end(&mut child);
                return Err(ReadError::new(
                    Reason::TooSlow,
                    format!("{program} ran past the per-document time budget"),
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => {
                end(&mut child);
                return Err(ReadError::new(Reason::Io, format!("{program}: {e}")));
            }
        }
    };
    let _ = feeder.join();
    let out = reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&errors.join().unwrap_or_default()).into_owned();
    if out.len() as u64 > cap {
        return Err(ReadError::new(
            Reason::TooLarge,
            format!("{program} wrote more than {cap} bytes"),
        ));
    }
    if !status.success() {
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
        return Err(ReadError::new(
            reason,
            format!("{program} could not read the PDF: {first}"),
        ));
    }
    Ok(out)
}
