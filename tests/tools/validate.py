#!/usr/bin/env python3
"""Validate a jixiao dataset with real readers: `frictionless validate` on every year's
datapackage.json (primary and foreign keys included) and on the run's at the top (errors.csv,
skipped.csv), and pandas.read_csv of every CSV with the types the package declares.

    validate.py OUT_DIR

Exits non-zero on the first problem; the last line says how many resources were checked."""
import glob, json, os, sys

import pandas as pd
from frictionless import validate

PANDAS = {"integer": "Int64", "number": "float64", "string": "string"}


def main():
    out = sys.argv[1]
    packages = sorted(glob.glob(os.path.join(out, "*", "datapackage.json")))
    if not packages:
        sys.exit(f"validate: no datapackage.json under {out}")
    # The run's own tables (errors.csv, skipped.csv) are described at the top.
    run = os.path.join(out, "datapackage.json")
    if not os.path.exists(run):
        sys.exit(f"validate: no datapackage.json at the top of {out} (errors.csv, skipped.csv)")
    packages.append(run)
    checked = 0
    for dp in packages:
        report = validate(dp)
        if not report.valid:
            print(report.to_summary())
            sys.exit(f"validate: {dp} is not valid")
        desc = json.load(open(dp, encoding="utf-8"))
        for res in desc["resources"]:
            fields = res["schema"]["fields"]
            dtypes = {f["name"]: PANDAS[f["type"]] for f in fields if f["type"] in PANDAS}
            dates = [f["name"] for f in fields if f["type"] == "date"]
            path = os.path.join(os.path.dirname(dp), res["path"])
            df = pd.read_csv(path, encoding="utf-8-sig", dtype=dtypes, parse_dates=dates, keep_default_na=False, na_values=[""])
            if list(df.columns) != [f["name"] for f in fields]:
                sys.exit(f"validate: {path} columns {list(df.columns)} differ from its schema")
            for d in dates:
                if not pd.api.types.is_datetime64_any_dtype(df[d]) and df[d].notna().any():
                    sys.exit(f"validate: {path} column {d} did not parse as dates")
            checked += 1
    print(f"validate: {len(packages)} packages, {checked} resources valid (frictionless + pandas types)")


if __name__ == "__main__":
    main()
