#!/usr/bin/env python3
"""`make bench`: generate (once, cached by the generator's source) 1,000 and 10,000 synthetic
Word-style reports of the seeds' size, run `jixiao extract` over each and print docs/s, MB/s and
peak RSS, then the second (cached) run; fresh and unchanged runs with and without workbooks,
taken in turn, on the 10,000 generated reports and on 10,000 copies of the Word-style seeds; the scanner's MB/s; the floor of only inflating and
tokenizing the same .docx; python-docx + regexes (tests/tools/py_baseline.py) on the same 1,000
.docx files, measured in the same run; one small file end to end; the Word-style seeds
themselves; accuracy on the generator's gold. Reports; never fails on speed."""
import hashlib, os, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "jixiao")
GEN = os.path.join(ROOT, "target", "release", "examples", "gen_corpus")
BENCH = os.path.join(ROOT, "target", "release", "examples", "bench")
CACHE = os.path.join(ROOT, "target", "bench-corpus")
# A corpus is regenerated when the generator changes.
GEN_VERSION = hashlib.sha256(open(os.path.join(ROOT, "examples", "gen_corpus.rs"), "rb").read()).hexdigest()[:8]


def corpus(n):
    d = os.path.join(CACHE, f"gen-{n}-{GEN_VERSION}")
    if not os.path.exists(os.path.join(d, "gold")):
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run([GEN, "--n", str(n), "--out", d], check=True, capture_output=True)
    return d


def linked(name, files):
    """A folder of hard links to `files` (built once)."""
    d = os.path.join(CACHE, name)
    if not os.path.exists(d):
        os.makedirs(d)
        for i, f in enumerate(files):
            os.link(f, os.path.join(d, f"{i:06d}_{os.path.basename(f)}"))
    return d


def size(d):
    total = files = 0
    for f in os.listdir(d):
        p = os.path.join(d, f)
        if os.path.isfile(p):
            total += os.path.getsize(p)
            files += 1
    return files, total


def timed(cmd, **kw):
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    wall = time.time() - t
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, int(m.group(1)) // 1024 if m else -1, p


def floor_docs_per_s(d):
    out = subprocess.run([BENCH, "floor", d], capture_output=True, text=True).stdout.strip()
    m = re.search(r": ([0-9]+) docs/s", out)
    return out, float(m.group(1)) if m else 0.0


def extract(d, label, extra=()):
    files, total = size(d)
    out = os.path.join(CACHE, "out-" + os.path.basename(d))
    shutil.rmtree(out, ignore_errors=True)
    wall, rss, p = timed([BIN, "extract", d, "-o", out, "--quiet", *extra])
    print(f"{label}: {files} files ({total / 1e6:.1f} MB): {wall:.2f} s, {files / wall:.0f} docs/s, "
          f"{total / 1e6 / wall:.1f} MB/s, peak RSS {rss} MB, exit {p.returncode}")
    return out, files, wall


def copies(name, files, n):
    """A folder of `n` real copies of `files` in turn (built once): discovery reads a file
    reached twice (a hard link) once, so links would not make a corpus of n documents."""
    d = os.path.join(CACHE, name)
    if not os.path.exists(os.path.join(d, ".complete")):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for i in range(n):
            f = files[i % len(files)]
            shutil.copyfile(f, os.path.join(d, f"{i:06d}_{os.path.basename(f)}"))
        open(os.path.join(d, ".complete"), "w").close()
    return d


def load():
    return os.getloadavg()[0]


