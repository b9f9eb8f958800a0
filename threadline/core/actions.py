"""What each role may do, independent of any particular youth.

Per-youth decisions (care team, consent, break-glass) build on this in ``policy``.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.core.roles import Role


class Action(StrEnum):
    WORK_WITH_YOUTH = "work_with_youth"  # open youth records the policy lets them see
    CREATE_YOUTH = "create_youth"
    TAKE_REFERRALS = "take_referrals"  # intake queue, eligibility decisions, assigning advocates
    BREAK_GLASS = "break_glass"
    REVIEW_BREAK_GLASS = "review_break_glass"
    MANAGE_USERS = "manage_users"
    MANAGE_PROGRAM = "manage_program"  # service area, eligibility rules, on-call rota, instruments
    MANAGE_DIRECTORY = "manage_directory"
    SEARCH_DIRECTORY = "search_directory"
    VIEW_REPORTS = "view_reports"  # de-identified aggregates only
    VIEW_AUDIT = "view_audit"
    USE_API_TOKENS = "use_api_tokens"


_STAFF_CASEWORK = {Action.WORK_WITH_YOUTH, Action.SEARCH_DIRECTORY, Action.USE_API_TOKENS}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CARE_COORDINATOR: frozenset(
        _STAFF_CASEWORK
        | {Action.CREATE_YOUTH, Action.TAKE_REFERRALS, Action.BREAK_GLASS, Action.VIEW_REPORTS}
    ),
    Role.CSEY_ADVOCATE: frozenset(_STAFF_CASEWORK | {Action.CREATE_YOUTH, Action.TAKE_REFERRALS}),
    Role.FAMILY_COORDINATOR: frozenset(_STAFF_CASEWORK),
    Role.PARTNER_STAFF: frozenset(_STAFF_CASEWORK),
    Role.SUPERVISOR: frozenset(
        _STAFF_CASEWORK
        | {
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.BREAK_GLASS,
            Action.REVIEW_BREAK_GLASS,
            Action.VIEW_REPORTS,
            Action.VIEW_AUDIT,
        }
    ),
    Role.DIRECTORY_ADMIN: frozenset(
        {Action.MANAGE_DIRECTORY, Action.SEARCH_DIRECTORY, Action.USE_API_TOKENS}
    ),
    Role.PROGRAM_ADMIN: frozenset(
        {Action.MANAGE_USERS, Action.MANAGE_PROGRAM, Action.SEARCH_DIRECTORY, Action.VIEW_REPORTS}
    ),
    Role.AUDITOR: frozenset({Action.VIEW_AUDIT, Action.REVIEW_BREAK_GLASS}),
    Role.ANALYST: frozenset({Action.VIEW_REPORTS}),
}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
