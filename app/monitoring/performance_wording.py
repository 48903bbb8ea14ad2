"""Performance runs in words: the headline, the overrides' verdict, the alert."""

from __future__ import annotations

from app.models import PerformanceRun
from app.monitoring.performance_runs import auc_drop, below_test_auc
from app.services.formatting import percent


def headline(run: PerformanceRun, margin: float) -> str:
    """'On 4,000 decided applications with a known outcome, the model ranks risk ...'"""
    start = f"On {run.n_labelled:,} decided applications with a known outcome"
    if run.test_auc is None:
        return f"{start}, the model's AUC is {run.auc:.3f} (its test AUC is not known)."
    comparison = f"AUC {run.auc:.3f} against {run.test_auc:.3f} on its test data"
    if below_test_auc(run, margin):
        return f"{start}, the model ranks risk worse than when it was tested ({comparison})."
    return f"{start}, the model ranks risk as well as when it was tested ({comparison})."


def _group(figures: dict, what: str) -> str:
    if not figures or not figures.get("n"):
        return f"no {what}"
    return f"{figures['n']:,} {what}, of which {percent(figures['default_rate'])} defaulted"


def overrides_sentence(run: PerformanceRun) -> str:
    """Did the advisors' overrides do better than the model on the applications they changed?"""
    overrides = run.overrides or {}
    if not overrides.get("n"):
        return "No decision with a known outcome was overridden: the advisors followed the model."
    model_cost = overrides["business_cost_model"]
    advisor_cost = overrides["business_cost_final"]
    if advisor_cost < model_cost:
        verdict = "the overrides did better than the model"
    elif advisor_cost > model_cost:
        verdict = "the model would have done better than the overrides"
    else:
        verdict = "the overrides did as well as the model"
    accepted = _group(overrides.get("accepted_by_advisor"), "refusals turned into acceptances")
    refused = _group(overrides.get("refused_by_advisor"), "acceptances turned into refusals")
    return (
        f"Advisors overrode {percent(run.override_rate)} of these decisions: {accepted}; "
        f"{refused}. On the overridden applications the advisors' decisions cost "
        f"{advisor_cost:.3f} per application against {model_cost:.3f} for the model's: {verdict}."
    )


def alert(run: PerformanceRun, margin: float) -> str:
    """The banner text (call only when `below_test_auc(run, margin)`)."""
    return (
        f"Model performance warning: on {run.n_labelled:,} loans with a known outcome the model's "
        f"AUC is {run.auc:.3f}, {auc_drop(run):.3f} below its test AUC of {run.test_auc:.3f} "
        f"(alert margin {margin:.2f}). Its scores may no longer rank risk reliably."
    )
