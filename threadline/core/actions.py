"""What each role may do, independent of any particular youth: THE table of role and organization rules.

Every role or organization decision in the code is a row here, asked through ``core.policy.may``;
nothing else compares a role name. Per-youth decisions (care team, consent, break-glass) build on
this in ``youth.policy``.
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
    # The grounds on which the per-youth policy lets someone see a youth (youth/policy.py).
    SEE_WHOLE_CASELOAD = "see_whole_caseload"  # every youth their organization is on the care team of
    SEE_OWN_TEAM_YOUTH = "see_own_team_youth"  # the youths they are personally on the care team of
    SEE_CONSENTED_YOUTH = "see_consented_youth"  # youths whose active consent covers their organization
    SEE_LOCATION_VIA_TEAM = "see_location_via_team"  # placements and safe houses, through the care team
    # The Care Coordinator's own work.
    COORDINATE_CARE = "coordinate_care"  # access history, disclosures, sensitive notes, closure
    MANAGE_SHARING = "manage_sharing"  # convene the care team; record, revoke and list releases
    LEAD_ADVOCACY = "lead_advocacy"  # joins the team of a youth they open as lead advocate
    REQUEST_ERASURE = "request_erasure"
    APPROVE_ERASURE = "approve_erasure"
    RUN_REGIONAL_INTAKE = "run_regional_intake"  # programs nobody owns yet: the Care Coordinator's, any role
    SEE_PRIVATE_LISTINGS = "see_private_listings"  # directory entries kept for the Care Coordinator
    # Intake as the hotline works (issue 13).
    ENTER_REFERRAL = "enter_referral"  # staff enter a referral from any channel (hotline, walk-in, partner)
    REROUTE_REFERRAL = "reroute_referral"  # send a referral's alert to another region's rota
    RESPOND_IN_FIELD = "respond_in_field"  # dispatch an advocate, record the field response steps
    RECEIVE_DUTY_PAGES = "receive_duty_pages"  # paged when a mandatory report is overdue
    UNLINK_REFERRAL = "unlink_referral"  # undo a referral's link to the wrong youth record


_STAFF_CASEWORK = {
    Action.WORK_WITH_YOUTH,
    Action.SEARCH_DIRECTORY,
    Action.USE_API_TOKENS,
    Action.SEE_CONSENTED_YOUTH,
    Action.SEE_LOCATION_VIA_TEAM,
    Action.COORDINATE_CARE,
    Action.SEE_PRIVATE_LISTINGS,
    Action.RUN_REGIONAL_INTAKE,
}
_COORDINATION = {
    Action.SEE_WHOLE_CASELOAD,
    Action.MANAGE_SHARING,
    Action.REQUEST_ERASURE,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CARE_COORDINATOR: frozenset(
        _STAFF_CASEWORK
        | _COORDINATION
        | {Action.CREATE_YOUTH, Action.TAKE_REFERRALS, Action.BREAK_GLASS, Action.VIEW_REPORTS}
        | {Action.ENTER_REFERRAL, Action.REROUTE_REFERRAL, Action.RESPOND_IN_FIELD, Action.RECEIVE_DUTY_PAGES}
        | {Action.UNLINK_REFERRAL}
    ),
    Role.CSEY_ADVOCATE: frozenset(
        _STAFF_CASEWORK
        | {
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.SEE_OWN_TEAM_YOUTH,
            Action.LEAD_ADVOCACY,
            Action.ENTER_REFERRAL,
            Action.RESPOND_IN_FIELD,
        }
    ),
    Role.FAMILY_COORDINATOR: frozenset(
        (_STAFF_CASEWORK - {Action.SEE_LOCATION_VIA_TEAM}) | {Action.SEE_OWN_TEAM_YOUTH}
    ),
    Role.PARTNER_STAFF: frozenset(_STAFF_CASEWORK | {Action.ENTER_REFERRAL}),
    Role.SUPERVISOR: frozenset(
        _STAFF_CASEWORK
        | _COORDINATION
        | {
            Action.APPROVE_ERASURE,
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.BREAK_GLASS,
            Action.REVIEW_BREAK_GLASS,
            Action.VIEW_REPORTS,
            Action.VIEW_AUDIT,
            Action.ENTER_REFERRAL,
            Action.REROUTE_REFERRAL,
            Action.RESPOND_IN_FIELD,
            Action.RECEIVE_DUTY_PAGES,
            Action.UNLINK_REFERRAL,
        }
    ),
    Role.DIRECTORY_ADMIN: frozenset(
        {
            Action.MANAGE_DIRECTORY,
            Action.SEARCH_DIRECTORY,
            Action.USE_API_TOKENS,
            Action.SEE_PRIVATE_LISTINGS,
            Action.RUN_REGIONAL_INTAKE,
        }
    ),
    Role.PROGRAM_ADMIN: frozenset(
        {
            Action.MANAGE_USERS,
            Action.MANAGE_PROGRAM,
            Action.SEARCH_DIRECTORY,
            Action.VIEW_REPORTS,
            Action.RUN_REGIONAL_INTAKE,
            Action.SEE_PRIVATE_LISTINGS,
        }
    ),
    Role.AUDITOR: frozenset({Action.VIEW_AUDIT, Action.REVIEW_BREAK_GLASS, Action.RUN_REGIONAL_INTAKE}),
    Role.ANALYST: frozenset({Action.VIEW_REPORTS, Action.RUN_REGIONAL_INTAKE}),
}


# Organization kind: these actions are only ever allowed in the Care Coordinator's organization...
COORDINATOR_ORG_ONLY: frozenset[Action] = frozenset(
    {
        Action.SEE_WHOLE_CASELOAD,
        Action.SEE_OWN_TEAM_YOUTH,
        Action.COORDINATE_CARE,
        Action.MANAGE_SHARING,
        Action.LEAD_ADVOCACY,
        Action.REQUEST_ERASURE,
        Action.APPROVE_ERASURE,
        Action.RUN_REGIONAL_INTAKE,
        Action.SEE_PRIVATE_LISTINGS,
        Action.REROUTE_REFERRAL,
        Action.RESPOND_IN_FIELD,
        Action.RECEIVE_DUTY_PAGES,
        Action.UNLINK_REFERRAL,
    }
)
# ...and these only in a partner organization (the Care Coordinator sees through its team instead).
PARTNER_ORG_ONLY: frozenset[Action] = frozenset({Action.SEE_CONSENTED_YOUTH})


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())


def organization_allows(is_care_coordinator: bool, action: Action) -> bool:
    if action in COORDINATOR_ORG_ONLY:
        return is_care_coordinator
    if action in PARTNER_ORG_ONLY:
        return not is_care_coordinator
    return True


def roles_allowed(action: Action) -> list[str]:
    """The roles the table allows this action (for queries such as "who is alerted")."""
    return sorted(role for role, actions in ROLE_ACTIONS.items() if action in actions)
