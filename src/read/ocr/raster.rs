//! A scanned page as grey pixels: decoded from the page image, turned straight (a sheet fed
//! askew), drawn small in black and white for the ruling-line finder, cut into the pieces the
//! OCR engine reads, and written as PGM for it.

use crate::read::pdf::lattice::Bitmap;

/// Grey pixels, one byte each (0 black, 255 white), row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub px: Vec<u8>,
}

/// The kind of an image file by its signature: `png`, `jpeg` or `tiff` (either byte order).
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("jpeg")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("tiff")
    } else {
        None
    }
}

/// A box in pixels: columns `x0..x1`, rows `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

impl Area {
    pub fn width(&self) -> usize {
        self.x1.saturating_sub(self.x0)
    }

    pub fn height(&self) -> usize {
        self.y1.saturating_sub(self.y0)
    }
}

/// The most pixels one page may have (an A3 page at 600 dpi is 70 million): a larger image
/// is refused before it is decoded.
pub const MAX_PIXELS: u64 = 80_000_000;

/// Skews tried, in tenths of a degree either way: a sheet fed by hand sits within 3°.
const MAX_SKEW_TENTHS: i32 = 30;
/// A skew under this (degrees) is left alone: it moves a line by less than a pixel in 300.
const MIN_SKEW: f32 = 0.15;

impl Gray {
    /// An all-white image.
    pub fn white(width: usize, height: usize) -> Gray {
        Gray {
            width,
            height,
            px: vec![255; width * height],
        }
    }

    /// Decodes a PNG, JPEG, TIFF (its first page) or PNM image to grey; none if it is not
    /// one, is broken, or is larger than [`MAX_PIXELS`].
    pub fn decode(bytes: &[u8]) -> Option<Gray> {
        // A reader is spent by asking its dimensions: one is opened for that, one to decode.
        let open = || {
            let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
                .with_guessed_format()
                .ok()?;
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(MAX_PIXELS * 4);
            reader.limits(limits);
            Some(reader)
        };
        let (w, h) = open()?.into_dimensions().ok()?;
        if u64::from(w) * u64::from(h) > MAX_PIXELS || w == 0 || h == 0 {
            return None;
        }
        let img = open()?.decode().ok()?.into_luma8();
        Some(Gray {
            width: img.width() as usize,
            height: img.height() as usize,
            px: img.into_raw(),
        })
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        if x >= self.width {
            return 255;
        }
        self.px.get(y * self.width + x).copied().unwrap_or(255)
    }

