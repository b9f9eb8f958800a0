"""Date and date-time inputs carry ISO values whatever the reader's language.

Seen in Spanish at 360 px: a youth's edit page showed the date of birth empty (Django wrote
value="06/11/2010", which the browser's date input drops), and saving the form would have erased it.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from typing import Any

import pytest
from django import forms
from django.utils import translation

import threadline
from tests.conftest import ClientFor, Persona
from tests.factories.access import youth_with_team
from threadline.youth.models import Youth

ISO = {"date": "2010-11-06", "datetime-local": "2010-11-06T14:30"}


def _form_classes() -> list[type[forms.Form | forms.ModelForm[Any]]]:
    for module in pkgutil.walk_packages(threadline.__path__, "threadline."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views"} or module.name.endswith("_views"):
            importlib.import_module(module.name)
    found: list[type[forms.Form | forms.ModelForm[Any]]] = []
    todo: list[type[forms.Form | forms.ModelForm[Any]]] = [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("threadline."):
                found.append(sub)
    return found


def test_every_date_input_of_the_app_writes_iso_in_spanish() -> None:
    value = datetime.datetime(2010, 11, 6, 14, 30)
    checked, wrong = 0, []
    with translation.override("es"):
        for cls in _form_classes():
            for name, field in cls.base_fields.items():
                kind = getattr(field.widget, "input_type", "")
                if kind not in ISO:
                    continue
                checked += 1
                shown = field.widget.format_value(value.date() if kind == "date" else value)
                if shown != ISO[kind]:
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {shown}")
    assert checked >= 20  # the walk found the app's forms (45 such fields today, subclasses counted)
    assert wrong == []


@pytest.mark.django_db
def test_the_spanish_edit_page_shows_the_date_of_birth(coordinator: Persona, client_for: ClientFor) -> None:
    youth: Youth = youth_with_team(coordinator.membership, [], date_of_birth=datetime.date(2010, 11, 6))
    client = client_for(coordinator)
    client.post("/i18n/language", {"language": "es", "next": "/"})  # the footer's language form
    html = client.get(f"/youth/{youth.pk}/edit").content.decode()
    assert 'lang="es"' in html
    tag = re.search(r'<input[^>]*name="date_of_birth"[^>]*>', html)
    assert tag is not None and 'value="2010-11-06"' in tag.group(0)
