//! Normalizers shared by every extractor.

pub mod numbers;
