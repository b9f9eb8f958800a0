"""Finding and opening a youth among many: 50,000 fictional youths with encrypted fields.

Reports p50/p95 for: find a youth by name, and by alias (``youth_search``, blind index), open a record
(``youth_record``: policy + one ledger row) as the coordinator and as a partner with consent, and the
bare SQL floor of the same lookups (raw indexed SELECTs) in the same run. Every figure is taken twice,
at 5,000 and at 50,000 youths in the same database, to show whether cost grows with the number of youths.

The youths are generated in bulk (``bulk_create`` in batches), but the rows are the ones the services
write: a wrapped data key per youth, AES-GCM ciphertext bound to table|column|pk (sealed by the model
fields themselves), blind-index rows computed exactly as ``search_index.reindex`` does (checked against
it on a sample), care-team rows, a timeline entry, and for one youth in 25 a partner organization on
the care team with a consent. Names come from Faker's name lists (fictional combinations); street names
are made-up syllables. Ledger rows for the creations are not written (the ledger benchmark covers it).

How to read it: first and last names come from fixed lists (about 1,000 and 1,600 names), and
``youth_search`` scores every youth sharing any word of the query or its sound-alike codes, so for a
full name the number of candidates (printed in the note) grows with the number of youths, as it would
for common real names. A near-unique street name shows the flat case. Each search also writes one ledger
row per result shown (up to 25).

Set ``BENCH_YOUTHS=2000,10000`` to try other sizes.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
import uuid
from functools import lru_cache

from benchlib import Row, measure
from django.db import connection, transaction
from django.utils import timezone
from faker.providers.person.en_US import Provider as EnglishNames
from faker.providers.person.es_MX import Provider as SpanishNames

from threadline.access.categories import Category
from threadline.access.models import CareTeamMember, Consent, ConsentScope, TeamRole
from threadline.accounts.models import Membership, Organization, User
from threadline.core.dates import age_on
from threadline.core.roles import OrganizationType, Role
from threadline.crypto import blind
from threadline.crypto.envelope import new_data_key, wrap_data_key
from threadline.crypto.models import DataKey
from threadline.youth.counties import main_county
from threadline.youth.models import (
    Alias,
    ContactWay,
    CountyConnection,
    SearchToken,
    TimelineEntry,
    Youth,
    new_reference,
)
from threadline.youth.search_index import reindex
from threadline.youth.selectors import _query_groups, youth_record, youth_search

BATCH = 500  # youths per transaction; below the data-key cache size, so children reuse unwrapped keys
PARTNER_EVERY = 25  # one youth in 25 has the partner on the care team with a consent
REPEATS = 100
TARGET = "p95 < 100 ms (PostgreSQL, 2 cores)"
SYLLABLES = tuple(
    [
        "ka",
        "lo",
        "mi",
        "ze",
        "ru",
        "vo",
        "ti",
        "sa",
        "ne",
        "qui",
        "bri",
        "tol",
        "dax",
        "fen",
        "gor",
        "hul",
        "jin",
        "kes",
        "lum",
        "mor",
        "nix",
        "pav",
        "rax",
        "sol",
        "tev",
    ]
)
COUNTIES = ["Bexar", "Travis", "Hidalgo", "Webb", "Cameron", "El Paso", "Harris", "Nueces"]


def _names(provider: object, attribute: str) -> list[str]:
    values = getattr(provider, attribute)
    return sorted({str(v) for v in (values.keys() if hasattr(values, "keys") else values)})


FIRST_NAMES = sorted(
    set(_names(EnglishNames, "first_names_female"))
    | set(_names(EnglishNames, "first_names_male"))
    | set(_names(SpanishNames, "first_names_female"))
    | set(_names(SpanishNames, "first_names_male"))
)
LAST_NAMES = sorted(set(_names(EnglishNames, "last_names")) | set(_names(SpanishNames, "last_names")))


class Context:
    """What the generator and the timings share. (A plain class: bench modules are loaded from a file
    path, outside sys.modules, where dataclasses cannot resolve string annotations.)"""

    def __init__(self, coordinator: Membership, partner: Membership, rng: random.Random) -> None:
        self.coordinator = coordinator
        self.partner = partner
        self.rng = rng
        self.references: set[str] = set()
        self.made = 0
        # Per youth, for building queries: (youth id, legal name, first alias, shared with the partner)
        self.samples: list[tuple[uuid.UUID, str, str, bool]] = []


def street_name(rng: random.Random) -> str:
    """One made-up word, e.g. "Tolvexmira": street names are often a single word."""
    return "".join(rng.choice(SYLLABLES) for _ in range(4)).title()


@lru_cache(maxsize=200_000)
def _word_digests(word: str) -> frozenset[str]:
    return frozenset(blind.name_digests(word).get(word, set()))


def token_rows(youth: Youth, alias_names: list[str], phones: list[str]) -> list[tuple[str, str]]:
    """The blind-index rows ``search_index.reindex`` writes, as (kind, digest), computed without its
    per-youth queries (and with each word's digests computed once: names repeat)."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str, int]] = set()
    for text in [youth.preferred_name or "", youth.legal_name or "", *alias_names]:
        for word in blind.name_tokens(text):
            for digest in _word_digests(word):
                if ("name", digest, 0) not in seen:
                    seen.add(("name", digest, 0))
                    rows.append(("name", digest))
    if youth.date_of_birth:
        rows.append(("dob", blind.dob_digest(youth.date_of_birth)))
    for phone in phones:
        value = blind.phone_digest(phone)
        if value and ("phone", value, 0) not in seen:
            seen.add(("phone", value, 0))
            rows.append(("phone", value))
    return rows


def insert_tokens(rows: list[tuple[uuid.UUID, str, str]]) -> None:
    """Plain INSERTs for the biggest table: SearchToken model instances would cost more than the rows."""
    table = SearchToken._meta.db_table
    on_sqlite = connection.vendor == "sqlite"
    params = [(youth_id.hex if on_sqlite else youth_id, kind, digest, 0) for youth_id, kind, digest in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (youth_id, kind, digest, token_group) VALUES (%s, %s, %s, %s)", params
        )


def generate(ctx: Context, count: int) -> float:
    """Add ``count`` youths; returns the seconds it took."""
    started = time.perf_counter()
    rng = ctx.rng
    coordinator, partner = ctx.coordinator, ctx.partner
    today = timezone.localdate()
    now = timezone.now()
    for batch_start in range(0, count, BATCH):
        size = min(BATCH, count - batch_start)
        keys: list[DataKey] = []
        youths: list[Youth] = []
        aliases: list[Alias] = []
        ways: list[ContactWay] = []
        counties: list[CountyConnection] = []
        team: list[CareTeamMember] = []
        timeline: list[TimelineEntry] = []
        tokens: list[tuple[uuid.UUID, str, str]] = []
        consents: list[Consent] = []
        for _ in range(size):
            ctx.made += 1
            key = DataKey()
            key.master_key_id, key.wrapped = wrap_data_key(new_data_key(), data_key_id=str(key.id))
            keys.append(key)
            reference = new_reference()
            while reference in ctx.references:
                reference = new_reference()
            ctx.references.add(reference)
            first = rng.choice(FIRST_NAMES)
            middle = rng.choice(FIRST_NAMES) if rng.random() < 0.3 else ""
            legal = " ".join(p for p in (first, middle, rng.choice(LAST_NAMES), rng.choice(LAST_NAMES)) if p)
            dob = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 6))
            youth = Youth(
                data_key=key,
                reference=reference,
                preferred_name=first if rng.random() < 0.8 else rng.choice(FIRST_NAMES),
                legal_name=legal,
                date_of_birth=dob,
                estimated_age=age_on(dob, today),
                age_recorded_on=today,
                gender_identity=rng.choice(["girl", "boy", "nonbinary", ""]),
                pronouns=rng.choice(["she/her", "he/him", "they/them", ""]),
                school=f"{rng.choice(LAST_NAMES)} Middle School",
                languages=["English"] if rng.random() < 0.6 else ["Spanish", "English"],
                created_by_org=coordinator.organization,
                created_at=now,
                updated_at=now - datetime.timedelta(seconds=rng.randrange(10**7)),
            )
            youths.append(youth)
            alias_names = [street_name(rng) for _ in range(rng.choice([1, 1, 2]))]
            for n, alias_name in enumerate(alias_names):
                aliases.append(Alias(youth=youth, kind="street" if n == 0 else "alias", name=alias_name))
            phone = f"({rng.randrange(200, 999)}) 555-{rng.randrange(10000):04d}"
            ways.append(ContactWay(youth=youth, kind="phone", value=phone, safe_to_contact=True))
            home = CountyConnection(youth=youth, county=rng.choice(COUNTIES), kind="resides")
            counties.append(home)
            youth.main_county = main_county([(home.kind, home.county, home.pk)])  # as the services keep it
            team.append(
                CareTeamMember(
                    youth=youth,
                    organization=coordinator.organization,
                    person=coordinator.user,
                    role=TeamRole.CARE_COORDINATOR,
                    started_on=today,
                )
            )
            timeline.append(
                TimelineEntry(
                    youth=youth,
                    kind="record_created",
                    category=Category.RECORD,
                    summary="Record opened",
                    object_type="youth",
                    object_id=str(youth.pk),
                    at=now,
                    author=coordinator.user,
                    organization=coordinator.organization,
                )
            )
            tokens += [(youth.pk, kind, digest) for kind, digest in token_rows(youth, alias_names, [phone])]
            shared = ctx.made % PARTNER_EVERY == 0
            if shared:
                team.append(
                    CareTeamMember(
                        youth=youth,
                        organization=partner.organization,
                        role=TeamRole.DFPS_CASEWORKER,
                        started_on=today,
                    )
                )
                consents.append(
                    Consent(
                        youth=youth,
                        organization=partner.organization,
                        purpose="coordinate services",
                        given_by="youth",
                        minor_may_consent_alone=True,
                        starts_at=now - datetime.timedelta(days=1),
                        expires_at=now + datetime.timedelta(days=365),
                        signature="drawn on screen",
                        recorded_by=coordinator.user,
                    )
                )
            ctx.samples.append((youth.pk, legal, alias_names[0], shared))
        with transaction.atomic():
            DataKey.objects.bulk_create(keys)
            Youth.objects.bulk_create(youths)  # the encrypted fields seal themselves in pre_save
            Alias.objects.bulk_create(aliases)
            ContactWay.objects.bulk_create(ways)
            CountyConnection.objects.bulk_create(counties)
            CareTeamMember.objects.bulk_create(team)
            TimelineEntry.objects.bulk_create(timeline)
            insert_tokens(tokens)
            Consent.objects.bulk_create(consents)
            ConsentScope.objects.bulk_create(
                [ConsentScope(consent=c, category=cat) for c in consents for cat in ("identity", "care_plan")]
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load; plans depend on it
    return time.perf_counter() - started


def check_rows_match_services(ctx: Context, sample: int = 25) -> str:
    """The bulk rows must be the rows the services write: fields open with the youth's key, and the
    real ``reindex`` leaves the blind-index rows unchanged."""
    picked = ctx.rng.sample(ctx.samples, sample)
    for youth_id, legal, alias_name, _shared in picked:
        youth = Youth.objects.select_related("data_key").get(pk=youth_id)
        assert youth.legal_name == legal, "encrypted field does not open"
        assert alias_name in {a.name for a in youth.aliases.all()}
        before = set(SearchToken.objects.filter(youth=youth).values_list("kind", "digest"))
        with transaction.atomic():
            reindex(youth)
        after = set(SearchToken.objects.filter(youth=youth).values_list("kind", "digest"))
        assert before == after, "bulk blind-index rows differ from reindex()"
    return f"{sample} sampled youths: fields open, reindex() agrees"


def setup_people() -> tuple[Membership, Membership]:
    coordinator_org = Organization.objects.create(
        name="Bench Mesa Verde Advocacy Center", org_type=OrganizationType.CAC, is_care_coordinator=True
    )
    partner_org = Organization.objects.create(
        name="Bench Caprock DFPS Unit", org_type=OrganizationType.DFPS_TRAFFICKING
    )
    coordinator_user = User.objects.create_user("coordinator@bench.test", full_name="Bench Coordinator")
    partner_user = User.objects.create_user("partner@bench.test", full_name="Bench Partner")
    coordinator = Membership.objects.create(
        user=coordinator_user, organization=coordinator_org, role=Role.CARE_COORDINATOR
    )
    partner = Membership.objects.create(user=partner_user, organization=partner_org, role=Role.PARTNER_STAFF)
    return coordinator, partner


def measure_at(ctx: Context) -> list[Row]:
    total = Youth.objects.count()
    label = f"{total:,} youths"
    rng = random.Random(total)
    picked = rng.sample(ctx.samples, min(REPEATS, len(ctx.samples)))
    shared = [s for s in ctx.samples if s[3]]
    shared_picked = rng.sample(shared, min(REPEATS, len(shared)))
    name_queries = [s[1] for s in picked]
    alias_queries = [s[2] for s in picked]
    rows: list[Row] = []

    def search_stats(queries: list[str], targets: list[uuid.UUID]) -> str:
        hits = 0
        candidates = []
        for query, target in zip(queries, targets, strict=True):
            results = youth_search(membership=ctx.coordinator, query=query)
            hits += any(r.youth.pk == target for r in results)
            digests = list(set().union(*_query_groups(query)))
            candidates.append(
                SearchToken.objects.filter(digest__in=digests).values("youth_id").distinct().count()
            )
        return f"found {hits}/{len(queries)}; candidates mean {statistics.mean(candidates):.0f}, max {max(candidates)}"

    targets = [s[0] for s in picked]
    name_note = search_stats(name_queries[:30], targets[:30])
    alias_note = search_stats(alias_queries[:30], targets[:30])
    rows.append(
        measure(
            "youth",
            f"search by full name ({label})",
            lambda i: youth_search(membership=ctx.coordinator, query=name_queries[i % len(name_queries)]),
            repeats=REPEATS,
            target=TARGET,
            note=name_note,
        )
    )
    rows.append(
        measure(
            "youth",
            f"search by street name ({label})",
            lambda i: youth_search(membership=ctx.coordinator, query=alias_queries[i % len(alias_queries)]),
            repeats=REPEATS,
            target=TARGET,
            note=alias_note,
        )
    )
    name_digests = [sorted(set().union(*_query_groups(q))) for q in name_queries]
    youth_table, token_table = Youth._meta.db_table, SearchToken._meta.db_table

    def sql_search(i: int) -> None:
        digests = name_digests[i % len(name_digests)]
        marks = ", ".join(["%s"] * len(digests))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT y.id, y.reference, y.preferred_name, y.legal_name, y.data_key_id "
                f"FROM {token_table} t JOIN {youth_table} y ON y.id = t.youth_id "
                f"WHERE t.digest IN ({marks}) LIMIT 25",
                digests,
            )
            cursor.fetchall()

    rows.append(
        measure(
            "youth",
            f"SQL floor: token digest -> youth ({label})",
            sql_search,
            repeats=REPEATS,
            note="same digests as the name search, no policy, no ledger",
        )
    )
    rows.append(
        measure(
            "youth",
            f"open record, coordinator ({label})",
            lambda i: youth_record(membership=ctx.coordinator, youth_id=targets[i % len(targets)]),
            repeats=REPEATS,
            target=TARGET,
            note="policy + 1 ledger row + sections",
        )
    )
    shared_targets = [s[0] for s in shared_picked]
    rows.append(
        measure(
            "youth",
            f"open record, partner w/ consent ({label})",
            lambda i: youth_record(membership=ctx.partner, youth_id=shared_targets[i % len(shared_targets)]),
            repeats=REPEATS,
            target=TARGET,
            note="care team + consent per category",
        )
    )
    pk_param = [t.hex if connection.vendor == "sqlite" else t for t in targets]

    def sql_open(i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {youth_table} WHERE id = %s", [pk_param[i % len(pk_param)]])
            cursor.fetchall()

    rows.append(
        measure(
            "youth",
            f"SQL floor: youth row by id ({label})",
            sql_open,
            repeats=REPEATS,
            note="primary-key SELECT, no policy, no ledger",
        )
    )
    return rows


def run() -> list[Row]:
    sizes = [int(s) for s in os.environ.get("BENCH_YOUTHS", "5000,50000").split(",")]
    coordinator, partner = setup_people()
    ctx = Context(coordinator=coordinator, partner=partner, rng=random.Random(20261122))
    rows: list[Row] = []
    for size in sizes:
        missing = size - Youth.objects.count()
        seconds = generate(ctx, missing) if missing > 0 else 0.0
        tokens = SearchToken.objects.count()
        print(f"  {size:,} youths ready (+{missing:,} in {seconds:.1f}s, {tokens:,} index rows)", flush=True)
        rows.append(
            Row(
                "youth",
                f"generate {missing:,} youths (bulk, encrypted)",
                missing,
                seconds * 1000 / max(1, missing),
                seconds * 1000 / max(1, missing),
                note=f"ms per youth; total {seconds:.1f}s; {tokens:,} index rows",
            )
        )
        rows += measure_at(ctx)
    print(f"  {check_rows_match_services(ctx)}", flush=True)
    return rows
