#!/usr/bin/env python3
"""LibreOffice (headless) converts each year's jixiao-<year>.xlsx to CSV, one file a sheet, and
every value equals the year's CSV: the same text, or the same number (a spreadsheet may write
1650.00 for 1650); each header is the column's Chinese title (datapackage.json's `title`). Needs `soffice` (Debian: libreoffice-calc-nogui).

    xlsx_libreoffice.py DATASET_DIR

The last line is the summary: `libreoffice: W workbooks, C cells equal, D differ`."""
import csv, glob, json, os, subprocess, sys, tempfile

SHEETS = {"reports.csv": "报告", "amounts.csv": "金额", "indicators.csv": "指标",
          "checks.csv": "核查", "coverage.csv": "覆盖"}
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def main():
    out = sys.argv[1]
    books = equal = differ = 0
    for year_dir in sorted(glob.glob(os.path.join(out, "*", ""))):
        year = os.path.basename(os.path.dirname(year_dir))
        book = os.path.join(year_dir, f"jixiao-{year}.xlsx")
        if not os.path.exists(book):
            continue
        books += 1
        with tempfile.TemporaryDirectory() as tmp:
            package = json.load(open(os.path.join(year_dir, "datapackage.json"), encoding="utf-8"))
            titles = {(r["path"], f["name"]): f["title"]
                      for r in package["resources"] for f in r["schema"]["fields"]}
            subprocess.run(["soffice", "--headless", "--convert-to", FILTER, "--outdir", tmp, book],
                           check=True, capture_output=True, timeout=300)
            for name, sheet in SHEETS.items():
                want = list(csv.reader(open(os.path.join(year_dir, name), encoding="utf-8-sig", newline="")))
                path = os.path.join(tmp, f"jixiao-{year}-{sheet}.csv")
                if not os.path.exists(path):
                    if len(want) > 1:
                        differ += 1
                        print(f"{book}: no sheet {sheet}")
                    continue
                got = list(csv.reader(open(path, encoding="utf-8", newline="")))
                for r, row in enumerate(want):
                    for c, text in enumerate(row):
                        value = got[r][c] if r < len(got) and c < len(got[r]) else None
                        expected = titles.get((name, text)) if r == 0 else text
                        if value is not None and expected is not None and same(expected, value):
                            equal += 1
                        else:
                            differ += 1
                            if differ <= 10:
                                print(f"{book} {sheet} r{r + 1}c{c + 1}: csv {text!r}, libreoffice {value!r}")
    print(f"libreoffice: {books} workbooks, {equal} cells equal, {differ} differ")


if __name__ == "__main__":
    main()
