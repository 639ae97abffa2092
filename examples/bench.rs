//! Measurements for `make bench` (driven by tests/tools/bench.py), which reports; it never
//! fails a build.
//!
//! - `bench scanner`: the number scanner's MB/s on one core over the seed texts.
//! - `bench floor DIR`: the cost of only inflating every `.docx` main part under DIR and
//!   tokenizing its XML (no document model, no extraction), on all cores: the floor the
//!   whole pipeline is compared with.
//! - `bench stages DIR`: where one core's time goes per document (the floor, reading,
//!   extraction and, within it, the keywords), on files already in memory, with the
//!   segmenter loaded before timing starts; each stage's fastest of five passes.
//! - `bench workbook DIR`: the time to write one year's workbook from the finished CSVs of
//!   the year folder DIR (as the commit writes it), on one core and on all (minimum of 5), so
//!   its cost is measured apart from the run around it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

/// The binary's allocator, so stage timings are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("scanner") => scanner(),
        Some("floor") => floor(Path::new(args.get(2).ok_or("floor DIR")?)),
        Some("stages") => stages(Path::new(args.get(2).ok_or("stages DIR")?)),
        Some("workbook") => workbook(Path::new(args.get(2).ok_or("workbook DIR")?)),
        _ => Err(
            "usage: bench scanner | bench floor DIR | bench stages DIR | bench workbook DIR".into(),
        ),
    }
}

fn scanner() -> Result<(), String> {
    let mut text = String::new();
    for e in std::fs::read_dir("corpus/txt")
        .map_err(|e| e.to_string())?
        .flatten()
    {
        text.push_str(&std::fs::read_to_string(e.path()).map_err(|e| e.to_string())?);
    }
    let lines: Vec<&str> = text.lines().collect();
    let started = Instant::now();
    let (mut bytes, mut mentions) = (0usize, 0usize);
    while bytes < 64 << 20 {
        for l in &lines {
            mentions += jixiao::normalize::numbers::scan(l).len();
            bytes += l.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "scanner: {:.1} MB/s on one core ({} MB of report text, {mentions} mentions, {secs:.2} s)",
        bytes as f64 / 1e6 / secs,
        bytes >> 20
    );
    Ok(())
}

fn docx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            docx_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "docx") {
            out.push(p);
        }
    }
}

/// Inflate word/document.xml whole and count its XML events, tokenized in place: nothing else.
fn inflate_and_tokenize(bytes: &[u8]) -> usize {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    let Ok(entry) = zip.by_name("word/document.xml") else {
        return 0;
    };
    let mut xml = Vec::with_capacity(entry.size() as usize);
    if entry.take(1 << 28).read_to_end(&mut xml).is_err() {
        return 0;
    }
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut events = 0;
    while let Ok(ev) = reader.read_event() {
        if matches!(ev, quick_xml::events::Event::Eof) {
            break;
        }
        events += 1;
    }
    events
}

fn floor(dir: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    docx_files(dir, &mut files);
    files.sort();
    let started = Instant::now();
    // Reading the file counts here, as it does for jixiao.
    let events: usize = files
        .par_iter()
        .map(|p| std::fs::read(p).map_or(0, |b| inflate_and_tokenize(&b)))
        .sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "floor: {} .docx inflated and tokenized in {secs:.2} s: {:.0} docs/s ({events} XML events)",
        files.len(),
        files.len() as f64 / secs
    );
    Ok(())
}

/// Passes of `bench stages` and `bench workbook`: each reports its fastest.
const PASSES: usize = 5;

fn stages(dir: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    docx_files(dir, &mut files);
    files.sort();
    let bytes: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let n = bytes.len().max(1) as f64;
    // Load the segmenter before timing (keywords of an empty narrative would skip it).
    let warm = jixiao::recover::dump::parse(&"推进乡村振兴，改善农村人居环境。".repeat(4))
        .map_err(|e| e.to_string())?;
    jixiao::extract::keywords::keywords(&warm, None);
    let ms = |started: Instant| started.elapsed().as_secs_f64() * 1e3 / n;
    // Each stage's time is its fastest pass; the stages take turns within a pass, so a burst
    // of load on a shared machine does not land in one stage's number.
    let (mut floor, mut read, mut keywords, mut extract) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    let mut floor_events = 0;
    let mut docs = Vec::new();
    for _ in 0..PASSES {
        let started = Instant::now();
        floor_events = bytes.iter().map(|b| inflate_and_tokenize(b)).sum();
        floor = floor.min(ms(started));
        docs.clear();
        let started = Instant::now();
        docs = bytes
            .iter()
            .filter_map(|b| jixiao::source::load_bytes(b, "x.docx").ok())
            .map(|l| l.doc)
            .collect();
        read = read.min(ms(started));
        let started = Instant::now();
        for d in &docs {
            jixiao::extract::keywords::keywords(d, None);
        }
        keywords = keywords.min(ms(started));
        let started = Instant::now();
        for d in &docs {
            jixiao::check::apply(jixiao::extract::extract(d, "r", "p"));
        }
        extract = extract.min(ms(started));
    }
    println!(
        "stages on one core, ms per document over {} .docx (fastest of {PASSES} passes): floor \
         (inflate+tokenize) {floor:.3} ({floor_events} events); read {read:.3}; extract \
         {extract:.3} of which keywords {keywords:.3}",
        docs.len()
    );
    Ok(())
}

fn workbook(dir: &Path) -> Result<(), String> {
    use jixiao::write::schema::{COVERAGE, YEAR_TABLES};
    use jixiao::write::workbook::{file_name, write};
    let year = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("workbook DIR: a year folder")?;
    // The year's CSVs in a folder of their own, as the commit finds them in staging.
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    for t in YEAR_TABLES.iter().copied().chain([&COVERAGE]) {
        std::fs::copy(dir.join(t.file), scratch.path().join(t.file)).map_err(|e| e.to_string())?;
    }
    let time = |threads: usize| -> Result<f64, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| e.to_string())?;
        let mut best = f64::MAX;
        for _ in 0..PASSES {
            let started = Instant::now();
            pool.install(|| write(scratch.path(), year, scratch.path()))
                .map_err(|e| e.to_string())?;
            best = best.min(started.elapsed().as_secs_f64());
        }
        Ok(best)
    };
    let (one, all) = (time(1)?, time(0)?);
    let size = std::fs::metadata(scratch.path().join(file_name(year))).map_or(0, |m| m.len());
    println!(
        "workbook of {}: {one:.3} s on one core, {all:.3} s on all (minimum of {PASSES}), {:.1} MB",
        dir.display(),
        size as f64 / 1e6
    );
    Ok(())
}
