"""Every message a ``ValidationError`` carries to a person is translated where it is raised (house rule 4:
bad input gets a clear message in the user's language).

A service runs inside the request with the person's language active, so ``gettext`` at the raise is
enough; the API (``threadline/api/errors.py``) and the pages pass the message on as it is. This test
walks ``threadline/`` with ``ast`` and lists every ``ValidationError(...)`` whose message is a plain
string, an f-string or a ``"..." % ...`` (directly, in a dict or dict comprehension, or in a local
variable or module constant built from them, including ``errors[name] = "..."``) instead of a gettext
call. ``THREADLINE_CHECK_ROOT`` points it at another checkout (to see it fail on older code)."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(os.environ.get("THREADLINE_CHECK_ROOT") or Path(__file__).resolve().parents[2])

GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}

# Messages that never reach a person as they are, each with the reason ("path:line" of the raise).
INTERNAL: dict[str, str] = {}


def _is_gettext(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in GETTEXT:
            return True
        # _("... {n}").format(n=...) keeps the translated text.
        return isinstance(func, ast.Attribute) and func.attr == "format" and _is_gettext(func.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_gettext(node.left)
    return False


class _Scope:
    """What a name holds, as far as one function (then the module) tells."""

    def __init__(self, tree: ast.Module, function: ast.AST | None) -> None:
        self.module = tree
        self.function = function

    def values(self, name: str) -> list[ast.expr] | None:
        for where in (self.function, self.module):
            if where is None:
                continue
            found = list(self._assigned(where, name))
            if found:
                return found
        return None

    @staticmethod
    def _assigned(where: ast.AST, name: str) -> Iterator[ast.expr]:
        nodes = ast.iter_child_nodes(where) if isinstance(where, ast.Module) else ast.walk(where)
        for node in nodes:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            for target in targets:
                # ``name = ...`` or ``name[key] = ...`` (an errors dict filled field by field).
                held = target.value if isinstance(target, ast.Subscript) else target
                if isinstance(held, ast.Name) and held.id == name:
                    yield value


def _plain(node: ast.expr, scope: _Scope, seen: frozenset[str] = frozenset()) -> list[str]:
    """The untranslated messages in ``node`` (as short source text)."""
    if _is_gettext(node):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [repr(node.value)]
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(node)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _plain(node.left, scope, seen) + _plain(node.right, scope, seen)
    if isinstance(node, ast.IfExp):
        return _plain(node.body, scope, seen) + _plain(node.orelse, scope, seen)
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in _plain(value, scope, seen)]
    if isinstance(node, ast.DictComp):
        return _plain(node.value, scope, seen)
    if isinstance(node, ast.List | ast.Tuple):
        return [text for element in node.elts for text in _plain(element, scope, seen)]
    if isinstance(node, ast.Name) and node.id not in seen:
        values = scope.values(node.id) or []
        return [text for value in values for text in _plain(value, scope, seen | {node.id})]
    return []


def _message(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    return None


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _validation_errors(trees: list[ast.Module]) -> set[str]:
    """``ValidationError`` and the project's own subclasses of it (``InstrumentConflict``...)."""
    names = {"ValidationError"}
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        found = {c.name for c in classes if any(_name(base) in names for base in c.bases)}
        grew = not found <= names
        names |= found
    return names


def untranslated(root: Path) -> list[str]:
    paths = [p for p in sorted((root / "threadline").rglob("*.py")) if "migrations" not in p.parts]
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in paths}
    errors = _validation_errors(list(trees.values()))
    found = []
    for path, tree in trees.items():
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in errors):
                continue
            message = _message(node)
            if message is None:
                continue
            # The innermost function holding the call.
            holders = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
            function = max(holders, key=lambda f: f.lineno) if holders else None
            where = f"{path.relative_to(root)}:{node.lineno}"
            if where in INTERNAL:
                continue
            found += [f"{where}: {text}" for text in _plain(message, _Scope(tree, function))]
    return sorted(found, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_every_validation_message_is_translated_where_it_is_raised() -> None:
    found = untranslated(ROOT)
    assert not found, "Wrap these messages in gettext where they are raised:\n" + "\n".join(found)


def test_the_check_sees_plain_strings_f_strings_dicts_and_error_dicts(tmp_path: Path) -> None:
    package = tmp_path / "threadline"
    package.mkdir()
    (package / "sample.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "LIMIT = 'Too long.'\n"
        "def f(n, field):\n"
        "    raise ValidationError('Plain.')\n"
        "    raise ValidationError({field: f'Under {n}.'})\n"
        "    raise ValidationError({'a': _('Fine.'), 'b': _('Fine %(n)s') % {'n': n}})\n"
        "    errors = {}\n"
        "    errors['c'] = 'Built.'\n"
        "    raise ValidationError(errors)\n"
        "    raise ValidationError(LIMIT)\n"
        "    raise ValidationError({k: 'Comp.' for k in 'xy'})\n"
        "class Taken(ValidationError):\n"
        "    pass\n"
        "def g(slug):\n"
        "    raise Taken(f'{slug} is taken.')\n"
        "    raise Taken(_('%(slug)s is taken.') % {'slug': slug})\n"
    )
    assert [line.split(": ", 1)[1] for line in untranslated(tmp_path)] == [
        "'Plain.'",
        "f'Under {n}.'",
        "'Built.'",
        "'Too long.'",
        "'Comp.'",
        "f'{slug} is taken.'",
    ]
