#!/usr/bin/env python3
"""Every cell of each year's jixiao-<year>.xlsx equals its CSV's, typed: numbers as numbers,
dates as dates, text as the same text (never a formula); empty CSV cells are empty cells.

    xlsx_check.py DATASET_DIR

The last line is the summary: `xlsx: W workbooks, C cells equal, D differ`."""
import csv, datetime, glob, os, sys

import openpyxl

SHEETS = {"reports.csv": "报告", "amounts.csv": "金额", "indicators.csv": "指标",
          "checks.csv": "核查", "coverage.csv": "覆盖"}


def same(text, cell):
    v = cell.value
    if text == "":
        return v is None
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        try:
            return float(text) == float(v)
        except ValueError:
            return False
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d") == text
    return cell.data_type == "s" and v == text


def main():
    out = sys.argv[1]
    books = equal = differ = 0
    for year_dir in sorted(glob.glob(os.path.join(out, "*", ""))):
        year = os.path.basename(os.path.dirname(year_dir))
        path = os.path.join(year_dir, f"jixiao-{year}.xlsx")
        if not os.path.exists(path):
            continue
        books += 1
        wb = openpyxl.load_workbook(path)
        for name, sheet in SHEETS.items():
            rows = list(csv.reader(open(os.path.join(year_dir, name), encoding="utf-8-sig", newline="")))
            if len(rows) <= 1 and sheet not in wb.sheetnames:
                continue
            ws = wb[sheet]
            got = list(ws.iter_rows())
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = got[r][c] if r < len(got) and c < len(got[r]) else None
                    ok = cell is not None and (same(text, cell) if r else cell.value == text)
                    if ok:
                        equal += 1
                    else:
                        differ += 1
                        if differ <= 10:
                            print(f"{path} {sheet} r{r + 1}c{c + 1}: csv {text!r}, xlsx "
                                  f"{None if cell is None else cell.value!r}")
        if "字段说明" not in wb.sheetnames or wb["字段说明"].max_row < 50:
            differ += 1
            print(f"{path}: no 字段说明 sheet of every column")
    print(f"xlsx: {books} workbooks, {equal} cells equal, {differ} differ")


if __name__ == "__main__":
    main()
