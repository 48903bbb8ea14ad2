"""Performance runs in words, in the page's language: the headline, the overrides' verdict, the
alert. Numbers through app/services/formatting; whole sentences for the translators."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from app.models import PerformanceRun
from app.monitoring.performance_runs import auc_drop, below_test_auc
from app.monitoring.sources import DriftInputError, window_length
from app.services.formatting import amount, number, percent


def auc(value: float) -> str:
    """An AUC or a cost per application: three decimals in the page's format (0.742, 0,742)."""
    return number(value, 3)


def window(run: PerformanceRun) -> str:
    """Which decisions the run took, in words: 'Last 90 days' (`--window 90d`) or 'All'."""
    if not run.window:
        return _("All")
    try:
        count, unit = window_length(run.window)
    except DriftInputError:  # every stored window was parsed once; words for any other
        return _("Last %(window)s", window=run.window)
    words = {
        "minutes": ngettext("Last minute", "Last %(num)d minutes", count),
        "hours": ngettext("Last hour", "Last %(num)d hours", count),
        "days": ngettext("Last day", "Last %(num)d days", count),
        "weeks": ngettext("Last week", "Last %(num)d weeks", count),
    }
    return words[unit]


def headline(run: PerformanceRun, margin: float) -> str:
    """'On 4,000 decided applications with a known outcome, the model ranks risk ...'"""
    values = {"count": amount(run.n_labelled), "auc": auc(run.auc)}
    if run.test_auc is None:
        return _(
            "On %(count)s decided applications with a known outcome, the model's AUC is "
            "%(auc)s (its test AUC is not known).",
            **values,
        )
    values["test_auc"] = auc(run.test_auc)
    if below_test_auc(run, margin):
        return _(
            "On %(count)s decided applications with a known outcome, the model ranks risk worse "
            "than when it was tested (AUC %(auc)s against %(test_auc)s on its test data).",
            **values,
        )
    return _(
        "On %(count)s decided applications with a known outcome, the model ranks risk as well "
        "as when it was tested (AUC %(auc)s against %(test_auc)s on its test data).",
        **values,
    )


def _turned(figures: dict | None, accepted: bool) -> str:
    """How many overrides went one way, and how many of those clients defaulted."""
    if not figures or not figures.get("n"):
        return (
            _("no refusal turned into an acceptance")
            if accepted
            else _("no acceptance turned into a refusal")
        )
    values = {"count": amount(figures["n"]), "rate": percent(figures["default_rate"])}
    if accepted:
        return _(
            "%(count)s refusals turned into acceptances, of which %(rate)s defaulted", **values
        )
    return _("%(count)s acceptances turned into refusals, of which %(rate)s defaulted", **values)


def _verdict(advisor_cost: float, model_cost: float) -> str:
    if advisor_cost < model_cost:
        return _("the overrides did better than the model")
    if advisor_cost > model_cost:
        return _("the model would have done better than the overrides")
    return _("the overrides did as well as the model")


def overrides_sentence(run: PerformanceRun) -> str:
    """Did the advisors' overrides do better than the model on the applications they changed?"""
    overrides = run.overrides or {}
    if not overrides.get("n"):
        return _(
            "No decision with a known outcome was overridden: the advisors followed the model."
        )
    model_cost, advisor_cost = overrides["business_cost_model"], overrides["business_cost_final"]
    return _(
        "Advisors overrode %(share)s of these decisions: %(accepted)s; %(refused)s. On the "
        "overridden applications the advisors' decisions cost %(advisor_cost)s per application "
        "against %(model_cost)s for the model's: %(verdict)s.",
        share=percent(run.override_rate),
        accepted=_turned(overrides.get("accepted_by_advisor"), accepted=True),
        refused=_turned(overrides.get("refused_by_advisor"), accepted=False),
        advisor_cost=auc(advisor_cost),
        model_cost=auc(model_cost),
        verdict=_verdict(advisor_cost, model_cost),
    )


def alert(run: PerformanceRun, margin: float) -> str:
    """The banner text (call only when `below_test_auc(run, margin)`)."""
    return _(
        "Model performance warning: on %(count)s loans with a known outcome the model's AUC is "
        "%(auc)s, %(drop)s below its test AUC of %(test_auc)s (alert margin %(margin)s). Its "
        "scores may no longer rank risk reliably.",
        count=amount(run.n_labelled),
        auc=auc(run.auc),
        drop=auc(auc_drop(run)),
        test_auc=auc(run.test_auc),
        margin=number(margin, 2),
    )
