//! Inputs that once broke something, kept as named tests.

use super::root;

/// cargo-fuzz `numbers` found a decimal multiplication overflow (a chain of `^` exponents).
#[test]
fn fuzz_numbers_overflow_is_not_a_panic() {
    let bytes = std::fs::read(root().join("tests/fixtures/fuzz-numbers-overflow.bin")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let _ = jixiao::normalize::numbers::scan(&text);
}
