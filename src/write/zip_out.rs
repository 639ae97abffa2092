//! The workbook's zip container, written here because its sheets arrive already deflated
//! (chunk by chunk, on every core: [`crate::write::sheet_rows`]) and the zip crate only
//! writes what it compresses itself. Local headers, one central directory, no zip64: a part
//! past 4 GiB is refused, as rust_xlsxwriter refuses it without its large-file option.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Context, Result, RunError};

/// What an entry carries over from the skeleton's: its time, permissions and method.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    time: u16,
    date: u16,
    /// Unix mode in the high half of the external attributes.
    external: u32,
    method: u16,
}

impl Meta {
    pub fn of<R: std::io::Read>(entry: &zip::read::ZipFile<'_, R>) -> Meta {
        let (date, time) = entry
            .last_modified()
            .map_or((0x21, 0), |t| (t.datepart(), t.timepart()));
        Meta {
            time,
            date,
            external: entry.unix_mode().map_or(0, |m| m << 16),
            method: match entry.compression() {
                zip::CompressionMethod::Stored => 0,
                _ => 8,
            },
        }
    }
}

/// One entry of the central directory.
struct Central {
    name: String,
    meta: Meta,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// A zip being written entry by entry.
pub struct ZipOut {
    out: BufWriter<File>,
    at: u64,
    entries: Vec<Central>,
}

fn small(n: u64, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|_| {
        RunError::Invalid(format!("{what} is past the 4 GiB a workbook part may hold"))
    })
}

impl ZipOut {
    pub fn create(path: &Path) -> Result<ZipOut> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        Ok(ZipOut {
            out: BufWriter::with_capacity(1 << 20, file),
            at: 0,
            entries: Vec::new(),
        })
    }

    /// An entry copied as it was compressed: `data` raw, with its CRC and size.
    pub fn raw_with(
        &mut self,
        name: &str,
        meta: &Meta,
        crc: u32,
        size: u64,
        data: &[&[u8]],
    ) -> Result<()> {
        let compressed: u64 = data.iter().map(|d| d.len() as u64).sum();
        let entry = Central {
            name: name.to_string(),
            meta: *meta,
            crc,
            compressed: small(compressed, name)?,
            size: small(size, name)?,
            offset: small(self.at, "the workbook")?,
        };
        let mut head = Vec::with_capacity(30 + name.len());
        head.extend(0x0403_4b50u32.to_le_bytes());
        head.extend(20u16.to_le_bytes());
        head.extend(0u16.to_le_bytes());
        head.extend(entry.meta.method.to_le_bytes());
        head.extend(entry.meta.time.to_le_bytes());
        head.extend(entry.meta.date.to_le_bytes());
        head.extend(crc.to_le_bytes());
        head.extend(entry.compressed.to_le_bytes());
        head.extend(entry.size.to_le_bytes());
        head.extend((name.len() as u16).to_le_bytes());
        head.extend(0u16.to_le_bytes());
        head.extend(name.as_bytes());
        self.out.write_all(&head)?;
        for d in data {
            self.out.write_all(d)?;
        }
        self.at += head.len() as u64 + compressed;
        self.entries.push(entry);
        Ok(())
    }

    /// An entry copied from another zip as it stands (its raw bytes; CRC and size read from
    /// it by the caller through `entry`).
    pub fn raw(&mut self, name: &str, meta: &Meta, crc: u32, size: u64, raw: &[u8]) -> Result<()> {
        self.raw_with(name, meta, crc, size, &[raw])
    }

    /// An entry whose deflate stream comes in parts, each with the CRC and length of what
    /// it inflates to (the last part closes the stream).
    pub fn deflated(
        &mut self,
        name: &str,
        meta: &Meta,
        parts: Vec<(Vec<u8>, crc32fast::Hasher, u64)>,
    ) -> Result<()> {
        let mut crc = crc32fast::Hasher::new();
        let mut size = 0u64;
        for (_, h, n) in &parts {
            crc.combine(h);
            size += n;
        }
        let data: Vec<&[u8]> = parts.iter().map(|(d, _, _)| d.as_slice()).collect();
        let meta = Meta { method: 8, ..*meta };
        self.raw_with(name, &meta, crc.finalize(), size, &data)
    }

    /// Writes the central directory and flushes the file to disk.
    pub fn finish(mut self) -> Result<()> {
        let start = self.at;
        let mut dir = Vec::new();
        for e in &self.entries {
            dir.extend(0x0201_4b50u32.to_le_bytes());
            dir.extend(((3u16 << 8) | 20).to_le_bytes());
            dir.extend(20u16.to_le_bytes());
            dir.extend(0u16.to_le_bytes());
            dir.extend(e.meta.method.to_le_bytes());
            dir.extend(e.meta.time.to_le_bytes());
            dir.extend(e.meta.date.to_le_bytes());
            dir.extend(e.crc.to_le_bytes());
            dir.extend(e.compressed.to_le_bytes());
            dir.extend(e.size.to_le_bytes());
            dir.extend((e.name.len() as u16).to_le_bytes());
            dir.extend([0u8; 8]);
            dir.extend(e.meta.external.to_le_bytes());
            dir.extend(e.offset.to_le_bytes());
            dir.extend(e.name.as_bytes());
        }
        let count = u16::try_from(self.entries.len())
            .map_err(|_| RunError::Invalid("a workbook with too many parts".into()))?;
        let mut end = Vec::with_capacity(22);
        end.extend(0x0605_4b50u32.to_le_bytes());
        end.extend([0u8; 4]);
        end.extend(count.to_le_bytes());
        end.extend(count.to_le_bytes());
        end.extend(small(dir.len() as u64, "the zip directory")?.to_le_bytes());
        end.extend(small(start, "the workbook")?.to_le_bytes());
        end.extend(0u16.to_le_bytes());
        self.out.write_all(&dir)?;
        self.out.write_all(&end)?;
        let file = self.out.into_inner()?;
        file.sync_all()?;
        Ok(())
    }
}
