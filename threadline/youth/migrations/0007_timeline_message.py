"""The timeline entry's message (msgid and values, sealed), translated when shown.

A nullable column: entries written before it keep NULL and show their stored text, so nothing is
rewritten (and the bench generator's COPY, which names its columns, still fits)."""

from __future__ import annotations

from django.db import migrations

import threadline.crypto.fields


class Migration(migrations.Migration):
    dependencies = [
        ("youth", "0006_youth_main_county"),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="message",
            field=threadline.crypto.fields.EncryptedField(blank=True, codec="json", null=True),
        ),
    ]
