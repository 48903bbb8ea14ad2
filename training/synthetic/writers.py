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


class _Sink:
    """One open file per table name for the duration of a `with` block; blocks are appended."""

    suffix = ""

    def __init__(self, out_dir: Path, names):
        self._names = list(names)
        self.paths = [out_dir / f"{name}.{self.suffix}" for name in self._names]
        self._files = {}

    def __enter__(self):
        for name, path in zip(self._names, self.paths, strict=True):
            self._files[name] = self._open(name, path)
        return self

    def __exit__(self, *exc_info):
        for file in self._files.values():
            file.close()
        return False


class CsvSink(_Sink):
    """Appends blocks to `name.csv` files; the header comes with the first block."""

    suffix = "csv"

    def _open(self, _name, path):
        return path.open("w", newline="")

    def write(self, tables: dict) -> None:
        for name, frame in tables.items():
            handle = self._files[name]
            frame.to_csv(handle, index=False, header=handle.tell() == 0, lineterminator="\n")


class ParquetSink(_Sink):
    """Appends blocks as row groups of `name.parquet` files (zstd-compressed)."""

    suffix = "parquet"

    def _open(self, name, path):
        return pq.ParquetWriter(path, arrow_schema(name), compression="zstd")

    def write(self, tables: dict) -> None:
        for name, frame in tables.items():
            writer = self._files[name]
            table = pa.Table.from_pandas(frame, schema=writer.schema, preserve_index=False)
            writer.write_table(table)


def sink(file_format: str, out_dir: Path, names):
    """The sink of a format name ("csv" or "parquet")."""
    if file_format not in FORMATS:
        raise ValueError(f"format: must be one of {', '.join(FORMATS)}, got {file_format!r}")
    return (CsvSink if file_format == "csv" else ParquetSink)(out_dir, names)
