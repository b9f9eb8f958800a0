"""Care coordination pages. Thin: every read through selectors (scoped by ``access``, 404 for
missing and forbidden alike), every write through services. One view renders the full page or, for
HTMX, the partial that changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from threadline.access.categories import Category
from threadline.care import selectors
from threadline.care.forms import (
    ActionItemForm,
    CaseNoteForm,
    CheckInForm,
    ClosureForm,
    GoalForm,
    InstrumentUploadForm,
    MeetingForm,
    MeetingRecordForm,
    NeedForm,
    PlanStateForm,
    SafetyPlanForm,
    ServiceForm,
    StageForm,
    TaskForm,
    TaskStateForm,
)
from threadline.care.instruments import InstrumentInvalid
from threadline.care.instruments import text as instrument_text
from threadline.care.instruments.validation import parse_text
from threadline.care.measures import MEASURES
from threadline.care.models import CaseNote, Instrument, Meeting, PlanGoal, PlanNeed, Task
from threadline.care.services.closure import case_close, case_reopen
from threadline.care.services.instruments import instrument_load
from threadline.care.services.meetings import meeting_action_item_add, meeting_record, meeting_schedule
from threadline.care.services.missing import missing_episode_follow_up, missing_episode_return
from threadline.care.services.notes import NOTE_FIELDS, case_note_autosave, case_note_save
from threadline.care.services.plan import (
    care_plan_set_state,
    plan_goal_add,
    plan_item_mark,
    plan_need_add,
    plan_service_add,
)
from threadline.care.services.progress import outcome_check_in, stage_assess
from threadline.care.services.safety import SAFETY_FIELDS, safety_plan_save
from threadline.care.services.screenings import screening_record
from threadline.care.services.tasks import task_add, task_update
from threadline.core.actions import Action
from threadline.core.errors import EditConflict
from threadline.core.policy import may
from threadline.http import AuthedRequest
from threadline.youth.forms import MissingReturnForm
from threadline.youth.policy import YouthNotFound, require_youth

CONFLICT = gettext_lazy(
    "Someone else saved a change first. Nothing you typed was saved over theirs; check and try again."
)


def _require(request: AuthedRequest) -> None:
    if not may(request.membership, Action.WORK_WITH_YOUTH):
        raise PermissionDenied


def _require_youth_work(request: AuthedRequest) -> None:
    """Under a youth id, a role that never works with youth gets the 404 of a missing youth."""
    if not may(request.membership, Action.WORK_WITH_YOUTH):
        raise YouthNotFound


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)


def _owner_choices(team: selectors.TeamChoices) -> list[tuple[str, str]]:
    choices = [(f"org:{pk}", name) for pk, name in team.organizations]
    names = dict(team.organizations)
    choices += [(f"person:{pk}:{org}", f"{name} ({names.get(org, '')})") for pk, name, org in team.people]
    return choices


def _owner_ids(value: str) -> tuple[int | None, int | None]:
    kind, _sep, rest = value.partition(":")
    try:
        if kind == "org":
            return None, int(rest)
        if kind == "person":
            person, _sep, org = rest.partition(":")
            return int(person), int(org)
    except ValueError:
        pass
    raise ValidationError({"owner": _("Choose who owns this task.")})


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    _require(request)
    work = selectors.my_work(membership=request.membership)
    return render(request, "care/my_work.html", {"work": work, "waiting_alerts": _alerts_waiting(request)})


def _alerts_waiting(request: AuthedRequest) -> int:
    """Urgent referrals assigned to this person and not yet acknowledged (from intake's on-call chain).
    Only a count: the referral itself is opened from the intake dashboard, through its own checks."""
    from threadline.intake.oncall import open_alerts

    assert request.membership is not None
    return open_alerts(membership=request.membership).filter(assigned_to=request.user).count()


@login_required
def plan(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    page = selectors.care_plan_page(membership=request.membership, youth_id=youth_id)
    youth = page.youth
    team = selectors.team_choices(youth=youth)
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "") if data else ""
    forms = {
        "need": NeedForm(data if which == "need" else None, prefix="need"),
        "goal": GoalForm(data if which == "goal" else None, prefix="goal"),
        "service": ServiceForm(
            data if which == "service" else None, prefix="service", organizations=team.organizations
        ),
        "task": TaskForm(data if which == "task" else None, prefix="task", owners=_owner_choices(team)),
        "state": PlanStateForm(
            data if which == "state" else None,
            prefix="state",
            initial={
                "state": page.plan.state if page.plan else "",
                "version": page.plan.version if page.plan else 0,
            },
        ),
    }
    status = 200
    if which in forms:
        form = forms[which]
        if form.is_valid():
            try:
                _plan_write(request, youth.pk, which, form.cleaned_data)
            except EditConflict:
                form.add_error(None, CONFLICT)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("care:plan", youth_id=youth.pk)
        status = 400
    return render(
        request,
        "care/plan.html",
        {
            "page": page,
            "youth": youth,
            "forms": forms,
            "task_states": TaskStateForm.base_fields["state"].choices,  # type: ignore[attr-defined]
            "today": timezone.localdate(),
            "is_coordinator_org": bool(may(request.membership, Action.COORDINATE_CARE)),
        },
        status=status,
    )


def _plan_write(request: AuthedRequest, youth_id: Any, which: str, data: dict[str, Any]) -> None:
    m = request.membership
    assert m is not None
    if which == "need":
        plan_need_add(membership=m, youth_id=youth_id, **data)
    elif which == "goal":
        plan_goal_add(membership=m, youth_id=youth_id, **data)
    elif which == "service":
        plan_service_add(
            membership=m,
            youth_id=youth_id,
            domain=data["domain"],
            description=data["description"],
            provider_id=data["provider"],
            provider_name=data["provider_name"],
        )
    elif which == "task":
        person, organization = _owner_ids(data["owner"])
        task_add(
            membership=m,
            youth_id=youth_id,
            title=data["title"],
            owner_person_id=person,
            owner_organization_id=organization,
            due_on=data["due_on"],
            domain=data["domain"],
        )
    elif which == "state":
        care_plan_set_state(membership=m, youth_id=youth_id, state=data["state"], version=data["version"])


@login_required
@require_POST
def task_state(request: AuthedRequest, youth_id: str, task_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    # Refuse before reading the form: no access answers like a missing youth (404), never a redirect.
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    form = TaskStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state for the task."))
        return redirect("care:plan", youth_id=youth_id)
    try:
        task_update(
            membership=request.membership,
            youth_id=youth_id,
            task_id=task_id,
            version=form.cleaned_data["version"],
            state=form.cleaned_data["state"],
        )
    except Task.DoesNotExist:
        raise Http404 from None
    except EditConflict:
        messages.error(request, CONFLICT)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Task updated."))
    return redirect("care:plan", youth_id=youth_id)


@login_required
@require_POST
def plan_item(request: AuthedRequest, youth_id: str, kind: str, item_id: str) -> HttpResponse:
    """Mark a need met or a goal achieved, or undo it."""
    _require_youth_work(request)
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    try:
        plan_item_mark(
            membership=request.membership,
            youth_id=youth_id,
            kind=kind,
            item_id=item_id,
            done=request.POST.get("done") == "1",
        )
    except (PlanNeed.DoesNotExist, PlanGoal.DoesNotExist, ValidationError):
        # Closed plans aside, every failure here is a wrong address: answer like one.
        raise Http404 from None
    messages.success(request, _("Saved."))
    return redirect("care:plan", youth_id=youth_id)


def _questions(instrument: Instrument, language: str) -> list[dict[str, Any]]:
    data = instrument.definition
    sections = []
    for section in data["sections"]:
        items = []
        for item in section["items"]:
            options = data["scales"][item["scale"]]["options"]
            items.append(
                {
                    "id": item["id"],
                    "text": instrument_text(item["text"], language),
                    "options": [(o["value"], instrument_text(o["label"], language)) for o in options],
                }
            )
        sections.append({"title": instrument_text(section["title"], language), "items": items})
    return sections


@login_required
def screenings(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    rows = selectors.screenings_of(membership=request.membership, youth_id=youth_id)
    youth_pk = youth_id
    instruments = list(selectors.instruments_active())
    language = translation.get_language() or "en"
    chosen = None
    wanted = request.POST.get("instrument") or request.GET.get("instrument")
    if wanted:
        chosen = next((i for i in instruments if str(i.pk) == wanted), None)
    answers: dict[str, str] = {}
    errors: list[str] = []
    status = 200
    if request.method == "POST" and chosen is not None:
        answers = {
            key.removeprefix("item:"): str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("item:") and request.POST.get(key)
        }
        try:
            recorded = screening_record(
                membership=request.membership,
                youth_id=youth_pk,
                instrument_id=chosen.pk,
                answers=answers,
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(
                request,
                _("Screening saved. %(count)s next step(s) added to the plan.")
                % {"count": len(recorded.tasks)},
            )
            return redirect("care:screenings", youth_id=youth_pk)
    bands: dict[str, str] = {}
    for row in rows:
        for band in row.result.instrument.definition["bands"]:
            bands[f"{row.result.instrument.pk}:{band['id']}"] = instrument_text(band["label"], language)
    return render(
        request,
        "care/screenings.html",
        {
            "youth_id": youth_pk,
            "rows": [
                (
                    row,
                    bands.get(f"{row.result.instrument.pk}:{row.result.band}", ""),
                    bands.get(f"{row.result.instrument.pk}:{row.result.band_at_least}", ""),
                )
                for row in rows
            ],
            "instruments": instruments,
            "chosen": chosen,
            "chosen_title": instrument_text(chosen.definition["title"], language) if chosen else "",
            "questions": _questions(chosen, language) if chosen else [],
            "answers": answers,
            "errors": errors,
        },
        status=status,
    )


@login_required
def notes(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """Case notes and the person's draft. The draft form autosaves over HTMX every pause in typing
    (the response is only the small "saved at" partial); without JavaScript, "Save draft" does the
    same with a full page."""
    _require_youth_work(request)
    assert request.membership is not None
    listed = selectors.case_notes_of(membership=request.membership, youth_id=youth_id)
    drafts = [n for n in listed if n.state == "draft"]
    saved = [n for n in listed if n.state == "final"]
    status_text = ""
    status = 200
    if request.method == "POST":
        form = CaseNoteForm(request.POST)
        action = request.POST.get("action", "autosave")
        if form.is_valid():
            data = dict(form.cleaned_data)
            note_id = data.pop("note_id") or None
            version = data.pop("version")
            try:
                if action == "save":  # one service, one transaction: draft or not, the note is saved
                    case_note_save(
                        membership=request.membership,
                        youth_id=youth_id,
                        note_id=note_id,
                        version=version,
                        **data,
                    )
                    messages.success(request, _("Note saved."))
                    return redirect("care:notes", youth_id=youth_id)
                note = case_note_autosave(
                    membership=request.membership, youth_id=youth_id, note_id=note_id, version=version, **data
                )
            except CaseNote.DoesNotExist:
                raise Http404 from None
            except EditConflict:
                form.add_error(None, CONFLICT)
                status = 409
            except ValidationError as exc:
                _form_errors(form, exc)
                status = 400
            else:
                form = CaseNoteForm(initial={**data, "note_id": note.pk, "version": note.version})
                status_text = _("Draft saved at %(time)s") % {
                    "time": timezone.localtime(note.updated_at).strftime("%H:%M")
                }
        else:
            status = 400
    else:
        draft_id = request.GET.get("draft")
        if draft_id:
            try:
                draft = selectors.case_note_draft(
                    membership=request.membership, youth_id=youth_id, note_id=draft_id
                )
            except (CaseNote.DoesNotExist, ValidationError):
                raise Http404 from None
            form = CaseNoteForm(
                initial={
                    **{f: getattr(draft, f) for f in NOTE_FIELDS},
                    "note_id": draft.pk,
                    "version": draft.version,
                }
            )
        else:
            form = CaseNoteForm()
    context = {
        "youth_id": youth_id,
        "form": form,
        "drafts": drafts,
        "saved": saved,
        "status_text": status_text,
        "note_id": form["note_id"].value() or "",
        "version": form["version"].value() or "",
    }
    if request.htmx and request.POST.get("action", "autosave") == "autosave":  # type: ignore[attr-defined]
        return render(request, "care/notes.html#draft_state", context, status=status)
    return render(request, "care/notes.html", context, status=status)


@login_required
def closure(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    page = selectors.care_plan_page(membership=request.membership, youth_id=youth_id)
    if not may(request.membership, Action.COORDINATE_CARE):
        raise Http404
    open_closure = next((c for c in page.closures if c.reopened_at is None), None)
    form = ClosureForm(request.POST if request.method == "POST" and "reason" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                case_reopen(membership=request.membership, youth_id=page.youth.pk)
                messages.success(request, _("Case re-opened. Everything is as it was."))
                return redirect("care:plan", youth_id=page.youth.pk)
            if form.is_valid():
                case_close(membership=request.membership, youth_id=page.youth.pk, **form.cleaned_data)
                messages.success(request, _("Case closed."))
                return redirect("care:plan", youth_id=page.youth.pk)
        except ValidationError as exc:
            _form_errors(form, exc)
        status = 400
    return render(
        request,
        "care/closure.html",
        {"youth": page.youth, "form": form, "open_closure": open_closure, "closures": page.closures},
        status=status,
    )


@login_required
def meetings(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    listed = selectors.meetings_of(membership=request.membership, youth_id=youth_id)
    youth = listed[0].youth if listed else None
    if youth is None:
        youth = selectors.care_plan_page(membership=request.membership, youth_id=youth_id).youth
    team = selectors.team_choices(youth=youth)
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "") if data else ""
    forms = {
        "schedule": MeetingForm(
            data if which == "schedule" else None, prefix="m", organizations=team.organizations
        ),
        "record": MeetingRecordForm(
            data if which == "record" else None, prefix="r", organizations=team.organizations
        ),
        "action": ActionItemForm(
            data if which == "action" else None, prefix="a", owners=_owner_choices(team)
        ),
    }
    status = 200
    episodes = selectors.missing_episodes_of(youth=youth)
    if which == "roundtable":
        episode = next(
            (r.episode for r in episodes if str(r.episode.pk) == request.POST.get("episode")), None
        )
        if episode is None:
            raise Http404
        missing_episode_follow_up(membership=request.membership, youth_id=youth.pk, episode_id=episode.pk)
        messages.success(request, _("Recovery roundtable scheduled; next steps added to the plan."))
        return redirect("care:meetings", youth_id=youth.pk)
    if which in forms:
        form = forms[which]
        if form.is_valid():
            d = form.cleaned_data
            m = request.membership
            try:
                if which == "schedule":
                    meeting_schedule(
                        membership=m,
                        youth_id=youth.pk,
                        meeting_type=d["meeting_type"],
                        scheduled_at=d["scheduled_at"],
                        invited_ids=d["invited"],
                        agenda=d["agenda"],
                    )
                elif which == "record":
                    meeting_record(
                        membership=m,
                        youth_id=youth.pk,
                        meeting_id=d["meeting"],
                        version=d["version"],
                        attended_ids=d["attended"],
                        notes=d["notes"],
                        decisions=d["decisions"],
                    )
                else:
                    person, organization = _owner_ids(d["owner"])
                    meeting_action_item_add(
                        membership=m,
                        youth_id=youth.pk,
                        meeting_id=d["meeting"],
                        title=d["title"],
                        owner_person_id=person,
                        owner_organization_id=organization,
                        due_on=d["due_on"],
                    )
            except Meeting.DoesNotExist:
                raise Http404 from None
            except EditConflict:
                form.add_error(None, CONFLICT)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("care:meetings", youth_id=youth.pk)
        status = 400
    return render(
        request,
        "care/meetings.html",
        {
            "youth": youth,
            "meetings": listed,
            "episodes": episodes,
            "forms": forms,
            "bound_meeting": request.POST.get("r-meeting") or request.POST.get("a-meeting") or "",
        },
        status=status,
    )


@login_required
def safety_plan(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    view = selectors.safety_plan_of(membership=request.membership, youth_id=youth_id)
    plan = view.plan
    initial: dict[str, Any] = {"version": plan.version if plan else 0}
    if plan is not None:
        initial |= {f: getattr(plan, f) for f in SAFETY_FIELDS} | {"review_on": plan.review_on}
        if view.shows_places:
            initial["safe_places"] = plan.safe_places
    form = SafetyPlanForm(request.POST or None, initial=initial)
    if not view.shows_places:
        del form.fields["safe_places"]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            review_on = data.pop("review_on")
            try:
                safety_plan_save(
                    membership=request.membership,
                    youth_id=view.youth.pk,
                    version=version,
                    review_on=review_on,
                    **data,
                )
            except EditConflict:
                form.add_error(None, CONFLICT)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Safety plan saved."))
                return redirect("care:safety_plan", youth_id=view.youth.pk)
        status = 400
    return render(
        request, "care/safety_plan.html", {"view": view, "youth": view.youth, "form": form}, status=status
    )


@login_required
def safety_plan_print(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """A youth-friendly printable page (print or "save as PDF" from the browser), in the reader's
    language; ``?lang=es`` prints it in Spanish for the youth whatever the worker's language."""
    _require_youth_work(request)
    assert request.membership is not None
    view = selectors.safety_plan_of(membership=request.membership, youth_id=youth_id)
    language = request.GET.get("lang", "")
    if language not in {"en", "es"}:
        language = translation.get_language() or "en"
    with translation.override(language):
        return render(
            request, "care/safety_plan_print.html", {"view": view, "plan": view.plan, "youth": view.youth}
        )


@login_required
def progress(request: AuthedRequest, youth_id: str) -> HttpResponse:
    _require_youth_work(request)
    assert request.membership is not None
    data = request.POST if request.method == "POST" else None
    which = request.POST.get("form", "") if data else ""
    stage_form = StageForm(data if which == "stage" else None, prefix="s")
    check_in_form = CheckInForm(data if which == "check_in" else None, prefix="c")
    status = 200
    current = selectors.progress_of(membership=request.membership, youth_id=youth_id)
    if which in {"stage", "check_in"}:
        form: Any = stage_form if which == "stage" else check_in_form
        if form.is_valid():
            d = dict(form.cleaned_data)
            try:
                if which == "stage":
                    stage_assess(membership=request.membership, youth_id=youth_id, **d)
                else:
                    measured_on = d.pop("measured_on")
                    outcome_check_in(
                        membership=request.membership, youth_id=youth_id, ratings=d, measured_on=measured_on
                    )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("care:progress", youth_id=youth_id)
        status = 400
    labels = {d.measure.value: d.measure.label for d in MEASURES}
    return render(
        request,
        "care/progress.html",
        {
            "youth_id": youth_id,
            "progress": current,
            "stage_form": stage_form,
            "check_in_form": check_in_form,
            "check_ins": [
                (c, [(labels.get(k, k), v) for k, v in c.ratings.items()]) for c in current.check_ins
            ],
        },
        status=status,
    )


MAX_INSTRUMENT_BYTES = 512 * 1024


@login_required
def instruments(request: AuthedRequest) -> HttpResponse:
    """Program admins load the instruments their agency is licensed to use. A malformed file is
    refused with every problem and where it is; nothing is stored."""
    if not may(request.membership, Action.MANAGE_PROGRAM):
        raise PermissionDenied
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            name = upload.name or ""
            suffix = name[name.rfind(".") :].lower() if "." in name else ""
            try:
                if suffix not in {".yaml", ".yml", ".json"}:
                    raise InstrumentInvalid([_("Choose a .yaml, .yml or .json file.")])
                if upload.size > MAX_INSTRUMENT_BYTES:
                    raise InstrumentInvalid([_("The file is too large for an instrument.")])
                try:
                    raw = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    raise InstrumentInvalid([_("The file is not UTF-8 text.")]) from None
                loaded = instrument_load(
                    definition=parse_text(raw, suffix=suffix),
                    licence_attestation=form.cleaned_data["licence_attestation"],
                    loaded_by=request.user,
                    activate=form.cleaned_data["activate"],
                    source=name,
                )
            except InstrumentInvalid as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = exc.messages
            else:
                if loaded.created:
                    messages.success(request, _("Instrument loaded."))
                else:
                    messages.info(request, _("That version was already loaded with the same content."))
                return redirect("care:instruments")
        status = 400
    return render(
        request,
        "care/instruments.html",
        {"form": form, "problems": problems, "instruments": selectors.instruments_all()},
        status=status,
    )


@login_required
@require_POST
def missing_return(request: AuthedRequest, youth_id: str) -> HttpResponse:
    """A missing youth is back (from the youth record's page): the return and the roundtable, one service."""
    # Refuse before looking at the form: someone without access gets the 404 of a missing youth.
    require_youth(request.membership, youth_id, Category.CARE_PLAN, write=True)
    assert request.membership is not None
    form = MissingReturnForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {error}"
                )
        return redirect("youth:detail", youth_id=youth_id)
    d = form.cleaned_data
    try:
        _episode, meeting = missing_episode_return(
            membership=request.membership,
            youth_id=youth_id,
            episode_id=d["episode"],
            ended_at=d["ended_at"],
            debrief=d["debrief"],
            roundtable=d["roundtable"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Return recorded. Welcome back."))
        if meeting is not None:
            messages.success(request, _("Recovery roundtable scheduled and added to the plan."))
    return redirect("youth:detail", youth_id=youth_id)
