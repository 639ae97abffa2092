//! `.txt` reader: decode (BOM, UTF-8, UTF-16 without BOM, else a detected legacy encoding).
//! Where a dump's paragraphs and tables are is the recover stage's to find
//! ([`crate::recover::dump`]).

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{ReadError, Reason};
use crate::limits::Limits;
use crate::read::{Content, Format, Reading};

/// Reads a text file: its decoded text, for the recover stage to lay out.
pub fn read(bytes: &[u8], _limits: &Limits) -> Result<Reading, ReadError> {
    let decoded = decode(bytes)?;
    Ok(Reading {
        format: Format::Txt,
        encoding: decoded.encoding,
        content: Content::Text(decoded.text),
        notes: Vec::new(),
    })
}

/// A decoded text file: its text and the encoding it was in.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes bytes to text, or says why they are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    let (enc, body): (&'static Encoding, &[u8]) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (UTF_8, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (UTF_16LE, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (UTF_16BE, rest)
        } else if std::str::from_utf8(bytes).is_ok() {
            (UTF_8, bytes)
        } else if let Some(enc) = utf16_without_bom(bytes) {
            (enc, bytes)
        } else {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(
                &bytes[..bytes.len().min(64 * 1024)],
                bytes.len() <= 64 * 1024,
            );
            let guess = det.guess(None, false);
            // GBK and GB2312 text decodes identically as GB18030, its superset.
            (
                if guess == encoding_rs::GBK {
                    GB18030
                } else {
                    guess
                },
                bytes,
            )
        };
    let (text, _) = enc.decode_without_bom_handling(body);
    let text = text.into_owned();
    check_readable(&text)?;
    let name = if enc == UTF_8 && bytes.starts_with(b"\xEF\xBB\xBF") {
        "UTF-8 (BOM)"
    } else {
        enc.name()
    };
    Ok(Decoded {
        text,
        encoding: name,
    })
}

/// UTF-16 without a BOM shows a NUL in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd * 3 > pairs && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 3 > pairs && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text that decodes to mostly replacement or control characters is not a report.
pub(crate) fn check_readable(text: &str) -> Result<(), ReadError> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(256 * 1024) {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) {
            bad += 1;
        }
    }
    if total == 0 || text.trim().is_empty() {
        return Err(ReadError::new(
            Reason::Empty,
            "the text holds nothing but white space",
        ));
    }
    if bad * 50 > total {
        return Err(ReadError::new(
            Reason::UnreadableText,
            format!(
                "{bad} of the first {total} characters are control or undecodable bytes: not text"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_legacy_encodings() {
        let s = "部门整体支出绩效自评报告，支出合计3619.44万元。";
        let (gb, _, _) = GB18030.encode(s);
        assert_eq!(decode(&gb).unwrap().text, s);
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap().text, s);
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap().text, s);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).unwrap().encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn random_bytes_are_unreadable() {
        let mut x: u32 = 12345;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert_eq!(
            decode(&bytes).err().map(|e| e.reason),
            Some(Reason::UnreadableText)
        );
    }
}
