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
    SEE_OTHER_AGENCIES = "see_other_agencies"  # which agencies serve a youth or hold a release; any role
    RUN_PROGRAM_SCOPE = "run_program_scope"  # outcomes over the organization's own programs; any role
    # Intake as the hotline works (issue 13).
    ENTER_REFERRAL = "enter_referral"  # staff enter a referral from any channel (hotline, walk-in, partner)
    REROUTE_REFERRAL = "reroute_referral"  # send a referral's alert to another region's rota
    RESPOND_IN_FIELD = "respond_in_field"  # dispatch an advocate, record the field response steps
    RECEIVE_DUTY_PAGES = "receive_duty_pages"  # paged when a mandatory report is overdue
    UNLINK_REFERRAL = "unlink_referral"  # undo a referral's link to the wrong youth record
    # The partner network (issue 15): agreements, program meetings, trainings, action plans.
    MANAGE_PARTNERSHIPS = "manage_partnerships"  # record agreements, meetings, trainings, action plans
    SEE_NETWORK = "see_network"  # partners, their agreements, program meetings and their minutes
    SEE_TRAININGS = "see_trainings"  # trainings delivered or attended (volunteers and interns too)
    WORK_NETWORK_TASKS = "work_network_tasks"  # the action items and plans one's organization owns
    RECEIVE_AGREEMENT_REMINDERS = "receive_agreement_reminders"  # told when an agreement nears its end
    # The thread does not break (issue 14).
    RELOCATE_YOUTH = "relocate_youth"  # the youth moved to another region of the same program
    TRANSFER_YOUTH = "transfer_youth"  # hand a youth to another program (request; accept or decline one)
    # Issue 14: the care team opens the protected categories (everything but the record's shell) only
    # to roles with this action; the Family Coordinator, without it, needs the youth's consent for
    # family services (``ConsentUse.FAMILY``) for each category.
    SEE_CASE_VIA_TEAM = "see_case_via_team"
    SERVE_FAMILIES = "serve_families"  # family clients (caregivers, siblings): their own plan, notes...
    SEE_ALL_FAMILY_CLIENTS = "see_all_family_clients"  # every family client of the organization
    MENTOR_YOUTH = "mentor_youth"  # the youths assigned to them as mentor, what is consented for mentoring
    # Issue 14: told that a referral's youth may be known to another program (only that program's
    # contact, never the record); see matching/elsewhere.py.
    SEE_KNOWN_ELSEWHERE = "see_known_elsewhere"


