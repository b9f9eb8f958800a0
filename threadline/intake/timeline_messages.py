"""The intake room's timeline messages (``youth.said``): moves, transfers and referrals linked to a
record, translated when the timeline is shown."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from threadline.youth.said import Message

MOVED = Message(gettext_noop("Moved to the %(region)s region (%(county)s County); the record followed"))
MOVED_FROM = Message(
    gettext_noop(
        "Moved from the %(from_region)s region to the %(region)s region (%(county)s County); the record followed"
    )
)
ADVOCATE_STAYED = Message(gettext_noop("The advocate chose to stay on the care team"))
TRANSFER_REQUESTED = Message(
    gettext_noop("Transfer to %(program)s requested; this team stays responsible until it is accepted")
)
TRANSFER_ACCEPTED = Message(
    gettext_noop(
        "Transfer to %(program)s accepted: this record keeps %(from_program)s's history; new entries are kept "
        "by the receiving program"
    )
)
TRANSFER_RECEIVED = Message(
    gettext_noop("Transferred from %(from_program)s, carrying what the youth agreed to share: %(categories)s")
)
TRANSFER_DECLINED = Message(gettext_noop("Transfer to %(program)s declined; this team stays responsible"))
REFERRAL_LINKED = Message(gettext_noop("Referral %(reference)s linked to this record"))
REFERRAL_UNLINKED = Message(gettext_noop("Referral %(reference)s unlinked from this record"))
REFERRAL_ACCEPTED = Message(gettext_noop("Referral %(reference)s accepted"))
