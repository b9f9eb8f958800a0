"""Journeys 2 to 5, by the demo personas on the real sign-in page (demo accounts skip the second factor
only while DEMO_MODE is on: accounts/selectors.py): the on-call advocate, the coordinator, a partner and
the supervisor."""

from __future__ import annotations

import re

from tests.e2e.harness import Journey


def _first_plan(j: Journey) -> str:
    """The first youth on My work that has a plan link: its id."""
    j.goto("/care/")
    href = j.page.locator("main a[href$='/plan']").first.get_attribute("href")
    assert href is not None
    found = re.search(r"/care/([^/]+)/plan", href)
    assert found is not None
    return found.group(1)


def test_advocate_acknowledges_an_urgent_referral_and_writes_a_case_note(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("advocate")
    j.goto("/intake/")
    j.check("on-call board")
    acknowledge = page.locator("main form[action$='/acknowledge']")
    if acknowledge.count():
        action = acknowledge.first.get_attribute("action")
        acknowledge.first.get_by_role("button", name="Acknowledge").click()
        j.wait_until(f"!document.querySelector('main form[action=\"{action}\"]')", timeout=20)
        j.check("alert acknowledged")
    j.goto("/intake/referrals/")
    j.check("referral queue")
    page.locator("main a[href^='/intake/referrals/']").filter(has_not_text="New").first.click()
    page.wait_for_load_state("load")
    j.check("referral")
    reached = page.get_by_role("button", name="We reached the young person")
    if reached.count():
        reached.click()
        page.wait_for_load_state("load")
        assert page.get_by_role("button", name="We reached the young person").count() == 0
        j.check("first contact recorded")
    youth = _first_plan(j)
    j.goto(f"/care/{youth}/notes")
    j.check("case notes")
    # A draft autosaves while typing and comes back on reload (issue 16, part 6).
    page.locator("#id_narrative").fill("Met at the drop-in; talked about school.")
    j.wait_until("/\\d/.test(document.querySelector('#draft-state [role=status]').textContent)", timeout=30)
    page.reload()
    assert page.locator("#id_narrative").input_value() == "Met at the drop-in; talked about school."
    j.check("draft restored")
    page.get_by_role("button", name="Save note").click()
    page.wait_for_load_state("load")
    assert page.locator("main").get_by_text("Met at the drop-in; talked about school.").count() >= 1
    j.check("note saved")


def _coordinator_plan(j: Journey, *, keyboard: bool) -> str:
    page = j.page
    youth = _first_plan(j)
    j.goto(f"/care/{youth}/plan")
    j.check("care plan")
    owner = page.locator("#id_task-owner option").filter(has_not_text="—")
    partner = [
        v
        for v in owner.evaluate_all("os => os.map(o => o.value + '|' + o.text)")
        if "Counseling" in v or "DFPS" in v
    ]
    page.locator("#id_task-title").fill("Book the first counseling session")
    if partner:
        page.locator("#id_task-owner").select_option(partner[0].split("|")[0])
    if keyboard:
        page.locator("#id_task-title").focus()
        j.tab_to("e.type === 'submit' && !!e.form && !!e.form.querySelector('[name=form][value=task]')")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            page.get_by_role("button", name="Add next step").click()
    # The page comes back at the next steps, not at the top of a long page (issue 16, part 6).
    assert page.url.endswith("#tasks-h"), page.url
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("#tasks-h").is_visible()
    j.check("next step added")
    return youth


def test_coordinator_checks_accepts_plans_meets_and_prints(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("coordinator")
    j.goto("/intake/eligibility/")
    page.locator("#id_county").fill("Bexar")
    page.locator("#id_age").fill("15")
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#result")
    j.check("eligibility")
    j.goto("/intake/referrals/")
    links = page.locator("main a[href^='/intake/referrals/']")
    for index in range(min(links.count(), 8)):
        href = links.nth(index).get_attribute("href") or ""
        if not re.fullmatch(r"/intake/referrals/[0-9a-f-]{36}/", href):
            continue
        j.goto(href)
        accept = page.get_by_role("button", name=re.compile("^Accept"))
        if accept.count():
            j.check("referral to accept")
            accept.click()
            page.wait_for_load_state("load")
            j.check("accepted")
            break
        j.goto("/intake/referrals/")
    youth = _coordinator_plan(j, keyboard=False)
    j.goto(f"/care/{youth}/meetings")
    page.locator("#id_m-scheduled_at").fill("2030-01-15T10:00")
    page.locator("#id_m-agenda").fill("First team meeting")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state("load")
    assert page.locator("main").get_by_text("First team meeting").count() >= 1
    j.check("meeting scheduled")
    j.goto(f"/care/{youth}/safety-plan")
    j.check("safety plan")


def test_safety_plan_prints_in_both_languages(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("coordinator")
    youth = _first_plan(j)
    for lang in ("en", "es"):
        j.goto(f"/care/{youth}/safety-plan/print?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        j.check(f"printable safety plan {lang}")
    j.assert_clean()


def test_coordinator_plan_by_keyboard_only(desktop: Journey) -> None:
    """Journey 3's plan step without a pointer: sign in by keyboard, add a next step by keyboard."""
    j = desktop
    j.sign_in("coordinator", keyboard=True)
    _coordinator_plan(j, keyboard=True)


def test_partner_sees_no_link_that_would_404(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("dfps")
    j.check("partner home")
    seen: set[str] = set()
    queue = [
        h for h in page.locator("a[href^='/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]
    youth_pages = 0
    while queue:
        href = queue.pop(0).split("#")[0]
        if href in seen or href.startswith(("/accounts/logout", "/static/")) or not href:
            continue
        seen.add(href)
        response = page.goto(href)
        assert response is not None
        assert response.status != 404, f"the partner's link {href} answers 404"
        if href.startswith(("/youth/", "/care/")) and youth_pages < 12:
            youth_pages += 1
            queue.extend(
                page.locator("main a[href^='/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
            )
    j.assert_clean()


def test_supervisor_reviews_an_emergency_access_and_the_access_history(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("supervisor")
    j.goto("/youth/emergency-access")
    j.check("emergency access")
    review = page.locator("main a[href^='/youth/emergency-access/']")
    if review.count():
        review.first.click()
        page.wait_for_load_state("load")
        j.check("emergency access review")
    j.goto("/youth/")
    j.check("youth list")
    first = page.locator("main a[href^='/youth/'][href$='/']").first
    href = first.get_attribute("href")
    assert href is not None
    j.goto(href + "access")
    j.check("access history")
