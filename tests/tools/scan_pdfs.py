#!/usr/bin/env python3
"""Make scanned copies of PDFs: every page drawn by pdftoppm, then put back into a PDF that
has no text layer (only page images), as a township's scanner would give them.

    scan_pdfs.py OUT_DIR PDF... [--dpi 300] [--noisy] [--jpeg] [--page N] [--png]

Each PDF becomes OUT_DIR/<name>.pdf (its name kept, so tests/tools/score.py scores it
against the same gold). --noisy adds mild grey noise (sigma 12 of 255, seeded, so the
same bytes every time) and turns the page 1 degree, as a sheet fed slightly askew.
--jpeg stores the pages as JPEG (quality 75) instead of lossless PNG.
--page N keeps page N alone; --png writes that page as a PNG image file instead of a PDF. Needs poppler's
pdftoppm and, in python, Pillow, numpy and img2pdf (pip install Pillow numpy img2pdf)."""
import argparse, glob, io, os, random, subprocess, sys, tempfile

import img2pdf
import numpy as np
from PIL import Image


def pages(pdf, dpi, tmp, page=None):
    root = os.path.join(tmp, "p")
    only = ["-f", str(page), "-l", str(page)] if page else []
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png"] + only + [pdf, root], check=True)
    return sorted(glob.glob(root + "-*.png"))


def degrade(img, seed):
    """Mild noise and a 1° turn: what a flatbed scanner of a printed sheet adds."""
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=np.float32)
    a = a + rng.normal(0.0, 12.0, a.shape)
    # A few specks of dust.
    specks = rng.random(a.shape) < 0.0005
    a[specks] = 0.0
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    return img.rotate(1.0, resample=Image.BICUBIC, expand=False, fillcolor=255)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("pdfs", nargs="+")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--noisy", action="store_true")
    ap.add_argument("--jpeg", action="store_true")
    ap.add_argument("--page", type=int)
    ap.add_argument("--png", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for pdf in args.pdfs:
        name = os.path.basename(pdf)
        with tempfile.TemporaryDirectory() as tmp:
            images = []
            for i, path in enumerate(pages(pdf, args.dpi, tmp, args.page)):
                img = Image.open(path).convert("L")
                if args.noisy:
                    img = degrade(img, random.Random(f"{name}:{i}").getrandbits(32))
                buf = io.BytesIO()
                if args.jpeg:
                    img.save(buf, "JPEG", quality=75, dpi=(args.dpi, args.dpi))
                else:
                    img.save(buf, "PNG", dpi=(args.dpi, args.dpi), optimize=True)
                images.append(buf.getvalue())
            if args.png:
                stem = os.path.splitext(name)[0]
                for i, image in enumerate(images):
                    with open(os.path.join(args.out, f"{stem}-{i + 1}.png" if i else f"{stem}.png"), "wb") as f:
                        f.write(image)
                continue
            layout = img2pdf.get_fixed_dpi_layout_fun((args.dpi, args.dpi))
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(img2pdf.convert(images, layout_fun=layout))
        print(f"{name}: {len(images)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
