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
    VIEW_AUDIT = "view_audit"  # the ledger rows of one's own organization
    VIEW_AUDIT_ALL_ORGANIZATIONS = "view_audit_all_organizations"  # every organization's rows
    USE_API_TOKENS = "use_api_tokens"
    # Outcomes (issue 12): exact small numbers on dashboards (staff who work with the youths anyway),
    # team workload figures, and row-level exports of the program's own records (re-authenticated,
    # with a stated reason, watermarked). Everyone else with VIEW_REPORTS sees suppressed aggregates.
    VIEW_EXACT_FIGURES = "view_exact_figures"
    VIEW_TEAM_FIGURES = "view_team_figures"
    EXPORT_RECORDS = "export_records"
    SEND_SERVICE_REFERRALS = "send_service_referrals"  # refer a youth to a directory provider
    ANSWER_SERVICE_REFERRALS = "answer_service_referrals"  # work one's own organization's referral inbox
    MERGE_YOUTH = "merge_youth"  # join two records of one youth (and undo it); see matching/services.py


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
            Action.MERGE_YOUTH,
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
            Action.VIEW_AUDIT_ALL_ORGANIZATIONS,
            Action.MERGE_YOUTH,
        }
    ),
    Role.DIRECTORY_ADMIN: frozenset(
        {Action.MANAGE_DIRECTORY, Action.SEARCH_DIRECTORY, Action.USE_API_TOKENS}
    ),
    Role.PROGRAM_ADMIN: frozenset(
        {Action.MANAGE_USERS, Action.MANAGE_PROGRAM, Action.SEARCH_DIRECTORY, Action.VIEW_REPORTS}
    ),
    Role.AUDITOR: frozenset(
        {Action.VIEW_AUDIT, Action.VIEW_AUDIT_ALL_ORGANIZATIONS, Action.REVIEW_BREAK_GLASS}
    ),
    Role.ANALYST: frozenset({Action.VIEW_REPORTS}),
}


for _role in _REFERRERS:
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | {Action.SEND_SERVICE_REFERRALS}
for _role in _ANSWERERS:
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | {Action.ANSWER_SERVICE_REFERRALS}


class OrganizationKind(StrEnum):
    """Kinds of organization, as far as permissions go. The Care Coordinator runs the program and
    holds the whole record of the youths it serves; a partner agency sees only what consent allows."""

    CARE_COORDINATOR = "care_coordinator"
    PARTNER = "partner"


# Which roles each kind of organization may hold, and what each role may do THERE. A role missing for a
# kind cannot be given to anyone in such an organization (refused when the membership is made) and, if
# it exists anyway, is worth nothing (``may`` answers no). The Care Coordinator's roles are the table
# above. A partner agency: its staff work with the youths consent lets them see; its supervisor and
# auditor read the ledger rows of their own agency only; its program admin manages its own people; an
# analyst (a funder) sees de-identified reports. Only the Care Coordinator's staff break the glass,
# take referrals, open records, run the program and keep the directory.
KIND_ROLE_ACTIONS: dict[OrganizationKind, dict[str, frozenset[Action]]] = {
    OrganizationKind.CARE_COORDINATOR: ROLE_ACTIONS,
    OrganizationKind.PARTNER: {
        # A provider agency's staff answer the service referrals sent to their own agency (issue 11).
        Role.PARTNER_STAFF: frozenset(_STAFF_CASEWORK | {Action.ANSWER_SERVICE_REFERRALS}),
        Role.SUPERVISOR: frozenset(_STAFF_CASEWORK | {Action.VIEW_AUDIT}),
        Role.PROGRAM_ADMIN: frozenset({Action.MANAGE_USERS, Action.SEARCH_DIRECTORY}),
        Role.AUDITOR: frozenset({Action.VIEW_AUDIT}),
        Role.ANALYST: frozenset({Action.VIEW_REPORTS}),
    },
}


def kind_of(organization: object) -> OrganizationKind:
    if getattr(organization, "is_care_coordinator", False):
        return OrganizationKind.CARE_COORDINATOR
    return OrganizationKind.PARTNER


def roles_for_kind(kind: OrganizationKind) -> frozenset[str]:
    return frozenset(KIND_ROLE_ACTIONS[kind])


def role_held_by(kind: OrganizationKind, role: str) -> bool:
    """May an organization of this kind give this role to anyone?"""
    return role in KIND_ROLE_ACTIONS[kind]


def kind_allows(kind: OrganizationKind, role: str, action: Action) -> bool:
    return action in KIND_ROLE_ACTIONS[kind].get(role, frozenset())


def role_allows(role: str, action: Action) -> bool:
    """The role within the Care Coordinator organization (the widest). Use ``may`` for a decision."""
    return action in ROLE_ACTIONS.get(role, frozenset())
