"""Plain words, in the reader's language, for the codes the access ledger stores ("view youth",
"care_plan,education"): people read labels, never codes (issue 16, item 2).

The ledger sits below the rooms whose codes it keeps, so the rooms above lend their words through
discovery: a room's ``ledger_labels.py`` may define ``CATEGORY_LABELS`` (code -> label) and
``youth_references(ids) -> {id: record code}`` (the youth room shows a record code, never an id).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from threadline.discovery import app_modules

ACTION_LABELS: dict[str, str | Promise] = {
    "view": _("viewed"),
    "read": _("viewed"),
    "list": _("listed"),
    "search": _("found in a search"),
    "edit": _("changed"),
    "update": _("changed"),
    "create": _("created"),
    "delete": _("deleted"),
    "export": _("exported"),
    "disclose": _("shared"),
    "link": _("linked"),
    "unlink": _("unlinked"),
    "merge": _("merged"),
    "unmerge": _("merge undone"),
    "notify": _("notified"),
    "escalate": _("escalated"),
    "acknowledge": _("acknowledged"),
    "approve": _("approved"),
    "cancel": _("cancelled"),
    "revoke": _("revoked"),
    "deactivate": _("deactivated"),
    "load": _("loaded"),
    "autosave": _("draft saved"),
    "sign_out": _("signed out"),
    "erase": _("erased"),
    "erase_request": _("erasure requested"),
    "break_glass": _("emergency access"),
    "break_glass_review": _("emergency access reviewed"),
    "consent_record": _("release recorded"),
    "consent_revoke": _("release revoked"),
    "consent_file_attach": _("signed form attached"),
    "capacity_update": _("capacity changed"),
    "referral_contact_attempt": _("contact attempt recorded"),
    "data_key_regenerated": _("encryption key replaced"),
    "ledger_key_rotated": _("ledger key replaced"),
    "matcher_train": _("matcher trained"),
    # A service referral's state change is written as "referral_" and the state it reached.
    "referral_sent": _("service referral sent"),
    "referral_received": _("service referral received"),
    "referral_accepted": _("service referral accepted"),
    "referral_declined_by_provider": _("service referral declined by the provider"),
    "referral_declined_by_youth": _("service referral declined by the youth"),
    "referral_connected": _("service referral connected"),
    "referral_completed": _("service referral completed"),
    "referral_cancelled": _("service referral cancelled"),
    "referral_expired": _("service referral expired"),
    "cross_program_check": _("checked other programs"),
    "not_a_match": _("marked as not the same youth"),
    "family_client_open": _("family services case opened"),
    "mentor_assign": _("mentor assigned"),
    "mentor_end": _("mentoring ended"),
    "agreement_record": _("agreement recorded"),
    "agreement_change": _("agreement changed"),
    "agreement_remind": _("agreement reminder sent"),
    "council_member_add": _("council member added"),
    "council_member_leave": _("council member left"),
    "program_meeting_schedule": _("program meeting scheduled"),
    "program_meeting_record": _("program meeting recorded"),
    "training_record": _("training recorded"),
    "training_attendance": _("training attendance recorded"),
    "action_plan_create": _("action plan created"),
    "action_item_add": _("action item added"),
    "action_item_done": _("action item done"),
}

# Codes that mean the same to a reader: one choice in the ledger's filter finds both.
ACTION_SAME_AS: dict[str, str] = {"read": "view", "update": "edit"}


def action_codes(code: str) -> list[str]:
    """Every stored code the filter choice ``code`` stands for."""
    return [code, *sorted(c for c, same in ACTION_SAME_AS.items() if same == code)]


def action_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, str(label)) for code, label in ACTION_LABELS.items() if code not in ACTION_SAME_AS),
        key=lambda item: item[1],
    )


OBJECT_LABELS: dict[str, str | Promise] = {
    "youth": _("youth record"),
    "matcher_model": _("matcher model"),
    "care_plan": _("care plan"),
    "case_note": _("case note"),
    "case_closure": _("case closure"),
    "safety_plan": _("safety plan"),
    "screening": _("screening"),
    "meeting": _("meeting"),
    "placement": _("placement"),
    "missing_episode": _("missing episode"),
    "household_member": _("household member"),
    "consent": _("release of information"),
    "consent_file": _("signed release form"),
    "break_glass": _("emergency access"),
    "referral": _("referral"),
    "service_referral": _("service referral"),
    "contact": _("contact"),
    "alert": _("alert"),
    "stage_assessment": _("stage of change"),
    "outcome_check_in": _("check-in"),
    "merge": _("merged records"),
    "user": _("person"),
    "membership": _("membership"),
    "api_token": _("API token"),
    "instrument": _("screening instrument"),
    "directory_listing": _("directory listing"),
    "directory_service": _("directory service"),
    "ledger": _("access ledger"),
    "funder_report": _("funder report"),
    "outcomes_dashboard": _("figures and reports"),
    "hmis_export": _("HMIS export"),
    "referrals_export": _("referrals export"),
    "field_response": _("field response"),
    "mandatory_report": _("mandatory report"),
    "eligibility_decision": _("eligibility decision"),
}


def _plain(code: str) -> str:
    """A code nobody gave words to yet still reads as words, never as an identifier."""
    return code.replace("_", " ")


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, _plain(code)))


def object_label(code: str) -> str:
    return str(OBJECT_LABELS.get(code, _plain(code)))


def _lent(name: str) -> list[Any]:
    return [getattr(module, name) for _label, module in app_modules("ledger_labels") if hasattr(module, name)]


def category_labels(codes: str | Iterable[str]) -> str:
    """ "care_plan,education" -> "Care plan, Education" in the reader's language."""
    parts = [c for c in (codes.split(",") if isinstance(codes, str) else codes) if c]
    words: dict[str, Any] = {}
    for table in _lent("CATEGORY_LABELS"):
        words.update(table)
    return ", ".join(str(words.get(c, _plain(c))) for c in parts)


def youth_references(ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    found: dict[uuid.UUID, str] = {}
    if wanted:
        for lookup in _lent("youth_references"):
            found.update(lookup(wanted))
    return found


def youth_id_for_reference(reference: str) -> uuid.UUID | None:
    for lookup in _lent("youth_id_by_reference"):
        found = lookup(reference)
        if found is not None:
            return found
    return None
