"""The ledger's purposes built with a value in them ("release to 12 (sharing): granted"), read in the
reader's language without touching what is stored.

Each entry is a msgid with the values as python-format placeholders, written exactly as the service's
f-string writes the English, so the stored text is matched by a regex made from the msgid itself
(the words escaped, each placeholder a group of what that value can be) and the values are put back
into the translated words as stored. Placeholders are tight on purpose (digits, a date, a code): a
purpose a person typed that only looks like one of these is then shown as stored, not half-translated.
The values are never logged: a reason or a service's name can hold a person's name.
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

PURPOSE_PATTERNS: dict[str, str | Promise] = {
    "%(agency)s report overdue: %(count)s paged": pgettext_lazy(
        "ledger purpose", "%(agency)s report overdue: %(count)s paged"
    ),
    "%(agency)s told": pgettext_lazy("ledger purpose", "%(agency)s told"),
    "%(attendees)s from %(organization)s": pgettext_lazy(
        "ledger purpose", "%(attendees)s from %(organization)s"
    ),
    "%(count)s referrals: %(reason)s": pgettext_lazy("ledger purpose", "%(count)s referrals: %(reason)s"),
    "%(count)s youths: %(reason)s": pgettext_lazy("ledger purpose", "%(count)s youths: %(reason)s"),
    "%(kind)s assigned": pgettext_lazy("ledger purpose", "%(kind)s assigned"),
    "HMIS export %(export)s: %(reason)s": pgettext_lazy(
        "ledger purpose", "HMIS export %(export)s: %(reason)s"
    ),
    "Service referral to %(service)s": pgettext_lazy("ledger purpose", "Service referral to %(service)s"),
    "agreement with %(organization)s: %(kind)s": pgettext_lazy(
        "ledger purpose", "agreement with %(organization)s: %(kind)s"
    ),
    "approve listing (%(visibility)s)": pgettext_lazy("ledger purpose", "approve listing (%(visibility)s)"),
    "available capacity set to %(count)s": pgettext_lazy(
        "ledger purpose", "available capacity set to %(count)s"
    ),
    "consent ends within %(days)s days: %(count)s reminded": pgettext_lazy(
        "ledger purpose", "consent ends within %(days)s days: %(count)s reminded"
    ),
    "consented transfer from program %(program)s": pgettext_lazy(
        "ledger purpose", "consented transfer from program %(program)s"
    ),
    "contact (%(channel)s)": pgettext_lazy("ledger purpose", "contact (%(channel)s)"),
    "dashboard %(start)s..%(end)s": pgettext_lazy("ledger purpose", "dashboard %(start)s..%(end)s"),
    "declined by program %(program)s": pgettext_lazy("ledger purpose", "declined by program %(program)s"),
    "eligibility %(outcome)s": pgettext_lazy("ledger purpose", "eligibility %(outcome)s"),
    "eligibility rules v%(number)s": pgettext_lazy("ledger purpose", "eligibility rules v%(number)s"),
    "emergency access for %(minutes)s min": pgettext_lazy(
        "ledger purpose", "emergency access for %(minutes)s min"
    ),
    "ends %(date)s": pgettext_lazy("ledger purpose", "ends %(date)s"),
    "field response: %(step)s": pgettext_lazy("ledger purpose", "field response: %(step)s"),
    "for %(agency)s": pgettext_lazy("ledger purpose", "for %(agency)s"),
    "kept the priors: %(records)s youths, fewer than %(minimum)s": pgettext_lazy(
        "ledger purpose", "kept the priors: %(records)s youths, fewer than %(minimum)s"
    ),
    "load screening instrument %(instrument)s %(version)s": pgettext_lazy(
        "ledger purpose", "load screening instrument %(instrument)s %(version)s"
    ),
    "meeting %(meeting)s, owner %(owner)s": pgettext_lazy(
        "ledger purpose", "meeting %(meeting)s, owner %(owner)s"
    ),
    "mentor from organization %(organization)s": pgettext_lazy(
        "ledger purpose", "mentor from organization %(organization)s"
    ),
    "new data key; %(count)s rows re-encrypted": pgettext_lazy(
        "ledger purpose", "new data key; %(count)s rows re-encrypted"
    ),
    "not acknowledged in %(minutes)s min: level %(level)s": pgettext_lazy(
        "ledger purpose", "not acknowledged in %(minutes)s min: level %(level)s"
    ),
    "re-routed to region %(region)s": pgettext_lazy("ledger purpose", "re-routed to region %(region)s"),
    "referral %(status)s": pgettext_lazy("ledger purpose", "referral %(status)s"),
    "referral received (%(channel)s)": pgettext_lazy("ledger purpose", "referral received (%(channel)s)"),
    "region %(before)s -> %(after)s": pgettext_lazy("ledger purpose", "region %(before)s -> %(after)s"),
    "release to %(organization)s (%(use)s): %(consent_state)s": pgettext_lazy(
        "ledger purpose", "release to %(organization)s (%(use)s): %(consent_state)s"
    ),
    "rows from here on are sealed with key %(key)s": pgettext_lazy(
        "ledger purpose", "rows from here on are sealed with key %(key)s"
    ),
    "scanned form for consent %(consent)s": pgettext_lazy(
        "ledger purpose", "scanned form for consent %(consent)s"
    ),
    "service referral %(current)s -> %(wanted)s (%(side)s)": pgettext_lazy(
        "ledger purpose", "service referral %(current)s -> %(wanted)s (%(side)s)"
    ),
    "service referral packet read (%(side)s)": pgettext_lazy(
        "ledger purpose", "service referral packet read (%(side)s)"
    ),
    "service referral packet to %(provider)s": pgettext_lazy(
        "ledger purpose", "service referral packet to %(provider)s"
    ),
    "service referral: %(referral_state)s": pgettext_lazy(
        "ledger purpose", "service referral: %(referral_state)s"
    ),
    "set visibility %(visibility)s": pgettext_lazy("ledger purpose", "set visibility %(visibility)s"),
    "trained on %(sampled)s of %(records)s youths": pgettext_lazy(
        "ledger purpose", "trained on %(sampled)s of %(records)s youths"
    ),
    "transfer to program %(program)s": pgettext_lazy("ledger purpose", "transfer to program %(program)s"),
    "update %(item)s": pgettext_lazy("ledger purpose", "update %(item)s"),
    "unchanged: %(records)s youths": pgettext_lazy("ledger purpose", "unchanged: %(records)s youths"),
    "where it happens %(start)s..%(end)s": pgettext_lazy(
        "ledger purpose", "where it happens %(start)s..%(end)s"
    ),
}

# What each placeholder can be, by its name; a name not here is a code (a state, a channel, a side).
_CODE = r"[\w-]+"
_NUMBER = r"\d+"
_DATE = r"\d{4}-\d{2}-\d{2}"
_VALUE_SHAPES = {
    "attendees": _NUMBER,
    "count": _NUMBER,
    "days": _NUMBER,
    "level": _NUMBER,
    "minimum": _NUMBER,
    "minutes": _NUMBER,
    "number": _NUMBER,
    "records": _NUMBER,
    "sampled": _NUMBER,
    "date": _DATE,
    "start": _DATE,
    "end": _DATE,
    "instrument": r"\S+",
    "version": r"\S+",
    "reason": r".+",  # words a person typed for an export: shown as typed
    "service": r".+",  # a service's name
}

# A value that is itself one of a few fixed codes, and its words; only these codes match that placeholder
# (another is shown as stored). ``tests/audit/test_purposes.py`` checks each against the choices it
# comes from.
_REFERRAL_STATES: dict[str, str | Promise] = {  # referrals.states.ReferralState, "la remisión"
    "draft": pgettext_lazy("ledger purpose: service referral state", "draft"),
    "sent": pgettext_lazy("ledger purpose: service referral state", "sent"),
    "received": pgettext_lazy("ledger purpose: service referral state", "received"),
    "accepted": pgettext_lazy("ledger purpose: service referral state", "accepted"),
    "declined_by_provider": pgettext_lazy(
        "ledger purpose: service referral state", "declined by the provider"
    ),
    "declined_by_youth": pgettext_lazy("ledger purpose: service referral state", "declined by the youth"),
    "connected": pgettext_lazy("ledger purpose: service referral state", "connected"),
    "completed": pgettext_lazy("ledger purpose: service referral state", "completed"),
    "cancelled": pgettext_lazy("ledger purpose: service referral state", "cancelled"),
    "expired": pgettext_lazy("ledger purpose: service referral state", "expired"),
}
VALUE_LABELS: dict[str, dict[str, str | Promise]] = {
    "item": {  # care plan: f"update {kind}"
        "need": pgettext_lazy("ledger purpose", "a need"),
        "goal": pgettext_lazy("ledger purpose", "a goal"),
    },
    "use": {  # access.models.ConsentUse
        "sharing": pgettext_lazy("ledger purpose: consent use", "sharing"),
        "family": pgettext_lazy("ledger purpose: consent use", "family services"),
        "mentoring": pgettext_lazy("ledger purpose: consent use", "mentoring"),
    },
    "consent_state": {  # access.models.ConsentState, "la autorización"
        "pending": pgettext_lazy("ledger purpose: consent state", "pending"),
        "granted": pgettext_lazy("ledger purpose: consent state", "granted"),
        "refused": pgettext_lazy("ledger purpose: consent state", "refused"),
        "revoked": pgettext_lazy("ledger purpose: consent state", "revoked"),
    },
    "referral_state": _REFERRAL_STATES,
    "current": _REFERRAL_STATES,
    "wanted": _REFERRAL_STATES,
    "side": {  # referrals.states.Side: who moved a service referral
        "sender": pgettext_lazy("ledger purpose: service referral side", "sender"),
        "provider": pgettext_lazy("ledger purpose: service referral side", "provider"),
        "link": pgettext_lazy("ledger purpose: service referral side", "provider's link"),
        "system": pgettext_lazy("ledger purpose: service referral side", "system"),
    },
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _shape(name: str) -> str:
    if name in VALUE_LABELS:
        return "|".join(re.escape(value) for value in VALUE_LABELS[name])
    return _VALUE_SHAPES.get(name, _CODE)


def pattern_regex(msgid: str) -> re.Pattern[str]:
    """The stored texts ``msgid`` stands for: its words as they are, each placeholder a named group."""
    parts = _PLACEHOLDER.split(msgid)  # words, name, words, name, ..., words
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_shape(part)})" for i, part in enumerate(parts)
    )
    return re.compile(regex)


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    # The most words first, so that a longer pattern wins where a shorter one could also match.
    longest = sorted(PURPOSE_PATTERNS, key=lambda msgid: -len(_PLACEHOLDER.sub("", msgid)))
    return tuple((pattern_regex(msgid), msgid) for msgid in longest)


def pattern_label(purpose: str) -> str | None:
    """``purpose`` in the reader's language if it is one of the patterns and has words in that
    language; None if not (the caller then shows it as stored)."""
    for regex, msgid in _compiled():
        found = regex.fullmatch(purpose)
        if found is None:
            continue
        words = str(PURPOSE_PATTERNS[msgid])
        if words == msgid:  # no words in this language (English): the stored text is the right text
            return None
        values = {
            name: str(VALUE_LABELS[name][value]) if name in VALUE_LABELS else value
            for name, value in found.groupdict().items()
        }
        return words % values
    return None