_STAFF_CASEWORK = {
    Action.WORK_WITH_YOUTH,
    Action.SEARCH_DIRECTORY,
    Action.USE_API_TOKENS,
    Action.SEE_CONSENTED_YOUTH,
    Action.SEE_LOCATION_VIA_TEAM,
    Action.COORDINATE_CARE,
    Action.SEE_PRIVATE_LISTINGS,
    Action.RUN_REGIONAL_INTAKE,
    Action.SEE_CASE_VIA_TEAM,
}
_COORDINATION = {
    Action.SEE_WHOLE_CASELOAD,
    Action.MANAGE_SHARING,
    Action.REQUEST_ERASURE,
    Action.SERVE_FAMILIES,
    Action.SEE_ALL_FAMILY_CLIENTS,
}
_NETWORK = {Action.SEE_NETWORK, Action.SEE_TRAININGS, Action.WORK_NETWORK_TASKS}
# Mentors (survivor leaders, peer and volunteer mentors): nothing but their own mentees.
_MENTORING = frozenset({Action.MENTOR_YOUTH})
MENTOR_ROLES = (Role.SURVIVOR_LEADER_MENTOR, Role.PEER_MENTOR, Role.VOLUNTEER_MENTOR)

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CARE_COORDINATOR: frozenset(
        _STAFF_CASEWORK
        | _COORDINATION
        | {
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.BREAK_GLASS,
            Action.VIEW_REPORTS,
            Action.VIEW_EXACT_FIGURES,
            Action.MERGE_YOUTH,
            Action.SEND_SERVICE_REFERRALS,
        }
        | {Action.ENTER_REFERRAL, Action.REROUTE_REFERRAL, Action.RESPOND_IN_FIELD, Action.RECEIVE_DUTY_PAGES}
        | {Action.UNLINK_REFERRAL, Action.RELOCATE_YOUTH, Action.TRANSFER_YOUTH, Action.SEE_KNOWN_ELSEWHERE}
        | _NETWORK
        | {Action.MANAGE_PARTNERSHIPS}
    ),
    Role.CSEY_ADVOCATE: frozenset(
        _STAFF_CASEWORK
        | _NETWORK
        | {
            Action.CREATE_YOUTH,
            Action.TAKE_REFERRALS,
            Action.SEE_OWN_TEAM_YOUTH,
            Action.LEAD_ADVOCACY,
            Action.SEND_SERVICE_REFERRALS,
            Action.ENTER_REFERRAL,
            Action.RESPOND_IN_FIELD,
            Action.RELOCATE_YOUTH,
        }
    ),
    Role.FAMILY_COORDINATOR: frozenset(
        (_STAFF_CASEWORK - {Action.SEE_LOCATION_VIA_TEAM, Action.SEE_CASE_VIA_TEAM})
        | {Action.SEE_OWN_TEAM_YOUTH, Action.SERVE_FAMILIES}
        | _NETWORK
    ),
    Role.PARTNER_STAFF: frozenset(
        _STAFF_CASEWORK
        | {
            Action.ANSWER_SERVICE_REFERRALS,
            Action.ENTER_REFERRAL,
            Action.SEE_TRAININGS,
            Action.WORK_NETWORK_TASKS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        _STAFF_CASEWORK
        | _COORDINATION
        | _NETWORK
        | {Action.MANAGE_PARTNERSHIPS}
        | {
            Action.APPROVE_ERASURE,
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
            Action.SEND_SERVICE_REFERRALS,
            Action.ENTER_REFERRAL,
            Action.REROUTE_REFERRAL,
            Action.RESPOND_IN_FIELD,
            Action.RECEIVE_DUTY_PAGES,
            Action.UNLINK_REFERRAL,
            Action.RELOCATE_YOUTH,
            Action.TRANSFER_YOUTH,
            Action.SEE_KNOWN_ELSEWHERE,
        }
    ),
    Role.DIRECTORY_ADMIN: frozenset(
        {
            Action.MANAGE_DIRECTORY,
            Action.SEARCH_DIRECTORY,
            Action.USE_API_TOKENS,
            Action.SEE_PRIVATE_LISTINGS,
            Action.RUN_REGIONAL_INTAKE,
            Action.SEE_TRAININGS,
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
            Action.MANAGE_PARTNERSHIPS,
            Action.RECEIVE_AGREEMENT_REMINDERS,
        }
        | _NETWORK
    ),
    Role.AUDITOR: frozenset(
        {
            Action.VIEW_AUDIT,
            Action.VIEW_AUDIT_ALL_ORGANIZATIONS,
            Action.REVIEW_BREAK_GLASS,
            Action.RUN_REGIONAL_INTAKE,
        }
    ),
    Role.ANALYST: frozenset({Action.VIEW_REPORTS, Action.RUN_REGIONAL_INTAKE}),
    # Volunteers and interns (seed 000 welcomes them): the trainings they attend, nothing about any
    # youth, no directory, no reports. Mentoring a youth is a per-youth assignment, not this role.
    Role.VOLUNTEER: frozenset({Action.SEE_TRAININGS}),
    Role.INTERN: frozenset({Action.SEE_TRAININGS}),
}
# Roles that never touch youth data through their role, not even which agencies serve a youth.
_NO_YOUTH_EVER = frozenset({Role.VOLUNTEER, Role.INTERN})


# Every staff role of the Care Coordinator's organization (the organization rows below keep them there).
for _role in ROLE_ACTIONS:
    if _role not in _NO_YOUTH_EVER:
        ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | {Action.SEE_OTHER_AGENCIES, Action.RUN_PROGRAM_SCOPE}
# Mentors are added after: they do not learn which agencies serve a youth, nor run program figures.
for _role in MENTOR_ROLES:
    ROLE_ACTIONS[_role] = _MENTORING


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
        Action.SEE_OTHER_AGENCIES,
        Action.RUN_PROGRAM_SCOPE,
        Action.REROUTE_REFERRAL,
        Action.RESPOND_IN_FIELD,
        Action.RECEIVE_DUTY_PAGES,
        Action.UNLINK_REFERRAL,
        Action.MANAGE_PARTNERSHIPS,
        Action.SEE_NETWORK,
        Action.RECEIVE_AGREEMENT_REMINDERS,
        Action.RELOCATE_YOUTH,
        Action.TRANSFER_YOUTH,
        Action.SEE_CASE_VIA_TEAM,
        Action.SERVE_FAMILIES,
        Action.SEE_ALL_FAMILY_CLIENTS,
        Action.SEE_KNOWN_ELSEWHERE,
    }
)
# ...and these only in a partner organization (the Care Coordinator sees through its team instead).
PARTNER_ORG_ONLY: frozenset[Action] = frozenset({Action.SEE_CONSENTED_YOUTH})


