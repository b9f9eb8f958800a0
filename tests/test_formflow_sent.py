"""A page with several forms binds only the one a POST sent (``formflow.sent``): the others stay
unbound, so they show no errors for fields the person never saw."""

from __future__ import annotations

from django.test import RequestFactory

from threadline.formflow import sent, sent_form


def test_a_post_binds_only_the_form_it_names() -> None:
    request = RequestFactory().post("/", {"form": "goal", "goal-text": "school"})
    assert sent_form(request) == "goal"
    assert sent(request, "goal") is request.POST
    assert sent(request, "need") is None


def test_a_get_or_a_post_naming_no_form_binds_none() -> None:
    get = RequestFactory().get("/", {"form": "goal"})
    assert sent_form(get) == ""
    assert sent(get, "goal") is None
    nameless = RequestFactory().post("/", {"goal-text": "school"})
    assert sent_form(nameless) == ""
    assert sent(nameless, "goal") is None
    assert sent(nameless, "") is None
