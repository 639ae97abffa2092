//! Labels of the official templates that feed no field of the dataset
//! (`rules/not_fields.tsv`), each with the reason: the rest of the templates' labels feed
//! their field through the other rule files (`extract::template_labels` checks both).

use std::sync::LazyLock;

use serde::Deserialize;

use super::{loaded, table, Source};

const NOT_FIELD_FILE: Source = source!("not_fields.tsv");

/// A label (as the extractor compares it: no spaces or line breaks, folded widths, simplified
/// characters) and why it feeds no field.
#[derive(Debug, Clone, Deserialize)]
pub struct NotField {
    pub label: String,
    pub reason: String,
}

/// The labels listed as no field, in the file's order.
pub static NOT_FIELDS: LazyLock<Vec<NotField>> = LazyLock::new(|| {
    loaded(table::<NotField>(&NOT_FIELD_FILE).map(|ls| ls.into_iter().map(|(_, l)| l).collect()))
});

/// Every file of this family, read strictly: the first problem.
#[cfg(test)]
pub(super) fn check() -> Result<(), String> {
    let lines = table::<NotField>(&NOT_FIELD_FILE)?;
    for (i, (line, l)) in lines.iter().enumerate() {
        if lines[..i].iter().any(|(_, e)| e.label == l.label) {
            return Err(format!(
                "{}:{line}: {:?} is listed twice",
                NOT_FIELD_FILE.path, l.label
            ));
        }
    }
    Ok(())
}
