//! Memory admission: how much input the workers may hold in flight at once, whatever `-j`.
//!
//! Every document is bounded on its own (file size, inflated part size, blocks and text per
//! document; see [`crate::limits`]), but the bound is per worker: two `.docx` of a 250 MB
//! part each took 1.0 GB alone and 1.7 GB together here (2 workers), and the default `-j`
//! on a 24-core machine multiplies that by twelve. So before a document is read, its worker
//! takes its estimated weight (the bytes its reader will parse: the file, or the sizes its
//! zip declares for its parts) from one budget shared by the run, and gives it back when the
//! document's rows are rendered. Ordinary reports weigh well under a megabyte and never
//! wait; a document heavier than the whole budget waits until it can run alone. The file's
//! size on disk is claimed before it is read (a worker waiting for room holds no bytes), and
//! grown to its zip's inflated size once the directory is read.
//!
//! Not chosen: a child process per document with a heap cap (Tika's ForkParser) would bound
//! calamine and html5ever from outside, but every child would load the rules and the
//! division list again. In process, each reader is bounded before it allocates
//! ([`crate::limits`], the workbook size check, the HTML depth pre-scan) and this budget
//! bounds their sum.

use std::io::Cursor;
use std::sync::{Condvar, Mutex};

/// Input bytes the workers may hold at once: one 250 MB document part, or a thousand
/// ordinary reports.
pub const BUDGET: u64 = 256 << 20;

/// The run's budget of input bytes in flight.
pub struct Admission {
    free: Mutex<u64>,
    freed: Condvar,
    total: u64,
}

/// A weight taken from the budget, given back when dropped.
pub struct Permit<'a> {
    admission: &'a Admission,
    weight: u64,
}

impl Admission {
    pub fn new(total: u64) -> Self {
        Admission {
            free: Mutex::new(total),
            freed: Condvar::new(),
            total,
        }
    }

    /// Waits until `weight` (at most the whole budget) is free, and takes it.
    pub fn admit(&self, weight: u64) -> Permit<'_> {
        let weight = weight.min(self.total);
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free < weight {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= weight;
        Permit {
            admission: self,
            weight,
        }
    }
}

impl<'a> Permit<'a> {
    /// This permit grown to `weight` when that is more than it holds. What it holds is
    /// given back first and the whole taken again: a worker never waits while holding part
    /// of the budget, so two workers cannot wait on each other for good.
    pub fn grow(self, weight: u64) -> Permit<'a> {
        if weight <= self.weight {
            return self;
        }
        let admission = self.admission;
        drop(self);
        admission.admit(weight)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self
            .admission
            .free
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *free += self.weight;
        self.admission.freed.notify_all();
    }
}

/// What reading `bytes` will parse: a zip's parts at the sizes its directory declares (each
/// at most `part_cap`, what the readers inflate), else the bytes themselves. Declared sizes
/// are claims; a zip that understates them is still stopped by the readers' own limits.
pub fn weight(bytes: &[u8], part_cap: u64) -> u64 {
    let len = bytes.len() as u64;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return len;
    };
    let parts: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size().min(part_cap)))
        .fold(0, u64::saturating_add);
    len.max(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_zip_weighs_what_it_inflates_to() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(&vec![b' '; 1 << 20]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 16);
        assert_eq!(weight(&bytes, 1 << 30), 1 << 20);
        assert_eq!(weight(&bytes, 1000), bytes.len().max(1000) as u64);
        assert_eq!(weight(b"plain text", 1000), 10);
    }

    #[test]
    fn a_heavy_document_waits_until_it_fits() {
        let admission = Admission::new(100);
        let first = admission.admit(70);
        let second_in = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                // More than the budget: waits for the whole of it.
                let _p = admission.admit(500);
                second_in.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            assert!(!second_in.load(Ordering::SeqCst));
            // A light one still fits beside the first.
            drop(admission.admit(30));
            drop(first);
        });
        assert!(second_in.load(Ordering::SeqCst));
        assert_eq!(*admission.free.lock().unwrap(), 100);
    }

    #[test]
    fn a_permit_grows_to_its_new_weight_and_gives_it_all_back() {
        let admission = Admission::new(100);
        let small = admission.admit(10);
        let same = small.grow(5);
        assert_eq!(*admission.free.lock().unwrap(), 90);
        let big = same.grow(60);
        assert_eq!(*admission.free.lock().unwrap(), 40);
        drop(big);
        assert_eq!(*admission.free.lock().unwrap(), 100);
    }
}
