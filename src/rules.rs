//! Reading the vocabulary files of `rules/` (compiled in with `include_str!`): one entry a
//! line, `#` starts a comment line, blank lines are skipped.

/// The entries of a rules file, trimmed.
pub fn entries(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_and_blanks_are_skipped() {
        assert_eq!(super::entries("# c\n a \n\nb\t1\n"), vec!["a", "b\t1"]);
    }
}
