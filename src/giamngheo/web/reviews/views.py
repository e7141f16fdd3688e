"""Review campaigns of the user's communes: list and the page of one review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from ..accounts.models import visible_units
from .models import STEPS, Review


def scoped_reviews(user):
    return Review.objects.filter(commune__in=visible_units(user)).select_related("commune")


@login_required
def review_list(request):
    reviews = scoped_reviews(request.user).annotate(households=Count("entries")) \
        .order_by("-period_year", "commune__code")
    return render(request, "reviews/list.html", {"reviews": reviews})


@login_required
def review_detail(request, pk: int):
    review = scoped_reviews(request.user).filter(pk=pk).first()
    if review is None:
        raise Http404
    counts = dict(review.entries.values_list("classification").annotate(n=Count("pk")))
    done = {r.step: r for r in review.step_records.select_related("done_by")}
    steps = [(step, done.get(step), step == review.step) for step in STEPS[:-1]]
    return render(request, "reviews/detail.html", {
        "review": review, "steps": steps, "counts": counts,
        "meetings": review.meetings.select_related("hamlet"),
        "entries": review.entries.select_related("household").order_by("household__code")[:200],
    })
