"""The ledger's "why" reads in the reader's language when it is one of the fixed purposes the code
records, and the stored purpose (part of the row's hash) stays the English the service wrote."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.utils import translation

from tests.conftest import ClientFor, Persona
from tests.factories.access import consent_share, youth_with_team
from threadline.access.categories import Category
from threadline.access.models import ConsentState, ConsentUse
from threadline.accounts.models import Organization
from threadline.audit import ledger
from threadline.audit.models import AccessEvent
from threadline.audit.purpose_patterns import PURPOSE_PATTERNS, VALUE_LABELS, pattern_regex
from threadline.audit.purposes import GROUND_LABELS, PURPOSE_LABELS, purpose_label
from threadline.care.services.plan import plan_item_mark, plan_need_add
from threadline.referrals.states import ReferralState, Side

PACKAGE = Path(ledger.__file__).resolve().parent.parent


def _positions(trees: list[ast.Module]) -> dict[str, set[int]]:
    """Every function taking ``purpose`` as a positional parameter, and its place (``self`` left out)."""
    found: dict[str, set[int]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "purpose" in names:
                    skip = 1 if names[0] in ("self", "cls") else 0
                    found.setdefault(node.name, set()).add(names.index("purpose") - skip)
    return found


def _texts(value: ast.expr | None, names: dict[str, str]) -> set[str]:
    """The constant strings a purpose expression may be: a constant, either side of ``a if c else b`` or
    ``a or b``, or a name given a constant in the same module (``TRANSFER_PURPOSE``)."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.IfExp):
        return _texts(value.body, names) | _texts(value.orelse, names)
    if isinstance(value, ast.BoolOp):
        return {text for part in value.values for text in _texts(part, names)}
    if isinstance(value, ast.Name) and value.id in names:
        return {names[value.id]}
    return set()


def _purpose_values(node: ast.AST, positions: dict[str, set[int]]) -> list[ast.expr | None]:
    if isinstance(node, ast.Dict):  # a ledger.Row written as a dict: {"purpose": "..."}
        return [
            v
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and k.value == "purpose"
        ]
    if not isinstance(node, ast.Call):
        return []
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    values: list[ast.expr | None] = [k.value for k in node.keywords if k.arg == "purpose"]
    return values + [node.args[i] for i in positions.get(name, ()) if i < len(node.args)]


def _template(value: ast.JoinedStr) -> str:
    """An f-string with each value as ``{}``: f"release to {org.pk} ({use}): {state}" -> "release to {} ({}): {}"."""
    return "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in value.values)


