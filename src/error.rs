//! Why an input could not be read: the reason codes of `errors.csv`.
//!
//! A reader never panics on a bad file; it returns a [`ReadError`] whose [`Reason`] is one of
//! SPEC.md's codes and whose message says what was wrong, in words an analyst can act on.

use std::fmt;

/// The `reason` column of `errors.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    NotDocx,
    LegacyDoc,
    Encrypted,
    Truncated,
    MalformedXml,
    TooLarge,
    Empty,
    UnreadableText,
    /// Extraction ran past the per-document time budget.
    TooSlow,
    Io,
}

impl Reason {
    /// The code as written in `errors.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NotDocx => "not_docx",
            Reason::LegacyDoc => "legacy_doc",
            Reason::Encrypted => "encrypted",
            Reason::Truncated => "truncated",
            Reason::MalformedXml => "malformed_xml",
            Reason::TooLarge => "too_large",
            Reason::Empty => "empty",
            Reason::UnreadableText => "unreadable_text",
            Reason::TooSlow => "too_slow",
            Reason::Io => "io",
        }
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
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason.code(), self.message)
    }
}

impl std::error::Error for ReadError {}
