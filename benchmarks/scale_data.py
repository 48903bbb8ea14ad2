"""Make a bigger data folder for the scale benchmarks: COPIES copies of a generated folder,
with every id shifted per copy, written as Parquet parts (NAME/part-K.parquet).

    .venv/bin/python benchmarks/scale_data.py --source /tmp/fullscale --out /tmp/x10 --copies 10

Copy K adds K x 1,000,000 to SK_ID_CURR and K x 10,000,000 to SK_ID_BUREAU and SK_ID_PREV, so
the copies are distinct clients with the volumes, distributions and quirks of the source.
(`python -m training.synthetic --format parquet` writes a 3 M-client folder directly, in
bounded memory, but that is an hour of CPU or more on this shared 2-core machine; copying takes
minutes.) Reads CSV or Parquet sources one table at a time with pyarrow; parts are
snappy-compressed (quick to write). A table whose parts all exist is skipped (resumable).
"""

import argparse
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.schema import TABLES  # noqa: E402
from training.synthetic.writers import arrow_schema  # noqa: E402

STEPS = {"SK_ID_CURR": 1_000_000, "SK_ID_BUREAU": 10_000_000, "SK_ID_PREV": 10_000_000}


def read_source(folder: Path, name: str) -> pa.Table:
    csv = folder / f"{name}.csv"
    if csv.is_file():
        schema = arrow_schema(name)
        options = pcsv.ConvertOptions(column_types=schema, strings_can_be_null=True)
        return pcsv.read_csv(csv, convert_options=options).select(schema.names)
    path = folder / name if (folder / name).is_dir() else folder / f"{name}.parquet"
    return pq.read_table(path)


def shifted(table: pa.Table, copy: int) -> pa.Table:
    for column, step in STEPS.items():
        if column in table.column_names and copy:
            index = table.column_names.index(column)
            table = table.set_column(index, column, pc.add(table[column], copy * step))
    return table


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args(argv)
    for name in TABLES:
        folder = args.out / name
        parts = [folder / f"part-{copy}.parquet" for copy in range(args.copies)]
        if all(part.is_file() for part in parts):
            continue
        started = time.perf_counter()
        source = read_source(args.source, name)
        folder.mkdir(parents=True, exist_ok=True)
        for copy, part in enumerate(parts):
            pq.write_table(shifted(source, copy), part, compression="snappy")
        rows = source.num_rows * args.copies
        print(f"{name}: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