class OrganizationKind(StrEnum):
    """Kinds of organization, as far as permissions go. The Care Coordinator runs the program and
    holds the whole record of the youths it serves; a partner agency sees only what consent allows."""

    CARE_COORDINATOR = "care_coordinator"
    PARTNER = "partner"


def organization_allows(is_care_coordinator: bool, action: Action) -> bool:
    if action in COORDINATOR_ORG_ONLY:
        return is_care_coordinator
    if action in PARTNER_ORG_ONLY:
        return not is_care_coordinator
    return True


def _in_kind(kind: OrganizationKind, actions: frozenset[Action]) -> frozenset[Action]:
    return frozenset(a for a in actions if organization_allows(kind is OrganizationKind.CARE_COORDINATOR, a))


# THE one table: which roles each kind of organization may hold, and what each role may do THERE. A
# role missing for a kind cannot be given to anyone in such an organization (refused when the
# membership is made) and, if it exists anyway, is worth nothing (``may`` answers no). The Care
# Coordinator's roles are ``ROLE_ACTIONS`` above. A partner agency: its staff work with the youths
# consent lets them see (and answer the service referrals sent to their agency); its supervisor and
# auditor read the ledger rows of their own agency only; its program admin manages its own people; an
# analyst (a funder) sees de-identified reports. Only the Care Coordinator's staff break the glass,
# take referrals, open records, run the program and keep the directory. Every row is filtered through
# ``COORDINATOR_ORG_ONLY`` / ``PARTNER_ORG_ONLY``.
_PARTNER_CASEWORK = frozenset(_STAFF_CASEWORK | {Action.SEE_CONSENTED_YOUTH})
# A partner agency works its own action items and action plan, and sees the trainings it attended.
_PARTNER_NETWORK = frozenset({Action.SEE_TRAININGS, Action.WORK_NETWORK_TASKS})
KIND_ROLE_ACTIONS: dict[OrganizationKind, dict[str, frozenset[Action]]] = {
    OrganizationKind.CARE_COORDINATOR: {
        role: _in_kind(OrganizationKind.CARE_COORDINATOR, actions) for role, actions in ROLE_ACTIONS.items()
    },
    OrganizationKind.PARTNER: {
        role: _in_kind(OrganizationKind.PARTNER, actions)
        for role, actions in {
            Role.PARTNER_STAFF: _PARTNER_CASEWORK
            | {Action.ANSWER_SERVICE_REFERRALS, Action.ENTER_REFERRAL}
            | _PARTNER_NETWORK,
            Role.SUPERVISOR: _PARTNER_CASEWORK
            | {Action.VIEW_AUDIT, Action.ENTER_REFERRAL}
            | _PARTNER_NETWORK,
            Role.PROGRAM_ADMIN: frozenset({Action.MANAGE_USERS, Action.SEARCH_DIRECTORY}) | _PARTNER_NETWORK,
            Role.AUDITOR: frozenset({Action.VIEW_AUDIT}),
            Role.ANALYST: frozenset({Action.VIEW_REPORTS}),
            # A survivor-leader organization's mentors: the same least access as in-house mentors.
            **{role: _MENTORING for role in MENTOR_ROLES},
        }.items()
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


def organization_may(organization: object, action: Action) -> bool:
    """Is this action ever allowed in this organization, whatever the role (no person acting)?"""
    return organization_allows(kind_of(organization) is OrganizationKind.CARE_COORDINATOR, action)


def role_allows(role: str, action: Action) -> bool:
    """The role within the Care Coordinator organization (the widest). Use ``may`` for a decision."""
    return action in ROLE_ACTIONS.get(role, frozenset())


def roles_allowed(action: Action) -> list[str]:
    """The roles the table allows this action (for queries such as "who is alerted")."""
    return sorted(role for role, actions in ROLE_ACTIONS.items() if action in actions)
