"""Youth data is read and written only through services, selectors and models (which go through
``access``); a view or API module that queries those models directly would bypass the policy."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "threadline"
YOUTH_MODELS = (
    "Youth",
    "YouthAlias",
    "Referral",
    "CaseNote",
    "Placement",
    "PlacementAddress",
    "MissingEpisode",
    "HouseholdMember",
    "Consent",
    "CareTeamMember",
    "CarePlan",
    "SafetyPlan",
    "Screening",
    "Meeting",
    "Contact",
    "ContactWay",
    "ServiceReferral",
)
PATTERN = re.compile(r"\b(" + "|".join(YOUTH_MODELS) + r")\.(objects|_default_manager|_base_manager)\b")
# The policy module itself is the one gateway that builds youth querysets for everyone else.
ALLOWED = re.compile(
    r"(selectors|services|models|admin|factories|demo)(/\w+)?\.py$|/(migrations|management)/"
    r"|^youth/(policy|sharing|erasure|timeline)\.py$"
)


def offenders() -> list[str]:
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if ALLOWED.search(rel):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PATTERN.search(line):
                found.append(f"threadline/{rel}:{number}: {line.strip()}")
    return found


def test_no_module_outside_services_and_selectors_queries_youth_data() -> None:
    assert offenders() == []


def test_the_check_itself_catches_a_direct_query(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert PATTERN.search("qs = Youth.objects.filter(pk=1)")
    assert PATTERN.search("Placement._default_manager.all()")
    assert not PATTERN.search("youth = access_youth(user, pk, Category.IDENTITY)")
    assert ALLOWED.search("youth/selectors.py") and not ALLOWED.search("youth/views.py")


def test_only_the_policy_and_youth_services_use_the_unscoped_youth_queryset() -> None:
    allowed = {"youth/policy.py", "youth/models.py"}
    callers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if "unscoped_youth(" in path.read_text()
    }
    assert callers <= allowed, callers - allowed
    assert "youth/policy.py" in callers  # the check still sees the one real caller
