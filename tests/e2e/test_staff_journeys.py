"""Journeys 2 to 5, by the demo personas on the real sign-in page (demo accounts skip the second factor
only while DEMO_MODE is on: accounts/selectors.py): the on-call advocate, the coordinator, a partner and
the supervisor."""

from __future__ import annotations

import re
import uuid

from tests.e2e.harness import Journey
from threadline.access.categories import Category

PLANNED = "Y-DEMCAA"  # the demo youth with a care plan, a team of partners, a screening (care/demo.py)
UNPLANNED = "Y-DEMCAF"  # a demo youth nobody shares: the one the emergency access opens
CONSENT_CATEGORIES = [c for c in Category if c != Category.RECORD]


def _first_plan(j: Journey) -> str:
    """The first youth on My work that has a plan link: its id."""
    j.goto("/care/")
    href = j.page.locator("main a[href$='/plan']").first.get_attribute("href")
    assert href is not None
    found = re.search(r"/care/([^/]+)/plan", href)
    assert found is not None
    return found.group(1)


def _story(who: str) -> str:
    """A referral's story with a marker of this run, so the journey acts on its own referral."""
    return f"{who} {uuid.uuid4().hex[:8]}: older men wait for her after school and buy her things."


def test_advocate_acknowledges_an_urgent_referral_and_writes_a_case_note(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    story = _story("Advocate journey")
    j.refer(story)  # an urgent referral arrives: the on-call advocate's alert
    j.sign_in("advocate")
    referral = j.newest_referral(story)
    j.check("urgent referral")
    j.goto("/intake/")
    j.check("on-call board")
    alert = page.locator("main li.alert-row").filter(has=page.locator(f"a[href='{referral}']"))
    assert alert.count() == 1, f"no alert waits for {referral}"
    alert.get_by_role("button", name="Acknowledge").click()
    j.wait_until(f"!document.querySelector('main li.alert-row a[href=\"{referral}\"]')", timeout=20)
    j.check("alert acknowledged")
    j.goto(referral)
    with page.expect_navigation():
        page.get_by_role("button", name="We reached the young person").click()
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
    with page.expect_navigation():
        page.get_by_role("button", name="Save note").click()
    assert page.locator("main").get_by_text("Met at the drop-in; talked about school.").count() >= 1
    j.check("note saved")


def _coordinator_plan(j: Journey, *, keyboard: bool) -> str:
    """A next step for a partner on the demo plan of Y-DEMCAA (its team: DFPS and probation)."""
    page = j.page
    youth = j.youth_by_code(PLANNED)
    j.goto(f"/care/{youth}/plan")
    j.check("care plan")
    owner = page.locator("#id_task-owner option").filter(has_text="Bluebonnet DFPS Regional Office")
    assert owner.count() == 1, "the partner on the care team is not offered as the step's owner"
    title = f"Book the first counseling session ({uuid.uuid4().hex[:6]})"
    page.locator("#id_task-title").fill(title)
    page.locator("#id_task-owner").select_option(owner.get_attribute("value"))
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
    assert page.locator("main").get_by_text(title).count() == 1
    # Each step's state select has a label for screen readers only: there, but not shown.
    hidden = page.locator("main label.visually-hidden")
    assert hidden.count() >= 1
    box = hidden.first.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, box
    j.check("next step added")
    return youth


def test_coordinator_checks_accepts_plans_meets_and_prints(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    story = _story("Coordinator journey")
    j.refer(story)  # the referral this journey accepts
    j.sign_in("coordinator")
    j.goto("/intake/eligibility/")
    page.locator("#id_county").fill("Bexar")
    page.locator("#id_age").fill("15")
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#result")
    j.check("eligibility")
    j.newest_referral(story)
    j.check("referral to accept")
    page.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_url(re.compile(r"/care/[^/]+/notes$"))
    # The new record opens with the referral's story as its first note.
    assert story in page.locator("main").inner_text()
    j.check("accepted")
    youth = _coordinator_plan(j, keyboard=False)
    j.goto(f"/care/{youth}/meetings")
    page.locator("#id_m-scheduled_at").fill("2030-01-15T10:00")
    agenda = f"First team meeting ({uuid.uuid4().hex[:6]})"
    page.locator("#id_m-agenda").fill(agenda)
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule", exact=True).click()
    assert page.locator("main").get_by_text(agenda).count() == 1
    j.check("meeting scheduled")
    j.goto(f"/care/{youth}/safety-plan")
    j.check("safety plan")


def test_coordinator_records_a_screening_and_opens_the_releases_on_a_phone(phone: Journey) -> None:
    """Journey 3 on a 360 px phone: the screenings page (it once was 523 px wide) and the releases page,
    whose checkboxes are touch targets of at least 24 x 24 px (issue 16, part 6)."""
    j, page = phone, phone.page
    j.sign_in("coordinator")
    youth = j.youth_by_code(PLANNED)
    j.goto(f"/care/{youth}/screenings")
    j.check("screenings")
    rows = page.locator("main table tbody tr")
    before = rows.count()
    page.locator("#instrument").select_option(index=0)
    page.get_by_role("button", name="Start").tap()
    questions = page.locator("main form[method=post] fieldset.field")
    questions.first.wait_for()
    j.check("screening questions")
    for index in range(questions.count()):
        questions.nth(index).locator("label").first.tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Save screening").tap()
    assert page.url.endswith(f"/care/{youth}/screenings"), page.url  # saved: back to the list
    assert page.locator(".messages").get_by_text("Screening saved.").count() == 1
    assert rows.count() == before + 1
    j.check("screening saved")
    j.goto(f"/youth/{youth}/consents")
    j.check("releases")
    j.assert_target_sizes(at_least=len(CONSENT_CATEGORIES))


def test_safety_plan_prints_in_both_languages(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    j.sign_in("coordinator")
    youth = j.youth_by_code(PLANNED)
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


def test_partner_sees_no_link_that_would_refuse_them(desktop: Journey) -> None:
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
        # Neither 404 nor 403 ("The youth moved" was offered to partners and answered 403).
        assert response.status < 400, f"the partner's link {href} answers {response.status}"
        if href.startswith(("/youth/", "/care/")) and youth_pages < 12:
            youth_pages += 1
            queue.extend(
                page.locator("main a[href^='/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
            )
    records = [h for h in seen if re.match(r"/(youth|care)/[0-9a-f-]{36}/", h)]
    assert records, "the partner reached no youth's record: the consent boundary went unchecked"
    j.assert_clean()


def test_supervisor_reviews_an_emergency_access_and_the_access_history(desktop: Journey) -> None:
    j, page = desktop, desktop.page
    reason = f"Hotline call {uuid.uuid4().hex[:8]}: she needs her safety plan now"
    j.sign_in("coordinator")  # someone in the supervisor's organization breaks the glass first
    j.goto("/youth/emergency-access")
    page.locator("#id_reference").fill(UNPLANNED)
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name="Open in an emergency").click()
    page.wait_for_url(re.compile(r"/youth/[^/]+/$"))
    youth = page.url.rstrip("/").rsplit("/", 1)[1]
    j.sign_out()
    j.sign_in("supervisor")
    j.goto("/youth/emergency-access")
    j.check("emergency access")
    with page.expect_navigation():
        page.locator("main a[href^='/youth/emergency-access/']").first.click()  # the newest waiting
    assert reason in page.locator("main").inner_text()
    j.check("emergency access review")
    page.locator("#note").fill("Checked with the coordinator: a real emergency.")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark reviewed").click()
    assert page.locator(".messages").get_by_text("Review recorded.").count() == 1
    j.check("emergency access reviewed")
    j.goto(f"/youth/{youth}/access")
    assert reason in page.locator("main").inner_text()
    j.check("access history")
    j.goto(f"/youth/{youth}/access?print=1")  # its table scrolls in its own region on a phone
    j.check("printable disclosure ledger")
    j.goto("/audit/")  # the filters' longest option once made the page 371 px wide on a phone
    j.check("access ledger")
