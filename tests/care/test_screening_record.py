"""Screening a youth with the demo instrument: stored with its version, screener and date; the band's
actions become plan tasks; re-screening shows change; screenings are their own category."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.care.helpers import all_fine
from tests.conftest import Persona
from tests.factories.access import Share
from threadline.access.categories import Category
from threadline.audit.models import AccessEvent
from threadline.care import selectors
from threadline.care.instruments import DEMO_INSTRUMENT, load_file
from threadline.care.models import Instrument, ScreeningResult, Task
from threadline.care.services.instruments import instrument_load
from threadline.care.services.screenings import screening_record
from threadline.care.services.tasks import task_add
from threadline.youth.models import Youth
from threadline.youth.policy import YouthNotFound

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def instrument() -> Instrument:
    return instrument_load(definition=load_file(DEMO_INSTRUMENT), licence_attestation="").instrument


def test_a_clear_concern_creates_the_tasks_and_a_rescreen(
    coordinator: Persona, youth: Youth, instrument: Instrument
) -> None:
    recorded = screening_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        instrument_id=instrument.pk,
        answers={**all_fine(), "safe_tonight": "no"},
        screened_on=DAY,
    )
    result = ScreeningResult.objects.select_related("youth__data_key").get(pk=recorded.result.pk)
    assert (result.band, result.band_at_least, result.total, result.complete) == (
        "clear_concern",
        "clear_concern",
        2,
        True,
    )
    assert result.instrument == instrument and result.screener == coordinator.user
    assert result.answers["safe_tonight"] == "no"
    assert result.rescreen_due_on == DAY + datetime.timedelta(days=30)
    tasks = sorted(
        (t.due_on, t.title) for t in Task.objects.select_related("youth__data_key").filter(youth=youth)
    )
    assert tasks == [
        (DAY + datetime.timedelta(days=1), "Follow up with the youth today"),
        (DAY + datetime.timedelta(days=3), "Review the safety plan together"),
        (DAY + datetime.timedelta(days=30), f"Re-screen: {instrument.title}"),
    ]
    assert all(t.owner_person == coordinator.user for t in recorded.tasks)
    assert AccessEvent.objects.filter(
        youth_id=youth.pk, action="edit", category__contains="screenings"
    ).exists()


def test_rescreening_shows_change_over_time(
    coordinator: Persona, youth: Youth, instrument: Instrument
) -> None:
    m = coordinator.membership
    worried = {**all_fine(), "worried": "often", "felt_alone": "often", "sleep_trouble": "often"}
    screening_record(
        membership=m, youth_id=youth.pk, instrument_id=instrument.pk, answers=worried, screened_on=DAY
    )
    screening_record(
        membership=m,
        youth_id=youth.pk,
        instrument_id=instrument.pk,
        answers=all_fine(),
        screened_on=DAY + datetime.timedelta(days=90),
    )
    rows = selectors.screenings_of(membership=m, youth_id=youth.pk)
    assert [(r.result.total, r.result.band, r.change) for r in rows] == [
        (0, "no_concern", -6),
        (6, "possible_concern", None),
    ]


def test_an_incomplete_screening_is_stored_as_incomplete(
    coordinator: Persona, youth: Youth, instrument: Instrument
) -> None:
    answers = all_fine()
    del answers["safe_tonight"]
    recorded = screening_record(
        membership=coordinator.membership, youth_id=youth.pk, instrument_id=instrument.pk, answers=answers
    )
    assert (recorded.result.band, recorded.result.band_at_least, recorded.result.complete) == (
        "",
        "no_concern",
        False,
    )


def test_bad_answers_and_unknown_instruments_are_refused_and_nothing_is_stored(
    coordinator: Persona, youth: Youth, instrument: Instrument
) -> None:
    with pytest.raises(ValidationError) as caught:
        screening_record(
            membership=coordinator.membership,
            youth_id=youth.pk,
            instrument_id=instrument.pk,
            answers={"worried": "always"},
        )
    assert "worried: 'always' is not an answer" in caught.value.message_dict["answers"][0]
    with pytest.raises(ValidationError):
        screening_record(
            membership=coordinator.membership, youth_id=youth.pk, instrument_id=99999, answers={}
        )
    with pytest.raises(ValidationError):
        screening_record(
            membership=coordinator.membership,
            youth_id=youth.pk,
            instrument_id=instrument.pk,
            answers={},
            screened_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert not ScreeningResult.objects.exists() and not Task.objects.exists()


def test_partner_with_screening_consent_only_records_but_creates_no_plan_tasks(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, instrument: Instrument, share: Share
) -> None:
    share(youth, dfps_caseworker, [Category.SCREENINGS])
    recorded = screening_record(
        membership=dfps_caseworker.membership,
        youth_id=youth.pk,
        instrument_id=instrument.pk,
        answers={**all_fine(), "safe_tonight": "no"},
    )
    assert recorded.result.band == "clear_concern"
    assert recorded.tasks == () and not Task.objects.exists()


def test_care_plan_consent_does_not_show_screenings(
    coordinator: Persona, dfps_caseworker: Persona, youth: Youth, instrument: Instrument, share: Share
) -> None:
    screening_record(
        membership=coordinator.membership, youth_id=youth.pk, instrument_id=instrument.pk, answers=all_fine()
    )
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    before = AccessEvent.objects.count()
    with pytest.raises(YouthNotFound):
        selectors.screenings_of(membership=dfps_caseworker.membership, youth_id=youth.pk)
    with pytest.raises(YouthNotFound):
        screening_record(
            membership=dfps_caseworker.membership,
            youth_id=youth.pk,
            instrument_id=instrument.pk,
            answers=all_fine(),
        )
    assert AccessEvent.objects.count() == before
    assert ScreeningResult.objects.count() == 1


def test_tasks_a_screening_made_are_screening_data(  # type: ignore[no-untyped-def]
    coordinator, dfps_caseworker, probation_officer, youth, instrument, share, client_for
) -> None:
    """Issue 9, item 6: "Re-screen in 30 days" told anyone with care-plan consent that a screening
    happened and its band. A care-plan-only partner sees no task a screening made, on the page, in the
    API or in My work, and cannot change one; a partner with screenings too sees them."""
    recorded = screening_record(
        membership=coordinator.membership,
        youth_id=youth.pk,
        instrument_id=instrument.pk,
        answers={**all_fine(), "safe_tonight": "no"},
        screened_on=DAY,
    )
    plan_task = task_add(
        membership=coordinator.membership,
        youth_id=youth.pk,
        title="Bring the bus pass",
        owner_organization_id=dfps_caseworker.organization.pk,
    )
    rescreen = next(t for t in recorded.tasks if t.title.startswith("Re-screen"))
    # The screening's tasks are handed to DFPS too, so they would show in DFPS's My work.
    Task.objects.filter(pk__in=[t.pk for t in recorded.tasks]).update(
        owner_person=None, owner_organization=dfps_caseworker.organization
    )
    share(youth, dfps_caseworker, [Category.CARE_PLAN])
    share(youth, probation_officer, [Category.CARE_PLAN, Category.SCREENINGS])

    dfps = client_for(dfps_caseworker)
    page = dfps.get(f"/care/{youth.pk}/plan").content.decode()
    api = dfps.get(f"/api/v1/care/{youth.pk}/plan").json()
    work = dfps.get("/api/v1/care/my-work").json()
    work_page = dfps.get("/care/").content.decode()
    for text in (page, str(api), str(work), work_page):
        assert "Bring the bus pass" in text
        assert "Re-screen" not in text and "Follow up with the youth today" not in text
    assert [t["title"] for t in api["tasks"]] == ["Bring the bus pass"]
    read = AccessEvent.objects.filter(youth_id=youth.pk, actor=dfps_caseworker.user).order_by("seq")
    assert {row.category for row in read} == {"care_plan"}
    changed = dfps.patch(
        f"/api/v1/care/{youth.pk}/tasks/{rescreen.pk}",
        {"version": 1, "state": "done"},
        content_type="application/json",
    )
    assert changed.status_code == 404
    assert Task.objects.get(pk=rescreen.pk).state == "open"

    probation = client_for(probation_officer)
    titles = sorted(t["title"] for t in probation.get(f"/api/v1/care/{youth.pk}/plan").json()["tasks"])
    assert titles == sorted(["Bring the bus pass", *(t.title for t in recorded.tasks)])
    last = (
        AccessEvent.objects.filter(youth_id=youth.pk, actor=probation_officer.user).order_by("-seq").first()
    )
    assert last is not None and last.category == "care_plan,screenings"
    assert plan_task.source == "plan"
