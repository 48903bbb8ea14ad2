"""Stored monitoring runs (drift or performance): the latest, and their Evidently report kept as
gzipped HTML and served as browsers take it."""

import gzip
import time

import sqlalchemy as sa
from flask import Response, abort, request
from sqlalchemy.orm import undefer

from app.errors import AppError
from app.extensions import db


def compress_report(html: str) -> bytes:
    """An Evidently report as stored with its run (a few MB of HTML shrink about tenfold)."""
    return gzip.compress(html.encode("utf-8"), compresslevel=6)


def save_run(run, report_html: str, started: float):
    """Store a finished run (DriftRun, PerformanceRun) with its report and its duration since
    `started` (a `time.perf_counter()` reading)."""
    run.duration_s = time.perf_counter() - started
    run.report_html_gz = compress_report(report_html)
    db.session.add(run)
    db.session.commit()
    return run


def latest_run(run_table):
    """The most recent run of a run table (DriftRun, PerformanceRun), without its report."""
    latest = recent_runs(run_table, 1)
    return latest[0] if latest else None


def recent_runs(run_table, limit: int) -> list:
    """The last `limit` runs of a run table, newest first, without their reports."""
    query = sa.select(run_table).order_by(run_table.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def stored_report(run_table, run_id: int) -> bytes | None:
    """The gzipped report of one run, or None if there is no such run."""
    query = (
        sa.select(run_table)
        .where(run_table.id == run_id)
        .options(undefer(run_table.report_html_gz))
    )
    run = db.session.scalars(query).first()
    return run.report_html_gz if run else None


def report_response(compressed: bytes) -> Response:
    """The stored gzip as is when the browser accepts it, else decompressed; cached privately."""
    response = Response(compressed, mimetype="text/html")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(gzip.decompress(compressed))
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def require_latest_run(run_table, kind: str, code: str):
    """The latest run for the JSON API; none yet is a 404 that says how to make one."""
    latest = latest_run(run_table)
    if latest is None:
        message = f"No {kind} run yet; make one with `flask {kind} run`."
        raise AppError(message, status=404, code=code)
    return latest


def report_page(run_table, kind: str, run_id: int) -> Response:
    """The Evidently report of one run as a page; an unknown run is the site's 404 page."""
    compressed = stored_report(run_table, run_id)
    if compressed is None:
        abort(404, description=f"No {kind} run {run_id}.")
    return report_response(compressed)
