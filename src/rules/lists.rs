//! Word lists that are not about fields: the keyword segmenter's domain words
//! (`rules/jieba_userdict.txt`, `word frequency` a line, built into its dictionary by
//! `build/segmenter.rs`) and stop words (`rules/keyword_stopwords.txt`), and the peoples
//! named in autonomous divisions (`rules/ethnic_groups.txt`).

use std::sync::LazyLock;

use super::{list, loaded, Source};

const USER_WORD_FILE: Source = source!("jieba_userdict.txt");
const STOP_WORD_FILE: Source = source!("keyword_stopwords.txt");
const PEOPLE_FILE: Source = source!("ethnic_groups.txt");

/// Words every report uses: as keywords they say nothing about a report.
pub static KEYWORD_STOPWORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&STOP_WORD_FILE)));

/// Peoples named in autonomous divisions, without 族, in the file's order.
pub static ETHNIC_GROUPS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| loaded(list(&PEOPLE_FILE)));

/// The segmenter's domain words with their frequencies: each entry is a word and a whole
/// number separated by one space.
pub fn user_words() -> Result<Vec<(&'static str, u64)>, String> {
    let path = USER_WORD_FILE.path;
    list(&USER_WORD_FILE)?
        .into_iter()
        .map(|e| {
            let (word, freq) = e
                .split_once(' ')
                .ok_or_else(|| format!("{path}: {e:?} needs a word and a frequency"))?;
            let freq = freq
                .parse()
                .map_err(|_| format!("{path}: {e:?}: the frequency is no whole number"))?;
            Ok((word, freq))
        })
        .collect()
}

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    user_words()?;
    list(&STOP_WORD_FILE)?;
    list(&PEOPLE_FILE)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_read() {
        assert!(user_words().is_ok_and(|w| w.iter().any(|(w, f)| *w == "三公经费" && *f > 0)));
        assert!(KEYWORD_STOPWORDS.contains(&"工作"));
        assert!(ETHNIC_GROUPS.contains(&"彝"));
    }
}
