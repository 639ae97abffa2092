//! The layers `src/lib.rs` states, kept: every `crate::` path in `src/` (outside test
//! modules) names a module listed before its own in lib.rs's list, lowest first. A module
//! missing from the list fails too, so a new one has to be given its place.

use std::collections::BTreeMap;
use std::path::Path;

use super::root;

/// The modules of lib.rs's layer list (`//! - `name`: …` lines), lowest first.
fn order(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.strip_prefix("//! - `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The modules lib.rs declares (`pub mod name;`).
fn declared(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

/// The code of a source file: comments out, and the `mod tests` module (rustfmt closes it
/// with a `}` alone at the start of a line).
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut in_tests = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if in_tests {
            in_tests = line != "}";
            continue;
        }
        if line.trim() == "#[cfg(test)]" && lines.peek().is_some_and(|n| n.starts_with("mod ")) {
            in_tests = true;
            lines.next();
            continue;
        }
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The top-level modules a file's code names through `crate::` (`crate::a::b`,
/// `crate::{a, b::c}`), with the text that names each.
fn imports(code: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        // `jixiao_crate::` or `$crate::` are not this crate's paths.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // The names at depth 0 of the group, each the start of one path.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.extend(first_name(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.extend(first_name(&item));
        } else {
            out.extend(first_name(rest));
        }
    }
    out
}

/// The first name of a path and the path as written (up to 40 characters).
fn first_name(path: &str) -> Option<(String, String)> {
    let path = path.trim_start();
    let name: String = path
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let shown: String = path
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | ',' | '(' | ')'))
        .take(40)
        .collect();
    (!name.is_empty() && name != "self").then(|| (name, format!("crate::{shown}")))
}

/// `file: module imports module above it` for every upward import.
fn violations(order: &[String], files: &BTreeMap<String, String>) -> Vec<String> {
    let rank = |m: &str| order.iter().position(|o| o == m);
    let mut out = Vec::new();
    for (file, text) in files {
        let own = file
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        let Some(own_rank) = rank(own) else {
            out.push(format!(
                "{file}: module `{own}` is not in lib.rs's layer list"
            ));
            continue;
        };
        for (module, path) in imports(&code(text)) {
            if module == own {
                continue;
            }
            match rank(&module) {
                Some(r) if r < own_rank => {}
                Some(_) => out.push(format!(
                    "{file}: `{own}` imports `{module}` ({path}), which lib.rs lists above it"
                )),
                None => out.push(format!(
                    "{file}: `{own}` imports `{module}` ({path}), which is not in lib.rs's layer list"
                )),
            }
        }
    }
    out
}

/// Every `.rs` file under `dir`, by its path below `src/`.
fn sources(src: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            sources(src, &path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel = path
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn no_module_imports_one_above_it_in_lib_rs_order() {
    let src = root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let order = order(&lib);
    let mut missing: Vec<String> = declared(&lib)
        .into_iter()
        .filter(|m| !order.contains(m))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "modules not in lib.rs's layer list: {missing:?}"
    );
    let mut files = BTreeMap::new();
    sources(&src, &src, &mut files);
    // The binary and the crate root sit above every module.
    files.remove("main.rs");
    files.remove("lib.rs");
    let found = violations(&order, &files);
    assert!(
        found.is_empty(),
        "imports against the layers:\n{}",
        found.join("\n")
    );
    // The reading sees the imports it must judge: the pipeline's of the writer and of the
    // job, inside a grouped `use`.
    let pipeline = imports(&code(&files["pipeline.rs"]));
    for m in ["write", "job", "source"] {
        assert!(pipeline.iter().any(|(n, _)| n == m), "{m}: {pipeline:?}");
    }
}

#[test]
fn an_import_from_above_is_named_with_its_file() {
    let order: Vec<String> = ["document", "read", "extract"].map(String::from).to_vec();
    let files: BTreeMap<String, String> = [
        (
            "read/text.rs",
            "use crate::{document::Document, extract::{self, x}};\n// crate::pipeline::run\n",
        ),
        (
            "extract/mod.rs",
            "use crate::read;\nfn f() { crate::document::f() }\n",
        ),
        (
            "document.rs",
            "fn f() {}\n\n#[cfg(test)]\nmod tests {\n    use crate::extract;\n}\n",
        ),
        ("gate.rs", "fn f() { $crate::x::y(); }\n"),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    assert_eq!(
        violations(&order, &files),
        [
            "gate.rs: module `gate` is not in lib.rs's layer list",
            "read/text.rs: `read` imports `extract` (crate::extract::{self), which lib.rs lists above it",
        ]
    );
}
