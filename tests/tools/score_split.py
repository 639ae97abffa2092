#!/usr/bin/env python3
"""Score an output folder against subsets of a gold folder: by report kind (整体 / 项目, from
each gold file) and by layout (the `layout` column of SOURCES.tsv beside the corpus), so a
rule that helps one kind or layout and hurts another shows.

    score_split.py OUT_DIR GOLD_DIR SOURCES_TSV [--core]

Prints one score.py summary line per subset."""
import csv, json, os, shutil, subprocess, sys, tempfile
from collections import defaultdict


def main():
    out, gold, sources = sys.argv[1:4]
    extra = [a for a in sys.argv[4:] if a == "--core"]
    layout = {}
    with open(sources, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            layout[row["id"]] = row.get("layout", "")
    groups = defaultdict(list)
    for name in sorted(os.listdir(gold)):
        if not name.endswith(".json"):
            continue
        g = json.load(open(os.path.join(gold, name), encoding="utf-8"))
        fields = g.get("fields", g.get("report", {}))
        stem = name[:-5]
        groups["kind " + (fields.get("report_kind") or "?")].append(name)
        groups["layout " + (layout.get(stem) or "?")].append(name)
    here = os.path.dirname(os.path.abspath(__file__))
    for key in sorted(groups):
        with tempfile.TemporaryDirectory() as d:
            for name in groups[key]:
                shutil.copy(os.path.join(gold, name), d)
            p = subprocess.run([sys.executable, os.path.join(here, "score.py"), out, d] + extra,
                               capture_output=True, text=True)
            last = (p.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"{key:<16} ({len(groups[key]):2d} documents): {last}")


if __name__ == "__main__":
    main()
