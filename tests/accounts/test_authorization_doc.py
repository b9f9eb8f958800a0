"""ASVS 8.1.1: the authorization document is the Action table, regenerated; it may not drift."""

from __future__ import annotations

from threadline.accounts.management.commands.authorization_rules import DOC, with_rules


def test_authorization_rules_document_matches_the_action_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert with_rules(text) == text, "stale: run python manage.py authorization_rules --write"
