"""The history definition on Spark: the same SQL text, for data that lives on a cluster.

The master is SPARK_MASTER when set (spark://host:7077, yarn, k8s://...), the one spark-submit
gave when the job was started by spark-submit, else local[*] on this machine. Needs Java 17+
(.ci/install-system-deps) and pyspark (requirements-train.txt).
"""

import os

import pyarrow as pa

from training.engine.definition import sql_type
from training.engine.runner import Runner, as_data_error
from training.engine.sources import TableFile
from training.schema import TABLES

LOCAL_MASTER = "local[*]"
# Settings for every session: Arrow to hand results to pandas, no web UI, quiet logs.
SESSION_SETTINGS = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
}
# On one machine the driver does the work: more memory than the 1 GB default, fewer
# shuffle partitions than the 200 meant for a cluster.
LOCAL_SETTINGS = {
    "spark.driver.memory": "4g",
    "spark.sql.shuffle.partitions": "8",
}


class SparkRunner(Runner):
    """A Spark session (created, or the one already running in this process)."""

    name = "spark"

    def __init__(self, master: str | None = None, settings: dict | None = None):
        super().__init__()
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise RuntimeError(
                "engine spark: pyspark is not installed (pip install -r requirements-train.txt)"
            ) from None
        master = master or os.environ.get("SPARK_MASTER")
        under_spark_submit = "PYSPARK_GATEWAY_PORT" in os.environ
        local = not master and not under_spark_submit
        builder = SparkSession.builder.appName("credit-scoring-history")
        if master or local:
            builder = builder.master(master or LOCAL_MASTER)
        chosen = {**SESSION_SETTINGS, **(LOCAL_SETTINGS if local else {}), **(settings or {})}
        for key, value in chosen.items():
            builder = builder.config(key, value)
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        self._data_dir = None

    def load(self, data_dir):
        from pyspark.errors import PySparkException

        self._data_dir = data_dir
        try:
            return super().load(data_dir)
        except PySparkException as error:
            raise as_data_error(error, data_dir) from None

    def read_file(self, table: TableFile, view: str) -> None:
        reader = self.spark.read
        if table.format == "csv":
            frame = reader.csv(
                str(table.path), header=True, schema=_csv_schema(table), mode="FAILFAST"
            )
        else:
            frame = reader.parquet(str(table.path))
        frame.createOrReplaceTempView(view)

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def arrow(self, sql: str) -> pa.Table:
        from pyspark.errors import PySparkException

        try:
            return self.spark.sql(sql).toArrow()
        except (PySparkException, Exception) as error:
            if not _is_spark_error(error):
                raise
            raise as_data_error(error, self._data_dir or "Spark tables") from None

    def close(self) -> None:
        """Drop this runner's views; the session stays for the next runner (JVM start is slow)."""
        for view in self.spark.catalog.listTables():
            if view.isTemporary:
                self.spark.catalog.dropTempView(view.name)


def _csv_schema(table: TableFile) -> str:
    """A DDL schema for every column of the file's header: schema columns typed, others text."""
    known = TABLES[table.name]
    parts = [
        f"`{column}` {sql_type(table.name, column) if column in known else 'STRING'}"
        for column in table.columns
    ]
    return ", ".join(parts)


def _is_spark_error(error: Exception) -> bool:
    return type(error).__module__.startswith(("pyspark", "py4j"))
