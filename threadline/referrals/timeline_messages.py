"""The service referrals' timeline messages (``youth.said``), translated when the timeline is shown."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

REFERRAL_STATE = Message(gettext_noop("Service referral to %(service)s: %(state)s"))
REFERRAL_STATE_BY = Message(gettext_noop("Service referral to %(service)s: %(state)s (%(by)s)"))
CONTACT_ATTEMPT = Message(gettext_noop("Service referral to %(service)s: contact attempt"))
FEEDBACK_RECORDED = Message(gettext_noop("Feedback on %(service)s recorded"))
# Who moved the referral, when no organization of ours did.
BY_LINK = Message(gettext_noop("the provider (one-time link)"))
