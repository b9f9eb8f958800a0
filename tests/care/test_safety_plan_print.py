"""The printable safety plan (issue 16, item 1): styled by a static stylesheet the app's own CSP
allows (no inline style, which the CSP blocks), a print button and a way back, and the hotline
number, in English and Spanish."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import ClientFor, Persona
from threadline.care.models import SafetyPlan
from threadline.care.services.safety import safety_plan_save
from threadline.youth.models import Youth

pytestmark = pytest.mark.django_db


def test_the_printable_plan_is_styled_by_a_static_sheet_and_has_print_back_and_hotline(
    coordinator: Persona, client_for: ClientFor, youth: Youth
) -> None:
    safety_plan_save(membership=coordinator.membership, youth_id=youth.pk, version=0, code_words="pineapple")
    client = client_for(coordinator)
    response = client.get(f"/care/{youth.pk}/safety-plan/print?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    # Nothing the CSP would block: no inline style or script, no style attribute.
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html and " style=" not in html and re.search(r"<script(?![^>]*src=)", html) is None
    assert '<link rel="stylesheet" href="/static/care/safety_plan_print.css">' in html
    assert finders.find("care/safety_plan_print.css") is not None
    assert '<button type="button" data-print>Print</button>' in html
    assert f'<a href="/care/{youth.pk}/safety-plan">Back to the safety plan</a>' in html
    assert 'Call <a href="tel:+18883737888">1-888-373-7888</a>, any time, day or night.' in html
    assert "pineapple" in html


def test_the_printable_plan_in_spanish(coordinator: Persona, client_for: ClientFor, youth: Youth) -> None:
    safety_plan_save(membership=coordinator.membership, youth_id=youth.pk, version=0, code_words="piña")
    html = client_for(coordinator).get(f"/care/{youth.pk}/safety-plan/print?lang=es").content.decode()
    assert '<html lang="es">' in html and "Mi plan de seguridad" in html and "piña" in html
    assert "Volver al plan de seguridad" in html and ">Imprimir</button>" in html
    assert 'Llame al <a href="tel:+18883737888">1-888-373-7888</a>' in html
    assert SafetyPlan.objects.get().version == 1
