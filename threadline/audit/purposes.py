"""The ledger's "why" in the reader's language: the fixed purposes the rooms record, with their words.

The ledger keeps each row's purpose as the English the service wrote, and that text is part of the
row's hash: it is never rewritten. So the page translates when it shows a row: a purpose listed here
reads in the reader's language, so does one with a value in it ("release to 12 (sharing): granted",
``audit.purpose_patterns``), and so does a youth read's "read timeline [care team, consent]" (the
purpose and the grounds ``youth.policy`` appends); anything else (words a person typed) is shown as
stored. ``tests/audit/test_purposes.py`` finds every purpose in the code, constant or an f-string, and
fails if one is missing here (a few are a consent's purpose in demo data, caught by the same search;
their words do no harm).
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from threadline.audit.purpose_patterns import pattern_label

# The context keeps a purpose apart from the same English word elsewhere ("revoked" as an action).
PURPOSE_LABELS: dict[str, str | Promise] = {
    "open record": pgettext_lazy("ledger purpose", "open record"),  # a youth read's purpose by default
    "Family plan": pgettext_lazy("ledger purpose", "Family plan"),
    "Long-term mentoring": pgettext_lazy("ledger purpose", "Long-term mentoring"),
    "accept referral": pgettext_lazy("ledger purpose", "accept referral"),
    "acknowledged": pgettext_lazy("ledger purpose", "acknowledged"),
    "add alias": pgettext_lazy("ledger purpose", "add alias"),
    "add contact way": pgettext_lazy("ledger purpose", "add contact way"),
    "add goal": pgettext_lazy("ledger purpose", "add goal"),
    "add household member": pgettext_lazy("ledger purpose", "add household member"),
    "add need": pgettext_lazy("ledger purpose", "add need"),
    "add service": pgettext_lazy("ledger purpose", "add service"),
    "add staff": pgettext_lazy("ledger purpose", "add staff"),
    "add task": pgettext_lazy("ledger purpose", "add task"),
    "add to care team": pgettext_lazy("ledger purpose", "add to care team"),
    "advocate dispatched": pgettext_lazy("ledger purpose", "advocate dispatched"),
    "api consents": pgettext_lazy("ledger purpose", "api consents"),
    "api create": pgettext_lazy("ledger purpose", "api create"),
    "api read": pgettext_lazy("ledger purpose", "api read"),
    "apply provider's corrections": pgettext_lazy("ledger purpose", "apply provider's corrections"),
    "assign mentor": pgettext_lazy("ledger purpose", "assign mentor"),
    "attach consent form": pgettext_lazy("ledger purpose", "attach consent form"),
    "autosave note": pgettext_lazy("ledger purpose", "autosave note"),
    "build service referral packet": pgettext_lazy("ledger purpose", "build service referral packet"),
    "cancel second-factor reset": pgettext_lazy("ledger purpose", "cancel second-factor reset"),
    "care team": pgettext_lazy("ledger purpose", "care team"),
    "caseload list": pgettext_lazy("ledger purpose", "caseload list"),
    "change care plan state": pgettext_lazy("ledger purpose", "change care plan state"),
    "checked whether other programs may know this youth": pgettext_lazy(
        "ledger purpose", "checked whether other programs may know this youth"
    ),
    "close case": pgettext_lazy("ledger purpose", "close case"),
    "confirm a decision on possible duplicate records": pgettext_lazy(
        "ledger purpose", "confirm a decision on possible duplicate records"
    ),
    "confirm undoing a merge": pgettext_lazy("ledger purpose", "confirm undoing a merge"),
    "consent form": pgettext_lazy("ledger purpose", "consent form"),
    "consents": pgettext_lazy("ledger purpose", "consents"),
    "contact attempt": pgettext_lazy("ledger purpose", "contact attempt"),
    "contact attempt recorded": pgettext_lazy("ledger purpose", "contact attempt recorded"),
    "contact became a referral": pgettext_lazy("ledger purpose", "contact became a referral"),
    "coordinate services": pgettext_lazy("ledger purpose", "coordinate services"),
    "dashboard": pgettext_lazy("ledger purpose", "dashboard"),
    "demo record code": pgettext_lazy("ledger purpose", "demo record code"),
    "demo transfer": pgettext_lazy("ledger purpose", "demo transfer"),
    "disable account": pgettext_lazy("ledger purpose", "disable account"),
    "disclosure ledger": pgettext_lazy("ledger purpose", "disclosure ledger"),
    "draft service referral": pgettext_lazy("ledger purpose", "draft service referral"),
    "edit form": pgettext_lazy("ledger purpose", "edit form"),
    "edit record": pgettext_lazy("ledger purpose", "edit record"),
    "edit safety plan": pgettext_lazy("ledger purpose", "edit safety plan"),
    "edit service referral": pgettext_lazy("ledger purpose", "edit service referral"),
    "end all sessions": pgettext_lazy("ledger purpose", "end all sessions"),
    "end care team role": pgettext_lazy("ledger purpose", "end care team role"),
    "end membership": pgettext_lazy("ledger purpose", "end membership"),
    "end mentorship": pgettext_lazy("ledger purpose", "end mentorship"),
    "ends open": pgettext_lazy("ledger purpose", "ends open"),  # f"ends {expires_on or 'open'}", no date
    "erase": pgettext_lazy("ledger purpose", "erase"),
    "erased (two-person)": pgettext_lazy("ledger purpose", "erased (two-person)"),
    "erasure requested": pgettext_lazy("ledger purpose", "erasure requested"),
    "family client page": pgettext_lazy("ledger purpose", "family client page"),
    "fictional generated data": pgettext_lazy("ledger purpose", "fictional generated data"),
    "field response": pgettext_lazy("ledger purpose", "field response"),
    "first contact with the young person": pgettext_lazy(
        "ledger purpose", "first contact with the young person"
    ),
    "flag household member": pgettext_lazy("ledger purpose", "flag household member"),
    "funder report preview": pgettext_lazy("ledger purpose", "funder report preview"),
    "hide listing: yearly audit overdue": pgettext_lazy(
        "ledger purpose", "hide listing: yearly audit overdue"
    ),
    "household member referred to family services": pgettext_lazy(
        "ledger purpose", "household member referred to family services"
    ),
    "how the youth prefers to be met": pgettext_lazy("ledger purpose", "how the youth prefers to be met"),
    "issue API token": pgettext_lazy("ledger purpose", "issue API token"),
    "likely matches for a referral": pgettext_lazy("ledger purpose", "likely matches for a referral"),
    "link referral to record": pgettext_lazy("ledger purpose", "link referral to record"),
    "list family clients": pgettext_lazy("ledger purpose", "list family clients"),
    "list mentees": pgettext_lazy("ledger purpose", "list mentees"),
    "log mentoring contact": pgettext_lazy("ledger purpose", "log mentoring contact"),
    "meeting action item": pgettext_lazy("ledger purpose", "meeting action item"),
    "meeting place": pgettext_lazy("ledger purpose", "meeting place"),
    "mentoring": pgettext_lazy("ledger purpose", "mentoring"),
    "mentors": pgettext_lazy("ledger purpose", "mentors"),
    "mentorship ended": pgettext_lazy("ledger purpose", "mentorship ended"),
    "merge records": pgettext_lazy("ledger purpose", "merge records"),
    "merge records of one youth": pgettext_lazy("ledger purpose", "merge records of one youth"),
    "merged record leads to the record kept": pgettext_lazy(
        "ledger purpose", "merged record leads to the record kept"
    ),
    "missing episode follow-up": pgettext_lazy("ledger purpose", "missing episode follow-up"),
    "missing notification": pgettext_lazy("ledger purpose", "missing notification"),
    "move to another region": pgettext_lazy("ledger purpose", "move to another region"),
    "my work: meetings": pgettext_lazy("ledger purpose", "my work: meetings"),
    "my work: releases ending": pgettext_lazy("ledger purpose", "my work: releases ending"),
    "my work: tasks": pgettext_lazy("ledger purpose", "my work: tasks"),
    "new youth record": pgettext_lazy("ledger purpose", "new youth record"),
    "notification protocol": pgettext_lazy("ledger purpose", "notification protocol"),
    "on-call phone": pgettext_lazy("ledger purpose", "on-call phone"),
    "on-call rota": pgettext_lazy("ledger purpose", "on-call rota"),
    "open draft note": pgettext_lazy("ledger purpose", "open draft note"),
    "open family client": pgettext_lazy("ledger purpose", "open family client"),
    "outcome check-in": pgettext_lazy("ledger purpose", "outcome check-in"),
    "possible duplicate records are different youths": pgettext_lazy(
        "ledger purpose", "possible duplicate records are different youths"
    ),
    "preview": pgettext_lazy("ledger purpose", "preview"),
    "provider applied to the directory": pgettext_lazy("ledger purpose", "provider applied to the directory"),
    "provider confirmed listing": pgettext_lazy("ledger purpose", "provider confirmed listing"),
    "provider feedback": pgettext_lazy("ledger purpose", "provider feedback"),
    "re-open case": pgettext_lazy("ledger purpose", "re-open case"),
    "re-send referral link": pgettext_lazy("ledger purpose", "re-send referral link"),
    "read access history": pgettext_lazy("ledger purpose", "read access history"),
    "read care plan": pgettext_lazy("ledger purpose", "read care plan"),
    "read case notes": pgettext_lazy("ledger purpose", "read case notes"),
    "read meetings": pgettext_lazy("ledger purpose", "read meetings"),
    "read progress": pgettext_lazy("ledger purpose", "read progress"),
    "read safety plan": pgettext_lazy("ledger purpose", "read safety plan"),
    "read screenings": pgettext_lazy("ledger purpose", "read screenings"),
    "read timeline": pgettext_lazy("ledger purpose", "read timeline"),
    "record consent": pgettext_lazy("ledger purpose", "record consent"),
    "record meeting": pgettext_lazy("ledger purpose", "record meeting"),
    "record on-site check": pgettext_lazy("ledger purpose", "record on-site check"),
    "record placement": pgettext_lazy("ledger purpose", "record placement"),
    "record screening": pgettext_lazy("ledger purpose", "record screening"),
    "refer to family services": pgettext_lazy("ledger purpose", "refer to family services"),
    "referral accepted: story carried into the record": pgettext_lazy(
        "ledger purpose", "referral accepted: story carried into the record"
    ),
    "referral linked to existing youth record": pgettext_lazy(
        "ledger purpose", "referral linked to existing youth record"
    ),
    "referral routing": pgettext_lazy("ledger purpose", "referral routing"),
    "referral unlinked from youth record": pgettext_lazy(
        "ledger purpose", "referral unlinked from youth record"
    ),
    "referrals: choose a youth": pgettext_lazy("ledger purpose", "referrals: choose a youth"),
    "referrals: dashboard": pgettext_lazy("ledger purpose", "referrals: dashboard"),
    "referrals: overdue": pgettext_lazy("ledger purpose", "referrals: overdue"),
    "referred out": pgettext_lazy("ledger purpose", "referred out"),
    "region coordinator": pgettext_lazy("ledger purpose", "region coordinator"),
    "remove listing from search": pgettext_lazy("ledger purpose", "remove listing from search"),
    "remove second factor after two-admin check": pgettext_lazy(
        "ledger purpose", "remove second factor after two-admin check"
    ),
    "report missing": pgettext_lazy("ledger purpose", "report missing"),
    "request erasure": pgettext_lazy("ledger purpose", "request erasure"),
    "request second-factor reset": pgettext_lazy("ledger purpose", "request second-factor reset"),
    "return from missing": pgettext_lazy("ledger purpose", "return from missing"),
    "review merged records": pgettext_lazy("ledger purpose", "review merged records"),
    "review possible duplicate records": pgettext_lazy("ledger purpose", "review possible duplicate records"),
    "review referral": pgettext_lazy("ledger purpose", "review referral"),
    "reviewed": pgettext_lazy("ledger purpose", "reviewed"),
    "revoke API token": pgettext_lazy("ledger purpose", "revoke API token"),
    "revoke consent": pgettext_lazy("ledger purpose", "revoke consent"),
    "revoked": pgettext_lazy("ledger purpose", "revoked"),
    "save note": pgettext_lazy("ledger purpose", "save note"),
    "schedule meeting": pgettext_lazy("ledger purpose", "schedule meeting"),
    "search by name, date of birth or phone": pgettext_lazy(
        "ledger purpose", "search by name, date of birth or phone"
    ),
    "search by record code": pgettext_lazy("ledger purpose", "search by record code"),
    "send service referral": pgettext_lazy("ledger purpose", "send service referral"),
    "send yearly audit link": pgettext_lazy("ledger purpose", "send yearly audit link"),
    "service referral": pgettext_lazy("ledger purpose", "service referral"),
    "service referrals": pgettext_lazy("ledger purpose", "service referrals"),
    "set care plan review": pgettext_lazy("ledger purpose", "set care plan review"),
    "stage of change": pgettext_lazy("ledger purpose", "stage of change"),
    "start care plan": pgettext_lazy("ledger purpose", "start care plan"),
    "start vetting review": pgettext_lazy("ledger purpose", "start vetting review"),
    "suggest services": pgettext_lazy("ledger purpose", "suggest services"),
    "today: initials": pgettext_lazy("ledger purpose", "today: initials"),
    "transfer": pgettext_lazy("ledger purpose", "transfer"),
    "transfer request": pgettext_lazy("ledger purpose", "transfer request"),
    "undo merge": pgettext_lazy("ledger purpose", "undo merge"),
    "undo merge of records": pgettext_lazy("ledger purpose", "undo merge of records"),
    "unlink referral": pgettext_lazy("ledger purpose", "unlink referral"),
    "update referral": pgettext_lazy("ledger purpose", "update referral"),
    "update task": pgettext_lazy("ledger purpose", "update task"),
    "view a confidential address in the directory": pgettext_lazy(
        "ledger purpose", "view a confidential address in the directory"
    ),
    "warm hand-off checklist": pgettext_lazy("ledger purpose", "warm hand-off checklist"),
    "youth record opened from referral": pgettext_lazy("ledger purpose", "youth record opened from referral"),
}


# On what grounds a youth's record was opened, as ``youth.policy._grounds_label`` writes them.
GROUND_LABELS: dict[str, str | Promise] = {
    "break-glass": pgettext_lazy("access grounds", "break-glass"),
    "care team": pgettext_lazy("access grounds", "care team"),
    "consent": pgettext_lazy("access grounds", "consent"),
    "family services consent": pgettext_lazy("access grounds", "family services consent"),
    "mentoring": pgettext_lazy("access grounds", "mentoring"),
    "mentoring consent": pgettext_lazy("access grounds", "mentoring consent"),
}
WITH_GROUNDS = re.compile(r"(?P<purpose>.+) \[(?P<grounds>[^\[\]]+)\]")


def _label(purpose: str) -> str | None:
    label = PURPOSE_LABELS.get(purpose)
    return str(label) if label is not None else pattern_label(purpose)


def purpose_label(purpose: str) -> str:
    """A known purpose (with known grounds, if any) in the reader's language; else exactly as stored."""
    found = WITH_GROUNDS.fullmatch(purpose)
    if found is not None:  # the grounds first: a pattern's last value must not swallow "[care team]"
        head = _label(found["purpose"])
        grounds = [GROUND_LABELS.get(ground) for ground in found["grounds"].split(", ")]
        if head is not None and None not in grounds:
            return f"{head} [{', '.join(str(ground) for ground in grounds)}]"
    label = _label(purpose)
    return purpose if label is None else label