def workbook_ab(d, label, rounds=3):
    """Fresh runs (--no-cache) and unchanged reruns, with and without workbooks, taken in
    turn (one shared machine's noise falls on both), the fastest of `rounds` each, with the
    load average beside them: the workbook's cost on a fresh run and on a night when nothing
    changed (where the last run's workbooks are kept)."""
    out = os.path.join(CACHE, "out-ab-" + os.path.basename(d))
    files, _ = size(d)
    runs = {k: [] for k in ("fresh", "fresh --no-xlsx", "rerun", "rerun --no-xlsx")}
    loads = []
    for _ in range(rounds):
        for flags in ([], ["--no-xlsx"]):
            shutil.rmtree(out, ignore_errors=True)
            suffix = " --no-xlsx" if flags else ""
            loads.append(load())
            runs["fresh" + suffix].append(timed([BIN, "extract", d, "-o", out, "--quiet", "--no-cache", *flags])[0])
            runs["rerun" + suffix].append(timed([BIN, "extract", d, "-o", out, "--quiet", *flags])[0])
    best = {k: min(v) for k, v in runs.items()}
    print(f"{label}: {files} files, fastest of {rounds} taken in turn (load average {min(loads):.1f} to {max(loads):.1f}):")
    print(f"  fresh:  {best['fresh']:.2f} s with workbooks ({files / best['fresh']:.0f} docs/s), "
          f"{best['fresh --no-xlsx']:.2f} s without ({files / best['fresh --no-xlsx']:.0f} docs/s): "
          f"x{best['fresh'] / best['fresh --no-xlsx']:.2f}")
    print(f"  unchanged rerun: {best['rerun']:.2f} s with workbooks, {best['rerun --no-xlsx']:.2f} s without: "
          f"x{best['rerun'] / best['rerun --no-xlsx']:.2f}")
    return out


