"""Support plans are computed in a background thread (a province takes seconds to a minute),
writing their stage and progress for the page, which refreshes itself."""

from __future__ import annotations

import logging
import threading

from django.db import connections
from django.utils import translation

from ...allocation.options import PlanError
from ...allocation.plan import make_plan, report
from ...allocation.solve import CommuneLimit, Priority, Source
from ...allocation.supports import load_costs
from ...population import from_records
from ...rules.parameters import ParameterError
from .models import SupportPlan
from .records import poor_records

logger = logging.getLogger(__name__)


def start(target, plan_id, lang: str) -> None:
    threading.Thread(target=_in_thread, args=(target, plan_id, lang), daemon=True).start()


def _in_thread(target, plan_id, lang: str) -> None:
    try:
        target(plan_id, lang)
    except Exception:
        logger.exception("support plan %s failed", plan_id)
        SupportPlan.objects.filter(pk=plan_id).update(state=SupportPlan.State.FAILED,
                                                      error="internal error")
    finally:
        connections.close_all()  # this thread's own connections, which nothing else closes


def compute(plan_id, lang: str) -> None:
    """The plan of an area's poor households as the request asks."""
    with translation.override(lang):
        plan = SupportPlan.objects.select_related("unit", "created_by").get(pk=plan_id)
        rows = SupportPlan.objects.filter(pk=plan.pk)

        def progress(stage: str, percent: int) -> None:
            rows.update(stage=stage, percent=percent)

        rows.update(state=SupportPlan.State.RUNNING, stage="records", percent=1)
        records, links, standard = poor_records(plan.unit)
        request = plan.request
        try:
            if not records:
                raise PlanError(translation.gettext("The area has no poor household in a "
                                                    "closed review."))
            population = from_records(records, lang)
            made = make_plan(
                population,
                [Source(code, s["budget"], tuple(s["kinds"]))
                 for code, s in request["sources"].items()],
                request["objective"], standard, load_costs(request["costs"]), lang=lang,
                progress=progress, whole_population=False,
                priorities=[Priority(p["group"], p["weight"], p["min_lifted"])
                            for p in request["priorities"]],
                communes={code: CommuneLimit(c["max_cost"], c["min_lifted"])
                          for code, c in request["communes"].items()})
        except (PlanError, ParameterError) as error:
            rows.update(state=SupportPlan.State.FAILED, error=str(error)[:2000])
            return
        rows.update(state=SupportPlan.State.DONE, stage="done", percent=100,
                    standard_id=made.candidates.standard.id,
                    inputs_sha256=population.sha256, plan=made.plan_json(),
                    report=report(made, lang, by=plan.created_by.username), links=links)
