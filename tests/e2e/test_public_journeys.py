"""Journeys 1 and 6: a youth refers themself in Spanish on a phone (and leaves by quick exit, by tap and by
keyboard); a directory visitor searches, opens a listing, goes back and finds the filters kept."""

from __future__ import annotations

import re

from tests.e2e.harness import QUICK_EXIT_HOST, Journey

EXITED = re.compile(rf"https://{re.escape(QUICK_EXIT_HOST)}/")


def _to_spanish(j: Journey) -> None:
    j.page.locator("#language-select").select_option("es")
    j.wait_until("document.documentElement.lang === 'es'")


def test_youth_refers_themself_in_spanish_on_a_phone(phone: Journey) -> None:
    j, page = phone, phone.page
    j.goto("/refer/")
    _to_spanish(j)
    j.check("refer form in Spanish")
    # An empty send: the error summary takes focus, in Spanish (issue 16, part 7).
    page.locator("form[data-pow] button[type=submit]").tap()
    page.wait_for_selector(".error-summary")
    assert j.focused()["cls"] == "error-summary"
    assert page.locator(".error-summary h2").inner_text() == "Hay un problema"
    # Each item reads label then error with one separator (before: "poco.: Este campo", "Contacto:: Indique").
    items = page.locator(".error-summary li").all_inner_texts()
    assert items and all(".:" not in item and "::" not in item for item in items), items
    assert any(item.startswith("¿Qué le preocupa?") and "poco. Este campo" in item for item in items), items
    j.check("refer form errors")
    j.wait_until("document.querySelector('input[name=altcha]').value !== ''")
    page.locator("#id_what_is_known").fill("Soy yo. Alguien me pide cosas que no quiero hacer.")
    j.assert_target_sizes(at_least=1)  # WCAG 2.2 target size: 24 x 24 px on a phone (issue 16, part 6)
    page.locator("#id_urgent").tap()
    page.locator("#id_age").fill("16")
    page.locator("#id_county").fill("Bexar")
    page.locator("form[data-pow] button[type=submit]").tap()
    page.wait_for_url("**/refer/thanks/")
    assert page.locator("html").get_attribute("lang") == "es"
    j.check("thanks in Spanish")
    # Quick exit by tap: straight to the weather, and "back" does not return to the form.
    j.goto("/refer/")
    page.locator("[data-quick-exit]").tap()
    page.wait_for_url(EXITED)
    # By keyboard: Shift+Escape anywhere, or Tab to the button (first after the skip link) and Enter.
    j.goto("/directory/")
    page.keyboard.press("Shift+Escape")
    page.wait_for_url(EXITED)
    j.goto("/accounts/login/")  # the sign-in page has one too (issue 16, part 11)
    j.tab_to("e.hasAttribute('data-quick-exit')", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url(EXITED)


def test_referral_by_keyboard_only(desktop: Journey) -> None:
    """Journey 1 again without a pointer: every control reached by Tab shows where the focus is."""
    j, page = desktop, desktop.page
    j.goto("/refer/")
    j.tab_to("e.id === 'language-select'", limit=60)
    page.keyboard.press("ArrowDown")  # Español: the select submits itself
    j.wait_until("document.documentElement.lang === 'es'")
    j.wait_until("document.querySelector('input[name=altcha]').value !== ''")
    j.tab_to("e.id === 'id_what_is_known'")
    page.keyboard.type("Necesito ayuda.")
    j.tab_to("e.id === 'id_urgent'")
    page.keyboard.press("Space")
    assert page.locator("#id_urgent").is_checked()
    j.tab_to("e.type === 'submit' && !!e.closest('form[data-pow]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/refer/thanks/")
    j.check("thanks, by keyboard")


def test_directory_search_keeps_filters_after_back(phone: Journey) -> None:
    j, page = phone, phone.page
    j.goto("/directory/")
    j.check("directory")
    page.locator("#id_county").select_option(label="Bexar")
    page.locator("#id_age").fill("15")
    page.locator("#id_language").select_option("es")
    page.locator("#directory-search button[type=submit]").tap()
    page.wait_for_load_state("networkidle")
    j.check("directory results")
    first = page.locator("#results a[href^='/directory/services/']").first
    first.tap()
    page.wait_for_url("**/directory/services/**")
    j.check("listing")
    page.go_back()
    # The search lives in the URL (non-identifying filters only; the ZIP stays in the session).
    page.wait_for_url(re.compile(r"/directory/\?.*age=15"))
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_age").input_value() == "15"
    assert page.locator("#id_language").input_value() == "es"
    assert page.locator("#id_county option:checked").inner_text() == "Bexar"
    assert page.locator("#results a[href^='/directory/services/']").count() > 0
    j.check("directory after back")
