"""The emergency-access page lists the accesses waiting for review to those who review them (issue 16: the
supervisor's journey found nothing to review unless they had the e-mail link), with no youth data in it."""

from __future__ import annotations

import pytest

from tests.conftest import ClientFor, Persona
from tests.factories.youth import make_youth
from threadline.access.models import BreakGlass
from threadline.youth.sharing import break_glass_open, break_glass_review

pytestmark = pytest.mark.django_db

REASON = "Youth called from a stranger's phone, in danger now"


def test_reviewers_find_the_waiting_access_and_only_they_do(
    coordinator: Persona, supervisor: Persona, client_for: ClientFor
) -> None:
    youth = make_youth(coordinator.membership, preferred_name="Zaria", legal_name="Zaria Okafor")
    grant = break_glass_open(membership=coordinator.membership, youth_id=youth.pk, reason=REASON)
    link = f'href="/youth/emergency-access/{grant.pk}"'

    page = client_for(supervisor).get("/youth/emergency-access")
    assert page.status_code == 200
    html = page.content.decode()
    assert link in html
    assert "Zaria" not in html and youth.reference not in html and REASON not in html

    # The coordinator may break the glass but not review it: the form, no list.
    own = client_for(coordinator).get("/youth/emergency-access").content.decode()
    assert "/youth/emergency-access/" not in own

    break_glass_review(membership=supervisor.membership, grant_id=grant.pk, note="Checked: real.")
    after = client_for(supervisor).get("/youth/emergency-access").content.decode()
    assert link not in after
    assert BreakGlass.objects.filter(pk=grant.pk, reviewed_by=supervisor.user).count() == 1
