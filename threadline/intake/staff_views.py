"""Staff intake pages (issue 13): enter a referral from any channel, turn a logged contact into one,
re-route a referral, and the field response of a referral. Thin: one service call per action."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from threadline.core.actions import Action
from threadline.core.formfields import datetime_local_input
from threadline.core.policy import may
from threadline.formflow import act
from threadline.http import AuthedRequest
from threadline.intake import field_services as field
from threadline.intake import routing
from threadline.intake import staff_services as staff_intake
from threadline.intake.choices import Connection
from threadline.intake.models import Contact, FieldResponse, Referral, Urgency
from threadline.intake.selectors import programs_for
from threadline.intake.services.referrals import ReferralInput
from threadline.intake.views.base import _membership, _program, no_store, referral_input
from threadline.youth.meeting_services import meeting_preference_for_contact

SENT_KEY = "intake_referral_sent"


class StaffReferralForm(forms.Form):
    program = forms.TypedChoiceField(label=gettext_lazy("Program"), coerce=int)
    channel = forms.ChoiceField(
        label=gettext_lazy("How it came in"),
        choices=[(c.value, c.label) for c in staff_intake.STAFF_CHANNELS],
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("What the caller said about right now"),
        choices=Urgency.choices,
        initial=Urgency.OTHER,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Who is referring"), choices=Referral.Source.choices, initial=Referral.Source.OTHER
    )
    county = forms.CharField(label=gettext_lazy("County"), max_length=80, required=False)
    connection = forms.ChoiceField(
        label=gettext_lazy("Connection to the county"),
        choices=[("", "—"), *Connection.choices],
        required=False,
    )
    age = forms.IntegerField(label=gettext_lazy("Age"), min_value=0, max_value=120, required=False)
    youth_name = forms.CharField(
        label=gettext_lazy("What the young person is called"), max_length=200, required=False
    )
    what_is_known = forms.CharField(
        label=gettext_lazy("What is known, in the caller's words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    referrer_contact = forms.CharField(
        label=gettext_lazy("How to reach the caller safely"), max_length=300, required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the young person"),
        choices=[("en", gettext_lazy("English")), ("es", gettext_lazy("Spanish"))],
        initial="en",
    )

    def __init__(self, *args: object, programs: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form takes data/files positionally
        program_field = self.fields["program"]
        assert isinstance(program_field, forms.TypedChoiceField)
        program_field.choices = programs
        if len(programs) == 1:
            program_field.initial = programs[0][0]

    def referral_input(self) -> ReferralInput:
        return referral_input(self.cleaned_data, connection=self.cleaned_data["connection"] or "")


@login_required
def referral_new(request: AuthedRequest) -> HttpResponse:
    """A hotline taker, an advocate or a partner enters a referral. Post/redirect/get: the page after
    saving shows the reference (and "call 911" for immediate danger); a refresh sends nothing again."""
    membership = _membership(request, Action.ENTER_REFERRAL)
    programs = [(p.pk, p.name) for p in staff_intake.programs_to_refer_to(membership=membership)]
    form = StaffReferralForm(request.POST or None, programs=programs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = staff_intake.referral_enter(
                    membership=membership,
                    program_id=form.cleaned_data["program"],
                    channel=form.cleaned_data["channel"],
                    data=form.referral_input(),
                )
            except staff_intake.TooManyReferrals:
                form.add_error(None, _("You have sent many referrals this hour. Call the hotline instead."))
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 422
            else:
                request.session[SENT_KEY] = {
                    "reference": referral.reference,
                    "id": str(referral.pk),
                    "danger": referral.urgency == Urgency.IMMEDIATE_DANGER,
                }
                return redirect("intake:referral_sent")
        else:
            status = 422
    return render(request, "intake/staff_refer.html", {"form": form}, status=status)


@login_required
def referral_sent(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request, Action.ENTER_REFERRAL)
    sent = request.session.get(SENT_KEY)
    if not isinstance(sent, dict):
        return redirect("intake:referral_new")
    context = {
        "reference": sent.get("reference", ""),
        "referral_id": sent.get("id", "") if may(membership, Action.TAKE_REFERRALS) else "",
        "danger": bool(sent.get("danger")),
        "call_911": routing.CALL_911,
    }
    return no_store(render(request, "intake/staff_refer_sent.html", context))


@login_required
@require_POST
def contact_refer(request: AuthedRequest, contact_id: str) -> HttpResponse:
    """One step from a logged contact to a referral, in the program chosen (the only one by default)."""
    membership = _membership(request, Action.ENTER_REFERRAL)
    program_ids = list(programs_for(membership=membership).values_list("pk", flat=True))
    try:
        program_id = int(request.POST.get("program") or (program_ids[0] if len(program_ids) == 1 else 0))
    except ValueError:
        program_id = 0
    try:
        referral = staff_intake.contact_to_referral(
            membership=membership,
            contact_id=contact_id,
            program_id=program_id,
            data=ReferralInput(
                what_is_known="",
                county=request.POST.get("county", "")[:80],
                urgency=request.POST.get("urgency", Urgency.OTHER),
            ),
        )
    except Contact.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intake:contacts")
    messages.success(
        request, _("The contact is now referral %(reference)s.") % {"reference": referral.reference}
    )
    return redirect("intake:referral_detail", referral_id=referral.pk)


@login_required
@require_POST
def referral_reroute(request: AuthedRequest, referral_id: str) -> HttpResponse:
    membership = _membership(request, Action.REROUTE_REFERRAL)
    try:
        region_id = int(request.POST.get("region", ""))
    except ValueError:
        region_id = 0
    act(
        request,
        lambda: routing.referral_reroute(membership=membership, referral_id=referral_id, region_id=region_id),
        _("Re-routed: the region's on-call has the alert."),
        missing=Referral.DoesNotExist,
    )
    return redirect("intake:referral_detail", referral_id=referral_id)


class DispatchForm(forms.Form):
    advocate = forms.TypedChoiceField(label=gettext_lazy("Advocate"), coerce=int)
    meet_at = forms.DateTimeField(
        label=gettext_lazy("Meet at (time)"),
        widget=datetime_local_input(),
    )
    meeting_place = forms.CharField(
        label=gettext_lazy("Where to meet, in the young person's or caller's words"),
        help_text=gettext_lazy("A safe public place; not a police station unless the young person chose it."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
def field_response(request: AuthedRequest, referral_id: str) -> HttpResponse:
    """The field response of one referral: dispatch, then each step and the safety check-ins."""
    membership = _membership(request, Action.RESPOND_IN_FIELD)
    referral = field.referral_for_field(membership=membership, referral_id=referral_id)
    if referral is None:
        raise Http404
    advocates = [(u.pk, u.full_name or u.email) for u in field.advocate_choices(referral=referral)]
    form = DispatchForm(request.POST if request.POST.get("step") == "dispatch" else None)
    advocate_field = form.fields["advocate"]
    assert isinstance(advocate_field, forms.TypedChoiceField)
    advocate_field.choices = advocates
    advocate_field.initial = request.user.pk
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "dispatch":
                if not form.is_valid():
                    raise ValidationError(_("Say who goes, when and where to meet."))
                field.field_dispatch(
                    membership=membership,
                    referral_id=referral.pk,
                    advocate_id=form.cleaned_data["advocate"],
                    meet_at=form.cleaned_data["meet_at"],
                    meeting_place=form.cleaned_data["meeting_place"],
                )
            else:
                field.field_step(
                    membership=membership, response_id=request.POST.get("response", ""), step=step
                )
        except FieldResponse.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 422
        else:
            messages.success(request, _("Saved."))
            return redirect("intake:field_response", referral_id=referral.pk)
    context = {
        "referral": referral,
        "responses": field.responses_of(membership=membership, referral=referral),
        "form": form,
        "steps": field.STEP_LABELS,
        "now": timezone.now(),
        # How the youth prefers to be met, for whoever goes (only if they may see the youth's identity).
        "meeting": meeting_preference_for_contact(membership=membership, youth_id=referral.youth_id),
    }
    return no_store(render(request, "intake/field_response.html", context, status=status))


@login_required
@require_POST
def referral_unlink(request: AuthedRequest, referral_id: str) -> HttpResponse:
    from threadline.intake.link_services import referral_unlink as unlink

    membership = _membership(request, Action.UNLINK_REFERRAL)
    act(
        request,
        lambda: unlink(membership=membership, referral_id=referral_id, reason=request.POST.get("reason", "")),
        _("Unlinked: the referral is back to where it was before the link."),
        missing=Referral.DoesNotExist,
    )
    return redirect("intake:referral_detail", referral_id=referral_id)


class ProtocolForm(forms.Form):
    county = forms.CharField(label=gettext_lazy("County"), max_length=80)
    child_welfare = forms.CharField(
        label=gettext_lazy("Child-welfare office"), max_length=200, required=False
    )
    law_enforcement = forms.CharField(
        label=gettext_lazy("Law-enforcement agency"), max_length=200, required=False
    )
    state_police_copy = forms.CharField(
        label=gettext_lazy("State police copy"), max_length=200, required=False
    )
    backup_agency = forms.CharField(label=gettext_lazy("Backup agency"), max_length=200, required=False)


@login_required
def county_protocols(request: AuthedRequest, slug: str) -> HttpResponse:
    """The program admin keeps, per county, who is told when a child is referred."""
    from threadline.intake import protocol_services

    membership = _membership(request, Action.MANAGE_PROGRAM)
    program = _program(membership, slug)
    form = ProtocolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        protocol_services.county_protocol_set(membership=membership, program=program, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("intake:county_protocols", slug=program.slug)
    context = {"program": program, "form": form, "rows": protocol_services.protocols_of(program=program)}
    return render(request, "intake/county_protocols.html", context, status=422 if form.errors else 200)
