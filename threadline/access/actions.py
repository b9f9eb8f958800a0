"""What each role may do, independent of any particular youth.

Per-youth decisions (care team, consent, break-glass) build on this in ``policy``.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.accounts.roles import Role


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
    # Outcomes (issue 12): exact small numbers on dashboards (staff who work with the youths anyway),
    # team workload figures, and row-level exports of the program's own records (re-authenticated,
    # with a stated reason, watermarked). Everyone else with VIEW_REPORTS sees suppressed aggregates.
    VIEW_EXACT_FIGURES = "view_exact_figures"
    VIEW_TEAM_FIGURES = "view_team_figures"
    EXPORT_RECORDS = "export_records"
    SEND_SERVICE_REFERRALS = "send_service_referrals"  # refer a youth to a directory provider
    ANSWER_SERVICE_REFERRALS = "answer_service_referrals"  # work one's own organization's referral inbox


_STAFF_CASEWORK = {Action.WORK_WITH_YOUTH, Action.SEARCH_DIRECTORY, Action.USE_API_TOKENS}

# Closed-loop service referrals (issue 11): who refers, and who answers for a provider.
_REFERRERS = {Role.CARE_COORDINATOR, Role.CSEY_ADVOCATE, Role.SUPERVISOR}
_ANSWERERS = {Role.PARTNER_STAFF}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CARE_COORDINATOR: frozenset(
        _STAFF_CASEWORK
        | {
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.BREAK_GLASS,
            Action.VIEW_REPORTS,
            Action.VIEW_EXACT_FIGURES,
        }
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
            Action.VIEW_EXACT_FIGURES,
            Action.VIEW_TEAM_FIGURES,
            Action.EXPORT_RECORDS,
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


for _role in _REFERRERS:
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | {Action.SEND_SERVICE_REFERRALS}
for _role in _ANSWERERS:
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | {Action.ANSWER_SERVICE_REFERRALS}


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
