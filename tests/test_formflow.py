"""The form-handling steps pages share (``threadline.formflow``): a page with several forms binds only
the one a POST sent (the others show no errors for fields the person never saw); a form answered with
a redirect carries its errors to the next page as messages."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from threadline.formflow import flash_errors, sent, sent_form


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


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label="Returned on")

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("Check the dates.")


def test_flash_errors_names_each_field_by_its_label() -> None:
    request = RequestFactory().post("/", {"returned_on": "not a date"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    form = ReturnForm(request.POST)
    assert not form.is_valid()
    flash_errors(request, form)
    assert [str(m) for m in get_messages(request)] == [
        "Returned on: Enter a valid date.",
        "Check the dates.",  # about the whole form: no stray ": " before it
    ]
