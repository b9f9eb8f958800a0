"""Youth data is read and written only through services, selectors and models (which go through
``access``); a view or API module that queries those models directly would bypass the policy."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "threadline"
YOUTH_MODELS = (
    "Youth",
    "YouthAlias",
    "Referral",
    "CaseNote",
    "Placement",
    "PlacementAddress",
    "MissingEpisode",
    "HouseholdMember",
    "Consent",
    "CareTeamMember",
    "CarePlan",
    "SafetyPlan",
    "Screening",
    "Meeting",
    "Contact",
    "ContactWay",
    "ServiceReferral",
)
PATTERN = re.compile(r"\b(" + "|".join(YOUTH_MODELS) + r")\.(objects|_default_manager|_base_manager)\b")
# The policy module itself is the one gateway that builds youth querysets for everyone else.
ALLOWED = re.compile(
    r"(selectors|services|models|admin|factories|demo)(/\w+)?\.py$|/(migrations|management)/"
    r"|^youth/(policy|sharing|erasure|timeline)\.py$"
)


def offenders() -> list[str]:
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if ALLOWED.search(rel):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PATTERN.search(line):
                found.append(f"threadline/{rel}:{number}: {line.strip()}")
    return found


def test_no_module_outside_services_and_selectors_queries_youth_data() -> None:
    assert offenders() == []


def test_the_check_itself_catches_a_direct_query(tmp_path: Path) -> None:
    assert PATTERN.search("qs = Youth.objects.filter(pk=1)")
    assert PATTERN.search("Placement._default_manager.all()")
    assert not PATTERN.search("youth = access_youth(user, pk, Category.IDENTITY)")
    assert ALLOWED.search("youth/selectors.py") and not ALLOWED.search("youth/views.py")


def test_only_the_policy_and_youth_services_use_the_unscoped_youth_queryset() -> None:
    allowed = {"youth/policy.py", "youth/models.py"}
    callers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if "unscoped_youth(" in path.read_text()
    }
    assert callers <= allowed, callers - allowed
    assert "youth/policy.py" in callers  # the check still sees the one real caller


# --- The house: rooms in order, lowest first. A room imports only from rooms below it (imports made
# inside functions count; ``if TYPE_CHECKING:`` blocks do not). ``core`` is the ground floor: roles,
# the Action table and may(), importing nothing of the domain. A new app takes its place here.
ROOMS = [
    "core",
    "crypto",
    "audit",
    "accounts",
    "api",
    "access",
    "youth",
    "intake",
    "care",
    "family",
    "mentoring",
    "directory",
    "referrals",
    "matching",
    "network",
    "outcomes",
]
# Project-level wiring (``threadline/*.py``, settings, commands): may import any room, no room imports it...
SHELL = {"urls", "views", "middleware", "context_processors", "wsgi", "asgi", "settings", "management"}
# ...except these small helpers every room uses, which sit on the ground floor with ``core``.
PROJECT_HELPERS = {"http", "context", "nav", "discovery", "demo", "apps", "__init__"}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(n.lineno for n in ast.walk(node) if hasattr(n, "lineno"))
    return lines


def _room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "threadline" or len(parts) < 2:
        return None
    if (ROOT / parts[1]).is_dir():
        return parts[1]
    return parts[1] if parts[1] in SHELL else "core"  # project helpers live with the ground floor


def import_edges(root: Path = ROOT) -> dict[tuple[str, str], str]:
    """(importing room, imported room) -> one place it happens."""
    edges: dict[tuple[str, str], str] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "migrations" in rel.parts:
            continue
        source = rel.parts[0] if len(rel.parts) > 1 else _room_of("threadline." + rel.stem)
        tree = ast.parse(path.read_text())
        skip = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in skip:
                continue
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            modules = (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            )
            for module in modules:
                target = _room_of(module)
                if target and source and target != source:
                    edges.setdefault((source, target), f"threadline/{rel.as_posix()}:{node.lineno}")
    return edges


def upward_imports(edges: dict[tuple[str, str], str]) -> list[str]:
    found = []
    for (source, target), where in sorted(edges.items()):
        if source in SHELL:
            continue
        if target in SHELL:
            found.append(f"{where}: {source} imports the project shell ({target})")
        elif source not in ROOMS or target not in ROOMS:
            found.append(f"{where}: {source} -> {target}: add the new app to ROOMS, in its place")
        elif ROOMS.index(target) > ROOMS.index(source):
            found.append(f"{where}: {source} imports {target}, a room above it")
    return found


def circles(edges: dict[tuple[str, str], str]) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    found: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                found.append([*path[path.index(nxt) :], nxt])
            elif len(path) < len(graph) + 1:
                walk(nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return found


def test_no_room_imports_a_room_above_it() -> None:
    assert upward_imports(import_edges()) == []


def test_no_circle_between_apps() -> None:
    assert circles(import_edges()) == []


def test_the_import_checks_catch_an_upward_import_and_a_circle() -> None:
    edges = {("youth", "care"): "youth/views.py:1", ("care", "youth"): "care/views.py:1"}
    assert upward_imports(edges) == ["youth/views.py:1: youth imports care, a room above it"]
    assert circles(edges)[0] == ["care", "youth", "care"]
    assert upward_imports({("youth", "urls"): "youth/x.py:1"}) == [
        "youth/x.py:1: youth imports the project shell (urls)"
    ]


# --- Role and organization rules live in one table (core/actions.py), asked through may().
ROLE_RULES = re.compile(
    r"\bRole\.[A-Z][A-Z_]+\b"  # a role named in code
    r"|\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"  # a role compared
    r"|\brole__in\b"
    r"|\borganization\.is_care_coordinator\b"  # the organization kind decided on the spot
    r"|\bCOORDINATOR_ORG_\w+|\bNO_LOCATION_ROLES\b"
)
RULES_ALLOWED = re.compile(r"^core/|/migrations/|(^|/)demo(_\w+)?\.py$|/management/commands/")


def role_rule_offenders(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if RULES_ALLOWED.search(rel):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ROLE_RULES.search(line):
                found.append(f"threadline/{rel}:{number}: {line.strip()}")
    return found


def test_no_role_or_organization_rule_outside_the_action_table() -> None:
    assert role_rule_offenders() == []


def test_the_role_check_catches_a_role_compared() -> None:
    assert ROLE_RULES.search("if membership.role == Role.SUPERVISOR:")
    assert ROLE_RULES.search("if m.role in {'supervisor'}:")
    assert ROLE_RULES.search("if membership.organization.is_care_coordinator:")
    assert not ROLE_RULES.search("if may(membership, Action.MANAGE_SHARING):")
    assert not ROLE_RULES.search("role = forms.ChoiceField(choices=Role.choices)")


def test_youth_rows_are_looked_up_only_through_the_policy() -> None:
    callers = sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and re.search(r"\bYouth\.objects\b", path.read_text())
    )
    assert callers == ["youth/models.py"]


# --- Sizes: small modules, short functions (migrations and demo data aside).
MODULE_LIMIT = 500
FUNCTION_LIMIT = 80
SIZE_EXEMPT = re.compile(r"/migrations/|(^|/)demo(_\w+)?\.py$|^directory/generate\.py$")


def oversized(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if "/migrations/" in f"/{rel}":
            continue
        text = path.read_text()
        if len(text.splitlines()) > MODULE_LIMIT:
            found.append(f"threadline/{rel}: {len(text.splitlines())} lines")
        if SIZE_EXEMPT.search(rel):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or start) - start + 1
                if length > FUNCTION_LIMIT:
                    found.append(f"threadline/{rel}:{start}: {node.name} is {length} lines")
    return found


def test_no_module_over_500_lines_and_no_function_over_80() -> None:
    assert oversized() == []


def test_the_size_check_catches_a_long_function(tmp_path: Path) -> None:
    (tmp_path / "room").mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LIMIT))
    (tmp_path / "room" / "long.py").write_text(f"def long() -> None:\n{body}\n")
    assert oversized(tmp_path) == [f"threadline/room/long.py:1: long is {FUNCTION_LIMIT + 1} lines"]
