"""The ledger's "why" reads in the reader's language when it is one of the fixed purposes the code
records, and the stored purpose (part of the row's hash) stays the English the service wrote."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

from tests.conftest import ClientFor, Persona
from tests.factories.access import youth_with_team
from threadline.audit import ledger
from threadline.audit.models import AccessEvent
from threadline.audit.purposes import GROUND_LABELS, PURPOSE_LABELS, purpose_label

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


def test_every_purpose_is_its_own_msgid_and_reads_in_spanish() -> None:
    with translation.override(None):  # no catalog: a lazy label gives back its msgid
        assert [key for key, label in PURPOSE_LABELS.items() if str(label) != key] == []
    with translation.override("es"):
        assert [key for key in PURPOSE_LABELS if purpose_label(key) == key] == []
        assert purpose_label("read timeline") == "leer la cronología"
        # Not one of them: shown exactly as stored (a value inside, or words a person typed).
        assert purpose_label("Service referral to Sotol Springs") == "Service referral to Sotol Springs"
        assert purpose_label("") == ""
        assert purpose_label("Service referral to Sotol Springs [care team]").startswith("Service referral")
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
