//! Normalizers shared by every extractor.

pub mod numbers;
pub mod simplified;
pub mod text;
