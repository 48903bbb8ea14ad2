"""History charts of the monitoring page (Altair), each with a text summary and a data table.

Built from stored run summaries only, never from the reports, so the page stays fast. Every
series is drawn with points as well as a line, and limits are dashed and labelled in text, so
colour never carries meaning alone. The server draws them as SVG (app/services/svg.py).
"""

from __future__ import annotations

import altair as alt
from flask_babel import gettext as _

from app.i18n import current_language
from app.models import DriftRun, as_utc
from app.services.charts import INK, NAVY, ORANGE, WIDTH, Chart, Table, configured
from app.services.formatting import percent, when

_cache: dict[tuple, dict] = {}
PADDING = {"left": 72, "top": 12, "right": 24, "bottom": 48}


def history_charts(runs: list[DriftRun], alert_share: float) -> dict:
    """Both history charts, built once per set of runs and language: stored runs never change,
    and Altair takes ~70 ms a chart, which would otherwise be most of the page's time."""
    if not runs:
        return {"share_chart": None, "probability_chart": None}
    # Ids and times alone repeat across databases (tests, a reset production db): key on
    # everything the charts show.
    shown = tuple(
        (r.id, r.created_at, r.source_detail, r.drifted_count, r.column_count, r.drift_share,
         r.mean_probability, r.mean_probability_reference)
        for r in runs
    )  # fmt: skip
    key = (shown, alert_share, current_language())
    built = _cache.get(key)
    if built is None:
        built = {
            "share_chart": drift_share_chart(runs, alert_share),
            "probability_chart": mean_probability_chart(runs),
        }
        if len(_cache) > 4:  # the latest history, in each language, is all pages ask for
            _cache.clear()
        _cache[key] = built
    return built


def _when(run: DriftRun) -> str:
    return when(run.created_at)


def _history_line(values: list[dict], field: str, title: str, limit: dict | None):
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "when:T",
            title=_("Run date (UTC)"),
            axis=alt.Axis(format="%d %b", labelOverlap=True, tickCount=5),
        ),
        y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format="%", tickCount=5)),
    )
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(color=NAVY, filled=True, size=70),
    ]
    if limit is not None:
        rule = alt.Chart(alt.Data(values=[limit])).encode(y="value:Q")
        layers.append(rule.mark_rule(color=ORANGE, strokeDash=[6, 4], strokeWidth=2))
        layers.append(
            rule.mark_text(align="left", dx=4, dy=-8, color=INK).encode(
                text="label:N", x=alt.value(0)
            )
        )
    return configured(alt.layer(*layers), WIDTH, 240, PADDING)


def _points(runs: list[DriftRun], field: str, attribute: str) -> list[dict]:
    """One chart point per run: when and the value plotted (UTC, so the axis reads UTC)."""
    return [
        {
            "when": as_utc(r.created_at).replace(tzinfo=None).isoformat(),
            field: getattr(r, attribute),
        }
        for r in runs
    ]


def _runs_table(caption: str, columns: list[str], runs: list[DriftRun], cells) -> Table:
    """One row per run, newest first: when, what was compared, then `cells(run)`."""
    from app.monitoring.wording import compared

    rows = [[_when(r), compared(r), *cells(r)] for r in reversed(runs)]
    return Table(caption, [_("Run (UTC)"), _("Compared"), *columns], rows)


def drift_share_chart(runs: list[DriftRun], alert_share: float) -> Chart:
    """Share of drifted columns per run, with the alert limit."""
    values = _points(runs, "share", "drift_share")
    limit = {
        "value": alert_share,
        "label": _("Alert limit %(share)s", share=percent(alert_share, 0)),
    }
    title = _("Share of drifted characteristics")
    spec = _history_line(values, "share", title, limit)
    above = sum(r.drift_share >= alert_share for r in runs)
    summary = _(
        "%(runs)s runs; the share of drifted characteristics went from %(first)s to %(last)s; "
        "%(above)s of them reached the alert limit of %(limit)s.",
        runs=len(runs),
        first=percent(runs[0].drift_share, 0),
        last=percent(runs[-1].drift_share, 0),
        above=above,
        limit=percent(alert_share, 0),
    )
    table = _runs_table(
        _("Drift share per run"),
        [_("Drifted characteristics"), _("Share")],
        runs,
        lambda r: [
            _("%(drifted)s of %(count)s", drifted=r.drifted_count, count=r.column_count),
            percent(r.drift_share, 0),
        ],
    )
    return Chart("drift-share-history", _("Drift share over time"), summary, spec, table)


def mean_probability_chart(runs: list[DriftRun]) -> Chart | None:
    """Mean predicted probability of default per run, with the training sample's mean."""
    scored = [r for r in runs if r.mean_probability is not None]
    if not scored:
        return None
    values = _points(scored, "mean", "mean_probability")
    reference = scored[-1].mean_probability_reference
    limit = None
    if reference is not None:
        limit = {
            "value": reference,
            "label": _("Training sample %(mean)s", mean=percent(reference)),
        }
    spec = _history_line(values, "mean", _("Mean probability of default"), limit)
    moved = {
        "runs": len(scored),
        "first": percent(scored[0].mean_probability),
        "last": percent(scored[-1].mean_probability),
    }
    if reference is not None:
        summary = _(
            "%(runs)s runs; the mean predicted probability of default went from %(first)s to "
            "%(last)s (training sample: %(reference)s).",
            reference=percent(reference),
            **moved,
        )
    else:
        summary = _(
            "%(runs)s runs; the mean predicted probability of default went from %(first)s to "
            "%(last)s.",
            **moved,
        )
    table = _runs_table(
        _("Mean predicted probability of default per run"),
        [_("Mean probability"), _("Training sample")],
        scored,
        lambda r: [
            percent(r.mean_probability),
            "" if r.mean_probability_reference is None else percent(r.mean_probability_reference),
        ],
    )
    title = _("Mean predicted probability over time")
    return Chart("mean-probability-history", title, summary, spec, table)
