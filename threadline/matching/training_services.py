"""The matcher trained on the program's own records (``training.fit``), stored as a new ``MatcherModel``
version, and the model the scorer uses at each referral.

Training runs nightly (``tasks.matcher_train_nightly``), after ``manage.py matching_reindex``, and by
hand with ``manage.py matching_train``. It reads the indexed youths' comparison profiles (at most
``TRAIN_LIMIT`` of them, a random sample beyond that), in memory only: nothing readable is written,
the stored model holds numbers per comparison level. It shows nothing to anyone; one ledger row
records each training (who asked, how many records, which version).

The scorer keeps the newest version in each process and looks for a newer one at most once every
``CHECK_EVERY`` seconds (one indexed query on a tiny table), so a referral match adds no query.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from threadline.matching.engine import MemoryIndex
from threadline.matching.index import person_of
from threadline.matching.model import Model
from threadline.matching.models import MatcherModel, MatchProfile
from threadline.matching.training import MIN_RECORDS, SEED, Fitted, fit

if TYPE_CHECKING:
    from threadline.accounts.models import Membership

TRAIN_LIMIT = 20_000  # profiles read for one training, at most
BATCH = 500
CHECK_EVERY = 60.0  # seconds between two looks for a newer model, per process


def matcher_model_train(
    *,
    membership: Membership | None = None,
    today: date | None = None,
    min_records: int | None = None,
    limit: int = TRAIN_LIMIT,
) -> MatcherModel | None:
    """Train on the indexed youths and store the result as a new version. ``membership``: the person
    who asked (None for the nightly job and the command). Idempotent: when the weights come out as
    those of the newest version (the same records), no new version is made and that one is returned.
    Returns None when the program has fewer than ``min_records`` youths (default ``MIN_RECORDS``):
    the priors stay, and no profile is read. One ledger row in every case."""
    today = today or timezone.localdate()
    min_records = MIN_RECORDS if min_records is None else min_records
    records = MatchProfile.objects.count()
    if records < min_records:
        fitted = Fitted(Model(), records, False, {"records": records})
        sampled = 0
    else:
        index = _read_index(limit, today)
        sampled = len(index.people)
        fitted = fit(index, today=today, min_records=min_records)
    weights = _rounded(json.loads(fitted.model.to_json()))
    with transaction.atomic():
        latest = MatcherModel.objects.select_for_update().order_by("-version").first()
        row: MatcherModel | None
        if not fitted.trained:
            row, purpose = latest, f"kept the priors: {records} youths, fewer than {min_records}"
        elif latest is not None and latest.weights == weights and latest.records == records:
            row, purpose = latest, f"unchanged: {records} youths"
        else:
            row = MatcherModel.objects.create(
                version=latest.version + 1 if latest else 1,
                records=records,
                sampled=sampled,
                weights=weights,
                summary=fitted.summary,
            )
            purpose = f"trained on {sampled} of {records} youths"
        _ledger(membership, row, purpose)
        transaction.on_commit(forget_trained_model)
    return row if fitted.trained else None


def _ledger(membership: Membership | None, row: MatcherModel | None, purpose: str) -> None:
    from threadline.audit import ledger

    ledger.record(
        actor=membership.user if membership else None,
        organization=membership.organization if membership else None,
        action="matcher_train",
        object_type="matcher_model",
        object_id=row.version if row else "",
        purpose=purpose,
    )


def _rounded(value: Any) -> Any:
    """Six significant digits: a stable, compact JSON (the weights are estimates, not exact)."""
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _read_index(limit: int, today: date) -> MemoryIndex[uuid.UUID]:
    """The indexed youths' profiles (a random sample of ``limit`` beyond that), decrypted into an
    in-memory index of the same blocking keys, for this training only."""
    from threadline.youth.policy import youth_for_maintenance

    ids = sorted(MatchProfile.objects.values_list("youth_id", flat=True), key=str)
    if len(ids) > limit:
        ids = sorted(random.Random(SEED).sample(ids, limit), key=str)  # noqa: S311 (a sample, no secret)
    index: MemoryIndex[uuid.UUID] = MemoryIndex()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = (
            MatchProfile.objects.filter(
                youth_id__in=youth_for_maintenance().filter(pk__in=chunk).values("pk")
            )
            .select_related("youth__data_key")
            .only(
                "youth_id",
                "data",
                "youth__id",
                "youth__data_key__id",
                "youth__data_key__wrapped",
                "youth__data_key__master_key_id",
            )
        )
        for row in rows:
            index.add(row.youth_id, person_of(row.data, today))
    return index


# --- the model the scorer uses ---------------------------------------------------------------------------

_CURRENT: dict[str, tuple[float, int | None, Model]] = {}


def trained_model() -> Model:
    """The newest trained model, else the priors. Kept per process; a newer version is looked for at
    most once every ``CHECK_EVERY`` seconds, and read only when there is one."""
    now = time.monotonic()
    cached = _CURRENT.get("model")
    if cached is not None and now - cached[0] < CHECK_EVERY:
        return cached[2]
    version = MatcherModel.objects.order_by("-version").values_list("version", flat=True).first()
    if cached is not None and cached[1] == version:
        model = cached[2]
    elif version is None:
        model = Model()
    else:
        weights = MatcherModel.objects.filter(version=version).values_list("weights", flat=True).get()
        model = Model.from_json(json.dumps(weights))
    _CURRENT["model"] = (now, version, model)
    return model


def forget_trained_model() -> None:
    """Look for the newest model at the next match (after a training in this process, and in tests)."""
    _CURRENT.clear()
