"""Make a bigger data folder for the scale benchmarks: COPIES copies of a generated folder,
with every id shifted per copy, written as Parquet parts (NAME/part-K.parquet).

    .venv/bin/python benchmarks/scale_data.py --source /tmp/fullscale --out /tmp/x10 --copies 10

Copy K adds K x 1,000,000 to SK_ID_CURR and K x 10,000,000 to SK_ID_BUREAU and SK_ID_PREV, so
the copies are distinct clients with the volumes, distributions and quirks of the source
(`python -m training.synthetic --format parquet` writes a 3 M-client folder directly, in
bounded memory, but takes hours of CPU on this 2-core machine; DuckDB copies in minutes).
Reads CSV or Parquet sources; memory stays bounded by DuckDB's limit (it spills to /tmp).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.schema import TABLES  # noqa: E402

CURR_STEP, HISTORY_STEP = 1_000_000, 10_000_000
_TYPES = {"int": "BIGINT", "float": "DOUBLE", "category": "VARCHAR"}


def _source(folder: Path, name: str) -> str:
    csv = folder / f"{name}.csv"
    if csv.is_file():
        types = ", ".join(f"'{c}': '{_TYPES[k]}'" for c, (k, _) in TABLES[name].items())
        return f"read_csv('{csv}', header = true, types = {{{types}}})"
    if (folder / name).is_dir():
        return f"read_parquet('{folder / name / '*.parquet'}')"
    return f"read_parquet('{folder / (name + '.parquet')}')"


def _shifted(name: str, copy: int) -> str:
    columns = []
    for column in TABLES[name]:
        step = {"SK_ID_CURR": CURR_STEP, "SK_ID_BUREAU": HISTORY_STEP, "SK_ID_PREV": HISTORY_STEP}
        shift = f" + {copy * step[column]}" if column in step else ""
        columns.append(f"{column}{shift} AS {column}")
    return ", ".join(columns)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args(argv)
    spill = tempfile.mkdtemp(prefix="scale-data-")
    connection = duckdb.connect(config={"memory_limit": "4GB", "temp_directory": spill})
    for name in TABLES:
        started = time.perf_counter()
        connection.execute(
            f"CREATE OR REPLACE TABLE source AS SELECT * FROM {_source(args.source, name)}"
        )
        (args.out / name).mkdir(parents=True, exist_ok=True)
        for copy in range(args.copies):
            target = args.out / name / f"part-{copy}.parquet"
            connection.execute(
                f"COPY (SELECT {_shifted(name, copy)} FROM source) TO '{target}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
        rows = connection.sql("SELECT COUNT(*) FROM source").fetchall()[0][0] * args.copies
        print(f"{name}: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    connection.execute("DROP TABLE source")


if __name__ == "__main__":
    main()