    /// The image as binary PGM, the form the OCR engine is given on its stdin.
    pub fn pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.px);
        out
    }

    /// The grey level under which a pixel is ink: Otsu's threshold (the split of the
    /// histogram that best separates two classes), kept between 64 and 224 so that a blank
    /// page or a page of solid black does not call paper ink.
    pub fn ink_level(&self) -> u8 {
        let mut hist = [0u64; 256];
        for &p in &self.px {
            if let Some(h) = hist.get_mut(p as usize) {
                *h += 1;
            }
        }
        let total: u64 = hist.iter().sum();
        let sum: f64 = hist
            .iter()
            .enumerate()
            .map(|(i, &n)| i as f64 * n as f64)
            .sum();
        let (mut below, mut below_sum, mut best, mut level) = (0u64, 0f64, -1f64, 128u8);
        for (t, &n) in hist.iter().enumerate() {
            below += n;
            below_sum += t as f64 * n as f64;
            let above = total - below;
            if below == 0 || above == 0 {
                continue;
            }
            let (m0, m1) = (below_sum / below as f64, (sum - below_sum) / above as f64);
            let between = below as f64 * above as f64 * (m0 - m1) * (m0 - m1);
            if between > best {
                best = between;
                level = u8::try_from(t).unwrap_or(128);
            }
        }
        level.clamp(64, 224)
    }

    /// How far the page is turned, in degrees (counter-clockwise positive): the angle at
    /// which the ink, summed along lines of that slope, is most concentrated (text lines and
    /// ruling lines are straight). Read from a copy some 800 pixels high.
    pub fn skew(&self) -> f32 {
        let level = self.ink_level();
        let step = (self.height / 800).max(1);
        let mut points: Vec<(f32, f32)> = Vec::new();
        for y in (0..self.height).step_by(step) {
            for x in (0..self.width).step_by(step) {
                if self.at(x, y) < level {
                    points.push((x as f32, y as f32));
                }
            }
        }
        // Enough points to see lines, few enough to try every angle quickly.
        let keep = (points.len() / 60_000).max(1);
        let points: Vec<(f32, f32)> = points.into_iter().step_by(keep).collect();
        if points.len() < 100 {
            return 0.0;
        }
        let bins = (self.width + self.height) / step + 2;
        let mut best = (0.0f64, 0i32);
        for tenth in -MAX_SKEW_TENTHS..=MAX_SKEW_TENTHS {
            let a = (tenth as f32 / 10.0).to_radians();
            let (sin, cos) = a.sin_cos();
            let mut hist = vec![0u32; bins];
            for &(x, y) in &points {
                let r = (y * cos + x * sin) / step as f32 + (self.width / step) as f32;
                if let Some(h) = hist.get_mut(r.max(0.0) as usize) {
                    *h += 1;
                }
            }
            let score: f64 = hist.iter().map(|&n| f64::from(n) * f64::from(n)).sum();
            // Ties go to the smaller turn.
            if score > best.0 || (score == best.0 && tenth.abs() < best.1.abs()) {
                best = (score, tenth);
            }
        }
        best.1 as f32 / 10.0
    }

    /// The image turned counter-clockwise by `degrees` about its centre (what comes in at
    /// the corners is white), bilinear.
    pub fn rotate(&self, degrees: f32) -> Gray {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = (self.width as f32 / 2.0, self.height as f32 / 2.0);
        let mut out = Gray::white(self.width, self.height);
        for y in 0..self.height {
            let dy = y as f32 - cy;
            for x in 0..self.width {
                let dx = x as f32 - cx;
                let sx = cx + dx * cos - dy * sin;
                let sy = cy + dx * sin + dy * cos;
                if sx < 0.0 || sy < 0.0 {
                    continue;
                }
                let (x0, y0) = (sx as usize, sy as usize);
                if x0 + 1 >= self.width || y0 + 1 >= self.height {
                    continue;
                }
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let p = |x: usize, y: usize| f32::from(self.at(x, y));
                let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
                let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
                if let Some(o) = out.px.get_mut(y * self.width + x) {
                    *o = (top * (1.0 - fy) + bottom * fy).round() as u8;
                }
            }
        }
        out
    }

    /// The image turned straight when it is turned by more than a hair; and the turn
    /// undone, in degrees.
    pub fn straightened(self) -> (Gray, f32) {
        let skew = self.skew();
        if skew.abs() < MIN_SKEW {
            return (self, 0.0);
        }
        (self.rotate(-skew), skew)
    }

    /// The page drawn in black and white at most `long_side` pixels on its long side, for the
    /// ruling-line finder: a pixel of the drawing stands for a square of the image and is
    /// ink when a line's worth of its pixels (the square's side) are darker than 80% white
    /// (as on a born-digital page's drawing: a hairline rule scans light grey), so a rule
    /// one pixel thin survives and specks of dust do not.
    pub fn drawing(&self, long_side: usize) -> Option<Bitmap> {
        let f = self
            .width
            .max(self.height)
            .div_ceil(long_side.max(1))
            .max(1);
        let (w, h) = (self.width / f, self.height / f);
        let level = 204;
        let mut count = vec![0u32; w * h];
        for y in 0..h * f {
            let row = y / f * w;
            for x in 0..w * f {
                if self.at(x, y) < level {
                    if let Some(c) = count.get_mut(row + x / f) {
                        *c += 1;
                    }
                }
            }
        }
        let ink = count.iter().map(|&c| c as usize >= f).collect();
        Bitmap::from_ink(w, h, ink)
    }

    /// The pixels of `area` (clipped to the image).
    pub fn crop(&self, area: Area) -> Gray {
        let (x1, y1) = (area.x1.min(self.width), area.y1.min(self.height));
        let (x0, y0) = (area.x0.min(x1), area.y0.min(y1));
        let (w, h) = (x1 - x0, y1 - y0);
        let mut px = Vec::with_capacity(w * h);
        for y in y0..y1 {
            let start = y * self.width + x0;
            px.extend_from_slice(self.px.get(start..start + w).unwrap_or_default());
        }
        if px.len() != w * h {
            return Gray::white(w, h);
        }
        Gray {
            width: w,
            height: h,
            px,
        }
    }

    /// Paints `area` white.
    pub fn blank(&mut self, area: Area) {
        for y in area.y0..area.y1.min(self.height) {
            let start = y * self.width + area.x0.min(self.width);
            let end = y * self.width + area.x1.min(self.width);
            if let Some(row) = self.px.get_mut(start..end) {
                row.fill(255);
            }
        }
    }

    /// Copies `other` in with its top left corner at (`x`, `y`), clipped.
    pub fn paste(&mut self, other: &Gray, x: usize, y: usize) {
        for row in 0..other.height {
            let (ty, sx) = (y + row, row * other.width);
            if ty >= self.height || x >= self.width {
                break;
            }
            let w = other.width.min(self.width - x);
            let start = ty * self.width + x;
            if let (Some(dst), Some(src)) =
                (self.px.get_mut(start..start + w), other.px.get(sx..sx + w))
            {
                dst.copy_from_slice(src);
            }
        }
    }

    /// The rows and columns that are mostly ink (three quarters or more of their pixels),
    /// painted white: what is left of a ruling line at the edge of a cell cut out. No
    /// stroke of writing spans a whole cell.
    pub fn without_rules(mut self) -> Gray {
        // As light as the drawing's ink: a hairline rule scans light grey.
        let level = 204;
        let (w, h) = (self.width, self.height);
        let ink = |g: &Gray, x: usize, y: usize| g.at(x, y) < level;
        let rows: Vec<usize> = (0..h)
            .filter(|&y| (0..w).filter(|&x| ink(&self, x, y)).count() * 4 >= w * 3)
            .collect();
        let cols: Vec<usize> = (0..w)
            .filter(|&x| (0..h).filter(|&y| ink(&self, x, y)).count() * 4 >= h * 3)
            .collect();
        for y in rows {
            self.blank(Area {
                x0: 0,
                y0: y,
                x1: w,
                y1: y + 1,
            });
        }
        for x in cols {
            for y in 0..h {
                if let Some(p) = self.px.get_mut(y * w + x) {
                    *p = 255;
                }
            }
        }
        self
    }

    /// The box around the ink (pixels darker than mid grey), `margin` wider on each side
    /// within the image; none when there are fewer than `min_ink` such pixels.
    pub fn inked(&self, min_ink: usize, margin: usize) -> Option<Area> {
        let (mut x0, mut y0, mut x1, mut y1, mut n) = (usize::MAX, usize::MAX, 0, 0, 0);
        for y in 0..self.height {
            for x in 0..self.width {
                if self.at(x, y) < 128 {
                    n += 1;
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
        }
        (n >= min_ink).then(|| Area {
            x0: x0.saturating_sub(margin),
            y0: y0.saturating_sub(margin),
            x1: (x1 + margin).min(self.width),
            y1: (y1 + margin).min(self.height),
        })
    }

    /// How many pixels are darker than mid grey (ink whatever the page's contrast; the
    /// noise of a scanner is far lighter).
    pub fn ink(&self) -> usize {
        self.px.iter().filter(|&&p| p < 128).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page with ruled rows (a table's horizontal rules), 600 × 400.
    fn ruled() -> Gray {
        let mut g = Gray::white(600, 400);
        for y in [100usize, 150, 200, 250, 300] {
            for x in 50..550 {
                for t in 0..2 {
                    g.px[(y + t) * 600 + x] = 0;
                }
            }
        }
        g
    }

    #[test]
    fn a_turned_page_is_found_turned_and_turned_back() {
        let page = ruled();
        assert_eq!(page.skew(), 0.0);
        let turned = page.rotate(1.0);
        let skew = turned.skew();
        assert!((skew - 1.0).abs() <= 0.15, "{skew}");
        let (straight, undone) = turned.straightened();
        assert!((undone - 1.0).abs() <= 0.15);
        assert!(straight.skew().abs() <= 0.1);
        // The rule's row is ink from end to end again.
        let row = (60..540).filter(|&x| straight.at(x, 101) < 128).count();
        assert!(row > 470, "{row}");
    }

    #[test]
    fn the_drawing_keeps_thin_rules_and_drops_specks() {
        let mut page = ruled();
        page.px[20 * 600 + 20] = 0;
        let d = page.drawing(120).unwrap();
        assert_eq!(d.width(), 120);
        let pgm = page.pgm();
        assert!(pgm.starts_with(b"P5\n600 400\n255\n"));
        assert_eq!(Gray::decode(&pgm).as_ref(), Some(&page));
        assert_eq!(Gray::decode(b"not an image"), None);
    }

    #[test]
    fn rules_at_the_edge_of_a_cut_are_painted_out() {
        let page = ruled();
        let cut = page.crop(Area {
            x0: 100,
            y0: 90,
            x1: 300,
            y1: 140,
        });
        assert_eq!((cut.width, cut.height), (200, 50));
        assert!(cut.ink() > 0);
        assert_eq!(cut.without_rules().ink(), 0);
        let mut canvas = Gray::white(10, 10);
        canvas.paste(
            &page.crop(Area {
                x0: 50,
                y0: 100,
                x1: 70,
                y1: 102,
            }),
            5,
            5,
        );
        assert_eq!(canvas.px[5 * 10 + 5], 0);
        assert_eq!(canvas.px[5 * 10 + 4], 255);
    }
}