def _local_fstrings(tree: ast.Module) -> dict[str, set[str]]:
    """Names given an f-string in the module (``purpose = f"..."``, ``purpose, link = f"...", {...}``)."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                else [(target, node.value)]
            )
            for name, value in pairs:
                if isinstance(name, ast.Name) and isinstance(value, ast.JoinedStr):
                    found.setdefault(name.id, set()).add(_template(value))
    return found


def fstring_purposes() -> set[str]:
    """The purposes built with a value in them, as templates: an f-string given as a purpose, directly or
    through a name the module gives it."""
    files = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in files]
    positions = _positions(trees)
    found: set[str] = set()
    for tree in trees:
        names = _local_fstrings(tree)
        for node in ast.walk(tree):
            for value in _purpose_values(node, positions):
                if isinstance(value, ast.JoinedStr):
                    found.add(_template(value))
                elif isinstance(value, ast.Name):
                    found |= names.get(value.id, set())
    return found


# Built with a value but shown as stored, and why.
SHOWN_AS_STORED = {
    "{} [{}]",  # youth.policy: a purpose and its grounds, each translated by purpose_label
    "{}: {}",  # outcomes: the export's formats ("csv+xlsx") and the purpose a person typed
    "plan {}",  # network: an action item from a partner's plan, by its id; "plan" reads the same
}


def constant_purposes() -> set[str]:
    """The purposes written as constants in the code: ``purpose="..."``, ``{"purpose": "..."}`` and the
    positional argument of every function that takes a ``purpose`` (``ledger.entry``, ``record_row``)."""
    files = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in files]
    positions = _positions(trees)
    found: set[str] = set()
    for tree in trees:
        names = {
            target.id: node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            if isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            for value in _purpose_values(node, positions):
                found |= _texts(value, names)
    return found


def test_every_constant_purpose_in_the_code_has_words() -> None:
    found = constant_purposes()
    assert "read timeline" in found and "merge records of one youth" in found  # the search finds them
    assert sorted(found - set(PURPOSE_LABELS)) == []


def test_every_purpose_built_with_a_value_has_a_pattern() -> None:
    found = fstring_purposes()
    assert "release to {} ({}): {}" in found and "trained on {} of {} youths" in found  # found at all
    assert "meeting {}, owner {}" in found  # given through a name
    patterns = {re.sub(r"%\(\w+\)s", "{}", msgid) for msgid in PURPOSE_PATTERNS}
    assert sorted(found - patterns - SHOWN_AS_STORED) == []
    assert sorted(SHOWN_AS_STORED - found) == []  # nothing listed that the code no longer writes


SAMPLES = {"date": "2026-05-01", "start": "2026-01-01", "end": "2026-03-31", "reason": "board review"}
SAMPLES |= {"service": "Sotol Springs", "instrument": "cse-it", "version": "2"}
NUMBERS = {"attendees", "count", "days", "level", "minimum", "minutes", "number", "records", "sampled"}


def _sample(msgid: str) -> tuple[str, dict[str, str]]:
    values = {}
    for name in re.findall(r"%\((\w+)\)s", msgid):
        if name in VALUE_LABELS:
            values[name] = next(iter(VALUE_LABELS[name]))
        else:
            values[name] = SAMPLES.get(name, "7" if name in NUMBERS else f"{name}_code")
    return msgid % values, values


def test_every_pattern_matches_only_its_own_stored_text_and_reads_in_spanish() -> None:
    with translation.override(None):
        assert [key for key, label in PURPOSE_PATTERNS.items() if str(label) != key] == []
    for msgid in PURPOSE_PATTERNS:
        stored, values = _sample(msgid)
        assert [m for m in PURPOSE_PATTERNS if pattern_regex(m).fullmatch(stored)] == [msgid]
        with translation.override("en"):
            assert purpose_label(stored) == stored
        with translation.override("es"):
            spanish = purpose_label(stored)
            words = str(PURPOSE_PATTERNS[msgid])
            shown = {k: str(VALUE_LABELS[k][v]) if k in VALUE_LABELS else v for k, v in values.items()}
            assert words != msgid and spanish == words % shown, msgid
            assert purpose_label(f"{stored} [care team]") == f"{spanish} [equipo de atención]"
    with translation.override("es"):
        assert purpose_label("release to 12 (sharing): granted") == (
            "autorización para la organización 12 (compartir información): otorgada"
        )
        assert purpose_label("update goal [care team]") == "actualizar una meta [equipo de atención]"
        assert purpose_label("ends open") == "sin fecha de término"
        assert purpose_label("service referral declined_by_youth -> cancelled (link) [care team]") == (
            "remisión a un servicio: de rechazada por la persona joven a cancelada (enlace del proveedor) "
            "[equipo de atención]"
        )
        # A code the words do not know: shown as stored, not half-translated.
        assert purpose_label("release to 12 (sharing): expired") == "release to 12 (sharing): expired"
        # Only what a value can be matches: words a person typed that look alike are shown as stored.
        assert purpose_label("update my notes") == "update my notes"
        assert purpose_label("for the board") == "for the board"
        assert purpose_label("ends soon") == "ends soon"


def test_every_value_with_words_is_a_code_the_code_writes() -> None:
    assert set(VALUE_LABELS["use"]) == set(ConsentUse.values)
    assert set(VALUE_LABELS["consent_state"]) == set(ConsentState.values)
    for name in ("referral_state", "current", "wanted"):
        assert set(VALUE_LABELS[name]) == set(ReferralState.values)
    assert set(VALUE_LABELS["side"]) == {side.value for side in Side}
    with translation.override("es"):
        for words in VALUE_LABELS.values():
            assert [
                code for code, label in words.items() if str(label) in (code, code.replace("_", " "))
            ] == []


def test_every_purpose_is_its_own_msgid_and_reads_in_spanish() -> None:
    with translation.override(None):  # no catalog: a lazy label gives back its msgid
        assert [key for key, label in PURPOSE_LABELS.items() if str(label) != key] == []
    with translation.override("es"):
        assert [key for key in PURPOSE_LABELS if purpose_label(key) == key] == []
        assert purpose_label("read timeline") == "leer la cronología"
        # Not one of them: shown exactly as stored (words a person typed).
        assert purpose_label("board review") == "board review"
        assert purpose_label("") == ""
        assert purpose_label("board review [care team]") == "board review [care team]"
        assert purpose_label("read timeline [care team, someone]") == "read timeline [care team, someone]"


def test_every_ground_a_youth_read_records_has_words() -> None:
    """``youth.policy`` appends the grounds of a read to its purpose: "read timeline [care team]"."""
    from threadline.youth.policy import _grounds_label

    names = [
        "via_team",
        "via_mentoring",
        "via_mentoring&consent",
        "via_team&consent",
        "via_break_glass",
        "via_x",
    ]
    written = _grounds_label(names).split(", ")
    assert len(written) == 6 and sorted(written) == sorted(GROUND_LABELS)
    with translation.override("es"):
        assert purpose_label(f"open record [{', '.join(written)}]") == (
            "abrir el expediente [acceso de emergencia, equipo de atención, autorización, "
            "autorización de servicios familiares, mentoría, autorización de mentoría]"  # in the stored order
        )


def test_the_access_history_says_why_in_the_readers_language_and_the_row_is_unchanged(
    coordinator: Persona, client_for: ClientFor
) -> None:
    shared_youth = youth_with_team(coordinator.membership, [])
    client = client_for(coordinator)
    assert client.get(f"/youth/{shared_youth.pk}/timeline").status_code == 200
    english = client.get(f"/youth/{shared_youth.pk}/access").content.decode()
    assert "<td>read timeline [care team]</td>" in english
    assert client.post("/i18n/language", {"language": "es", "next": "/"}).status_code == 302
    spanish = client.get(f"/youth/{shared_youth.pk}/access").content.decode()
    assert "<td>leer la cronología [equipo de atención]</td>" in spanish and "read timeline" not in spanish
    assert AccessEvent.objects.filter(youth_id=shared_youth.pk, purpose="read timeline [care team]").exists()
    assert ledger.verify().ok


def test_purposes_with_a_value_read_in_spanish_on_both_pages_and_the_rows_are_unchanged(
    coordinator: Persona, supervisor: Persona, dfps_org: Organization, client_for: ClientFor
) -> None:
    youth = youth_with_team(coordinator.membership, [])
    consent_share(coordinator.membership, youth, dfps_org, [Category.CARE_PLAN])
    need = plan_need_add(membership=coordinator.membership, youth_id=youth.pk, domain="housing")
    plan_item_mark(
        membership=coordinator.membership, youth_id=youth.pk, kind="need", item_id=need.pk, done=True
    )
    release = f"release to {dfps_org.pk} (sharing): granted"
    stored = [release, "update need [care team]"]
    for purpose in stored:
        assert AccessEvent.objects.filter(youth_id=youth.pk, purpose=purpose).count() == 1
    english = {
        "access": client_for(coordinator).get(f"/youth/{youth.pk}/access").content.decode(),
        "ledger": client_for(supervisor).get("/audit/").content.decode(),
    }
    for html in english.values():
        assert all(f"<td>{purpose}</td>" in html for purpose in stored)
    spanish = {}
    for page, (persona, url) in {
        "access": (coordinator, f"/youth/{youth.pk}/access"),
        "ledger": (supervisor, "/audit/"),
    }.items():
        client = client_for(persona)
        assert client.post("/i18n/language", {"language": "es", "next": "/"}).status_code == 302
        spanish[page] = client.get(url).content.decode()
    for html in spanish.values():
        assert (
            f"<td>autorización para la organización {dfps_org.pk} (compartir información): otorgada</td>"
            in html
        )
        assert "<td>actualizar una necesidad [equipo de atención]</td>" in html
        assert release not in html and "update need" not in html
    for purpose in stored:  # the rows keep the English the service wrote, and the chain holds
        assert AccessEvent.objects.filter(youth_id=youth.pk, purpose=purpose).count() == 1
    assert ledger.verify().ok
