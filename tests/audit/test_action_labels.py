"""Every action the code writes to the ledger has words in the reader's language.

Seen on a Spanish youth's access history: "referral expired · remisión a un servicio" (a code without a
label read as its English identifier), and the network's, mentoring's and family services' actions the
same way on the auditor's ledger."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from django.utils import translation

from threadline.audit.labels import ACTION_LABELS, action_label
from threadline.referrals.states import ReferralState

ROOT = Path(__file__).resolve().parents[2] / "threadline"


@functools.cache  # the whole package parsed once for both tests
def _written_codes() -> set[str]:
    """Each action="..." passed to a call in the app (not argparse's), and "referral_" + a state the
    referral services write as f"referral_{wanted}" (any state but a draft)."""
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument":
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "action"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    codes.add(value.value)
    codes |= {f"referral_{state}" for state in ReferralState.values if state != ReferralState.DRAFT}
    return codes


def test_every_action_written_has_a_label() -> None:
    codes = _written_codes()
    assert "referral_expired" in codes and "mentor_assign" in codes  # the scan finds the app's calls
    assert sorted(codes - ACTION_LABELS.keys()) == []


def test_the_labels_read_in_spanish() -> None:
    codes = sorted(_written_codes())
    with translation.override("en"):
        english = [action_label(code) for code in codes]
    with translation.override("es"):
        spanish = [action_label(code) for code in codes]
        assert action_label("referral_expired") == "una remisión a un servicio venció"
    assert [code for code, en, es in zip(codes, english, spanish, strict=True) if en == es] == []
