//! The number scanner held to Recognizers-Text, jionlp and cn2an (copied with their
//! licences under tests/conformance/external), never below the rate reached.

use super::{bin, python_summary, root};

/// The share of cases met when this floor was set; raise it when the scanner improves.
const FLOOR: f64 = 0.954;

#[test]
fn conformance_does_not_slip() {
    let ext = root().join("tests/conformance/external");
    let last = python_summary("conformance.py", &[bin().as_ref(), ext.as_os_str()]);
    // "conformance: 869/911 cases met (0.954), …"
    let rate: f64 = last
        .split('(')
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no summary in: {last}"));
    assert!(
        rate >= FLOOR,
        "conformance fell to {rate} (floor {FLOOR}):\n{last}"
    );
}
