"""SQLAlchemy tables: advisors, API keys, the client store and the prediction log."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


def utcnow() -> datetime:
    """Timezone-aware UTC now (stored naive-UTC by SQLite, timestamptz-compatible on Postgres)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite hands timestamps back naive, and they are all UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class User(db.Model):
    """An advisor who signs in to the pages (sign-in itself lives in app/auth)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # The advisor's page language ("en" or "fr"); None: the browser's Accept-Language decides.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # Flask-Login protocol, so the dashboard can use this model as it is.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class ApiKey(db.Model):
    """A key an external system sends in X-API-Key; only its sha256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Client(db.Model):
    """One applicant: the raw application row and the history aggregates, as loaded from files."""

    __tablename__ = "clients"

    sk_id_curr: Mapped[int] = mapped_column("SK_ID_CURR", primary_key=True, autoincrement=False)
    application: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    history: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    is_training: Mapped[bool] = mapped_column(default=False, index=True)
    target: Mapped[int | None] = mapped_column("TARGET")
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Prediction(db.Model):
    """One scoring, written before the response that reports it (the prediction log)."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    source: Mapped[str] = mapped_column(sa.String(16), index=True)  # api, batch, page, whatif
    actor: Mapped[str | None] = mapped_column(sa.String(80))
    client_id: Mapped[int | None] = mapped_column(index=True)
    input: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    probability_of_default: Mapped[float]
    decision: Mapped[str] = mapped_column(sa.String(16))
    threshold: Mapped[float]
    model_name: Mapped[str] = mapped_column(sa.String(120))
    model_version: Mapped[str] = mapped_column(sa.String(40))
    latency_ms: Mapped[float]
    request_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)


class DriftRun(db.Model):
    """One data-drift comparison (app/monitoring): its summary and its Evidently HTML report."""

    __tablename__ = "drift_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    source: Mapped[str] = mapped_column(sa.String(16))  # file, window, last
    source_detail: Mapped[str] = mapped_column(sa.String(255))  # file name, "7d", "last 500"
    window_start: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    window_end: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    rows: Mapped[int]  # current rows available in the source
    rows_compared: Mapped[int]  # after the seeded sample cap
    rows_reference: Mapped[int]
    column_count: Mapped[int]
    drifted_count: Mapped[int]
    drift_share: Mapped[float]
    dataset_drift: Mapped[bool]
    columns: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)  # strongest drift first
    skipped_columns: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    prediction_drift: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    mean_probability: Mapped[float | None]
    mean_probability_reference: Mapped[float | None]
    model_name: Mapped[str] = mapped_column(sa.String(120))
    model_version: Mapped[str] = mapped_column(sa.String(40))
    duration_s: Mapped[float]
    # gzip of Evidently's self-contained HTML (~5 MB raw); in the database so it survives
    # Heroku's ephemeral disk. Deferred: lists and pages never load it.
    report_html_gz: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
