from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from threadline.audit import labels
from threadline.audit.forms import LedgerFilterForm
from threadline.audit.models import AccessEvent
from threadline.audit.selectors import LedgerFilter, ledger_chain_status, ledger_filtered, ledger_people
from threadline.core.actions import Action
from threadline.core.policy import may, require


@dataclass(frozen=True)
class LedgerRow:
    """One row in plain words: what was done to what, which information, which youth (record code)."""

    event: AccessEvent
    what: str
    categories: str
    youth_reference: str


def _chosen(form: LedgerFilterForm) -> LedgerFilter:
    if not form.is_valid():
        return LedgerFilter()
    data = form.cleaned_data
    code = (data.get("youth") or "").strip()
    youth_id = labels.youth_id_for_reference(code) if code else None
    person = data.get("person")
    return LedgerFilter(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        person_id=person.pk if person is not None else None,
        action=data.get("action") or "",
        youth_id=youth_id,
        unknown_youth=bool(code) and youth_id is None,
    )


def _rows(events: list[AccessEvent]) -> list[LedgerRow]:
    references = labels.youth_references(e.youth_id for e in events)
    rows = []
    for event in events:
        reference = references.get(event.youth_id, "") if event.youth_id else ""
        thing = labels.object_label(event.object_type)
        if event.object_type == "youth":
            thing = f"{thing} {reference}".strip()
        rows.append(
            LedgerRow(
                event=event,
                what=f"{labels.action_label(event.action)} · {thing}",
                categories=labels.category_labels(event.category),
                youth_reference=reference,
            )
        )
    return rows


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Auditors and supervisors read the ledger, newest first, with the last verification: the whole
    ledger at the Care Coordinator, their own organization's rows at a partner agency. Filters by date,
    person, action and youth record code (in the URL: none of them identifies anyone)."""
    membership = getattr(request, "membership", None)
    require(membership, Action.VIEW_AUDIT)
    form = LedgerFilterForm(request.GET or None, people=ledger_people(membership=membership))
    events = ledger_filtered(membership=membership, chosen=_chosen(form))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/ledger.html",
        {
            "page": page,
            "rows": _rows(list(page.object_list)),
            "form": form,
            "chain": ledger_chain_status(),
            "all_organizations": bool(may(membership, Action.VIEW_AUDIT_ALL_ORGANIZATIONS)),
            "query": query.urlencode(),
        },
    )
