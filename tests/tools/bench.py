#!/usr/bin/env python3
"""`make bench`: generate (once, cached) 1,000 and 10,000 synthetic reports, run `jixiao
extract` over each and print docs/s, MB/s and peak RSS, then the second (cached) run; the scanner's MB/s; the floor of just
inflating and tokenizing the .docx XML; and python-docx + regexes (tests/tools/py_baseline.py)
on the same 1,000 .docx files, measured in the same run. Reports; never fails on speed."""
import os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "jixiao")
GEN = os.path.join(ROOT, "target", "release", "examples", "gen_corpus")
BENCH = os.path.join(ROOT, "target", "release", "examples", "bench")
CACHE = os.path.join(ROOT, "target", "bench-corpus")


def corpus(n):
    d = os.path.join(CACHE, f"gen-{n}")
    if not os.path.exists(os.path.join(d, "gold")):
        subprocess.run([GEN, "--n", str(n), "--out", d], check=True)
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


def main():
    print(subprocess.run([BENCH, "scanner"], capture_output=True, text=True, cwd=ROOT).stdout.strip())
    for n in (1000, 10000):
        d = corpus(n)
        files, total = size(d)
        out = os.path.join(CACHE, f"out-{n}")
        wall, rss, p = timed([BIN, "extract", d, "-o", out, "--quiet"])
        print(f"extract {files} docs ({total / 1e6:.1f} MB): {wall:.2f} s, {files / wall:.0f} docs/s, "
              f"{total / 1e6 / wall:.1f} MB/s, peak RSS {rss} MB, exit {p.returncode}")
        w2, rss2, p2 = timed([BIN, "extract", d, "-o", out, "--quiet"])
        cache = os.path.getsize(os.path.join(out, ".jixiao-cache.jsonl"))
        print(f"  second run, nothing changed: {w2:.2f} s ({wall / w2:.0f}x faster), peak RSS {rss2} MB; "
              f"cache {cache / 1e6:.1f} MB = {cache / files * 1000 / 1e6:.2f} MB per 1,000 documents")
        if n == 1000:
            docx = sum(1 for f in os.listdir(d) if f.endswith(".docx"))
            floor = subprocess.run([BENCH, "floor", d], capture_output=True, text=True).stdout.strip()
            print(f"  {floor}")
            onlydocx = os.path.join(CACHE, "docx-only-1000")
            if not os.path.exists(onlydocx):
                os.makedirs(onlydocx)
                for f in os.listdir(d):
                    if f.endswith(".docx"):
                        os.link(os.path.join(d, f), os.path.join(onlydocx, f))
            w1, _, p1 = timed([BIN, "extract", onlydocx, "-o", out + "-docx", "--quiet"])
            print(f"  jixiao on the {docx} .docx alone: {w1:.2f} s, {docx / w1:.0f} docs/s")
            try:
                import docx as _  # noqa: F401
                w2, rss2, p2 = timed([sys.executable, os.path.join(ROOT, "tests", "tools", "py_baseline.py"), onlydocx])
                print(f"  python-docx baseline on the same files: {w2:.2f} s, {docx / w2:.0f} docs/s, peak RSS {rss2} MB"
                      f" -> jixiao is {w2 / w1:.0f}x faster")
            except ImportError:
                print("  python-docx not installed (pip install python-docx): baseline skipped")
            score = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "score.py"), out,
                                    os.path.join(d, "gold")], capture_output=True, text=True).stdout.strip().splitlines()
            print(f"  accuracy on the generator's gold: {score[-1] if score else '?'}")


if __name__ == "__main__":
    main()
