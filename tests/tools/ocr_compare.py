#!/usr/bin/env python3
"""Compare OCR engines on scanned copies of the seed PDFs (docs/research/ocr.md).

    ocr_compare.py ORIGINAL_DIR SCANNED_DIR PAGE... [--engines tesseract,rapidocr]

PAGE is NAME:N (page N of ORIGINAL_DIR/NAME.pdf and of its scanned copy in SCANNED_DIR, made
by tests/tools/scan_pdfs.py). The reference is the original's text layer (pdftotext). For
each engine and setting it prints characters right (matched characters over the reference's,
spaces dropped), numbers right (the reference's numbers found exactly in the OCR text, as a
multiset), numbers invented (OCR numbers not in the reference) and seconds per page.
rapidocr is run only where `rapidocr_onnxruntime` imports (pip install rapidocr-onnxruntime)."""
import argparse, collections, difflib, os, re, subprocess, sys, tempfile, time

NUM = re.compile(r"\d+(?:\.\d+)?")


def squeeze(s):
    return re.sub(r"\s+", "", s)


def reference(pdf, page):
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    return squeeze(out)


def draw(pdf, page, dpi, tmp):
    root = os.path.join(tmp, f"d{dpi}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page),
                    "-l", str(page), pdf, root], check=True)
    return root + ".png"


def tesseract(png, psm):
    out = subprocess.run(["tesseract", png, "-", "-l", "chi_sim", "--psm", str(psm), "tsv"],
                         capture_output=True, text=True, check=True).stdout
    lines = collections.defaultdict(list)
    for row in out.splitlines()[1:]:
        f = row.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            lines[tuple(f[1:5])].append(f[11])
    return "\n".join("".join(ws) for ws in lines.values())


_rapid = None


def rapidocr(png):
    global _rapid
    if _rapid is None:
        from rapidocr_onnxruntime import RapidOCR
        _rapid = RapidOCR()
    result, _ = _rapid(png)
    return "\n".join(r[1] for r in (result or []))


def score(ref, got):
    got = squeeze(got)
    m = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    chars = sum(b.size for b in m.get_matching_blocks()) / max(len(ref), 1)
    want = collections.Counter(NUM.findall(ref))
    have = collections.Counter(NUM.findall(got))
    right = sum((want & have).values())
    invented = sum((have - want).values())
    return chars, right, sum(want.values()), invented


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("original")
    ap.add_argument("scanned")
    ap.add_argument("pages", nargs="+")
    ap.add_argument("--engines", default="tesseract,rapidocr")
    ap.add_argument("--dpis", default="300,200,150")
    args = ap.parse_args()
    engines = args.engines.split(",")
    settings = []
    for dpi in map(int, args.dpis.split(",")):
        if "tesseract" in engines:
            settings += [(f"tesseract psm3 {dpi}dpi", dpi, lambda p: tesseract(p, 3)),
                         (f"tesseract psm6 {dpi}dpi", dpi, lambda p: tesseract(p, 6))]
        if "rapidocr" in engines:
            settings.append((f"rapidocr {dpi}dpi", dpi, rapidocr))
    totals = collections.defaultdict(lambda: [0.0, 0, 0, 0, 0.0, 0])
    for spec in args.pages:
        name, page = spec.rsplit(":", 1)
        ref = reference(os.path.join(args.original, name + ".pdf"), int(page))
        with tempfile.TemporaryDirectory() as tmp:
            for label, dpi, run in settings:
                png = draw(os.path.join(args.scanned, name + ".pdf"), int(page), dpi, tmp)
                t = time.time()
                got = run(png)
                secs = time.time() - t
                chars, right, want, invented = score(ref, got)
                print(f"{spec}\t{label}\tchars {chars:.3f}\tnumbers {right}/{want}\tinvented {invented}\t{secs:.1f} s",
                      flush=True)
                tot = totals[label]
                tot[0] += chars * len(ref); tot[5] += len(ref)
                tot[1] += right; tot[2] += want; tot[3] += invented; tot[4] += secs
    print("\nsetting\tchars right\tnumbers right\tnumbers invented\ts/page")
    n = len(args.pages)
    for label, (c, right, want, inv, secs, refl) in totals.items():
        print(f"{label}\t{c / max(refl, 1):.3f}\t{right}/{want} ({right / max(want, 1):.3f})\t{inv}\t{secs / n:.1f}")


if __name__ == "__main__":
    main()