def main():
    print(subprocess.run([BENCH, "scanner"], capture_output=True, text=True, cwd=ROOT).stdout.strip())
    big = corpus(10000)
    for n in (1000, 10000):
        d = corpus(n)
        out, files, wall = extract(d, f"extract, {n} generated reports (half .docx, half .txt)")
        w2, rss2, _ = timed([BIN, "extract", d, "-o", out, "--quiet"])
        cache = os.path.getsize(os.path.join(out, ".jixiao-cache.jsonl"))
        print(f"  second run, nothing changed: {w2:.2f} s ({wall / w2:.0f}x faster), peak RSS {rss2} MB; "
              f"cache {cache / 1e6:.1f} MB = {cache / files * 1000 / 1e6:.2f} MB per 1,000 documents")
        if n == 1000:
            score = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "score.py"), out,
                                    os.path.join(d, "gold")], capture_output=True, text=True).stdout.strip().splitlines()
            print(f"  accuracy on the generator's gold: {score[-1] if score else '?'}")
    # The workbook's cost (issue 37): on the generated corpus, and on the Word-style seeds,
    # whose reports have many amount and indicator rows.
    workbook_ab(big, "workbooks, 10,000 generated reports")
    seeds = sorted(os.path.join(ROOT, "corpus", "docx-wordlike", f)
                   for f in os.listdir(os.path.join(ROOT, "corpus", "docx-wordlike")))
    out = workbook_ab(copies("wordlike-10000", seeds, 10000), "workbooks, the 5 Word-style seeds x 2,000")
    years = [y for y in os.listdir(out) if os.path.isfile(os.path.join(out, y, "amounts.csv"))]
    biggest = max(years, key=lambda y: os.path.getsize(os.path.join(out, y, "amounts.csv")), default=None)
    if biggest:
        print("  " + subprocess.run([BENCH, "workbook", os.path.join(out, biggest)],
                                    capture_output=True, text=True).stdout.strip())

    docx = sorted(os.path.join(big, f) for f in os.listdir(big) if f.endswith(".docx"))[:1000]
    onlydocx = linked(f"docx-1000-{GEN_VERSION}", docx)
    print("Word-style seed-sized .docx, 1,000 generated files:")
    floor, floor_rate = floor_docs_per_s(onlydocx)
    print(f"  {floor}")
    _, files, w1 = extract(onlydocx, "  jixiao")
    print(f"  jixiao runs at {files / w1 / floor_rate:.2f} of the floor's speed ({floor_rate / (files / w1):.1f}x its time)")
    try:
        import docx as _  # noqa: F401
        w2, rss2, _ = timed([sys.executable, os.path.join(ROOT, "tests", "tools", "py_baseline.py"), onlydocx])
        print(f"  python-docx baseline on the same files: {w2:.2f} s, {files / w2:.0f} docs/s, peak RSS {rss2} MB"
              f" -> jixiao is {w2 / w1:.0f}x faster")
    except ImportError:
        print("  python-docx not installed (pip install python-docx): baseline skipped")

    wordlike = copies("seeds-wordlike-1000", seeds, 1000)
    print("The 5 Word-style seeds, 200 copies each:")
    floor, floor_rate = floor_docs_per_s(wordlike)
    print(f"  {floor}")
    _, files, w1 = extract(wordlike, "  jixiao")
    print(f"  jixiao runs at {files / w1 / floor_rate:.2f} of the floor's speed ({floor_rate / (files / w1):.1f}x its time)")

    # .doc, .xls and .html: jixiao end to end next to a reference reader alone (one process a
    # file, one at a time; the HTML reference is Python's html.parser in one process).
    refs = [("doc", "doc", ["antiword", "-m", "UTF-8.txt"]), ("xls", "xls", ["xls2csv", "-d", "utf-8"]),
            ("html", "html", None)]
    for folder, ext, ref in refs:
        src = os.path.join(ROOT, "corpus", folder)
        files = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith("." + ext))
        many = copies(f"seeds-{folder}-200", files, 200)
        print(f"The seeds as .{ext}, 200 files:")
        _, n, w1 = extract(many, "  jixiao")
        if ref is None:
            import html.parser
            t = time.time()
            for f in sorted(os.listdir(many)):
                p = html.parser.HTMLParser()
                p.feed(open(os.path.join(many, f), "rb").read().decode("utf-8", "replace"))
            w2 = time.time() - t
            print(f"  Python html.parser alone, one file at a time: {w2:.2f} s, {n / w2:.0f} docs/s")
        elif shutil.which(ref[0]):
            t = time.time()
            for f in sorted(os.listdir(many)):
                subprocess.run(ref + [os.path.join(many, f)], capture_output=True)
            w2 = time.time() - t
            print(f"  {ref[0]} alone, one process a file, one at a time: {w2:.2f} s, {n / w2:.0f} docs/s")
        else:
            print(f"  {ref[0]} not installed: reference skipped")

    # PDF: jixiao end to end next to poppler's pdftotext alone, on the seed PDFs x 40.
    if shutil.which("pdftotext"):
        pdfs = sorted(os.path.join(ROOT, "corpus", "pdf", f)
                      for f in os.listdir(os.path.join(ROOT, "corpus", "pdf")))
        many = copies("seeds-pdf-200", pdfs, 200)
        print("The 5 seed PDFs, 40 copies each:")
        _, files, w1 = extract(many, "  jixiao")
        t = time.time()
        for f in sorted(os.listdir(many)):
            subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-q", os.path.join(many, f), "-"],
                           capture_output=True)
        w2 = time.time() - t
        print(f"  pdftotext alone, one process a file, one at a time: {w2:.2f} s, {files / w2:.0f} docs/s "
              f"(jixiao runs it on every core)")
    else:
        print("pdftotext not installed (apt-get install poppler-utils poppler-data): PDF bench skipped")

    # OCR: a scanned form (image-only PDF, 150 dpi) and its PNG, one page each, read by tesseract.
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout \
        if shutil.which("tesseract") else ""
    if "chi_sim" in langs.split():
        scanned = os.path.join(ROOT, "tests", "fixtures", "scanned")
        pages = len(os.listdir(scanned))
        out = os.path.join(CACHE, "out-ocr")
        shutil.rmtree(out, ignore_errors=True)
        w, rss, _ = timed([BIN, "extract", scanned, "-o", out, "--quiet", "--no-cache", "-j", "1"])
        print(f"OCR, {pages} scanned pages one at a time (tesseract chi_sim): {w / pages:.1f} s/page, "
              f"peak RSS {rss} MB")
    else:
        print("tesseract with chi_sim not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim): OCR bench skipped")

    one = os.path.join(CACHE, "out-one")
    shutil.rmtree(one, ignore_errors=True)
    w, rss, _ = timed([BIN, "extract", seeds[0], "-o", one, "--quiet"])
    print(f"one small file ({os.path.basename(seeds[0])}), segmenter load included: {w:.2f} s, peak RSS {rss} MB")


if __name__ == "__main__":
    main()
