"""Long-term mentorship (issue 14): what a mentor logs after meeting a youth. The assignment itself is
an access fact (``access.MentorAssignment``): the policy reads it. Contacts are youth data of the
``mentoring`` category, encrypted with the youth's key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from threadline.access.categories import Category
from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedTextField
from threadline.youth.models import YouthChild

CATEGORY = Category.MENTORING  # every field of a mentoring contact


class MentorContactWay(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text message")
    VIDEO = "video", _("Video")
    ATTEMPTED = "attempted", _("Tried, no answer")


class MentorContact(LabelledById, YouthChild):
    str_label = "mentoring contact"

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    contact_on = models.DateField(_("date"), default=timezone.localdate)
    how = models.CharField(_("how"), max_length=12, choices=MentorContactWay.choices)
    note = EncryptedTextField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_on", "-recorded_at"]
