"""Names as the matcher sees them: normalized tokens, given name and surnames, sound-alike codes,
nicknames and diminutives.

- Normalization is the blind index's (``crypto.blind.normalize``): case and accents folded, so
  "José" = "Jose". Particles ("de", "de la", "del", "van") are not surnames on their own: "María de
  la Cruz" has the surname "cruz", and the joined form "delacruz" is kept as a spelling of it.
- Hispanic names often carry two surnames (father's, mother's); a referrer may give either. The
  comparisons in ``compare`` match a surname against either part.
- Sound-alike codes: Metaphone and NYSIIS (English spellings), and Metaphone over the Spanish fold
  (ll/y, v/b, z/s, silent h: "Quintanilla"/"Quintaniya", "Vásquez"/"Basques").
- Nicknames: the ``nicknames`` package (a hand-curated English name/nickname dataset, MIT), plus a
  small table of Spanish diminutives (hipocorísticos: Lupe, Pepe, Paco, Chuy...) below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

from threadline.crypto.blind import name_tokens, normalize, spanish_fold

__all__ = ["EMPTY", "Name", "codes", "normalize", "parse", "related_names", "relatives", "similarity"]

PARTICLES = frozenset(
    {
        "de",
        "del",
        "la",
        "las",
        "los",
        "y",
        "e",
        "da",
        "das",
        "do",
        "dos",
        "di",
        "van",
        "von",
        "der",
        "du",
        "le",
        "st",
    }
)

# Common Spanish hipocorísticos (diminutives used as first names): each row is one name and the
# short forms people go by. Source: the usual lists of Spanish hypocoristic names (e.g. Wikipedia
# "Hipocorístico"); English forms of the same names come from the ``nicknames`` package.
SPANISH_DIMINUTIVES: tuple[tuple[str, ...], ...] = (
    ("alejandro", "alex", "ale", "jando", "alejo"),
    ("alejandra", "alex", "ale", "jandra", "sandra"),
    ("guadalupe", "lupe", "lupita", "pita"),
    ("jose", "pepe", "chepe", "pepito", "cheo"),
    ("josefina", "pepa", "fina", "chepina"),
    ("francisco", "paco", "pancho", "frank", "cisco", "kiko", "curro"),
    ("francisca", "paca", "pancha", "paquita"),
    ("jesus", "chuy", "chucho", "chuyito"),
    ("guillermo", "memo", "guille", "willy"),
    ("eduardo", "lalo", "edu", "guayo"),
    ("ignacio", "nacho"),
    ("enrique", "kike", "quique"),
    ("manuel", "manny", "manolo", "meño"),
    ("roberto", "beto", "tito"),
    ("alberto", "beto", "tito"),
    ("humberto", "beto"),
    ("rosario", "chayo", "charo"),
    ("concepcion", "concha", "conchita", "chona"),
    ("dolores", "lola", "loli"),
    ("mercedes", "meche", "merche"),
    ("maria", "mari", "maru", "mary"),
    ("gabriela", "gaby", "gabi"),
    ("daniela", "dani"),
    ("fernando", "nando", "fer"),
    ("fernanda", "fer", "nanda"),
    ("antonio", "tono", "tony", "toño"),
    ("rafael", "rafa"),
    ("santiago", "santi", "chago"),
    ("ricardo", "richi", "ricky"),
    ("gerardo", "jerry", "lalo"),
    ("refugio", "cuca", "cuco"),
    ("socorro", "coco"),
    ("graciela", "chela"),
    ("consuelo", "chelo"),
    ("isabel", "chabela", "isa", "chabe"),
    ("luis", "lucho", "wicho"),
    ("carlos", "carlitos", "charlie"),
    ("rodrigo", "rodri", "roy"),
    ("federico", "fede", "quico"),
    ("salvador", "chava", "salva"),
    ("anastasia", "tacha"),
    ("ramon", "moncho"),
    ("jacinto", "chinto"),
    ("natividad", "nati", "naty"),
    ("esperanza", "espe", "lancha"),
    ("beatriz", "bety", "betty"),
    ("cristina", "cris", "tina"),
    ("cristian", "cris"),
    ("estefania", "fany", "tefa"),
    ("vanessa", "vane"),
    ("veronica", "vero"),
    ("adriana", "adri"),
    ("yesenia", "yesi"),
    ("jazmin", "jaz", "jazz"),
)


@lru_cache(maxsize=1)
def _name_groups() -> dict[str, frozenset[int]]:
    """Each name (and nickname) -> the ids of the groups it belongs to. Two names are related when
    they share a group: "liz" and "elizabeth", "alex" and "alejandro", "liz" and "eliza"."""
    from nicknames import NickNamer

    groups: list[set[str]] = []
    lookup = NickNamer().nickname_lookup
    for canonical, shorts in lookup.items():
        groups.append({canonical, *shorts})
    for row in SPANISH_DIMINUTIVES:
        groups.append({normalize(name) for name in row})
    out: dict[str, set[int]] = {}
    for index, group in enumerate(groups):
        for name in group:
            out.setdefault(name, set()).add(index)
    return {name: frozenset(ids) for name, ids in out.items()}


@lru_cache(maxsize=8192)
def relatives(name: str) -> tuple[str, ...]:
    """Every formal name, nickname or diminutive sharing a group with ``name`` (sorted)."""
    groups = _name_groups()
    ids = groups.get(name)
    if not ids:
        return ()
    return tuple(sorted(other for other, other_ids in groups.items() if other_ids & ids and other != name))


@lru_cache(maxsize=1 << 18)
def related_names(a: str, b: str) -> bool:
    """Nickname or diminutive of each other (or of one same name)."""
    if not a or not b or a == b:
        return False
    groups = _name_groups()
    return bool(groups.get(a, frozenset()) & groups.get(b, frozenset()))


@lru_cache(maxsize=65536)
def codes(token: str) -> frozenset[str]:
    """Sound-alike codes of one token, tagged by algorithm so codes of different kinds never equal."""
    if not token.isalpha():
        return frozenset()
    out = set()
    for kind, code in (
        ("mp", jellyfish.metaphone(token)),
        ("ny", jellyfish.nysiis(token)),
        ("es", jellyfish.metaphone(spanish_fold(token))),
    ):
        if code:
            out.add(f"{kind}:{code}")
    return frozenset(out)


@lru_cache(maxsize=65536)
def blocking_code(token: str) -> str:
    """One code per token for blocking keys: Metaphone over the Spanish fold, which also merges most
    English spelling variants (Jazmin/Jasmine, Lopes/López). Typos that break it are caught by the
    other blocking rules (birth date, first letters + birth year)."""
    if not token.isalpha():
        return token
    return jellyfish.metaphone(spanish_fold(token)) or token


def similarity(a: str, b: str) -> float:
    """Jaro–Winkler similarity, 0..1."""
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


def sounds_alike(a: str, b: str) -> bool:
    return bool(codes(a) & codes(b))


@dataclass(frozen=True)
class Name:
    """A parsed name. ``given`` is the first word; ``surnames`` the last one or two (a Hispanic double
    surname, or a middle name: the comparisons match either part); ``middles`` what lies between."""

    given: str
    middles: tuple[str, ...]
    surnames: tuple[str, ...]
    compounds: tuple[str, ...]  # surnames with their particles joined: "delacruz"

    @property
    def tokens(self) -> tuple[str, ...]:
        return (self.given, *self.middles, *self.surnames)

    @property
    def others(self) -> tuple[str, ...]:
        """Every word but the given name."""
        return (*self.middles, *self.surnames)

    @property
    def key(self) -> str:
        return " ".join(sorted(self.tokens))


EMPTY = Name("", (), (), ())


@lru_cache(maxsize=65536)
def parse(text: str) -> Name:
    words = name_tokens(text or "")
    if not words:
        # One-letter words are dropped by the tokenizer; a one-letter name is no name to match on.
        return EMPTY
    core = [w for w in words if w not in PARTICLES]
    compounds: list[str] = []
    run: list[str] = []
    for word in words[1:]:
        run.append(word)
        if word not in PARTICLES:
            if len(run) > 1:
                compounds.append("".join(run))
            run = []
    if not core:
        core = words
    given = core[0]
    rest = core[1:]
    if len(rest) >= 3:
        middles, surnames = tuple(rest[:-2]), tuple(rest[-2:])
    elif len(rest) == 2 and len(core) >= 3:
        # "Maria Garcia Lopez" (two surnames) and "Mary Ann Smith" (a middle name) look alike: treat
        # both words as possible surnames; comparisons accept either.
        middles, surnames = (), tuple(rest)
    else:
        middles, surnames = (), tuple(rest)
    return Name(given, middles, surnames, tuple(compounds))


def _surname_words(words: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Surname words without particles, and the particles joined to the word they lead ("delacruz")."""
    compounds: list[str] = []
    run: list[str] = []
    for word in words:
        run.append(word)
        if word not in PARTICLES:
            if len(run) > 1:
                compounds.append("".join(run))
            run = []
    core = tuple(w for w in words if w not in PARTICLES) or tuple(words)
    return core, tuple(compounds)


@lru_cache(maxsize=65536)
def parse_parts(given: str, surname: str) -> Name:
    """A name given in two fields (first names, surnames), as some sources keep it."""
    first_words = [w for w in name_tokens(given or "") if w not in PARTICLES]
    surnames, compounds = _surname_words(name_tokens(surname or ""))
    if not first_words:
        return Name("", (), surnames, compounds) if surnames else EMPTY
    return Name(first_words[0], tuple(first_words[1:]), surnames, compounds)
