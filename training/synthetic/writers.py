"""Where the generator's blocks go: CSV files (the Kaggle format) or Parquet files.

Both sinks append one block at a time and keep nothing of it afterwards, so memory stays bounded
by one block whatever the number of clients. Parquet gets one row group per block, with the
schema's types fixed up front (ids and counts int64, numbers float64, text string), so every
block of a file has the same schema even when a block happens to miss a column entirely.
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from training.schema import TABLES

FORMATS = ("csv", "parquet")
_ARROW_TYPES = {"int": pa.int64(), "float": pa.float64(), "category": pa.string()}


def arrow_schema(table: str) -> pa.Schema:
    """The Parquet schema of one table: the schema's columns in file order."""
    return pa.schema(
        [(column, _ARROW_TYPES[kind]) for column, (kind, _levels) in TABLES[table].items()]
    )


class CsvSink:
    """Appends blocks to `name.csv` files; the header comes with the first block."""

    def __init__(self, out_dir: Path, names):
        self.paths = [out_dir / f"{name}.csv" for name in names]
        self._handles = {}
        self._names = list(names)

    def __enter__(self):
        for name, path in zip(self._names, self.paths, strict=True):
            self._handles[name] = path.open("w", newline="")
        return self

    def write(self, tables: dict) -> None:
        for name, frame in tables.items():
            handle = self._handles[name]
            frame.to_csv(handle, index=False, header=handle.tell() == 0, lineterminator="\n")

    def __exit__(self, *exc_info):
        for handle in self._handles.values():
            handle.close()
        return False


class ParquetSink:
    """Appends blocks as row groups of `name.parquet` files (zstd-compressed)."""

    def __init__(self, out_dir: Path, names):
        self.paths = [out_dir / f"{name}.parquet" for name in names]
        self._writers = {}
        self._names = list(names)

    def __enter__(self):
        for name, path in zip(self._names, self.paths, strict=True):
            self._writers[name] = pq.ParquetWriter(path, arrow_schema(name), compression="zstd")
        return self

    def write(self, tables: dict) -> None:
        for name, frame in tables.items():
            schema = self._writers[name].schema
            table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
            self._writers[name].write_table(table)

    def __exit__(self, *exc_info):
        for writer in self._writers.values():
            writer.close()
        return False


def sink(file_format: str, out_dir: Path, names):
    """The sink of a format name ("csv" or "parquet")."""
    if file_format not in FORMATS:
        raise ValueError(f"format: must be one of {', '.join(FORMATS)}, got {file_format!r}")
    return (CsvSink if file_format == "csv" else ParquetSink)(out_dir, names)
