//! The number scanner held to Recognizers-Text, jionlp and cn2an (copied with their
//! licences under tests/conformance/external), never below the rate reached.

use super::{bin, python, root};

/// The share of cases met when this floor was set; raise it when the scanner improves.
const FLOOR: f64 = 0.954;

#[test]
fn conformance_does_not_slip() {
    let Some(py) = python() else {
        panic!("python3 is needed for the conformance suite (.ci/run installs it)");
    };
    let out = std::process::Command::new(py)
        .arg(root().join("tests/tools/conformance.py"))
        .arg(bin())
        .arg(root().join("tests/conformance/external"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    // "conformance: 869/911 cases met (0.954), …"
    let rate: f64 = last
        .split('(')
        .nth(1)
        .and_then(|s| s.split(')').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no summary in: {text}"));
    assert!(
        rate >= FLOOR,
        "conformance fell to {rate} (floor {FLOOR}):\n{last}"
    );
}
