#!/usr/bin/env python3
"""The gate's confusion table: which inputs were kept as reports and which were skipped, and why.

usage: gate_score.py BIN WORKDIR

Extracts each labelled set into WORKDIR/<name> and compares with what each file is:
- reports (every one must be kept): tests/fixtures/real, corpus (the seeds in every format,
  PDF included), tests/fixtures/forms;
- negatives: tests/fixtures/negatives (expected reason in its SOURCES.tsv) and the non-Chinese
  Word files of tests/fixtures/docx-wild and doc-wild (not_a_report).
A file that could not be read (errors.csv) is counted apart: the gate never saw it.
Exit status 1 when a report was skipped or fewer than 98% of the negatives got their reason.
"""

import csv
import os
import subprocess
import sys
from collections import Counter, defaultdict

REPORT_SETS = ["tests/fixtures/real", "corpus", "tests/fixtures/forms"]
NEGATIVE_SETS = ["tests/fixtures/negatives", "tests/fixtures/docx-wild", "tests/fixtures/doc-wild"]
WANTED = (".docx", ".docm", ".doc", ".wps", ".txt", ".html", ".htm", ".shtml", ".xls", ".xlsx",
          ".xlsm", ".xlsb", ".et", ".ods", ".pdf")
COLUMNS = ["kept", "not_a_report", "targets_only", "empty_template", "unreadable"]


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def outcomes(binary, folder, out):
    """Each input's outcome (a COLUMNS entry), by its path below `folder`."""
    subprocess.run([binary, "extract", folder, "-o", out, "--quiet", "--no-xlsx", "--no-cache"],
                   check=False)
    got = {}
    for year in os.listdir(out) if os.path.isdir(out) else []:
        for r in rows(os.path.join(out, year, "reports.csv")):
            got[r["source_path"]] = "kept"
    for r in rows(os.path.join(out, "skipped.csv")):
        got[r["path"]] = r["reason"]
    for r in rows(os.path.join(out, "errors.csv")):
        got[r["path"]] = "unreadable"
    return got


def inputs(folder):
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name.lower().endswith(WANTED) and not name.startswith("~$"):
                yield os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/")


def expected_reasons(folder):
    sources = os.path.join(folder, "SOURCES.tsv")
    if not os.path.exists(sources):
        return defaultdict(lambda: "not_a_report")
    with open(sources, encoding="utf-8", newline="") as f:
        return {r["file"]: r["expected"] for r in csv.DictReader(f, delimiter="\t")}


def main():
    binary, work = sys.argv[1], sys.argv[2]
    table = defaultdict(Counter)
    misses = []
    for folder in REPORT_SETS + NEGATIVE_SETS:
        if not os.path.isdir(folder):
            continue
        got = outcomes(binary, folder, os.path.join(work, folder.replace("/", "_")))
        reasons = expected_reasons(folder) if folder in NEGATIVE_SETS else None
        for path in inputs(folder):
            want = "report" if reasons is None else reasons.get(path, "not_a_report")
            have = got.get(path, "unreadable")
            table[want][have] += 1
            right = have == "kept" if want == "report" else have == want
            if not right and have != "unreadable":
                misses.append((folder, path, want, have))
    print("gate: expected (rows) by outcome (columns); unreadable files never reached the gate")
    print(f"{'':16}" + "".join(f"{c:>16}" for c in COLUMNS))
    for want in ["report", "not_a_report", "targets_only", "empty_template"]:
        print(f"{want:16}" + "".join(f"{table[want][c]:>16}" for c in COLUMNS))
    reports = table["report"]
    kept = reports["kept"]
    read = sum(reports.values()) - reports["unreadable"]
    negatives = [w for w in table if w != "report"]
    right = sum(table[w][w] for w in negatives)
    seen = sum(sum(table[w].values()) - table[w]["unreadable"] for w in negatives)
    print(f"reports kept: {kept}/{read} ({100 * kept / max(read, 1):.1f}%)")
    print(f"negatives skipped with the right reason: {right}/{seen} ({100 * right / max(seen, 1):.1f}%)")
    for m in misses:
        print("miss: " + " ".join(m))
    ok = kept == read and right >= 0.98 * seen
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
