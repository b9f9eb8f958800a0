"""Blocking keys become 64-bit integers under a (digest, youth) primary key: the lookup index is the
table's key (no separate id, digest index and unique constraint to maintain), and a referral's keys are
counted from the index alone. The keys are derived data: the table is recreated empty, and
``manage.py matching_reindex`` fills it again (about 50 s for 20,000 youths on a loaded 2-core
machine; see docs/operations.md, "Upgrading")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_duplicate_pair_review_queue"),
        ("youth", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="BlockKey"),
        migrations.CreateModel(
            name="BlockKey",
            fields=[
                ("pk", models.CompositePrimaryKey("digest", "youth", blank=True, editable=False, primary_key=True, serialize=False)),
                ("digest", models.BigIntegerField()),
                (
                    "youth",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="youth.youth"
                    ),
                ),
            ],
        ),
    ]
