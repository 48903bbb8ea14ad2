"""Measure the real sample's marginal rates and write training/synthetic/profile.py.

    python -m training.synthetic.measure --sample ../shared/data/homecredit-sample

Only summary statistics leave the sample: per column the missing share, the share of each
category level (levels in the schema but not in the sample get RARE_SHARE), the share of each
value of small integer-like columns, and quantiles at GRID for the others.
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from training.schema import TABLES

GRID = [0, 0.01, 0.05, *np.round(np.arange(0.1, 0.951, 0.05), 2).tolist(), 0.99, 1]
RARE_SHARE = 2e-5
MAX_DISTINCT_VALUES = 30
PROFILE = Path(__file__).with_name("profile.py")
HEADER = '''# ruff: noqa: E501
"""Marginal rates measured on the real Home Credit sample: missing rates, category shares,
value shares of small integer columns and quantiles of the others.

Summary statistics only (no rows): the synthetic generator samples from them. Written by
`python -m training.synthetic.measure`; do not edit by hand.
"""

# fmt: off
'''


def measure_column(values, kind, levels):
    """('category'|'values'|'quantiles', statistics) of one column, missing values dropped."""
    present = values.dropna()
    if kind == "category":
        shares = present.value_counts(normalize=True)
        return "category", {lv: round(float(shares.get(lv, 0.0)), 5) or RARE_SHARE for lv in levels}
    if present.nunique() <= MAX_DISTINCT_VALUES:
        shares = present.value_counts(normalize=True).sort_index()
        return "values", {float(k): round(float(v), 5) for k, v in shares.items()}
    return "quantiles", [float(np.round(v, 6)) for v in present.quantile(GRID).to_numpy()]


def measure(sample_dir):
    """{section: {table: {column: statistics}}} for the 7 real tables."""
    sections = {"missing": {}, "category": {}, "values": {}, "quantiles": {}}
    for table, columns in TABLES.items():
        if table == "application_test":
            continue
        frame = pd.read_csv(Path(sample_dir) / f"{table}.csv")
        for section in sections.values():
            section[table] = {}
        for column, (kind, levels) in columns.items():
            if column.startswith("SK_ID") or column == "TARGET":
                continue
            missing = round(float(frame[column].isna().mean()), 4)
            if missing > 0:
                sections["missing"][table][column] = missing
            section, statistics = measure_column(frame[column], kind, levels)
            sections[section][table][column] = statistics
    return sections


def render(sections):
    """The text of profile.py."""
    names = {"missing": "MISSING_RATES", "category": "CATEGORY_SHARES"}
    names |= {"values": "VALUE_SHARES", "quantiles": "QUANTILES"}
    lines = [HEADER, f"GRID = {GRID}\n"]
    for section, tables in sections.items():
        lines.append(f"\n{names[section]} = {{\n")
        for table, columns in tables.items():
            lines.append(f"    {table!r}: {{\n")
            lines += [f"        {column!r}: {value!r},\n" for column, value in columns.items()]
            lines.append("    },\n")
        lines.append("}\n")
    lines.append("# fmt: on\n")
    return "".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m training.synthetic.measure", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sample", required=True, type=Path, help="folder of the real CSV files")
    args = parser.parse_args(argv)
    if not args.sample.is_dir():
        parser.error(f"--sample: {args.sample} is not a folder")
    PROFILE.write_text(render(measure(args.sample)))
    print(f"wrote {PROFILE}")


if __name__ == "__main__":
    main()
