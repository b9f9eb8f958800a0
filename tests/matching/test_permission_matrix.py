"""The permission matrix, extended to the matcher's pages (the review queue, its decisions, undoing a
merge). Routes are discovered, not listed: a new page under matching/ must be classified here or this
test fails. Every role of both kinds of organization, and a coordinator of another program: whoever
may not merge gets 403 before anything is looked up; whoever may merge but may not change both records
gets exactly what a pair or merge that does not exist gets. Nobody refused learns a name, changes
anything or leaves a ledger row about either youth. (A merged record's own id, under youth/, is in
tests/youth/test_permission_matrix.py's discovered routes.)"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import ClientFor, Persona, make_persona
from tests.factories.accounts import OrganizationFactory
from threadline.audit.models import AccessEvent
from threadline.core.actions import Action
from threadline.core.policy import may
from threadline.core.roles import OrganizationType, Role
from threadline.matching.duplicates import duplicates_scan
from threadline.matching.models import DuplicatePair, MergeRecord
from threadline.matching.services import youth_merge
from threadline.youth.services import youth_create

pytestmark = pytest.mark.django_db

# route -> which id it takes ("" for none)
CLASSIFIED = {
    "matching/review/": "",
    "matching/review/<str:pair_id>": "pair",
    "matching/merges/<str:merge_id>/undo": "merge",
}


def matching_routes() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.startswith("matching/"):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_every_matching_route_is_classified() -> None:
    assert matching_routes() == sorted(CLASSIFIED)


KINDS = {
    "care_coordinator": {"is_care_coordinator": True, "org_type": OrganizationType.CAC},
    "partner": {"is_care_coordinator": False, "org_type": OrganizationType.DFPS_TRAFFICKING},
}
PARTNER_ROLES = [Role.PARTNER_STAFF, Role.SUPERVISOR, Role.PROGRAM_ADMIN, Role.AUDITOR, Role.ANALYST]


def _cases() -> list[tuple[str, str]]:
    cases = [("own", role) for role in Role.values]
    cases += [("other_program", role) for role in Role.values]
    cases += [("partner", role) for role in PARTNER_ROLES]
    return cases


def _scrub(body: bytes, *ids: object) -> str:
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", body.decode())
    for some_id in ids:
        text = text.replace(str(some_id), "ID")
    return text


@pytest.mark.parametrize(("where", "role"), _cases())
def test_matching_routes_by_role_and_organization(
    client_for: ClientFor, coordinator: Persona, where: str, role: str
) -> None:
    first = youth_create(
        membership=coordinator.membership, preferred_name="Philomena Arriaga", date_of_birth=date(2010, 3, 4)
    )
    second = youth_create(
        membership=coordinator.membership, preferred_name="Mena Arriaga Soto", date_of_birth=date(2010, 3, 4)
    )
    third = youth_create(
        membership=coordinator.membership, preferred_name="Philomena Arriaga", date_of_birth=date(2010, 4, 3)
    )
    duplicates_scan(youth_id=second.pk)
    pair = DuplicatePair.objects.filter(second_id__in=[second.pk], first_id__in=[first.pk]).first() or (
        DuplicatePair.objects.get(first_id=second.pk, second_id=first.pk)
    )
    merge = youth_merge(membership=coordinator.membership, merged_id=third.pk, survivor_id=first.pk)
    if where == "own":
        organization = coordinator.organization
    else:
        organization = OrganizationFactory(
            name=f"Matrix {where}", **KINDS["partner" if where == "partner" else "care_coordinator"]
        )
    persona = make_persona(email=f"{role}-{where}@matrix.test", role=role, organization=organization)
    client = client_for(persona)
    youths = [first, second, third]
    counts = (
        MergeRecord.objects.filter(undone_at__isnull=True).count(),
        list(DuplicatePair.objects.values_list("status", "version")),
    )
    ledger = AccessEvent.objects.filter(youth_id__in=[y.pk for y in youths]).count()
    may_merge = bool(may(persona.membership, Action.MERGE_YOUTH))
    sees_both = may_merge and where == "own"

    queue = client.get("/matching/review/")
    assert queue.status_code == (200 if may_merge else 403)
    ghost = uuid.uuid4()
    for route, kind in CLASSIFIED.items():
        if not kind:
            continue
        real_id = pair.pk if kind == "pair" else merge.pk
        path = "/" + re.sub(r"<str:\w+>", str(real_id), route)
        fake_path = "/" + re.sub(r"<str:\w+>", str(ghost), route)
        body = {"decision": "different"} if kind == "pair" else {}
        real = client.post(path, body)
        fake = client.post(fake_path, body)
        assert client.get(path).status_code == 405  # the page never takes a GET, for anyone
        if sees_both:
            assert real.status_code == 200 and fake.status_code == 404
            continue
        assert real.status_code == fake.status_code == (404 if may_merge else 403), (route, real.status_code)
        assert _scrub(real.content, real_id) == _scrub(fake.content, ghost)
        assert "Arriaga" not in real.content.decode()
    if not sees_both:
        assert "Arriaga" not in queue.content.decode()
        assert AccessEvent.objects.filter(youth_id__in=[y.pk for y in youths]).count() == ledger
    assert (
        MergeRecord.objects.filter(undone_at__isnull=True).count(),
        list(DuplicatePair.objects.values_list("status", "version")),
    ) == counts
