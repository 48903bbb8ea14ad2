"""SQLAlchemy tables: advisors, API keys, the client store, the prediction log, drift runs,
advisors' decisions, loan outcomes and performance runs."""

import secrets
from datetime import UTC, date, datetime
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


def json_columns(row: Any, names: tuple[str, ...]) -> dict:
    """The named columns of a row as JSON-ready values: times as UTC ISO 8601, the rest as stored.

    The API's summaries of runs, predictions and decisions are mostly their columns by name."""
    values = {name: getattr(row, name) for name in names}
    return {
        name: as_utc(value).isoformat() if isinstance(value, datetime) else value
        for name, value in values.items()
    }


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(db.Model):
    """An advisor who signs in to the pages (sign-in itself lives in app/auth).

    The session cookie names the advisor by id *and* `session_token`: signing out, a new
    password or `flask users disable` draw a new token, which ends every copy of the cookie.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    # The advisor's page language ("en" or "fr"); None: the browser's Accept-Language decides.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    disabled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    # Flask-Login protocol, so the dashboard can use this model as it is.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued so far (the caller commits)."""
        self.session_token = new_session_token()


class ApiKey(db.Model):
    """A key an external system sends in X-API-Key; only its sha256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # This key's rate limit ("600 per minute"); None: RATELIMIT_API_KEY.
    rate_limit: Mapped[str | None] = mapped_column(sa.String(64))


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


class NewClientId(db.Model):
    """One row per client saved from the new-application page: the database draws its id.

    SK_ID_CURR = NEW_CLIENT_ID_START + id (app/services/dashboard.py). An autoincrement key is
    unique under concurrent saves on SQLite and PostgreSQL alike, where max(SK_ID_CURR) + 1 is not.
    """

    __tablename__ = "new_client_ids"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Prediction(db.Model):
    """One scoring, written before the response that reports it (the prediction log)."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    # Real scorings: api, batch, application (new-application page); never counted by drift:
    # page (a client page re-viewed), whatif, console (the API console).
    # See app/services/prediction_log.py SOURCES.
    source: Mapped[str] = mapped_column(sa.String(16), index=True)
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


class Decision(db.Model):
    """An advisor's final decision on one scoring (app/services/decisions.py).

    Never edited: a change of mind is a new row, so the history shows who decided what, when,
    on which scoring. The checks keep a row honest even if written outside the service.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        sa.CheckConstraint(
            "final_decision IN ('accepted', 'refused')", name="ck_decisions_final_decision"
        ),
        sa.CheckConstraint(
            "model_decision IN ('accepted', 'refused')", name="ck_decisions_model_decision"
        ),
        sa.CheckConstraint(
            "overridden = (final_decision <> model_decision)", name="ck_decisions_overridden"
        ),
        sa.CheckConstraint(
            "reason IS NOT NULL OR NOT overridden", name="ck_decisions_override_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The scoring the advisor saw: its probability, threshold and model version.
    prediction_id: Mapped[int] = mapped_column(sa.ForeignKey("predictions.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(index=True)
    advisor: Mapped[str] = mapped_column(sa.String(80))  # user name, or the API key's name
    model_decision: Mapped[str] = mapped_column(sa.String(16))
    final_decision: Mapped[str] = mapped_column(sa.String(16))
    overridden: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )


class OutcomeLoad(db.Model):
    """One `flask outcomes load FILE`: what the file held and what it changed."""

    __tablename__ = "outcome_loads"

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    rows: Mapped[int]
    inserted: Mapped[int]
    replaced: Mapped[int]
    unchanged: Mapped[int]
    kept_newer: Mapped[int]  # rows older than the outcome already stored: not loaded


class Outcome(db.Model):
    """What happened to a client's loan: defaulted or not, observed on a date (one per client)."""

    __tablename__ = "outcomes"

    client_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # SK_ID_CURR
    defaulted: Mapped[bool]
    observed_at: Mapped[date] = mapped_column(sa.Date)
    load_id: Mapped[int] = mapped_column(sa.ForeignKey("outcome_loads.id"), index=True)
    source_line: Mapped[int]  # line of the file it came from (the header is line 1)


class PerformanceRun(db.Model):
    """One check of the model against known outcomes (app/monitoring/performance_runs.py)."""

    __tablename__ = "performance_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    window: Mapped[str | None] = mapped_column(sa.String(16))  # "90d"; None: every decision
    window_start: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    model_name: Mapped[str] = mapped_column(sa.String(120))
    model_version: Mapped[str] = mapped_column(sa.String(40))
    threshold: Mapped[float]
    test_auc: Mapped[float | None]  # the model's own AUC on its test split, for the alert
    n_decisions: Mapped[int]  # latest decision per client in scope
    n_labelled: Mapped[int]  # ... of which have a known outcome
    auc: Mapped[float]
    evidently_auc: Mapped[float | None]  # Evidently's own figure, a cross-check
    business_cost: Mapped[float]  # the model's decisions at its threshold, per application
    business_cost_final: Mapped[float]  # the advisors' final decisions, per application
    default_rate_accepted: Mapped[float | None]
    override_rate: Mapped[float]
    overrides: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    followed: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    calibration: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    by_month: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    duration_s: Mapped[float]
    # gzip of Evidently's classification report, deferred like the drift reports'.
    report_html_gz: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
