"""Loan outcomes: what happened to a client's loan, loaded from a CSV file (table `outcomes`).

The file has the columns SK_ID_CURR, defaulted (0 or 1) and observed_at (YYYY-MM-DD). Every row
is checked before anything is written: one bad row and nothing is loaded, with the line and the
column of every problem. One outcome per client is kept, the latest observation: a later row for
a client replaces the earlier one and the report says so; an observation older than the stored
one is not loaded (and the report says that too). Loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from app.errors import AppError, DatabaseUnavailableError
from app.extensions import db
from app.models import Outcome, OutcomeLoad, utcnow
from app.services.clients import stored_client_ids
from app.services.validation import CLIENT_ID_RULE, is_client_id

COLUMNS = ("SK_ID_CURR", "defaulted", "observed_at")
ERRORS_LISTED = 20  # problems spelled out in the message; the details carry all of them
CHUNK = 5000  # ids per IN (...) query
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OutcomesFileError(AppError):
    """The file cannot be loaded; every problem names its line and column. Nothing was loaded."""

    status = 422
    code = "invalid_outcomes_file"

    def __init__(self, path, problems: list[dict]):
        listed = [_where(p) for p in problems]
        more = len(problems) - ERRORS_LISTED
        message = "\n".join(
            [
                f"{Path(path).name}: {len(problems)} problem{'s' if len(problems) > 1 else ''};"
                " nothing was loaded.",
                *listed[:ERRORS_LISTED],
                *([f"  ... and {more} more."] if more > 0 else []),
            ]
        )
        super().__init__(message, {"file": str(path), "problems": problems})
        self.problems = problems


def _where(problem: dict) -> str:
    if problem["line"] is None:
        return f"  the file {problem['rule']}"
    return f"  line {problem['line']}, column {problem['column']}: {problem['rule']}"


@dataclass(frozen=True)
class OutcomeRow:
    client_id: int
    defaulted: bool
    observed_at: date
    line: int


@dataclass
class LoadReport:
    """What one load did; `notes` says which rows replaced which and which were not loaded."""

    load: OutcomeLoad
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        load = self.load
        return (
            f"{load.rows} rows in {load.file_name}: {load.inserted} new, {load.replaced} replaced, "
            f"{load.unchanged} unchanged, {load.kept_newer} older than the stored outcome "
            "(not loaded)."
        )


def _problem(line: int | None, column: str | None, rule: str, value=None) -> dict:
    return {"line": line, "column": column, "rule": rule, "value": value}


def _client_id(text: str, line: int, problems: list) -> int | None:
    value = int(text) if text.strip().isdigit() else None
    if value is None or not is_client_id(value):
        problems.append(_problem(line, "SK_ID_CURR", f"{CLIENT_ID_RULE}, got {text!r}", text))
        return None
    return value


def _defaulted(text: str, line: int, problems: list) -> bool | None:
    if text.strip() not in ("0", "1"):
        problems.append(_problem(line, "defaulted", f"must be 0 or 1, got {text!r}", text))
        return None
    return text.strip() == "1"


def _observed_at(text: str, line: int, today: date, problems: list) -> date | None:
    try:
        value = date.fromisoformat(text.strip()) if _ISO_DATE.match(text.strip()) else None
    except ValueError:
        value = None
    if value is None:
        rule = f"must be a date written YYYY-MM-DD, got {text!r}"
        problems.append(_problem(line, "observed_at", rule, text))
        return None
    if value > today:
        rule = f"must not be in the future (today is {today.isoformat()}), got {text!r}"
        problems.append(_problem(line, "observed_at", rule, text))
        return None
    return value


def _header(names: list[str] | None, problems: list) -> dict[str, int]:
    names = [n.strip() for n in names or []]
    for column in COLUMNS:
        if column not in names:
            rule = f"is missing: the header must name {', '.join(COLUMNS)}"
            problems.append(_problem(1, column, rule))
        elif names.count(column) > 1:
            problems.append(_problem(1, column, "appears more than once in the header"))
    return {column: names.index(column) for column in COLUMNS if column in names}


def _parse_row(values: list[str], line: int, width: int, positions, today, problems):
    if len(values) != width:
        rule = f"the row has {len(values)} fields, the header has {width}"
        problems.append(_problem(line, "(row)", rule))
        return None
    client_id = _client_id(values[positions["SK_ID_CURR"]], line, problems)
    defaulted = _defaulted(values[positions["defaulted"]], line, problems)
    observed_at = _observed_at(values[positions["observed_at"]], line, today, problems)
    if None in (client_id, defaulted, observed_at):
        return None
    return OutcomeRow(client_id, defaulted, observed_at, line)


def _file_error(path, rule: str) -> OutcomesFileError:
    return OutcomesFileError(path, [_problem(None, None, rule)])


def _lines(path):
    """(line number, fields) of every non-blank row after the header, and the header itself."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            rows = [(reader.line_num, values) for values in reader if values and values != [""]]
    except FileNotFoundError:
        raise _file_error(path, "does not exist") from None
    except UnicodeDecodeError as error:
        rule = f"is not UTF-8 text ({error.reason} at byte {error.start})"
        raise _file_error(path, rule) from None
    except csv.Error as error:
        raise _file_error(path, f"is not valid CSV: {error}") from None
    except OSError as error:
        raise _file_error(path, f"cannot be read ({error.strerror or error})") from None
    return header, rows


