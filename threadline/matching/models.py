"""The matcher's own tables. Nothing here is readable without keys: blocking keys are keyed blind
digests, and each youth's comparison profile is encrypted with that youth's own data key."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from threadline.core.rows import LabelledById
from threadline.crypto.fields import EncryptedJSONField


class BlockKey(models.Model):
    """One blocking key of one youth (see ``blocking``): the first 64 bits of its keyed HMAC, nothing
    readable. The primary key (digest, youth) is the lookup index itself: a referral's keys are counted
    and their youths read from the index alone, never the table. It is the table's only index: a
    youth's own update replaces its keys by (digest, youth), from the digests its ``MatchProfile`` row
    lists, so the full build sorts about 1.9 million keys once (at 100,000 youths), not twice.

    Without an index on ``youth`` a foreign-key constraint would scan the table for every youth
    deleted, so the link is the ORM's: deleting a youth deletes its keys (``CASCADE``, one scan per
    delete, only erasure deletes youths). The ``MatchProfile``'s constraint still guards a build: keys
    and profiles are written for the same youths, and the build fails if one of them is gone."""

    pk = models.CompositePrimaryKey("digest", "youth")
    digest = models.BigIntegerField()
    youth = models.ForeignKey(
        "youth.Youth", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    def __str__(self) -> str:
        return f"block key of {self.youth_id}"


class MatchProfile(models.Model):
    """What the comparisons need about a youth (names, other names, birth date, age, gender, phones,
    counties, guardians' names), in one ciphertext: one decryption per candidate at request time."""

    youth = models.OneToOneField(
        "youth.Youth", on_delete=models.CASCADE, primary_key=True, related_name="match_profile"
    )
    data = EncryptedJSONField()
    updated_at = models.DateTimeField(default=timezone.now)
    # The youth's ``BlockKey`` digests, each as 8 big-endian bytes, in byte order (``digests_packed``):
    # what the youth's next update deletes. Blind digests, as readable as the keys themselves.
    digests = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"match profile of {self.youth_id}"

    def encryption_key(self) -> bytes:
        return self.youth.encryption_key()


class MergeRecord(LabelledById):
    """Two records found to be one youth. Nothing is moved or deleted: the merged record stays whole,
    reads of it lead to the survivor, and un-merging (``undone_at``) restores both exactly."""

    str_label = "merge"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    merged = models.ForeignKey("youth.Youth", on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey("youth.Youth", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(null=True, blank=True)  # the matcher's, when it suggested it
    reason = models.CharField(max_length=300, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            # A record is merged into at most one survivor at a time.
            models.UniqueConstraint(
                fields=["merged"], condition=models.Q(undone_at__isnull=True), name="merge_one_active"
            )
        ]


class AwaitingDecision(LabelledById):
    """A possible match the matcher scored, waiting for a person to decide: how likely the two are one
    youth, and who decided and when (both empty while it waits)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    probability = models.FloatField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ReviewItem(AwaitingDecision):
    """A possible match between the upper and lower thresholds, waiting for a person to decide."""

    str_label = "review"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        SAME = "same", "same youth"
        DIFFERENT = "different", "different youths"

    referral = models.ForeignKey("intake.Referral", on_delete=models.CASCADE, related_name="+")
    youth = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "youth"], name="review_once")]


class DuplicatePair(AwaitingDecision):
    """Two records the matcher scored as possibly one youth (found by ``duplicates.duplicates_scan``),
    waiting in the coordinators' review queue. Only ids, the probability and the comparison levels
    with their weights (no names, no dates): the explanation is worded when shown, in the reader's
    language. ``version`` makes two coordinators deciding the same pair at once safe: the second is
    told it was decided, never silently overwrites."""

    str_label = "possible duplicate"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        MERGED = "merged", "merged"
        DIFFERENT = "different", "not the same youth"

    # ``first`` has the smaller id: one row per unordered pair.
    first = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("youth.Youth", on_delete=models.CASCADE, related_name="+")
    contributions = models.JSONField(default=list)  # [[comparison, level, weight in bits], ...]
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    scored_at = models.DateTimeField(default=timezone.now)
    merge = models.ForeignKey(MergeRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="duplicate_pair_queue")]


class MatcherModel(models.Model):
    """The matcher's weights trained on the program's own records (``training_services``), newest
    version first. Numbers only: m and u per comparison level and counts of pairs; no name, date or
    digest of anyone (term frequencies are read from the blind index at each match)."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    records = models.PositiveIntegerField()  # youths in the index when trained
    sampled = models.PositiveIntegerField()  # profiles the training read (at most ``TRAIN_LIMIT``)
    weights = models.JSONField()  # {"known_rate": p, "levels": {comparison: {level: [m, u]}}}
    summary = models.JSONField(default=dict)  # pairs and estimated matches per blocking rule

    def __str__(self) -> str:
        return f"matcher model {self.version}"
