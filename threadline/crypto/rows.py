"""The abstract base of a row whose secrets are sealed with a data key of its own."""

from __future__ import annotations

import uuid

from django.db import models

from threadline.crypto.datakeys import unwrapped


class OwnKeyRow(models.Model):
    """A row whose encrypted fields are sealed with a data key of its own (a youth, a referral, a
    contact, a field response, a family client): deleting the key shreds them. The UUID primary key
    exists before the first save (each encrypted value is bound to its row) and says nothing in a URL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_key = models.OneToOneField("crypto.DataKey", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def encryption_key(self) -> bytes:
        return unwrapped(self.data_key)