def read_outcomes(path, today: date | None = None) -> list[OutcomeRow]:
    """Every row of the file, checked; raises OutcomesFileError listing all the problems."""
    today = today or utcnow().date()
    header, lines = _lines(path)
    problems: list[dict] = []
    positions = _header(header, problems)
    if problems:
        raise OutcomesFileError(path, problems)
    rows = []
    for line, values in lines:
        row = _parse_row(values, line, len(header), positions, today, problems)
        if row is not None:
            rows.append(row)
    if not lines:
        problems.append(_problem(2, "(row)", "the file has a header but no rows"))
    problems += _unknown_clients(rows)
    if problems:
        raise OutcomesFileError(path, sorted(problems, key=lambda p: p["line"]))
    return rows


def _unknown_clients(rows: list[OutcomeRow]) -> list[dict]:
    ids = sorted({row.client_id for row in rows})
    known = set()
    for start in range(0, len(ids), CHUNK):
        known |= stored_client_ids(ids[start : start + CHUNK])
    rule = "no client with this SK_ID_CURR in the client store"
    return [
        _problem(row.line, "SK_ID_CURR", f"{rule} ({row.client_id})", row.client_id)
        for row in rows
        if row.client_id not in known
    ]


def _latest_per_client(rows: list[OutcomeRow], notes: list[str]) -> dict[int, OutcomeRow]:
    """One row per client: the latest observation, the later line on the same date."""
    latest: dict[int, OutcomeRow] = {}
    for row in rows:
        before = latest.get(row.client_id)
        if before is None or (row.observed_at, row.line) >= (before.observed_at, before.line):
            if before is not None:
                notes.append(
                    f"Client {row.client_id}: line {row.line} replaces line {before.line} "
                    "of the same file."
                )
            latest[row.client_id] = row
        else:
            notes.append(
                f"Client {row.client_id}: line {row.line} is older than line {before.line} "
                "of the same file; not loaded."
            )
    return latest


def _stored(client_ids: list[int]) -> dict[int, Outcome]:
    found = {}
    for start in range(0, len(client_ids), CHUNK):
        chunk = client_ids[start : start + CHUNK]
        query = sa.select(Outcome).where(Outcome.client_id.in_(chunk))
        found.update({outcome.client_id: outcome for outcome in db.session.scalars(query)})
    return found


def _describe(outcome: Outcome | OutcomeRow) -> str:
    return f"{'defaulted' if outcome.defaulted else 'repaid'} ({outcome.observed_at.isoformat()})"


def _changes(latest: dict[int, OutcomeRow], stored: dict[int, Outcome], notes: list[str]):
    """(rows to insert, rows to update, unchanged count, older-than-stored count)."""
    inserts, updates, unchanged, kept_newer = [], [], 0, 0
    for client_id, row in latest.items():
        values = {
            "client_id": client_id,
            "defaulted": row.defaulted,
            "observed_at": row.observed_at,
            "source_line": row.line,
        }
        before = stored.get(client_id)
        if before is None:
            inserts.append(values)
        elif row.observed_at < before.observed_at:
            kept_newer += 1
            notes.append(
                f"Client {client_id}: line {row.line} ({_describe(row)}) is older than the stored "
                f"outcome, {_describe(before)}; kept the stored one."
            )
        elif (row.defaulted, row.observed_at) == (before.defaulted, before.observed_at):
            unchanged += 1
        else:
            updates.append(values)
            notes.append(
                f"Client {client_id}: line {row.line} replaces the stored outcome: "
                f"{_describe(before)} -> {_describe(row)}."
            )
    return inserts, updates, unchanged, kept_newer


def load_outcomes(path) -> LoadReport:
    """Check the whole file, then write it in one transaction; returns what changed.

    Raises OutcomesFileError (bad file: nothing loaded) or DatabaseUnavailableError.
    """
    rows = read_outcomes(path)
    notes: list[str] = []
    latest = _latest_per_client(rows, notes)
    try:
        stored = _stored(sorted(latest))
        inserts, updates, unchanged, kept_newer = _changes(latest, stored, notes)
        load = OutcomeLoad(
            file_name=Path(path).name[:255],
            rows=len(rows),
            inserted=len(inserts),
            replaced=len(updates),
            unchanged=unchanged,
            kept_newer=kept_newer,
        )
        db.session.add(load)
        db.session.flush()
        if inserts:
            db.session.execute(sa.insert(Outcome), [{**v, "load_id": load.id} for v in inserts])
        if updates:
            db.session.execute(sa.update(Outcome), [{**v, "load_id": load.id} for v in updates])
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise DatabaseUnavailableError(
            f"The database refused the outcomes of {Path(path).name}; nothing was loaded."
        ) from error
    return LoadReport(load, notes)


def latest_load() -> OutcomeLoad | None:
    """The most recent outcomes load, or None."""
    query = sa.select(OutcomeLoad).order_by(OutcomeLoad.id.desc()).limit(1)
    return db.session.scalars(query).first()
