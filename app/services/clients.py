"""The client store: table `clients`, loaded from the Kaggle files, read by the API and pages.

It owns lookup: `require_client(s)` raise ClientNotFoundError for unknown ids, and
`application_fields` is the one definition of what the model reads for a stored client.
"""

import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.errors import AppError
from app.extensions import db
from app.models import Client, utcnow
from app.services.validation import is_client_id
from training.engine import DEFAULT_ENGINE, open_runner
from training.schema import TABLES

CHUNK_ROWS = 5000  # rows per executemany: bounded memory, few round trips
# advisors look up the new applicants first; the training rows are the comparison population
APPLICATION_TABLES = ("application_test", "application_train")


class ClientNotFoundError(AppError, LookupError):
    """No client with this SK_ID_CURR (or these) in the client store (404)."""

    status = 404
    code = "client_not_found"

    def __init__(self, client_id: int | list[int]):
        ids = client_id if isinstance(client_id, list) else [client_id]
        details = {"client_ids": ids} if isinstance(client_id, list) else {"client_id": client_id}
        super().__init__(f"No client with SK_ID_CURR {ids[0]} in the client store.", details)
        self.client_ids = ids

    @property
    def page_message(self) -> str:
        return f"No client with application id {self.client_ids[0]}"


@dataclass
class LoadReport:
    """What `clients load` did, per file."""

    inserted: int = 0
    updated: int = 0

    def add(self, other: "LoadReport") -> None:
        self.inserted += other.inserted
        self.updated += other.updated

    def __str__(self) -> str:
        return f"{self.inserted} inserted, {self.updated} updated"


def _records(frame: pd.DataFrame, table: str) -> list[dict]:
    """Rows as JSON-ready dicts: NaN -> null, integer columns as integers, float32 made readable."""
    frame = frame.copy()
    kinds = TABLES.get(table, {})
    for column in frame.columns:
        if kinds.get(column, ("float",))[0] == "int" and frame[column].notna().all():
            frame[column] = frame[column].astype("int64")
        elif pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
    # to_json does NaN -> null and rounds float32 noise in C, much faster than per-cell Python.
    return json.loads(frame.to_json(orient="records", double_precision=10))


def _rows(applications: pd.DataFrame, history: pd.DataFrame, table: str) -> list[dict]:
    is_training = table == "application_train"
    ids = applications["SK_ID_CURR"].astype("int64").tolist()
    targets = applications["TARGET"].tolist() if is_training else [None] * len(ids)
    fields = applications.drop(columns=["TARGET"], errors="ignore")
    history = history.reindex(pd.Index(ids, name="SK_ID_CURR"))
    now = utcnow()
    return [
        {
            "SK_ID_CURR": client_id,
            "application": application,
            "history": {k: v for k, v in past.items() if v is not None},
            "is_training": is_training,
            "TARGET": None if target is None else int(target),
            "updated_at": now,
        }
        for client_id, application, past, target in zip(
            ids,
            _records(fields, table),
            _records(history.reset_index(drop=True), "history"),
            targets,
            strict=True,
        )
    ]


def _upsert_statement():
    """INSERT ... ON CONFLICT (SK_ID_CURR) DO UPDATE, for SQLite and PostgreSQL alike."""
    dialect = db.session.get_bind().dialect.name
    module = {"sqlite": sqlite, "postgresql": postgresql}[dialect]
    statement = module.insert(Client.__table__)
    columns = ("application", "history", "is_training", "TARGET", "updated_at")
    return statement.on_conflict_do_update(
        index_elements=["SK_ID_CURR"], set_={c: statement.excluded[c] for c in columns}
    )


def _upsert(rows: list[dict]) -> LoadReport:
    """Insert new clients and update known ones in bulk (one executemany per chunk)."""
    report = LoadReport()
    statement = _upsert_statement()
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        ids = [row["SK_ID_CURR"] for row in chunk]
        existing = sa.select(Client.sk_id_curr).where(Client.sk_id_curr.in_(ids))
        known = len(set(db.session.scalars(existing)))
        db.session.execute(statement, chunk)
        report.inserted += len(chunk) - known
        report.updated += known
    return report


def load_clients(data_dir, engine=DEFAULT_ENGINE, **engine_options) -> dict[str, LoadReport]:
    """Load application_test (looked up by advisors) and application_train (comparison) + history.

    The folder holds CSV or Parquet files, read through `engine` ("duckdb" or "spark", with
    `engine_options` such as Spark's master); the history aggregates are computed once here and
    stored with each client, so scoring a stored client never recomputes them.
    Idempotent: running it twice updates the same rows. Raises training.dataset.DataError.
    """
    with open_runner(engine, **engine_options) as runner:
        runner.load(data_dir)
        history = runner.history()
        applications = {table: runner.applications(table) for table in APPLICATION_TABLES}
    reports = {}
    try:
        for table, frame in applications.items():
            if frame is not None:
                reports[table] = _load_table(frame, history, table)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return reports


def _load_table(applications: pd.DataFrame, history: pd.DataFrame, table: str) -> LoadReport:
    """Upsert one table CHUNK_ROWS clients at a time (their JSON rows never all in memory)."""
    report = LoadReport()
    for start in range(0, len(applications), CHUNK_ROWS):
        chunk = applications.iloc[start : start + CHUNK_ROWS]
        report.add(_upsert(_rows(chunk, history, table)))
    return report


def get_client(client_id: int) -> Client | None:
    """One client from the store, or None (also for ids no INTEGER column can hold)."""
    return db.session.get(Client, client_id) if is_client_id(client_id) else None


def require_client(client_id: int) -> Client:
    """One client from the store; raises ClientNotFoundError."""
    client = get_client(client_id)
    if client is None:
        raise ClientNotFoundError(client_id)
    return client


def require_clients(client_ids: list[int]) -> list[Client]:
    """Clients in the order asked; raises ClientNotFoundError listing every unknown id."""
    found = get_clients(client_ids)
    missing = [client_id for client_id in client_ids if client_id not in found]
    if missing:
        raise ClientNotFoundError(missing)
    return [found[client_id] for client_id in client_ids]


def stored_client_ids(client_ids: list[int]) -> set[int]:
    """Which of these SK_ID_CURR are in the store (ids only: cheap for a batch of 1,000)."""
    client_ids = {client_id for client_id in client_ids if is_client_id(client_id)}
    if not client_ids:
        return set()
    query = sa.select(Client.sk_id_curr).where(Client.sk_id_curr.in_(client_ids))
    return set(db.session.scalars(query))


def new_applicant_ids(limit: int) -> list[int]:
    """The first `limit` applicants who are not training data (the batch job's queue)."""
    query = (
        sa.select(Client.sk_id_curr)
        .where(Client.is_training.is_(False))
        .order_by(Client.sk_id_curr)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def get_clients(client_ids: list[int]) -> dict[int, Client]:
    """Several clients at once, keyed by SK_ID_CURR (absent ids simply missing)."""
    client_ids = {client_id for client_id in client_ids if is_client_id(client_id)}
    if not client_ids:
        return {}
    found = db.session.scalars(sa.select(Client).where(Client.sk_id_curr.in_(client_ids)))
    return {client.sk_id_curr: client for client in found}


def application_fields(client: Client) -> dict:
    """The raw fields + history aggregates the model reads for a stored client."""
    return {**client.application, **client.history, "SK_ID_CURR": client.sk_id_curr}
