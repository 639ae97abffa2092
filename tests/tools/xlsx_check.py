#!/usr/bin/env python3
"""Every cell of each year's jixiao-<year>.xlsx equals its CSV's, typed: numbers as numbers,
dates as dates, text as the same text (never a formula); empty CSV cells are empty cells.
Each data sheet's header row holds the Chinese titles that 字段说明 maps to the CSV's column
names; money shows thousands separators; text columns (division_code among them) carry
Excel's ignored-error mark for numbers stored as text; every sheet prints landscape, one page
wide, with its header row repeated.

    xlsx_check.py DATASET_DIR

The last line is the summary: `xlsx: W workbooks, C cells equal, D differ`."""
import csv, datetime, glob, json, os, re, sys, zipfile

import openpyxl
from openpyxl.utils import get_column_letter

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


def layout(path, wb, year_dir):
    """What is wrong with the sheets' print setup, money formats and ignored-error marks."""
    package = json.load(open(os.path.join(year_dir, "datapackage.json"), encoding="utf-8"))
    fields = {r["path"]: r["schema"]["fields"] for r in package["resources"]}
    problems = []
    with zipfile.ZipFile(path) as z:
        for i, name in enumerate(wb.sheetnames, 1):
            ws = wb[name]
            setup = ws.page_setup
            if setup.orientation != "landscape":
                problems.append(f"{name}: not landscape ({setup.orientation})")
            if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage) \
                    or str(setup.fitToWidth or 1) != "1" or str(setup.fitToHeight) != "0":
                problems.append(f"{name}: not fit to one page wide")
            if (ws.print_title_rows or "").replace("$", "") != "1:1":
                problems.append(f"{name}: header row not repeated ({ws.print_title_rows!r})")
            csv_name = next((f for f, s in SHEETS.items() if s == name), None)
            if csv_name is None:
                continue
            xml = z.read(f"xl/worksheets/sheet{i}.xml").decode("utf-8")
            marked = " ".join(re.findall(r'<ignoredError sqref="([^"]*)" numberStoredAsText="1"', xml))
            for c, f in enumerate(fields[csv_name], 1):
                letter = get_column_letter(c)
                if f["type"] == "string" and not re.search(rf"(^| ){letter}2(:{letter}\d+)?( |$)", marked):
                    problems.append(f"{name}: {f['name']} not marked as text on purpose ({marked!r})")
                if f.get("unit") == "万元":
                    for cell in ws[letter][1:]:
                        if isinstance(cell.value, (int, float)) and cell.number_format != "#,##0.00":
                            problems.append(f"{name}: {f['name']} {cell.coordinate} shown as "
                                            f"{cell.number_format!r}")
                            break
    return problems


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
        problems = layout(path, wb, year_dir)
        for p in problems[:10]:
            print(f"{path}: {p}")
        differ += len(problems)
        titles = {(r[0], r[2]): r[1] for r in wb["字段说明"].iter_rows(min_row=2, values_only=True)} \
            if "字段说明" in wb.sheetnames else {}
        for name, sheet in SHEETS.items():
            rows = list(csv.reader(open(os.path.join(year_dir, name), encoding="utf-8-sig", newline="")))
            if len(rows) <= 1 and sheet not in wb.sheetnames:
                continue
            ws = wb[sheet]
            got = list(ws.iter_rows())
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = got[r][c] if r < len(got) and c < len(got[r]) else None
                    ok = cell is not None and (same(text, cell) if r else
                                               cell.value == titles.get((sheet, text)))
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
