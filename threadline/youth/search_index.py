"""Keep a youth's blind-index rows in step with their names, aliases, date of birth and phones."""

from __future__ import annotations

from django.db import transaction

from threadline.crypto import blind
from threadline.youth.models import SearchToken, Youth
from threadline.youth.policy import youth_for_maintenance


def reindex(youth: Youth) -> None:
    rows: list[SearchToken] = []
    names = [youth.preferred_name or "", youth.legal_name or ""]
    names += [alias.name or "" for alias in youth.aliases.all()]
    seen: set[tuple[str, str, int]] = set()
    for text in names:
        for _token, digests in blind.name_digests(text).items():
            for digest in digests:
                key = ("name", digest, 0)
                if key not in seen:  # the same word in two names is one row
                    seen.add(key)
                    rows.append(SearchToken(youth=youth, kind="name", digest=digest))
    if youth.date_of_birth:
        rows.append(SearchToken(youth=youth, kind="dob", digest=blind.dob_digest(youth.date_of_birth)))
    for way in youth.contact_ways.all():
        if way.kind in ("phone", "text") and way.value:
            phone = blind.phone_digest(way.value)
            if phone and ("phone", phone, 0) not in seen:
                seen.add(("phone", phone, 0))
                rows.append(SearchToken(youth=youth, kind="phone", digest=phone))
    SearchToken.objects.filter(youth=youth).delete()
    SearchToken.objects.bulk_create(rows)
    # Rooms above keep their own indexes of a youth (``<app>/youth_hooks.py``), e.g. the matcher's
    # blocking keys and comparison profile (threadline/matching/index.py).
    from threadline.discovery import app_modules

    for _label, module in app_modules("youth_hooks"):
        module.youth_indexed(youth)


def search_index_rebuild(*, batch: int = 200) -> int:
    """Re-make every youth's tokens under the current blind-index key, one batch per transaction
    (searches accept every listed key meanwhile). Returns how many youths were re-indexed."""
    done = 0
    last_pk = None
    while True:
        with transaction.atomic():
            page = youth_for_maintenance().select_related("data_key").order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            youths = list(page[:batch])
            for youth in youths:
                reindex(youth)
        if not youths:
            return done
        done += len(youths)
        last_pk = youths[-1].pk
