"""Partners and their agreements with the program; agreements ending soon at the top."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _

from threadline.core.actions import Action
from threadline.core.policy import require
from threadline.formflow import sent
from threadline.http import AuthedRequest
from threadline.network import agreement_services, selectors
from threadline.network.forms import AgreementChangeForm, AgreementForm
from threadline.network.views.base import CONFLICT, found, manage, missing_is_404, page


@login_required
@missing_is_404
def partners(request: AuthedRequest) -> HttpResponse:
    membership = require(request.membership, Action.SEE_NETWORK)
    form = AgreementForm(sent(request, "agreement"), own_organization=membership.organization_id)
    saved = manage(
        request,
        form,
        lambda d: agreement_services.agreement_record(
            membership=membership, partner_id=d.pop("partner").pk, **d
        ),
        done=_("Agreement recorded."),
        to=("network:partners",),
    )
    return saved or page(
        request,
        "network/partners.html",
        {
            "rows": selectors.partners(membership=membership),
            "expiring": selectors.agreements_expiring(
                membership=membership, days=agreement_services.reminder_days()
            ),
            "form": form,
        },
    )


@login_required
@missing_is_404
def agreement(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    membership = require(request.membership, Action.SEE_NETWORK)
    shown = found(selectors.agreement_of(membership=membership, agreement_id=agreement_id))
    initial = {name: getattr(shown, name) for name in AgreementChangeForm.base_fields}
    form = AgreementChangeForm(sent(request, "change"), initial=initial)
    saved = manage(
        request,
        form,
        lambda d: agreement_services.agreement_change(membership=membership, agreement_id=shown.pk, **d),
        done=_("Agreement saved."),
        to=("network:agreement", shown.pk),
        conflict=CONFLICT,
    )
    return saved or page(request, "network/agreement.html", {"agreement": shown, "form": form})
