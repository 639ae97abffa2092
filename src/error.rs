//! Why an input could not be read: the reason codes of `errors.csv`.
//!
//! A reader never panics on a bad file; it returns a [`ReadError`] whose [`Reason`] is one of
//! SPEC.md's codes and whose message says what was wrong, in words an analyst can act on.

use std::fmt;

/// The `reason` column of `errors.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// Not a format jixiao reads (or a zip that is no Word or Excel package).
    UnsupportedFormat,
    LegacyDoc,
    Encrypted,
    Truncated,
    /// A binary format whose structures contradict each other (a piece table that does not
    /// cover the text, a sheet that cannot be decoded).
    Malformed,
    MalformedXml,
    TooLarge,
    Empty,
    UnreadableText,
    /// Extraction ran past the per-document time budget.
    TooSlow,
    /// A PDF whose pages carry no text (scanned): OCR is out of scope.
    NoTextLayer,
    /// A PDF, and the PDF engine (poppler's pdftotext) is not installed.
    PdfEngineMissing,
    Io,
}

impl Reason {
    /// The code as written in `errors.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::UnsupportedFormat => "unsupported_format",
            Reason::LegacyDoc => "legacy_doc",
            Reason::Encrypted => "encrypted",
            Reason::Truncated => "truncated",
            Reason::Malformed => "malformed",
            Reason::MalformedXml => "malformed_xml",
            Reason::TooLarge => "too_large",
            Reason::Empty => "empty",
            Reason::UnreadableText => "unreadable_text",
            Reason::TooSlow => "too_slow",
            Reason::NoTextLayer => "no_text_layer",
            Reason::PdfEngineMissing => "pdf_engine_missing",
            Reason::Io => "io",
        }
    }
}

impl Reason {
    /// Reasons that say more about the machine or the moment than about the file (a tool not
    /// installed, a permission, a busy machine): a later run may read the file, so the cache
    /// never keeps them.
    pub const TRANSIENT: [Reason; 3] = [Reason::Io, Reason::TooSlow, Reason::PdfEngineMissing];

    /// Whether the code (as in `errors.csv`) is one of [`Reason::TRANSIENT`].
    pub fn is_transient_code(code: &str) -> bool {
        Reason::TRANSIENT.iter().any(|r| r.code() == code)
    }
}

/// A file that could not be read, with the reason code and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub reason: Reason,
    pub message: String,
}

impl ReadError {
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        ReadError {
            reason,
            message: message.into(),
        }
    }

    /// `too_slow`: `stage` (reading, extraction, …) ran past the document's time budget.
    pub fn too_slow(stage: &str) -> Self {
        ReadError::new(
            Reason::TooSlow,
            format!("{stage} ran past the per-document time budget"),
        )
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason.code(), self.message)
    }
}

impl std::error::Error for ReadError {}

/// Why a run, a merge or a diff could not go on (a file that cannot be read is a
/// [`ReadError`] and only fails that file). Each carries what was being done.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: {source}")]
    Csv {
        what: String,
        #[source]
        source: csv::Error,
    },
    #[error("{what}: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    /// The researchers' workbook could not be written.
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// Input that breaks the contract (a shard of another build, a missing manifest).
    #[error("{0}")]
    Invalid(String),
    /// A stop signal (its number: SIGINT, SIGTERM, SIGHUP): the run stopped and left the
    /// previous dataset in DIR as it was.
    #[error("stopped by {}; the previous dataset was left as it was", signal_name(*.0))]
    Interrupted(i32),
    /// The run found fewer than half the reports of the last one: the last dataset stays and
    /// the new one was written to `beside`.
    #[error("this run has {now} reports where the last run into DIR had {previous} (fewer than half): the previous dataset was kept and this run's was written to {} (re-run with --allow-shrink to replace it)", beside.display())]
    Shrunk {
        previous: usize,
        now: usize,
        beside: std::path::PathBuf,
    },
}

/// The name of a stop signal, for messages.
fn signal_name(signal: i32) -> String {
    match signal {
        1 => "SIGHUP".into(),
        2 => "SIGINT".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// The library's result type for runs, merges and diffs.
pub type Result<T, E = RunError> = std::result::Result<T, E>;

impl From<std::io::Error> for RunError {
    fn from(source: std::io::Error) -> Self {
        RunError::Io {
            what: "i/o".into(),
            source,
        }
    }
}

impl From<csv::Error> for RunError {
    fn from(source: csv::Error) -> Self {
        RunError::Csv {
            what: "csv".into(),
            source,
        }
    }
}

impl From<serde_json::Error> for RunError {
    fn from(source: serde_json::Error) -> Self {
        RunError::Json {
            what: "json".into(),
            source,
        }
    }
}

impl From<std::string::FromUtf8Error> for RunError {
    fn from(e: std::string::FromUtf8Error) -> Self {
        RunError::Invalid(format!("not UTF-8: {e}"))
    }
}

impl<W> From<std::io::IntoInnerError<W>> for RunError {
    fn from(e: std::io::IntoInnerError<W>) -> Self {
        RunError::Io {
            what: "flushing a file".into(),
            source: e.into_error(),
        }
    }
}

impl From<rayon::ThreadPoolBuildError> for RunError {
    fn from(e: rayon::ThreadPoolBuildError) -> Self {
        RunError::Invalid(format!("cannot start the worker threads: {e}"))
    }
}

impl<W> From<csv::IntoInnerError<W>> for RunError {
    fn from(e: csv::IntoInnerError<W>) -> Self {
        RunError::Io {
            what: "flushing csv".into(),
            source: std::io::Error::new(e.error().kind(), e.error().to_string()),
        }
    }
}

/// What was being done when an error happened (`.context("creating the cache")`).
pub trait Context<T> {
    fn context(self, what: &str) -> Result<T>;
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: Into<RunError>> Context<T> for std::result::Result<T, E> {
    fn context(self, what: &str) -> Result<T> {
        self.with_context(|| what.to_string())
    }
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| match e.into() {
            RunError::Io { source, .. } => RunError::Io {
                what: what(),
                source,
            },
            RunError::Csv { source, .. } => RunError::Csv {
                what: what(),
                source,
            },
            RunError::Json { source, .. } => RunError::Json {
                what: what(),
                source,
            },
            RunError::Invalid(m) => RunError::Invalid(format!("{}: {m}", what())),
            e @ (RunError::Interrupted(_) | RunError::Shrunk { .. }) => e,
            e @ RunError::Xlsx(_) => RunError::Invalid(format!("{}: {e}", what())),
        })
    }
}

impl<T> Context<T> for Option<T> {
    fn context(self, what: &str) -> Result<T> {
        self.ok_or_else(|| RunError::Invalid(what.to_string()))
    }
    fn with_context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.ok_or_else(|| RunError::Invalid(what()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_was_being_done() {
        let io: std::result::Result<(), std::io::Error> = Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        ));
        let e = io.context("creating the cache").unwrap_err();
        assert_eq!(e.to_string(), "creating the cache: no such file");
        let none: Option<u8> = None;
        let e = none.with_context(|| "shard 3".to_string()).unwrap_err();
        assert!(matches!(e, RunError::Invalid(m) if m == "shard 3"));
        assert_eq!(Reason::TooSlow.code(), "too_slow");
    }
}
